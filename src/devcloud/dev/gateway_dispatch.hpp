#pragma once
// One HTTP API request, from the client to a function and back, as API
// Gateway does it: the payload 2.0 event in, the function's answer (or its
// failure status) out; a streamed response passes through as it is produced.
// Shared by gust dev's gateway and the deploy target's HTTP APIs.

#include "devcloud/emulator/function_pool.hpp"
#include "devcloud/gateway/http_event.hpp"
#include "devcloud/gateway/router.hpp"
#include "http/server.hpp"

#include <atomic>
#include <memory>
#include <string>

namespace gust::devcloud {

// The gateway's view of an incoming request.
GatewayRequest gateway_request(const http::ServerRequest& request);

// The event's context for a request arriving now at `host:port`.
EventContext event_context_now(const std::string& host, std::uint16_t port, std::atomic<std::uint64_t>& counter);

// Invokes `target` with `event` and answers `reply` as the HTTP API would.
void answer_through_function(const std::shared_ptr<FunctionPool>& target, std::string event, const http::Responder& reply);

// The client's response for a failure without an invocation (no route).
http::ServerResponse gateway_failure(GatewayFailure failure);

}  // namespace gust::devcloud
