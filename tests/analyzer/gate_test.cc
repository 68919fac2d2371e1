// Fingerprints, suppressions, baselines and the --fail-on verdict on hand-built reports.
#include <doctest/doctest.h>

#include "analyzer/report/fingerprint.h"
#include "analyzer/report/gate.h"
#include "analyzer/report/suppressions.h"
#include "analyzer/sample_report.h"

using namespace apkwarden;
using report::Finding;
using report::Severity;

namespace {

const Finding& by_rule(const report::Report& r, std::string_view rule) {
  for (const Finding& f : r.findings)
    if (f.rule == rule) return f;
  FAIL("no finding of rule " << rule);
  return r.findings.front();
}

}  // namespace

TEST_CASE("fingerprints survive a rebuild that moves code, and change with the method") {
  report::Report a = test::sample_report();
  report::Report b = test::sample_report();
  for (Finding& f : b.findings) {  // a rebuild: other pc, other dex file, other line numbers
    f.location.pc += 0x100;
    f.location.dex = "classes3.dex";
    f.location.line = 999;
    f.location.address += 0x40;
  }
  report::assign_fingerprints(b);
  REQUIRE(a.findings.size() == b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    CHECK(a.findings[i].fingerprint.size() == 32);
    CHECK(a.findings[i].fingerprint == b.findings[i].fingerprint);
  }
  std::set<std::string> distinct;
  for (const Finding& f : a.findings) distinct.insert(f.fingerprint);
  CHECK(distinct.size() == a.findings.size());

  report::Report c = test::sample_report();
  for (Finding& f : c.findings)
    if (f.rule == "device-id-to-network") f.location.method = "report2(java.lang.String)";
  report::assign_fingerprints(c);
  CHECK(by_rule(c, "device-id-to-network").fingerprint != by_rule(a, "device-id-to-network").fingerprint);
  CHECK(by_rule(c, "splash-ad-no-skip").fingerprint == by_rule(a, "splash-ad-no-skip").fingerprint);
}

TEST_CASE("two hits of one rule in one method get distinct fingerprints") {
  report::Report r = test::sample_report();
  Finding twin = by_rule(r, "device-id-to-network");
  twin.location.pc = 0x80;
  r.findings.push_back(twin);
  std::sort(r.findings.begin(), r.findings.end());
  report::assign_fingerprints(r);
  std::set<std::string> fps;
  for (const Finding& f : r.findings) fps.insert(f.fingerprint);
  CHECK(fps.size() == r.findings.size());
  CHECK(report::fingerprint_key(twin) == "device-id-to-network||code|com.example.shop.Tracker|report(java.lang.String)");
}

TEST_CASE("the gate counts unsuppressed findings at or above the threshold") {
  report::Report r = test::sample_report();  // critical, high, medium, low, low (suppressed)
  const auto failing_at = [&](std::optional<Severity> s) {
    r.fail_on = s;
    return report::evaluate_gate(r).failing;
  };
  CHECK(failing_at(std::nullopt) == 0);
  CHECK(failing_at(Severity::kCritical) == 1);
  CHECK(failing_at(Severity::kHigh) == 2);
  CHECK(failing_at(Severity::kMedium) == 3);
  CHECK(failing_at(Severity::kLow) == 4);  // the suppressed low finding does not count
  CHECK(report::evaluate_gate(r).suppressed == 1);
  r.fail_on = std::nullopt;
  CHECK(std::string(report::evaluate_gate(r).name()) == "pass");
  r.fail_on = Severity::kHigh;
  CHECK(std::string(report::evaluate_gate(r).name()) == "fail");

  std::optional<Severity> parsed = Severity::kLow;
  CHECK(report::parse_fail_on("none", &parsed));
  CHECK(!parsed);
  CHECK(report::parse_fail_on("critical", &parsed));
  CHECK(parsed == Severity::kCritical);
  CHECK(!report::parse_fail_on("severe", &parsed));
}

TEST_CASE("a written baseline suppresses exactly the findings it lists") {
  report::Report r = test::sample_report();
  const std::string text = report::baseline_text(r);
  CHECK(text.rfind("# apkwarden baseline v1\n", 0) == 0);
  CHECK(text.find("\tdevice-id-to-network\tcom.example.shop.Tracker.report(java.lang.String)\n") != std::string::npos);
  report::Suppressions s;
  auto n = report::parse_baseline(text, "baseline.txt", &s);
  REQUIRE(n.ok());
  CHECK(*n == r.findings.size());
  report::apply_suppressions(s, r);
  for (const Finding& f : r.findings) {
    REQUIRE(f.suppression);
    CHECK(f.suppression->kind == "baseline");
  }
  r.fail_on = Severity::kInfo;
  CHECK(!report::evaluate_gate(r).failed());

  // A new finding after the baseline was written still fails the gate.
  Finding fresh = by_rule(r, "native-anti-debug");
  fresh.location.symbol = "Java_com_example_check";
  fresh.suppression.reset();
  r.findings.push_back(fresh);
  report::assign_fingerprints(r);
  report::apply_suppressions(s, r);
  CHECK(report::evaluate_gate(r).failing == 1);
}

TEST_CASE("suppression entries match rules, SDKs and fingerprints, and need a reason") {
  report::Report r = test::sample_report();
  report::Suppressions s;
  const std::string fp = by_rule(r, "native-anti-debug").fingerprint;
  const std::string file = "# reviewed 2026-11\n\nrule manifest-debuggable  QA build only (REL-9)\nsdk com.qq.e\tVendor fix due\n"
                           "fingerprint " + fp + " false positive, APP-77\n";
  auto n = report::parse_suppression_file(file, "supp.txt", &s);
  REQUIRE(n.ok());
  CHECK(*n == 3);
  s.entries.push_back(report::command_line_suppression("device-id-to-network"));
  report::apply_suppressions(s, r);
  CHECK(by_rule(r, "manifest-debuggable").suppression == report::Suppression{"rule", "QA build only (REL-9)"});
  CHECK(by_rule(r, "splash-ad-no-skip").suppression == report::Suppression{"sdk", "Vendor fix due"});
  CHECK(by_rule(r, "native-anti-debug").suppression == report::Suppression{"fingerprint", "false positive, APP-77"});
  CHECK(by_rule(r, "device-id-to-network").suppression ==
        report::Suppression{"rule", "--suppress device-id-to-network"});
  CHECK(!by_rule(r, "manifest-allow-backup").suppression);  // re-applied: the sample's own mark is reset

  report::Suppressions sdk_cli;
  sdk_cli.entries.push_back(report::command_line_suppression("com.qq.e"));
  report::apply_suppressions(sdk_cli, r);
  CHECK(by_rule(r, "splash-ad-no-skip").suppression == report::Suppression{"sdk", "--suppress com.qq.e"});

  report::Suppressions bad;
  auto no_reason = report::parse_suppression_file("\nrule x\n", "supp.txt", &bad);
  REQUIRE(!no_reason.ok());
  CHECK(no_reason.error().message == "supp.txt:2: no reason given for rule x");
  auto bad_kind = report::parse_suppression_file("package com.x because\n", "s", &bad);
  REQUIRE(!bad_kind.ok());
  CHECK(bad_kind.error().message.find("s:1: unknown kind 'package'") == 0);
  auto bad_fp = report::parse_baseline("# apkwarden baseline v1\nnot-hex\trule\n", "b", &bad);
  REQUIRE(!bad_fp.ok());
  CHECK(bad_fp.error().message == "b:2: not a fingerprint: 'not-hex'");
}
