// The consent gate: personal data or SDK initialisation reached from code that runs before the
// user could agree to a privacy policy — ContentProvider.onCreate (runs first, e.g. androidx
// startup providers), Application.attachBaseContext/onCreate, their static initialisers and
// constructors, and the launcher activity's onCreate — on a path with no consent check before
// the call. A consent check is a branch on a value read from a stored flag (SharedPreferences
// key, field or method whose name says agree/consent/privacy…, signatures/taint/consent.tsv) or a
// call to an SDK's privacy switch; calls after one in the same method are taken as guarded.
// Each hit becomes a `pre-consent-collection` finding naming the SDK responsible.
#pragma once

#include <vector>

#include "analyzer/apk/manifest.h"
#include "analyzer/callgraph/app_methods.h"
#include "analyzer/callgraph/call_graph.h"
#include "analyzer/dataflow/taint_world.h"
#include "analyzer/report/evidence.h"
#include "signatures/sdk_catalog.h"

namespace apkwarden::dataflow {

std::vector<report::Finding> consent_gate_findings(const apk::Manifest& manifest, TaintWorld& world,
                                                   const signatures::SdkCatalog* sdks);

}  // namespace apkwarden::dataflow
