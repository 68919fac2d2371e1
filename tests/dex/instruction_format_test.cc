// Text rendering with a namer that knows names, and string quoting.
#include <doctest/doctest.h>

#include <string>

#include "code_builder.h"
#include "dex/instruction.h"
#include "dex/instruction_format.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::Code;

namespace {

// A namer like the one the DEX file side will provide, for two known indices.
class TinyNamer final : public IndexNamer {
 public:
  std::string string(uint32_t i) override { return i == 1 ? quote_string_literal("text") : IndexNamer::string(i); }
  std::string method(uint32_t i) override {
    return i == 2 ? "Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String;" : IndexNamer::method(i);
  }
};

Instruction at(const Code& c, uint32_t pc = 0) {
  Instruction insn;
  REQUIRE(decode(c.span(), pc, insn) == DecodeStatus::kOk);
  return insn;
}

}  // namespace

TEST_CASE("format_instruction uses the namer's names") {
  TinyNamer n;
  CHECK(format_instruction(at(Code{0x206e, 0x0002, 0x0010}), n) ==
        "invoke-virtual {v0, v1}, Landroid/telephony/TelephonyManager;.getDeviceId:()Ljava/lang/String;");
  CHECK(format_instruction(at(Code{0x001a, 0x0001}), n) == "const-string v0, \"text\"");
  CHECK(format_instruction(at(Code{0x001a, 0x0001}), n, FormatStyle::kDexdump) ==
        "const-string v0, \"text\" // string@0001");
  CHECK(format_instruction(at(Code{0x001a, 0x0009}), n) == "const-string v0, string@0009");
  // if-eqz v0, +0x12 at pc 0
  CHECK(format_instruction(at(Code{0x0038, 0x0012}), n) == "if-eqz v0, 0012");
  std::string out = "0000: ";
  append_instruction(out, at(Code{0x000e}), n);
  CHECK(out == "0000: return-void");
}

TEST_CASE("branch targets before the method start print with a sign") {
  FallbackNamer n;
  CHECK(format_instruction(at(Code{0xf028}), n) == "goto -0010");
  CHECK(format_instruction(at(Code{0xf028}), n, FormatStyle::kDexdump) == "goto fffffff0 // -0010");
}

TEST_CASE("quote_string_literal escapes like smali") {
  CHECK(quote_string_literal("") == "\"\"");
  CHECK(quote_string_literal("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_string_literal("l1\nl2\t\r") == "\"l1\\nl2\\t\\r\"");
  CHECK(quote_string_literal(std::string("\x01\x7f", 2)) == "\"\\u0001\\u007f\"");
  CHECK(quote_string_literal("h\xc3\xa9") == "\"h\xc3\xa9\"");
}
