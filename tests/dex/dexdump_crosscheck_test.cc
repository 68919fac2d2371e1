// Cross-check of the instruction decoder, walker, formatter, stats and verifier against
// Debian's `dexdump -d` on real dex files, without a DEX file parser: the listing gives each
// method's code offset and size, the code bytes are read from the dex at that offset, and every
// listed line is compared with our decoding of the same bytes.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

#include "dex/code_verifier.h"
#include "dex/code_walker.h"
#include "dex/instruction.h"
#include "dex/instruction_format.h"
#include "dex/opcode_stats.h"
#include "dexdump_listing.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace apkwarden;
using namespace apkwarden::dex;

namespace {

// Names every pool entry with a marker, so our text can be matched around the names dexdump
// prints from the dex tables.
class MarkerNamer final : public IndexNamer {
 public:
  static constexpr const char* kMark = "\x01";
  std::string string(uint32_t) override { return kMark; }
  std::string type(uint32_t) override { return kMark; }
  std::string field(uint32_t) override { return kMark; }
  std::string method(uint32_t) override { return kMark; }
  std::string proto(uint32_t) override { return kMark; }
};

// Our text equals dexdump's, where each marker stands for a name dexdump printed.
bool text_matches(const std::string& ours, const std::string& theirs) {
  const size_t first = ours.find('\x01');
  if (first == std::string::npos) return ours == theirs;
  const size_t last = ours.rfind('\x01');
  const std::string prefix = ours.substr(0, first), suffix = ours.substr(last + 1);
  return theirs.size() >= prefix.size() + suffix.size() && theirs.compare(0, prefix.size(), prefix) == 0 &&
         theirs.compare(theirs.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct Totals {
  uint64_t dex_files = 0, methods = 0, lines = 0, instructions = 0, payloads = 0, code_units = 0;
  uint64_t mismatches = 0, verifier_flags = 0;
  std::vector<std::string> examples;
  OpcodeStats ours;
  std::map<std::string, uint64_t> theirs;

  void fail(const std::string& what) {
    ++mismatches;
    if (examples.size() < 25) examples.push_back(what);
  }
};

const char* payload_name(uint16_t ident) {
  return ident == kPackedSwitchPayloadIdent    ? "packed-switch-data"
         : ident == kSparseSwitchPayloadIdent ? "sparse-switch-data"
                                               : "array-data";
}

void check_method(const std::vector<uint8_t>& dex, const test::DexdumpMethod& m, const std::string& file,
                  Totals& t) {
  ++t.methods;
  const ByteSpan file_span(dex.data(), dex.size());
  const size_t insns_off = size_t{m.code_off} + 16;
  if (!file_span.has(insns_off, size_t{m.insns_size} * 2)) {
    t.fail(file + " " + m.name + ": code outside the file");
    return;
  }
  const ByteSpan code = file_span.sub(insns_off, size_t{m.insns_size} * 2);
  t.code_units += m.insns_size;
  const std::string where = file + " " + m.name;

  // Every listed line against decode(): boundaries, names, raw units, operand text.
  MarkerNamer namer;
  std::vector<uint32_t> listed_pcs;  // non-payload lines
  for (size_t i = 0; i < m.lines.size(); ++i) {
    const test::DexdumpLine& l = m.lines[i];
    ++t.lines;
    const uint32_t next = i + 1 < m.lines.size() ? m.lines[i + 1].pc : m.insns_size;
    Instruction insn;
    const DecodeStatus s = decode(code, l.pc, insn);
    const std::string at = where + " @" + std::to_string(l.pc) + " [" + l.text.substr(0, 60) + "]";
    if (s != DecodeStatus::kOk && s != DecodeStatus::kPayload) {
      t.fail(at + ": decode status " + decode_status_name(s));
      continue;
    }
    if (insn.size != next - l.pc) t.fail(at + ": size " + std::to_string(insn.size) + " vs listing");
    const size_t shown = insn.size < 8 ? insn.size : 7;
    bool units_ok = l.units.size() == shown && l.elided == (insn.size > 7);
    for (size_t k = 0; units_ok && k < shown; ++k) units_ok = l.units[k] == code.read_or<uint16_t>((l.pc + k) * 2, 0);
    if (!units_ok) t.fail(at + ": code units differ from the listing's hex");
    if (s == DecodeStatus::kPayload) {
      ++t.payloads;
      const std::string expect =
          std::string(payload_name(payload_ident_at(code, l.pc))) + " (" + std::to_string(insn.size) + " units)";
      if (l.text != expect) t.fail(at + ": payload, ours " + expect);
      continue;
    }
    listed_pcs.push_back(l.pc);
    const std::string listed_name = l.text.substr(0, l.text.find(' '));
    ++t.theirs[listed_name];
    if (listed_name != insn.name()) t.fail(at + ": name " + std::string(insn.name()));
    const std::string ours = format_instruction(insn, namer, FormatStyle::kDexdump);
    if (!text_matches(ours, l.text)) t.fail(at + ": text, ours [" + ours + "]");
  }

  // The walker yields exactly the non-payload lines, and the stats count them.
  CodeWalker w(code);
  Instruction insn;
  size_t k = 0;
  while (w.next(insn)) {
    t.ours.add(insn);
    ++t.instructions;
    if (k >= listed_pcs.size() || listed_pcs[k] != insn.pc) {
      t.fail(where + ": walker at " + std::to_string(insn.pc) + " differs from the listing");
      break;
    }
    ++k;
  }
  if (w.ok() && k != listed_pcs.size()) t.fail(where + ": walker yielded fewer instructions");
  if (!w.ok()) t.fail(where + ": walker stopped: " + walk_stop_name(w.stop()));

  // Code that ART accepted verifies clean.
  Diagnostics diags;
  CodeVerifyOptions opt;
  opt.registers_size = m.registers;
  opt.handler_pcs = m.handlers;
  opt.where = where;
  verify_code(code, opt, diags);
  for (const Diagnostic& d : diags) {
    ++t.verifier_flags;
    if (t.examples.size() < 25) t.examples.push_back("verifier: " + d.code + " " + d.where + ": " + d.message);
  }
}

bool run(const std::string& cmd) { return std::system(cmd.c_str()) == 0; }

std::string quote(const std::string& s) { return "'" + s + "'"; }

// All dex files to check: the real dex files, every classes*.dex of the real APKs, and the
// DroidBench apps' dex files (unzipped to `tmp`).
std::vector<std::string> gather_dex_files(const fs::path& tmp, size_t droidbench_max) {
  std::vector<std::string> out = test::files_under(test::shared_path("corpus/real/dex"), ".dex");
  auto unzip_all = [&](const std::vector<std::string>& apks, size_t max, const char* tag) {
    for (size_t i = 0; i < apks.size() && i < max; ++i) {
      const fs::path dir = tmp / (std::string(tag) + std::to_string(i));
      fs::create_directories(dir);
      run("unzip -o -q " + quote(apks[i]) + " 'classes*.dex' -d " + quote(dir.string()) + " >/dev/null 2>&1");
      for (const std::string& d : test::files_under(dir.string(), ".dex")) out.push_back(d);
    }
  };
  unzip_all(test::files_under(test::shared_path("corpus/real/apk"), ".apk"), SIZE_MAX, "real");
  unzip_all(test::files_under(test::shared_path("droidbench/apk"), ".apk"), droidbench_max, "db");
  return out;
}

}  // namespace

TEST_CASE("decoder, walker, formatter and stats agree with dexdump -d on real dex files") {
  if (!fs::is_directory(test::shared_path("corpus/real")) || std::system("command -v dexdump >/dev/null 2>&1") != 0 ||
      std::system("command -v unzip >/dev/null 2>&1") != 0) {
    MESSAGE("shared corpus (" << test::shared_path("corpus/real") << "), dexdump or unzip missing; skipped");
    return;
  }
  const fs::path tmp = fs::temp_directory_path() / ("apkwarden-insn-" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  const std::vector<std::string> dex_files = gather_dex_files(tmp, 100);
  REQUIRE(dex_files.size() >= 20);

  Totals t;
  std::string largest;
  uintmax_t largest_size = 0;
  std::vector<test::DexdumpMethod> largest_methods;
  for (const std::string& dex_path : dex_files) {
    const std::string listing = (tmp / "listing.txt").string();
    REQUIRE(run("dexdump -d " + quote(dex_path) + " > " + quote(listing) + " 2>/dev/null"));
    std::ifstream in(listing);
    std::vector<test::DexdumpMethod> methods = test::parse_dexdump_listing(in);
    const std::vector<uint8_t> dex = test::read_file(dex_path);
    ++t.dex_files;
    const std::string short_name = fs::path(dex_path).parent_path().filename().string() + "/" +
                                   fs::path(dex_path).filename().string();
    for (const test::DexdumpMethod& m : methods) check_method(dex, m, short_name, t);
    if (dex.size() > largest_size) {
      largest_size = dex.size();
      largest = dex_path;
      largest_methods = std::move(methods);
    }
  }

  // Per-opcode totals equal the listing's counts per name.
  std::map<std::string, uint64_t> ours;
  t.ours.for_each([&](Opcode, std::string_view name, uint64_t n) { ours[std::string(name)] = n; });
  CHECK(ours == t.theirs);

  MESSAGE(t.dex_files << " dex files, " << t.methods << " methods, " << t.instructions << " instructions, "
                      << t.payloads << " payloads, " << t.code_units << " code units, " << t.ours.distinct()
                      << " distinct opcodes");
  for (const std::string& e : t.examples) MESSAGE(e);
  CHECK(t.instructions > 100000);
  CHECK(t.mismatches == 0);
  CHECK(t.verifier_flags == 0);

  // Throughput of decoding everything (walker over every method of the largest dex).
  if (!largest_methods.empty()) {
    const std::vector<uint8_t> dex = test::read_file(largest);
    const ByteSpan file(dex.data(), dex.size());
    uint64_t units = 0, insns = 0, checksum = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int rep = 0; rep < 5; ++rep) {
      for (const test::DexdumpMethod& m : largest_methods) {
        const ByteSpan code = file.sub(size_t{m.code_off} + 16, size_t{m.insns_size} * 2);
        CodeWalker w(code);
        Instruction insn;
        while (w.next(insn)) {
          ++insns;
          checksum += insn.index + static_cast<uint64_t>(insn.literal);
        }
        units += m.insns_size;
      }
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // And the verifier (sweep, checks, reachability) over the same methods, once.
    const auto v0 = std::chrono::steady_clock::now();
    uint64_t flagged = 0;
    for (const test::DexdumpMethod& m : largest_methods) {
      Diagnostics d;
      CodeVerifyOptions o;
      o.registers_size = m.registers;
      o.handler_pcs = m.handlers;
      verify_code(file.sub(size_t{m.code_off} + 16, size_t{m.insns_size} * 2), o, d);
      flagged += d.size();
    }
    const double vsecs = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
    MESSAGE("verifier speed: " << static_cast<uint64_t>(units / 5 / vsecs) << " code units/s (" << flagged
                               << " diagnostics)");
    MESSAGE("decode speed on " << largest << ": " << static_cast<uint64_t>(units / secs) << " code units/s, "
                               << static_cast<uint64_t>(insns / secs) << " instructions/s (" << units
                               << " units in " << secs << " s; checksum " << checksum << ")");
  }
  fs::remove_all(tmp);
}
