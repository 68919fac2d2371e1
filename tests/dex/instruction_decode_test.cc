// One hand-assembled instruction per format: decoded fields and both text styles, exactly.
#include <doctest/doctest.h>

#include <string>

#include "code_builder.h"
#include "dex/instruction.h"
#include "dex/instruction_format.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::Code;

namespace {

// Decodes the instruction at `pc` and requires success.
Instruction at(const Code& c, uint32_t pc = 0) {
  Instruction insn;
  const DecodeStatus s = decode(c.span(), pc, insn);
  REQUIRE_MESSAGE(s == DecodeStatus::kOk, decode_status_name(s));
  return insn;
}

std::string plain(const Instruction& i) {
  FallbackNamer n;
  return format_instruction(i, n, FormatStyle::kPlain);
}
std::string dexdump(const Instruction& i) {
  FallbackNamer n;
  return format_instruction(i, n, FormatStyle::kDexdump);
}

}  // namespace

TEST_CASE("format 10x: return-void, nop") {
  const Instruction i = at(Code{0x000e});
  CHECK(i.opcode == Opcode::kReturnVoid);
  CHECK(i.format() == InstructionFormat::k10x);
  CHECK(i.size == 1);
  CHECK(i.reg_count() == 0);
  CHECK(plain(i) == "return-void");
  const Instruction nop = at(Code{0x0000});
  CHECK(plain(nop) == "nop");
  CHECK(dexdump(nop) == "nop // spacer");
}

TEST_CASE("format 12x: move v1, v2") {
  const Instruction i = at(Code{0x2101});
  CHECK(i.opcode == Opcode::kMove);
  CHECK(i.va == 1);
  CHECK(i.vb == 2);
  CHECK(i.reg_count() == 2);
  CHECK(i.reg(0) == 1);
  CHECK(i.reg(1) == 2);
  CHECK(plain(i) == "move v1, v2");
}

TEST_CASE("format 11n: const/4 sign-extends its nibble") {
  const Instruction i = at(Code{0xf312});
  CHECK(i.opcode == Opcode::kConst4);
  CHECK(i.va == 3);
  CHECK(i.literal == -1);
  CHECK(i.reg_count() == 1);
  CHECK(plain(i) == "const/4 v3, #int -1");
  CHECK(dexdump(i) == "const/4 v3, #int -1 // #ff");
  CHECK(at(Code{0x7012}).literal == 7);
}

TEST_CASE("format 11x: move-result-object v200") {
  const Instruction i = at(Code{0xc80c});
  CHECK(i.opcode == Opcode::kMoveResultObject);
  CHECK(i.va == 200);
  CHECK(plain(i) == "move-result-object v200");
}

TEST_CASE("format 10t: goto with a negative 8-bit offset") {
  const Code c{0x0000, 0x0000, 0x0000, 0xfd28};
  const Instruction i = at(c, 3);
  CHECK(i.opcode == Opcode::kGoto);
  CHECK(i.offset == -3);
  CHECK(i.target() == 0);
  CHECK(plain(i) == "goto 0000");
  CHECK(dexdump(i) == "goto 0000 // -0003");
}

TEST_CASE("format 20t: goto/16") {
  const Instruction i = at(Code{0x0029, 0x0100});
  CHECK(i.opcode == Opcode::kGoto16);
  CHECK(i.size == 2);
  CHECK(i.offset == 256);
  CHECK(plain(i) == "goto/16 0100");
  CHECK(dexdump(i) == "goto/16 0100 // +0100");
}

TEST_CASE("format 22x: move/from16 v255, v65535") {
  const Instruction i = at(Code{0xff02, 0xffff});
  CHECK(i.opcode == Opcode::kMoveFrom16);
  CHECK(i.va == 255);
  CHECK(i.vb == 65535);
  CHECK(plain(i) == "move/from16 v255, v65535");
}

TEST_CASE("format 21t: if-eqz backwards") {
  const Code c{0x0000, 0x0000, 0x0738, 0xfffe};
  const Instruction i = at(c, 2);
  CHECK(i.opcode == Opcode::kIfEqz);
  CHECK(i.va == 7);
  CHECK(i.offset == -2);
  CHECK(i.reg_count() == 1);
  CHECK(plain(i) == "if-eqz v7, 0000");
  CHECK(dexdump(i) == "if-eqz v7, 0000 // -0002");
}

TEST_CASE("format 21s: const/16 and const-wide/16 sign-extend") {
  const Instruction i = at(Code{0x0113, 0x8000});
  CHECK(i.opcode == Opcode::kConst16);
  CHECK(i.literal == -32768);
  CHECK(dexdump(i) == "const/16 v1, #int -32768 // #8000");
  const Instruction w = at(Code{0x0216, 0xffff});
  CHECK(w.opcode == Opcode::kConstWide16);
  CHECK(w.literal == -1);
  CHECK(plain(w) == "const-wide/16 v2, #long -1");
}

TEST_CASE("format 21h: high16 constants are shifted into place") {
  const Instruction f = at(Code{0x0015, 0x4120});  // 10.0f
  CHECK(f.opcode == Opcode::kConstHigh16);
  CHECK(f.literal == 0x41200000);
  CHECK(dexdump(f) == "const/high16 v0, #int 1092616192 // #4120");
  const Instruction neg = at(Code{0x0015, 0xbf80});  // -1.0f
  CHECK(neg.literal == -1082130432);
  const Instruction d = at(Code{0x0219, 0x4024});  // 10.0
  CHECK(d.opcode == Opcode::kConstWideHigh16);
  CHECK(d.literal == 0x4024000000000000LL);
  CHECK(dexdump(d) == "const-wide/high16 v2, #long 4621819117588971520 // #4024");
}

TEST_CASE("format 21c: string, type, field, method handle, proto indices") {
  const Instruction s = at(Code{0x001a, 0x1234});
  CHECK(s.opcode == Opcode::kConstString);
  CHECK(s.index == 0x1234);
  CHECK(s.index_kind() == IndexKind::kString);
  CHECK(plain(s) == "const-string v0, string@1234");
  CHECK(dexdump(s) == "const-string v0, string@1234 // string@1234");
  CHECK(plain(at(Code{0x031f, 0x0002})) == "check-cast v3, type@0002");
  const Instruction f = at(Code{0x0462, 0x0007});
  CHECK(f.opcode == Opcode::kSgetObject);
  CHECK(f.has(opflags::kStatic));
  CHECK(plain(f) == "sget-object v4, field@0007");
  CHECK(plain(at(Code{0x00fe, 0x0001})) == "const-method-handle v0, method_handle@0001");
  CHECK(dexdump(at(Code{0x00fe, 0x0001})) == "const-method-handle v0, method_handle@0001");
  CHECK(dexdump(at(Code{0x00ff, 0x0002})) == "const-method-type v0, proto@0002 // proto@0002");
}

TEST_CASE("format 23x: add-int v1, v2, v3") {
  const Instruction i = at(Code{0x0190, 0x0302});
  CHECK(i.opcode == Opcode::kAddInt);
  CHECK(i.va == 1);
  CHECK(i.vb == 2);
  CHECK(i.vc == 3);
  CHECK(i.reg_count() == 3);
  CHECK(plain(i) == "add-int v1, v2, v3");
}

TEST_CASE("format 22b: add-int/lit8 with a negative literal") {
  const Instruction i = at(Code{0x00d8, 0x8001});
  CHECK(i.opcode == Opcode::kAddIntLit8);
  CHECK(i.va == 0);
  CHECK(i.vb == 1);
  CHECK(i.literal == -128);
  CHECK(i.reg_count() == 2);
  CHECK(dexdump(i) == "add-int/lit8 v0, v1, #int -128 // #80");
}

TEST_CASE("format 22t: if-ne v1, v2, +5") {
  const Instruction i = at(Code{0x2133, 0x0005});
  CHECK(i.opcode == Opcode::kIfNe);
  CHECK(i.va == 1);
  CHECK(i.vb == 2);
  CHECK(i.offset == 5);
  CHECK(plain(i) == "if-ne v1, v2, 0005");
  CHECK(dexdump(i) == "if-ne v1, v2, 0005 // +0005");
}

TEST_CASE("format 22s: rsub-int v1, v2, #1000") {
  const Instruction i = at(Code{0x21d1, 0x03e8});
  CHECK(i.opcode == Opcode::kRsubInt);
  CHECK(i.literal == 1000);
  CHECK(dexdump(i) == "rsub-int v1, v2, #int 1000 // #03e8");
  CHECK(at(Code{0x21d0, 0xfffe}).literal == -2);
}

TEST_CASE("format 22c: iget-object and instance-of") {
  const Instruction i = at(Code{0x2154, 0x0010});
  CHECK(i.opcode == Opcode::kIgetObject);
  CHECK(i.va == 1);
  CHECK(i.vb == 2);
  CHECK(i.index == 0x10);
  CHECK(i.has(opflags::kFieldGet));
  CHECK_FALSE(i.has(opflags::kStatic));
  CHECK(plain(i) == "iget-object v1, v2, field@0010");
  CHECK(dexdump(at(Code{0x5420, 0x0003})) == "instance-of v4, v5, type@0003 // type@0003");
}

TEST_CASE("format 30t: goto/32, including to itself") {
  const Instruction i = at(Code{0x002a, 0x5678, 0x1234});
  CHECK(i.opcode == Opcode::kGoto32);
  CHECK(i.size == 3);
  CHECK(i.offset == 0x12345678);
  CHECK(dexdump(i) == "goto/32 #12345678");  // dexdump prints the raw offset
  CHECK(plain(i) == "goto/32 12345678");
  const Instruction self = at(Code{0x002a, 0x0000, 0x0000});
  CHECK(self.offset == 0);
  CHECK(self.target() == 0);
  CHECK(at(Code{0x002a, 0xffff, 0xffff}).offset == -1);
}

TEST_CASE("format 32x: move/16 v1000, v2000") {
  const Instruction i = at(Code{0x0003, 0x03e8, 0x07d0});
  CHECK(i.opcode == Opcode::kMove16);
  CHECK(i.va == 1000);
  CHECK(i.vb == 2000);
  CHECK(plain(i) == "move/16 v1000, v2000");
}

TEST_CASE("format 31i: const and const-wide/32") {
  const Instruction i = at(Code{0x0014, 0x0000, 0x3fc0});
  CHECK(i.opcode == Opcode::kConst);
  CHECK(i.literal == 0x3fc00000);
  CHECK(dexdump(i) == "const v0, #float 1.5 // #3fc00000");
  CHECK(plain(i) == "const v0, #int 1069547520");
  const Instruction w = at(Code{0x0217, 0xfffe, 0xffff});
  CHECK(w.opcode == Opcode::kConstWide32);
  CHECK(w.literal == -2);
  CHECK(plain(w) == "const-wide/32 v2, #long -2");
}

TEST_CASE("format 31t: fill-array-data offset") {
  const Instruction i = at(Code{0x0326, 0x0008, 0x0000});
  CHECK(i.opcode == Opcode::kFillArrayData);
  CHECK(i.va == 3);
  CHECK(i.offset == 8);
  CHECK(i.has(opflags::kPayloadUser));
  CHECK(dexdump(i) == "fill-array-data v3, 00000008 // +00000008");
  CHECK(plain(i) == "fill-array-data v3, 0008");
}

TEST_CASE("format 31c: const-string/jumbo with a 32-bit index") {
  const Instruction i = at(Code{0x051b, 0x2345, 0x0001});
  CHECK(i.opcode == Opcode::kConstStringJumbo);
  CHECK(i.index == 0x12345);
  CHECK(dexdump(i) == "const-string/jumbo v5, string@12345 // string@00012345");
}

TEST_CASE("format 35c: five arguments, none, and invoke-custom") {
  const Instruction i = at(Code{0x546e, 0x0042, 0x3210});
  CHECK(i.opcode == Opcode::kInvokeVirtual);
  CHECK(i.arg_count == 5);
  CHECK(i.reg_count() == 5);
  for (uint32_t k = 0; k < 5; ++k) CHECK(i.reg(k) == k);
  CHECK(i.index == 0x42);
  CHECK(plain(i) == "invoke-virtual {v0, v1, v2, v3, v4}, method@0042");
  CHECK(dexdump(i) == "invoke-virtual {v0, v1, v2, v3, v4}, method@0042 // method@0042");
  const Instruction none = at(Code{0x0071, 0x0007, 0x0000});
  CHECK(none.reg_count() == 0);
  CHECK(none.has(opflags::kStatic));
  CHECK(plain(none) == "invoke-static {}, method@0007");
  const Instruction cs = at(Code{0x10fc, 0x0003, 0x0001});
  CHECK(cs.opcode == Opcode::kInvokeCustom);
  CHECK(cs.index_kind() == IndexKind::kCallSite);
  CHECK(dexdump(cs) == "invoke-custom {v1}, call_site@0003");
  CHECK(plain(at(Code{0x2024, 0x0009, 0x0076})) == "filled-new-array {v6, v7}, type@0009");
}

TEST_CASE("format 3rc: invoke-virtual/range") {
  const Instruction i = at(Code{0x0374, 0x0055, 0x000a});
  CHECK(i.opcode == Opcode::kInvokeVirtualRange);
  CHECK(i.is_range());
  CHECK(i.range_start == 10);
  CHECK(i.arg_count == 3);
  CHECK(i.reg_count() == 3);
  CHECK(i.reg(2) == 12);
  CHECK(plain(i) == "invoke-virtual/range {v10, v11, v12}, method@0055");
}

TEST_CASE("format 45cc: invoke-polymorphic carries method and proto") {
  const Instruction i = at(Code{0x20fa, 0x0009, 0x0021, 0x0004});
  CHECK(i.opcode == Opcode::kInvokePolymorphic);
  CHECK(i.size == 4);
  CHECK(i.index == 9);
  CHECK(i.proto_index == 4);
  CHECK(i.reg_count() == 2);
  CHECK(i.reg(0) == 1);
  CHECK(i.reg(1) == 2);
  CHECK(plain(i) == "invoke-polymorphic {v1, v2}, method@0009, proto@0004");
  CHECK(dexdump(i) == "invoke-polymorphic {v1, v2}, method@0009, proto@0004 // method@0009, proto@0004");
}

TEST_CASE("format 4rcc: invoke-polymorphic/range") {
  const Instruction i = at(Code{0x03fb, 0x0001, 0x0005, 0x0002});
  CHECK(i.opcode == Opcode::kInvokePolymorphicRange);
  CHECK(i.range_start == 5);
  CHECK(i.arg_count == 3);
  CHECK(i.proto_index == 2);
  CHECK(plain(i) == "invoke-polymorphic/range {v5, v6, v7}, method@0001, proto@0002");
}

TEST_CASE("format 51l: const-wide with a 64-bit literal") {
  const Instruction i = at(Code{0x0018, 0x2d18, 0x5444, 0x21fb, 0x4009});
  CHECK(i.opcode == Opcode::kConstWide);
  CHECK(i.size == 5);
  CHECK(static_cast<uint64_t>(i.literal) == 0x400921fb54442d18ULL);
  CHECK(dexdump(i) == "const-wide v0, #double 3.14159 // #400921fb54442d18");
  CHECK(plain(i) == "const-wide v0, #long 4614256656552045848");
}

TEST_CASE("decode reports bad input as a status, never reading out of bounds") {
  Instruction i;
  SUBCASE("instruction truncated at the end") {
    const Code c{0x0000, 0x001a};  // nop, then const-string without its index unit
    CHECK(decode(c.span(), 1, i) == DecodeStatus::kTruncated);
    CHECK(i.opcode == Opcode::kConstString);
    CHECK(decode(Code{0x0018, 0x0000, 0x0000, 0x0000}.span(), 0, i) == DecodeStatus::kTruncated);
  }
  SUBCASE("unused opcodes") {
    for (uint16_t op : {0x3e, 0x43, 0x73, 0x79, 0x7a, 0xe3, 0xf9}) {
      CHECK(decode(Code{op}.span(), 0, i) == DecodeStatus::kUnusedOpcode);
      CHECK(i.size == 1);
    }
  }
  SUBCASE("pc at or past the end, odd trailing byte ignored") {
    CHECK(decode(Code{0x000e}.span(), 1, i) == DecodeStatus::kPcOutOfRange);
    CHECK(decode(ByteSpan(), 0, i) == DecodeStatus::kPcOutOfRange);
    const uint8_t odd[] = {0x0e, 0x00, 0x12};
    CHECK(code_units(ByteSpan(odd, 3)) == 1);
    CHECK(decode(ByteSpan(odd, 3), 1, i) == DecodeStatus::kPcOutOfRange);
  }
  SUBCASE("35c with more than five arguments") {
    CHECK(decode(Code{0x606e, 0x0001, 0x0000}.span(), 0, i) == DecodeStatus::kBadArgCount);
    CHECK(i.size == 3);
    CHECK(i.reg_count() == 5);
  }
  SUBCASE("the Result form carries the error code and byte offset") {
    const Code c{0x0000, 0x001a};
    const Result<Instruction> r = decode_instruction(c.span(), 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kTruncated);
    CHECK(r.error().offset == 2);
    CHECK(decode_instruction(Code{0x003e}.span(), 0).error().message == "unused opcode unused-3e");
    CHECK(decode_instruction(c.span(), 0)->opcode == Opcode::kNop);
  }
}
