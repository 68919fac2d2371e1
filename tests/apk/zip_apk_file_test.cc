// ApkFile: bare dex, multidex order, native libs and assets, split bundles, nesting depth,
// SHA-256.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/sha256.h"
#include "apk/zip_builder.h"
#include "dex/limits.h"
#include "support.h"

using apkwarden::ByteSpan;
using apkwarden::Diagnostics;
using apkwarden::ErrorCode;
using apkwarden::apk::ApkFile;
using apkwarden::apk::sha256_hex;
using apkwarden::test::bytes_of;
using apkwarden::test::fake_dex;
using apkwarden::test::ZipBuilder;

namespace {

size_t count_code(const Diagnostics& d, std::string_view code) {
  return static_cast<size_t>(std::count_if(d.begin(), d.end(), [&](const auto& x) { return x.code == code; }));
}

std::vector<uint8_t> small_apk(std::string_view tag, bool with_libs = false) {
  ZipBuilder b;
  b.add("AndroidManifest.xml", std::string("manifest of ") + std::string(tag));
  b.add("classes.dex", fake_dex(tag));
  if (with_libs) b.add("lib/arm64-v8a/libnative.so", std::string(64, '\x7f'), 0);
  b.add("assets/" + std::string(tag) + ".txt", tag);
  return b.build();
}

}  // namespace

TEST_CASE("apk: a bare dex is one entry named classes.dex") {
  const auto dex = fake_dex("bare");
  Diagnostics diags;
  auto f = ApkFile::open_bytes(dex, "x.dex", &diags);
  REQUIRE(f.ok());
  CHECK(f->kind() == ApkFile::Kind::kDex);
  CHECK(f->dex_names() == std::vector<std::string>{"classes.dex"});
  CHECK(f->contains("classes.dex"));
  auto d = f->read("classes.dex", &diags);
  REQUIRE(d.ok());
  CHECK(*d == dex);
  CHECK_FALSE(f->read("classes2.dex", &diags).ok());
  CHECK(f->size() == dex.size());
}

TEST_CASE("apk: dex order follows ART (classes.dex, classes2.dex, ... up to the first gap)") {
  ZipBuilder b;
  b.add("AndroidManifest.xml", "m");
  b.add("classes3.dex", fake_dex("3"));
  b.add("classes.dex", fake_dex("1"));
  b.add("classes5.dex", fake_dex("5"));  // after the gap at 4: never loaded
  b.add("classes1.dex", fake_dex("x"));  // not an ART name
  b.add("classes2.dex", fake_dex("2"));
  b.add("sub/classes.dex", fake_dex("sub"));  // not at the root: not code, not reported
  b.add("lib/arm64-v8a/liba.so", "elf", 0);
  b.add("lib/x86/sub/libb.so", "elf", 0);  // two levels: not extracted by Android
  b.add("lib/../evil.so", "elf", 0);
  b.add("lib/armeabi-v7a/", "", 0);
  b.add("assets/", "", 0);
  b.add("assets/www/index.html", "<html>");
  const auto bytes = b.build();
  Diagnostics diags;
  auto f = ApkFile::open_bytes(bytes, "multi.apk", &diags);
  REQUIRE(f.ok());
  CHECK(f->kind() == ApkFile::Kind::kApk);
  CHECK(f->dex_names() == std::vector<std::string>{"classes.dex", "classes2.dex", "classes3.dex"});
  CHECK(count_code(diags, "apk-dex-not-loaded") == 2);
  REQUIRE(f->native_libs().size() == 1);
  CHECK(f->native_libs()[0].abi == "arm64-v8a");
  CHECK(f->native_libs()[0].path == "lib/arm64-v8a/liba.so");
  CHECK(f->native_libs()[0].size == 3);
  CHECK(f->assets() == std::vector<std::string>{"assets/www/index.html"});
  auto d = f->read("classes2.dex", &diags);
  REQUIRE(d.ok());
  CHECK(*d == fake_dex("2"));
  CHECK(f->entry_names().size() == 13);
}

TEST_CASE("apk: an .apks bundle merges base and splits, split names kept in entry paths") {
  ZipBuilder bundle;
  bundle.add("toc.pb", "toc");
  bundle.add("splits/base-master.apk", small_apk("base"), 0);
  bundle.add("splits/base-arm64_v8a.apk", small_apk("abi", true), 0);
  bundle.add("splits/feature-master.apk", small_apk("feature"), 8);  // deflated: inflated and kept
  bundle.add("standalones/standalone-arm64_v8a.apk", small_apk("standalone"), 0);
  const auto bytes = bundle.build();
  Diagnostics diags;
  auto f = ApkFile::open_bytes(bytes, "app.apks", &diags);
  REQUIRE(f.ok());
  CHECK(f->kind() == ApkFile::Kind::kSplitBundle);
  REQUIRE(f->parts().size() == 3);
  CHECK(f->parts()[0].is_base);
  CHECK(f->parts()[0].prefix.empty());
  CHECK(f->parts()[1].prefix == "splits/base-arm64_v8a.apk!");
  CHECK(f->dex_names() == std::vector<std::string>{"classes.dex", "splits/base-arm64_v8a.apk!classes.dex",
                                                    "splits/feature-master.apk!classes.dex"});
  REQUIRE(f->native_libs().size() == 1);
  CHECK(f->native_libs()[0].path == "splits/base-arm64_v8a.apk!lib/arm64-v8a/libnative.so");
  auto lib = f->read(f->native_libs()[0].path, &diags);
  REQUIRE(lib.ok());
  CHECK(lib->size() == 64);
  auto base_dex = f->read("classes.dex", &diags);
  REQUIRE(base_dex.ok());
  CHECK(*base_dex == fake_dex("base"));
  auto feature_dex = f->read("splits/feature-master.apk!classes.dex", &diags);
  REQUIRE(feature_dex.ok());
  CHECK(*feature_dex == fake_dex("feature"));
  CHECK(f->assets().size() == 3);
  CHECK(f->bundle() != nullptr);
  CHECK(f->parts()[1].archive.where() == "app.apks!splits/base-arm64_v8a.apk");
  CHECK(count_code(diags, "apk-no-manifest") == 0);
}

TEST_CASE("apk: an .xapk without base.apk takes the largest non-config APK as base") {
  ZipBuilder bundle;
  bundle.add("manifest.json", R"({"package_name":"com.example","split_apks":[]})");
  bundle.add("config.arm64_v8a.apk", small_apk("config-with-a-long-tag-to-be-the-largest", true), 0);
  bundle.add("com.example.apk", small_apk("base"), 0);
  bundle.add("icon.png", "png");
  const auto bytes = bundle.build();
  Diagnostics diags;
  auto f = ApkFile::open_bytes(bytes, "app.xapk", &diags);
  REQUIRE(f.ok());
  REQUIRE(f->parts().size() == 2);
  CHECK(f->parts()[0].archive.where() == "app.xapk!com.example.apk");
  CHECK(count_code(diags, "bundle-base-guessed") == 1);
  CHECK(f->dex_names().front() == "classes.dex");
}

TEST_CASE("apk: bundles nested beyond kMaxContainerDepth are not opened") {
  std::vector<uint8_t> inner = small_apk("deepest");
  for (int level = 0; level < apkwarden::limits::kMaxContainerDepth + 1; ++level) {
    ZipBuilder b;
    b.add("base.apk", inner, level % 2 ? 8 : 0);
    inner = b.build();
  }
  Diagnostics diags;
  auto f = ApkFile::open_bytes(inner, "deep.apks", &diags);
  REQUIRE(f.ok());
  CHECK(count_code(diags, "zip-container-depth") == 1);
  CHECK(f->dex_names().empty());  // the innermost APK was never reached
  CHECK(count_code(diags, "apk-no-manifest") == 1);
}

TEST_CASE("apk: a bundle just within the depth limit is opened") {
  ZipBuilder mid;
  mid.add("base.apk", small_apk("inner"), 0);
  ZipBuilder outer;
  outer.add("base.apk", mid.build(), 0);
  const auto bytes = outer.build();
  Diagnostics diags;
  auto f = ApkFile::open_bytes(bytes, "two.apks", &diags);
  REQUIRE(f.ok());
  CHECK(count_code(diags, "zip-container-depth") == 0);
  CHECK(f->dex_names() == std::vector<std::string>{"classes.dex"});
}

TEST_CASE("apk: open_path errors on missing files, directories and non-zips") {
  Diagnostics diags;
  auto missing = ApkFile::open_path("/nonexistent/x.apk", &diags);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kIo);
  CHECK_FALSE(ApkFile::open_path("/tmp", &diags).ok());
  CHECK_FALSE(ApkFile::open_bytes(bytes_of("just text"), "t.txt", &diags).ok());
  CHECK_FALSE(ApkFile::open_bytes({}, "empty", &diags).ok());
}

TEST_CASE("sha256: FIPS 180-2 test vectors") {
  CHECK(sha256_hex(ByteSpan(std::string_view(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex(ByteSpan(std::string_view("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex(ByteSpan(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  const std::string million(1000000, 'a');
  CHECK(sha256_hex(ByteSpan(std::string_view(million))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Streaming in odd pieces gives the same digest.
  apkwarden::apk::Sha256 s;
  for (size_t off = 0; off < million.size();) {
    const size_t n = std::min<size_t>(1 + off % 97, million.size() - off);
    s.update(ByteSpan(std::string_view(million).substr(off, n)));
    off += n;
  }
  std::string hex;
  for (uint8_t b : s.finish()) {
    static const char* k = "0123456789abcdef";
    hex += k[b >> 4];
    hex += k[b & 15];
  }
  CHECK(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: ApkFile::sha256 equals sha256sum of a real APK") {
  const std::string path = apkwarden::test::shared_path("corpus/real/apk/appium-unlock-2.0.0.apk");
  Diagnostics diags;
  auto f = ApkFile::open_path(path, &diags);
  if (!f.ok()) {
    MESSAGE("skipped: " << path << " not available");
    return;
  }
  FILE* p = popen(("sha256sum '" + path + "'").c_str(), "r");
  REQUIRE(p);
  char buf[128] = {};
  REQUIRE(fgets(buf, sizeof buf, p));
  pclose(p);
  CHECK(f->sha256() == std::string(buf, 64));
}
