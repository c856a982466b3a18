#include "devcloud/gateway/stream_relay.hpp"

#include <gust/headers.hpp>
#include <gust/value.hpp>

namespace gust::devcloud {
namespace {

constexpr std::string_view kPreludeContentType = "application/vnd.awslambda.http-integration-response";
constexpr std::string_view kSeparator{"\0\0\0\0\0\0\0\0", 8};

}  // namespace

std::optional<GatewayResponse> head_from_prelude(std::string_view prelude) {
  auto parsed = parse_json(prelude);
  if (!parsed || parsed->kind() != Value::Kind::object) return std::nullopt;
  Value v = std::move(*parsed);
  if (v.find("statusCode") == nullptr) v["statusCode"] = 200;
  const Value& status = *v.find("statusCode");
  const double code = !status.is_number() ? 0 : status.kind() == Value::Kind::integer ? static_cast<double>(status.as_int()) : status.as_double();
  if (code < 100 || code > 599) return std::nullopt;
  v["body"] = "";  // the body is the stream, never the prelude
  v["isBase64Encoded"] = false;
  GatewayResponse head = response_from_payload(to_json_text(v));
  head.body.clear();
  return head;
}

void StreamRelay::start(std::string_view content_type) {
  std::lock_guard lock(mutex_);
  if (started_) return;
  started_ = true;
  with_prelude_ = iequals(content_type, kPreludeContentType);
  if (!with_prelude_) {
    GatewayResponse head;
    head.headers.emplace_back("content-type", content_type.empty() ? "application/octet-stream" : std::string(content_type));
    begin_locked(std::move(head));
  }
}

void StreamRelay::feed(std::string_view bytes) {
  std::lock_guard lock(mutex_);
  if (!started_ || broken_ || bytes.empty()) return;
  if (begun_) return client_.write(std::string(bytes));
  prelude_.append(bytes);
  const auto at = prelude_.find(kSeparator);
  if (at == std::string::npos) return;
  auto head = head_from_prelude(std::string_view(prelude_).substr(0, at));
  if (!head) {
    broken_ = true;
    return;
  }
  std::string rest = prelude_.substr(at + kSeparator.size());
  prelude_.clear();
  prelude_.shrink_to_fit();
  begin_locked(std::move(*head));
  if (!rest.empty()) client_.write(std::move(rest));
}

bool StreamRelay::begun() const {
  std::lock_guard lock(mutex_);
  return begun_;
}

void StreamRelay::begin_locked(GatewayResponse head) {
  begun_ = true;
  client_.begin(std::move(head));
}

}  // namespace gust::devcloud
