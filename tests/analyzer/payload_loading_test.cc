// Code loaded at run time (issue 10): payloads joined to their loader calls, their code analysed
// with the app's (SDKs, rules, flows), encrypted payloads next to a loader make the verdict
// "cannot verify". On the fixtures built from smali: payload-dexloader (assets/plugin.dex loaded
// by DexClassLoader; its code sends the device id), payload-adjar (an ad SDK only in an asset
// jar), payload-encrypted (random bytes loaded by a stub), clean.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "analyzer/app/scan.h"
#include "analyzer/payload/code_loaders.h"
#include "analyzer/report/gate.h"
#include "support.h"

using namespace apkwarden;

namespace {

const report::Report& scan_fixture(const std::string& name) {
  static std::map<std::string, report::Report> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  auto r = scan_app(test::fixture_path(name + ".apk"), ScanOptions{"test"});
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return cache.emplace(name, std::move(r.value())).first->second;
}

std::vector<const report::Finding*> findings_of(const report::Report& r, std::string_view rule) {
  std::vector<const report::Finding*> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

bool any_evidence(const report::Finding& f, std::string_view text) {
  return std::any_of(f.evidence.begin(), f.evidence.end(), [&](const std::string& e) { return e.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("payloads: a dex in assets is linked to the DexClassLoader call that loads it") {
  const report::Report& r = scan_fixture("payload-dexloader");
  REQUIRE(r.payloads.size() == 1);
  CHECK(r.payloads[0].path == "assets/plugin.dex");
  CHECK(r.payloads[0].loaded_by == "com.apkwarden.fixture.dexloader.MainActivity.onCreate(android.os.Bundle)");

  // The payload's code is analysed with the app's: the device id it reads reaches the network.
  REQUIRE(!r.flows.empty());
  const auto flow = std::find_if(r.flows.begin(), r.flows.end(),
                                 [](const report::Flow& f) { return f.source.location.dex == "assets/plugin.dex"; });
  REQUIRE(flow != r.flows.end());
  CHECK(flow->source.location.class_name == "com.apkwarden.plugin.Collector");
  CHECK(flow->source.api.find("getDeviceId") != std::string::npos);
  CHECK((flow->sink.kind == "network" || flow->sink.kind == "stream"));  // the connection's output stream

  const auto collects = findings_of(r, "runtime-code-collects-data");
  REQUIRE(collects.size() == 1);
  CHECK(collects[0]->location.dex == "assets/plugin.dex");
  CHECK(collects[0]->severity == report::Severity::kHigh);
  CHECK(any_evidence(*collects[0], "in code loaded at run time from assets/plugin.dex"));
  CHECK(findings_of(r, "dynamic-code-loading").size() == 1);
  CHECK(findings_of(r, "runtime-code-network").size() == 1);
  CHECK(r.find_rule("runtime-code-collects-data") != nullptr);  // metadata for SARIF / HTML
  CHECK(std::string(report::evaluate_gate(r).name()) == "pass");
}

TEST_CASE("payloads: an ad SDK shipped only in an asset jar is found in the run-time code") {
  const report::Report& r = scan_fixture("payload-adjar");
  REQUIRE(r.payloads.size() == 1);
  CHECK(r.payloads[0].kind == "jar");
  CHECK(r.payloads[0].loaded_by.empty());  // nothing in the installed code names the jar
  const auto ads = findings_of(r, "runtime-code-ad-sdk");
  REQUIRE(ads.size() == 1);
  CHECK(ads[0]->sdk == "tencent-gdt");
  CHECK(ads[0]->location.dex == "assets/gdt_plugin/gdtadv2.jar!classes.dex");
  CHECK(findings_of(r, "dynamic-code-loading").empty());
  REQUIRE(r.sdks.size() == 1);
  const auto& ev = r.sdks[0].evidence;
  CHECK(std::find(ev.begin(), ev.end(), "code loaded at run time from assets/gdt_plugin/gdtadv2.jar!classes.dex") != ev.end());
}

TEST_CASE("payloads: an encrypted asset loaded by a stub makes the verdict cannot-verify") {
  report::Report r = scan_fixture("payload-encrypted");
  REQUIRE(r.payloads.size() == 1);
  CHECK(r.payloads[0].kind == "high-entropy");
  CHECK(r.payloads[0].loaded_by == "com.apkwarden.fixture.encrypted.MainActivity.onCreate(android.os.Bundle)");
  const auto enc = findings_of(r, "encrypted-code-payload");
  REQUIRE(enc.size() == 1);
  CHECK(enc[0]->category == "packer");
  CHECK(enc[0]->confidence == "high");
  CHECK(enc[0]->location.path == "assets/ijm_lib.dat");
  CHECK(any_evidence(*enc[0], "named by com.apkwarden.fixture.encrypted.MainActivity.onCreate"));

  // Never a clean pass: cannot-verify without a threshold, failing at any threshold.
  report::GateVerdict v = report::evaluate_gate(r);
  CHECK(v.cannot_verify);
  CHECK(std::string(v.name()) == "cannot-verify");
  CHECK_FALSE(v.failed());
  r.fail_on = report::Severity::kCritical;
  v = report::evaluate_gate(r);
  CHECK(v.failed());
  CHECK(v.failing == 0);
}

TEST_CASE("payloads: an app without payloads or loaders gets none of these findings") {
  const report::Report& r = scan_fixture("clean");
  CHECK(r.payloads.empty());
  for (const char* rule : {"dynamic-code-loading", "runtime-code-ad-sdk", "runtime-code-network",
                           "runtime-code-collects-data", "encrypted-code-payload"})
    CHECK(findings_of(r, rule).empty());
  CHECK(std::string(report::evaluate_gate(r).name()) == "pass");
}

TEST_CASE("code loaders table: the builtin one parses; a bad line is named") {
  const auto& builtin = payload::builtin_code_loaders();
  REQUIRE(builtin.ok());
  CHECK(builtin->size() >= 10);
  CHECK(std::any_of(builtin->begin(), builtin->end(), [](const payload::CodeLoaderApi& a) {
    return a.class_name == "dalvik.system.DexClassLoader" && a.method == "<init>" && !a.native;
  }));
  auto bad = payload::parse_code_loaders("# c\nclass\tmethod\tkind\na.B\tload\tdex\nx.Y\tz\tmaybe\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("code_loaders.tsv:4") != std::string::npos);
}
