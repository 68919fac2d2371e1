// Formats of `apkwarden dex --stats`: JSON (documented in docs/report-schema.md, "dex
// statistics") and a text table.
#pragma once

#include <string>

#include "analyzer/app/dex_inspect.h"

namespace apkwarden::report {

std::string to_json(const DexInspection& inspection);
std::string to_text(const DexInspection& inspection);

}  // namespace apkwarden::report
