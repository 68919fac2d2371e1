// A system library opened with dlopen on first use instead of being linked: each linked library
// costs every apkwarden start its loading and relocations (Capstone alone ~2 ms, SQLite ~1 ms,
// libpq's dependencies ~4 ms), while most runs never call it — a scan without native libraries
// needs no disassembler, only `batch` needs a database. Entry points are bound by name and typed
// from the library's own header (decltype(&::function)).
#pragma once

#include <string>

namespace apkwarden::system {

class SharedLibrary {
 public:
  // Opens `file` (a soname or a path; RTLD_NOW | RTLD_LOCAL); `where_from` says in the error
  // where it comes from ("Debian package libcapstone4").
  SharedLibrary(const std::string& file, const char* where_from);
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  // The handle stays open for the process' lifetime (the bound pointers outlive this object).

  // Binds `symbol` to `*out`; a missing symbol sets error() (the first one is named).
  template <typename F>
  void bind(const char* symbol, F* out) {
    *out = reinterpret_cast<F>(lookup(symbol));
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void* lookup(const char* symbol);

  void* handle_ = nullptr;
  std::string file_;
  std::string error_;
};

// A struct of bound entry points and the error that stopped loading it, built once per process:
//   static const BoundApi<LibX> loaded = load();   return loaded.get(error);
template <typename Api>
struct BoundApi {
  Api api{};
  std::string error;

  // The entry points, or null with the reason in *error_out.
  const Api* get(std::string* error_out) const {
    if (error.empty()) return &api;
    if (error_out) *error_out = error;
    return nullptr;
  }
};

}  // namespace apkwarden::system
