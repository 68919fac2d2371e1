// ResStringPool: both encodings, the two-unit length forms, and what Android refuses.
#include <doctest/doctest.h>

#include "analyzer/apk/string_pool.h"
#include "apk/axml_builder.h"

using namespace apkwarden;
using namespace apkwarden::apk;
using namespace apkwarden::test;

namespace {
Result<StringPool> parse(const std::vector<uint8_t>& b, Diagnostics* d = nullptr) {
  return StringPool::parse(ByteSpan(b.data(), b.size()), "pool", d);
}
}  // namespace

TEST_CASE("string_pool: UTF-8 and UTF-16, short and long lengths") {
  const std::string long_s(300, 'x');        // needs the 2-byte UTF-8 length form
  const std::string huge_s(40000, 'y');      // needs the 2-unit UTF-16 length form (> 0x7fff)
  for (bool utf8 : {true, false}) {
    CAPTURE(utf8);
    auto b = build_string_pool({"", "abc", long_s, huge_s, utf8 ? "h\xc3\xa9llo \xe2\x82\xac" : "plain"}, utf8);
    auto p = parse(b);
    REQUIRE(p.ok());
    CHECK(p->utf8() == utf8);
    CHECK(p->size() == 5);
    CHECK(p->get(0) == "");
    CHECK(p->get(1) == "abc");
    CHECK(p->get(2) == long_s);
    if (!utf8) CHECK(p->get(3) == huge_s);  // UTF-8 lengths above 0x7fff need aapt's truncation trick
    CHECK(p->get(4) == (utf8 ? "h\xc3\xa9llo \xe2\x82\xac" : "plain"));
    std::string s;
    CHECK(p->lookup(5, s) == StringPool::Lookup::kOutOfRange);
    CHECK(p->get_or_empty(99) == "");
  }
}

TEST_CASE("string_pool: UTF-16 surrogates decode; unpaired ones become U+FFFD") {
  auto b = build_string_pool({"", "", ""}, false,
                             {{0, u"\U0001F600"}, {1, std::u16string(1, char16_t(0xd800)) + u"a"}, {2, u"\u00e9"}});
  auto p = parse(b);
  REQUIRE(p.ok());
  CHECK(p->get(0) == "\xf0\x9f\x98\x80");
  CHECK(p->get(1) == "\xef\xbf\xbd" "a");
  CHECK(p->get(2) == "\xc3\xa9");
}

TEST_CASE("string_pool: invalid UTF-8 becomes U+FFFD") {
  auto b = build_string_pool({"a\xff" "b", "\xc3", "\xed\xa0\x80", "ok\xf0\x9f\x98\x80"}, true);
  auto p = parse(b);
  REQUIRE(p.ok());
  CHECK(p->get(0) == "a\xef\xbf\xbd" "b");
  CHECK(p->get(1) == "\xef\xbf\xbd");
  CHECK(p->get(2) == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // an encoded surrogate, byte by byte
  CHECK(p->get(3) == "ok\xf0\x9f\x98\x80");
}

TEST_CASE("string_pool: a UTF-8 length truncated to 15 bits is recovered like Android") {
  // aapt wrote (len & 0x7fff) for longer strings; Android looks for the terminator further on.
  const std::string s(0x8000 + 5, 'z');
  auto b = build_string_pool({s}, true);
  // build_string_pool wrote the 2-byte form of 0x8005 (0x80 | 0x80, 0x05) = 0x0005 after masking
  auto p = parse(b);
  REQUIRE(p.ok());
  CHECK(p->get(0) == s);
}

TEST_CASE("string_pool: what Android refuses is an error, bad offsets are per-string") {
  const auto good = build_string_pool({"one", "two"}, true);
  SUBCASE("header size beyond the chunk") {
    auto b = good;
    set16(b, 2, 0x4000);
    CHECK_FALSE(parse(b).ok());
  }
  SUBCASE("string count past the chunk") {
    auto b = good;
    set32(b, 8, 0x40000000);
    CHECK_FALSE(parse(b).ok());
  }
  SUBCASE("strings start past the chunk") {
    auto b = good;
    set32(b, 20, 0xfffffff0);
    CHECK_FALSE(parse(b).ok());
  }
  SUBCASE("last string not terminated") {
    auto b = good;
    for (size_t i = 36; i < b.size(); ++i) b[i] = 'q';
    CHECK_FALSE(parse(b).ok());
  }
  SUBCASE("one offset out of the pool") {
    auto b = good;
    set32(b, 28 + 4, 0x7fffffff);
    auto p = parse(b);
    REQUIRE(p.ok());
    CHECK(p->get(0) == "one");
    std::string s;
    CHECK(p->lookup(1, s) == StringPool::Lookup::kMalformed);
  }
  SUBCASE("a length running past the pool") {
    auto b = good;
    b[36 + 1] = 0x7f;  // "one": byte length 127
    auto p = parse(b);
    REQUIRE(p.ok());
    std::string s;
    CHECK(p->lookup(0, s) == StringPool::Lookup::kMalformed);
    CHECK(p->get(1) == "two");
  }
  SUBCASE("every truncation and byte flip is safe") {
    for (size_t n = 0; n < good.size(); ++n) {
      std::vector<uint8_t> cut(good.begin(), good.begin() + n);
      auto p = parse(cut);
      if (p) (void)p->get(0), (void)p->get(1);
    }
    for (size_t i = 0; i < good.size(); ++i) {
      auto b = good;
      b[i] ^= 0xff;
      auto p = parse(b);
      if (p) (void)p->get(0), (void)p->get(1);
    }
  }
}
