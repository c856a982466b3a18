#include "project/dev_endpoint.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace gust::project {
namespace fs = std::filesystem;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

struct HostPort {
  std::string host;
  std::string port;
};

// Only plain http on a numeric loopback address: this talks to our own dev cloud.
std::optional<HostPort> parse_loopback_url(std::string_view url) {
  if (!url.starts_with("http://127.")) return std::nullopt;
  url.remove_prefix(7);
  const auto colon = url.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view port = url.substr(colon + 1);
  port = port.substr(0, port.find('/'));
  return HostPort{std::string(url.substr(0, colon)), std::string(port)};
}

}  // namespace

fs::path dev_endpoint_file(const fs::path& project_dir) { return project_dir / ".gust" / "dev" / "endpoint"; }

std::optional<std::string> running_dev_cloud(const fs::path& project_dir) {
  std::ifstream in(dev_endpoint_file(project_dir));
  std::string url;
  if (!std::getline(in, url)) return std::nullopt;
  auto hp = parse_loopback_url(url);
  if (!hp) return std::nullopt;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address(hp->host, ec), static_cast<unsigned short>(std::stoi(hp->port))}, ec);
  if (ec) return std::nullopt;  // a stale file from a dev cloud that was killed
  return url;
}

Result<InvokeReply> invoke_dev_function(const std::string& url, const std::string& function, const std::string& payload) {
  auto hp = parse_loopback_url(url);
  if (!hp) return unexpected(ErrorCode::invalid_argument, fmt::format("not a local dev cloud URL: {}", url));
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::minutes(16));  // longer than any function's timeout
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address(hp->host), static_cast<unsigned short>(std::stoi(hp->port))));
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, fmt::format("/2015-03-31/functions/{}/invocations", function), 11};
    req.set(bhttp::field::host, fmt::format("{}:{}", hp->host, hp->port));
    req.set(bhttp::field::content_type, "application/json");
    req.body() = payload;
    req.prepare_payload();
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    bhttp::read(stream, buffer, parser);
    InvokeReply reply;
    reply.status = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      reply.headers[name] = std::string(field.value());
    }
    reply.body = std::move(parser.get().body());
    return reply;
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::unavailable, fmt::format("the dev cloud at {} did not answer: {}", url, e.what()));
  }
}

}  // namespace gust::project
