#include "analyzer/apk/zip_entry_name.h"

#include <cstdint>

namespace apkwarden::apk {

bool is_valid_entry_name(std::string_view name) {
  size_t i = 0;
  while (i < name.size()) {
    const auto b = static_cast<uint8_t>(name[i]);
    if (b == 0) return false;
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if ((b & 0xe0) == 0xc0) len = 2, cp = b & 0x1f;
    else if ((b & 0xf0) == 0xe0) len = 3, cp = b & 0x0f;
    else if ((b & 0xf8) == 0xf0) len = 4, cp = b & 0x07;
    else return false;
    if (name.size() - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto c = static_cast<uint8_t>(name[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    static constexpr uint32_t kMinForLen[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLen[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

bool is_traversal_name(std::string_view name) {
  if (name.empty()) return false;
  if (name.front() == '/' || name.front() == '\\') return true;
  if (name.size() >= 2 && name[1] == ':' &&
      ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
    return true;
  size_t start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '/' || name[i] == '\\') {
      if (name.substr(start, i - start) == "..") return true;
      start = i + 1;
    }
  }
  return false;
}

}  // namespace apkwarden::apk
