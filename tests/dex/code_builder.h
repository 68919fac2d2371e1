// Test helper: a method's code written as 16-bit code units, the way the Dalvik format
// documents instructions (e.g. 0x546e = op 0x6e with A|G = 0x54), stored little-endian.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "dex/byte_span.h"

namespace apkwarden::test {

struct Code {
  std::vector<uint8_t> bytes;

  Code(std::initializer_list<uint16_t> units) { add(units); }
  explicit Code(const std::vector<uint16_t>& units) {
    for (uint16_t u : units) add({u});
  }
  Code& add(std::initializer_list<uint16_t> units) {
    for (uint16_t u : units) {
      bytes.push_back(static_cast<uint8_t>(u & 0xff));
      bytes.push_back(static_cast<uint8_t>(u >> 8));
    }
    return *this;
  }
  ByteSpan span() const { return ByteSpan(bytes.data(), bytes.size()); }
};

}  // namespace apkwarden::test
