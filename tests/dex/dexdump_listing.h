// Test helper: reads the listing of `dexdump -d` (Debian's ART dexdump) into methods and
// instruction lines, so tests can compare the decoder with it without a DEX file parser.
//
// A method's code looks like this in the listing:
//       registers     : 6
//       ...
//       insns size    : 52 16-bit code units
// 0054ac:                                        |[0054ac] pkg.Cls.method:()Z
// 0054bc: 2202 2100                              |0000: new-instance v2, Lx; // type@0021
// 006694: 0002 0b00 e256 e58a 418b 0fa0 778b ... |00fa: sparse-switch-data (46 units)
//       catches       : 1
//         0x0017 - 0x001a
//           Ljava/lang/Exception; -> 0x0027
// Each instruction line: the file offset, up to 7 code units as little-endian byte pairs (" ..."
// when there are more), then "|pc: text". A const-string whose text holds a newline continues
// on the following raw lines, which are appended to the text.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace apkwarden::test {

struct DexdumpLine {
  uint32_t file_offset = 0;
  uint32_t pc = 0;
  std::vector<uint16_t> units;  // the code units shown (at most 7)
  bool elided = false;          // "..." : the instruction has more than 7 units
  std::string text;             // after "|pc: "
};

struct DexdumpMethod {
  std::string name;  // "pkg.Cls.method:(args)ret"
  uint32_t code_off = 0;
  uint32_t registers = 0;
  uint32_t insns_size = 0;
  std::vector<DexdumpLine> lines;
  std::vector<uint32_t> handlers;  // catch handler addresses
};

namespace detail {

inline bool parse_hex(const std::string& s, size_t pos, size_t n, uint32_t& out) {
  if (pos + n > s.size() || n == 0) return false;
  uint32_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    uint32_t d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else return false;
    v = v * 16 + d;
  }
  out = v;
  return true;
}

inline bool starts_with(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

inline bool parse_number_after(const std::string& line, const char* prefix, uint32_t& out) {
  if (!starts_with(line, prefix)) return false;
  out = static_cast<uint32_t>(std::stoul(line.substr(std::char_traits<char>::length(prefix))));
  return true;
}

// "0054bc: 2202 2100    ...   |0000: text": 7 + 8 * 5 characters before '|'.
inline bool parse_insn_line(const std::string& line, DexdumpLine& out) {
  constexpr size_t kBar = 7 + 8 * 5;
  if (line.size() < kBar + 7 || line[6] != ':' || line[kBar] != '|') return false;
  if (!parse_hex(line, 0, 6, out.file_offset)) return false;
  out.units.clear();
  out.elided = false;
  for (size_t i = 0; i < 8; ++i) {
    const size_t p = 7 + i * 5;
    if (line[p] != ' ') return false;
    const std::string chunk = line.substr(p + 1, 4);
    if (chunk == "    ") continue;
    if (chunk == "... ") {
      out.elided = true;
      continue;
    }
    uint32_t b0, b1;
    if (!parse_hex(chunk, 0, 2, b0) || !parse_hex(chunk, 2, 2, b1)) return false;
    out.units.push_back(static_cast<uint16_t>(b0 | (b1 << 8)));
  }
  const size_t colon = line.find(": ", kBar + 1);
  if (colon == std::string::npos || !parse_hex(line, kBar + 1, colon - kBar - 1, out.pc)) return false;
  out.text = line.substr(colon + 2);
  return true;
}

}  // namespace detail

inline std::vector<DexdumpMethod> parse_dexdump_listing(std::istream& in) {
  std::vector<DexdumpMethod> methods;
  DexdumpMethod pending;
  enum { kOutside, kCode, kCatches } state = kOutside;
  std::string line;
  while (std::getline(in, line)) {
    uint32_t n = 0;
    if (detail::parse_number_after(line, "      registers     : ", n)) {
      pending = DexdumpMethod{};
      pending.registers = n;
      state = kOutside;
      continue;
    }
    if (detail::parse_number_after(line, "      insns size    : ", n)) {
      pending.insns_size = n;
      continue;
    }
    // Method header: "0054ac:<40 spaces>|[0054ac] name"
    if (line.size() > 57 && line[6] == ':' && line.compare(47, 2, "|[") == 0 && line[55] == ']') {
      uint32_t off = 0;
      if (detail::parse_hex(line, 0, 6, off)) {
        pending.code_off = off;
        pending.name = line.substr(57);
        methods.push_back(pending);
        state = kCode;
        continue;
      }
    }
    if (state == kCode) {
      if (detail::starts_with(line, "      catches       :")) {
        state = kCatches;
        continue;
      }
      DexdumpLine l;
      if (detail::parse_insn_line(line, l)) methods.back().lines.push_back(std::move(l));
      else if (!methods.back().lines.empty()) methods.back().lines.back().text += "\n" + line;
      continue;
    }
    if (state == kCatches) {
      const size_t arrow = line.rfind(" -> 0x");
      uint32_t h = 0;
      if (detail::starts_with(line, "          ") && arrow != std::string::npos &&
          detail::parse_hex(line, arrow + 6, line.size() - arrow - 6, h)) {
        methods.back().handlers.push_back(h);
      } else if (!detail::starts_with(line, "        0x")) {
        state = kOutside;
      }
    }
  }
  return methods;
}

}  // namespace apkwarden::test
