// Which SDKs of the knowledge base an app contains (present: classes, manifest components or
// native libraries) and which of them the app actually uses (reachable: a call into the SDK from
// the app's own code or from another reachable SDK, an app class extending an SDK class, or a
// manifest entry point of the SDK that Android starts by itself), with evidence for both.
#pragma once

#include <vector>

#include "analyzer/report/evidence.h"

namespace apkwarden::apk {
class ApkFile;
struct Manifest;
}  // namespace apkwarden::apk

namespace apkwarden::signatures {
class SdkCatalog;
}

namespace apkwarden::code {
class CodeIndex;
}

namespace apkwarden::rules {

// Sorted by id. `index`, `manifest` and `file` may be null.
std::vector<report::SdkHit> detect_sdks(const signatures::SdkCatalog& catalog, const code::CodeIndex* index,
                                        const apk::Manifest* manifest, const apk::ApkFile* file);

}  // namespace apkwarden::rules
