// ResStringPool: the string table at the head of every AXML document and resources.arsc
// (and of each ARSC package's type and key names). A view over the chunk bytes: nothing is
// decoded until a string is asked for, and nothing is cached (so lookups are thread-safe).
// Strings come out as UTF-8; UTF-16 pools are converted, invalid sequences become U+FFFD.
// Style spans are ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dex/byte_span.h"
#include "dex/diagnostic.h"
#include "dex/result.h"

namespace apkwarden::apk {

class StringPool {
 public:
  enum class Lookup { kOk, kOutOfRange, kMalformed, kTooLong };

  StringPool() = default;

  // `chunk` is the whole ResStringPool chunk (its header included), already cut to the
  // chunk's size field. Refuses a pool Android's ResStringPool::setTo refuses (header or
  // offsets table outside the chunk, strings start past the end, last string not
  // 0-terminated). A string count above limits::kMaxAxmlStrings is cut, with a diagnostic.
  // `where` names the pool for messages ("AndroidManifest.xml@0x8").
  static Result<StringPool> parse(ByteSpan chunk, const std::string& where, Diagnostics* diags);

  uint32_t size() const { return count_; }
  bool utf8() const { return utf8_; }

  // The string at `idx` as UTF-8. kOutOfRange for idx >= size(); kMalformed when its offset
  // or length runs past the pool or it is not 0-terminated (Android returns NULL then);
  // kTooLong above limits::kMaxStringBytes.
  Lookup lookup(uint32_t idx, std::string& out) const;
  std::optional<std::string> get(uint32_t idx) const;
  // Convenience: the string, or "" for any failure.
  std::string get_or_empty(uint32_t idx) const;

 private:
  Lookup lookup_utf8(size_t unit_off, std::string& out) const;
  Lookup lookup_utf16(size_t unit_off, std::string& out) const;

  ByteSpan chunk_;
  uint32_t count_ = 0;
  bool utf8_ = false;
  size_t entries_off_ = 0;     // offsets table, relative to the chunk
  size_t strings_off_ = 0;     // string data, relative to the chunk
  size_t pool_units_ = 0;      // string data size in chars (bytes or UTF-16 units)
};

// Appends `cp` as UTF-8 (U+FFFD for surrogates and values above U+10FFFF).
void append_utf8(std::string& out, uint32_t cp);
// Copies `in` to `out`, replacing every invalid UTF-8 sequence with U+FFFD.
void sanitize_utf8(std::string_view in, std::string& out);

}  // namespace apkwarden::apk
