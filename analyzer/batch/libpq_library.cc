#include "analyzer/batch/libpq_library.h"

#include "analyzer/system/shared_library.h"

namespace apkwarden::batch {

namespace {

system::BoundApi<LibPq> load() {
  system::BoundApi<LibPq> l;
  system::SharedLibrary lib("libpq.so.5", "Debian package libpq5");
  LibPq& a = l.api;
  lib.bind("PQconnectdb", &a.connectdb);
  lib.bind("PQstatus", &a.status);
  lib.bind("PQerrorMessage", &a.error_message);
  lib.bind("PQfinish", &a.finish);
  lib.bind("PQexec", &a.exec);
  lib.bind("PQexecParams", &a.exec_params);
  lib.bind("PQresultStatus", &a.result_status);
  lib.bind("PQresultErrorMessage", &a.result_error_message);
  lib.bind("PQntuples", &a.ntuples);
  lib.bind("PQnfields", &a.nfields);
  lib.bind("PQgetisnull", &a.getisnull);
  lib.bind("PQgetvalue", &a.getvalue);
  lib.bind("PQgetlength", &a.getlength);
  lib.bind("PQclear", &a.clear);
  if (!lib.ok()) l.error = "cannot use the PostgreSQL client library: " + lib.error();
  return l;
}

}  // namespace

const LibPq* libpq(std::string* error) {
  static const system::BoundApi<LibPq> loaded = load();  // thread-safe initialisation
  return loaded.get(error);
}

}  // namespace apkwarden::batch
