#include "devcloud/target/internal_request.hpp"

#include <fmt/format.h>

#include <ctime>

namespace gust::devcloud::target {

localaws::ServiceRequest internal_request(std::string method, std::string path, std::string_view service, const std::string& region) {
  const std::time_t t = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  const std::string date(stamp, 8);
  localaws::ServiceRequest r{std::move(method), std::move(path), "", {}, ""};
  r.headers.set("Host", "127.0.0.1");
  r.headers.set("X-Amz-Date", stamp);
  r.headers.set("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  r.headers.set("Authorization", fmt::format("AWS4-HMAC-SHA256 Credential=gust-cloud/{}/{}/{}/aws4_request, SignedHeaders=host;x-amz-date, "
                                             "Signature={}",
                                             date, region, service, std::string(64, '0')));
  return r;
}

}  // namespace gust::devcloud::target
