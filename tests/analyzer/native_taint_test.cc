// Native methods in the taint analysis (analyzer/native/jni_behaviour.h, analyzer/dataflow/
// native_models.h): the native-taint fixture (libbridge.so per ABI: arm64, armeabi-v7a Thumb-2,
// x86_64, JNI through the function table), the models built from a library's facts, and hostile
// libraries walked without crashing.
#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <random>

#include "analyzer/app/scan.h"
#include "analyzer/dataflow/native_models.h"
#include "analyzer/native/jni_behaviour.h"
#include "analyzer/native/native_analysis.h"
#include "dex/limits.h"
#include "support.h"

using namespace apkwarden;

namespace {

const report::Report& bridge_report() {
  static std::optional<report::Report> cached;
  if (!cached) {
    auto r = scan_app(test::fixture_path("native-taint.apk"), ScanOptions{"test"});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    cached = std::move(r.value());
  }
  return *cached;
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

const dataflow::TaintRules& builtin_rules() {
  static const auto rules = dataflow::TaintRules::load();
  REQUIRE(rules.ok());
  return rules.value();
}

const dex::ClassPool& empty_pool() {
  static const std::vector<dex::DexFile> none;
  static Diagnostics diags;
  static const dex::ClassPool pool = dex::ClassPool::build(none, &diags);
  return pool;
}

native::JniExport linked(const std::string& java, std::vector<std::string> imports, std::vector<std::string> strings) {
  native::JniExport j;
  j.symbol = "Java_x";
  j.dex_methods = {java};
  j.calls_imports = std::move(imports);
  j.call_strings = std::move(strings);
  j.behaviour_scanned = true;
  return j;
}

}  // namespace

TEST_CASE("native-taint fixture: argument to a native sink, native source returned, flow inside native code") {
  const report::Report& r = bridge_report();
  REQUIRE(r.flows.size() == 3);
  size_t log_sink = 0, native_source = 0, internal = 0;
  for (const auto& f : r.flows) {
    CAPTURE(f.source.api);
    CAPTURE(f.sink.api);
    CHECK(f.source.kind == "device-id");
    CHECK(f.sink.api.find("Bridge.clean") == std::string::npos);
    CHECK(f.sink.location.class_name == "com.apkwarden.fixture.nativetaint.MainActivity");
    if (f.sink.api == "__android_log_print (native code of com.apkwarden.fixture.nativetaint.Bridge.send(java.lang.String))") {
      ++log_sink;
      CHECK(f.sink.kind == "log");
      CHECK(f.source.api == "android.telephony.TelephonyManager.getDeviceId()");
    } else if (f.source.api.find("native code of com.apkwarden.fixture.nativetaint.Bridge.imei") != std::string::npos) {
      ++native_source;
      CHECK(f.source.api.rfind("android.telephony.TelephonyManager.getDeviceId()", 0) == 0);
      CHECK(f.sink.api == "android.util.Log.i(java.lang.String,java.lang.String)");
    } else if (f.sink.api.find("native code of com.apkwarden.fixture.nativetaint.Bridge.both") != std::string::npos) {
      ++internal;
      CHECK(f.sink.kind == "sms");
      CHECK(f.sink.api.rfind("android.telephony.SmsManager.sendTextMessage()", 0) == 0);
      CHECK(f.source.location.pc == f.sink.location.pc);  // the call of both() is the whole flow
    }
  }
  CHECK(log_sink == 1);
  CHECK(native_source == 1);
  CHECK(internal == 1);
}

TEST_CASE("native-taint fixture: each ABI's code says the same (arm64, Thumb-2, x86_64)") {
  const report::Report& r = bridge_report();
  size_t libs = 0;
  for (const auto& lib : r.native_libs) {
    if (!lib.facts) continue;
    ++libs;
    CAPTURE(lib.path);
    size_t seen = 0;
    for (const auto& j : lib.facts->jni) {
      CAPTURE(j.method);
      REQUIRE(j.behaviour_scanned);
      ++seen;
      if (j.method == "send") CHECK(has(j.calls_imports, "__android_log_print"));
      if (j.method == "imei" || j.method == "both") {
        CHECK(has(j.call_strings, "android/telephony/TelephonyManager"));
        CHECK(has(j.call_strings, "getDeviceId"));
      }
      if (j.method == "both") {
        CHECK(has(j.call_strings, "android/telephony/SmsManager"));
        CHECK(has(j.call_strings, "sendTextMessage"));
      }
      if (j.method == "clean") {
        CHECK(!has(j.calls_imports, "__android_log_print"));  // strlen, perhaps
        CHECK(j.call_strings.empty());
      }
    }
    CHECK(seen == 4);
  }
  CHECK(libs == 3);
}

TEST_CASE("native models: source, sink by JNI or by import, both, and what is not a model") {
  const auto& rules = builtin_rules();
  native::NativeLibFacts lib;
  lib.jni.push_back(linked("a.B.src(android.content.Context)", {},
                           {"android/telephony/TelephonyManager", "getDeviceId", "()Ljava/lang/String;"}));
  lib.jni.push_back(linked("a.B.net(java.lang.String, int)", {"connect", "socket", "write"}, {}));
  lib.jni.push_back(linked("a.B.both()", {}, {"android/telephony/TelephonyManager", "getDeviceId",
                                              "android/telephony/SmsManager", "sendTextMessage"}));
  // Not models: a write with no socket, strings naming no source or sink, a method name without
  // its class, garbage, a malformed method name, an implementation not walked.
  lib.jni.push_back(linked("a.B.file(java.lang.String)", {"write", "open"}, {"getDeviceId", "\x01\x02", "/x/"}));
  lib.jni.push_back(linked("no-parenthesis", {"send"}, {}));
  native::JniExport unscanned = linked("a.B.later(java.lang.String)", {"send"}, {});
  unscanned.behaviour_scanned = false;
  lib.jni.push_back(unscanned);

  const dataflow::NativeModels m = dataflow::native_models({&lib}, rules, empty_pool());
  REQUIRE(m.sources.size() == 2);
  REQUIRE(m.sinks.size() == 2);
  const auto& src = m.sources[0].member == "src" ? m.sources[0] : m.sources[1];
  CHECK(src.class_name == "a.B");
  CHECK(src.params == "android.content.Context");
  CHECK(src.data == "device-id");
  CHECK(src.via == "android.telephony.TelephonyManager.getDeviceId() (native code of a.B.src(android.content.Context))");
  const auto& net = m.sinks[0].method == "net" ? m.sinks[0] : m.sinks[1];
  const auto& both = m.sinks[0].method == "both" ? m.sinks[0] : m.sinks[1];
  CHECK(net.kind == "network");
  CHECK(net.params == "java.lang.String,int");
  CHECK(net.args == std::vector<int>{0, 1});
  CHECK(net.internal_source == -1);
  CHECK(both.kind == "sms");
  REQUIRE(both.internal_source >= 0);
  CHECK(m.sources[static_cast<size_t>(both.internal_source)].member == "both");

  // The combined rules find the native methods by name, the internal source rebased.
  const dataflow::TaintRules app = dataflow::with_native_models(rules, m);
  CHECK(app.source_count() == rules.source_count() + 2);
  const int32_t k = app.sink_named(empty_pool(), "La/B;", "both");
  REQUIRE(k >= 0);
  CHECK(app.source(app.sink(k).internal_source).member == "both");
  CHECK(app.source_named(empty_pool(), "La/B;", "src") >= 0);
}

TEST_CASE("native models: at most kMaxNativeTaintModels methods per app") {
  native::NativeLibFacts lib;
  for (size_t i = 0; i < limits::kMaxNativeTaintModels + 10; ++i)
    lib.jni.push_back(linked("a.B.m" + std::to_string(1000 + i) + "(java.lang.String)", {"sendto"}, {}));
  const auto m = dataflow::native_models({&lib}, builtin_rules(), empty_pool());
  CHECK(m.sinks.size() == limits::kMaxNativeTaintModels);
}

TEST_CASE("JNI behaviour walk: hostile libraries and addresses never crash") {
  std::vector<std::string> files;
  for (const auto& p : test::files_under(test::shared_path("corpus/real/native"), ""))
    if (p.find("minitouch") != std::string::npos || p.find("minicap") != std::string::npos) files.push_back(p);
  REQUIRE(files.size() >= 4);
  std::mt19937 rng(20261129);
  for (const auto& path : files) {
    CAPTURE(path);
    const auto bytes = test::read_file(path);
    Diagnostics diags;
    auto facts = native::analyze_elf(ByteSpan(bytes.data(), bytes.size()), path, native::NativeOptions{false, true}, &diags);
    if (!facts.ok()) continue;
    // Every export, plus addresses no function starts at, as if each implemented a native method.
    std::vector<native::JniExport> entries;
    for (uint64_t a : {uint64_t{0}, uint64_t{1}, uint64_t{0xfffffffffffffff0ull}, uint64_t{bytes.size()}}) {
      native::JniExport j;
      j.address = a;
      j.dex_methods = {"a.B.m()"};
      entries.push_back(j);
    }
    for (size_t i = 0; i < 40 && i < bytes.size(); ++i) {
      native::JniExport j;
      j.address = rng() % bytes.size();
      j.thumb = (rng() & 1) != 0;
      j.dex_methods = {"a.B.m()"};
      entries.push_back(j);
    }
    for (int round = 0; round < 6; ++round) {
      std::vector<uint8_t> copy = bytes;
      if (round == 1) copy.resize(copy.size() / 2);
      if (round >= 2)
        for (int flips = 0; flips < 64 * round; ++flips) copy[rng() % copy.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      native::NativeLibFacts f = *facts;
      f.jni = entries;
      size_t budget = limits::kMaxJniBehaviourEntries;
      native::describe_jni_behaviour(ByteSpan(copy.data(), copy.size()), f, budget);
      for (const auto& j : f.jni) {
        CHECK(j.call_strings.size() <= limits::kMaxJniBehaviourStrings);
        CHECK(j.calls_imports.size() <= limits::kMaxJniBehaviourStrings);
      }
    }
  }
}
