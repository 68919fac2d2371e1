// libpq, loaded on first use with dlopen: only a batch with a postgresql:// store needs it, and
// linking it would make every apkwarden start load ~20 more libraries (Kerberos, LDAP, GnuTLS…:
// about a third of a small scan's time). The types come from <libpq-fe.h> as usual.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace apkwarden::batch {

struct LibPq {
  decltype(&::PQconnectdb) connectdb;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) error_message;
  decltype(&::PQfinish) finish;
  decltype(&::PQexec) exec;
  decltype(&::PQexecParams) exec_params;
  decltype(&::PQresultStatus) result_status;
  decltype(&::PQresultErrorMessage) result_error_message;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQnfields) nfields;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetlength) getlength;
  decltype(&::PQclear) clear;
};

// The library's entry points, loaded once per process (thread-safe); null when libpq.so.5 (Debian
// package libpq5) cannot be loaded, with the reason in `*error`.
const LibPq* libpq(std::string* error);

}  // namespace apkwarden::batch
