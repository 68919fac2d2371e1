#include "analyzer/apk/zip_inflate.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace apkwarden::apk {

namespace {
constexpr uint64_t kMinGrowth = 64 * 1024;
}

BoundedOutput::BoundedOutput(uint64_t hint, uint64_t cap) : cap_(cap) {
  // +1 so an entry of exactly the declared size still leaves zlib room to report the end.
  const uint64_t first = std::min(hint, cap) + 1;
  buf_.resize(static_cast<size_t>(first));
}

std::pair<uint8_t*, size_t> BoundedOutput::window() {
  const uint64_t hard = cap_ + 1;
  if (used_ >= hard) return {nullptr, 0};
  if (used_ == buf_.size()) {
    const uint64_t grown = std::min<uint64_t>(hard, std::max<uint64_t>(buf_.size() * 2, kMinGrowth));
    buf_.resize(static_cast<size_t>(grown));
  }
  const uint64_t room = std::min<uint64_t>(buf_.size(), hard) - used_;
  return {buf_.data() + used_, static_cast<size_t>(room)};
}

std::vector<uint8_t> BoundedOutput::take() {
  buf_.resize(static_cast<size_t>(used_));
  used_ = 0;
  return std::move(buf_);
}

InflateOutcome inflate_raw(ByteSpan in, BoundedOutput& out) {
  InflateOutcome result;
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) {
    result.status = InflateStatus::kCorrupt;
    result.message = "inflateInit2 failed";
    return result;
  }
  uint64_t consumed = 0;
  int rc = Z_OK;
  while (true) {
    if (zs.avail_in == 0 && consumed < in.size()) {
      const uint64_t n = std::min<uint64_t>(in.size() - consumed, UINT_MAX);
      zs.next_in = const_cast<Bytef*>(in.sub(consumed, n).data());  // zlib's API is not const-correct
      zs.avail_in = static_cast<uInt>(n);
      consumed += n;
    }
    auto [ptr, room] = out.window();
    if (room == 0) {
      result.status = InflateStatus::kOverCap;
      break;
    }
    zs.next_out = ptr;
    zs.avail_out = static_cast<uInt>(std::min<size_t>(room, UINT_MAX));
    const uInt before = zs.avail_out;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.commit(before - zs.avail_out);
    if (rc == Z_STREAM_END) {
      result.unused_input = zs.avail_in + (in.size() - consumed);
      if (out.over_cap()) result.status = InflateStatus::kOverCap;
      break;
    }
    if (out.over_cap()) {
      result.status = InflateStatus::kOverCap;
      break;
    }
    if (rc == Z_BUF_ERROR) {
      if (zs.avail_in == 0 && consumed == in.size()) {
        result.status = InflateStatus::kTruncated;
        result.message = "compressed data ends before the deflate stream does";
        break;
      }
      continue;  // no progress possible with this window; the next one is larger
    }
    if (rc != Z_OK) {
      result.status = InflateStatus::kCorrupt;
      result.message = std::string("inflate: ") + (zs.msg ? zs.msg : "error " + std::to_string(rc));
      break;
    }
  }
  inflateEnd(&zs);
  return result;
}

uint32_t crc32_of(const uint8_t* data, uint64_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {
    const uInt n = static_cast<uInt>(std::min<uint64_t>(size, 1u << 30));
    crc = crc32(crc, data, n);
    data += n;
    size -= n;
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace apkwarden::apk
