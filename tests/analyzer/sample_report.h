// A hand-built Report with one of everything the formatters show: findings of each location
// kind (one in an SDK, one suppressed), SDKs present and reachable, a flow with a path, rule
// metadata with regulation text, and text that needs escaping (<&"'>, CJK, control bytes).
// Formatter tests and their golden files (tests/golden/sample.*) use it.
#pragma once

#include <algorithm>

#include "analyzer/report/fingerprint.h"
#include "analyzer/report/report.h"

namespace apkwarden::test {

inline report::Location code_location(std::string cls, std::string method, uint32_t pc,
                                      std::optional<uint32_t> line = std::nullopt) {
  report::Location l;
  l.kind = report::Location::Kind::kCode;
  l.dex = "classes.dex";
  l.class_name = std::move(cls);
  l.method = std::move(method);
  l.pc = pc;
  l.line = line;
  return l;
}

inline report::Report sample_report() {
  using report::Finding;
  using report::Location;
  using report::Severity;
  report::Report r;
  r.tool_version = "0.0.0-test";
  r.apk = {"shop.apk", std::string(64, 'a'), 123456, "apk", {}};
  r.has_manifest = true;
  r.manifest.package = "com.example.shop";
  r.manifest.version_code = 42;
  r.manifest.version_name = "4.2";
  r.manifest.min_sdk = 21;
  r.manifest.target_sdk = 29;
  r.manifest.application.present = true;
  r.manifest.application.label = "Shop <Beta> & \"Friends\"";
  r.manifest.application.debuggable = true;
  r.permissions = {{"android.permission.INTERNET", "normal", std::nullopt, false},
                   {"android.permission.READ_PHONE_STATE", "dangerous", std::nullopt, false},
                   {"android.permission.ACCESS_FINE_LOCATION", "dangerous", 28, false}};
  r.dex_files = {"classes.dex"};
  r.native_libs = {{"arm64-v8a", "lib/arm64-v8a/libguard.so", 4096}};

  r.sdks = {{"com.qq.e", "Tencent GDT (优量汇)", "Tencent", "CN", "ads", true, true,
             {"31 classes under com.qq.e.", "called from com.example.shop.Splash.onCreate(android.os.Bundle)"}},
            {"com.umeng.analytics", "Umeng Analytics", "Alibaba", "CN", "analytics", true, false,
             {"12 classes under com.umeng.analytics."}}};

  Finding debuggable;
  debuggable.rule = "manifest-debuggable";
  debuggable.category = "insecure-config";
  debuggable.severity = Severity::kHigh;
  debuggable.confidence = "high";
  debuggable.title = "The app is debuggable";
  debuggable.location.kind = Location::Kind::kManifest;
  debuggable.location.element = "application";
  debuggable.location.path = "AndroidManifest.xml";
  debuggable.evidence = {"android:debuggable=\"true\""};
  debuggable.regulation = {"GB/T 35273-2020 9.1"};
  debuggable.remediation = "Remove android:debuggable from the release manifest.";

  Finding splash;
  splash.rule = "splash-ad-no-skip";
  splash.category = "splash-ad";
  splash.severity = Severity::kMedium;
  splash.confidence = "medium";
  splash.title = "Splash ad without a skip button";
  splash.sdk = "com.qq.e";
  splash.location = code_location("com.qq.e.ads.splash.SplashAD", "fetchAndShowIn(android.view.ViewGroup)", 0x24, 118);
  splash.evidence = {"calls com.qq.e.ads.splash.SplashAD.<init> with skipContainer = null"};
  splash.regulation = {"MIIT-2021 开屏广告 (splash ads): 应提供关闭按钮"};
  splash.remediation = "Pass a skip view to SplashAD.";

  Finding leak;
  leak.rule = "device-id-to-network";
  leak.category = "data-export";
  leak.severity = Severity::kCritical;
  leak.confidence = "high";
  leak.title = "Device ID sent over the network";
  leak.location = code_location("com.example.shop.Tracker", "report(java.lang.String)", 0x10);
  leak.evidence = {"getDeviceId() reaches OutputStream.write([B)", "host: http://t.example.com/<id>?a=1&b=2"};
  leak.regulation = {"PIPL Art. 13", "GB/T 41391-2022 6.2"};
  leak.remediation = "Do not collect the IMEI; use an app-scoped ID after consent.";

  Finding native;
  native.rule = "native-anti-debug";
  native.category = "interference";
  native.severity = Severity::kLow;
  native.confidence = "low";
  native.title = "Native code checks for a debugger";
  native.location.kind = Location::Kind::kNative;
  native.location.lib = "lib/arm64-v8a/libguard.so";
  native.location.symbol = "JNI_OnLoad";
  native.location.address = 0x1a2b;
  native.evidence = {"ptrace(PTRACE_TRACEME) at 0x1a2b"};

  Finding backup;
  backup.rule = "manifest-allow-backup";
  backup.category = "insecure-storage";
  backup.severity = Severity::kLow;
  backup.confidence = "high";
  backup.title = "App data can be copied off the device by backup";
  backup.location.kind = Location::Kind::kManifest;
  backup.location.element = "application";
  backup.location.path = "AndroidManifest.xml";
  backup.regulation = {"GB/T 35273-2020 6.3"};
  backup.remediation = "Set android:allowBackup=\"false\".";
  backup.suppression = report::Suppression{"rule", "Backups are encrypted by our MDM profile (SEC-142)"};

  r.findings = {debuggable, splash, leak, native, backup};
  std::sort(r.findings.begin(), r.findings.end());

  report::Flow flow;
  flow.source = {"android.telephony.TelephonyManager.getDeviceId()", "device-id", "android.permission.READ_PHONE_STATE",
                 code_location("com.example.shop.Tracker", "collect()", 0x4, 30), ""};
  flow.sink = {"java.io.OutputStream.write(byte[])", "network", "",
               code_location("com.example.shop.net.Sender", "send(java.lang.String)", 0x3a, 77), "t.example.com"};
  flow.path = {"com.example.shop.Tracker.collect()", "com.example.shop.Tracker.report(java.lang.String)",
               "com.example.shop.net.Sender.send(java.lang.String)"};
  r.flows = {flow};

  r.diagnostics = {{"zip-fake-encryption", "entry flagged encrypted but stored plain", "classes.dex"}};

  const auto rule = [](const Finding& f, std::string description) {
    return report::RuleInfo{f.rule, f.title, std::move(description), f.category, f.severity, f.confidence,
                            f.regulation, f.remediation};
  };
  r.rules = {rule(debuggable, "android:debuggable=\"true\" lets anyone with USB access attach a debugger."),
             rule(splash, "A splash ad must offer a visible way to close it."),
             rule(leak, "A device identifier flows to a network sink without consent."),
             rule(native, ""),
             rule(backup, "allowBackup lets adb backup copy private data.")};
  std::sort(r.rules.begin(), r.rules.end());
  report::assign_fingerprints(r);
  r.fail_on = Severity::kHigh;
  return r;
}

}  // namespace apkwarden::test
