// gust's own AWS clients (src/aws, what apps and `gust dev` functions use)
// against the local services served on 127.0.0.1: the path examples/todo
// takes locally, through AWS_ENDPOINT_URL.
#include "aws/dynamodb.hpp"
#include "aws/s3.hpp"
#include "aws/sns.hpp"
#include "aws/sqs.hpp"
#include "devcloud/services/http_adapter.hpp"
#include "devcloud/services/local_aws.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <thread>
#include <unistd.h>

namespace gust::localaws {
namespace {

namespace json = boost::json;

class GustClients : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gust-clients-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    aws_ = LocalAws::open({.state_dir = dir_}).value();
    server_ = ServiceHttpServer::start(*aws_, {.port = 0}).value();
    auto env = aws::Environment::from({{"AWS_ENDPOINT_URL", server_->url()},
                                       {"AWS_REGION", "us-east-1"},
                                       {"AWS_ACCESS_KEY_ID", "AKIDGUST"},
                                       {"AWS_SECRET_ACCESS_KEY", "gust-secret"},
                                       {"HOME", dir_.string()}});
    auto config = aws::ClientConfig::from_environment(env);
    ASSERT_TRUE(config) << config.error().message;
    config_ = *config;
  }
  void TearDown() override {
    server_.reset();
    aws_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<LocalAws> aws_;
  std::unique_ptr<ServiceHttpServer> server_;
  std::shared_ptr<aws::ClientConfig> config_;
};

TEST_F(GustClients, DynamoDbClientRunsTheTodoPath) {
  aws::DynamoDbClient ddb(config_);
  auto created = ddb.call("CreateTable", json::parse(R"({"TableName":"todos","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})").as_object());
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(ddb.call("PutItem", json::parse(R"({"TableName":"todos","Item":{"id":{"S":"1"},"title":{"S":"write tests"},"done":{"BOOL":false}}})").as_object()));
  auto got = ddb.call("GetItem", json::parse(R"({"TableName":"todos","Key":{"id":{"S":"1"}}})").as_object());
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->at("Item").at("title").at("S"), "write tests");
  auto failed = ddb.call("PutItem", json::parse(R"({"TableName":"todos","Item":{"id":{"S":"1"}},"ConditionExpression":"attribute_not_exists(id) "})").as_object());
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().aws.code, "ConditionalCheckFailedException");
  EXPECT_EQ(failed.error().aws.http_status, 400);
}

TEST_F(GustClients, SqsSnsAndS3ClientsWork) {
  aws::SqsClient sqs(config_);
  auto url = sqs.create_queue("todo-events");
  ASSERT_TRUE(url) << url.error().message;
  auto sent = sqs.call("SendMessage", json::object{{"QueueUrl", *url}, {"MessageBody", R"({"id":"1"})"}});
  ASSERT_TRUE(sent) << sent.error().message;
  auto received = sqs.call("ReceiveMessage", json::object{{"QueueUrl", *url}, {"WaitTimeSeconds", 1}});
  ASSERT_TRUE(received) << received.error().message;
  EXPECT_EQ(received->at("Messages").at(0).at("Body"), R"({"id":"1"})");

  aws::SnsClient sns(config_);
  auto topic = sns.create_topic("todo-news");
  ASSERT_TRUE(topic) << topic.error().message;
  EXPECT_EQ(*topic, "arn:aws:sns:us-east-1:000000000000:todo-news");

  aws::S3Client s3(config_);
  ASSERT_TRUE(s3.create_bucket("todo-uploads"));
  detail::PutObjectSpec spec;
  spec.content_type = "text/plain";
  spec.metadata["owner"] = "ann";
  auto etag = s3.put_object("todo-uploads", "notes/a b.txt", "hello", spec);
  ASSERT_TRUE(etag) << etag.error().message;
  auto obj = s3.get_object("todo-uploads", "notes/a b.txt", std::nullopt);
  ASSERT_TRUE(obj) << obj.error().message;
  EXPECT_EQ(obj->body, "hello");
  EXPECT_EQ(obj->metadata.at("owner"), "ann");
  auto page = s3.list_objects("todo-uploads", "notes/", "/", std::nullopt, std::nullopt);
  ASSERT_TRUE(page) << page.error().message;
  const std::string big(6 * 1024 * 1024, 'z');
  auto mp = s3.multipart_upload("todo-uploads", "big", big, spec);
  ASSERT_TRUE(mp) << mp.error().message;
  EXPECT_EQ(s3.head_object("todo-uploads", "big")->size, big.size());
  auto missing = s3.get_object("todo-uploads", "nope", std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace gust::localaws
