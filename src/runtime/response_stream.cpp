#include "runtime/response_stream.hpp"

#include <gust/value.hpp>

namespace gust::runtime {
namespace {

class StringWriter final : public StreamWriter {
 public:
  explicit StringWriter(std::string& out) : out_(out) {}
  bool write(std::string_view bytes) override {
    out_.append(bytes);
    return true;
  }

 private:
  std::string& out_;
};

}  // namespace

std::string http_stream_prelude(const Response& response) {
  Value prelude;
  prelude["statusCode"] = response.status();
  Value headers = Object{};
  for (const auto& [name, value] : response.headers()) {
    // Repeated names join with a comma, as the buffered payload 2.0 response does.
    if (const Value* seen = headers.find(name)) {
      headers[name] = seen->as_string() + "," + value;
    } else {
      headers[name] = value;
    }
  }
  prelude["headers"] = std::move(headers);
  if (!response.cookies().empty()) {
    Array cookies;
    for (const auto& c : response.cookies()) cookies.emplace_back(c);
    prelude["cookies"] = std::move(cookies);
  }
  return to_json_text(prelude);
}

InvocationResult http_streaming_result(const Response& response) {
  std::string head = http_stream_prelude(response);
  head.append(kHttpStreamSeparator);
  return InvocationResult::streamed(std::string(kHttpStreamContentType), std::move(head), response.stream_body());
}

Response collect_stream(const Response& response) {
  std::string body;
  if (response.is_streaming()) {
    StringWriter writer(body);
    response.stream_body()(writer);
  }
  Response buffered(response.status());
  for (const auto& [name, value] : response.headers()) buffered.add_header(name, value);
  for (const auto& c : response.cookies()) buffered.cookie(c);
  buffered.set_body(std::move(body));
  return buffered;
}

bool split_http_stream(std::string_view payload, std::string_view& prelude, std::string_view& body) {
  auto at = payload.find(kHttpStreamSeparator);
  if (at == std::string_view::npos) return false;
  prelude = payload.substr(0, at);
  body = payload.substr(at + kHttpStreamSeparator.size());
  return true;
}

}  // namespace gust::runtime
