// The batch store and what reads it (summary, export, merge), on a real database: a fresh SQLite
// file per test, or the PostgreSQL server named by APKWARDEN_TEST_STORE (postgresql://…, set by
// tests/scripts/batch_postgres.sh), whose tables are dropped first.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "analyzer/batch/app_record.h"
#include "analyzer/batch/export.h"
#include "analyzer/batch/merge.h"
#include "analyzer/batch/result_store.h"
#include "analyzer/batch/schema.h"
#include "analyzer/batch/summary.h"
#include "analyzer/batch/work_list.h"

namespace apkwarden::batch {

namespace {

// The SQLite files this process created, removed when it exits (the stores are closed by then).
struct TempFiles {
  std::vector<std::string> paths;
  ~TempFiles() {
    std::error_code ignored;
    for (const std::string& p : paths)
      for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p + suffix, ignored);
  }
};

std::string temp_sqlite(const std::string& name) {
  static TempFiles created;
  static int counter = 0;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("apkwarden-store-test-" + std::to_string(getpid()) + "-" +
                             std::to_string(++counter) + "-" + name + ".db"))
                               .string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  created.paths.push_back(path);
  return path;
}

// The store under test: PostgreSQL when the environment names one (emptied), else a new SQLite file.
std::unique_ptr<ResultStore> test_store(const std::string& name) {
  const char* env = std::getenv("APKWARDEN_TEST_STORE");
  if (env && *env) {
    auto db = open_database(env);
    REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().message));
    for (const Table& t : store_tables()) REQUIRE_FALSE((*db)->exec("DROP TABLE IF EXISTS " + std::string(t.name)));
    REQUIRE_FALSE((*db)->exec("DROP TABLE IF EXISTS meta"));
    auto store = ResultStore::open(env);
    REQUIRE(store.ok());
    return std::move(store.value());
  }
  auto store = ResultStore::open(temp_sqlite(name));
  REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
  return std::move(store.value());
}

std::string sha_of(char c) { return std::string(64, c); }

report::Finding finding(const std::string& rule, const std::string& category, report::Severity sev) {
  report::Finding f;
  f.rule = rule;
  f.category = category;
  f.severity = sev;
  f.confidence = "high";
  f.title = "title of " + rule + ", with \"quotes\"";
  f.location.kind = report::Location::Kind::kCode;
  f.location.dex = "classes.dex";
  f.location.class_name = "com.x.Main";
  f.location.method = "onCreate(android.os.Bundle)";
  f.location.pc = 4;
  f.evidence = {"calls WindowManager.addView", "second fact"};
  return f;
}

report::SdkHit sdk(const std::string& id, bool reachable) {
  report::SdkHit s;
  s.id = id;
  s.name = "Name " + id;
  s.category = "ads";
  s.present = true;
  s.reachable = reachable;
  return s;
}

report::Report app_report(const std::string& package, std::vector<report::Finding> findings,
                          std::vector<report::SdkHit> sdks) {
  report::Report r;
  r.tool_version = "test";
  r.apk.path = "/catalog/" + package + ".apk";
  r.apk.size = 1234;
  r.apk.kind = "apk";
  r.has_manifest = true;
  r.manifest.package = package;
  r.manifest.version_name = "1.0";
  r.findings = std::move(findings);
  r.sdks = std::move(sdks);
  report::Flow flow;
  flow.source.api = "android.telephony.TelephonyManager.getDeviceId()";
  flow.source.kind = "device-id";
  flow.sink.api = "java.net.URL.openConnection()";
  flow.sink.kind = "network";
  flow.path = {"a", "b"};
  r.flows = {flow};
  return r;
}

// Three apps: one with a high and a low finding and two SDKs, one clean with one SDK, one error.
void fill(ResultStore& store, const std::string& ruleset) {
  using report::Severity;
  const AppKey a{sha_of('a'), ruleset}, b{sha_of('b'), ruleset}, c{sha_of('c'), ruleset};
  AppRecord ra = record_from_report(
      app_report("com.bad", {finding("overlay-window", "overlay", Severity::kHigh),
                             finding("self-start", "self-start", Severity::kLow)},
                 {sdk("gdt", true), sdk("umeng", false)}),
      a);
  set_measurements(ra, 100, 2000);
  REQUIRE_FALSE(store.save(ra));
  REQUIRE_FALSE(store.save(record_from_report(app_report("com.good", {}, {sdk("gdt", false)}), b)));
  REQUIRE_FALSE(store.save(record_from_error(c, "/catalog/x.apk", 7, "timeout", "too slow")));
}

std::vector<std::string> lines_of_jsonl(Database& db) {
  std::vector<std::string> lines;
  auto n = export_jsonl(db, [&](const std::string& l) {
    lines.push_back(l);
    return true;
  });
  REQUIRE(n.ok());
  return lines;
}

}  // namespace

TEST_CASE("batch record: the worker's byte form round-trips and rejects every truncation") {
  AppRecord rec = record_from_report(app_report("com.x", {finding("r", "c", report::Severity::kMedium)}, {sdk("s", true)}),
                                     {sha_of('1'), "v1"});
  const std::string bytes = encode_record(rec);
  auto back = decode_record(bytes);
  REQUIRE(back.ok());
  CHECK(back->key == rec.key);
  CHECK(back->rows == rec.rows);
  for (size_t cut = 0; cut < bytes.size(); cut += std::max<size_t>(1, bytes.size() / 200))
    CHECK_FALSE(decode_record(bytes.substr(0, cut)).ok());
  CHECK_FALSE(decode_record(bytes + "x").ok());
  CHECK(rec.app_value("verdict") == Value("medium"));
  CHECK(record_from_report(app_report("com.y", {}, {}), {sha_of('2'), "v1"}).app_value("verdict") == Value("clean"));
}

TEST_CASE("batch store: save replaces an app's rows in one transaction and scanned lists done apps") {
  auto store = test_store("save");
  fill(*store, "v1");
  auto keys = store->keys();
  REQUIRE(keys.ok());
  CHECK(keys->size() == 3);
  auto a = store->load({sha_of('a'), "v1"});
  REQUIRE(a.ok());
  CHECK(a->rows.at("findings").size() == 2);
  CHECK(a->rows.at("sdks").size() == 2);
  CHECK(a->rows.at("flows").size() == 1);
  CHECK(a->app_value("duration_ms") == Value("100"));
  CHECK(a->rows.at("findings")[0][column_index(store_table("findings"), "location")] ==
        Value("classes.dex com.x.Main.onCreate(android.os.Bundle) pc 4"));

  // Saving again with other results leaves exactly the new rows.
  REQUIRE_FALSE(store->save(record_from_report(app_report("com.bad", {}, {}), {sha_of('a'), "v1"})));
  auto again = store->load({sha_of('a'), "v1"});
  REQUIRE(again.ok());
  CHECK(again->rows.count("findings") == 0);
  CHECK(again->rows.count("sdks") == 0);
  CHECK(again->app_value("verdict") == Value("clean"));

  auto all = store->scanned("v1", false), ok_only = store->scanned("v1", true), other = store->scanned("v2", false);
  REQUIRE((all.ok() && ok_only.ok() && other.ok()));
  CHECK(*all == std::set<std::string>{sha_of('a'), sha_of('b'), sha_of('c')});
  CHECK(*ok_only == std::set<std::string>{sha_of('a'), sha_of('b')});
  CHECK(other->empty());
  // A new rule-set version is a separate result for the same app.
  fill(*store, "v2");
  CHECK(store->keys()->size() == 6);
}

TEST_CASE("batch summary: verdicts, findings by category and severity, top SDKs, top apps, errors") {
  auto store = test_store("summary");
  fill(*store, "v1");
  fill(*store, "v0");
  auto latest = latest_ruleset(store->db());
  REQUIRE(latest.ok());
  CHECK(*latest == "v1");
  auto s = summarize(store->db(), "v1", 10);
  REQUIRE(s.ok());
  CHECK(s->apps == 3);
  auto table = [&](const std::string& id) {
    for (const auto& t : s->tables)
      if (t.id == id) return t.rows;
    FAIL("no table " << id);
    return std::vector<std::vector<std::string>>{};
  };
  using Rows = std::vector<std::vector<std::string>>;
  CHECK(table("verdicts") == Rows{{"high", "1"}, {"clean", "1"}, {"error", "1"}});
  CHECK(table("findings") == Rows{{"overlay", "high", "1", "1"}, {"self-start", "low", "1", "1"}});
  CHECK(table("sdks") == Rows{{"gdt", "Name gdt", "ads", "2", "1"}, {"umeng", "Name umeng", "ads", "1", "0"}});
  CHECK(table("apps") == Rows{{"com.bad", "/catalog/com.bad.apk", "high", "1", "2", sha_of('a')}});
  CHECK(table("errors") == Rows{{"timeout", "1"}});
  auto top1 = summarize(store->db(), "v1", 1);
  REQUIRE(top1.ok());
  CHECK(top1->tables[2].rows.size() == 1);

  const std::string csv = summary_csv(*s);
  CHECK(csv.find("category,severity,findings,apps\noverlay,high,1,1\n") != std::string::npos);
  const std::string html = summary_html(*s);
  CHECK(html.find("<td>com.bad</td>") != std::string::npos);
  CHECK(summary_text(*s).find("3 apps, rule set v1") != std::string::npos);
  CHECK(csv_field("a,\"b\"") == "\"a,\"\"b\"\"\"");
}

TEST_CASE("batch export: one JSON line per app in SHA-256 order and CSV quotes and leaves out measurements") {
  auto store = test_store("export");
  fill(*store, "v1");
  const std::vector<std::string> lines = lines_of_jsonl(store->db());
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].starts_with("{\"sha256\":\"" + sha_of('a') + "\""));
  CHECK(lines[0].find("\"report\":{\"schema_version\": 1") != std::string::npos);
  CHECK(lines[2].find("\"error\":{\"kind\":\"timeout\",\"message\":\"too slow\"},\"report\":null}") != std::string::npos);
  for (const std::string& l : lines) CHECK(l.find('\n') == std::string::npos);

  std::vector<std::string> csv;
  auto n = export_csv(store->db(), "findings", [&](const std::string& l) {
    csv.push_back(l);
    return true;
  });
  REQUIRE(n.ok());
  CHECK(*n == 2);
  CHECK(csv[0] == "sha256,ruleset,ordinal,rule,category,severity,confidence,title,sdk,location,evidence,regulation");
  CHECK(csv[1].find(",\"title of overlay-window, with \"\"quotes\"\"\",") != std::string::npos);
  CHECK(csv[1].find("\"calls WindowManager.addView\nsecond fact\"") != std::string::npos);
  std::vector<std::string> apps;
  REQUIRE(export_csv(store->db(), "apps", [&](const std::string& l) {
            apps.push_back(l);
            return true;
          }).ok());
  CHECK(apps[0].find("duration_ms") == std::string::npos);
  CHECK_FALSE(export_csv(store->db(), "reports", [](const std::string&) { return true; }).ok());
}

TEST_CASE("batch merge: shards combine into the same results as one store and merging again copies nothing") {
  auto whole = ResultStore::open(temp_sqlite("whole"));
  REQUIRE(whole.ok());
  fill(**whole, "v1");
  // Two shard stores holding a disjoint split of the same apps.
  auto shard0 = ResultStore::open(temp_sqlite("shard0"));
  auto shard1 = ResultStore::open(temp_sqlite("shard1"));
  REQUIRE((shard0.ok() && shard1.ok()));
  auto whole_keys = (*whole)->keys();
  REQUIRE(whole_keys.ok());
  for (const AppKey& key : *whole_keys) {
    auto rec = (*whole)->load(key);
    REQUIRE(rec.ok());
    REQUIRE_FALSE((key.sha256[0] == 'b' ? **shard1 : **shard0).save(*rec));
  }
  auto merged = test_store("merged");
  auto c0 = merge_store(*merged, **shard0, false);
  auto c1 = merge_store(*merged, **shard1, false);
  REQUIRE((c0.ok() && c1.ok()));
  CHECK(c0->copied == 2);
  CHECK(c1->copied == 1);
  CHECK(lines_of_jsonl(merged->db()) == lines_of_jsonl((*whole)->db()));
  auto again = merge_store(*merged, **shard0, false);
  REQUIRE(again.ok());
  CHECK(again->copied == 0);
  CHECK(again->already_present == 2);
  CHECK(merged->keys()->size() == 3);
}

TEST_CASE("batch shards: K/N parses strictly and every app falls in exactly one shard") {
  CHECK(parse_shard("0/4").ok());
  CHECK(parse_shard("3/4").ok());
  for (const char* bad : {"4/4", "1/0", "", "1", "a/2", "-1/2", "1/2/3", "1 /2"}) CHECK_FALSE(parse_shard(bad).ok());
  const char hex[] = "0123456789abcdef";
  std::vector<int> per_shard(3);
  for (int i = 0; i < 300; ++i) {
    std::string sha;
    for (int j = 0; j < 64; ++j) sha += hex[(i * 7 + j * (i % 13 + 1)) % 16];
    int hits = 0;
    for (uint64_t k = 0; k < 3; ++k)
      if (in_shard(sha, {k, 3})) {
        ++hits;
        ++per_shard[k];
      }
    CHECK(hits == 1);
    CHECK(in_shard(sha, {0, 1}));
  }
  for (int n : per_shard) CHECK(n > 50);
}

TEST_CASE("batch inputs: directories, app files and list files expand to sorted app paths") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("apkwarden-inputs-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  for (const char* f : {"b.apk", "sub/a.APK", "sub/c.dex", "notes.txt", "sub/d.xapk", "e.apks"}) {
    std::ofstream(dir / f) << "x";
  }
  std::ofstream(dir / "list.txt") << "# a comment\n\n" << (dir / "b.apk").string() << "\n" << (dir / "sub").string() << "\n";
  Diagnostics problems;
  auto paths = collect_inputs({dir.string()}, &problems);
  CHECK(paths.size() == 5);
  CHECK(std::is_sorted(paths.begin(), paths.end()));
  CHECK(problems.empty());
  auto listed = collect_inputs({(dir / "list.txt").string(), (dir / "b.apk").string(), (dir / "missing.apk").string()},
                               &problems);
  CHECK(listed.size() == 4);  // b.apk once, plus sub/ a, c, d
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].code == "batch-input-missing");
  Diagnostics hash_problems;
  auto items = hash_inputs(paths, 2, /*dedupe=*/true, &hash_problems);
  CHECK(items.size() == 1);  // every file holds "x"
  CHECK(items[0].sha256 == "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
  CHECK(hash_inputs(paths, 2, /*dedupe=*/false, &hash_problems).size() == 5);
  fs::remove_all(dir);
}

}  // namespace apkwarden::batch
