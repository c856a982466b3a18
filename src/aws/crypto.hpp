#pragma once
// SHA-256 and HMAC-SHA-256 for SigV4, on OpenSSL's EVP interface.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gust::aws {

using Digest = std::array<unsigned char, 32>;

Digest sha256(std::string_view data);
Digest hmac_sha256(std::string_view key, std::string_view data);
std::string to_hex(const unsigned char* data, std::size_t size);
inline std::string to_hex(const Digest& d) { return to_hex(d.data(), d.size()); }
inline std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }
inline std::string_view as_view(const Digest& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

// Incremental SHA-256 (bodies hashed in parts, MD5 for S3 parts is not needed).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  Digest finish();

 private:
  void* ctx_;
};

// Base64 of an MD5 digest (S3's Content-MD5 for DeleteObjects).
std::string md5_base64(std::string_view data);

}  // namespace gust::aws
