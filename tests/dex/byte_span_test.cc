#include <doctest/doctest.h>

#include "dex/byte_span.h"

using apkwarden::ByteCursor;
using apkwarden::ByteSpan;

TEST_CASE("ByteSpan reads inside and refuses outside, without overflow") {
  const uint8_t bytes[] = {1, 2, 3, 4, 5, 6, 7, 8};
  ByteSpan s(bytes, sizeof bytes);
  uint32_t v = 0;
  CHECK(s.read(4, v));
  CHECK(v == 0x08070605u);
  CHECK_FALSE(s.read(5, v));
  CHECK_FALSE(s.has(SIZE_MAX, 2));
  CHECK_FALSE(s.has(2, SIZE_MAX));
  CHECK(s.sub(6, 3).empty());
  CHECK(s.sub(6, 2).size() == 2);
  CHECK(s.tail(9).empty());
}

TEST_CASE("ByteCursor LEB128 follows the DEX encoding and flags overflow") {
  SUBCASE("uleb128 multi-byte") {
    const uint8_t b[] = {0xe5, 0x8e, 0x26};
    ByteCursor c(ByteSpan(b, 3));
    CHECK(c.uleb128() == 624485u);
    CHECK_FALSE(c.overflowed());
    CHECK(c.at_end());
  }
  SUBCASE("sleb128 negative") {
    const uint8_t b[] = {0x7f, 0x80, 0x7f};
    ByteCursor c(ByteSpan(b, 3));
    CHECK(c.sleb128() == -1);
    CHECK(c.sleb128() == -128);
  }
  SUBCASE("uleb128 with six bytes is flagged") {
    const uint8_t b[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    ByteCursor c(ByteSpan(b, 6));
    c.uleb128();
    CHECK(c.overflowed());
  }
  SUBCASE("truncated uleb128 fails and stays failed") {
    const uint8_t b[] = {0x80, 0x80};
    ByteCursor c(ByteSpan(b, 2));
    CHECK(c.uleb128() == 0u);
    CHECK(c.failed());
    CHECK(c.u8() == 0);
  }
  SUBCASE("uleb128p1") {
    const uint8_t b[] = {0x00, 0x05};
    ByteCursor c(ByteSpan(b, 2));
    CHECK(c.uleb128p1() == -1);
    CHECK(c.uleb128p1() == 4);
  }
}
