// AXML decoding of builder-made documents: the known-good shape, then one mutation per case.
#include <doctest/doctest.h>

#include <algorithm>

#include "analyzer/apk/axml.h"
#include "apk/axml_builder.h"
#include "dex/limits.h"

using namespace apkwarden;
using namespace apkwarden::apk;
using apkwarden::test::AxmlBuilder;

namespace {

Result<AxmlDocument> decode(const std::vector<uint8_t>& b, Diagnostics* d) {
  return decode_axml(ByteSpan(b.data(), b.size()), "AndroidManifest.xml", nullptr, d);
}

bool has_code(const Diagnostics& d, const std::string& code) {
  return std::any_of(d.begin(), d.end(), [&](const Diagnostic& x) { return x.code == code; });
}

std::string attr(const AxmlDocument& doc, const char* path, const char* name) {
  const tinyxml2::XMLElement* el = doc.root();
  std::string p = path;
  for (size_t s = 0; el && !p.empty();) {
    size_t e = p.find('/', s);
    std::string part = p.substr(s, e == std::string::npos ? std::string::npos : e - s);
    if (part != el->Name()) el = el->FirstChildElement(part.c_str());
    if (e == std::string::npos) break;
    s = e + 1;
  }
  const char* v = el ? el->Attribute(name) : nullptr;
  return v ? v : "<absent>";
}

}  // namespace

TEST_CASE("axml: a small manifest decodes to the tree aapt describes (UTF-8 and UTF-16 pools)") {
  for (bool utf8 : {true, false}) {
    CAPTURE(utf8);
    AxmlBuilder b = AxmlBuilder::small_manifest();
    b.utf8 = utf8;
    Diagnostics d;
    auto doc = decode(b.build(), &d);
    REQUIRE(doc.ok());
    CHECK(d.empty());
    const auto* root = doc->root();
    REQUIRE(root);
    CHECK(std::string(root->Name()) == "manifest");
    CHECK(attr(*doc, "manifest", "xmlns:android") == "http://schemas.android.com/apk/res/android");
    CHECK(attr(*doc, "manifest", "android:versionCode") == "42");
    CHECK(attr(*doc, "manifest", "package") == "com.example.app");
    CHECK(attr(*doc, "manifest/application", "android:label") == "@0x7f0b0001");
    CHECK(attr(*doc, "manifest/application", "android:debuggable") == "true");
    CHECK(attr(*doc, "manifest/application/activity", "android:name") == "com.example.app.Main");
    CHECK(attr(*doc, "manifest/application/activity", "android:exported") == "false");
    const auto* app = root->FirstChildElement("application");
    const AxmlAttribute* label = doc->typed_value(app, "android:label");
    REQUIRE(label);
    CHECK(label->value.type == value_type::kReference);
    CHECK(label->value.data == 0x7f0b0001u);
    CHECK(label->resource_id == 0x01010001u);
    CHECK(doc->attribute_by_id(app, 0x0101000f)->value.data == 0xffffffffu);
    CHECK(doc->info(app)->line == 3);
    const std::string text = to_xml_text(*doc);
    CHECK(text.find("<activity android:name=\"com.example.app.Main\" android:exported=\"false\"/>") != std::string::npos);
  }
}

TEST_CASE("axml: typed values are rendered as documented") {
  using test::int_attr;
  AxmlBuilder b;
  const std::string A = "http://schemas.android.com/apk/res/android";
  b.start_ns("android", A);
  b.start("v", {int_attr("a", 0, 0x10, static_cast<uint32_t>(-3), A), int_attr("b", 0, 0x11, 0x1f, A),
                int_attr("c", 0, 0x05, (16u << 8) | 1, A),           // 16dip, radix 23p0
                int_attr("d", 0, 0x06, (64u << 8) | (1u << 4) | 0, A),  // 64 * 2^-7 = 0.5 -> 50%
                int_attr("e", 0, 0x1c, 0xff112233, A), int_attr("f", 0, 0x04, 0x3fc00000, A),
                int_attr("g", 0, 0x02, 0x01010000, A), int_attr("h", 0, 0x02, 0x7f010001, A),
                int_attr("i", 0, 0x01, 0, A), int_attr("j", 0, 0x01, 0x01010003, A)});
  b.end("v");
  b.end_ns("android", A);
  Diagnostics d;
  auto doc = decode(b.build(), &d);
  REQUIRE(doc.ok());
  CHECK(attr(*doc, "v", "android:a") == "-3");
  CHECK(attr(*doc, "v", "android:b") == "0x1f");
  CHECK(attr(*doc, "v", "android:c") == "16.0dip");
  CHECK(attr(*doc, "v", "android:d") == "50.0%");
  CHECK(attr(*doc, "v", "android:e") == "#ff112233");
  CHECK(attr(*doc, "v", "android:f") == "1.5");
  CHECK(attr(*doc, "v", "android:g") == "?android:attr/theme");
  CHECK(attr(*doc, "v", "android:h") == "?0x7f010001");
  CHECK(attr(*doc, "v", "android:i") == "@null");
  CHECK(attr(*doc, "v", "android:j") == "@android:attr/name");
}

TEST_CASE("axml: obfuscated attribute names are resolved through the resource map") {
  SUBCASE("empty name string") {
    AxmlBuilder b = AxmlBuilder::small_manifest();
    auto bytes = b.build();
    // Blank the "name" string: the builder writes attribute names first; find it and zero its length.
    AxmlBuilder::Layout l;
    b.build(&l);
    // String 2 is "name" (versionCode, label, debuggable, name...): locate by scanning the pool.
    const size_t pool = l.pool;
    const uint32_t count = test::get32(bytes, pool + 8);
    const uint32_t strings_start = test::get32(bytes, pool + 20);
    bool blanked = false;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t s = pool + strings_start + test::get32(bytes, pool + 28 + 4 * i);
      if (bytes[s + 1] == 4 && std::string(bytes.begin() + s + 2, bytes.begin() + s + 6) == "name") {
        bytes[s] = 0;
        bytes[s + 1] = 0;
        bytes[s + 2] = 0;  // "" (terminator right after the lengths)
        blanked = true;
      }
    }
    REQUIRE(blanked);
    Diagnostics d;
    auto doc = decode(bytes, &d);
    REQUIRE(doc.ok());
    CHECK(attr(*doc, "manifest/application/activity", "android:name") == "com.example.app.Main");
    CHECK(has_code(d, "axml-attr-name-from-id"));
  }
  SUBCASE("name string and ID disagree: the ID wins") {
    AxmlBuilder b;
    const std::string A = "http://schemas.android.com/apk/res/android";
    b.start_ns("android", A);
    // Claims to be android:enabled but carries the ID of android:exported (0x01010010).
    b.start("activity", {test::int_attr("enabled", 0x01010010, 0x12, 0xffffffff)});
    b.end("activity");
    b.end_ns("android", A);
    Diagnostics d;
    auto doc = decode(b.build(), &d);
    REQUIRE(doc.ok());
    CHECK(attr(*doc, "activity", "android:exported") == "true");
    CHECK(attr(*doc, "activity", "android:enabled") == "<absent>");
    CHECK(has_code(d, "axml-attr-name-id-mismatch"));
  }
}

TEST_CASE("axml: a wrong file type is accepted like Android does, with a diagnostic") {
  auto bytes = AxmlBuilder::small_manifest().build();
  test::set16(bytes, 0, 0x0000);
  Diagnostics d;
  auto doc = decode(bytes, &d);
  REQUIRE(doc.ok());
  CHECK(has_code(d, "axml-bad-magic"));
}

TEST_CASE("axml: hostile size fields") {
  AxmlBuilder::Layout l;
  const auto good = AxmlBuilder::small_manifest().build(&l);
  SUBCASE("document size past the file -> error") {
    auto b = good;
    test::set32(b, 4, static_cast<uint32_t>(b.size() + 4));
    auto doc = decode(b, nullptr);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.error().code == ErrorCode::kTruncated);
  }
  SUBCASE("string pool header size larger than the pool -> error") {
    auto b = good;
    test::set16(b, l.pool + 2, 0xfff0);
    auto doc = decode(b, nullptr);
    REQUIRE_FALSE(doc.ok());
  }
  SUBCASE("string count lying past the chunk -> error") {
    auto b = good;
    test::set32(b, l.pool + 8, 0x10000000);
    CHECK_FALSE(decode(b, nullptr).ok());
  }
  SUBCASE("a later node with a garbage size stops decoding, the partial tree is kept") {
    auto b = good;
    test::set32(b, l.nodes[3] + 4, 0x7ffffff0);  // the <activity> start element
    Diagnostics d;
    auto doc = decode(b, &d);
    REQUIRE(doc.ok());
    CHECK(has_code(d, "axml-bad-node"));
    CHECK(doc->root()->FirstChildElement("application"));
    CHECK_FALSE(doc->root()->FirstChildElement("application")->FirstChildElement("activity"));
    CHECK(has_code(d, "axml-unclosed-element"));
  }
  SUBCASE("attribute count lying: attributes would run past the node") {
    auto b = good;
    test::set16(b, l.nodes[1] + 16 + 12, 500);
    Diagnostics d;
    auto doc = decode(b, &d);
    // the <manifest> element is the first node after the namespace: bad later node
    REQUIRE(doc.ok() == false);  // no element at all survives
  }
  SUBCASE("attribute size smaller than 20 is read like Android (overlapping)") {
    auto b = good;
    test::set16(b, l.nodes[1] + 16 + 10, 8);
    Diagnostics d;
    auto doc = decode(b, &d);
    REQUIRE(doc.ok());
    CHECK(has_code(d, "axml-bad-attribute-size"));
  }
}

TEST_CASE("axml: string index out of range gives an empty string and a diagnostic") {
  AxmlBuilder::Layout l;
  auto b = AxmlBuilder::small_manifest().build(&l);
  // activity's android:name value: attribute 0 of node 3; typed data at +16 (rawValue at +8)
  const size_t attr0 = l.nodes[3] + 16 + 20;
  test::set32(b, attr0 + 8, 9999);
  test::set32(b, attr0 + 16, 9999);
  Diagnostics d;
  auto doc = decode(b, &d);
  REQUIRE(doc.ok());
  CHECK(attr(*doc, "manifest/application/activity", "android:name") == "");
  CHECK(has_code(d, "axml-string-out-of-range"));
}

TEST_CASE("axml: unknown chunks are skipped") {
  AxmlBuilder::Layout l;
  auto good = AxmlBuilder::small_manifest().build(&l);
  // Insert an unknown 16-byte chunk before the first node and another between nodes.
  auto b = good;
  // Between nodes a chunk must still have a node header (16 bytes), as Android's validateNode wants.
  std::vector<uint8_t> junk = {0x77, 0x07, 8, 0, 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<uint8_t> node_junk = {0x77, 0x01, 16, 0, 20, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9};
  b.insert(b.begin() + l.nodes[2], node_junk.begin(), node_junk.end());
  b.insert(b.begin() + l.nodes[0], junk.begin(), junk.end());
  test::set32(b, 4, static_cast<uint32_t>(b.size()));
  Diagnostics d;
  auto doc = decode(b, &d);
  REQUIRE(doc.ok());
  CHECK(std::count_if(d.begin(), d.end(), [](const Diagnostic& x) { return x.code == "axml-unknown-chunk"; }) == 2);
  CHECK(attr(*doc, "manifest/application/activity", "android:name") == "com.example.app.Main");
}

TEST_CASE("axml: a chunk with a short header among the nodes stops decoding, as in Android") {
  AxmlBuilder::Layout l;
  auto b = AxmlBuilder::small_manifest().build(&l);
  std::vector<uint8_t> junk = {0x77, 0x07, 8, 0, 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8};
  b.insert(b.begin() + l.nodes[2], junk.begin(), junk.end());
  test::set32(b, 4, static_cast<uint32_t>(b.size()));
  Diagnostics d;
  auto doc = decode(b, &d);
  REQUIRE(doc.ok());
  CHECK(has_code(d, "axml-bad-node"));
  CHECK_FALSE(doc->root()->FirstChildElement("application"));
}

TEST_CASE("axml: end element mismatch and unbalanced ends are reported, not fatal") {
  AxmlBuilder b;
  b.start("a");
  b.start("b");
  b.end("c");
  b.end("a");
  b.end("a");
  Diagnostics d;
  auto doc = decode(b.build(), &d);
  REQUIRE(doc.ok());
  CHECK(has_code(d, "axml-end-element-mismatch"));
  CHECK(has_code(d, "axml-unbalanced-end"));
  CHECK(doc->root()->FirstChildElement("b"));
}

TEST_CASE("axml: nesting past kMaxAxmlDepth is cut with one diagnostic") {
  AxmlBuilder b;
  const int depth = static_cast<int>(limits::kMaxAxmlDepth) + 50;
  for (int i = 0; i < depth; ++i) b.start("e");
  b.text("deep");
  for (int i = 0; i < depth; ++i) b.end("e");
  b.start("after");  // a second root after the deep one is still seen at top level
  b.end("after");
  Diagnostics d;
  auto doc = decode(b.build(), &d);
  REQUIRE(doc.ok());
  CHECK(std::count_if(d.begin(), d.end(), [](const Diagnostic& x) { return x.code == "axml-depth-limit"; }) == 1);
  int levels = 0;
  for (const tinyxml2::XMLElement* e = doc->root(); e; e = e->FirstChildElement("e")) ++levels;
  CHECK(levels == static_cast<int>(limits::kMaxAxmlDepth));
  CHECK(has_code(d, "axml-multiple-roots"));
  CHECK_FALSE(has_code(d, "axml-end-element-mismatch"));
}

TEST_CASE("axml: truncated at every byte never crashes and never reads past the end") {
  for (bool utf8 : {true, false}) {
    AxmlBuilder m = AxmlBuilder::small_manifest();
    m.utf8 = utf8;
    const auto good = m.build();
    int ok = 0;
    for (size_t n = 0; n < good.size(); ++n) {
      // A fresh allocation of exactly n bytes so ASan sees any overread.
      std::vector<uint8_t> cut(good.begin(), good.begin() + n);
      Diagnostics d;
      auto doc = decode_axml(ByteSpan(cut.data(), cut.size()), "t", nullptr, &d);
      ok += doc.ok();
      // Also with the size field patched to the truncated length (a "consistent" short file).
      if (n >= 8) {
        test::set32(cut, 4, static_cast<uint32_t>(n));
        auto doc2 = decode_axml(ByteSpan(cut.data(), cut.size()), "t", nullptr, &d);
        (void)doc2;
      }
    }
    CHECK(ok == 0);  // the header's size field does not match any truncated length
  }
}

TEST_CASE("axml: every single-byte flip of a small document decodes or errors cleanly") {
  const auto good = AxmlBuilder::small_manifest().build();
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t x : {0x01, 0x80, 0xff}) {
      auto b = good;
      b[i] ^= x;
      Diagnostics d;
      auto doc = decode(b, &d);
      if (doc.ok()) CHECK(doc->root() != nullptr);
    }
  }
}
