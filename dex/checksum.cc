#include "dex/checksum.h"

#include <cstring>

namespace apkwarden::dex {

uint32_t adler32(ByteSpan bytes) {
  constexpr uint32_t kMod = 65521;
  // 5552 is the largest n such that 255n(n+1)/2 + (n+1)(kMod-1) fits in 32 bits, so the
  // modulo can wait until the end of each block.
  constexpr size_t kBlock = 5552;
  uint32_t a = 1, b = 0;
  size_t i = 0;
  const size_t n = bytes.size();
  const uint8_t* p = bytes.data();  // read only below bytes.size(): the hot loop of a digest
  while (i < n) {
    const size_t end = n - i < kBlock ? n : i + kBlock;
    for (; i < end; ++i) {
      a += p[i];
      b += a;
    }
    a %= kMod;
    b %= kMod;
  }
  return (b << 16) | a;
}

namespace {

inline uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

void sha1_block(uint32_t h[5], const uint8_t* block) {
  uint32_t w[80];
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t{block[4 * i]} << 24) | (uint32_t{block[4 * i + 1]} << 16) |
           (uint32_t{block[4 * i + 2]} << 8) | uint32_t{block[4 * i + 3]};
  for (int i = 16; i < 80; ++i) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
  for (int i = 0; i < 80; ++i) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = t;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

}  // namespace

Sha1Digest sha1(ByteSpan bytes) {
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  const size_t n = bytes.size();
  size_t full = n / 64;
  for (size_t i = 0; i < full; ++i) sha1_block(h, bytes.sub(i * 64, 64).data());
  uint8_t tail[128] = {};
  const size_t rest = n - full * 64;
  if (rest) std::memcpy(tail, bytes.sub(full * 64, rest).data(), rest);
  tail[rest] = 0x80;
  const size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(n) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_len - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  sha1_block(h, tail);
  if (tail_len == 128) sha1_block(h, tail + 64);
  Sha1Digest out{};
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(h[i] >> (24 - 8 * j));
  return out;
}

}  // namespace apkwarden::dex
