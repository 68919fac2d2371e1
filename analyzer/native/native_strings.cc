#include "analyzer/native/native_strings.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "analyzer/native/native_knowledge.h"
#include "dex/limits.h"

namespace apkwarden::native {

namespace {

constexpr size_t kMinLength = 6;
constexpr std::array<std::string_view, 4> kUrlSchemes = {"http://", "https://", "ws://", "wss://"};
constexpr std::array<std::string_view, 6> kPathPrefixes = {"/proc/", "/sys/", "/data/", "/system/", "/dev/", "/sdcard"};
constexpr std::array<std::string_view, 16> kTlds = {"com", "net", "org", "cn", "io", "ru", "de", "jp", "kr", "in",
                                                    "co", "info", "biz", "me", "cc", "tv"};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool is_ipv4(std::string_view s) {
  int parts = 0, digits = 0, value = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      value = value * 10 + (c - '0');
      if (++digits > 3 || value > 255) return false;
    } else if (c == '.') {
      if (!digits) return false;
      ++parts, digits = 0, value = 0;
    } else {
      return false;
    }
  }
  return parts == 3 && digits > 0;
}

bool is_host(std::string_view s) {
  if (s.size() > 253 || s.find('.') == std::string_view::npos) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  if (s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
  const std::string_view tld = s.substr(s.rfind('.') + 1);
  return std::find(kTlds.begin(), kTlds.end(), tld) != kTlds.end() && std::count(s.begin(), s.end(), '.') >= 1 &&
         s.substr(0, s.rfind('.')).find_first_not_of("0123456789.") != std::string_view::npos;
}

}  // namespace

std::string classify_string(std::string_view s) {
  for (std::string_view scheme : kUrlSchemes)
    if (starts_with(s, scheme) && s.size() > scheme.size() + 3) return "url";
  if (is_ipv4(s)) return "ip";
  const NativeKnowledge& k = native_knowledge();
  if (k.classify("command", s)) return "command";
  if (k.classify("property", s) || starts_with(s, "persist.sys.") || starts_with(s, "ro.serialno")) return "property";
  for (std::string_view p : kPathPrefixes)
    if (starts_with(s, p)) return "path";
  if (is_host(s)) return "host";
  return "";
}

void extract_strings(const ElfImage& img, NativeLibFacts& facts) {
  std::vector<NativeString> found;
  for (const ElfSection& sec : img.sections()) {
    if (!sec.in_file || sec.type == 8 || (sec.flags & kShfExecInstr) || (sec.flags & 1 /*SHF_WRITE*/)) continue;
    if (sec.name.rfind(".rodata", 0) != 0) continue;
    const std::string_view text = img.bytes().sub(sec.offset, sec.size).as_chars();
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      const bool printable = i < text.size() && static_cast<unsigned char>(text[i]) >= 0x20 &&
                             static_cast<unsigned char>(text[i]) < 0x7f;
      if (printable) continue;
      const size_t len = i - start;
      if (len >= kMinLength && len <= limits::kMaxElfStringBytes) {
        const std::string_view s = text.substr(start, len);
        std::string kind = classify_string(s);
        if (!kind.empty()) found.push_back({std::move(kind), std::string(s), sec.addr + start});
      }
      start = i + 1;
    }
  }
  std::sort(found.begin(), found.end(), [](const NativeString& a, const NativeString& b) {
    return std::tie(a.kind, a.value, a.address) < std::tie(b.kind, b.value, b.address);
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const NativeString& a, const NativeString& b) { return a.kind == b.kind && a.value == b.value; }),
              found.end());
  if (found.size() > limits::kMaxNativeStrings) found.resize(limits::kMaxNativeStrings);
  facts.strings = std::move(found);
}

}  // namespace apkwarden::native
