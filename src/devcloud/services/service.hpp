#pragma once
// The message every local AWS service speaks, independent of any HTTP server:
// a request in, a response out through a callback. Most services answer
// before `handle` returns; SQS long polls answer later, from another thread.
//
//   localaws::ServiceRequest req{"POST", "/", "", headers, R"({"TableName":"t"})"};
//   auto res = localaws::call(dynamodb, std::move(req));   // tests: wait for the reply

#include <gust/headers.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gust::localaws {

struct ServiceRequest {
  std::string method;  // "GET", "PUT", ...
  std::string path;    // as sent: percent-encoded, no query ("/bucket/a%20key")
  std::string query;   // raw query string without '?' ("list-type=2&prefix=a")
  Headers headers;
  std::string body;
};

struct ServiceResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

// What every service is opened with.
struct ServiceOptions {
  std::filesystem::path state_dir;       // one database (and for S3, object files) per service here
  std::string region = "us-east-1";       // in ARNs
  std::string account_id = "000000000000";
};

// Delivers the response; called exactly once, from any thread.
using Reply = std::function<void(ServiceResponse)>;

class Service {
 public:
  virtual ~Service() = default;
  // Answers `request` through `reply`. Never throws: every failure becomes an
  // AWS-shaped error response.
  virtual void handle(ServiceRequest request, Reply reply) = 0;
};

// Calls `service` and waits for its reply (tests, in-process tools).
ServiceResponse call(Service& service, ServiceRequest request);

// Percent-decoding of a path or query component; '+' is a space only in
// forms (`plus_is_space`). Malformed escapes are kept as they are.
std::string url_decode(std::string_view text, bool plus_is_space = false);
// Percent-encoding as SigV4 and S3 use it: unreserved characters stay, the
// rest become %XX; '/' stays when `keep_slash`.
std::string url_encode(std::string_view text, bool keep_slash = false);

// A query string or form body split into decoded name/value pairs, in order.
using Params = std::vector<std::pair<std::string, std::string>>;
Params parse_query(std::string_view query, bool plus_is_space = true);
// The first value of `name`, or nullptr.
const std::string* find_param(const Params& params, std::string_view name);

}  // namespace gust::localaws
