// verify_dex on hostile code: the number of diagnostics is bounded per dex file whatever the
// number of broken methods, and try items sharing one handler are cheap.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dex/dex_file.h"
#include "dex/dex_verifier.h"
#include "dex/limits.h"
#include "dex_builder.h"

using namespace apkwarden;
using namespace apkwarden::dex;
using apkwarden::test::DexBuilder;
using apkwarden::test::DexMethod;
using apkwarden::test::DexTry;

namespace {

size_t count_code(const Diagnostics& diags, std::string_view prefix) {
  return std::count_if(diags.begin(), diags.end(), [&](const Diagnostic& d) { return d.code.starts_with(prefix); });
}

}  // namespace

TEST_CASE("verify_dex: instruction diagnostics are capped per dex file, the rest counted") {
  DexBuilder b;
  auto& cls = b.add_class("Lgarbage/G;");
  // Each method: unused opcodes 0x3e..0x43 (one anomaly each, up to the per-method cap).
  const uint32_t methods = 400;
  for (uint32_t i = 0; i < methods; ++i) {
    DexMethod m;
    m.name = "m" + std::to_string(i);
    m.registers = 4;
    m.insns = {0x003e, 0x003f, 0x0040, 0x0041, 0x0042, 0x0043, 0x000e};
    cls.methods.push_back(m);
  }
  const std::vector<uint8_t> bytes = b.build();
  Diagnostics diags;
  auto dex = DexFile::open(ByteSpan(bytes.data(), bytes.size()), "g.dex", &diags);
  REQUIRE(dex.ok());
  diags.clear();
  const DexVerifySummary summary = verify_dex(*dex, &diags);
  CHECK(summary.methods_checked == methods);
  CHECK(summary.code_anomalies >= methods * 6);
  REQUIRE(count_code(diags, "dex-insn-diagnostics-truncated") == 1);
  CHECK(count_code(diags, "dex-insn-") == limits::kMaxInsnDiagnosticsPerDex + 1);
  CHECK(count_code(diags, "dex-insn-unused-opcode") > 0);
  const auto it = std::find_if(diags.begin(), diags.end(),
                               [](const Diagnostic& d) { return d.code == "dex-insn-diagnostics-truncated"; });
  // Fewer than 32 anomalies per method: each is one diagnostic, listed or counted.
  CHECK(it->message.starts_with(std::to_string(summary.code_anomalies - limits::kMaxInsnDiagnosticsPerDex) + " more"));
}

TEST_CASE("verify_dex: thousands of try items sharing one handler are verified once each") {
  DexBuilder b;
  auto& cls = b.add_class("Ltries/T;");
  DexMethod m;
  m.name = "t";
  m.registers = 1;
  m.insns = {0x0000, 0x0000, 0x000e};  // nop, nop, return-void
  for (int i = 0; i < 3000; ++i) {
    DexTry t;
    t.start = 0;
    t.count = 1;
    t.catch_all = 2;
    m.tries.push_back(t);
  }
  cls.methods.push_back(m);
  const std::vector<uint8_t> bytes = b.build();
  Diagnostics diags;
  auto dex = DexFile::open(ByteSpan(bytes.data(), bytes.size()), "t.dex", &diags);
  REQUIRE(dex.ok());
  Diagnostics verify_diags;
  const DexVerifySummary summary = verify_dex(*dex, &verify_diags);
  CHECK(summary.methods_checked == 1);
  CHECK(count_code(verify_diags, "dex-insn-handler") == 0);
}
