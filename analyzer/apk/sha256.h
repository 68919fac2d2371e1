// SHA-256, streaming. The report and the batch store key apps by the APK's SHA-256, computed
// over the whole file on every scan, so it sits on the hot path: OpenSSL's libcrypto (Debian's
// libssl-dev) uses the CPU's SHA extensions and hashes ~6x faster than a portable
// implementation (1.8 GB/s vs ~0.3 GB/s here), which is why we use it rather than our own.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "dex/byte_span.h"

namespace apkwarden::apk {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(ByteSpan data);
  std::array<uint8_t, 32> finish();  // the object is spent afterwards

 private:
  struct Context;
  std::unique_ptr<Context> ctx_;
};

// Lower-case hex digest of `data`.
std::string sha256_hex(ByteSpan data);

}  // namespace apkwarden::apk
