#include "analyzer/batch/libpq_library.h"

#include <dlfcn.h>

namespace apkwarden::batch {

namespace {

struct Loaded {
  LibPq api{};
  std::string error;
};

template <typename F>
bool bind(void* handle, const char* name, F* out, std::string* error) {
  *out = reinterpret_cast<F>(dlsym(handle, name));
  if (!*out && error->empty()) *error = std::string("libpq.so.5 has no ") + name;
  return *out != nullptr;
}

Loaded load() {
  Loaded l;
  void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    l.error = std::string("cannot load the PostgreSQL client library libpq.so.5 (Debian package libpq5): ") +
              (why ? why : "unknown error");
    return l;
  }
  LibPq& a = l.api;
  std::string* e = &l.error;
  bind(handle, "PQconnectdb", &a.connectdb, e);
  bind(handle, "PQstatus", &a.status, e);
  bind(handle, "PQerrorMessage", &a.error_message, e);
  bind(handle, "PQfinish", &a.finish, e);
  bind(handle, "PQexec", &a.exec, e);
  bind(handle, "PQexecParams", &a.exec_params, e);
  bind(handle, "PQresultStatus", &a.result_status, e);
  bind(handle, "PQresultErrorMessage", &a.result_error_message, e);
  bind(handle, "PQntuples", &a.ntuples, e);
  bind(handle, "PQnfields", &a.nfields, e);
  bind(handle, "PQgetisnull", &a.getisnull, e);
  bind(handle, "PQgetvalue", &a.getvalue, e);
  bind(handle, "PQgetlength", &a.getlength, e);
  bind(handle, "PQclear", &a.clear, e);
  return l;  // the handle stays open for the process' lifetime
}

}  // namespace

const LibPq* libpq(std::string* error) {
  static const Loaded loaded = load();  // thread-safe initialisation
  if (!loaded.error.empty()) {
    if (error) *error = loaded.error;
    return nullptr;
  }
  return &loaded.api;
}

}  // namespace apkwarden::batch
