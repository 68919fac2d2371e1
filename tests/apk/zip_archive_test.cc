// ZipArchive on archives built in-test: one known-good APK and one trick or limit per case.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "analyzer/apk/zip_archive.h"
#include "apk/zip_builder.h"
#include "dex/limits.h"

using apkwarden::ByteSpan;
using apkwarden::Diagnostics;
using apkwarden::ErrorCode;
using apkwarden::apk::ZipArchive;
using apkwarden::apk::ZipEntry;
using apkwarden::test::bytes_of;
using apkwarden::test::deflate_raw;
using apkwarden::test::fake_dex;
using apkwarden::test::ZipBuilder;
namespace limits = apkwarden::limits;
namespace apk = apkwarden::apk;

namespace {

size_t count_code(const Diagnostics& d, std::string_view code) {
  return static_cast<size_t>(std::count_if(d.begin(), d.end(), [&](const auto& x) { return x.code == code; }));
}

std::string codes(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d) s += x.code + " (" + x.where + ": " + x.message + ")\n";
  return s;
}

ZipBuilder normal_apk() {
  ZipBuilder b;
  b.add("AndroidManifest.xml", "<manifest/> pretend axml");
  b.add("classes.dex", fake_dex("one"), 0);
  b.add("res/layout/main.xml", std::string(3000, 'x'));
  b.add("assets/config.txt", "key=value");
  b.add("lib/arm64-v8a/libx.so", std::string(100, '\x7f'), 0);
  return b;
}

ZipArchive open_ok(const std::vector<uint8_t>& bytes, Diagnostics& diags) {
  auto z = ZipArchive::open(ByteSpan(bytes.data(), bytes.size()), "t.apk", &diags);
  REQUIRE_MESSAGE(z.ok(), (z.ok() ? "" : z.error().message));
  return std::move(z.value());
}

}  // namespace

TEST_CASE("zip: a normal apk lists, finds and reads every entry without diagnostics") {
  ZipBuilder b = normal_apk();
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(z.libzip_opened());
  REQUIRE(z.entries().size() == 5);
  for (size_t i = 0; i < z.entries().size(); ++i) {
    const ZipEntry& e = z.entries()[i];
    CHECK(e.index == i);
    CHECK(e.name == b.entries()[i].name);
    CHECK(z.find(e.name) == &e);
    auto data = z.read(e, &diags);
    REQUIRE(data.ok());
    CHECK(*data == b.entries()[i].data);
  }
  CHECK(z.find("missing") == nullptr);
  CHECK(z.entries()[1].method == 0);
  CHECK(z.entries()[2].method == 8);
  CHECK(z.entries()[2].compressed_size < z.entries()[2].uncompressed_size);
  CHECK_MESSAGE(diags.empty(), codes(diags));
}

TEST_CASE("zip: fake encryption (bit 0) is read as Android reads it, with a diagnostic") {
  ZipBuilder b = normal_apk();
  b.entries()[0].flags = 1;  // deflated manifest
  b.entries()[1].flags = 1;  // stored dex
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(count_code(diags, "zip-fake-encryption") == 2);
  CHECK(z.entries()[0].flagged_encrypted);
  for (int i = 0; i < 2; ++i) {
    auto data = z.read(z.entries()[i], &diags);
    REQUIRE(data.ok());
    CHECK(*data == b.entries()[i].data);
  }
  CHECK(count_code(diags, "zip-crc-mismatch") == 0);
  CHECK(count_code(diags, "zip-fake-encryption") == 2);
}

TEST_CASE("zip: local header / central directory mismatch uses the directory and the local data offset") {
  ZipBuilder b = normal_apk();
  auto& dex = b.entries()[1];
  dex.local_name = "xlasses.dex";          // same length, different name
  dex.local_extra = {0xfe, 0xca, 3, 0, 1, 2, 3};  // moves the data: only the local header knows
  dex.local_method = 8;                    // claims deflate; the directory says stored
  dex.local_usize = 1;
  auto& manifest = b.entries()[0];
  manifest.local_csize = 0xdead;
  manifest.local_crc = 0xbeef;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  REQUIRE(count_code(diags, "zip-local-header-mismatch") == 2);
  std::string all = codes(diags);
  CHECK(all.find("name, method, uncompressed size") != std::string::npos);
  CHECK(all.find("compressed size, crc") != std::string::npos);
  const ZipEntry* e = z.find("classes.dex");
  REQUIRE(e);
  CHECK((e->anomalies & apk::kAnomalyLocalMismatch) != 0);
  auto data = z.read(*e, &diags);
  REQUIRE(data.ok());
  CHECK(*data == dex.data);
  auto m = z.read(z.entries()[0], &diags);
  REQUIRE(m.ok());
  CHECK(*m == manifest.data);
  CHECK(count_code(diags, "zip-crc-mismatch") == 0);
}

TEST_CASE("zip: a data descriptor (bit 3) with zero local sizes is not a mismatch") {
  ZipBuilder b;
  auto& e = b.add("classes.dex", fake_dex("dd"));
  e.flags = 8;
  e.local_crc = 0;
  e.local_csize = 0;
  e.local_usize = 0;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  auto data = z.read(z.entries()[0], &diags);
  REQUIRE(data.ok());
  CHECK(*data == e.data);
  CHECK_MESSAGE(diags.empty(), codes(diags));
}

TEST_CASE("zip: duplicate names keep the first record, with a diagnostic") {
  ZipBuilder b = normal_apk();
  b.add("classes.dex", fake_dex("second"), 8);
  b.add("AndroidManifest.xml", "evil twin", 0);
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(z.entries().size() == 5);
  CHECK(count_code(diags, "zip-duplicate-entry") == 2);
  auto data = z.read(*z.find("classes.dex"), &diags);
  REQUIRE(data.ok());
  CHECK(*data == fake_dex("one"));
  CHECK(z.find("AndroidManifest.xml")->index == 0);
}

TEST_CASE("zip: an unknown compression method on stored data reads as stored") {
  ZipBuilder b = normal_apk();
  b.entries()[0].method = 0x1337;  // written as is (stored bytes), method field bogus
  b.entries()[1].method = 99;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(count_code(diags, "zip-unknown-method") == 2);
  for (int i = 0; i < 2; ++i) {
    auto data = z.read(z.entries()[i], &diags);
    REQUIRE(data.ok());
    CHECK(*data == b.entries()[i].data);
  }
}

TEST_CASE("zip: a stored entry whose sizes disagree reads the uncompressed size") {
  ZipBuilder b;
  auto& e = b.add("assets/a.bin", std::string(50, 'a'), 0);
  e.cd_csize = 10;
  e.local_csize = 10;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(count_code(diags, "zip-stored-size-mismatch") == 1);
  auto data = z.read(z.entries()[0], &diags);
  REQUIRE(data.ok());
  CHECK(data->size() == 50);
}

TEST_CASE("zip: a wrong CRC is reported but the data is returned (Android does not check it)") {
  ZipBuilder b;
  auto& e = b.add("classes.dex", fake_dex("crc"));
  e.cd_crc = 0x12345678;
  e.local_crc = 0x12345678;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  auto data = z.read(z.entries()[0], &diags);
  REQUIRE(data.ok());
  CHECK(*data == e.data);
  CHECK(count_code(diags, "zip-crc-mismatch") == 1);
}

TEST_CASE("zip: a zip bomb is skipped with a diagnostic, honest or lying about its size") {
  const std::vector<uint8_t> zeros(64u << 20, 0);  // 64 MiB of zeros deflate to ~64 KiB
  const auto packed = deflate_raw(zeros, 9);
  REQUIRE(zeros.size() / packed.size() > limits::kMaxCompressionRatio);
  ZipBuilder b;
  b.add("AndroidManifest.xml", "m");
  auto& honest = b.add("assets/honest.bin", std::vector<uint8_t>{}, 8);
  honest.payload = packed;
  honest.cd_usize = static_cast<uint32_t>(zeros.size());
  honest.local_usize = static_cast<uint32_t>(zeros.size());
  honest.cd_crc = honest.local_crc = apkwarden::test::crc_of(zeros);
  auto& liar = b.add("classes.dex", std::vector<uint8_t>{}, 8);
  liar.payload = packed;
  liar.cd_usize = liar.local_usize = 1000;  // declares 1000 bytes
  // Below the ratio floor, high ratios are fine.
  const std::vector<uint8_t> small_zeros(limits::kCompressionRatioFloorBytes / 2, 0);
  b.add("assets/small.bin", small_zeros);
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  auto h = z.read(*z.find("assets/honest.bin"), &diags);
  REQUIRE_FALSE(h.ok());
  CHECK(h.error().code == ErrorCode::kLimitExceeded);
  auto l = z.read(*z.find("classes.dex"), &diags);
  REQUIRE_FALSE(l.ok());
  CHECK(l.error().code == ErrorCode::kLimitExceeded);
  CHECK(count_code(diags, "zip-compression-ratio") == 2);
  auto s = z.read(*z.find("assets/small.bin"), &diags);
  REQUIRE(s.ok());
  CHECK(s->size() == small_zeros.size());
}

TEST_CASE("zip: the inflated-bytes budget is shared and enforced") {
  ZipBuilder b;
  b.add("a.bin", std::vector<uint8_t>(1000, 1), 0);
  const auto bytes = b.build();
  auto budget = apk::make_inflate_budget();
  budget->store(limits::kMaxTotalInflatedBytes - 10);
  Diagnostics diags;
  auto z = ZipArchive::open(ByteSpan(bytes.data(), bytes.size()), "t.apk", &diags, budget);
  REQUIRE(z.ok());
  auto r = z->read(z->entries()[0], &diags);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kLimitExceeded);
  CHECK(count_code(diags, "zip-total-inflated-limit") == 1);
}

TEST_CASE("zip: more entries than kMaxZipEntries keeps the first ones, with one capped diagnostic") {
  ZipBuilder b;
  const uint64_t n = limits::kMaxZipEntries + 5;
  b.entries().reserve(n);
  for (uint64_t i = 0; i < n; ++i) b.add("e/" + std::to_string(i), std::vector<uint8_t>{}, 0);
  ZipBuilder::Options opt;
  opt.zip64 = true;
  const auto bytes = b.build(opt);
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(z.entries().size() == limits::kMaxZipEntries);
  CHECK(count_code(diags, "zip-too-many-entries") == 1);
  CHECK(z.entries().back().name == "e/" + std::to_string(limits::kMaxZipEntries - 1));
}

TEST_CASE("zip: hostile names are diagnosed; unusable ones skipped, traversal ones flagged") {
  ZipBuilder b;
  b.add("AndroidManifest.xml", "m");
  b.add("../../evil.sh", "x");
  b.add("/data/local/tmp/abs", "x");
  b.add("lib/../lib/arm64-v8a/libz.so", "x");
  b.add(std::string("nul\0name", 8), "x");
  b.add("bad\xc3\x28utf8", "x");
  b.add("overlong\xc0\xafslash", "x");
  b.add(std::string(limits::kMaxEntryNameBytes + 1, 'n'), "x");
  b.add("dotdot..file", "fine");
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(count_code(diags, "zip-path-traversal") == 3);
  CHECK(count_code(diags, "zip-invalid-name") == 3);
  CHECK(count_code(diags, "zip-name-too-long") == 1);
  CHECK(z.entries().size() == 5);
  REQUIRE(z.find("../../evil.sh"));
  CHECK((z.find("../../evil.sh")->anomalies & apk::kAnomalyTraversalName) != 0);
  CHECK((z.find("dotdot..file")->anomalies & apk::kAnomalyTraversalName) == 0);
}

TEST_CASE("zip: archives libzip refuses are still read (own directory reader)") {
  SUBCASE("non-zero disk numbers") {
    ZipBuilder b = normal_apk();
    ZipBuilder::Options opt;
    opt.eocd_disk = 1;
    const auto bytes = b.build(opt);
    Diagnostics diags;
    ZipArchive z = open_ok(bytes, diags);
    CHECK(count_code(diags, "zip-disk-number") == 1);
    CHECK(count_code(diags, "zip-libzip-refused") == 1);
    CHECK_FALSE(z.libzip_opened());
    for (size_t i = 0; i < z.entries().size(); ++i) {
      auto d = z.read(z.entries()[i], &diags);
      REQUIRE(d.ok());
      CHECK(*d == b.entries()[i].data);
    }
  }
  SUBCASE("trailing bytes after the end record") {
    ZipBuilder b = normal_apk();
    ZipBuilder::Options opt;
    opt.trailing = bytes_of("GARBAGE-AFTER-EOCD");
    const auto bytes = b.build(opt);
    Diagnostics diags;
    ZipArchive z = open_ok(bytes, diags);
    CHECK(count_code(diags, "zip-trailing-bytes") == 1);
    CHECK(z.entries().size() == 5);
    auto d = z.read(*z.find("res/layout/main.xml"), &diags);
    REQUIRE(d.ok());
    CHECK(d->size() == 3000);
  }
  SUBCASE("an entry claims a different disk") {
    ZipBuilder b = normal_apk();
    b.entries()[2].cd_disk = 7;
    const auto bytes = b.build();
    Diagnostics diags;
    ZipArchive z = open_ok(bytes, diags);
    CHECK(z.entries().size() == 5);
    auto d = z.read(*z.find("res/layout/main.xml"), &diags);
    REQUIRE(d.ok());
  }
  SUBCASE("end record counts fewer entries than the directory holds") {
    ZipBuilder b = normal_apk();
    ZipBuilder::Options opt;
    opt.eocd_count = 3;
    const auto bytes = b.build(opt);
    Diagnostics diags;
    ZipArchive z = open_ok(bytes, diags);
    CHECK(z.entries().size() == 3);
    CHECK(count_code(diags, "zip-hidden-central-records") == 1);
  }
}

TEST_CASE("zip: an EOCD signature in the comment does not hide the real one") {
  ZipBuilder b = normal_apk();
  ZipBuilder::Options opt;
  opt.comment = std::string("PK\x05\x06", 4) + std::string(18, '\0');
  const auto bytes = b.build(opt);
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(z.entries().size() == 5);
  CHECK(count_code(diags, "zip-eocd-skipped") == 1);
}

TEST_CASE("zip: diagnostics of one code are capped, then summarised") {
  ZipBuilder b;
  for (int i = 0; i < 100; ++i) b.add(std::to_string(i) + ".txt", "x").flags = 1;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(count_code(diags, "zip-fake-encryption") == limits::kMaxZipDiagnosticsPerCode + 1);
  CHECK(diags.back().message.find("84 more") != std::string::npos);
}

TEST_CASE("zip: not a zip at all is an Error") {
  Diagnostics diags;
  for (std::string_view s : {std::string_view(""), std::string_view("PK"), std::string_view("hello world, no zip here"),
                             std::string_view("PK\x05\x06", 4)}) {
    auto z = ZipArchive::open(ByteSpan(s), "t.apk", &diags);
    CHECK_FALSE(z.ok());
  }
  const std::string eocd_only = std::string("PK\x05\x06", 4) + std::string(18, '\0');
  auto empty = ZipArchive::open(ByteSpan(eocd_only), "t.apk", &diags);
  REQUIRE(empty.ok());
  CHECK(empty->entries().empty());
  CHECK(count_code(diags, "zip-empty") == 1);
}

TEST_CASE("zip: entries pointing outside the file fail to read, the rest still work") {
  ZipBuilder b = normal_apk();
  b.entries()[1].cd_offset = 0x7fffff00;
  b.entries()[2].cd_csize = 0x7fffff00;
  const auto bytes = b.build();
  Diagnostics diags;
  ZipArchive z = open_ok(bytes, diags);
  CHECK(count_code(diags, "zip-bad-local-header") == 1);
  CHECK(count_code(diags, "zip-data-out-of-range") == 1);
  CHECK_FALSE(z.read(*z.find("classes.dex"), &diags).ok());
  CHECK_FALSE(z.read(*z.find("res/layout/main.xml"), &diags).ok());
  auto ok = z.read(*z.find("assets/config.txt"), &diags);
  REQUIRE(ok.ok());
  CHECK(*ok == bytes_of("key=value"));
}
