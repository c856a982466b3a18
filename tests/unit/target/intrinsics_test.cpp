#include "devcloud/target/intrinsics.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace gust::devcloud::target {
namespace {

ResolveScope scope() {
  ResolveScope s;
  s.region = "eu-west-1";
  s.ref = [](std::string_view name) -> std::optional<std::string> {
    if (name == "AWS::StackId") return "arn:aws:cloudformation:eu-west-1:000000000000:stack/app-test/6f1c-42";
    if (name == "AWS::StackName") return "app-test";
    if (name == "Table") return "app-test-Table-ABC";
    return std::nullopt;
  };
  s.get_att = [](std::string_view logical, std::string_view attribute) -> std::optional<std::string> {
    if (logical == "Fn" && attribute == "Arn") return "arn:aws:lambda:eu-west-1:000000000000:function:f";
    return std::nullopt;
  };
  return s;
}

std::string eval(std::string_view json) {
  auto r = resolve(boost::json::parse(json), scope());
  return r ? boost::json::serialize(*r) : "error: " + r.error().message;
}

TEST(Intrinsics, ResolvesRefGetAttAndBothSubForms) {
  EXPECT_EQ(eval(R"({"a":{"Ref":"Table"},"b":{"Fn::GetAtt":"Fn.Arn"},"c":{"Fn::Sub":"${AWS::StackName}/${Fn.Arn}/${!Keep}"}})"),
            R"({"a":"app-test-Table-ABC","b":"arn:aws:lambda:eu-west-1:000000000000:function:f","c":"app-test/arn:aws:lambda:eu-west-1:000000000000:function:f/${Keep}"})");
  EXPECT_EQ(eval(R"({"Fn::Sub":["x-${Id}",{"Id":{"Ref":"Table"}}]})"), R"("x-app-test-Table-ABC")");
}

TEST(Intrinsics, JoinSelectSplitAsTheSynthesizedBucketNameUsesThem) {
  EXPECT_EQ(eval(R"({"Fn::Sub":["todo-attachments-${U}",{"U":{"Fn::Select":[2,{"Fn::Split":["/",{"Ref":"AWS::StackId"}]}]}}]})"),
            R"("todo-attachments-6f1c-42")");
  EXPECT_EQ(eval(R"({"Fn::Join":[":",["a",{"Ref":"Table"},"c"]]})"), R"("a:app-test-Table-ABC:c")");
  EXPECT_EQ(eval(R"({"Fn::Select":["1",{"Fn::GetAZs":""}]})"), R"("eu-west-1b")");
}

TEST(Intrinsics, NoValueRemovesTheMember) {
  EXPECT_EQ(eval(R"({"keep":1,"drop":{"Ref":"AWS::NoValue"},"list":[1,{"Ref":"AWS::NoValue"}]})"), R"({"keep":1,"list":[1]})");
}

TEST(Intrinsics, UnknownNamesAreErrors) {
  EXPECT_EQ(eval(R"({"Ref":"Missing"})"), "error: Template error: unresolved reference Missing");
  EXPECT_EQ(eval(R"({"Fn::Select":[5,["a"]]})"), "error: Template error: Fn::Select cannot select nonexistent value at index 5");
}

}  // namespace
}  // namespace gust::devcloud::target
