// Code payloads: found by magic bytes anywhere outside the dex files Android loads, nested
// containers opened to the depth limit, encrypted-looking blobs reported, media not.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "analyzer/apk/apk_file.h"
#include "analyzer/app/app_code.h"
#include "analyzer/app/payloads.h"
#include "apk/zip_builder.h"
#include "dex/dex_builder.h"
#include "dex/limits.h"
#include "support.h"

using namespace apkwarden;
using apkwarden::test::ZipBuilder;

namespace {

std::vector<report::Payload> payloads_of(std::vector<uint8_t> apk, Diagnostics* diags) {
  auto file = apk::ApkFile::open_bytes(std::move(apk), "app.apk", diags);
  REQUIRE(file.ok());
  return find_payloads(*file, diags);
}

std::vector<uint8_t> random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (auto& b : v) b = static_cast<uint8_t>(rng());
  return v;
}

ZipBuilder base_apk() {
  ZipBuilder z;
  z.add("AndroidManifest.xml", "not decoded here");
  z.add("classes.dex", test::sample_builder().build());
  return z;
}

}  // namespace

TEST_CASE("payloads: dex and jar in assets, ELF outside lib/, high-entropy blob; loaded dex excluded") {
  ZipBuilder jar;
  jar.add("classes.dex", test::sample_builder().build());
  ZipBuilder z = base_apk();
  z.add("assets/plugin.bin", test::sample_builder().build());          // a dex without the name
  z.add("assets/sdk/ads.jar", jar.build());
  z.add("res/raw/helper", std::string("\x7f" "ELF", 4) + std::string(100, 'x'));
  z.add("assets/blob.dat", random_bytes(8192, 1), 0);
  z.add("assets/picture.png", std::string("\x89PNG", 4) + std::string(100, 'p'));
  z.add("res/drawable/icon.png", std::string("\x89PNG", 4));
  Diagnostics d;
  auto p = payloads_of(z.build(), &d);
  REQUIRE(p.size() == 4);
  CHECK(p[0].path == "assets/plugin.bin");
  CHECK(p[0].kind == "dex");
  CHECK(p[0].classes == 2);
  CHECK(p[1].path == "assets/sdk/ads.jar");
  CHECK(p[1].kind == "jar");
  CHECK(p[1].classes == 2);
  CHECK(p[2].kind == "elf");
  CHECK(p[3].kind == "high-entropy");
  for (const auto& x : p) CHECK(x.sha256.size() == 64);
}

TEST_CASE("payloads: low-entropy and small files are not payloads") {
  ZipBuilder z = base_apk();
  z.add("assets/text.txt", std::string(10000, 'a'));
  z.add("assets/tiny.bin", random_bytes(1000, 2), 0);
  Diagnostics d;
  CHECK(payloads_of(z.build(), &d).empty());
  CHECK(byte_entropy(ByteSpan(std::string_view("aaaa"))) == doctest::Approx(0.0));
  const auto r = random_bytes(1 << 16, 3);
  CHECK(byte_entropy(ByteSpan(r.data(), r.size())) > 7.99);
}

TEST_CASE("payloads: a jar nested in a jar is followed; nesting stops at the depth limit") {
  std::vector<uint8_t> inner;
  {
    ZipBuilder j;
    j.add("classes.dex", test::sample_builder().build());
    inner = j.build();
  }
  // Wrap deeper than the limit: each level a zip holding the previous one.
  std::vector<uint8_t> nested = inner;
  for (int i = 0; i < limits::kMaxContainerDepth + 2; ++i) {
    ZipBuilder w;
    w.add("inner.jar", nested, 0);
    nested = w.build();
  }
  ZipBuilder z = base_apk();
  z.add("assets/outer.jar", nested, 0);
  Diagnostics d;
  auto p = payloads_of(z.build(), &d);
  CHECK(p.empty());  // the dex is below the depth limit
  bool limited = false;
  for (const auto& x : d) limited |= x.code == "payload-depth-limit";
  CHECK(limited);

  ZipBuilder shallow_outer;
  shallow_outer.add("inner.jar", inner, 0);
  ZipBuilder z2 = base_apk();
  z2.add("assets/outer.jar", shallow_outer.build(), 0);
  Diagnostics d2;
  auto p2 = payloads_of(z2.build(), &d2);
  REQUIRE(p2.size() == 1);
  CHECK(p2[0].path == "assets/outer.jar!inner.jar");
  CHECK(p2[0].classes == 2);
}

TEST_CASE("payloads: a truncated dex in an asset is listed with a diagnostic, not a crash") {
  std::vector<uint8_t> dex = test::sample_builder().build();
  dex.resize(90);
  ZipBuilder z = base_apk();
  z.add("assets/cut.dex", dex);
  Diagnostics d;
  auto p = payloads_of(z.build(), &d);
  REQUIRE(p.size() == 1);
  CHECK(p[0].classes == 0);
  bool diagnosed = false;
  for (const auto& x : d) diagnosed |= x.code == "payload-dex-unopenable";
  CHECK(diagnosed);
}

TEST_CASE("payloads: fixtures built from smali") {
  struct Want {
    const char* fixture;
    const char* path;
    const char* kind;
    uint64_t classes;
  };
  const Want wants[] = {{"payload-dexloader.apk", "assets/plugin.dex", "dex", 1},
                        {"payload-adjar.apk", "assets/gdt_plugin/gdtadv2.jar", "jar", 1},
                        {"payload-encrypted.apk", "assets/ijm_lib.dat", "high-entropy", 0}};
  for (const Want& w : wants) {
    Diagnostics d;
    auto file = apk::ApkFile::open_path(test::fixture_path(w.fixture), &d);
    REQUIRE_MESSAGE(file.ok(), w.fixture);
    auto p = find_payloads(*file, &d);
    REQUIRE_MESSAGE(p.size() == 1, w.fixture);
    CHECK(p[0].path == w.path);
    CHECK(p[0].kind == w.kind);
    CHECK(p[0].classes == w.classes);
  }
  for (const char* clean : {"clean.apk", "example.apk", "multidex.apk", "native-libs.apk"}) {
    Diagnostics d;
    auto file = apk::ApkFile::open_path(test::fixture_path(clean), &d);
    REQUIRE(file.ok());
    CHECK_MESSAGE(find_payloads(*file, &d).empty(), clean);
  }
}

TEST_CASE("payloads: their dex files join the app's code after the installed ones, marked as loaded at run time") {
  ZipBuilder jar;
  jar.add("classes.dex", test::sample_builder().build());
  ZipBuilder z = base_apk();
  z.add("assets/sdk/ads.jar", jar.build());
  z.add("assets/plugin.bin", test::sample_builder().build());
  Diagnostics d;
  auto file = apk::ApkFile::open_bytes(z.build(), "app.apk", &d);
  REQUIRE(file.ok());
  std::vector<PayloadDex> payload_dex;
  const auto payloads = find_payloads(*file, &d, &payload_dex);
  REQUIRE(payloads.size() == 2);
  REQUIRE(payload_dex.size() == 2);
  CHECK(payload_dex[0].location == "assets/sdk/ads.jar!classes.dex");
  CHECK(payload_dex[1].location == "assets/plugin.bin");

  AppCode code = load_app_code(*file, LoadCodeOptions{}, &d);
  REQUIRE(code.dex_files.size() == 1);
  add_payload_code(code, std::move(payload_dex));
  REQUIRE(code.dex_files.size() == 3);
  CHECK(code.installed_dex_count == 1);
  CHECK_FALSE(code.is_runtime_loaded(0));
  CHECK(code.is_runtime_loaded(1));
  CHECK(code.dex_files[1].location() == "assets/sdk/ads.jar!classes.dex");
  CHECK(code.dex_files[2].location() == "assets/plugin.bin");
  CHECK(code.dex_files[2].class_defs_size() == 2);
}
