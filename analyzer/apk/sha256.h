// SHA-256 (FIPS 180-4), streaming. The batch store keys results by the APK's SHA-256; zlib has
// no hash and no other dependency offers one, so this small implementation is ours.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "dex/byte_span.h"

namespace apkwarden::apk {

class Sha256 {
 public:
  Sha256();
  void update(ByteSpan data);
  std::array<uint8_t, 32> finish();  // the object is spent afterwards

 private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

// Lower-case hex digest of `data`.
std::string sha256_hex(ByteSpan data);

}  // namespace apkwarden::apk
