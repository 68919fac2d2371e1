// Every builtin rule against the fixtures it names: each positive fixture must produce at least
// one finding of the rule, each negative fixture none. A named fixture that does not exist fails.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "analyzer/app/scan.h"
#include "signatures/rule_set.h"
#include "support.h"

using namespace apkwarden;

namespace {

// Fixture name -> report, scanned once for all rules.
const report::Report& scanned(const std::string& name) {
  static std::map<std::string, report::Report> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  const std::string path = test::fixture_path(name + ".apk");
  REQUIRE_MESSAGE(std::filesystem::exists(path), "fixture named by a rule is missing: " << path);
  auto r = scan_app(path, ScanOptions{"test"});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return cache.emplace(name, std::move(r.value())).first->second;
}

size_t findings_of(const report::Report& r, const std::string& rule) {
  size_t n = 0;
  for (const auto& f : r.findings) n += f.rule == rule;
  return n;
}

}  // namespace

TEST_CASE("every builtin rule fires on its positive fixtures and not on its negative ones") {
  auto set = signatures::builtin_rule_set();
  REQUIRE(set.ok());
  size_t checked = 0;
  for (const signatures::Rule& rule : (*set)->rules()) {
    CAPTURE(rule.id);
    for (const auto& fx : rule.positive_fixtures) {
      CAPTURE(fx);
      CHECK(findings_of(scanned(fx), rule.id) > 0);
      ++checked;
    }
    for (const auto& fx : rule.negative_fixtures) {
      CAPTURE(fx);
      CHECK(findings_of(scanned(fx), rule.id) == 0);
      ++checked;
    }
  }
  CHECK(checked >= 2 * (*set)->size());
}

TEST_CASE("manifest rule findings: locations, evidence and metadata") {
  const report::Report& r = scanned("rule-manifest-risky");
  std::map<std::string, std::vector<const report::Finding*>> by_rule;
  for (const auto& f : r.findings) by_rule[f.rule].push_back(&f);

  REQUIRE(by_rule["manifest-debuggable"].size() == 1);
  const report::Finding& dbg = *by_rule["manifest-debuggable"][0];
  CHECK(dbg.location.kind == report::Location::Kind::kManifest);
  CHECK(dbg.location.element == "application");
  CHECK(dbg.severity == report::Severity::kHigh);
  CHECK(dbg.category == "insecure-config");
  CHECK(!dbg.sdk);

  // One finding per unprotected exported component; the permission-guarded one is not reported.
  std::vector<std::string> exported;
  for (const auto* f : by_rule["manifest-exported-unprotected"]) exported.push_back(f->location.name);
  CHECK(exported == std::vector<std::string>{"com.apkwarden.fixture.risky.OpenProvider",
                                             "com.apkwarden.fixture.risky.SyncService"});

  REQUIRE(by_rule["self-start-boot-receiver"].size() == 1);
  const report::Finding& boot = *by_rule["self-start-boot-receiver"][0];
  CHECK(boot.location.element == "receiver");
  CHECK(boot.location.name == "com.apkwarden.fixture.risky.BootReceiver");
  REQUIRE(!boot.evidence.empty());
  CHECK(boot.evidence[0].find("BOOT_COMPLETED") != std::string::npos);
  CHECK(!boot.regulation.empty());

  // targetSdk 16 without the attribute: cleartext is Android's default, and all three facts show.
  const report::Report& old = scanned("manifest-oldsdk");
  for (const auto& f : old.findings)
    if (f.rule == "manifest-cleartext-traffic") CHECK(f.evidence.size() == 3);
}

TEST_CASE("SDKs: present and reachable with evidence") {
  const report::Report& ex = scanned("example");
  REQUIRE(ex.sdks.size() >= 1);
  const report::SdkHit* gdt = nullptr;
  for (const auto& s : ex.sdks)
    if (s.id == "tencent-gdt") gdt = &s;
  REQUIRE(gdt);
  CHECK(gdt->present);
  CHECK(gdt->reachable);
  CHECK(gdt->country == "CN");
  CHECK(gdt->category == "ads");
  bool called_from_splash = false;
  for (const auto& e : gdt->evidence) called_from_splash |= e.find("called from com.apkwarden.example.news.SplashActivity.onCreate") == 0;
  CHECK(called_from_splash);

  CHECK(scanned("clean").sdks.empty());
  // The GDT stand-in is only inside an asset jar: not loaded by Android, so not present.
  CHECK(scanned("payload-adjar").sdks.empty());
}
