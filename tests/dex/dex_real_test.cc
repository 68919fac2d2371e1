// Real files: every classes*.dex of the real APKs and of some DroidBench APKs, cross-checked
// against dexdump (class defs, methods, code items, code units, try items, handlers, debug
// positions); plus the structure verifier and the class pool over each app.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <sstream>

#include "dex/class_pool.h"
#include "dex/structure_verifier.h"
#include "dex_test_util.h"
#include "dex_walk.h"
#include "support.h"

using namespace apkwarden;
using namespace apkwarden::dex;

namespace {

struct DumpCounts {
  uint64_t class_defs_size = 0, classes = 0, methods = 0, code_items = 0, code_units = 0, try_items = 0, handlers = 0,
           positions = 0;
};

// Parses `dexdump -f` output. Methods are the "#n : (in L...;)" entries under the
// "Direct methods" / "Virtual methods" headings (fields use the same form under the field
// headings, so the current heading decides).
DumpCounts parse_dexdump(const std::string& out) {
  DumpCounts c;
  std::istringstream in(out);
  std::string line;
  bool in_methods = false;
  while (std::getline(in, line)) {
    if (line.rfind("class_defs_size", 0) == 0) c.class_defs_size = std::stoull(line.substr(line.find(':') + 1));
    else if (line.rfind("Class #", 0) == 0) ++c.classes, in_methods = false;
    else if (line == "  Direct methods    -" || line == "  Virtual methods   -") in_methods = true;
    else if (line == "  Static fields     -" || line == "  Instance fields   -" || line.rfind("  source_file_idx", 0) == 0)
      in_methods = false;
    else if (in_methods && line.rfind("    #", 0) == 0 && line.find(": (in ") != std::string::npos) ++c.methods;
    else if (line == "      code          -") ++c.code_items;
    else if (line.rfind("      insns size    : ", 0) == 0) c.code_units += std::stoull(line.substr(22));
    else if (line.rfind("      catches       : ", 0) == 0 && line.find("(none)") == std::string::npos)
      c.try_items += std::stoull(line.substr(22));
    else if (line.rfind("          ", 0) == 0 && line.find(" -> 0x") != std::string::npos) ++c.handlers;
    else if (line.rfind("        0x", 0) == 0 && line.find(" line=") != std::string::npos &&
             line.find(" - ") == std::string::npos)
      ++c.positions;
  }
  return c;
}

// Extracts classes*.dex of an APK into `dir`; returns them in Android order.
std::vector<std::string> extract_dex(const std::string& apk, const std::string& dir) {
  std::filesystem::create_directories(dir);
  int st = 0;
  test::run_command("unzip -o -q '" + apk + "' 'classes*.dex' -d '" + dir + "' 2>/dev/null", &st);
  std::vector<std::string> out;
  if (std::filesystem::exists(dir + "/classes.dex")) out.push_back(dir + "/classes.dex");
  for (int i = 2; std::filesystem::exists(dir + "/classes" + std::to_string(i) + ".dex"); ++i)
    out.push_back(dir + "/classes" + std::to_string(i) + ".dex");
  return out;
}

// Opens, walks, verifies and dexdumps one app's dex files; checks they agree.
void check_app(const std::string& name, const std::vector<std::string>& files, bool expect_clean) {
  CAPTURE(name);
  std::vector<std::vector<uint8_t>> bytes;
  std::vector<DexFile> dexes;
  for (const std::string& f : files) bytes.push_back(test::read_file(f));
  for (size_t i = 0; i < files.size(); ++i) {
    CAPTURE(files[i]);
    Diagnostics diags;
    auto d = DexFile::open(ByteSpan(bytes[i].data(), bytes[i].size()), files[i], &diags);
    REQUIRE_MESSAGE(d.ok(), (d.ok() ? std::string() : d.error().message));
    const test::WalkCounts w = test::walk_dex(*d);
    const StructureStats stats = verify_structure(*d, &diags);
    if (expect_clean) CHECK_MESSAGE(diags.empty(), test::diag_codes(diags));
    const DumpCounts dump = parse_dexdump(test::run_command("dexdump -f '" + files[i] + "' 2>/dev/null"));
    CHECK(dump.class_defs_size == d->class_defs_size());
    CHECK(dump.classes == w.classes);
    CHECK(dump.methods == w.methods);
    CHECK(dump.code_items == w.code_items);
    CHECK(dump.code_units == w.code_units);
    CHECK(dump.try_items == w.try_items);
    CHECK(dump.handlers == w.handlers);
    CHECK(dump.positions == w.debug_positions);
    CHECK(stats.methods == w.methods);
    CHECK(stats.class_defs == w.classes);
    dexes.push_back(std::move(d.value()));
  }
  Diagnostics pool_diags;
  ClassPool pool = ClassPool::build(dexes, &pool_diags);
  uint64_t defs = 0;
  for (auto& d : dexes) defs += d.class_defs_size();
  size_t dups = 0;
  for (auto& d : pool_diags) {
    CHECK(d.code != "dex-class-hierarchy-cycle");
    dups += d.code == "dex-duplicate-class";
  }
  CHECK(pool.defined_count() + dups == defs);
}

bool have_dexdump() {
  if (test::have_tool("dexdump") && test::have_tool("unzip")) return true;
  MESSAGE("dexdump/unzip not installed; skipping");
  return false;
}

}  // namespace

TEST_CASE("real dex files and APKs agree with dexdump") {
  if (!have_dexdump()) return;
  const std::string real = test::shared_path("corpus/real");
  if (!std::filesystem::exists(real)) {
    MESSAGE("no real corpus at " << real << "; skipping");
    return;
  }
  for (const std::string& f : test::files_under(real + "/dex", ".dex")) check_app(f, {f}, true);
  const std::string tmp = test::temp_dir("real");
  size_t apps = 0;
  for (const std::string& apk : test::files_under(real + "/apk", ".apk")) {
    const std::string dir = tmp + "/" + std::filesystem::path(apk).stem().string();
    const auto files = extract_dex(apk, dir);
    if (files.empty()) continue;
    check_app(apk, files, true);
    ++apps;
  }
  CHECK(apps >= 8);
  std::filesystem::remove_all(tmp);
}

TEST_CASE("DroidBench APKs agree with dexdump") {
  if (!have_dexdump()) return;
  const std::string root = test::shared_path("droidbench/apk");
  const auto apks = test::files_under(root, ".apk");
  if (apks.empty()) {
    MESSAGE("no DroidBench at " << root << "; skipping");
    return;
  }
  const std::string tmp = test::temp_dir("droidbench");
  // Every 7th app: a spread over the categories, quick enough for every test run.
  size_t checked = 0;
  for (size_t i = 0; i < apks.size(); i += 7) {
    const auto files = extract_dex(apks[i], tmp + "/" + std::to_string(i));
    if (files.empty()) continue;
    check_app(apks[i], files, false);
    ++checked;
  }
  CHECK(checked >= 10);
  std::filesystem::remove_all(tmp);
}

TEST_CASE("timing: open + walk the 16 dex of uiautomator2-server vs dexdump -f") {
  if (!have_dexdump()) return;
  const std::string apk = test::shared_path("corpus/real/apk/appium-uiautomator2-server-10.6.6.apk");
  if (!std::filesystem::exists(apk)) {
    MESSAGE("missing " << apk << "; skipping");
    return;
  }
  const std::string tmp = test::temp_dir("timing");
  const auto files = extract_dex(apk, tmp);
  REQUIRE(files.size() == 16);
  std::vector<std::vector<uint8_t>> bytes;
  uint64_t total = 0;
  for (auto& f : files) {
    bytes.push_back(test::read_file(f));
    total += bytes.back().size();
  }
  using clock = std::chrono::steady_clock;
  auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  auto run = [&](const OpenOptions& opts, bool deep, bool verify) {
    const auto t0 = clock::now();
    uint64_t methods = 0;
    std::vector<DexFile> dexes;
    for (size_t i = 0; i < files.size(); ++i) {
      auto d = DexFile::open(ByteSpan(bytes[i].data(), bytes[i].size()), files[i], nullptr, opts);
      REQUIRE(d);
      methods += test::walk_dex(*d, deep).methods;
      if (verify) verify_structure(*d, nullptr);
      dexes.push_back(std::move(d.value()));
    }
    ClassPool pool = ClassPool::build(dexes, nullptr);
    CHECK(pool.defined_count() > 0);
    return std::make_pair(ms(clock::now() - t0), methods);
  };
  OpenOptions full;
  OpenOptions fast;
  fast.verify_signature = false;
  auto [walk_ms, methods] = run(full, false, false);
  auto [walk_fast_ms, m2] = run(fast, false, false);
  auto [deep_ms, m3] = run(full, true, true);
  CHECK(methods == m2);
  CHECK(methods == m3);
  // Resolution cost: every method reference of every dex through the pool (what a call
  // graph does once per invoke).
  std::vector<DexFile> dexes;
  for (size_t i = 0; i < files.size(); ++i)
    dexes.push_back(DexFile::open(ByteSpan(bytes[i].data(), bytes[i].size()), files[i], nullptr).value());
  ClassPool pool = ClassPool::build(dexes, nullptr);
  const auto r0 = clock::now();
  uint64_t refs = 0, resolved = 0, targets = 0;
  for (uint32_t di = 0; di < dexes.size(); ++di)
    for (uint32_t m = 0; m < dexes[di].method_ids_size(); ++m) {
      ++refs;
      resolved += pool.resolve_method(di, MethodIdx(m)).has_value();
      targets += pool.override_targets(di, MethodIdx(m)).size();
    }
  const double resolve_ms = ms(clock::now() - r0);
  CHECK(resolved > 0);
  CHECK(targets >= resolved);
  MESSAGE(refs << " method refs: " << resolved << " resolve inside the app, " << targets
               << " override targets; resolve + override_targets for all took " << resolve_ms << " ms");
  std::string cmd = "dexdump -f";
  for (auto& f : files) cmd += " '" + f + "'";
  const auto t0 = clock::now();
  const std::string out = test::run_command(cmd + " 2>/dev/null");
  const double dexdump_ms = ms(clock::now() - t0);
  CHECK(parse_dexdump(out).methods == methods);
  MESSAGE("16 dex, " << total << " bytes, " << methods << " methods: open+walk " << walk_ms
                     << " ms (adler32+SHA-1), " << walk_fast_ms << " ms (adler32 only), open+walk+names+verifier+pool "
                     << deep_ms << " ms; dexdump -f " << dexdump_ms << " ms");
  std::filesystem::remove_all(tmp);
}
