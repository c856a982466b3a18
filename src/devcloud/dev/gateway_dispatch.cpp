#include "devcloud/dev/gateway_dispatch.hpp"

#include "devcloud/gateway/stream_relay.hpp"
#include "runtime/response_stream.hpp"

#include <fmt/format.h>

#include <chrono>

namespace gust::devcloud {
namespace {

http::ServerResponse to_http(const GatewayResponse& g) {
  http::ServerResponse out{g.status, {}, g.body};
  for (const auto& [k, v] : g.headers) out.headers.add(k, v);
  return out;
}

// The gateway's answer for a function's outcome (HTTP API behaviour).
GatewayResponse gateway_response(const InvokeResult& r) {
  switch (r.status) {
    case InvokeResult::Status::success: {
      std::string_view prelude, body;
      if (r.streamed && runtime::split_http_stream(r.payload, prelude, body)) {
        // A streamed route, delivered whole: the prelude carries status, headers and cookies.
        GatewayResponse head = response_from_payload(prelude);
        head.body = std::string(body);
        return head;
      }
      return response_from_payload(r.payload);
    }
    case InvokeResult::Status::timed_out: return failure_response(GatewayFailure::timeout);
    case InvokeResult::Status::throttled: return failure_response(GatewayFailure::throttled);
    default: return failure_response(GatewayFailure::function_error);
  }
}

}  // namespace

GatewayRequest gateway_request(const http::ServerRequest& req) {
  GatewayRequest g{req.method, req.target, "HTTP/1.1", {}, req.body, "127.0.0.1"};
  for (const auto& [k, v] : req.headers) g.headers.emplace_back(k, v);
  return g;
}

EventContext event_context_now(const std::string& host, std::uint16_t port, std::atomic<std::uint64_t>& counter) {
  const auto now = std::chrono::system_clock::now();
  EventContext ctx;
  ctx.request_id =
      fmt::format("{:x}-{:x}", std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count(), ++counter);
  ctx.domain_name = fmt::format("{}:{}", host, port);
  ctx.time_epoch_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return ctx;
}

http::ServerResponse gateway_failure(GatewayFailure failure) { return to_http(failure_response(failure)); }

void answer_through_function(const std::shared_ptr<FunctionPool>& target, std::string event, const http::Responder& reply) {
  // A streamed response goes to the client as it is produced; once its head is
  // out, a failure can only cut the body short (as function URLs do).
  auto relay = std::make_shared<StreamRelay>(StreamRelay::Client{
      .begin = [reply](GatewayResponse head) { reply.begin_stream(head.status, to_http(head).headers); },
      .write = [reply](std::string bytes) { reply.write(std::move(bytes)); }});
  StreamObserver stream{.on_start = [relay](std::string_view type) { relay->start(type); },
                        .on_chunk = [relay](std::string_view bytes) { relay->feed(bytes); }};
  target->invoke(
      std::move(event),
      [reply, relay](InvokeResult r) {
        if (!relay->begun()) return reply.send(to_http(gateway_response(r)));
        if (r.status == InvokeResult::Status::success) return reply.end_stream();
        reply.abort();
      },
      std::move(stream));
}

}  // namespace gust::devcloud
