#include "cli/store_access.h"

#include <filesystem>

#include "cli/output.h"

namespace apkwarden::cli {

std::unique_ptr<batch::ResultStore> open_existing_store(const std::string& location) {
  std::error_code ec;
  if (!batch::is_postgres_location(location) && !std::filesystem::is_regular_file(location, ec)) {
    print_error(location, "no such store (a SQLite file written by 'apkwarden batch', or postgresql://...)");
    return nullptr;
  }
  auto store = batch::ResultStore::open(location);
  if (!store.ok()) {
    print_error(location, store.error().message);
    return nullptr;
  }
  return std::move(store.value());
}

}  // namespace apkwarden::cli
