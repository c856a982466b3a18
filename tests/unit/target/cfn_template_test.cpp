#include "devcloud/target/cfn_template.hpp"

#include <gtest/gtest.h>

namespace gust::devcloud::target {
namespace {

std::string error_of(std::string_view text) {
  auto t = parse_template(text);
  return t ? std::string("(parsed)") : t.error().message;
}

TEST(CfnTemplate, OrdersResourcesAfterWhatTheyReferTo) {
  auto t = parse_template(R"({"Resources":{
    "Fn":{"Type":"AWS::Lambda::Function","Properties":{"Role":{"Fn::GetAtt":["Role","Arn"]},"Environment":{"Variables":{"T":{"Ref":"Table"}}}}},
    "Route":{"Type":"AWS::ApiGatewayV2::Route","Properties":{"Target":{"Fn::Sub":"integrations/${Integration}"}}},
    "Integration":{"Type":"AWS::ApiGatewayV2::Integration","Properties":{"IntegrationUri":{"Fn::Sub":"${Fn.Arn}"}}},
    "Table":{"Type":"AWS::DynamoDB::Table","DependsOn":"Role"},
    "Role":{"Type":"AWS::IAM::Role"}}})");
  ASSERT_TRUE(t) << t.error().message;
  std::vector<std::string> order;
  for (const auto& r : t->resources) order.push_back(r.logical_id);
  EXPECT_EQ(order, (std::vector<std::string>{"Role", "Table", "Fn", "Integration", "Route"}));
}

TEST(CfnTemplate, ReportsMalformedJsonWithItsPosition) {
  EXPECT_EQ(error_of("{\n  \"Resources\": {\n    \"A\": }"), "Template format error: JSON not well-formed. (line 3, column 10)");
}

TEST(CfnTemplate, NamesUnsupportedTypesWithTheirLogicalIds) {
  const auto e = error_of(R"({"Resources":{"Vm":{"Type":"AWS::EC2::Instance"},"T":{"Type":"AWS::SNS::Topic"}}})");
  EXPECT_TRUE(e.starts_with("Template format error: Unrecognized resource types: [AWS::EC2::Instance (Vm)]")) << e;
}

TEST(CfnTemplate, RefusesUnknownIntrinsicFunctions) {
  const auto e = error_of(R"({"Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Fn::Frob":"x"}}}}})");
  EXPECT_TRUE(e.starts_with("Template error: Encountered unsupported function: Fn::Frob Supported functions are: [")) << e;
}

TEST(CfnTemplate, RefusesUnresolvedReferences) {
  EXPECT_EQ(error_of(R"({"Resources":{"T":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":{"Fn::Sub":"${Nope}-x"}}}}})"),
            "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template");
  EXPECT_EQ(error_of(R"({"Resources":{"T":{"Type":"AWS::SNS::Topic","DependsOn":["Gone"]}}})"),
            "Template format error: Unresolved resource dependencies [Gone] in the Resources block of the template");
}

TEST(CfnTemplate, RefusesAttributesTheTypeDoesNotHave) {
  EXPECT_EQ(error_of(R"({"Resources":{"T":{"Type":"AWS::SNS::Topic"},"Q":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":{"Fn::GetAtt":["T","Colour"]}}}}})"),
            "Template error: resource T does not support attribute type Colour in Fn::GetAtt");
}

TEST(CfnTemplate, RefusesCycles) {
  EXPECT_EQ(error_of(R"({"Resources":{"A":{"Type":"AWS::SNS::Topic","DependsOn":"B"},"B":{"Type":"AWS::SNS::Topic","DependsOn":"A"}}})"),
            "Template format error: Circular dependency between resources: [A, B]");
}

TEST(CfnTemplate, NeedsResources) {
  EXPECT_EQ(error_of(R"({"Resources":{}})"), "Template format error: At least one Resources member must be defined.");
}

TEST(CfnTemplate, SubVariablesSkipLiterals) {
  EXPECT_EQ(sub_variables("${AWS::Region}-${!Literal}-${Api.Arn}"), (std::vector<std::string>{"AWS::Region", "Api.Arn"}));
}

}  // namespace
}  // namespace gust::devcloud::target
