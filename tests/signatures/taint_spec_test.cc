#include <doctest/doctest.h>

#include <set>
#include <string>

#include "signatures/taint_spec.h"

using namespace apkwarden::signatures;

TEST_CASE("taint spec: the built-in lists load clean and cover the seed sources and sinks") {
  TaintSpecBuilder b;
  b.add_embedded();
  for (const auto& i : b.issues()) FAIL_CHECK(i.to_string());
  auto spec = std::move(b).build();
  REQUIRE(spec.ok());
  CHECK(spec->sources.size() >= 50);
  CHECK(spec->sinks.size() >= 50);
  const auto has_source = [&](const char* cls, const char* m, const char* data) {
    for (const auto& s : spec->sources)
      if (s.class_name == cls && s.member == m && s.data == data) return true;
    return false;
  };
  CHECK(has_source("android.telephony.TelephonyManager", "getDeviceId", "device-id"));
  CHECK(has_source("android.os.Build", "SERIAL", "serial"));
  CHECK(has_source("android.location.LocationListener", "onLocationChanged", "location"));
  CHECK(has_source("android.provider.Settings$Secure", "getString", "android-id"));
  std::set<std::string> kinds;
  for (const auto& s : spec->sinks) kinds.insert(s.kind);
  for (const char* k : {"network", "sms", "log", "file", "ipc", "webview", "prefs"}) CHECK(kinds.count(k) == 1);
}

TEST_CASE("taint spec: validation errors name the file and line") {
  TaintSpecBuilder b;
  b.add_xml("s.xml", "<sources>\n<source class=\"a.B\" method=\"m\" data=\"nonsense\"/>\n"
                     "<source class=\"a/B\" method=\"m\" data=\"location\"/>\n"
                     "<callback-source class=\"a.B\" method=\"m\" data=\"location\"/>\n</sources>");
  b.add_xml("k.xml", "<sinks>\n<sink class=\"a.B\" method=\"m\" kind=\"smoke\" args=\"x\"/>\n</sinks>");
  b.add_xml("bad.xml", "<sinks><oops");
  std::vector<std::string> got;
  for (const auto& i : b.issues()) got.push_back(i.to_string());
  REQUIRE(got.size() == 6);
  CHECK(got[0] == "s.xml:2: unknown data type 'nonsense'");
  CHECK(got[1] == "s.xml:3: missing or malformed class attribute");
  CHECK(got[2] == "s.xml:4: callback-source needs a param position");
  CHECK(got[3].rfind("k.xml:2: unknown sink kind", 0) == 0);
  CHECK(got[4].rfind("k.xml:2: bad args value", 0) == 0);
  CHECK(got[5].rfind("bad.xml:1: not well-formed XML", 0) == 0);
  CHECK_FALSE(std::move(b).build().ok());
}

TEST_CASE("taint spec: FlowDroid SourcesAndSinks.txt lines") {
  TaintSpecBuilder b;
  b.add_flowdroid("SourcesAndSinks.txt",
                  "% comment\n"
                  "<android.telephony.TelephonyManager: java.lang.String getDeviceId()> android.permission.READ_PHONE_STATE -> _SOURCE_\n"
                  "<android.util.Log: int i(java.lang.String, java.lang.String)> -> _SINK_\n"
                  "<android.os.Build: java.lang.String SERIAL> -> _SOURCE_\r\n"
                  "<a.B: void both(int)> -> _BOTH_\n"
                  "\n"
                  "garbage line\n");
  REQUIRE(b.issues().size() == 1);
  CHECK(b.issues()[0].to_string() == "SourcesAndSinks.txt:7: not a FlowDroid source/sink line: garbage line");
  TaintSpecBuilder ok;
  ok.add_flowdroid("f.txt",
                   "<android.telephony.TelephonyManager: java.lang.String getDeviceId()> android.permission.READ_PHONE_STATE -> _SOURCE_\n"
                   "<android.util.Log: int i(java.lang.String, java.lang.String)> -> _SINK_\n"
                   "<android.os.Build: java.lang.String SERIAL> -> _SOURCE_\n"
                   "<a.B: void both(int)> -> _BOTH_\n");
  auto spec = std::move(ok).build();
  REQUIRE(spec.ok());
  REQUIRE(spec->sources.size() == 3);
  CHECK(spec->sources[0].member == "getDeviceId");
  CHECK(spec->sources[0].permission == "android.permission.READ_PHONE_STATE");
  CHECK(spec->sources[1].kind == SourceSpec::Kind::kField);
  REQUIRE(spec->sinks.size() == 2);
  CHECK(spec->sinks[0].params == "java.lang.String,java.lang.String");
  CHECK(spec->sinks[0].origin == "f.txt:2");
}
