// ResStringPool decoding, following AOSP ResStringPool::setTo / stringAt / string8At.
#include "analyzer/apk/string_pool.h"

#include <cstdio>

#include "analyzer/apk/res_types.h"
#include "dex/limits.h"

namespace apkwarden::apk {
namespace {

constexpr size_t kPoolHeaderSize = 28;  // ResStringPool_header
constexpr uint32_t kUtf8Flag = 1u << 8;

std::string hex(size_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%zx", v);
  return buf;
}

}  // namespace

void append_utf8(std::string& out, uint32_t cp) {
  if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) cp = 0xfffd;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

void sanitize_utf8(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  ByteSpan s(in);
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t b = s[i];
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    int n = 0;
    uint32_t cp = 0, min = 0;
    if ((b & 0xe0) == 0xc0) n = 1, cp = b & 0x1f, min = 0x80;
    else if ((b & 0xf0) == 0xe0) n = 2, cp = b & 0x0f, min = 0x800;
    else if ((b & 0xf8) == 0xf0) n = 3, cp = b & 0x07, min = 0x10000;
    bool ok = n > 0 && s.has(i + 1, n);
    for (int k = 1; ok && k <= n; ++k) {
      const uint8_t c = s[i + k];
      if ((c & 0xc0) != 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      append_utf8(out, 0xfffd);
      ++i;  // resynchronise on the next byte
      continue;
    }
    out.append(in.substr(i, n + 1));
    i += n + 1;
  }
}

Result<StringPool> StringPool::parse(ByteSpan chunk, const std::string& where, Diagnostics* diags) {
  ChunkHeader h;
  if (!read_chunk_header(chunk, 0, h)) return make_error(ErrorCode::kTruncated, where + ": string pool header truncated");
  if (const char* why = validate_chunk(h, kPoolHeaderSize, chunk.size()))
    return make_error(ErrorCode::kMalformed, where + ": string pool " + why);
  StringPool p;
  p.chunk_ = chunk.sub(0, h.size);
  uint32_t count = chunk.read_or<uint32_t>(8, 0);
  const uint32_t style_count = chunk.read_or<uint32_t>(12, 0);
  const uint32_t flags = chunk.read_or<uint32_t>(16, 0);
  const uint32_t strings_start = chunk.read_or<uint32_t>(20, 0);
  const uint32_t styles_start = chunk.read_or<uint32_t>(24, 0);
  p.utf8_ = (flags & kUtf8Flag) != 0;
  p.entries_off_ = h.header_size;
  p.strings_off_ = strings_start;
  const size_t char_size = p.utf8_ ? 1 : 2;
  if (count > 0) {
    if (static_cast<uint64_t>(count) * 4 + h.header_size > h.size)
      return make_error(ErrorCode::kOutOfRange, where + ": string pool offsets table (" +
                                                    std::to_string(count) + " entries) runs past the chunk");
    if (h.size < 2 || strings_start >= h.size - 2)
      return make_error(ErrorCode::kOutOfRange, where + ": string data starts past the chunk (" + hex(strings_start) + ")");
    size_t pool_bytes;
    if (style_count == 0) {
      pool_bytes = h.size - strings_start;
    } else {
      if (styles_start >= h.size - 2)
        return make_error(ErrorCode::kOutOfRange, where + ": style data starts past the chunk");
      if (styles_start <= strings_start)
        return make_error(ErrorCode::kMalformed, where + ": style data starts before string data");
      pool_bytes = styles_start - strings_start;
    }
    p.pool_units_ = pool_bytes / char_size;
    if (p.pool_units_ == 0) return make_error(ErrorCode::kMalformed, where + ": empty string data");
    const size_t last = strings_start + (p.pool_units_ - 1) * char_size;
    const uint32_t last_char = p.utf8_ ? p.chunk_.read_or<uint8_t>(last, 1) : p.chunk_.read_or<uint16_t>(last, 1);
    if (last_char != 0) return make_error(ErrorCode::kMalformed, where + ": last string is not 0-terminated");
    if (count > limits::kMaxAxmlStrings) {
      if (diags)
        diags->push_back({"res-string-limit", "string pool has " + std::to_string(count) +
                                                  " strings; only the first " +
                                                  std::to_string(limits::kMaxAxmlStrings) + " are read",
                          where});
      count = limits::kMaxAxmlStrings;
    }
  }
  p.count_ = count;
  return p;
}

StringPool::Lookup StringPool::lookup(uint32_t idx, std::string& out) const {
  out.clear();
  if (idx >= count_) return Lookup::kOutOfRange;
  const uint32_t entry = chunk_.read_or<uint32_t>(entries_off_ + size_t{idx} * 4, 0xffffffffu);
  const size_t unit_off = utf8_ ? entry : entry / 2;
  if (unit_off >= pool_units_ - 1) return Lookup::kMalformed;
  return utf8_ ? lookup_utf8(unit_off, out) : lookup_utf16(unit_off, out);
}

// UTF-8 pools: two lengths (UTF-16 units, then bytes), each one byte, or two with the high
// bit of the first set. aapt truncated lengths above 0x7fff; like Android's stringDecodeAt we
// look for the terminator at encLen, encLen | 0x8000, encLen | 0x10000, ...
StringPool::Lookup StringPool::lookup_utf8(size_t pos, std::string& out) const {
  auto base = [&](size_t unit) { return strings_off_ + unit; };
  auto read_len = [&](size_t& at) -> size_t {
    size_t len = chunk_.read_or<uint8_t>(base(at++), 0);
    if (len & 0x80) len = ((len & 0x7f) << 8) | chunk_.read_or<uint8_t>(base(at++), 0);
    return len;
  };
  size_t at = pos;
  (void)read_len(at);  // UTF-16 length, not needed to decode
  const size_t enc_len = read_len(at);
  size_t end = enc_len;
  for (size_t i = 0; at + end < pool_units_; end = (++i << 15) | enc_len) {
    if (chunk_.read_or<uint8_t>(base(at + end), 1) == 0) {
      if (end > limits::kMaxStringBytes) return Lookup::kTooLong;
      sanitize_utf8(chunk_.chars(base(at), end), out);
      return Lookup::kOk;
    }
  }
  return Lookup::kMalformed;
}

// UTF-16 pools: one length unit, or two with the high bit of the first set.
StringPool::Lookup StringPool::lookup_utf16(size_t pos, std::string& out) const {
  auto unit = [&](size_t u) { return chunk_.read_or<uint16_t>(strings_off_ + u * 2, 0); };
  size_t at = pos;
  size_t len = unit(at++);
  if (len & 0x8000) len = ((len & 0x7fff) << 16) | unit(at++);
  if (at + len >= pool_units_) return Lookup::kMalformed;
  if (unit(at + len) != 0) return Lookup::kMalformed;
  if (len > limits::kMaxStringBytes) return Lookup::kTooLong;
  out.reserve(len);
  for (size_t i = 0; i < len; ++i) {
    uint32_t c = unit(at + i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const uint32_t lo = unit(at + i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        ++i;
      }
    }
    append_utf8(out, c);  // unpaired surrogates become U+FFFD
  }
  return Lookup::kOk;
}

std::optional<std::string> StringPool::get(uint32_t idx) const {
  std::string s;
  if (lookup(idx, s) != Lookup::kOk) return std::nullopt;
  return s;
}

std::string StringPool::get_or_empty(uint32_t idx) const {
  std::string s;
  if (lookup(idx, s) != Lookup::kOk) s.clear();
  return s;
}

}  // namespace apkwarden::apk
