// The opcode table: names as dexdump prints them, sizes, index kinds and flags.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "dex/opcode_stats.h"
#include "dex/opcode_table.h"

using namespace apkwarden::dex;
using namespace apkwarden::dex::opflags;

TEST_CASE("opcode names follow dexdump, unique, and map back") {
  CHECK(opcode_name(Opcode::kNop) == "nop");
  CHECK(opcode_name(static_cast<Opcode>(0x0c)) == "move-result-object");
  CHECK(opcode_name(static_cast<Opcode>(0x1b)) == "const-string/jumbo");
  CHECK(opcode_name(static_cast<Opcode>(0x74)) == "invoke-virtual/range");
  CHECK(opcode_name(static_cast<Opcode>(0xd1)) == "rsub-int");
  CHECK(opcode_name(static_cast<Opcode>(0xd9)) == "rsub-int/lit8");
  CHECK(opcode_name(static_cast<Opcode>(0xbb)) == "add-long/2addr");
  CHECK(opcode_name(static_cast<Opcode>(0x8f)) == "int-to-short");
  CHECK(opcode_name(static_cast<Opcode>(0xfa)) == "invoke-polymorphic");
  CHECK(opcode_name(static_cast<Opcode>(0xfb)) == "invoke-polymorphic/range");
  CHECK(opcode_name(static_cast<Opcode>(0xfd)) == "invoke-custom/range");
  CHECK(opcode_name(static_cast<Opcode>(0xfe)) == "const-method-handle");
  CHECK(opcode_name(static_cast<Opcode>(0xff)) == "const-method-type");
  CHECK(opcode_name(static_cast<Opcode>(0x3e)) == "unused-3e");
  CHECK(opcode_name(static_cast<Opcode>(0x73)) == "unused-73");
  CHECK(opcode_name(static_cast<Opcode>(0xe3)) == "unused-e3");
  std::set<std::string> names;
  int unused = 0;
  for (int v = 0; v < 256; ++v) {
    const auto op = static_cast<Opcode>(v);
    names.insert(std::string(opcode_name(op)));
    Opcode back;
    REQUIRE(opcode_from_name(opcode_name(op), back));
    CHECK(back == op);
    unused += !opcode_is_valid(op);
  }
  CHECK(names.size() == 256);
  CHECK(unused == 32);  // 3e..43, 73, 79, 7a, e3..f9
  Opcode dummy;
  CHECK_FALSE(opcode_from_name("return-void-barrier", dummy));
}

TEST_CASE("opcode formats, sizes and index kinds") {
  CHECK(opcode_format(Opcode::kConstWide) == InstructionFormat::k51l);
  CHECK(opcode_units(Opcode::kConstWide) == 5);
  CHECK(opcode_units(Opcode::kInvokePolymorphic) == 4);
  CHECK(opcode_units(Opcode::kInvokeVirtual) == 3);
  CHECK(opcode_units(Opcode::kGoto32) == 3);
  CHECK(opcode_units(Opcode::kIfEqz) == 2);
  CHECK(opcode_units(Opcode::kReturnVoid) == 1);
  CHECK(format_name(InstructionFormat::k4rcc) == "4rcc");
  CHECK(format_units(InstructionFormat::k22cs) == 2);
  CHECK(format_register_fields(InstructionFormat::k23x) == 3);
  CHECK(opcode_index_kind(Opcode::kConstString) == IndexKind::kString);
  CHECK(opcode_index_kind(Opcode::kConstStringJumbo) == IndexKind::kString);
  CHECK(opcode_index_kind(Opcode::kNewArray) == IndexKind::kType);
  CHECK(opcode_index_kind(Opcode::kFilledNewArrayRange) == IndexKind::kType);
  CHECK(opcode_index_kind(Opcode::kSputWide) == IndexKind::kField);
  CHECK(opcode_index_kind(Opcode::kInvokeInterfaceRange) == IndexKind::kMethod);
  CHECK(opcode_index_kind(Opcode::kInvokeCustom) == IndexKind::kCallSite);
  CHECK(opcode_index_kind(Opcode::kConstMethodHandle) == IndexKind::kMethodHandle);
  CHECK(opcode_index_kind(Opcode::kConstMethodType) == IndexKind::kProto);
  CHECK(opcode_index_kind(Opcode::kInvokePolymorphicRange) == IndexKind::kMethodAndProto);
  CHECK(index_kind_name(IndexKind::kCallSite) == "call_site");
  // Every opcode with a 'c'-format carries an index, and only those.
  for (int v = 0; v < 256; ++v) {
    const auto op = static_cast<Opcode>(v);
    const std::string_view f = format_name(opcode_format(op));
    CHECK_MESSAGE((f.find('c') != std::string_view::npos) == (opcode_index_kind(op) != IndexKind::kNone),
                  opcode_name(op));
  }
}

TEST_CASE("opcode flags describe control flow and effects") {
  CHECK(opcode_has(Opcode::kGoto, kGoto | kBranch));
  CHECK_FALSE(opcode_has(Opcode::kGoto, kContinue));
  CHECK(opcode_has(Opcode::kIfLez, kBranch | kConditional));
  CHECK(opcode_has(Opcode::kIfLez, kContinue));
  CHECK_FALSE(opcode_has(Opcode::kReturnObject, kContinue));
  CHECK(opcode_has(Opcode::kReturnObject, kReturn));
  CHECK(opcode_has(Opcode::kThrow, kThrow));
  CHECK_FALSE(opcode_has(Opcode::kThrow, kContinue));
  CHECK(opcode_has(Opcode::kPackedSwitch, kSwitch | kContinue));
  CHECK(opcode_has(Opcode::kInvokeStaticRange, kInvoke));
  CHECK(opcode_has(Opcode::kInvokeStaticRange, kStatic));
  CHECK(opcode_has(Opcode::kInvokeStaticRange, kRange));
  CHECK(opcode_has(Opcode::kSgetBoolean, kFieldGet));
  CHECK(opcode_has(Opcode::kSgetBoolean, kStatic));
  CHECK(opcode_has(Opcode::kIputWide, kFieldPut));
  CHECK_FALSE(opcode_has(Opcode::kIputWide, kStatic));
  CHECK(opcode_has(Opcode::kMoveResultWide, kMoveResult));
  CHECK(opcode_has(Opcode::kConstClass, kConst | kCanThrow));
  CHECK(opcode_has(Opcode::kDivIntLit8, kCanThrow));
  CHECK_FALSE(opcode_has(Opcode::kDivFloat, kCanThrow));
  CHECK_FALSE(opcode_has(Opcode::kAddInt, kCanThrow));
  CHECK(opcode_has(Opcode::kAgetObject, kArrayGet));
  CHECK(opcode_has(Opcode::kAputByte, kArrayPut));
  CHECK(opcode_has(Opcode::kFillArrayData, kPayloadUser));
  for (int v = 0; v < 256; ++v) {
    const auto op = static_cast<Opcode>(v);
    // Range opcodes are exactly the 3rc/4rcc ones; every valid opcode either continues or transfers.
    const InstructionFormat f = opcode_format(op);
    CHECK((f == InstructionFormat::k3rc || f == InstructionFormat::k4rcc) == opcode_has(op, kRange));
    if (opcode_is_valid(op))
      CHECK_MESSAGE(opcode_has(op, kContinue | kGoto | kReturn | kThrow), opcode_name(op));
  }
}

TEST_CASE("opcode stats count, merge and iterate in opcode order") {
  OpcodeStats a, b;
  a.add(Opcode::kReturnVoid);
  a.add(Opcode::kNop, 3);
  b.add(Opcode::kReturnVoid, 2);
  b.add(Opcode::kConstMethodType);
  a.merge(b);
  CHECK(a.count(Opcode::kReturnVoid) == 3);
  CHECK(a.total() == 7);
  CHECK(a.distinct() == 3);
  std::string seen;
  a.for_each([&](Opcode, std::string_view name, uint64_t n) { seen += std::string(name) + "=" + std::to_string(n) + " "; });
  CHECK(seen == "nop=3 return-void=3 const-method-type=1 ");
  int all = 0;
  a.for_each([&](Opcode, std::string_view, uint64_t) { ++all; }, true);
  CHECK(all == 256);
  OpcodeStats c = a;
  CHECK(c == a);
  c.add(Opcode::kNop);
  CHECK_FALSE(c == a);
}
