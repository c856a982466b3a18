#pragma once
// A function's streamed response relayed to the HTTP client as it is
// produced, as Lambda function URLs do with InvokeMode RESPONSE_STREAM.
// With the content type application/vnd.awslambda.http-integration-response
// the stream starts with a JSON prelude {statusCode, headers, cookies} and 8
// null bytes, then the body; with any other content type the stream is the
// body itself, served as 200 with that content type.
//
//   StreamRelay relay({.begin = [&](GatewayResponse head) { ... }, .write = [&](std::string b) { ... }});
//   relay.start(content_type);   // the runtime began streaming
//   relay.feed(bytes);           // each piece as it arrives
//   if (!relay.begun()) ...      // nothing went out yet: the outcome decides the response
//
// Thread-safe: pieces may come from one thread and the outcome from another.

#include "devcloud/gateway/http_event.hpp"

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace gust::devcloud {

class StreamRelay {
 public:
  struct Client {
    std::function<void(GatewayResponse head)> begin;  // status and headers; the body follows through write
    std::function<void(std::string bytes)> write;
  };

  explicit StreamRelay(Client client) : client_(std::move(client)) {}

  void start(std::string_view content_type);
  void feed(std::string_view bytes);
  // True once the head has gone to the client: the status can no longer change.
  bool begun() const;

 private:
  void begin_locked(GatewayResponse head);

  Client client_;
  mutable std::mutex mutex_;
  bool started_ = false;
  bool with_prelude_ = false;
  bool begun_ = false;
  bool broken_ = false;  // the prelude did not parse: the outcome answers (500)
  std::string prelude_;  // bytes before the separator, while it has not come
};

// The head a streamed response's prelude asks for; statusCode defaults to 200 as
// on function URLs. std::nullopt when the prelude is not a JSON object.
std::optional<GatewayResponse> head_from_prelude(std::string_view prelude);

}  // namespace gust::devcloud
