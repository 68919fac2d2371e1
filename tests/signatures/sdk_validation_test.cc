// Each kind of mistake in an SDK data file is reported at its file:line. One known-good file
// plus one mutation per case (STYLE.md principle 12).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "signatures/sdk_catalog.h"

using namespace apkwarden::signatures;

namespace {

// Line numbers: <?xml is line 1, <sdks> line 2, <sdk> line 3, the children 4.. .
const std::string kGood = R"(<?xml version="1.0"?>
<sdks version="1">
  <sdk id="test-ads" name="Test Ads" vendor="Test Co" country="CN" category="ads" website="https://example.com/">
    <class-prefix>com.test.ads.</class-prefix>
    <manifest-component>com.test.ads.AdActivity</manifest-component>
    <native-lib>libtestads.so</native-lib>
    <collects>device-id</collects>
    <privacy-switch class="com.test.ads.Settings" method="setAgree"/>
    <ad-api kind="splash" class="com.test.ads.Splash" method="show"/>
  </sdk>
</sdks>
)";

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return s.replace(at, from.size(), to);
}

// The issues of one file, as "file:line: message" strings.
std::vector<std::string> issues_of(const std::string& xml) {
  SdkCatalogBuilder b;
  b.add_xml("t.xml", xml);
  std::vector<std::string> out;
  for (const auto& i : b.issues()) out.push_back(i.to_string());
  if (out.empty()) {
    auto r = std::move(b).build();
    if (!r) out.push_back(r.error().message);
  }
  return out;
}

// Exactly one issue, at `line`, whose message contains `text`.
void expect_issue(const std::string& xml, int line, const std::string& text) {
  const auto issues = issues_of(xml);
  REQUIRE_MESSAGE(issues.size() == 1, (issues.empty() ? std::string("no issue") : issues[0]));
  const std::string want = line > 0 ? "t.xml:" + std::to_string(line) + ": " : "t.xml: ";
  CHECK_MESSAGE(issues[0].starts_with(want), issues[0]);
  CHECK_MESSAGE(issues[0].find(text) != std::string::npos, issues[0]);
}

}  // namespace

TEST_CASE("sdk validation: the known-good file has no issues and builds") {
  CHECK(issues_of(kGood).empty());
  SdkCatalogBuilder b;
  b.add_xml("t.xml", kGood);
  auto r = std::move(b).build();
  REQUIRE(r.ok());
  const Sdk* s = (*r)->find("test-ads");
  REQUIRE(s);
  CHECK(s->source == "t.xml:3");
  CHECK(s->origin == SdkOrigin::kUser);
  CHECK(s->website == "https://example.com/");
  CHECK(s->collects == std::vector<std::string>{"device-id"});
  REQUIRE(s->ad_apis.size() == 1);
  CHECK(s->ad_apis[0].kind == "splash");
  CHECK((*r)->match_class("Lcom/test/ads/Splash;") == s);
  CHECK((*r)->match_native_lib("libtestads.so") == s);
  CHECK((*r)->match_component("com.test.ads.AdActivity") == s);
}

TEST_CASE("sdk validation: XML that is not well-formed reports the parser's line") {
  expect_issue(replace(kGood, "<collects>device-id</collects>", "<collects>device-id</collect>"), 7, "not well-formed");
  expect_issue("", 0, "not well-formed");
}

TEST_CASE("sdk validation: wrong root, unknown elements and attributes") {
  expect_issue(replace(replace(kGood, "<sdks version", "<sdkz version"), "</sdks>", "</sdkz>"), 2, "root element");
  expect_issue(replace(kGood, "<sdks version=\"1\">", "<sdks>"), 2, "'version'");
  expect_issue(replace(kGood, "<sdks version=\"1\">", "<sdks version=\"1\" extra=\"x\">"), 2, "unknown attribute 'extra'");
  expect_issue(replace(kGood, "  </sdk>\n", "  </sdk>\n  <library/>\n"), 11, "unknown element <library>");
  expect_issue(replace(replace(kGood, "<native-lib>", "<nativelib>"), "</native-lib>", "</nativelib>"), 6, "unknown element <nativelib>");
  expect_issue(replace(kGood, "category=\"ads\"", "category=\"ads\" colour=\"red\""), 3, "unknown attribute 'colour'");
  expect_issue(replace(kGood, "<class-prefix>", "<class-prefix kind=\"x\">"), 4, "unknown attribute 'kind'");
  expect_issue(replace(kGood, "method=\"setAgree\"", "method=\"setAgree\" static=\"true\""), 8, "unknown attribute 'static'");
}

TEST_CASE("sdk validation: missing required attributes") {
  for (const char* attr : {"id", "name", "vendor", "country", "category"}) {
    const std::string xml = [&] {
      std::string x = kGood;
      const std::string key = std::string(" ") + attr + "=\"";
      const size_t at = x.find(key);
      const size_t end = x.find('"', at + key.size());
      return x.erase(at, end + 1 - at);
    }();
    expect_issue(xml, 3, std::string("'") + attr + "' attribute");
  }
  expect_issue(replace(kGood, "name=\"Test Ads\"", "name=\"  \""), 3, "'name' attribute");
  expect_issue(replace(kGood, " method=\"setAgree\"", ""), 8, "'method' attribute");
  expect_issue(replace(kGood, "kind=\"splash\" ", ""), 9, "'kind' attribute");
}

TEST_CASE("sdk validation: bad ids, countries, categories, data types, ad kinds, websites") {
  expect_issue(replace(kGood, "id=\"test-ads\"", "id=\"Test_Ads\""), 3, "not kebab-case");
  expect_issue(replace(kGood, "id=\"test-ads\"", "id=\"test--ads\""), 3, "not kebab-case");
  expect_issue(replace(kGood, "country=\"CN\"", "country=\"China\""), 3, "two capital letters");
  expect_issue(replace(kGood, "country=\"CN\"", "country=\"cn\""), 3, "two capital letters");
  expect_issue(replace(kGood, "country=\"CN\"", "country=\"XX\""), 3, "not an assigned");
  expect_issue(replace(kGood, "country=\"CN\"", "country=\"UK\""), 3, "not an assigned");  // GB is the code
  expect_issue(replace(kGood, "category=\"ads\"", "category=\"adware\""), 3, "unknown category 'adware'");
  expect_issue(replace(kGood, "<collects>device-id</collects>", "<collects>imei</collects>"), 7, "unknown data type 'imei'");
  expect_issue(replace(kGood, "<collects>device-id</collects>", "<collects>device-id</collects><collects>device-id</collects>"), 7,
               "duplicate <collects>");
  expect_issue(replace(kGood, "kind=\"splash\"", "kind=\"popup\""), 9, "unknown ad kind 'popup'");
  expect_issue(replace(kGood, "https://example.com/", "example.com"), 3, "not an http(s) URL");
}

TEST_CASE("sdk validation: class prefixes must be dotted Java names ending in '.'") {
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix>com.test.ads</class-prefix>"), 4,
               "end in '.'");
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix>com.test ads.</class-prefix>"), 4,
               "no spaces or slashes");
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix>Lcom/test/ads/</class-prefix>"), 4,
               "no spaces or slashes");
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix>com..ads.</class-prefix>"), 4,
               "class prefix");
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix></class-prefix>"), 4,
               "empty <class-prefix>");
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix>com.<b/>x.</class-prefix>"), 4,
               "holds only text");
  expect_issue(replace(kGood, "<native-lib>libtestads.so</native-lib>", "<native-lib>lib/x86/libtestads.so</native-lib>"), 6,
               "ending in .so");
  expect_issue(replace(kGood, "com.test.ads.AdActivity", "com.test.ads.Ad Activity"), 5, "not a dotted class name");
  expect_issue(replace(kGood, "method=\"show\"", "method=\"show()\""), 9, "not a Java identifier");
}

TEST_CASE("sdk validation: an SDK needs a prefix or a native library") {
  std::string x = replace(kGood, "    <class-prefix>com.test.ads.</class-prefix>\n", "");
  x = replace(x, "    <native-lib>libtestads.so</native-lib>\n", "");
  expect_issue(x, 3, "at least one <class-prefix>");
}

TEST_CASE("sdk validation: duplicates across files name both places") {
  const std::string other = replace(replace(replace(kGood, "com.test.ads.AdActivity", "com.other.AdActivity"),
                                            "libtestads.so", "libother.so"),
                                    "<class-prefix>com.test.ads.</class-prefix>", "<class-prefix>com.other.</class-prefix>");
  {
    SdkCatalogBuilder b;
    b.add_xml("a.xml", kGood);
    b.add_xml("b.xml", other);
    auto r = std::move(b).build();
    REQUIRE_FALSE(r.ok());
    CHECK_MESSAGE(r.error().message.find("b.xml:3: duplicate id 'test-ads' (first defined at a.xml:3)") != std::string::npos,
                  r.error().message);
  }
  {
    SdkCatalogBuilder b;
    b.add_xml("a.xml", kGood);
    b.add_xml("b.xml", replace(kGood, "id=\"test-ads\"", "id=\"test-ads-2\""));
    auto r = std::move(b).build();
    REQUIRE_FALSE(r.ok());
    const std::string& m = r.error().message;
    CHECK_MESSAGE(m.find("b.xml:3: class prefix 'com.test.ads.' of 'test-ads-2' is already claimed by 'test-ads' (a.xml:3)") !=
                      std::string::npos, m);
    CHECK(m.find("manifest component 'com.test.ads.AdActivity'") != std::string::npos);
    CHECK(m.find("native library 'libtestads.so'") != std::string::npos);
  }
  expect_issue(replace(kGood, "<class-prefix>com.test.ads.</class-prefix>",
                       "<class-prefix>com.test.ads.</class-prefix>\n<class-prefix>com.test.ads.</class-prefix>"),
               5, "duplicate class prefix");
}

TEST_CASE("sdk validation: a directory of extra files is read in name order, errors name the path") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("apkwarden-sdk-dir-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "b.xml") << replace(kGood, "country=\"CN\"", "country=\"ZZ\"");
  std::ofstream(dir / "a.xml") << kGood;
  std::ofstream(dir / "notes.txt") << "ignored";
  SdkCatalogBuilder b;
  b.add_directory(dir);
  REQUIRE(b.issues().size() == 1);
  CHECK(b.issues()[0].file == (dir / "b.xml").string());
  CHECK(b.issues()[0].line == 3);
  SdkCatalogBuilder ok;
  fs::remove(dir / "b.xml");
  ok.add_embedded();
  ok.add_directory(dir);
  auto r = std::move(ok).build();
  REQUIRE(r.ok());
  CHECK((*r)->find("test-ads")->origin == SdkOrigin::kUser);
  SdkCatalogBuilder missing;
  missing.add_directory(dir / "nope");
  CHECK(missing.issues().size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("sdk validation: garbage and mutated files never crash") {
  // Every single-byte truncation of the good file gives issues or a clean parse, never a crash.
  for (size_t n = 0; n < kGood.size(); ++n) {
    SdkCatalogBuilder b;
    b.add_xml("t.xml", std::string_view(kGood).substr(0, n));
    (void)std::move(b).build();
  }
  const std::string garbage = "\x01\xff<sdks><<<&&&;\0\0";
  CHECK_FALSE(issues_of(garbage).empty());
}
