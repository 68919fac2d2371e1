// The JSON form of NativeLibFacts: inside the scan report's native_libs entries, and the whole
// output of `apkwarden native FILE --format json` (docs/report-schema.md, docs/native.md).
#pragma once

#include "analyzer/native/native_facts.h"
#include "analyzer/report/json_writer.h"

namespace apkwarden::native {

// Writes the facts' fields into the object being written. `full`: `exports` as the whole array
// (the native command); otherwise only JNI exports and `exports_count` (the scan report).
void write_facts_fields(report::JsonWriter& w, const NativeLibFacts& f, bool full);

}  // namespace apkwarden::native

#include <string>
#include <vector>

#include "analyzer/report/evidence.h"
#include "dex/diagnostic.h"

namespace apkwarden::native {

// The whole `apkwarden native FILE` output: one JSON object, or text for people.
std::string native_to_json(const NativeLibFacts& f, const std::vector<report::Finding>& findings,
                           const Diagnostics& diags);
std::string native_to_text(const NativeLibFacts& f, const std::vector<report::Finding>& findings,
                           const Diagnostics& diags);

}  // namespace apkwarden::native
