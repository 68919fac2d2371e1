// resources.arsc of real apps (and the Android framework itself) against `aapt dump resources`:
// every resource name, and the default-configuration value of every simple entry.
#include <doctest/doctest.h>

#include <chrono>
#include <map>
#include <sstream>

#include "analyzer/apk/resource_table.h"
#include "apk/aapt_dump.h"
#include "support.h"

using namespace apkwarden;
using namespace apkwarden::apk;

namespace {

struct AaptResource {
  std::string name;                 // "string/app_name" (package prefix removed)
  bool is_bag = false;
  std::optional<ResValue> first, def;  // value in the first listed config / the "(default)" config
};

// `aapt dump resources`: "spec resource 0xID pkg:type/name: ..." and, under "config X:",
// "resource 0xID pkg:type/name: t=0xTT d=0xDDDDDDDD ..." or "... : <bag>".
std::map<uint32_t, AaptResource> parse_aapt_resources(const std::string& text) {
  std::map<uint32_t, AaptResource> out;
  std::istringstream in(text);
  std::string line;
  bool in_default = false;
  while (std::getline(in, line)) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    std::string body = line.substr(start);
    if (body.rfind("config ", 0) == 0) {
      in_default = body == "config (default):";
      continue;
    }
    const bool spec = body.rfind("spec resource 0x", 0) == 0;
    if (!spec && body.rfind("resource 0x", 0) != 0) continue;
    const size_t id_at = body.find("0x");
    const uint32_t id = static_cast<uint32_t>(std::stoul(body.substr(id_at + 2, 8), nullptr, 16));
    const size_t name_at = id_at + 11;
    const size_t colon = body.find(':', name_at);            // after the package
    const size_t end = body.find(": ", colon + 1);
    if (colon == std::string::npos || end == std::string::npos) continue;
    AaptResource& r = out[id];
    if (spec) {
      r.name = body.substr(colon + 1, end - colon - 1);
      continue;
    }
    const std::string rest = body.substr(end + 2);
    if (rest.rfind("<bag>", 0) == 0) {
      r.is_bag = true;
      continue;
    }
    if (rest.rfind("t=0x", 0) != 0) continue;
    ResValue v;
    v.type = static_cast<uint8_t>(std::stoul(rest.substr(4, 2), nullptr, 16));
    v.data = static_cast<uint32_t>(std::stoul(rest.substr(rest.find("d=0x") + 4, 8), nullptr, 16));
    if (!r.first) r.first = v;
    if (in_default && !r.def) r.def = v;
  }
  return out;
}

}  // namespace

TEST_CASE("resource_table real: names and default values match aapt dump resources") {
  if (!test::have_tool("aapt") || !test::have_tool("unzip")) {
    MESSAGE("aapt/unzip not installed; skipped");
    return;
  }
  std::vector<std::string> apks = test::files_under(test::shared_path("corpus/real/apk"), ".apk");
  auto more = test::files_under(test::shared_path("droidbench/apk"), ".apk");
  apks.insert(apks.end(), more.begin(), more.end());
  apks.push_back("/usr/share/android-framework-res/framework-res.apk");
  size_t tables = 0, names = 0, values = 0, bags = 0;
  double parse_ms = 0;
  for (const std::string& apk : apks) {
    CAPTURE(apk);
    auto arsc = test::unzip_entry(apk, "resources.arsc");
    auto dump = test::run_command("aapt dump resources " + test::sh_quote(apk) + " 2>/dev/null");
    if (!arsc || !dump) continue;
    Diagnostics d;
    const auto t0 = std::chrono::steady_clock::now();
    auto table = ResourceTable::parse(ByteSpan(*arsc), "resources.arsc", &d);
    parse_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(table.ok());
    CHECK(d.empty());
    ++tables;
    for (const auto& [id, want] : parse_aapt_resources(*dump)) {
      CAPTURE(id);
      if (!want.name.empty()) {
        auto got = table->name(id);
        REQUIRE(got);
        const size_t colon = got->find(':');
        CHECK((colon == std::string::npos ? *got : got->substr(colon + 1)) == want.name);
        ++names;
      }
      auto e = table->entry(id);
      if (want.is_bag) {
        REQUIRE(e);
        CHECK(e->complex);
        ++bags;
      } else if (auto v = want.def ? want.def : want.first) {
        REQUIRE(e);
        CHECK_FALSE(e->complex);
        CHECK(e->value == *v);
        ++values;
      }
    }
  }
  MESSAGE("aapt resources cross-check: " << tables << " tables, " << names << " names, " << values
          << " simple values, " << bags << " bags; parse total " << parse_ms << " ms");
  CHECK(tables > 0);
}
