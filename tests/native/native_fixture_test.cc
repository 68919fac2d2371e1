// The native-collect fixture, compiled per ABI at test time (arm64 with aarch64-linux-gnu-gcc,
// armeabi-v7a Thumb-2 with arm-linux-gnueabihf-gcc, x86_64 with gcc): libserial.so and libmac.so
// are flagged on every ABI, with the recovered argument as evidence; libclean.so is not.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>

#include "analyzer/app/scan.h"
#include "support.h"

using namespace apkwarden;

namespace {

const report::Report& collect_report() {
  static std::optional<report::Report> cached;
  if (!cached) {
    auto r = scan_app(test::fixture_path("native-collect.apk"), ScanOptions{"test"});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    cached = std::move(r.value());
  }
  return *cached;
}

}  // namespace

TEST_CASE("native findings: flagged, flagged, flagged, not flagged on arm64, armv7 (Thumb-2) and x86_64") {
  const report::Report& r = collect_report();
  std::map<std::string, std::set<std::string>> rules_by_lib;
  for (const auto& f : r.findings)
    if (f.location.kind == report::Location::Kind::kNative) rules_by_lib[f.location.lib].insert(f.rule);
  for (const std::string abi : {"arm64-v8a", "armeabi-v7a", "x86_64"}) {
    CAPTURE(abi);
    const std::string dir = "lib/" + abi + "/";
    CHECK(rules_by_lib[dir + "libserial.so"] == std::set<std::string>{"native-device-identifier"});
    CHECK(rules_by_lib[dir + "libmac.so"] == std::set<std::string>{"native-mac-address"});
    CHECK(rules_by_lib[dir + "libapps.so"] == std::set<std::string>{"native-app-list"});
    CHECK(rules_by_lib[dir + "libclean.so"].empty());
  }
}

TEST_CASE("native finding evidence: library, address, function, recovered argument, socket send") {
  const report::Report& r = collect_report();
  size_t mac = 0;
  for (const auto& f : r.findings) {
    if (f.rule != "native-mac-address") continue;
    ++mac;
    CAPTURE(f.location.lib);
    CHECK(f.location.symbol == "Java_com_apkwarden_fixture_nativecollect_Probe_mac");
    CHECK(f.location.address != 0);
    REQUIRE(f.evidence.size() == 2);
    CHECK(f.evidence[0].find("open(\"/sys/class/net/wlan0/address\")") != std::string::npos);
    CHECK(f.evidence[1].find("sendto") != std::string::npos);
    CHECK(f.severity == report::Severity::kHigh);
  }
  CHECK(mac == 3);
}

TEST_CASE("native facts in the report: calls with arguments, JNI exports linked to dex native methods") {
  const report::Report& r = collect_report();
  size_t serial_libs = 0;
  for (const auto& lib : r.native_libs) {
    CAPTURE(lib.path);
    REQUIRE(lib.facts);
    CHECK(lib.facts->disassembled);
    if (lib.path.find("libserial.so") == std::string::npos) continue;
    ++serial_libs;
    REQUIRE(lib.facts->jni.size() == 1);
    const auto& j = lib.facts->jni[0];
    CHECK(j.class_name == "com.apkwarden.fixture.nativecollect.Probe");
    CHECK(j.method == "serial");
    CHECK(j.dex_methods == std::vector<std::string>{"com.apkwarden.fixture.nativecollect.Probe.serial()"});
    bool found = false;
    for (const auto& c : lib.facts->calls)
      found |= c.function == "__system_property_get" && c.argument == std::optional<std::string>("ro.serialno");
    CHECK(found);
  }
  CHECK(serial_libs == 3);
  // The clean library's calls are seen, with their harmless arguments.
  for (const auto& lib : r.native_libs) {
    if (lib.path.find("libclean.so") == std::string::npos) continue;
    std::set<std::string> args;
    for (const auto& c : lib.facts->calls)
      if (c.argument) args.insert(*c.argument);
    CHECK(args.count("ro.build.version.sdk") == 1);
    CHECK(args.count("uptime") == 1);
  }
}

TEST_CASE("native-libs fixture: JNI exports linked, JNI_OnLoad seen, endpoint string, no findings") {
  auto r = scan_app(test::fixture_path("native-libs.apk"), ScanOptions{"test"});
  REQUIRE(r.ok());
  size_t libs = 0;
  for (const auto& lib : r->native_libs) {
    CAPTURE(lib.path);
    REQUIRE(lib.facts);
    ++libs;
    CHECK(lib.facts->has_jni_onload);
    REQUIRE(lib.facts->jni.size() == 2);
    CHECK(lib.facts->jni[0].dex_methods == std::vector<std::string>{"com.apkwarden.fixture.nativelibs.NativeBridge.add(int, int)"});
    bool url = false;
    for (const auto& s : lib.facts->strings)
      url |= s.kind == "url" && s.value == "http://collect.native-fixture.apkwarden.example/v1/report";
    CHECK(url);
  }
  CHECK(libs == 3);
  for (const auto& f : r->findings) CHECK(f.location.kind != report::Location::Kind::kNative);
}

TEST_CASE("RegisterNatives tables of a real library are recovered and linked to the dex native methods") {
  const std::string apk = test::shared_path("corpus/real/apk/appium-espresso-server-9.3.6-androidTest.apk");
  if (!std::filesystem::exists(apk)) return;
  auto r = scan_app(apk, ScanOptions{"test"});
  REQUIRE(r.ok());
  size_t libs = 0;
  for (const auto& lib : r->native_libs) {
    CAPTURE(lib.path);
    REQUIRE(lib.facts);
    ++libs;
    size_t registered = 0, linked = 0;
    for (const auto& j : lib.facts->jni) {
      if (j.symbol != "RegisterNatives") continue;
      ++registered;
      CHECK(j.signature.front() == '(');
      CHECK(j.address != 0);
      linked += j.dex_methods.size() == 1 &&
                j.dex_methods[0].find("androidx.graphics.path.") == 0;
    }
    CHECK(registered >= 7);
    CHECK(linked == registered);
  }
  CHECK(libs == 4);
}
