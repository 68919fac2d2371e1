#include "analyzer/native/native_analysis.h"

#include <algorithm>

#include "analyzer/native/call_scan.h"
#include "analyzer/native/capstone_library.h"
#include "analyzer/native/elf_image.h"
#include "analyzer/native/jni_names.h"
#include "analyzer/native/lief_facts.h"
#include "analyzer/native/native_strings.h"
#include "analyzer/native/register_natives.h"

namespace apkwarden::native {

namespace {

constexpr int64_t kDtBindNow = 24, kDtFlags = 30, kDtFlags1 = 0x6ffffffb;

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void fill_hardening(const ElfImage& img, NativeLibFacts& f) {
  Hardening& h = f.hardening;
  h.pic = img.type() == 3;  // ET_DYN
  h.nx = true;              // no PT_GNU_STACK: Android's linker maps the stack non-executable
  for (const ElfSegment& s : img.segments()) {
    if (s.type == kPtGnuStack) h.nx = (s.flags & 1) == 0;
    if (s.type == kPtGnuRelro) h.relro = true;
  }
  h.bind_now = img.has_dynamic(kDtBindNow) || (img.dynamic_value(kDtFlags).value_or(0) & 8) ||
               (img.dynamic_value(kDtFlags1).value_or(0) & 1);
  for (const std::string& name : f.imports) {
    if (name == "__stack_chk_fail" || name == "__stack_chk_guard") h.stack_protector = true;
    if (name.size() > 6 && name.rfind("__", 0) == 0 && name.find("_chk") != std::string::npos &&
        name.rfind("__stack_chk", 0) != 0)
      h.fortify = true;
  }
}

}  // namespace

void load_native_tools() {
  (void)load_lief_module(nullptr);
  (void)capstone(nullptr);
}

Result<NativeLibFacts> analyze_elf(ByteSpan bytes, const std::string& where, const NativeOptions& options,
                                   Diagnostics* diags) {
  auto parsed = ElfImage::parse(bytes, where, diags);
  if (!parsed.ok()) return parsed.error();
  const ElfImage& img = *parsed;
  NativeLibFacts f;
  f.path = where;
  f.machine = machine_name(img.machine());
  f.bits = img.is64() ? 64 : 32;
  f.soname = img.soname();
  f.needed = img.needed();
  f.truncated = img.truncated();
  f.sections = img.sections().size();
  f.dynamic_entries = img.dynamic().size();
  for (const ElfSymbol& s : img.dynsyms()) {
    if (s.imported()) f.imports.push_back(s.name);
    if (s.exported()) {
      f.exports.push_back(s.name);
      if (s.name == "JNI_OnLoad") f.has_jni_onload = true;
      if (auto jni = decode_jni_name(s.name))
        f.jni.push_back({s.name, jni->class_name, jni->method, jni->signature,
                         img.machine() == kEmArm ? s.value & ~uint64_t{1} : s.value, {},
                         img.machine() == kEmArm && (s.value & 1) != 0, {}, {}, false});
    }
  }
  sort_unique(f.imports);
  sort_unique(f.exports);
  std::sort(f.jni.begin(), f.jni.end(), [](const JniExport& a, const JniExport& b) { return a.symbol < b.symbol; });
  f.jni.erase(std::unique(f.jni.begin(), f.jni.end(), [](auto& a, auto& b) { return a.symbol == b.symbol; }), f.jni.end());
  if (options.code) find_register_natives(img, f);  // after the Java_ exports, in table order
  fill_hardening(img, f);
  if (options.lief) {
    const bool our_nx = f.hardening.nx;
    add_lief_facts(img, where, f, diags);
    f.hardening.nx = our_nx;  // LIEF says "no NX" for a missing PT_GNU_STACK; Android's linker does not
  }
  if (options.code) {
    extract_strings(img, f);
    std::string no_capstone;
    if (!capstone(&no_capstone) && diags)  // then no call is confirmed and no argument recovered
      diags->push_back({"native-capstone-unavailable", no_capstone, where});
    scan_calls(img, f);
  }
  return f;
}

}  // namespace apkwarden::native
