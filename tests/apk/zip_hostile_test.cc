// Hostile input: every truncation of a small zip, garbage, and a sweep of mutated copies of a
// real APK. The property is "an Error or diagnostics, never a crash, hang or huge allocation"
// (ASan/UBSan builds check the memory side).
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>

#include "analyzer/apk/apk_file.h"
#include "analyzer/apk/zip_archive.h"
#include "apk/zip_builder.h"
#include "support.h"

using apkwarden::ByteSpan;
using apkwarden::Diagnostics;
using apkwarden::apk::ApkFile;
using apkwarden::apk::ZipArchive;
using apkwarden::test::fake_dex;
using apkwarden::test::ZipBuilder;

namespace {

// Opens and reads everything; returns how many entries read successfully.
size_t exercise(const std::vector<uint8_t>& bytes, Diagnostics& diags) {
  auto f = ApkFile::open_bytes(bytes, "mutant.apk", &diags);
  if (!f.ok()) {
    CHECK_FALSE(f.error().message.empty());
    return 0;
  }
  size_t ok = 0;
  for (const std::string& name : f->entry_names()) {
    auto r = f->read(name, &diags);
    if (r.ok()) ++ok;
    else CHECK_FALSE(r.error().message.empty());
  }
  (void)f->dex_names();
  (void)f->native_libs();
  return ok;
}

std::vector<uint8_t> small_zip() {
  ZipBuilder b;
  b.add("AndroidManifest.xml", std::string(300, 'm'));
  b.add("classes.dex", fake_dex("t"), 0);
  b.add("res/a.xml", std::string(500, 'r'));
  b.add("lib/x86/liba.so", std::string(40, 'e'), 0);
  return b.build();
}

}  // namespace

TEST_CASE("hostile: every truncation of a small zip gives an Error or a readable archive") {
  const auto full = small_zip();
  size_t opened = 0;
  for (size_t len = 0; len < full.size(); ++len) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<long>(len));
    Diagnostics diags;
    auto z = ZipArchive::open(ByteSpan(cut.data(), cut.size()), "cut.apk", &diags);
    if (!z.ok()) continue;
    ++opened;
    for (const auto& e : z->entries()) (void)z->read(e, &diags);
  }
  // Only a cut inside the EOCD's comment-free tail can leave nothing to find: none opens.
  CHECK(opened == 0);
  // Truncating the front instead (the end record survives) leaves broken offsets.
  size_t front_opened = 0;
  for (size_t drop = 1; drop < full.size(); ++drop) {
    std::vector<uint8_t> cut(full.begin() + static_cast<long>(drop), full.end());
    Diagnostics diags;
    exercise(cut, diags);
    auto z = ZipArchive::open(ByteSpan(cut.data(), cut.size()), "cut.apk", &diags);
    if (z.ok()) ++front_opened;
  }
  MESSAGE("front-truncated copies that still open: " << front_opened);
}

TEST_CASE("hostile: garbage bytes are an Error, never a crash") {
  std::mt19937 rng(1234);
  for (size_t size : {1u, 21u, 22u, 100u, 4096u, 70000u}) {
    for (int round = 0; round < 20; ++round) {
      std::vector<uint8_t> junk(size);
      for (auto& b : junk) b = static_cast<uint8_t>(rng());
      // Sprinkle signatures so the parsers go past the first check.
      for (size_t i = 0; i + 4 <= junk.size(); i += 97) {
        static const uint8_t sigs[3][4] = {{'P', 'K', 5, 6}, {'P', 'K', 1, 2}, {'P', 'K', 3, 4}};
        std::copy(sigs[(i / 97) % 3], sigs[(i / 97) % 3] + 4, junk.begin() + static_cast<long>(i));
      }
      Diagnostics diags;
      exercise(junk, diags);
    }
  }
}

TEST_CASE("hostile: sweep of bit-flipped, truncated and zero-filled copies of a real APK") {
  const std::string path = apkwarden::test::shared_path("corpus/real/apk/appium-unlock-2.0.0.apk");
  const auto original = apkwarden::test::read_file(path);
  if (original.empty()) {
    MESSAGE("skipped: " << path << " not available");
    return;
  }
  Diagnostics base_diags;
  const size_t clean = exercise(original, base_diags);
  REQUIRE(clean > 0);
  std::mt19937_64 rng(20240611);
  size_t opened = 0, total_reads = 0;
  const int kCopies = 400;
  for (int i = 0; i < kCopies; ++i) {
    std::vector<uint8_t> m = original;
    switch (i % 4) {
      case 0:  // bit flips anywhere
        for (int k = 0; k < 1 + i % 16; ++k) m[rng() % m.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
        break;
      case 1:  // bit flips in the central directory / end record (the last 4 KiB)
        for (int k = 0; k < 1 + i % 8; ++k) {
          const size_t tail = std::min<size_t>(4096, m.size());
          m[m.size() - 1 - rng() % tail] ^= static_cast<uint8_t>(1u << (rng() % 8));
        }
        break;
      case 2:  // truncation
        m.resize(rng() % m.size());
        break;
      case 3: {  // a zero-filled range
        const size_t at = rng() % m.size();
        const size_t n = std::min<size_t>(1 + rng() % 2048, m.size() - at);
        std::fill(m.begin() + static_cast<long>(at), m.begin() + static_cast<long>(at + n), 0);
        break;
      }
    }
    Diagnostics diags;
    const size_t reads = exercise(m, diags);
    total_reads += reads;
    if (reads > 0) ++opened;
  }
  MESSAGE(kCopies << " mutants: " << opened << " opened with readable entries, " << total_reads << " entry reads ok");
  CHECK(opened > 0);
}
