#include "analyzer/native/jni_behaviour.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>

#include "analyzer/native/call_scan.h"
#include "analyzer/native/elf_image.h"
#include "dex/limits.h"

namespace apkwarden::native {

namespace {

bool printable(const std::string& s) {
  if (s.size() < 2) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

void describe_jni_behaviour(ByteSpan bytes, NativeLibFacts& facts, size_t& budget) {
  if (budget == 0) return;
  bool wanted = false;
  for (const JniExport& j : facts.jni) wanted = wanted || !j.dex_methods.empty();
  if (!wanted) return;
  auto parsed = ElfImage::parse(bytes, facts.path, nullptr);
  if (!parsed.ok()) return;
  const ElfImage& img = *parsed;
  const uint16_t machine = img.machine();
  if (machine != kEmAarch64 && machine != kEmArm && machine != kEmX86_64 && machine != kEmX86) return;
  const std::map<uint64_t, std::string> imports = import_stubs(img);
  // Defined functions' sizes by address (Thumb bit cleared), to bound each walk.
  std::map<uint64_t, uint64_t> sizes;
  for (const ElfSymbol& s : img.dynsyms())
    if (!s.undefined() && s.type == 2) sizes.emplace(machine == kEmArm ? s.value & ~uint64_t{1} : s.value, s.size);
  const auto isa_of = [&](bool thumb) {
    switch (machine) {
      case kEmAarch64: return Isa::kArm64;
      case kEmArm: return thumb ? Isa::kThumb : Isa::kArm;
      case kEmX86_64: return Isa::kX86_64;
      default: return Isa::kX86;
    }
  };

  for (JniExport& j : facts.jni) {
    if (j.dex_methods.empty() || j.behaviour_scanned) continue;
    if (budget == 0) return;
    --budget;
    j.behaviour_scanned = true;
    std::set<std::pair<uint64_t, bool>> seen;
    std::deque<std::tuple<uint64_t, bool, unsigned>> work{{j.address, j.thumb, 0}};
    std::set<std::string> strings;
    while (!work.empty() && seen.size() < limits::kMaxJniBehaviourFunctions) {
      const auto [addr, thumb, depth] = work.front();
      work.pop_front();
      if (!seen.insert({addr, thumb}).second) continue;
      const auto size = sizes.find(addr);
      for (const FunctionCall& c : walk_function(img, isa_of(thumb), addr, size == sizes.end() ? 0 : size->second)) {
        for (int i = 0; i < 6; ++i) {
          if (!c.args[i] || strings.size() >= limits::kMaxJniBehaviourStrings) continue;
          if (auto s = img.c_string_at(*c.args[i], 256); s && printable(*s)) strings.insert(*s);
        }
        if (!c.target) continue;
        const uint64_t t = machine == kEmArm ? *c.target & ~uint64_t{1} : *c.target;
        if (auto it = imports.find(t); it != imports.end()) {
          if (j.calls_imports.size() < limits::kMaxJniBehaviourStrings) j.calls_imports.push_back(it->second);
        } else if (depth + 1 < limits::kMaxJniBehaviourDepth) {
          work.emplace_back(t, machine == kEmArm && c.target_thumb, depth + 1);
        }
      }
    }
    j.call_strings.assign(strings.begin(), strings.end());
    sort_unique(j.calls_imports);
  }
}

}  // namespace apkwarden::native
