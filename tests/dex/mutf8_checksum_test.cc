#include <doctest/doctest.h>
#include <zlib.h>

#include <random>
#include <string>

#include "dex/checksum.h"
#include "dex/descriptor.h"
#include "dex/index_types.h"
#include "dex/mutf8.h"

using namespace apkwarden;
using namespace apkwarden::dex;

TEST_CASE("MUTF-8 decoding") {
  CHECK(mutf8_to_utf8("plain") == "plain");
  CHECK(mutf8_to_utf8(std::string_view("a\xc0\x80z", 4)) == std::string("a\0z", 3));  // C0 80 -> NUL
  CHECK(mutf8_to_utf8("\xc3\xa9") == "\xc3\xa9");                                       // é
  CHECK(mutf8_to_utf8("\xe2\x82\xac") == "\xe2\x82\xac");                               // €
  // U+1F600 as a surrogate pair (D83D DE00) -> one 4-byte sequence.
  CHECK(mutf8_to_utf8("\xed\xa0\xbd\xed\xb8\x80") == "\xf0\x9f\x98\x80");
  CHECK(mutf8_to_utf8("\xed\xa0\xbd") == "\xef\xbf\xbd");    // lone high surrogate
  CHECK(mutf8_to_utf8("\xed\xb8\x80x") == "\xef\xbf\xbdx");  // lone low surrogate
  CHECK(mutf8_to_utf8("\x80") == "\xef\xbf\xbd");            // stray continuation
  CHECK(mutf8_to_utf8("\xe2\x82") == "\xef\xbf\xbd\xef\xbf\xbd");  // truncated
  CHECK(mutf8_to_utf8("\xf0\x9f\x98\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  CHECK(mutf8_to_utf8("\xc1\xaf") == "o");  // over-long, decoded like the runtime
  CHECK(mutf8_utf16_length("\xed\xa0\xbd\xed\xb8\x80") == 2);
  std::string storage;
  const std::string_view ascii = "Lcom/x/A;";
  CHECK(mutf8_view(ascii, storage).data() == ascii.data());  // fast path: same bytes
  CHECK(mutf8_view("\xc0\x80", storage) == std::string_view("\0", 1));
  // Random bytes never crash and always give valid-looking UTF-8 lengths.
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 16, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    const std::string out = mutf8_to_utf8(s);
    CHECK(out.size() <= s.size() * 3 + 3);
  }
}

TEST_CASE("adler32 matches zlib, SHA-1 matches the FIPS vectors") {
  std::mt19937 rng(1);
  for (size_t n : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 5552u, 5553u, 100000u}) {
    std::vector<uint8_t> buf(n);
    for (auto& b : buf) b = static_cast<uint8_t>(rng());
    CHECK(adler32(ByteSpan(buf.data(), n)) == ::adler32(1, buf.data(), static_cast<uInt>(n)));
  }
  auto hex = [](const Sha1Digest& d) {
    std::string s;
    char b[3];
    for (uint8_t x : d) {
      std::snprintf(b, sizeof b, "%02x", x);
      s += b;
    }
    return s;
  };
  CHECK(hex(sha1(ByteSpan(std::string_view("abc")))) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(hex(sha1(ByteSpan(std::string_view("")))) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(hex(sha1(ByteSpan(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))) ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  const std::string million(1000000, 'a');
  CHECK(hex(sha1(ByteSpan(std::string_view(million)))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("descriptors and index types") {
  CHECK(descriptor_to_java("I") == "int");
  CHECK(descriptor_to_java("[[J") == "long[][]");
  CHECK(descriptor_to_java("Lcom/x/A$B;") == "com.x.A$B");
  CHECK(descriptor_to_java("[Ljava/lang/String;") == "java.lang.String[]");
  CHECK(descriptor_to_java("Q") == "Q");
  CHECK(descriptor_to_java("") == "");
  StringIdx none;
  CHECK(none.is_none());
  CHECK(none.value == kNoIndex);
  CHECK(StringIdx(3) < StringIdx(4));
  CHECK(TypeIdx(5) == TypeIdx(5));
  static_assert(!std::is_convertible_v<StringIdx, TypeIdx>);
  static_assert(!std::is_convertible_v<uint32_t, MethodIdx>);
}
