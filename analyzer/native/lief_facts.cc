#include "analyzer/native/lief_facts.h"

#include <limits.h>
#include <unistd.h>

#include <cstdlib>

#include "analyzer/native/lief_reading.h"
#include "analyzer/system/shared_library.h"

namespace apkwarden::native {

namespace {

// Where the module is: $APKWARDEN_LIEF_MODULE, else next to the running executable, else where
// this build put it (test and fuzz executables live in other folders of the build tree).
std::string module_path() {
  if (const char* env = std::getenv("APKWARDEN_LIEF_MODULE"); env && *env) return env;
  char exe[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    std::string dir(exe, static_cast<size_t>(n));
    dir.resize(dir.rfind('/') + 1);
    const std::string beside = dir + kLiefModuleFile;
    if (access(beside.c_str(), R_OK) == 0) return beside;
  }
  return APKWARDEN_LIEF_MODULE_BUILD_PATH;
}

struct LiefModule {
  ReadWithLief read;
};

system::BoundApi<LiefModule> load() {
  system::BoundApi<LiefModule> l;
  system::SharedLibrary lib(module_path(), "apkwarden's LIEF module, built with apkwarden");
  lib.bind(kReadWithLiefSymbol, &l.api.read);
  if (!lib.ok()) l.error = lib.error();
  return l;
}

const system::BoundApi<LiefModule>& module() {
  static const system::BoundApi<LiefModule> loaded = load();  // thread-safe initialisation
  return loaded;
}

// LIEF 0.9 sizes its copy of the file from every segment's and section's [offset, offset+size)
// (DataHandler::reserve) and zero-fills what lies past the end, so one lying header in an 18 KB
// file made it allocate and clear 800 MB (found by fuzz_elf). Such an image is read by our reader
// alone. Empty when every range lies in the file.
std::string lief_hazard(const ElfImage& image) {
  const uint64_t file = image.bytes().size();
  const auto past_end = [file](uint64_t offset, uint64_t size) { return offset > file || size > file - offset; };
  for (size_t i = 0; i < image.segments().size(); ++i) {
    const ElfSegment& s = image.segments()[i];
    if (s.filesz && past_end(s.offset, s.filesz))
      return "program header " + std::to_string(i) + " lies past the end of the file";
  }
  for (const ElfSection& s : image.sections())
    if (!s.in_file) return "section " + (s.name.empty() ? std::string("(unnamed)") : s.name) + " lies past the end of the file";
  return {};
}

}  // namespace

bool load_lief_module(std::string* error) { return module().get(error) != nullptr; }

void add_lief_facts(const ElfImage& image, const std::string& where, NativeLibFacts& facts, Diagnostics* diags) {
  // Only bytes our reader validated reach LIEF; a truncated image is described by our reader alone.
  if (image.truncated()) return;
  if (const std::string hazard = lief_hazard(image); !hazard.empty()) {
    diags->push_back({"native-lief-skipped", "not given to LIEF: " + hazard, where});
    return;
  }
  std::string unavailable;
  const LiefModule* lief = module().get(&unavailable);
  if (!lief) {
    diags->push_back({"native-lief-unavailable", unavailable, where});
    return;
  }
  LiefReading r;
  lief->read(image.bytes().data(), image.bytes().size(), where.c_str(), &r);
  if (!r.error.empty()) {
    diags->push_back({"native-lief-failed", r.error, where});
    return;
  }
  const size_t lief_sections = r.section_names.size();
  if (lief_sections != image.sections().size() || r.header_sections != lief_sections) {
    diags->push_back({"native-lief-mismatch",
                      "LIEF read " + std::to_string(lief_sections) + " sections, our reader " +
                          std::to_string(image.sections().size()),
                      where});
  }
  if (r.dynamic_symbols != image.dynsyms().size()) {
    diags->push_back({"native-lief-mismatch",
                      "LIEF read " + std::to_string(r.dynamic_symbols) + " dynamic symbols, our reader " +
                          std::to_string(image.dynsyms().size()),
                      where});
  }
  facts.section_names = std::move(r.section_names);
  facts.dynamic_entries = r.dynamic_entries;
  facts.hardening.nx = r.nx;
  facts.hardening.pic = r.pic;
}

}  // namespace apkwarden::native
