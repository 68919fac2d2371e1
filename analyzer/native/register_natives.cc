#include "analyzer/native/register_natives.h"

#include "dex/limits.h"

namespace apkwarden::native {

namespace {

bool is_identifier(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || (i && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool is_method_descriptor(const std::string& s) {
  if (s.size() < 3 || s[0] != '(') return false;
  const size_t close = s.find(')');
  if (close == std::string::npos || close + 1 >= s.size()) return false;
  for (char c : s)
    if (c < 0x21 || c > 0x7e || c == '.') return false;
  return true;
}

}  // namespace

void find_register_natives(const ElfImage& img, NativeLibFacts& facts) {
  const uint64_t ps = img.is64() ? 8 : 4;
  auto in_code = [&](uint64_t va) {
    for (const ElfSection& s : img.sections())
      if ((s.flags & kShfExecInstr) && va >= s.addr && va - s.addr < s.size) return true;
    return false;
  };
  size_t added = 0;
  for (const ElfSection& sec : img.sections()) {
    if (!sec.in_file || sec.type == 8 || (sec.flags & kShfExecInstr)) continue;
    if (sec.name != ".data.rel.ro" && sec.name != ".data" && sec.name != ".data.rel.ro.local") continue;
    for (uint64_t off = 0; off + 3 * ps <= sec.size; off += ps) {
      const uint64_t a = sec.addr + off;
      auto name_p = img.pointer_at(a);
      if (!name_p || !*name_p) continue;
      auto sig_p = img.pointer_at(a + ps);
      auto fn_p = img.pointer_at(a + 2 * ps);
      if (!sig_p || !fn_p || !in_code(*fn_p & ~uint64_t{1})) continue;
      auto name = img.c_string_at(*name_p, 256);
      if (!name || !is_identifier(*name)) continue;
      auto sig = img.c_string_at(*sig_p, limits::kMaxElfStringBytes);
      if (!sig || !is_method_descriptor(*sig)) continue;
      if (added++ >= limits::kMaxNativeCallSites) return;
      facts.jni.push_back({"RegisterNatives", "", *name, *sig,
                           img.machine() == kEmArm ? *fn_p & ~uint64_t{1} : *fn_p, {},
                           img.machine() == kEmArm && (*fn_p & 1) != 0, {}, {}, false});
      off += 2 * ps;
    }
  }
}

}  // namespace apkwarden::native
