#include "devcloud/target/change_planner.hpp"

#include <gtest/gtest.h>

namespace gust::devcloud::target {
namespace {

constexpr std::string_view kTemplate = R"({"Parameters":{"Key":{"Type":"String"}},"Resources":{
  "Table":{"Type":"AWS::DynamoDB::Table","Properties":{"TableName":"t"}},
  "Fn":{"Type":"AWS::Lambda::Function","Properties":{"Code":{"S3Bucket":"b","S3Key":{"Ref":"Key"}},"Environment":{"Variables":{"T":{"Ref":"Table"}}}}}}})";

StackRecord deployed() {
  StackRecord s{.id = "arn:aws:cloudformation:us-east-1:000000000000:stack/s/1", .name = "s"};
  ResourceState table{"Table", "AWS::DynamoDB::Table", "t", "CREATE_COMPLETE", boost::json::object{{"TableName", "t"}}, {{"Arn", "arn:t"}}, "", 0};
  ResourceState fn{"Fn", "AWS::Lambda::Function", "s-Fn-X", "CREATE_COMPLETE",
                   boost::json::object{{"Code", boost::json::object{{"S3Bucket", "b"}, {"S3Key", "k1"}}},
                                       {"Environment", boost::json::object{{"Variables", boost::json::object{{"T", "t"}}}}}},
                   {{"Arn", "arn:fn"}}, "", 0};
  s.resources = {table, fn};
  return s;
}

TEST(ChangePlanner, NothingChangedGivesNoChanges) {
  auto t = parse_template(kTemplate);
  ASSERT_TRUE(t);
  auto changes = plan_changes(deployed(), *t, {{"Key", "k1"}}, "us-east-1", "000000000000");
  ASSERT_TRUE(changes);
  EXPECT_TRUE(changes->empty());
}

TEST(ChangePlanner, NewCodeModifiesOnlyTheFunctionInPlace) {
  auto t = parse_template(kTemplate);
  auto changes = plan_changes(deployed(), *t, {{"Key", "k2"}}, "us-east-1", "000000000000");
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].action, "Modify");
  EXPECT_EQ((*changes)[0].logical_id, "Fn");
  EXPECT_EQ((*changes)[0].replacement, "False");
  EXPECT_EQ((*changes)[0].properties, std::vector<std::string>{"Code"});
}

TEST(ChangePlanner, ARenamedTableIsReplacedAndItsReadersModified) {
  auto t = parse_template(R"({"Parameters":{"Key":{"Type":"String"}},"Resources":{
    "Table":{"Type":"AWS::DynamoDB::Table","Properties":{"TableName":"t2"}},
    "Fn":{"Type":"AWS::Lambda::Function","Properties":{"Code":{"S3Bucket":"b","S3Key":{"Ref":"Key"}},"Environment":{"Variables":{"T":{"Ref":"Table"}}}}},
    "Topic":{"Type":"AWS::SNS::Topic"}}})");
  ASSERT_TRUE(t);
  auto changes = plan_changes(deployed(), *t, {{"Key", "k1"}}, "us-east-1", "000000000000");
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 3u);
  EXPECT_EQ((*changes)[0].logical_id, "Table");
  EXPECT_EQ((*changes)[0].replacement, "True");
  EXPECT_EQ((*changes)[1].logical_id, "Fn");
  EXPECT_EQ((*changes)[1].properties, std::vector<std::string>{"Environment"});
  EXPECT_EQ((*changes)[2].action, "Add");
}

TEST(ChangePlanner, ResourcesLeftOutAreRemoved) {
  auto t = parse_template(R"({"Resources":{"Table":{"Type":"AWS::DynamoDB::Table","Properties":{"TableName":"t"}}}})");
  auto changes = plan_changes(deployed(), *t, {}, "us-east-1", "000000000000");
  ASSERT_TRUE(changes);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].action, "Remove");
  EXPECT_EQ((*changes)[0].physical_id, "s-Fn-X");
}

}  // namespace
}  // namespace gust::devcloud::target
