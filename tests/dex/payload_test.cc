// Switch and array-data payloads: sizes from headers, views, and every way a reference to one
// can be wrong.
#include <doctest/doctest.h>

#include "code_builder.h"
#include "dex/code_walker.h"
#include "dex/instruction.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::Code;

namespace {

Instruction first(const Code& c, uint32_t pc = 0) {
  Instruction i;
  REQUIRE(decode(c.span(), pc, i) == DecodeStatus::kOk);
  return i;
}

}  // namespace

TEST_CASE("packed-switch payload: size, keys, targets") {
  const Code c{0x002b, 0x0004, 0x0000,  // 0: packed-switch v0, +4
               0x0000,                  // 3: nop (alignment)
               0x0100, 0x0002,          // 4: packed-switch-payload, size 2
               0xfffe, 0xffff,          //    first_key -2
               0x0003, 0x0000,          //    target +3
               0xfffd, 0xffff};         //    target -3
  uint64_t units = 0;
  REQUIRE(payload_units_at(c.span(), 4, units));
  CHECK(units == 8);
  CHECK(payload_ident_at(c.span(), 4) == kPackedSwitchPayloadIdent);
  Instruction raw;
  CHECK(decode(c.span(), 4, raw) == DecodeStatus::kPayload);
  CHECK(raw.size == 8);

  PackedSwitchPayload p;
  REQUIRE(read_packed_switch(c.span(), first(c), p) == PayloadStatus::kOk);
  CHECK(p.pc == 4);
  CHECK(p.size == 2);
  CHECK(p.first_key == -2);
  CHECK(p.key(1) == -1);
  CHECK(p.target(0) == 3);
  CHECK(p.target(1) == -3);
  CHECK(p.target(2) == 0);  // out of range reads give 0, never past the data

  CodeWalker w(c.span());
  Instruction i;
  REQUIRE(w.next(i));
  CHECK(i.opcode == Opcode::kPackedSwitch);
  REQUIRE(w.next(i));
  CHECK(i.opcode == Opcode::kNop);
  CHECK_FALSE(w.next(i));
  CHECK(w.stop() == WalkStop::kEnd);
  CHECK(w.instructions() == 2);
  CHECK(w.payloads() == 1);
}

TEST_CASE("sparse-switch payload: keys and targets") {
  const Code c{0x012c, 0x0004, 0x0000, 0x0000,  // sparse-switch v1, +4; nop
               0x0200, 0x0002,                  // sparse-switch-payload, size 2
               0xffff, 0xffff, 0x000a, 0x0000,  // keys -1, 10
               0x0003, 0x0000, 0x0006, 0x0000};  // targets 3, 6
  uint64_t units = 0;
  REQUIRE(payload_units_at(c.span(), 4, units));
  CHECK(units == 10);
  SparseSwitchPayload p;
  REQUIRE(read_sparse_switch(c.span(), first(c), p) == PayloadStatus::kOk);
  CHECK(p.size == 2);
  CHECK(p.key(0) == -1);
  CHECK(p.key(1) == 10);
  CHECK(p.target(0) == 3);
  CHECK(p.target(1) == 6);
}

TEST_CASE("fill-array-data payload: widths 1, 2 and 8") {
  SUBCASE("bytes, odd count padded to a whole unit") {
    const Code c{0x0026, 0x0004, 0x0000, 0x0000,  // fill-array-data v0, +4; nop
                 0x0300, 0x0001, 0x0003, 0x0000,  // width 1, count 3
                 0x0201, 0x0003};                 // 01 02 03 (pad)
    uint64_t units = 0;
    REQUIRE(payload_units_at(c.span(), 4, units));
    CHECK(units == 6);
    FillArrayDataPayload p;
    REQUIRE(read_fill_array_data(c.span(), first(c), p) == PayloadStatus::kOk);
    CHECK(p.element_width == 1);
    CHECK(p.element_count == 3);
    CHECK(p.data.size() == 3);
    CHECK(p.element(0) == 1);
    CHECK(p.element(2) == 3);
    CHECK(p.element(3) == 0);
  }
  SUBCASE("shorts") {
    const Code c{0x0026, 0x0004, 0x0000, 0x0000, 0x0300, 0x0002, 0x0002, 0x0000, 0xbeef, 0x1234};
    FillArrayDataPayload p;
    REQUIRE(read_fill_array_data(c.span(), first(c), p) == PayloadStatus::kOk);
    CHECK(p.element(0) == 0xbeef);
    CHECK(p.element(1) == 0x1234);
  }
  SUBCASE("longs") {
    const Code c{0x0026, 0x0004, 0x0000, 0x0000, 0x0300, 0x0008, 0x0001, 0x0000,
                 0x4444, 0x3333, 0x2222, 0x1111};
    FillArrayDataPayload p;
    REQUIRE(read_fill_array_data(c.span(), first(c), p) == PayloadStatus::kOk);
    CHECK(p.element(0) == 0x1111222233334444ULL);
  }
}

TEST_CASE("payload references that are wrong are reported, not followed") {
  PackedSwitchPayload packed;
  SparseSwitchPayload sparse;
  FillArrayDataPayload array;
  SUBCASE("offset outside the method, both directions") {
    const Code c{0x002b, 0x0064, 0x0000, 0x000e};
    CHECK(read_packed_switch(c.span(), first(c), packed) == PayloadStatus::kOutOfRange);
    const Code back{0x002b, 0xffff, 0xffff, 0x000e};
    CHECK(read_packed_switch(back.span(), first(back), packed) == PayloadStatus::kOutOfRange);
    const Code huge{0x002b, 0xffff, 0x7fff, 0x000e};
    CHECK(read_packed_switch(huge.span(), first(huge), packed) == PayloadStatus::kOutOfRange);
  }
  SUBCASE("odd alignment") {
    const Code c{0x002b, 0x0003, 0x0000, 0x0100, 0x0000, 0x0000, 0x0000};
    CHECK(read_packed_switch(c.span(), first(c), packed) == PayloadStatus::kMisaligned);
  }
  SUBCASE("wrong ident") {
    const Code c{0x002b, 0x0004, 0x0000, 0x0000, 0x0200, 0x0000};
    CHECK(read_packed_switch(c.span(), first(c), packed) == PayloadStatus::kWrongIdent);
    const Code not_payload{0x002c, 0x0004, 0x0000, 0x0000, 0x000e, 0x0000};
    CHECK(read_sparse_switch(not_payload.span(), first(not_payload), sparse) == PayloadStatus::kWrongIdent);
  }
  SUBCASE("not a payload user") {
    const Code c{0x000e};
    CHECK(read_fill_array_data(c.span(), first(c), array) == PayloadStatus::kNotPayloadUser);
  }
  SUBCASE("huge element count runs past the end") {
    const Code c{0x0026, 0x0004, 0x0000, 0x0000, 0x0300, 0x0008, 0xffff, 0xffff, 0x0000};
    uint64_t units = 0;
    REQUIRE(payload_units_at(c.span(), 4, units));
    CHECK(units == 4 + (8ULL * 0xffffffffULL + 1) / 2);
    CHECK(read_fill_array_data(c.span(), first(c), array) == PayloadStatus::kTruncated);
    Instruction raw;
    CHECK(decode(c.span(), 4, raw) == DecodeStatus::kTruncated);
    CodeWalker w(c.span());
    Instruction i;
    CHECK(w.next(i));
    CHECK(w.next(i));  // the nop
    CHECK_FALSE(w.next(i));
    CHECK(w.stop() == WalkStop::kTruncated);
    CHECK(w.stop_pc() == 4);
  }
  SUBCASE("switch size larger than the data") {
    const Code c{0x002b, 0x0004, 0x0000, 0x0000, 0x0100, 0xffff, 0x0000, 0x0000};
    CHECK(read_packed_switch(c.span(), first(c), packed) == PayloadStatus::kTruncated);
    const Code s{0x002c, 0x0004, 0x0000, 0x0000, 0x0200, 0x0001, 0x0000, 0x0000};
    CHECK(read_sparse_switch(s.span(), first(s), sparse) == PayloadStatus::kTruncated);
  }
  SUBCASE("header itself cut off") {
    const Code c{0x0026, 0x0004, 0x0000, 0x0000, 0x0300, 0x0001};
    uint64_t units = 0;
    CHECK_FALSE(payload_units_at(c.span(), 4, units));
    CHECK(read_fill_array_data(c.span(), first(c), array) == PayloadStatus::kTruncated);
  }
  SUBCASE("element width other than 1, 2, 4, 8") {
    const Code c{0x0026, 0x0004, 0x0000, 0x0000, 0x0300, 0x0003, 0x0001, 0x0000, 0x0000, 0x0000};
    CHECK(read_fill_array_data(c.span(), first(c), array) == PayloadStatus::kBadElementWidth);
  }
}
