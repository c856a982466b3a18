#include "synth/synth.hpp"

#include <gtest/gtest.h>

namespace gust::synth {
namespace {

Value one(std::string_view key, Value value) {
  Value v;
  v[key] = std::move(value);
  return v;
}

TEST(Yaml, QuotesWhatYamlWouldMisread) {
  Value v;
  v["Mode"] = "OFF";
  v["Zip"] = "0123";
  v["Path"] = "/a: b";
  v["Colons"] = "Fn::GetAtt";
  v["Comment"] = "a #b";
  v["Stage"] = "$default";
  v["List"] = Array{Value("x"), Value(true)};
  v["Empty"] = Array{};
  EXPECT_EQ(to_yaml(v), "Mode: \"OFF\"\nZip: \"0123\"\nPath: \"/a: b\"\nColons: Fn::GetAtt\nComment: \"a #b\"\nStage: $default\nList:\n  - x\n  - true\nEmpty: []\n");
}

TEST(Yaml, NestsObjectsInListsUnderTheirDash) {
  Value statement;
  statement["Effect"] = "Allow";
  statement["Action"] = Array{Value("sqs:SendMessage")};
  Value doc;
  doc["Statement"] = Array{statement};
  EXPECT_EQ(to_yaml(doc), "Statement:\n  - Effect: Allow\n    Action:\n      - sqs:SendMessage\n");
}

TEST(Yaml, WritesIntrinsicFunctionsInTheirShortForm) {
  Value split;
  split["Fn::Split"] = Array{Value("/"), one("Ref", "AWS::StackId")};
  Value doc;
  doc["Role"] = one("Fn::GetAtt", Array{Value("HelloRole"), Value("Arn")});
  doc["Api"] = one("Ref", "HttpApi");
  doc["Name"] = one("Fn::Sub", "${AWS::StackName}-x");
  doc["Pick"] = one("Fn::Select", Array{Value(2), split});
  doc["List"] = Array{one("Ref", "A")};
  EXPECT_EQ(to_yaml(doc),
            "Role: !GetAtt HelloRole.Arn\n"
            "Api: !Ref HttpApi\n"
            "Name: !Sub ${AWS::StackName}-x\n"
            "Pick: !Select\n  - 2\n  - !Split\n    - /\n    - !Ref AWS::StackId\n"
            "List:\n  - !Ref A\n");
}

}  // namespace
}  // namespace gust::synth
