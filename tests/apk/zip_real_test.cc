// Real APKs against Info-ZIP's unzip: same entry list (unzip -Z1), same dex sizes (unzip -l),
// and the 18 MB, 16-dex APK read quickly.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include "analyzer/apk/apk_file.h"
#include "support.h"

using apkwarden::Diagnostics;
using apkwarden::apk::ApkFile;

namespace {

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }  // corpus paths have no quotes

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// name -> uncompressed size from `unzip -l` (columns: length, date, time, name).
std::map<std::string, uint64_t> unzip_sizes(const std::string& path) {
  std::map<std::string, uint64_t> out;
  for (const std::string& l : lines(run("unzip -l " + quote(path) + " 2>/dev/null"))) {
    std::istringstream in(l);
    std::string len, date, time;
    if (!(in >> len >> date >> time)) continue;
    if (len.empty() || len.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string name;
    std::getline(in, name);
    const size_t start = name.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    out[name.substr(start)] = std::stoull(len);
  }
  return out;
}

std::vector<std::string> corpus_apks() {
  std::vector<std::string> all = apkwarden::test::files_under(apkwarden::test::shared_path("corpus/real/apk"), ".apk");
  for (auto& p : apkwarden::test::files_under(apkwarden::test::shared_path("droidbench/apk"), ".apk")) all.push_back(p);
  return all;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("real: entry lists equal unzip -Z1 and dex sizes equal unzip -l") {
  const auto apks = corpus_apks();
  if (apks.empty() || run("command -v unzip").empty()) {
    MESSAGE("skipped: no corpus or no unzip");
    return;
  }
  size_t dex_checked = 0;
  for (const std::string& path : apks) {
    CAPTURE(path);
    Diagnostics diags;
    auto f = ApkFile::open_path(path, &diags);
    REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.error().message));
    CHECK(f->kind() == ApkFile::Kind::kApk);
    CHECK(f->entry_names() == lines(run("unzip -Z1 " + quote(path) + " 2>/dev/null")));
    const auto sizes = unzip_sizes(path);
    REQUIRE_FALSE(f->dex_names().empty());
    for (const std::string& dex : f->dex_names()) {
      auto data = f->read(dex, &diags);
      REQUIRE_MESSAGE(data.ok(), (data.ok() ? "" : data.error().message));
      REQUIRE(sizes.count(dex));
      CHECK(data->size() == sizes.at(dex));
      CHECK(data->size() > 0x70);
      CHECK(std::string(data->begin(), data->begin() + 4) == "dex\n");
      ++dex_checked;
    }
    for (const auto& d : diags) {
      // Real, well-formed apps must not trip the trick detectors.
      CHECK_MESSAGE(d.code.rfind("zip-", 0) != 0, d.code << " " << d.where << ": " << d.message);
    }
  }
  MESSAGE(apks.size() << " APKs compared with unzip, " << dex_checked << " dex files read");
}

TEST_CASE("real: the 18 MB 16-dex APK opens and reads all dex fast (vs unzip -p)") {
  const std::string path = apkwarden::test::shared_path("corpus/real/apk/appium-uiautomator2-server-10.6.6.apk");
  Diagnostics diags;
  auto t0 = std::chrono::steady_clock::now();
  auto f = ApkFile::open_path(path, &diags);
  if (!f.ok()) {
    MESSAGE("skipped: " << path << " not available");
    return;
  }
  const double t_open = seconds_since(t0);
  REQUIRE(f->dex_names().size() == 16);
  uint64_t total = 0;
  double best = 1e9;
  for (int round = 0; round < 3; ++round) {
    auto t1 = std::chrono::steady_clock::now();
    uint64_t bytes = 0;
    for (const std::string& dex : f->dex_names()) {
      auto d = f->read(dex, &diags);
      REQUIRE(d.ok());
      bytes += d->size();
    }
    best = std::min(best, seconds_since(t1));
    total = bytes;
  }
  std::string names;
  for (const auto& d : f->dex_names()) names += " " + d;
  double unzip_best = 1e9;
  for (int round = 0; round < 3; ++round) {
    auto t2 = std::chrono::steady_clock::now();
    run("unzip -p " + quote(path) + names + " > /dev/null");
    unzip_best = std::min(unzip_best, seconds_since(t2));
  }
  auto t3 = std::chrono::steady_clock::now();
  const std::string digest = f->sha256();
  const double t_sha = seconds_since(t3);
  MESSAGE("open " << t_open * 1e3 << " ms; read 16 dex (" << total << " bytes) best of 3: " << best * 1e3
                  << " ms; unzip -p same entries best of 3: " << unzip_best * 1e3 << " ms; sha256 " << t_sha * 1e3
                  << " ms");
  CHECK(digest.size() == 64);
  CHECK(t_open < 0.5);
  CHECK(best < unzip_best * 3 + 0.05);  // generous: shared 2-core machine; typically faster than unzip
}
