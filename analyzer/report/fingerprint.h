// Stable fingerprints for findings: what identifies "the same finding" across rebuilds of an
// app, for baselines and SARIF's partialFingerprints. A rebuild moves code (pc, dex file, line
// numbers) but keeps names, so the fingerprint hashes the rule id, the owning SDK and the
// location's names: class + method for code, element + name for the manifest, library + symbol
// for native code, path + name for resources. Never the pc, address, dex file or line.
#pragma once

#include <string>

#include "analyzer/report/report.h"

namespace apkwarden::report {

// The text hashed for `f` before the occurrence number ("rule|sdk|code|class|method").
std::string fingerprint_key(const Finding& f);

// Sets Finding::fingerprint for every finding: the first 32 hex digits of
// SHA-256("apkwarden-fp-v1|" + key + "|" + n), where n counts earlier findings with the same key
// in the report's order, so two hits of one rule in one method stay distinct.
void assign_fingerprints(Report& report);

}  // namespace apkwarden::report
