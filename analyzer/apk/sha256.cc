#include "analyzer/apk/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace apkwarden::apk {

struct Sha256::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256::Sha256() : ctx_(std::make_unique<Context>()) {
  ctx_->md = EVP_MD_CTX_new();
  // Failure here is an out-of-memory or a broken libcrypto install: our bug domain, not input's.
  if (!ctx_->md || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("libcrypto: cannot initialise SHA-256");
}

Sha256::~Sha256() = default;

void Sha256::update(ByteSpan data) {
  if (!data.empty()) EVP_DigestUpdate(ctx_->md, data.data(), data.size());
}

std::array<uint8_t, 32> Sha256::finish() {
  std::array<uint8_t, 32> out{};
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md, out.data(), &n);
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
