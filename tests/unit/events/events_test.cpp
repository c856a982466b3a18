// Typed events against the real event fixtures AWS documents
// (../shared/testdata/events, from aws-lambda-go's testdata).
#include "runtime/events.hpp"

#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gust::runtime {
namespace {

std::string fixture(std::string_view name) {
  std::ifstream in(std::string(GUST_SHARED_DIR) + "/testdata/events/" + std::string(name));
  EXPECT_TRUE(in) << "missing fixture " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(HttpEvent, ParsesPayload2WithoutAuthorizer) {
  auto req = parse_http_event(fixture("apigw-v2-request-no-authorizer.json"));
  ASSERT_TRUE(req) << req.error().describe();
  EXPECT_EQ(req->method(), "GET");
  EXPECT_EQ(req->path(), "/");
  EXPECT_EQ(req->route_key(), "$default");
  EXPECT_EQ(req->header("User-Agent"), "curl/7.58.0");
  EXPECT_EQ(req->source_ip(), "1.2.3.4");
  EXPECT_EQ(req->request_id(), "LV7fzho-PHcEJPw=");
}

TEST(HttpEvent, ParsesEveryPayload2Fixture) {
  for (const char* name : {"apigw-v2-request-iam.json", "apigw-v2-request-jwt-authorizer.json",
                           "apigw-v2-request-lambda-authorizer.json", "lambda-urls-request.json"}) {
    auto req = parse_http_event(fixture(name));
    ASSERT_TRUE(req) << name << ": " << req.error().describe();
    EXPECT_FALSE(req->method().empty()) << name;
    EXPECT_FALSE(req->path().empty()) << name;
  }
}

TEST(HttpEvent, Payload2QueryParamsCookiesAndPathParams) {
  auto req = parse_http_event(fixture("apigw-v2-request-jwt-authorizer.json"));
  ASSERT_TRUE(req);
  auto raw = parse_json(fixture("apigw-v2-request-jwt-authorizer.json"));
  ASSERT_TRUE(raw);
  if (const Value* q = raw->find("queryStringParameters")) {
    for (const auto& m : q->as_object()) EXPECT_EQ(req->query(m.key), m.value.as_string());
  }
  if (const Value* c = raw->find("cookies")) EXPECT_EQ(req->cookies().size(), c->as_array().size());
  if (const Value* p = raw->find("pathParameters")) {
    for (const auto& m : p->as_object()) EXPECT_EQ(req->param(m.key), m.value.as_string());
  }
}

TEST(HttpEvent, ParsesRestPayload1) {
  auto req = parse_http_event(fixture("apigw-request.json"));
  ASSERT_TRUE(req) << req.error().describe();
  auto raw = parse_json(fixture("apigw-request.json"));
  EXPECT_EQ(req->method(), raw->find("httpMethod")->as_string());
  EXPECT_EQ(req->path(), raw->find("path")->as_string());
  EXPECT_FALSE(req->headers().empty());
}

TEST(HttpEvent, DecodesBase64Bodies) {
  auto req = parse_http_event(
      R"({"version":"2.0","rawPath":"/u","requestContext":{"http":{"method":"POST"}},"body":"AP8Q","isBase64Encoded":true})");
  ASSERT_TRUE(req);
  EXPECT_EQ(req->body(), std::string("\x00\xff\x10", 3));
  EXPECT_TRUE(req->body_was_base64());
}

TEST(HttpEvent, MalformedEventsGetPreciseErrors) {
  auto not_json = parse_http_event("{oops");
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().message.find("malformed HTTP event"), std::string::npos);
  auto wrong_kind = parse_http_event(fixture("sqs-event.json"));
  ASSERT_FALSE(wrong_kind);
  EXPECT_NE(wrong_kind.error().message.find("not an API Gateway HTTP event"), std::string::npos);
  auto bad_body = parse_http_event(
      R"({"version":"2.0","rawPath":"/","requestContext":{"http":{"method":"POST"}},"body":"!!","isBase64Encoded":true})");
  ASSERT_FALSE(bad_body);
  EXPECT_EQ(bad_body.error().context, "body");
  auto no_http = parse_http_event(R"({"version":"2.0","rawPath":"/"})");
  ASSERT_FALSE(no_http);
  EXPECT_EQ(no_http.error().context, "requestContext.http");
}

TEST(HttpResponse, SerialisesPayload2Response) {
  Response r = Response::text("hi", 201);
  r.add_header("x-multi", "a").add_header("x-multi", "b").cookie("s=1");
  auto json = parse_json(http_response_json(r));
  ASSERT_TRUE(json);
  EXPECT_EQ(json->find("statusCode")->as_int(), 201);
  EXPECT_EQ(json->find("headers")->find("x-multi")->as_string(), "a,b");
  EXPECT_EQ(json->find("cookies")->as_array().at(0).as_string(), "s=1");
  EXPECT_EQ(json->find("body")->as_string(), "hi");
  EXPECT_FALSE(json->find("isBase64Encoded")->as_bool());
}

TEST(HttpResponse, BinaryBodiesAreBase64) {
  auto json = parse_json(http_response_json(Response::binary(std::string("\x00\x01", 2), "application/octet-stream")));
  ASSERT_TRUE(json);
  EXPECT_EQ(json->find("body")->as_string(), "AAE=");
  EXPECT_TRUE(json->find("isBase64Encoded")->as_bool());
}

TEST(SqsEvent, ParsesRecordsAndAttributes) {
  auto records = parse_sqs_event(fixture("sqs-event.json"));
  ASSERT_TRUE(records) << records.error().describe();
  ASSERT_FALSE(records->empty());
  const auto& first = records->front();
  EXPECT_EQ(first.info.message_id, "MessageID_1");
  EXPECT_EQ(first.info.receipt_handle, "MessageReceiptHandle");
  EXPECT_EQ(first.body, "Message Body");
  EXPECT_EQ(first.info.receive_count, 2);
  EXPECT_EQ(first.info.attributes.at("Attribute1"), "AttributeValue1");
}

TEST(SqsEvent, BatchResponseListsFailures) {
  EXPECT_EQ(sqs_batch_response({}), R"({"batchItemFailures":[]})");
  EXPECT_EQ(sqs_batch_response({"a", "b"}), R"({"batchItemFailures":[{"itemIdentifier":"a"},{"itemIdentifier":"b"}]})");
}

TEST(SqsEvent, RejectsEventsWithoutRecords) {
  auto r = parse_sqs_event(R"({"records":[]})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().context, "Records");
  auto no_id = parse_sqs_event(R"({"Records":[{"body":"x"}]})");
  ASSERT_FALSE(no_id);
  EXPECT_EQ(no_id.error().context, "Records[0].messageId");
}

TEST(SnsEvent, ParsesRecords) {
  auto records = parse_sns_event(fixture("sns-event.json"));
  ASSERT_TRUE(records) << records.error().describe();
  ASSERT_FALSE(records->empty());
  auto raw = parse_json(fixture("sns-event.json"));
  const Value& sns = *raw->find("Records")->as_array().at(0).find("Sns");
  EXPECT_EQ(records->front().message, sns.find("Message")->as_string());
  EXPECT_EQ(records->front().topic_arn, sns.find("TopicArn")->as_string());
}

TEST(S3Event, ParsesObjectCreatedAndDecodesKeys) {
  auto records = parse_s3_event(fixture("s3-event.json"));
  ASSERT_TRUE(records) << records.error().describe();
  ASSERT_FALSE(records->empty());
  EXPECT_EQ(records->front().bucket, "sourcebucket");
  EXPECT_EQ(records->front().key, "Happy Face.jpg");
  EXPECT_EQ(records->front().size, 1024u);
  EXPECT_EQ(records->front().event_name, "ObjectCreated:Put");
  auto plus = parse_s3_event(R"({"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"key":"a+b%2Bc"}}}]})");
  ASSERT_TRUE(plus);
  EXPECT_EQ(plus->front().key, "a b+c");
}

// The documented EventBridge scheduled event (not among the fixtures).
TEST(ScheduleEvent, ParsesScheduledEvent) {
  auto e = parse_schedule_event(R"({"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",
    "source":"aws.events","account":"123456789012","time":"2015-10-08T16:53:06Z","region":"us-east-1",
    "resources":["arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule"],"detail":{}})");
  ASSERT_TRUE(e) << e.error().describe();
  EXPECT_EQ(e->id, "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
  EXPECT_EQ(e->rule, "arn:aws:events:us-east-1:123456789012:rule/my-scheduled-rule");
  EXPECT_EQ(e->time, "2015-10-08T16:53:06Z");
  auto wrong = parse_schedule_event(fixture("sqs-event.json"));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().context, "detail-type");
}

}  // namespace
}  // namespace gust::runtime
