// The instruction-level verifier: a clean method, then one anomaly per case with its exact code.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "code_builder.h"
#include "dex/code_verifier.h"
#include "dex/limits.h"

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& v) {
    std::string s = "{";
    for (const std::string& x : v) s += (s.size() > 1 ? ", " : "") + x;
    return (s + "}").c_str();
  }
};
}  // namespace doctest

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::Code;

namespace {

Diagnostics verify(const Code& c, uint32_t registers = 4, std::vector<uint32_t> handlers = {}) {
  Diagnostics out;
  CodeVerifyOptions o;
  o.registers_size = registers;
  o.handler_pcs = handlers;
  o.where = "m";
  verify_code(c.span(), o, out);
  return out;
}

std::vector<std::string> codes(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d) out.push_back(x.code);
  return out;
}

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("verifier: a well-formed method has no diagnostics") {
  const Code c{0x0012,          // 0: const/4 v0, 0
               0x0038, 0x0003,  // 1: if-eqz v0, +3 -> 4
               0x000e,          // 3: return-void
               0x000e};         // 4: return-void
  CHECK(verify(c, 1).empty());
}

TEST_CASE("verifier: unused opcode and bad argument count") {
  // An invalid instruction ends its path, so what follows it is unreachable as well.
  const Diagnostics d = verify(Code{0x003e, 0x000e});
  REQUIRE(codes(d) == Codes{"dex-insn-unused-opcode", "dex-insn-unreachable-code"});
  CHECK(d[0].where == "m@0000");
  CHECK(d[0].message == "unused opcode unused-3e");
  CHECK(codes(verify(Code{0x606e, 0x0001, 0x0000, 0x000e})) ==
        Codes{"dex-insn-bad-arg-count", "dex-insn-unreachable-code"});
}

TEST_CASE("verifier: instruction running past the end") {
  const Diagnostics d = verify(Code{0x0012, 0x001a});
  REQUIRE(codes(d) == Codes{"dex-insn-truncated"});
  CHECK(d[0].where == "m@0001");
}

TEST_CASE("verifier: register numbers against registers_size") {
  CHECK(codes(verify(Code{0x0112, 0x000e}, 1)) == Codes{"dex-insn-register-out-of-range"});
  CHECK(verify(Code{0x0112, 0x000e}, 2).empty());
  // invoke-static/range {v1 .. v3} with 3 registers
  CHECK(codes(verify(Code{0x0377, 0x0000, 0x0001, 0x000e}, 3)) == Codes{"dex-insn-register-out-of-range"});
  CHECK(verify(Code{0x0377, 0x0000, 0x0001, 0x000e}, 4).empty());
  // invoke-virtual {v0, v5}
  CHECK(codes(verify(Code{0x206e, 0x0000, 0x0050, 0x000e}, 5)) == Codes{"dex-insn-register-out-of-range"});
}

TEST_CASE("verifier: branch targets") {
  SUBCASE("outside the method") {
    const Diagnostics d = verify(Code{0x0a28, 0x000e});
    REQUIRE(codes(d) == Codes{"dex-insn-branch-out-of-range", "dex-insn-unreachable-code"});
    CHECK(d[0].message == "goto target 000a is outside the method");
  }
  SUBCASE("into the middle of an instruction") {
    CHECK(codes(verify(Code{0x001a, 0x0000, 0xff28, 0x000e})) ==
          Codes{"dex-insn-branch-mid-instruction", "dex-insn-unreachable-code"});
  }
  SUBCASE("to itself") {
    CHECK(codes(verify(Code{0x0028})) == Codes{"dex-insn-branch-zero-offset"});
    CHECK(verify(Code{0x002a, 0x0000, 0x0000}).empty());  // goto/32 may
  }
}

TEST_CASE("verifier: switch and array payload references") {
  SUBCASE("payload offset out of range") {
    CHECK(codes(verify(Code{0x002b, 0x0064, 0x0000, 0x000e})) == Codes{"dex-insn-payload-out-of-range"});
  }
  SUBCASE("misaligned payload") {
    CHECK(codes(verify(Code{0x002b, 0x0005, 0x0000, 0x000e, 0x0000, 0x0100, 0x0000, 0x0000, 0x0000})) ==
          Codes{"dex-insn-payload-misaligned"});
  }
  SUBCASE("wrong ident") {
    CHECK(codes(verify(Code{0x0026, 0x0004, 0x0000, 0x000e, 0x0100, 0x0000, 0x0000, 0x0000})) ==
          Codes{"dex-insn-payload-wrong-ident"});
  }
  SUBCASE("bad element width") {
    CHECK(codes(verify(Code{0x0026, 0x0004, 0x0000, 0x000e, 0x0300, 0x0003, 0x0000, 0x0000})) ==
          Codes{"dex-insn-payload-bad-width"});
  }
  SUBCASE("huge element count") {
    CHECK(codes(verify(Code{0x0026, 0x0004, 0x0000, 0x000e, 0x0300, 0x0004, 0xffff, 0xffff, 0x0000})) ==
          Codes{"dex-insn-truncated", "dex-insn-payload-truncated"});
  }
  SUBCASE("payload inside another instruction's operands") {
    // const-wide at 4 holds 0x0100 at unit 6: a payload by its bytes, but not at a boundary.
    CHECK(codes(verify(Code{0x002b, 0x0006, 0x0000, 0x000e, 0x0018, 0x0000, 0x0100, 0x0000, 0x0000,
                            0x000e})) == Codes{"dex-insn-payload-mid-instruction", "dex-insn-unreachable-code"});
    CHECK(codes(verify(Code{0x002b, 0x0004, 0x0000, 0x000e, 0x0018, 0x0000, 0x0100, 0x0000, 0x0000,
                            0x000e})) == Codes{"dex-insn-payload-wrong-ident", "dex-insn-unreachable-code"});
  }
  SUBCASE("switch target into the middle of an instruction") {
    const Code c{0x002b, 0x0004, 0x0000, 0x000e,  // packed-switch v0, +4; return-void
                 0x0100, 0x0001, 0x0000, 0x0000,  // 1 case, key 0
                 0x0002, 0x0000};                 // -> 2: inside the switch
    const Diagnostics d = verify(c);
    REQUIRE(codes(d) == Codes{"dex-insn-branch-mid-instruction"});
    CHECK(d[0].message == "packed-switch case 0 target 0002 is not at an instruction boundary");
  }
  SUBCASE("sparse keys out of order") {
    const Code c{0x002c, 0x0004, 0x0000, 0x000e, 0x0200, 0x0002, 0x0005, 0x0000, 0x0001, 0x0000,
                 0x0003, 0x0000, 0x0003, 0x0000};
    CHECK(codes(verify(c)) == Codes{"dex-insn-sparse-switch-unsorted"});
  }
}

TEST_CASE("verifier: reachability") {
  SUBCASE("code after return with no way in, reported once") {
    const Diagnostics d = verify(Code{0x000e, 0x0012, 0x0112, 0x000e});
    REQUIRE(codes(d) == Codes{"dex-insn-unreachable-code"});
    CHECK(d[0].where == "m@0001");
    CHECK(d[0].message == "3 unreachable instruction(s), the first at 0001");
  }
  SUBCASE("a catch handler is a way in") {
    CHECK(verify(Code{0x000e, 0x000d, 0x0027}, 4, {1}).empty());
  }
  SUBCASE("nop padding is not reported") {
    CHECK(verify(Code{0x000e, 0x0000, 0x0000}).empty());
  }
  SUBCASE("falling off the end") {
    CHECK(codes(verify(Code{0x0012})) == Codes{"dex-insn-falls-off-end"});
  }
  SUBCASE("handler address not at an instruction") {
    CHECK(codes(verify(Code{0x001a, 0x0000, 0x000e}, 4, {1})) == Codes{"dex-insn-handler-out-of-range"});
  }
}

TEST_CASE("verifier: empty code and the diagnostics cap") {
  CHECK(codes(verify(Code{})) == Codes{"dex-insn-empty-code"});
  std::vector<uint16_t> units(100, 0x0f12);  // const/4 v15, 0 with 1 register
  units.push_back(0x000e);
  Diagnostics d = verify(Code(units), 1);
  CHECK(d.size() == limits::kMaxInsnDiagnosticsPerMethod + 1);
  CHECK(d.back().code == "dex-insn-too-many-anomalies");
  CHECK(d.back().message == "68 more instruction anomalies in this method not listed");
}
