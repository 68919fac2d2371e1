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
#include "dex/limits.h"
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

// Calls f(dex, code item) for each method named `name` in a fixture's dex; false when none.
template <typename F>
bool with_method_code(const std::string& fixture, const std::string& name, F&& f) {
  Diagnostics diags;
  auto file = apk::ApkFile::open_path(test::fixture_path(fixture + ".apk"), &diags);
  REQUIRE(file.ok());
  const AppCode code = load_app_code(*file, LoadCodeOptions{}, &diags);
  bool found = false;
  for (const dex::DexFile& dex : code.dex_files)
    for (uint32_t c = 0; c < dex.class_defs_size(); ++c) {
      auto def = dex.class_def(dex::ClassDefIdx(c));
      if (!def || def->class_data_off == 0) continue;
      dex::ClassDataReader reader(dex, *def);
      dex::ClassMember m;
      while (reader.next_method(m)) {
        if (dex.method_name(m.method()) != name || !m.code_off) continue;
        auto item = dex::CodeItem::at(dex, m.code_off);
        REQUIRE(item.ok());
        f(dex, *item);
        found = true;
      }
    }
  return found;
}

TEST_CASE("method IR: a throw inside a try has an exception edge to its handler") {
  CHECK(with_method_code("flow-propagation", "throwIt", [](const dex::DexFile& dex, const dex::CodeItem& item) {
    const ir::MethodIr ir = ir::build_method_ir(dex, item, 1000);
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
  }));
}

TEST_CASE("method IR: exception edges are capped (kMaxIrHandlersPerTry) and the IR says it is partial") {
  CHECK(with_method_code("ir-handlers", "manyCatches", [](const dex::DexFile& dex, const dex::CodeItem& item) {
    const ir::MethodIr ir = ir::build_method_ir(dex, item, limits::kMaxIrInstructionsPerMethod);
    CHECK_FALSE(ir.complete);  // 300 handlers
    size_t edges = 0;
    for (const auto& b : ir.blocks) edges += b.catch_succs.size();
    CHECK(edges == limits::kMaxIrHandlersPerTry);
  }));
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

TEST_CASE("taint: a Formatter writes into what it wraps; saved instance state comes back") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-android"));
  CHECK(keys.count("device-id>log@MainActivity.formatted") == 1);
  CHECK(keys.count("device-id>log@MainActivity.onRestoreInstanceState") == 1);
}

TEST_CASE("taint: virtual calls reach the overrides of instantiated classes, through fields those stored there") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-dispatch"));
  // Base.send is overridden by Child, the only Base made (by reflection on its name); Leaf
  // inherits Plain.send. Holder.listener only ever holds a Quiet (its constructor's null store
  // aside): Loud, made and kept in another field, does not get the id.
  CHECK(keys == std::multiset<std::string>{"device-id>log@Child.send", "device-id>log@Plain.send",
                                           "device-id>log@Quiet.onEvent"});
}

TEST_CASE("taint: the app's own content provider keeps data in the app; another app's provider is a sink") {
  // insert(Store.CONTENT_URI) (a constant from Store's static initialiser) is not a leak, the query
  // of the same provider reads the device id back into a Log; insert into another app's provider is.
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-inapp"));
  CHECK(keys.count("device-id>log@MainActivity.onCreate") == 1);
  CHECK(keys.count("device-id>ipc@MainActivity.onCreate") == 2);  // other provider, SEND intent
}

TEST_CASE("taint: an implicit Intent with an action of the app's own is delivered inside the app") {
  const report::Report r = scan_fixture("flow-inapp");
  const std::multiset<std::string> keys = flow_keys(r);
  CHECK(keys.count("device-id>log@Events.onReceive") == 1);  // registered with new IntentFilter(ACTION)
  for (const auto& f : r.flows) CHECK(f.sink.api.find("sendBroadcast") == std::string::npos);
  // android.intent.action.SEND is answered by any app, this one included: it leaves the app.
  CHECK(std::any_of(r.flows.begin(), r.flows.end(),
                    [](const report::Flow& f) { return f.sink.api.find("startActivity") != std::string::npos; }));
}

TEST_CASE("taint: a virtual call runs only the overrides the receiver's known class allows") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-precision"));
  CHECK(keys.count("device-id>log@MainActivity.dispatchShape") == 0);    // new Shape: Shape.pass only
  CHECK(keys.count("device-id>log@MainActivity.dispatchFactory") == 1);  // declared Shape: Echo.pass too
}

TEST_CASE("taint: a field of an object the method allocated is overwritten (strong update) until it escapes") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-precision"));
  CHECK(keys.count("device-id>log@MainActivity.overwritten") == 0);
  CHECK(keys.count("device-id>log@MainActivity.kept") == 1);
  CHECK(keys.count("device-id>log@MainActivity.escaped") == 1);  // Box.fill wrote into it
  CHECK(keys.count("device-id>log@MainActivity.heldBuilder") == 1);  // appended to through the field
}

TEST_CASE("taint: an array held in a field is read element by element at small constant indices") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-precision"));
  CHECK(keys.count("device-id>log@MainActivity.arrayOther") == 0);  // index 2 holds a constant
  CHECK(keys.count("device-id>log@MainActivity.arraySame") == 1);   // index 1 holds the device id
  CHECK(keys.count("device-id>log@MainActivity.arrayAny") == 1);    // unknown index: any element
}

TEST_CASE("taint: a branch or switch on a known int leaves out the edges its value cannot take") {
  const std::multiset<std::string> keys = flow_keys(scan_fixture("flow-precision"));
  CHECK(keys.count("device-id>log@MainActivity.switchDead") == 0);  // nextInt(10) is never 21
  CHECK(keys.count("device-id>log@MainActivity.switchLive") == 1);  // but may be 3
  CHECK(keys.count("device-id>log@MainActivity.branchDead") == 0);  // if-nez on 0
  CHECK(keys.count("device-id>log@MainActivity.branchLive") == 1);  // if-nez on 1
}

TEST_CASE("taint: native code rewriting the app's compiled code lets a call run a method of the same signature") {
  auto rewritten = [](const report::Report& r) {
    return std::count_if(r.diagnostics.begin(), r.diagnostics.end(),
                         [](const Diagnostic& d) { return d.code == "taint-code-rewritten"; });
  };
  const report::Report r = scan_fixture("flow-rewritten");
  // benign(id) logs a constant; evil(String), never called in the bytecode, logs its argument.
  CHECK(flow_keys(r) == std::multiset<std::string>{"device-id>log@MainActivity.evil"});
  CHECK(rewritten(r) == 2);  // arm64 and x86_64 copies of librewriter.so
  // Native code without those signs (JNI calls, logging) changes nothing.
  CHECK(rewritten(scan_fixture("native-taint")) == 0);
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

TEST_CASE("taint: a listener replaced on the same view right after it was set never runs") {
  // Dropped is set and cleared with setOnClickListener(null); Kept stays.
  CHECK(flow_keys(scan_fixture("flow-listeners")) == std::multiset<std::string>{"device-id>log@Kept.onClick"});
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
