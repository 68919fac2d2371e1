// The linear sweep: order, payload skipping, clean stops; and a hostile-input sweep over random
// and bit-flipped code that must never crash or read out of bounds (run under ASan too).
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "code_builder.h"
#include "dex/code_verifier.h"
#include "dex/code_walker.h"
#include "dex/instruction_format.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::Code;

TEST_CASE("walker yields instructions in order and skips payloads") {
  const Code c{0x0012,                          // 0 const/4 v0, 0
               0x002b, 0x0005, 0x0000,          // 1 packed-switch v0, +5 -> 6
               0x000e,                          // 4 return-void
               0x0000,                          // 5 nop (alignment)
               0x0100, 0x0001, 0x0000, 0x0000,  // 6 payload: 1 case
               0xfffe, 0xffff,                  //   -> 4 - ... (target -2 from the switch)
               0x0026, 0x0004, 0x0000,          // 12 fill-array-data v0, +4 -> 16
               0x000e,                          // 15 return-void
               0x0300, 0x0002, 0x0001, 0x0000, 0x1234};  // 16 payload: 1 short
  CodeWalker w(c.span());
  Instruction i;
  std::vector<uint32_t> pcs;
  std::vector<Opcode> ops;
  while (w.next(i)) {
    pcs.push_back(i.pc);
    ops.push_back(i.opcode);
  }
  CHECK(w.ok());
  CHECK(w.stop() == WalkStop::kEnd);
  CHECK(w.stop_pc() == 21);
  CHECK(pcs == std::vector<uint32_t>{0, 1, 4, 5, 12, 15});
  CHECK(ops == std::vector<Opcode>{Opcode::kConst4, Opcode::kPackedSwitch, Opcode::kReturnVoid, Opcode::kNop,
                                   Opcode::kFillArrayData, Opcode::kReturnVoid});
  CHECK(w.instructions() == 6);
  CHECK(w.payloads() == 2);
  CHECK_FALSE(w.next(i));  // stays stopped
}

TEST_CASE("walker stops with a reason at malformed code") {
  Instruction i;
  SUBCASE("truncated last instruction") {
    const Code c1{0x000e, 0x0014, 0x0000};
    CodeWalker w(c1.span());
    CHECK(w.next(i));
    CHECK_FALSE(w.next(i));
    CHECK(w.stop() == WalkStop::kTruncated);
    CHECK(w.stop_pc() == 1);
    CHECK(w.instructions() == 1);
  }
  SUBCASE("unused opcode") {
    const Code c2{0x000e, 0x00e5, 0x000e};
    CodeWalker w(c2.span());
    CHECK(w.next(i));
    CHECK_FALSE(w.next(i));
    CHECK(w.stop() == WalkStop::kUnusedOpcode);
    CHECK(w.stop_pc() == 1);
  }
  SUBCASE("bad argument count") {
    const Code c3{0xf071, 0x0000, 0x0000};
    CodeWalker w(c3.span());
    CHECK_FALSE(w.next(i));
    CHECK(w.stop() == WalkStop::kBadArgCount);
  }
  SUBCASE("empty code ends at once") {
    CodeWalker w(ByteSpan{});
    CHECK_FALSE(w.next(i));
    CHECK(w.ok());
  }
  SUBCASE("starting mid-way") {
    const Code c4{0x001a, 0x000e, 0x000e};
    CodeWalker w(c4.span(), 1);
    CHECK(w.next(i));
    CHECK(i.pc == 1);
    CHECK(i.opcode == Opcode::kReturnVoid);  // 0x000e read as an instruction: the caller chose pc 1
  }
}

TEST_CASE("hostile code: random and bit-flipped methods never crash") {
  std::mt19937 rng(12345);
  // A small well-formed method to mutate.
  const Code base{0x0012, 0x002b, 0x0005, 0x0000, 0x000e, 0x0000, 0x0100, 0x0001, 0x0000,
                  0x0000, 0xfffe, 0xffff, 0x0026, 0x0004, 0x0000, 0x000e, 0x0300, 0x0002,
                  0x0001, 0x0000, 0x1234, 0x546e, 0x0042, 0x3210, 0x0018, 0x1111, 0x2222,
                  0x3333, 0x4444, 0x20fa, 0x0009, 0x0021, 0x0004, 0x000e};
  FallbackNamer namer;
  uint64_t decoded = 0, anomalies = 0;
  for (int round = 0; round < 4000; ++round) {
    std::vector<uint8_t> bytes;
    if (round % 2 == 0) {
      bytes = base.bytes;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) bytes[rng() % bytes.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      bytes.resize(rng() % (bytes.size() + 1));  // and sometimes cut short
    } else {
      bytes.resize(rng() % 64);
      for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
      // Bias towards payload idents and large counts, the interesting headers.
      if (bytes.size() >= 8 && rng() % 2) {
        bytes[0] = 0;
        bytes[1] = static_cast<uint8_t>(1 + rng() % 3);
      }
    }
    const ByteSpan code(bytes.data(), bytes.size());
    CodeWalker w(code);
    Instruction i;
    while (w.next(i)) {
      ++decoded;
      CHECK(i.next_pc() <= code_units(code));
      (void)format_instruction(i, namer, FormatStyle::kDexdump);
      PackedSwitchPayload p;
      SparseSwitchPayload s;
      FillArrayDataPayload a;
      if (read_packed_switch(code, i, p) == PayloadStatus::kOk) {
        CHECK(p.targets_bytes.size() == size_t{p.size} * 4);
        for (uint32_t k = 0; k < p.size; ++k) (void)p.target(k);
      }
      if (read_sparse_switch(code, i, s) == PayloadStatus::kOk) CHECK(s.keys_bytes.size() == size_t{s.size} * 4);
      if (read_fill_array_data(code, i, a) == PayloadStatus::kOk)
        CHECK(a.data.size() == size_t{a.element_width} * a.element_count);
    }
    CHECK(w.stop() != WalkStop::kNone);
    Diagnostics d;
    CodeVerifyOptions o;
    o.registers_size = rng() % 20;
    const std::vector<uint32_t> handlers = {static_cast<uint32_t>(rng() % 40)};
    o.handler_pcs = handlers;
    anomalies += verify_code(code, o, d).anomalies;
    CHECK(d.size() <= limits::kMaxInsnDiagnosticsPerMethod + 1);
  }
  MESSAGE(decoded << " instructions decoded, " << anomalies << " anomalies found in 4000 hostile methods");
  CHECK(decoded > 1000);
  CHECK(anomalies > 1000);
}
