// MUTF-8 (the dex string encoding) to standard UTF-8.
// MUTF-8 differs from UTF-8 in two ways: NUL is written as C0 80, and code points above U+FFFF
// are written as two 3-byte surrogates. We decode as the runtime does (it also accepts
// over-long 2- and 3-byte forms, which an obfuscator may use to hide "/" or "."), combine
// surrogate pairs into one 4-byte UTF-8 sequence, and replace anything undecodable (stray
// continuation bytes, truncated sequences, lone surrogates, 4-byte leads) with U+FFFD.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace apkwarden::dex {

// True when every byte is < 0x80 (and therefore identical in MUTF-8 and UTF-8).
bool is_ascii(std::string_view s);

// Decodes a whole MUTF-8 string.
std::string mutf8_to_utf8(std::string_view mutf8);

// Fast path for hot code: plain ASCII is returned as the input view itself; anything else is
// decoded into `storage` and a view of it is returned.
std::string_view mutf8_view(std::string_view mutf8, std::string& storage);

// Number of UTF-16 code units the string decodes to (what a dex string_data_item declares).
uint32_t mutf8_utf16_length(std::string_view mutf8);

}  // namespace apkwarden::dex
