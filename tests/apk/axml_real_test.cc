// Cross-check against aapt on every real APK of the shared corpus and DroidBench: the decoded
// manifest must have aapt's elements and attributes, and the label resolved through
// resources.arsc must be aapt's application-label.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>

#include "analyzer/apk/axml.h"
#include "analyzer/apk/resource_table.h"
#include "apk/aapt_dump.h"
#include "support.h"

using namespace apkwarden;
using namespace apkwarden::apk;

namespace {

std::vector<std::string> corpus_apks() {
  std::vector<std::string> apks = test::files_under(test::shared_path("corpus/real/apk"), ".apk");
  auto more = test::files_under(test::shared_path("droidbench/apk"), ".apk");
  apks.insert(apks.end(), more.begin(), more.end());
  return apks;
}

std::string local(const std::string& name) {
  const size_t colon = name.rfind(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

struct Flat {
  const tinyxml2::XMLElement* el;
  int depth;
};

void flatten(const tinyxml2::XMLElement* el, int depth, std::vector<Flat>& out) {
  for (; el; el = el->NextSiblingElement()) {
    out.push_back({el, depth});
    flatten(el->FirstChildElement(), depth + 1, out);
  }
}

}  // namespace

TEST_CASE("axml real: every corpus manifest matches aapt dump xmltree") {
  if (!test::have_tool("aapt") || !test::have_tool("unzip")) {
    MESSAGE("aapt/unzip not installed; skipped");
    return;
  }
  auto apks = corpus_apks();
  apks.push_back("/usr/share/android-framework-res/framework-res.apk");  // 2,000+ elements; skipped if absent
  if (apks.size() == 1) {
    MESSAGE("no corpus APKs under " << test::shared_path(""));
    return;
  }
  size_t files = 0, elements = 0, attributes = 0, values = 0;
  double decode_ms = 0;
  for (const std::string& apk : apks) {
    CAPTURE(apk);
    auto manifest = test::unzip_entry(apk, "AndroidManifest.xml");
    auto dump = test::run_command("aapt dump xmltree " + test::sh_quote(apk) + " AndroidManifest.xml 2>/dev/null");
    if (!manifest || !dump) continue;  // aapt itself refuses it: nothing to compare with
    auto arsc = test::unzip_entry(apk, "resources.arsc");
    std::optional<ResourceTable> table;
    Diagnostics diags;
    if (arsc) {
      auto t = ResourceTable::parse(ByteSpan(*arsc), "resources.arsc", &diags);
      if (t) table = std::move(*t);
    }
    const auto t0 = std::chrono::steady_clock::now();
    auto doc = decode_axml(ByteSpan(*manifest), "AndroidManifest.xml", table ? &*table : nullptr, &diags);
    decode_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(doc.ok());
    CHECK(diags.empty());
    ++files;
    const auto expected = test::parse_aapt_xmltree(*dump);
    std::vector<Flat> ours;
    flatten(doc->root(), 0, ours);
    REQUIRE(ours.size() == expected.size());
    for (size_t i = 0; i < ours.size(); ++i) {
      const auto& e = expected[i];
      CAPTURE(i);
      CHECK(local(ours[i].el->Name()) == local(e.name));
      CHECK((e.depth - expected[0].depth) / 2 == ours[i].depth);
      const AxmlElementInfo* info = doc->info(ours[i].el);
      REQUIRE(info);
      REQUIRE(info->attributes.size() == e.attrs.size());
      ++elements;
      for (size_t k = 0; k < e.attrs.size(); ++k) {
        const test::AaptAttr& want = e.attrs[k];
        const AxmlAttribute& got = info->attributes[k];
        CAPTURE(want.name);
        CHECK(got.name == want.name);
        CHECK(got.resource_id == want.id);
        ++attributes;
        const char* text = ours[i].el->Attribute(got.name.c_str());
        switch (want.kind) {
          case test::AaptAttr::kString:
            REQUIRE(text);
            CHECK(std::string(text) == want.str);
            ++values;
            break;
          case test::AaptAttr::kTyped:
            CHECK(got.value.type == want.type);
            CHECK(got.value.data == want.data);
            ++values;
            break;
          case test::AaptAttr::kReference:
          case test::AaptAttr::kAttrRef:
            CHECK(got.value.data == want.data);
            CHECK((want.kind == test::AaptAttr::kReference ? got.value.is_reference() : got.value.is_attribute()));
            ++values;
            break;
          case test::AaptAttr::kOther: break;
        }
      }
    }
  }
  MESSAGE("aapt xmltree cross-check: " << files << " manifests, " << elements << " elements, "
          << attributes << " attributes, " << values << " values compared; decode total " << decode_ms << " ms");
  CHECK(files > 0);
}

TEST_CASE("resource_table real: the manifest label resolves to aapt's application-label") {
  if (!test::have_tool("aapt") || !test::have_tool("unzip")) {
    MESSAGE("aapt/unzip not installed; skipped");
    return;
  }
  size_t compared = 0, tables = 0;
  for (const std::string& apk : corpus_apks()) {
    CAPTURE(apk);
    auto manifest = test::unzip_entry(apk, "AndroidManifest.xml");
    auto arsc = test::unzip_entry(apk, "resources.arsc");
    if (!manifest || !arsc) continue;
    Diagnostics diags;
    auto table = ResourceTable::parse(ByteSpan(*arsc), "resources.arsc", &diags);
    REQUIRE(table.ok());
    ++tables;
    auto doc = decode_axml(ByteSpan(*manifest), "AndroidManifest.xml", &*table, &diags);
    REQUIRE(doc.ok());
    const tinyxml2::XMLElement* app = doc->root()->FirstChildElement("application");
    const AxmlAttribute* label = app ? doc->attribute_by_id(app, 0x01010001) : nullptr;
    auto badging = test::run_command("aapt dump badging " + test::sh_quote(apk) + " 2>/dev/null");
    auto want = badging ? test::aapt_application_label(*badging) : std::nullopt;
    if (!label || !want) continue;
    std::optional<std::string> got;
    if (label->value.type == value_type::kString) got = app->Attribute(label->name.c_str());
    else if (label->value.is_reference()) got = table->string_value(label->value.data);
    CHECK(got == want);
    // The rendered attribute names the reference the way aapt's resource dump does.
    if (label->value.is_reference()) CHECK(std::string(app->Attribute(label->name.c_str())).rfind("@string/", 0) == 0);
    ++compared;
  }
  MESSAGE("application-label cross-check: " << compared << " labels in " << tables << " resource tables");
  CHECK(compared > 0);
}
