// Findings from one library's facts: device identifiers, MAC addresses and the app list read
// by native code (rules with <analysis name="native"/> in signatures/rules/native.xml give the
// metadata). Each finding names the library, the call's address and the function around it.
#pragma once

#include <string>
#include <vector>

#include "analyzer/native/native_facts.h"
#include "analyzer/report/evidence.h"

namespace apkwarden::native {

std::vector<report::Finding> native_findings(const NativeLibFacts& facts);

}  // namespace apkwarden::native
