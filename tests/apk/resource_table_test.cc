// resources.arsc from the in-test builder: names, default configuration, reference chains,
// bags, sparse and 16-bit-offset type chunks, and hostile variants.
#include <doctest/doctest.h>

#include <algorithm>

#include "analyzer/apk/axml.h"
#include "analyzer/apk/resource_table.h"
#include "apk/arsc_builder.h"

using namespace apkwarden;
using namespace apkwarden::apk;
using namespace apkwarden::test;

namespace {

// Global strings: 0 "My App", 1 "Mon App", 2 "res/xml/network_security_config.xml"
// Types: 1 string, 2 xml, 3 style. Keys: 0 app_name, 1 alias, 2 loop_a, 3 loop_b, 4 nsc, 5 Theme
std::vector<uint8_t> sample(uint8_t string_flags = 0) {
  ArscPackage p;
  p.type_names = {"string", "xml", "style"};
  p.keys = {"app_name", "alias", "loop_a", "loop_b", "nsc", "Theme"};
  std::vector<uint8_t> fr(60, 0);
  fr[4] = 'f';
  fr[5] = 'r';  // language "fr" (imsi 4 bytes, then locale)
  ArscType fr_strings{1, string_flags, 4, fr, {{0, 0, 0x03, 1}}};
  ArscType strings{1, string_flags, 4, std::vector<uint8_t>(60, 0),
                   {{0, 0, 0x03, 0}, {1, 1, 0x01, 0x7f010000}, {2, 2, 0x01, 0x7f010003}, {3, 3, 0x01, 0x7f010002}}};
  ArscType xml{2, 0, 1, std::vector<uint8_t>(60, 0), {{0, 4, 0x03, 2}}};
  ArscEntry theme;
  theme.index = 0;
  theme.key = 5;
  theme.complex = true;
  theme.parent = 0x01030005;
  theme.bag = {{0x01010098, {0x1c, 0xff000000}}, {0x0101009a, {0x12, 1}}};
  ArscType style{3, 0, 1, std::vector<uint8_t>(60, 0), {theme}};
  p.types = {fr_strings, strings, xml, style};  // the French config comes first in the file
  return build_arsc({"My App", "Mon App", "res/xml/network_security_config.xml"}, {p});
}

bool has_code(const Diagnostics& d, const std::string& code) {
  return std::any_of(d.begin(), d.end(), [&](const Diagnostic& x) { return x.code == code; });
}

}  // namespace

TEST_CASE("resource_table: names, default config, references, files, bags") {
  for (uint8_t flags : {uint8_t{0}, uint8_t{0x01}, uint8_t{0x02}}) {
    CAPTURE(int(flags));
    const auto bytes = sample(flags);
    Diagnostics d;
    auto t = ResourceTable::parse(ByteSpan(bytes.data(), bytes.size()), "resources.arsc", &d);
    REQUIRE(t.ok());
    CHECK(d.empty());
    REQUIRE(t->packages().size() == 1);
    CHECK(t->packages()[0].id == 0x7f);
    CHECK(t->packages()[0].name == "com.example.app");
    CHECK(t->name(0x7f010000) == "string/app_name");
    CHECK(t->name(0x7f020000) == "xml/nsc");
    CHECK(t->name(0x7f010009) == std::nullopt);
    CHECK(t->name(0x7f090000) == std::nullopt);
    CHECK(t->name(0x01010000) == std::nullopt);
    // the all-zero configuration wins over the French one that comes first
    CHECK(t->string_value(0x7f010000) == "My App");
    CHECK(t->all_entries(0x7f010000).size() == 2);
    CHECK(t->string_value(0x7f010001) == "My App");   // alias -> app_name
    CHECK(t->resolve(0x7f010002) == std::nullopt);    // loop_a <-> loop_b
    CHECK(t->string_value(0x7f020000) == "res/xml/network_security_config.xml");
    auto theme = t->entry(0x7f030000);
    REQUIRE(theme);
    CHECK(theme->complex);
    CHECK(theme->parent == 0x01030005u);
    REQUIRE(theme->bag.size() == 2);
    CHECK(theme->bag[1].first == 0x0101009au);
    CHECK(theme->bag[1].second.type == value_type::kIntBoolean);
    CHECK(t->resolve(0x7f030000) == std::nullopt);  // a bag has no simple value
    CHECK(t->format_value({value_type::kReference, 0x7f010001}) == "@string/alias");
  }
}

TEST_CASE("resource_table: without a default configuration the first one is used") {
  ArscPackage p;
  p.type_names = {"string"};
  p.keys = {"app_name"};
  std::vector<uint8_t> de(60, 0);
  de[4] = 'd';
  de[5] = 'e';
  std::vector<uint8_t> fr(60, 0);
  fr[4] = 'f';
  fr[5] = 'r';
  p.types = {{1, 0, 1, de, {{0, 0, 0x03, 0}}}, {1, 0, 1, fr, {{0, 0, 0x03, 1}}}};
  const auto bytes = build_arsc({"Meine App", "Mon App"}, {p});
  auto t = ResourceTable::parse(ByteSpan(bytes.data(), bytes.size()), "resources.arsc", nullptr);
  REQUIRE(t.ok());
  CHECK(t->string_value(0x7f010000) == "Meine App");
}

TEST_CASE("resource_table: AXML references are named through the table") {
  const auto arsc = sample();
  auto t = ResourceTable::parse(ByteSpan(arsc.data(), arsc.size()), "resources.arsc", nullptr);
  REQUIRE(t.ok());
  AxmlBuilder b = AxmlBuilder::small_manifest();
  auto axml = b.build();
  // the builder's label points at 0x7f0b0001; repoint it at string/app_name
  AxmlBuilder::Layout l;
  b.build(&l);
  set32(axml, l.nodes[2] + 16 + 20 + 16, 0x7f010000);
  auto doc = decode_axml(ByteSpan(axml.data(), axml.size()), "AndroidManifest.xml", &*t, nullptr);
  REQUIRE(doc.ok());
  CHECK(std::string(doc->root()->FirstChildElement("application")->Attribute("android:label")) == "@string/app_name");
}

TEST_CASE("resource_table: hostile tables") {
  const auto good = sample();
  SUBCASE("wrong magic is an error") {
    auto b = good;
    set16(b, 0, 0x0003);
    auto t = ResourceTable::parse(ByteSpan(b.data(), b.size()), "r", nullptr);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().code == ErrorCode::kBadMagic);
  }
  SUBCASE("table size past the file: diagnostic, still read") {
    auto b = good;
    set32(b, 4, static_cast<uint32_t>(b.size() + 100));
    Diagnostics d;
    auto t = ResourceTable::parse(ByteSpan(b.data(), b.size()), "r", &d);
    REQUIRE(t.ok());
    CHECK(has_code(d, "arsc-bad-chunk-size"));
    CHECK(t->string_value(0x7f010000) == "My App");
  }
  SUBCASE("entry count lying past the chunk is cut") {
    auto b = good;
    // find the first type chunk (0x0201) and make its entry count huge
    for (size_t i = 0; i + 16 < b.size(); i += 4)
      if (get32(b, i) == 0x00540201u) {  // type 0x0201, header size 84
        set32(b, i + 12, 0x00ffffff);
        break;
      }
    Diagnostics d;
    auto t = ResourceTable::parse(ByteSpan(b.data(), b.size()), "r", &d);
    REQUIRE(t.ok());
    CHECK((has_code(d, "arsc-entry-limit") && has_code(d, "arsc-bad-entry-count")));
    CHECK(t->string_value(0x7f010000) == "My App");
  }
  SUBCASE("truncated at every byte and byte flips never crash") {
    for (size_t n = 0; n < good.size(); ++n) {
      std::vector<uint8_t> cut(good.begin(), good.begin() + n);
      Diagnostics d;
      auto t = ResourceTable::parse(ByteSpan(cut.data(), cut.size()), "r", &d);
      if (t) {
        (void)t->name(0x7f010000);
        (void)t->string_value(0x7f010001);
        (void)t->entry(0x7f030000);
      }
    }
    for (size_t i = 0; i < good.size(); ++i) {
      auto b = good;
      b[i] ^= 0xff;
      auto t = ResourceTable::parse(ByteSpan(b.data(), b.size()), "r", nullptr);
      if (t) {
        for (uint32_t id : {0x7f010000u, 0x7f010001u, 0x7f010002u, 0x7f020000u, 0x7f030000u}) {
          (void)t->name(id);
          (void)t->string_value(id);
          (void)t->entry(id);
        }
      }
    }
  }
}
