#include "analyzer/apk/sha256.h"

// The low-level SHA256_* functions (deprecated in OpenSSL 3 in favour of EVP, still shipped):
// they run the same SHA-NI code without EVP's provider lookup, which costs ~1.5 ms on every
// process start (a fifth of a small manifest-only scan).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace apkwarden::apk {

struct Sha256::Context {
  SHA256_CTX sha;
};

Sha256::Sha256() : ctx_(std::make_unique<Context>()) { SHA256_Init(&ctx_->sha); }

Sha256::~Sha256() = default;

void Sha256::update(ByteSpan data) {
  if (!data.empty()) SHA256_Update(&ctx_->sha, data.data(), data.size());
}

std::array<uint8_t, 32> Sha256::finish() {
  std::array<uint8_t, 32> out{};
  SHA256_Final(out.data(), &ctx_->sha);
  return out;
}

std::string sha256_hex(ByteSpan data) {
  Sha256 h;
  h.update(data);
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(64);
  for (uint8_t b : h.finish()) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 0xf]);
  }
  return s;
}

}  // namespace apkwarden::apk
