#pragma once
// The gateway's two translations, as API Gateway HTTP APIs do them:
// an HTTP request -> a payload 2.0 event, and a function's answer (or its
// failure) -> the HTTP response the client gets.

#include "devcloud/gateway/router.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gust::devcloud {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct GatewayRequest {
  std::string method;
  std::string target;  // path and query as sent: "/todos?x=1"
  std::string protocol = "HTTP/1.1";
  HeaderList headers;
  std::string body;
  std::string source_ip = "127.0.0.1";
};

struct GatewayResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
};

// Facts the event carries beside the request itself.
struct EventContext {
  std::string request_id;
  std::string api_id = "local";
  std::string account_id = "000000000000";
  std::string domain_name = "localhost";
  std::string stage = "$default";
  std::int64_t time_epoch_ms = 0;
};

// The payload 2.0 event for a routed request. Bodies whose content type is
// not text are base64-encoded, as HTTP APIs do.
std::string build_http_event(const GatewayRequest& request, const RouteMatch& match, const EventContext& context);

// The client's response for a function's payload: a {"statusCode",...}
// object, or any other JSON value (then 200 with it as a JSON body).
// A payload that is not JSON gives 500 {"message":"Internal Server Error"}.
GatewayResponse response_from_payload(std::string_view payload);

enum class GatewayFailure { function_error, timeout, throttled, no_route };
// What HTTP APIs answer when the integration fails.
GatewayResponse failure_response(GatewayFailure failure);

// True for content types API Gateway passes as text.
bool is_text_content_type(std::string_view content_type);

}  // namespace gust::devcloud
