#pragma once
// Typed Lambda events and responses for every trigger the app model has:
// API Gateway HTTP API payload 2.0 (and REST payload 1.0 requests), SQS
// batches with partial batch failures, SNS, S3 object notifications and
// EventBridge scheduled events.

#include <gust/events.hpp>
#include <gust/request.hpp>
#include <gust/response.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gust::runtime {

// API Gateway HTTP API 2.0 or REST 1.0 request event -> Request.
Result<Request> parse_http_event(std::string_view json);
// Response -> HTTP API 2.0 response JSON (cookies, base64 bodies, headers).
std::string http_response_json(const Response& response);

struct SqsRecord {
  std::string body;
  MessageInfo info;
};
Result<std::vector<SqsRecord>> parse_sqs_event(std::string_view json);
// {"batchItemFailures":[{"itemIdentifier":"id"},...]}
std::string sqs_batch_response(const std::vector<std::string>& failed_message_ids);

struct SnsRecord {
  std::string message;
  std::string message_id;
  std::string topic_arn;
  std::string subject;
};
Result<std::vector<SnsRecord>> parse_sns_event(std::string_view json);

Result<std::vector<ObjectCreated>> parse_s3_event(std::string_view json);
Result<ScheduleEvent> parse_schedule_event(std::string_view json);

}  // namespace gust::runtime
