#include "aws/dynamodb_marshal.hpp"

#include "aws/aws_error.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace gust::aws {
namespace {

namespace json = boost::json;

std::string attr(const Value& v) { return json::serialize(ddb::to_attribute(v).value()); }
Value back(std::string_view text) { return ddb::from_attribute(json::parse(text)).value(); }

TEST(DynamoMarshal, WritesEveryKindAsItsAttributeType) {
  EXPECT_EQ(attr(Value("s")), R"({"S":"s"})");
  EXPECT_EQ(attr(Value(true)), R"({"BOOL":true})");
  EXPECT_EQ(attr(Value()), R"({"NULL":true})");
  EXPECT_EQ(attr(Value(-42)), R"({"N":"-42"})");
  EXPECT_EQ(attr(Value(std::numeric_limits<std::uint64_t>::max())), R"({"N":"18446744073709551615"})");
  EXPECT_EQ(attr(Value(0.1)), R"({"N":"0.1"})");
  EXPECT_EQ(attr(Value(3.0)), R"({"N":"3"})");
  EXPECT_EQ(attr(Value(Decimal("0.10"))), R"({"N":"0.1"})");
  EXPECT_EQ(attr(Value(Bytes{std::string("\0\xff", 2)})), R"({"B":"AP8="})");
  EXPECT_EQ(attr(Value(Array{1, Value(), "x"})), R"({"L":[{"N":"1"},{"NULL":true},{"S":"x"}]})");
  // Null members are left out of maps (sparse indexes stay sparse).
  EXPECT_EQ(attr(Value(Object{{"a", 1}, {"gone", Value()}})), R"({"M":{"a":{"N":"1"}}})");
}

TEST(DynamoMarshal, ReadsNumbersExactlyWhereTheyFit) {
  EXPECT_EQ(back(R"({"N":"9223372036854775807"})").as_int(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(back(R"({"N":"-9223372036854775808"})").as_int(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(back(R"({"N":"18446744073709551615"})").as_uint(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(back(R"({"N":"1E+2"})").as_double(), 100.0);
  EXPECT_EQ(back(R"({"N":"-0.125"})").as_double(), -0.125);
  // Beyond 64 bits and beyond a double: an exact decimal.
  const Value wide = back(R"({"N":"123456789012345678901234567890"})");
  ASSERT_EQ(wide.kind(), Value::Kind::decimal);
  EXPECT_EQ(wide.as_decimal().to_string(), "123456789012345678901234567890");
  EXPECT_FALSE(ddb::from_attribute(json::parse(R"({"N":"12abc"})")));
  EXPECT_FALSE(ddb::from_attribute(json::parse(R"({"N":"NaN"})")));
}

// Every N that DynamoDB can hold comes back and goes out with the same digits.
TEST(DynamoMarshal, NumbersRoundTripAtTheLimits) {
  const std::string nines(38, '9');
  for (const std::string& n : std::vector<std::string>{
           "12345678901234567890123456789012345678", "-12345678901234567890123456789012345678",
           "1" + std::string(125, '0'), "-1" + std::string(125, '0'), nines + std::string(88, '0'),
           "0." + std::string(129, '0') + "1", "-0." + std::string(129, '0') + "1", "0." + nines,
           "3.1415926535897932384626433832795028841", "0.1", "-0.125", "18446744073709551616",
           "-9223372036854775809", "0", "100", "0.3333333333333333"}) {
    const std::string wire = R"({"N":")" + n + R"("})";
    EXPECT_EQ(attr(back(wire)), wire) << n;
  }
  // Non-canonical text (not what DynamoDB answers, but accepted) goes out canonical.
  EXPECT_EQ(attr(back(R"({"N":"1.50E+2"})")), R"({"N":"150"})");
}

TEST(DynamoMarshal, DecimalsGoOutWithEveryDigit) {
  EXPECT_EQ(attr(Value(Decimal("-1.50"))), R"({"N":"-1.5"})");
  EXPECT_EQ(attr(Value(Decimal("1E+125"))), R"({"N":"1)" + std::string(125, '0') + R"("})");
  EXPECT_EQ(attr(Value(1e-130)), R"({"N":"0.)" + std::string(129, '0') + R"(1"})");
}

TEST(DynamoMarshal, DoublesOutsideTheRangeFailNamingThePathAndRange) {
  for (double d : {1e300, -1e127, 1e-200}) {
    auto item = ddb::to_item(Value(Object{{"id", "x"}, {"scores", Array{1, d}}}));
    ASSERT_FALSE(item) << d;
    EXPECT_EQ(item.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(item.error().context, "scores[1]");
    EXPECT_NE(item.error().message.find("magnitude from 1E-130 to 9.99...E+125"), std::string::npos)
        << item.error().message;
  }
}

TEST(DynamoMarshal, SetsOfStringsNumbersAndBytesAreDynamoDbSets) {
  EXPECT_EQ(attr(Value::set({"a", "b"})), R"({"SS":["a","b"]})");
  EXPECT_EQ(attr(Value::set({1, 2.5, Decimal("123456789012345678901234567890"), 18446744073709551615ULL})),
            R"({"NS":["1","2.5","123456789012345678901234567890","18446744073709551615"]})");
  EXPECT_EQ(attr(Value::set({Bytes{std::string("\0\xff", 2)}})), R"({"BS":["AP8="]})");
  // DynamoDB sets hold one scalar type: anything else is a list.
  EXPECT_EQ(attr(Value::set({"a", 1})), R"({"L":[{"S":"a"},{"N":"1"}]})");
  EXPECT_EQ(attr(Value::set({Object{{"k", 1}}})), R"({"L":[{"M":{"k":{"N":"1"}}}]})");
  // A plain array is always a list.
  EXPECT_EQ(attr(Value(Array{"a"})), R"({"L":[{"S":"a"}]})");
  auto bad_member = ddb::to_attribute(Value::set({1, std::numeric_limits<double>::infinity()}), ":v");
  ASSERT_FALSE(bad_member);
  EXPECT_EQ(bad_member.error().context, ":v[1]");
}

TEST(DynamoMarshal, EmptySetsAreLeftOut) {
  auto item = ddb::to_item(Value(Object{{"id", "x"}, {"tags", Value::set({})}, {"nested", Object{{"s", Value::set({})}}}}));
  ASSERT_TRUE(item) << item.error().describe();
  EXPECT_EQ(json::serialize(*item), R"({"id":{"S":"x"},"nested":{"M":{}}})");
  // Inside a list there is no leaving out: an empty list reads back as an empty set.
  EXPECT_EQ(attr(Value(Array{Value::set({})})), R"({"L":[{"L":[]}]})");
  auto alone = ddb::to_attribute(Value::set({}), ":tags");
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(alone.error().context, ":tags");
  EXPECT_NE(alone.error().message.find("no empty sets"), std::string::npos);
}

TEST(DynamoMarshal, SetsReadBackAsSets) {
  const Value ss = back(R"({"SS":["a","b"]})");
  EXPECT_TRUE(ss.is_set());
  ASSERT_EQ(ss.as_array().size(), 2u);
  EXPECT_EQ(ss.as_array()[1].as_string(), "b");
  const Value ns = back(R"({"NS":["1","2.5","123456789012345678901234567890"]})");
  EXPECT_TRUE(ns.is_set());
  EXPECT_EQ(ns.as_array()[0].as_int(), 1);
  EXPECT_EQ(ns.as_array()[1].as_double(), 2.5);
  EXPECT_EQ(ns.as_array()[2].as_decimal().to_string(), "123456789012345678901234567890");
  const Value bs = back(R"({"BS":["AP8="]})");
  EXPECT_TRUE(bs.is_set());
  EXPECT_EQ(bs.as_array()[0].as_bytes().data, std::string("\0\xff", 2));
}

TEST(DynamoMarshal, NestedValuesRoundTrip) {
  const Value v = Object{{"list", Array{Object{{"deep", Array{Array{1, 2}, "x"}}}}},
                         {"bin", Bytes{"\x01\x02"}},
                         {"flag", false},
                         {"uni", "日本 ✓"},
                         {"tags", Value::set({"a", "b"})},
                         {"amounts", Value::set({1, 2.5, Decimal("-0.12345678901234567890123456789012345678")})},
                         {"keys", Value::set({Bytes{"k"}})},
                         {"exact", Decimal("98765432109876543210.0123456789")}};
  auto item = ddb::to_item(v);
  ASSERT_TRUE(item);
  auto again = ddb::from_item(*item);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, v);
}

TEST(DynamoMarshal, ProblemsNameTheAttributePath) {
  const Value v = Object{{"outer", Object{{"inner", Array{1, Value(std::numeric_limits<double>::infinity())}}}}};
  auto item = ddb::to_item(v);
  ASSERT_FALSE(item);
  EXPECT_EQ(item.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(item.error().context, "outer.inner[1]");
  auto not_object = ddb::to_item(Value(3));
  ASSERT_FALSE(not_object);
  EXPECT_NE(not_object.error().message.find("must be an object"), std::string::npos);
}

TEST(AwsErrors, CodesMapToGustErrorCodes) {
  EXPECT_EQ(error_code_for("ConditionalCheckFailedException", 400), ErrorCode::failed_precondition);
  EXPECT_EQ(error_code_for("ResourceNotFoundException", 400), ErrorCode::not_found);
  EXPECT_EQ(error_code_for("NoSuchKey", 404), ErrorCode::not_found);
  EXPECT_EQ(error_code_for("AccessDeniedException", 400), ErrorCode::permission_denied);
  EXPECT_EQ(error_code_for("AccessDenied", 403), ErrorCode::permission_denied);
  EXPECT_EQ(error_code_for("ThrottlingException", 400), ErrorCode::resource_exhausted);
  EXPECT_EQ(error_code_for("ProvisionedThroughputExceededException", 400), ErrorCode::resource_exhausted);
  EXPECT_EQ(error_code_for("SlowDown", 503), ErrorCode::resource_exhausted);
  EXPECT_EQ(error_code_for("UnrecognizedClientException", 400), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_for("SignatureDoesNotMatch", 403), ErrorCode::unauthenticated);
  EXPECT_EQ(error_code_for("ValidationException", 400), ErrorCode::invalid_argument);
  EXPECT_EQ(error_code_for("InvalidParameterValue", 400), ErrorCode::invalid_argument);
  EXPECT_EQ(error_code_for("ResourceInUseException", 400), ErrorCode::already_exists);
  EXPECT_EQ(error_code_for("InternalServerError", 500), ErrorCode::unavailable);
  EXPECT_EQ(error_code_for("SomethingNew", 503), ErrorCode::unavailable);
  EXPECT_EQ(error_code_for("SomethingNew", 404), ErrorCode::not_found);
  EXPECT_EQ(error_code_for("SomethingNew", 302), ErrorCode::internal);
  EXPECT_TRUE(is_throttling_error("Throttling", 400));
  EXPECT_TRUE(is_throttling_error("", 429));
  EXPECT_TRUE(is_transient_error("", 502));
  EXPECT_FALSE(is_transient_error("ValidationException", 400));
}

TEST(AwsErrors, ParsesTheShapesServicesAnswerIn) {
  http::ClientResponse json_error{400, {}, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})"};
  json_error.headers.add("x-amzn-RequestId", "RID1");
  Error e = parse_json_error(json_error, "table t PutItem");
  EXPECT_EQ(e.code, ErrorCode::failed_precondition);
  EXPECT_EQ(e.aws.code, "ConditionalCheckFailedException");
  EXPECT_EQ(e.aws.request_id, "RID1");
  EXPECT_EQ(e.message, "The conditional request failed (ConditionalCheckFailedException)");
  EXPECT_EQ(e.describe(), "table t PutItem: The conditional request failed (ConditionalCheckFailedException)");

  http::ClientResponse header_only{400, {}, "{}"};
  header_only.headers.add("X-Amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/");
  EXPECT_EQ(parse_json_error(header_only, "").aws.code, "AccessDeniedException");

  http::ClientResponse s3{404, {}, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R2</RequestId></Error>"};
  Error s = parse_xml_error(s3, "");
  EXPECT_EQ(s.code, ErrorCode::not_found);
  EXPECT_EQ(s.aws.request_id, "R2");

  http::ClientResponse query{400, {}, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>bad</Message></Error><RequestId>R3</RequestId></ErrorResponse>"};
  Error q = parse_xml_error(query, "");
  EXPECT_EQ(q.aws.code, "InvalidParameter");
  EXPECT_EQ(q.aws.request_id, "R3");

  http::ClientResponse nested{403, {}, "<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code><Message>m</Message></Error></Errors></ErrorResponse>"};
  EXPECT_EQ(parse_json_error(nested, "").code, ErrorCode::unauthenticated);

  http::ClientResponse head_404{404, {}, ""};
  Error h = parse_xml_error(head_404, "");
  EXPECT_EQ(h.aws.code, "NotFound");
  EXPECT_EQ(h.code, ErrorCode::not_found);
}

}  // namespace
}  // namespace gust::aws
