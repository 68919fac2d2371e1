// Opening an existing batch store named on the command line (report, export, merge): a SQLite
// path must exist (opening would otherwise create an empty store), postgresql://… must connect.
#pragma once

#include <memory>
#include <string>

#include "analyzer/batch/result_store.h"

namespace apkwarden::cli {

// The store, or nullptr after printing why it cannot be opened.
std::unique_ptr<batch::ResultStore> open_existing_store(const std::string& location);

}  // namespace apkwarden::cli
