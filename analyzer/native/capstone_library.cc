#include "analyzer/native/capstone_library.h"

#include "analyzer/system/shared_library.h"

namespace apkwarden::native {

namespace {

system::BoundApi<Capstone> load() {
  system::BoundApi<Capstone> l;
  system::SharedLibrary lib("libcapstone.so.4", "Debian package libcapstone4");
  Capstone& a = l.api;
  lib.bind("cs_open", &a.open);
  lib.bind("cs_option", &a.option);
  lib.bind("cs_close", &a.close);
  lib.bind("cs_malloc", &a.malloc);
  lib.bind("cs_free", &a.free);
  lib.bind("cs_disasm_iter", &a.disasm_iter);
  if (!lib.ok()) l.error = "cannot use the Capstone disassembler: " + lib.error();
  return l;
}

}  // namespace

const Capstone* capstone(std::string* error) {
  static const system::BoundApi<Capstone> loaded = load();  // thread-safe initialisation
  return loaded.get(error);
}

}  // namespace apkwarden::native
