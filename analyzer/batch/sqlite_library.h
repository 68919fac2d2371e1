// SQLite, loaded on first use with dlopen (analyzer/system/shared_library.h): only `batch`,
// `report`, `export` and `merge` open a store, and linking it costs every scan ~1 ms of start-up.
// The types come from <sqlite3.h> as usual.
#pragma once

#include <sqlite3.h>

#include <string>

namespace apkwarden::batch {

struct Sqlite {
  decltype(&::sqlite3_open_v2) open_v2;
  decltype(&::sqlite3_close_v2) close_v2;
  decltype(&::sqlite3_errmsg) errmsg;
  decltype(&::sqlite3_busy_timeout) busy_timeout;
  decltype(&::sqlite3_prepare_v2) prepare_v2;
  decltype(&::sqlite3_bind_parameter_index) bind_parameter_index;
  decltype(&::sqlite3_bind_text) bind_text;
  decltype(&::sqlite3_bind_null) bind_null;
  decltype(&::sqlite3_step) step;
  decltype(&::sqlite3_column_count) column_count;
  decltype(&::sqlite3_column_type) column_type;
  decltype(&::sqlite3_column_text) column_text;
  decltype(&::sqlite3_column_bytes) column_bytes;
  decltype(&::sqlite3_finalize) finalize;
};

// The entry points, loaded once per process (thread-safe); null when libsqlite3.so.0 (Debian
// package libsqlite3-0) cannot be loaded, with the reason in `*error`.
const Sqlite* sqlite(std::string* error);

}  // namespace apkwarden::batch
