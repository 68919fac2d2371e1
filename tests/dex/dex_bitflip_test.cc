// Thousands of random bit flips of a real dex (and of the built sample), each opened and fully
// walked: every class, class data, code item, try/handler, debug info, annotation, encoded
// value, plus the structure verifier and the class pool. Nothing may crash, hang or allocate
// without bound (run under ASan/UBSan: -DAPKWARDEN_SANITIZE=ON).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <random>

#include "dex/class_pool.h"
#include "dex/structure_verifier.h"
#include "dex_builder.h"
#include "dex_test_util.h"
#include "dex_walk.h"
#include "support.h"

using namespace apkwarden;
using namespace apkwarden::dex;

namespace {

struct SweepStats {
  size_t opened = 0, refused = 0, diagnostics = 0;
};

void sweep(const std::vector<uint8_t>& original, uint32_t seed, int rounds, SweepStats& s) {
  std::mt19937_64 rng(seed);
  OpenOptions opts;
  std::vector<uint8_t> bytes;
  for (int round = 0; round < rounds; ++round) {
    bytes = original;
    // Most flips land in the first quarter (header, id tables, early data) where they matter
    // most; the rest anywhere. Sometimes also a truncation.
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int f = 0; f < flips; ++f) {
      const size_t span = (rng() % 2) ? bytes.size() / 4 + 1 : bytes.size();
      const size_t pos = rng() % span;
      bytes[pos] ^= static_cast<uint8_t>(1u << (rng() % 8));
    }
    // Structure-aware: an extreme 32-bit value in the header or a random aligned word (sizes,
    // offsets and indices are where parsers overflow).
    if (rng() % 3 == 0) {
      static const uint32_t kExtremes[] = {0, 1, 0x7f, 0x80, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe,
                                           0xffffffff};
      const size_t word = (rng() % 2) ? 8 + rng() % 28 : rng() % (bytes.size() / 4);
      uint32_t v = kExtremes[rng() % std::size(kExtremes)];
      if (rng() % 4 == 0) v = static_cast<uint32_t>(bytes.size() - rng() % 16);
      if (word * 4 + 4 <= bytes.size()) test::set_u32(bytes, word * 4, v);
    }
    if (rng() % 16 == 0) bytes.resize(rng() % bytes.size());
    // Re-fix the digests half the time, so the walk is not short-circuited by nothing.
    if (rng() % 2) test::fix_digests(bytes);
    opts.verify_signature = (round % 8) == 0;  // SHA-1 is the slow part; check it sometimes
    Diagnostics diags;
    auto all = DexFile::open_all(ByteSpan(bytes.data(), bytes.size()), "flip.dex", &diags, opts);
    if (!all) {
      ++s.refused;
      continue;
    }
    ++s.opened;
    for (const DexFile& d : *all) {
      test::walk_dex(d, true);
      verify_structure(d, &diags);
    }
    ClassPool pool = ClassPool::build(*all, &diags);
    // Ask the pool the questions a call graph would, for a few methods.
    const DexFile& d0 = (*all)[0];
    for (uint32_t m = 0; m < d0.method_ids_size() && m < 64; ++m) {
      (void)pool.resolve_method(0, MethodIdx(m));
      (void)pool.override_targets(0, MethodIdx(m));
    }
    for (uint32_t c = 0; c < pool.size() && c < 64; ++c) {
      (void)pool.superclass_chain(c);
      (void)pool.is_subclass_of(pool.node(c).descriptor, "Ljava/lang/Object;");
    }
    s.diagnostics += diags.size();
  }
}

// APKWARDEN_FUZZ_ROUNDS scales the sweeps for a longer local run (default 1).
int scaled(int rounds) {
  const char* f = std::getenv("APKWARDEN_FUZZ_ROUNDS");
  const int k = f ? std::atoi(f) : 1;
  return rounds * (k > 0 ? k : 1);
}

}  // namespace

TEST_CASE("bit flips of the built sample never crash") {
  SweepStats s;
  const int rounds = scaled(5000);
  sweep(test::sample_builder().build(), 11, rounds, s);
  MESSAGE("sample: " << s.opened << " opened, " << s.refused << " refused, " << s.diagnostics << " diagnostics");
  CHECK(s.opened + s.refused == static_cast<size_t>(rounds));
  CHECK(s.opened > 0);
  CHECK(s.diagnostics > 0);
}

TEST_CASE("bit flips of a real dex never crash") {
  const std::string path = test::shared_path("corpus/real/dex/appium-android-bootstrap-3.0.0-classes.dex");
  if (!std::filesystem::exists(path)) {
    MESSAGE("missing " << path << "; skipping");
    return;
  }
  const std::vector<uint8_t> original = test::read_file(path);
  REQUIRE(original.size() > 0x70);
  SweepStats s;
  const int rounds = scaled(4000);
  sweep(original, 12345, rounds, s);
  MESSAGE("real dex: " << s.opened << " opened, " << s.refused << " refused, " << s.diagnostics << " diagnostics");
  CHECK(s.opened + s.refused == static_cast<size_t>(rounds));
  CHECK(s.opened > static_cast<size_t>(rounds) / 2);
}

TEST_CASE("bit flips of a DEX 041 container never crash") {
  test::DexBuilder second;
  test::DexClass& c = second.add_class("Lcom/y/B;");
  c.super = "Lcom/x/A;";
  test::DexMethod m;
  m.name = "foo";
  m.params = {"I", "Ljava/lang/String;"};
  c.methods.push_back(m);
  const auto container = test::build_container({test::sample_builder(), second});
  SweepStats s;
  const int rounds = scaled(3000);
  sweep(container, 99, rounds, s);
  CHECK(s.opened + s.refused == static_cast<size_t>(rounds));
  CHECK(s.opened > 0);
}
