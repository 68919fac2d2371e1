#include "analyzer/batch/sqlite_library.h"

#include "analyzer/system/shared_library.h"

namespace apkwarden::batch {

namespace {

system::BoundApi<Sqlite> load() {
  system::BoundApi<Sqlite> l;
  system::SharedLibrary lib("libsqlite3.so.0", "Debian package libsqlite3-0");
  Sqlite& a = l.api;
  lib.bind("sqlite3_open_v2", &a.open_v2);
  lib.bind("sqlite3_close_v2", &a.close_v2);
  lib.bind("sqlite3_errmsg", &a.errmsg);
  lib.bind("sqlite3_busy_timeout", &a.busy_timeout);
  lib.bind("sqlite3_prepare_v2", &a.prepare_v2);
  lib.bind("sqlite3_bind_parameter_index", &a.bind_parameter_index);
  lib.bind("sqlite3_bind_text", &a.bind_text);
  lib.bind("sqlite3_bind_null", &a.bind_null);
  lib.bind("sqlite3_step", &a.step);
  lib.bind("sqlite3_column_count", &a.column_count);
  lib.bind("sqlite3_column_type", &a.column_type);
  lib.bind("sqlite3_column_text", &a.column_text);
  lib.bind("sqlite3_column_bytes", &a.column_bytes);
  lib.bind("sqlite3_finalize", &a.finalize);
  if (!lib.ok()) l.error = "cannot use the SQLite library: " + lib.error();
  return l;
}

}  // namespace

const Sqlite* sqlite(std::string* error) {
  static const system::BoundApi<Sqlite> loaded = load();  // thread-safe initialisation
  return loaded.get(error);
}

}  // namespace apkwarden::batch
