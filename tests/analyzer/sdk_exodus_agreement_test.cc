// Acceptance (issue #4): on DroidBench and the real APKs, the SDK list of a scan with the Exodus
// list imported agrees with what the Exodus list finds by itself: every tracker whose
// code_signature matches a class of the app (an unanchored regex search over dotted class
// names, as Exodus does) is reported, as its exodus-<n> entry or as one of our SDKs covering the
// same classes; and every exodus-<n> entry we report is one that Exodus finds.
#include <doctest/doctest.h>

#include <re2/re2.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/app_code.h"
#include "analyzer/app/scan.h"
#include "dex/descriptor.h"
#include "signatures/exodus_import.h"
#include "signatures/sdk_catalog.h"
#include "support.h"

using namespace apkwarden;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Dotted names of every class the app defines.
std::vector<std::string> app_classes(const std::string& path) {
  Diagnostics diags;
  auto file = apk::ApkFile::open_path(path, &diags);
  REQUIRE(file.ok());
  AppCode code = load_app_code(*file, LoadCodeOptions{}, &diags);
  std::vector<std::string> out;
  for (const auto& dex : code.dex_files)
    for (uint32_t i = 0; i < dex.class_defs_size(); ++i)
      if (auto def = dex.class_def(dex::ClassDefIdx(i))) out.push_back(dex::descriptor_to_java(dex.class_descriptor(*def)));
  return out;
}

}  // namespace

TEST_CASE("SDKs found agree with the imported Exodus list on DroidBench and the real APKs") {
  const std::string json_path = test::shared_path("reference/exodus_trackers.json");
  if (!std::filesystem::exists(json_path)) {
    MESSAGE("skipped: " << json_path << " missing");
    return;
  }
  const std::string json = read_text(json_path);
  auto trackers = signatures::parse_exodus_trackers(json);
  REQUIRE(trackers.ok());
  signatures::SdkCatalogOptions opt;
  opt.exodus_json = json_path;
  auto catalog = signatures::load_sdk_catalog(opt);
  REQUIRE(catalog.ok());

  // Each tracker's signature as Exodus uses it: one regex, searched anywhere in the name.
  std::vector<std::pair<std::string, std::unique_ptr<re2::RE2>>> signatures;
  for (const auto& t : *trackers) {
    if (t.code_signature.empty()) continue;
    auto re = std::make_unique<re2::RE2>(t.code_signature, re2::RE2::Quiet);
    if (re->ok()) signatures.emplace_back("exodus-" + t.key, std::move(re));
  }
  REQUIRE(signatures.size() > 300);

  std::vector<std::string> apks = test::files_under(test::shared_path("droidbench/apk"), ".apk");
  for (const auto& p : test::files_under(test::shared_path("corpus/real/apk"), ".apk")) apks.push_back(p);
  REQUIRE(apks.size() >= 100);
  // Our fixtures with SDK stubs, so that the check also covers apps with trackers.
  for (const char* f : {"sdk-mix.apk", "example.apk", "rule-ads.apk"}) apks.push_back(test::fixture_path(f));

  size_t exodus_found_total = 0, apps_with_sdks = 0;
  for (const std::string& path : apks) {
    CAPTURE(path);
    ScanOptions so{"test"};
    so.sdk_catalog = catalog.value();
    auto report = scan_app(path, so);
    REQUIRE(report.ok());
    std::set<std::string> ours;
    for (const auto& s : report->sdks) ours.insert(s.id);
    apps_with_sdks += !ours.empty();

    const std::vector<std::string> classes = app_classes(path);
    std::set<std::string> exodus_found;
    for (const auto& [id, re] : signatures)
      for (const auto& c : classes)
        if (re2::RE2::PartialMatch(c, *re)) {
          exodus_found.insert(id);
          break;
        }
    exodus_found_total += exodus_found.size();

    for (const auto& id : exodus_found) {
      CAPTURE(id);
      const signatures::Sdk* t = (*catalog)->find(id);
      REQUIRE(t);
      bool covered = ours.count(id) > 0;
      for (const auto& alias : t->aliases) covered = covered || ours.count(alias) > 0;
      CHECK_MESSAGE(covered, "Exodus finds " << id << " (" << t->name << ") but the scan does not report it");
    }
    for (const auto& id : ours)
      if (id.starts_with("exodus-")) CHECK_MESSAGE(exodus_found.count(id), id << " reported but Exodus does not find it");
  }
  CHECK(exodus_found_total >= 3);  // meta-audience-network, Bugly, Pangle, FidZup… in sdk-mix
  MESSAGE(apks.size() << " apps, " << exodus_found_total << " Exodus detections, " << apps_with_sdks
                      << " apps with SDKs reported");
}
