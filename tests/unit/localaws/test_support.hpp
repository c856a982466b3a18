#pragma once
// Helpers for driving the local services in-process: well-formed SigV4
// headers (the services check their shape, not their value) and JSON access.

#include "devcloud/services/service.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace gust::localaws::testing {

inline std::string amz_date_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Adds X-Amz-Date and an Authorization header scoped to `service`.
inline void sign(ServiceRequest& req, const std::string& service) {
  const std::string date = amz_date_now();
  req.headers.set("Host", "127.0.0.1:4566");
  req.headers.set("X-Amz-Date", date);
  req.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + date.substr(0, 8) + "/us-east-1/" + service +
                                       "/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + std::string(64, 'a'));
}

inline ServiceRequest json_request(const std::string& target, const std::string& body, const std::string& service) {
  ServiceRequest req{"POST", "/", "", {}, body};
  req.headers.set("Content-Type", "application/x-amz-json-1.0");
  req.headers.set("X-Amz-Target", target);
  sign(req, service);
  return req;
}

inline boost::json::value parse(const std::string& text) { return boost::json::parse(text); }

// A fresh folder under the build's temp area, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() / ("gust-localaws-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

}  // namespace gust::localaws::testing
