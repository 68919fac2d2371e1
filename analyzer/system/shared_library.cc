#include "analyzer/system/shared_library.h"

#include <dlfcn.h>

namespace apkwarden::system {

SharedLibrary::SharedLibrary(const std::string& file, const char* where_from) : file_(file) {
  handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char* why = dlerror();
    error_ = "cannot load " + file_ + " (" + where_from + "): " + (why ? why : "unknown error");
  }
}

void* SharedLibrary::lookup(const char* symbol) {
  if (!handle_) return nullptr;
  void* p = dlsym(handle_, symbol);
  if (!p && error_.empty()) error_ = file_ + " has no " + symbol;
  return p;
}

}  // namespace apkwarden::system
