#include "devcloud/services/local_aws.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/sigv4_check.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace gust::localaws {
namespace {

ServiceRequest signed_request(const std::string& method, const std::string& path, const std::string& body, const std::string& service) {
  ServiceRequest r{method, path, "", {}, body};
  testing::sign(r, service);
  return r;
}

TEST(LocalAwsRoute, ChoosesTheServiceAsAwsEndpointsWould) {
  auto ddb = testing::json_request("DynamoDB_20120810.ListTables", "{}", "dynamodb");
  EXPECT_EQ(LocalAws::route(ddb), "dynamodb");
  EXPECT_EQ(LocalAws::route(testing::json_request("AmazonSQS.ListQueues", "{}", "sqs")), "sqs");
  auto sqs_form = signed_request("POST", "/", "Action=ListQueues&Version=2012-11-05", "sqs");
  sqs_form.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(LocalAws::route(sqs_form), "sqs");
  auto sns_form = signed_request("POST", "/", "Action=ListTopics&Version=2010-03-31", "sns");
  sns_form.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(LocalAws::route(sns_form), "sns");
  // Unsigned forms go by the action's name (and then fail the signature check there).
  ServiceRequest unsigned_sns{"POST", "/", "", {}, "Action=Publish"};
  unsigned_sns.headers.set("Content-Type", "application/x-www-form-urlencoded");
  EXPECT_EQ(LocalAws::route(unsigned_sns), "sns");
  EXPECT_EQ(LocalAws::route(signed_request("PUT", "/bucket/key", "data", "s3")), "s3");
  EXPECT_EQ(LocalAws::route(signed_request("GET", "/", "", "s3")), "s3");
}

TEST(LocalAws, ServesAllFourAndWiresSnsIntoSqs) {
  testing::TempDir dir;
  auto aws = LocalAws::open({.state_dir = dir.path()});
  ASSERT_TRUE(aws) << aws.error().message;
  auto& a = **aws;
  EXPECT_EQ(call(a, testing::json_request("DynamoDB_20120810.ListTables", "{}", "dynamodb")).status, 200);
  auto bucket = signed_request("PUT", "/my-bucket", "", "s3");
  bucket.headers.set("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
  EXPECT_EQ(call(a, bucket).status, 200);
  ASSERT_TRUE(a.sqs().ensure_queue("inbox"));
  auto topic = signed_request("POST", "/", "Action=CreateTopic&Name=news", "sns");
  topic.headers.set("Content-Type", "application/x-www-form-urlencoded");
  ASSERT_EQ(call(a, topic).status, 200);
  auto sub = signed_request("POST", "/",
                            "Action=Subscribe&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Anews&Protocol=sqs&Endpoint="
                            "arn%3Aaws%3Asqs%3Aus-east-1%3A000000000000%3Ainbox&Attributes.entry.1.key=RawMessageDelivery&Attributes.entry.1.value=true",
                            "sns");
  sub.headers.set("Content-Type", "application/x-www-form-urlencoded");
  ASSERT_EQ(call(a, sub).status, 200);
  auto pub = signed_request("POST", "/", "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Anews&Message=extra", "sns");
  pub.headers.set("Content-Type", "application/x-www-form-urlencoded");
  ASSERT_EQ(call(a, pub).status, 200);
  std::string body;
  for (int i = 0; i < 100 && body.empty(); ++i) {
    auto got = a.sqs().receive("inbox");
    ASSERT_TRUE(got);
    if (!got->empty()) body = got->front().body;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  EXPECT_EQ(body, "extra");
}

AuthCheck check(const std::string& authorization, const std::string& date, const std::string& service = "sqs") {
  ServiceRequest r{"POST", "/", "", {}, ""};
  if (!authorization.empty()) r.headers.set("Authorization", authorization);
  if (!date.empty()) r.headers.set("X-Amz-Date", date);
  return check_sigv4(r, {}, service, parse_amz_date("20240501T120000Z"));
}

TEST(Sigv4Check, AcceptsAnyKeyWithAWellFormedSignature) {
  auto ok = check("AWS4-HMAC-SHA256 Credential=ANYKEY/20240501/eu-west-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=" +
                      std::string(64, 'f'),
                  "20240501T120500Z");
  EXPECT_TRUE(ok.ok()) << ok.message;
  EXPECT_EQ(ok.access_key, "ANYKEY");
  EXPECT_EQ(ok.region, "eu-west-1");
}

TEST(Sigv4Check, RejectsMalformedSignaturesInAwsOrder) {
  const std::string sig = ", Signature=" + std::string(64, 'f');
  EXPECT_EQ(check("", "").problem, AuthProblem::missing);
  EXPECT_EQ(check("Bearer x", "").problem, AuthProblem::missing);
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host" + sig, "").message,
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "
            "Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=" + std::string(64, 'f'));
  EXPECT_EQ(check("AWS4-HMAC-SHA1 Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host" + sig, "20240501T120000Z").message,
            "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). ");
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host" + sig, "2024-05-01").problem,
            AuthProblem::incomplete);
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240501/sqs/aws4_request, SignedHeaders=host" + sig, "20240501T120000Z").message,
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'K/20240501/sqs/aws4_request'");
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240502/us-east-1/sns/aws4_request, SignedHeaders=host" + sig, "20240501T120000Z").message,
            "Credential should be scoped to correct service: 'sqs'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP: '20240502' != '20240501', from '20240501T120000Z'.");
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=x-amz-date" + sig, "20240501T120000Z").message,
            "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host" + sig, "20240501T110000Z").message,
            "Signature expired: 20240501T110000Z is now earlier than 20240501T114500Z (20240501T120000Z - 15 min.)");
  EXPECT_EQ(check("AWS4-HMAC-SHA256 Credential=K/20240501/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=xyz", "20240501T120000Z").problem,
            AuthProblem::bad_signature);
}

}  // namespace
}  // namespace gust::localaws
