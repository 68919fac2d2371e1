// Dataflow: method IR and CFG, the fixpoint iterator, and the taint pass end to end on the
// flow-* fixtures (one per source family, sink family and propagation feature, and the consent
// gate's positive and negative cases).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/app_code.h"
#include "analyzer/app/scan.h"
#include "analyzer/dataflow/fixpoint.h"
#include "analyzer/dataflow/label_set.h"
#include "analyzer/ir/method_ir.h"
#include "dex/class_data.h"
#include "dex/code_item.h"
#include "support.h"

using namespace apkwarden;

namespace {

report::Report scan_fixture(const std::string& name, ScanOptions options = ScanOptions{"test"}) {
  auto r = scan_app(test::fixture_path(name + ".apk"), options);
  REQUIRE(r.ok());
  return std::move(r.value());
}

// "data>kind@Class.method" for each flow, sorted.
std::multiset<std::string> flow_keys(const report::Report& r) {
  std::multiset<std::string> out;
  for (const auto& f : r.flows)
    out.insert(f.source.kind + ">" + f.sink.kind + "@" + f.sink.location.class_name.substr(f.sink.location.class_name.rfind('.') + 1) +
               "." + f.sink.location.method.substr(0, f.sink.location.method.find('(')));
  return out;
}

std::vector<const report::Finding*> findings(const report::Report& r, const std::string& rule) {
  std::vector<const report::Finding*> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

}  // namespace

TEST_CASE("label sets: sorted union, inline and on the heap, capped") {
  dataflow::LabelSet a, b;
  CHECK(a.insert(300));
  CHECK(a.insert(2));
  CHECK_FALSE(a.insert(2));
  for (uint32_t i = 400; i < 410; ++i) b.insert(i);
  CHECK(a.join_with(b));
  CHECK(a.size() == 12);
  CHECK(std::is_sorted(a.begin(), a.end()));
  CHECK(a.has_params());
  CHECK(a.has_sites());
  CHECK_FALSE(a.join_with(b));
  dataflow::LabelSet big;
  for (uint32_t i = 0; i < 1000; ++i) big.insert(1000 + i);
  CHECK(big.size() == limits::kMaxTaintLabelsPerValue);
}

TEST_CASE("method IR: a throw inside a try has an exception edge to its handler") {
  Diagnostics diags;
  auto file = apk::ApkFile::open_path(test::fixture_path("flow-propagation.apk"), &diags);
  REQUIRE(file.ok());
  const AppCode code = load_app_code(*file, LoadCodeOptions{}, &diags);
  REQUIRE(code.dex_files.size() == 1);
  const dex::DexFile& dex = code.dex_files[0];
  bool found = false;
  for (uint32_t c = 0; c < dex.class_defs_size(); ++c) {
    auto def = dex.class_def(dex::ClassDefIdx(c));
    if (!def || def->class_data_off == 0) continue;
    dex::ClassDataReader reader(dex, *def);
    dex::ClassMember m;
    while (reader.next_method(m)) {
      if (dex.method_name(m.method()) != "throwIt" || !m.code_off) continue;
      auto item = dex::CodeItem::at(dex, m.code_off);
      REQUIRE(item.ok());
      const ir::MethodIr ir = ir::build_method_ir(dex, *item, 1000);
      CHECK(ir.complete);
      CHECK(ir.blocks.size() >= 2);
      // The block ending in `throw` reaches the handler, which starts with move-exception.
      const auto throwing = std::find_if(ir.blocks.begin(), ir.blocks.end(), [&](const ir::Block& b) {
        return ir.insns[b.last].opcode == dex::Opcode::kThrow;
      });
      REQUIRE(throwing != ir.blocks.end());
      CHECK(throwing->succs.empty());
      REQUIRE(throwing->catch_succs.size() == 1);
      CHECK(ir.insns[ir.blocks[throwing->catch_succs[0]].first].opcode == dex::Opcode::kMoveException);
      // Every block is reachable from the entry once exception edges count.
      CHECK(dataflow::reverse_post_order(ir).size() == ir.blocks.size());
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("taint: one flow per source family, callback sources, a non-source constant key") {
  const report::Report r = scan_fixture("flow-sources");
  const std::multiset<std::string> expected = {
      "accounts>log@MainActivity.onCreate",  "android-id>log@MainActivity.onCreate",
      "clipboard>log@MainActivity.onCreate", "device-id>log@MainActivity.onCreate",
      "installed-apps>log@MainActivity.onCreate", "location>log@Tracker.onLocationChanged",
      "serial>log@MainActivity.onCreate"};
  CHECK(flow_keys(r) == expected);
  for (const auto& f : r.flows) {
    CHECK(f.source.location.kind == report::Location::Kind::kCode);
    CHECK_FALSE(f.path.empty());
    CHECK_FALSE(f.sdk.has_value());
    if (f.source.kind == "device-id") CHECK(f.source.permission == "android.permission.READ_PHONE_STATE");
  }
}

TEST_CASE("taint: one flow per sink family, constant URLs at the sink, findings per rule") {
  const report::Report r = scan_fixture("flow-sinks");
  const std::multiset<std::string> expected = {
      "device-id>file@MainActivity.onCreate",    "device-id>ipc@MainActivity.onCreate",
      "device-id>log@MainActivity.onCreate",     "device-id>network@MainActivity.onCreate",
      "device-id>network@MainActivity.onCreate", "device-id>prefs@MainActivity.onCreate",
      "device-id>sms@MainActivity.sendSms",      "device-id>webview@MainActivity.onCreate"};
  CHECK(flow_keys(r) == expected);
  std::set<std::string> urls;
  for (const auto& f : r.flows)
    if (!f.sink.url_or_host.empty()) urls.insert(f.sink.url_or_host);
  CHECK(urls == std::set<std::string>{"http://collect.example.com/id", "https://api.example.com/track?id="});
  const auto cleartext = findings(r, "cleartext");
  REQUIRE(cleartext.size() == 1);
  CHECK(cleartext[0]->title.find("http://collect.example.com/id") != std::string::npos);
  CHECK(findings(r, "data-collection").size() == 4);   // network, sms, webview, ipc
  CHECK(findings(r, "insecure-storage").size() == 3);  // log, file, prefs
}

TEST_CASE("taint: propagation through builders, fields, arrays, collections, calls, threads, ICC, reflection") {
  const report::Report r = scan_fixture("flow-propagation");
  const std::multiset<std::string> expected = {
      "device-id>log@MainActivity.onCreate",  // StringBuilder
      "device-id>log@MainActivity.onCreate",  // instance field
      "device-id>log@MainActivity.onCreate",  // array
      "device-id>log@MainActivity.onCreate",  // ArrayList
      "device-id>log@MainActivity.onCreate",  // identity summary
      "device-id>log@MainActivity.onCreate",  // JSONObject
      "device-id>log@MainActivity.throwIt",   // exception edge
      "device-id>log@SecondActivity.onCreate",
      "device-id>log@Target.leak",
      "device-id>log@Task.doInBackground",
      "device-id>log@Util.leak",
      "device-id>log@Util.logLast",
      "device-id>log@Worker.run"};
  CHECK(flow_keys(r) == expected);
  // The unreachable private method and the overwritten register add nothing; each flow names the
  // path from the source's method to the sink's.
  for (const auto& f : r.flows) {
    CHECK(f.sink.location.method.find("neverCalled") == std::string::npos);
    REQUIRE_FALSE(f.path.empty());
    CHECK(f.path.front().find("MainActivity.deviceId()") != std::string::npos);
  }
}

TEST_CASE("taint: reflection on obj.getClass() and on a name read back with Method.getName()") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-android"));
  CHECK(keys.count("device-id>log@MainActivity.leak") == 1);  // this.getClass().getDeclaredMethod("leak")
  CHECK(keys.count("device-id>log@Reporter.leak") == 1);      // Reporter.class.getMethod(m.getName())
}

TEST_CASE("taint: a command line is a process sink (Runtime.exec, ProcessBuilder.command().start())") {
  const report::Report r = scan_fixture("flow-android");
  CHECK(flow_keys(r).count("device-id>process@MainActivity.process") == 2);
  const auto collection = findings(r, "data-collection");
  CHECK(std::any_of(collection.begin(), collection.end(),
                    [](const report::Finding* f) { return f->title.find("(process)") != std::string::npos; }));
}

TEST_CASE("taint: a Message sent through a Messenger reaches the Handler's handleMessage with its data") {
  CHECK(flow_keys(scan_fixture("flow-android")).count("device-id>log@Inbox.handleMessage") == 1);
}

TEST_CASE("taint: an ordered broadcast's result data goes from one receiver to the next") {
  CHECK(flow_keys(scan_fixture("flow-android")).count("device-id>log@ResultReader.onReceive") == 1);
}

TEST_CASE("taint: reflection on class and method names read from string resources reaches a class nothing else names") {
  // HiddenReporter.leak is called by reflection and calls send: both are analysed once resolved.
  CHECK(flow_keys(scan_fixture("flow-android")).count("device-id>log@HiddenReporter.send") == 1);
}

TEST_CASE("taint: reflection on names built from constants, kept in fields, and on framework sources, sinks and models") {
  const report::Report r = scan_fixture("flow-reflection");
  const std::multiset<std::string> expected = {
      "device-id>log@MainActivity.substringSource",  // field-kept class name, substring method name: getDeviceId
      "device-id>log@Hidden.leak",                   // StringBuilder class name, newInstance, getClass().getMethod
      "device-id>sms@MainActivity.reflectiveSink",   // SmsManager.sendTextMessage through Method.invoke
      "device-id>ipc@MainActivity.reflectiveModel",  // Intent.putExtra through Method.invoke
      "device-id>log@Target.onCreate"};              // an Intent built by Constructor.newInstance(ctx, list.get(0))
  // Decoy.leak: a name with an unknown piece, and a field an app method overwrote, name no class.
  // reflectiveIntent's Intent names Target (the class put into the list): no ipc flow leaves there.
  CHECK(flow_keys(r) == expected);
}

TEST_CASE("consent gate: SDK initialisation and personal data before consent, named by SDK") {
  const report::Report pos = scan_fixture("flow-consent-positive");
  std::set<std::string> sdks;
  for (const auto* f : findings(pos, "pre-consent-collection")) sdks.insert(f->sdk.value_or("app"));
  CHECK(sdks == std::set<std::string>{"app", "tencent-bugly", "umeng-common"});
  for (const auto* f : findings(pos, "pre-consent-collection")) {
    CHECK(f->severity == report::Severity::kHigh);
    CHECK(f->location.kind == report::Location::Kind::kCode);
  }
  // Behind a stored agreement flag (and Umeng's consent-free preInit): nothing.
  const report::Report neg = scan_fixture("flow-consent-negative");
  CHECK(findings(neg, "pre-consent-collection").empty());
}

TEST_CASE("taint: a FlowDroid list adds sinks, budgets, --no-dataflow") {
  const std::string list = (std::filesystem::temp_directory_path() / "apkwarden-dataflow-test-sinks.txt").string();
  {
    std::ofstream out(list);
    out << "% a user's extra sink\n<java.lang.String: byte[] getBytes()> -> _SINK_\n";
  }
  ScanOptions options{"test"};
  options.sources_sinks_file = list;
  const report::Report extra = scan_fixture("flow-sinks", options);
  CHECK(extra.flows.size() == scan_fixture("flow-sinks").flows.size() + 1);

  ScanOptions off{"test"};
  off.dataflow = false;
  const report::Report none = scan_fixture("flow-sinks", off);
  CHECK(none.flows.empty());
  CHECK(none.findings.empty());

  ScanOptions tiny{"test"};
  tiny.taint_memory_budget_bytes = 1;  // reached at once: partial, said so
  const report::Report partial = scan_fixture("flow-propagation", tiny);
  CHECK(std::any_of(partial.diagnostics.begin(), partial.diagnostics.end(),
                    [](const Diagnostic& d) { return d.code == "taint-partial"; }));
  std::filesystem::remove(list);
}
