// Hostile ELF input: truncated and bit-flipped copies of the real libraries never crash the
// analysis (run under ASan+UBSan with -DAPKWARDEN_SANITIZE=ON). In-process, deterministic.
#include <doctest/doctest.h>

#include <cstring>
#include <random>

#include "analyzer/native/native_analysis.h"
#include "support.h"

using namespace apkwarden;

namespace {

void analyse(const std::vector<uint8_t>& bytes) {
  Diagnostics diags;
  auto r = native::analyze_elf(ByteSpan(bytes.data(), bytes.size()), "hostile.so", native::NativeOptions{}, &diags);
  if (r.ok()) CHECK(r->machine.size() > 0);
}

std::vector<std::string> small_elves() {
  std::vector<std::string> out;
  for (const auto& p : test::files_under(test::shared_path("corpus/real/native"), ""))
    if (p.find("minitouch") != std::string::npos || p.find("minicap") != std::string::npos) out.push_back(p);
  return out;
}

}  // namespace

TEST_CASE("truncated ELF copies never crash and report truncation") {
  const auto files = small_elves();
  REQUIRE(files.size() >= 8);
  for (const auto& path : files) {
    CAPTURE(path);
    const auto bytes = test::read_file(path);
    for (size_t cut : {size_t{0}, size_t{3}, size_t{16}, size_t{52}, size_t{64}, size_t{200}, bytes.size() / 3,
                       bytes.size() / 2, bytes.size() - 1}) {
      std::vector<uint8_t> t(bytes.begin(), bytes.begin() + std::min(cut, bytes.size()));
      analyse(t);
      if (cut >= 64 && cut < bytes.size()) {
        Diagnostics diags;
        auto r = native::analyze_elf(ByteSpan(t.data(), t.size()), "t.so", native::NativeOptions{}, &diags);
        if (r.ok()) CHECK(r->truncated);
      }
    }
  }
}

TEST_CASE("bit-flipped ELF copies never crash") {
  std::mt19937 rng(20261128);
  for (const auto& path : small_elves()) {
    CAPTURE(path);
    const auto bytes = test::read_file(path);
    for (int round = 0; round < 40; ++round) {
      std::vector<uint8_t> m = bytes;
      // Half the rounds hit the headers and tables (first 4 KiB and the section headers at the end).
      const int flips = 1 + static_cast<int>(rng() % 16);
      for (int i = 0; i < flips; ++i) {
        size_t pos;
        if (round % 2 == 0) pos = rng() % std::min<size_t>(m.size(), 4096);
        else if (round % 4 == 1) pos = m.size() - 1 - rng() % std::min<size_t>(m.size(), 4096);
        else pos = rng() % m.size();
        m[pos] ^= static_cast<uint8_t>(1u << (rng() % 8));
      }
      analyse(m);
    }
  }
}

TEST_CASE("a program header past the end of the file keeps the image from LIEF (it would allocate the range)") {
  std::vector<uint8_t> bytes;
  for (const auto& path : small_elves()) {
    auto b = test::read_file(path);
    if (b.size() > 64 && b[4] == 2) {  // ELFCLASS64
      bytes = std::move(b);
      break;
    }
  }
  REQUIRE(!bytes.empty());
  uint64_t phoff = 0;
  std::memcpy(&phoff, bytes.data() + 0x20, 8);
  REQUIRE(phoff + 56 <= bytes.size());
  const uint64_t offset = 0x2e580000, filesz = 0x1a80000;  // 800 MB into a small file
  std::memcpy(bytes.data() + phoff + 8, &offset, 8);
  std::memcpy(bytes.data() + phoff + 32, &filesz, 8);
  Diagnostics diags;
  auto r = native::analyze_elf(ByteSpan(bytes.data(), bytes.size()), "lying.so", native::NativeOptions{}, &diags);
  REQUIRE(r.ok());
  CHECK_FALSE(r->imports.empty());  // our reader still describes the library
  bool skipped = false;
  for (const auto& d : diags) skipped |= d.code == "native-lief-skipped" && d.message.find("program header 0") != std::string::npos;
  CHECK(skipped);
}
