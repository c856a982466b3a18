#pragma once
// CloudWatch Logs (JSON 1.1): FilterLogEvents, for `gust logs`.
//
//   LogsClient logs(config);
//   auto page = logs.filter_log_events({.log_group = "/aws/lambda/todo-dev-get-todos", .start_ms = since});

#include "aws/aws_client.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gust::aws {

struct FilterLogEventsRequest {
  std::string log_group;
  std::optional<std::int64_t> start_ms;  // epoch milliseconds, inclusive
  std::optional<std::int64_t> end_ms;
  std::string filter_pattern;            // CloudWatch Logs filter syntax; a plain word matches as a term
  std::string next_token;
  std::optional<int> limit;
};

struct LogEvent {
  std::string event_id;
  std::string stream;
  std::int64_t timestamp_ms = 0;
  std::string message;
};

struct LogEventPage {
  std::vector<LogEvent> events;
  std::string next_token;  // empty: the last page
};

// The answer's JSON -> its page; malformed JSON is ErrorCode::internal.
Result<LogEventPage> parse_filter_log_events(std::string_view json);

class LogsClient {
 public:
  explicit LogsClient(std::shared_ptr<ClientConfig> config) : client_(kLogs, Protocol::json, std::move(config)) {}

  // One page; ResourceNotFoundException (no such group yet) is ErrorCode::not_found.
  Result<LogEventPage> filter_log_events(const FilterLogEventsRequest& request) const;

 private:
  AwsClient client_;
};

}  // namespace gust::aws
