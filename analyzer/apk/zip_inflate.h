// Streaming output with a hard cap, and raw-deflate inflation into it (zlib, -MAX_WBITS).
// The declared size of an entry is only a hint for the first allocation: output grows
// geometrically and stops one byte past the cap, so a zip bomb costs at most cap + 1 bytes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "dex/byte_span.h"

namespace apkwarden::apk {

class BoundedOutput {
 public:
  // `hint`: the declared size (trusted only up to `cap`); `cap`: the most bytes we accept.
  BoundedOutput(uint64_t hint, uint64_t cap);

  // A writable window after the bytes written so far; {nullptr, 0} once cap + 1 bytes are held.
  std::pair<uint8_t*, size_t> window();
  void commit(size_t n) { used_ += n; }

  uint64_t size() const { return used_; }
  uint64_t cap() const { return cap_; }
  bool over_cap() const { return used_ > cap_; }
  const uint8_t* data() const { return buf_.data(); }

  std::vector<uint8_t> take();

 private:
  std::vector<uint8_t> buf_;
  uint64_t used_ = 0;
  uint64_t cap_;
};

enum class InflateStatus {
  kOk,         // the deflate stream ended
  kOverCap,    // output passed the cap; inflation stopped there
  kCorrupt,    // zlib reported a data error
  kTruncated,  // input ran out before the end of the stream
};

struct InflateOutcome {
  InflateStatus status = InflateStatus::kOk;
  std::string message;
  uint64_t unused_input = 0;  // compressed bytes after the end of the stream
};

// Inflates raw deflate data (no zlib header) from `in` into `out`.
InflateOutcome inflate_raw(ByteSpan in, BoundedOutput& out);

// zlib's CRC-32 over a whole buffer (chunked: zlib takes 32-bit lengths).
uint32_t crc32_of(const uint8_t* data, uint64_t size);

}  // namespace apkwarden::apk
