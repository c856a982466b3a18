#include "aws/crypto.hpp"

#include <gust/value.hpp>

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace gust::aws {
namespace {

// Fetched once: OpenSSL 3 otherwise looks the algorithm up on every init,
// and HMAC() one-shot fetches a MAC object per call (measured in bench/aws).
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MD_CTX* thread_ctx() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Holder holder;
  return holder.ctx;
}

void digest_into(EVP_MD_CTX* ctx, std::string_view a, std::string_view b, unsigned char* out) {
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1) throw std::runtime_error("SHA-256 init failed");
  EVP_DigestUpdate(ctx, a.data(), a.size());
  if (!b.empty()) EVP_DigestUpdate(ctx, b.data(), b.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out, &len);
}

}  // namespace

Digest sha256(std::string_view data) {
  Digest out{};
  digest_into(thread_ctx(), data, {}, out.data());
  return out;
}

// RFC 2104 over the fetched SHA-256 (block size 64).
Digest hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char block[64] = {};
  if (key.size() > sizeof block) {
    const Digest k = sha256(key);
    std::memcpy(block, k.data(), k.size());
  } else {
    std::memcpy(block, key.data(), key.size());
  }
  unsigned char ipad[64];
  unsigned char opad[64];
  for (int i = 0; i < 64; ++i) {
    ipad[i] = block[i] ^ 0x36;
    opad[i] = block[i] ^ 0x5c;
  }
  EVP_MD_CTX* ctx = thread_ctx();
  Digest inner{};
  digest_into(ctx, {reinterpret_cast<const char*>(ipad), 64}, data, inner.data());
  Digest outer{};
  digest_into(ctx, {reinterpret_cast<const char*>(opad), 64}, as_view(inner), outer.data());
  return outer;
}

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 15];
  }
  return out;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr);
}
Sha256::~Sha256() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }
void Sha256::update(std::string_view data) { EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size()); }
Digest Sha256::finish() {
  Digest out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len);
  return out;
}

std::string md5_base64(std::string_view data) {
  unsigned char out[16];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, EVP_md5(), nullptr);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(out), len));
}

}  // namespace gust::aws
