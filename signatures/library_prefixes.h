// Packages of general-purpose libraries (signatures/common/library-prefixes.txt): code that is
// neither the app's own nor an SDK's. Loaded once from the embedded file.
#pragma once

#include "signatures/prefix_matcher.h"

namespace apkwarden::signatures {

// Longest-prefix matcher over the list; value = line number. Thread-safe, built on first use.
const PrefixMatcher& library_prefixes();

}  // namespace apkwarden::signatures
