#include "dex/mutf8.h"

namespace apkwarden::dex {

namespace {

constexpr uint32_t kReplacement = 0xfffd;

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

inline bool is_cont(std::string_view s, size_t i) {
  return i < s.size() && (static_cast<uint8_t>(s[i]) & 0xc0) == 0x80;
}

// Decodes one UTF-16 unit at s[i]; sets `len` to the bytes consumed. Returns kBad on garbage.
constexpr uint32_t kBad = 0xffffffffu;
uint32_t decode_unit(std::string_view s, size_t i, size_t& len) {
  const uint8_t b0 = static_cast<uint8_t>(s[i]);
  if (b0 < 0x80) {
    len = 1;
    return b0;
  }
  if ((b0 & 0xe0) == 0xc0 && is_cont(s, i + 1)) {
    len = 2;
    return ((b0 & 0x1fu) << 6) | (static_cast<uint8_t>(s[i + 1]) & 0x3fu);
  }
  if ((b0 & 0xf0) == 0xe0 && is_cont(s, i + 1) && is_cont(s, i + 2)) {
    len = 3;
    return ((b0 & 0x0fu) << 12) | ((static_cast<uint8_t>(s[i + 1]) & 0x3fu) << 6) |
           (static_cast<uint8_t>(s[i + 2]) & 0x3fu);
  }
  len = 1;
  return kBad;
}

}  // namespace

bool is_ascii(std::string_view s) {
  // No early exit: a branch-free OR over the bytes vectorises well.
  size_t i = 0;
  uint8_t acc = 0;
  for (; i < s.size(); ++i) acc |= static_cast<uint8_t>(s[i]);
  return (acc & 0x80) == 0;
}

std::string mutf8_to_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 0;
    const uint32_t u = decode_unit(s, i, len);
    i += len;
    if (u == kBad) {
      append_utf8(out, kReplacement);
    } else if (u >= 0xd800 && u <= 0xdbff) {
      size_t len2 = 0;
      const uint32_t lo = i < s.size() ? decode_unit(s, i, len2) : kBad;
      if (lo != kBad && lo >= 0xdc00 && lo <= 0xdfff) {
        i += len2;
        append_utf8(out, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
      } else {
        append_utf8(out, kReplacement);  // lone high surrogate
      }
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      append_utf8(out, kReplacement);  // lone low surrogate
    } else {
      append_utf8(out, u);
    }
  }
  return out;
}

std::string_view mutf8_view(std::string_view mutf8, std::string& storage) {
  if (is_ascii(mutf8)) return mutf8;
  storage = mutf8_to_utf8(mutf8);
  return storage;
}

uint32_t mutf8_utf16_length(std::string_view s) {
  uint32_t n = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 0;
    decode_unit(s, i, len);
    i += len;
    ++n;
  }
  return n;
}

}  // namespace apkwarden::dex
