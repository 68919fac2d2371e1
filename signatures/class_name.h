// Class names arrive in two spellings: DEX descriptors ("Lcom/qq/e/ads/SplashAD;", also array
// types "[Lcom/…;") and Java dotted names ("com.qq.e.ads.SplashAD"). The matchers keep one
// internal form, the descriptor body with '/' separators ("com/qq/e/ads/SplashAD"), and convert a
// query into a caller-provided buffer so a lookup never allocates.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace apkwarden::signatures {

// True when `name` is a descriptor ('['* 'L' … with '/' or a trailing ';'). Dotted names never
// contain '/', so "Lfoo.Bar" (a package named Lfoo) stays dotted.
inline bool is_descriptor(std::string_view name) {
  size_t i = 0;
  while (i < name.size() && name[i] == '[') ++i;
  if (i >= name.size() || name[i] != 'L') return false;
  return name.find('/') != std::string_view::npos || name.back() == ';';
}

// Writes at most `cap` bytes of the internal form of `name` into `buf`, returns the length.
// Truncation is harmless for prefix matching when cap >= the longest prefix + 1.
inline size_t to_internal(std::string_view name, char* buf, size_t cap) {
  if (is_descriptor(name)) {
    size_t i = 0;
    while (name[i] == '[') ++i;
    name.remove_prefix(i + 1);
    if (!name.empty() && name.back() == ';') name.remove_suffix(1);
  }
  const size_t n = name.size() < cap ? name.size() : cap;
  for (size_t i = 0; i < n; ++i) buf[i] = name[i] == '.' ? '/' : name[i];
  return n;
}

inline std::string to_internal(std::string_view name) {
  std::string out(name.size(), '\0');
  out.resize(to_internal(name, out.data(), out.size()));
  return out;
}

// The dotted form of `name` (descriptor or dotted) into `buf`; returns the length.
inline size_t to_dotted(std::string_view name, char* buf, size_t cap) {
  const size_t n = to_internal(name, buf, cap);
  for (size_t i = 0; i < n; ++i)
    if (buf[i] == '/') buf[i] = '.';
  return n;
}

}  // namespace apkwarden::signatures
