#include <gust/value.hpp>

#include <gtest/gtest.h>

#include <limits>

namespace gust {
namespace {

TEST(Json, ParsesEveryKind) {
  auto v = parse_json(R"({"a":null,"b":true,"c":-5,"d":18446744073709551615,"e":1.25,"f":"x\u00e9","g":[1,"2"],"h":{}})");
  ASSERT_TRUE(v) << v.error().describe();
  EXPECT_TRUE(v->find("a")->is_null());
  EXPECT_TRUE(v->find("b")->as_bool());
  EXPECT_EQ(v->find("c")->as_int(), -5);
  EXPECT_EQ(v->find("d")->as_uint(), 18446744073709551615ULL);
  EXPECT_DOUBLE_EQ(v->find("e")->as_double(), 1.25);
  EXPECT_EQ(v->find("f")->as_string(), "x\xc3\xa9");
  EXPECT_EQ(v->find("g")->as_array().size(), 2u);
  EXPECT_EQ(v->find("h")->kind(), Value::Kind::object);
  EXPECT_EQ(v->find("missing"), nullptr);
}

TEST(Json, SerialisesCompactlyAndKeepsMemberOrder) {
  Value v;
  v["z"] = 1;
  v["a"] = "two";
  v["m"] = Array{Value(true), Value()};
  EXPECT_EQ(to_json_text(v), R"({"z":1,"a":"two","m":[true,null]})");
}

TEST(Json, EscapesStrings) {
  EXPECT_EQ(to_json_text(Value("a\"b\\c\n\x01")), R"("a\"b\\c\n\u0001")");
}

TEST(Json, PrettyPrintsForPeople) {
  Value v;
  v["a"] = Array{Value(1), Value(2)};
  v["b"] = Object{};
  EXPECT_EQ(to_json_pretty(v), "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}\n");
}

TEST(Json, RejectsTrailingText) {
  auto v = parse_json("{} x");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().context, "line 1 column 4");
}

TEST(Json, RejectsTruncatedDocument) {
  auto v = parse_json(R"({"a": [1, 2)");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, ErrorCode::invalid_argument);
}

TEST(Json, NumbersCompareAcrossRepresentations) {
  EXPECT_EQ(Value(1), Value(1u));
  EXPECT_EQ(Value(2), Value(2.0));
  EXPECT_NE(Value(2), Value(2.5));
  EXPECT_EQ(Value(Decimal("2.0")), Value(2));
  EXPECT_EQ(Value(Decimal("0.1")), Value(0.1));
  EXPECT_EQ(Value(Decimal("18446744073709551615")), Value(18446744073709551615ULL));
  EXPECT_NE(Value(Decimal("0.1000000000000000000001")), Value(0.1));
  EXPECT_NE(Value(Decimal("1")), Value(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_EQ(Value(Decimal("123456789012345678901234567890")).as_double(), 1.2345678901234568e29);
  EXPECT_EQ(Value(7).as_double(), 7.0);
}

TEST(Json, NumbersKeepEveryDigit) {
  // Integers that fit 64 bits stay integers; numbers whose double reads back
  // as the same text are doubles; other numbers DynamoDB could hold are decimals.
  const std::string text =
      "[1,-9223372036854775808,18446744073709551615,0.1,1.5,1e-130,18446744073709551616,"
      "123456789012345678901234567890,3.1415926535897932384626433832795028841,-0.30000000000000000001]";
  auto v = parse_json(text);
  ASSERT_TRUE(v) << v.error().describe();
  std::vector<Value::Kind> kinds;
  for (const auto& item : v->as_array()) kinds.push_back(item.kind());
  using K = Value::Kind;
  EXPECT_EQ(kinds, (std::vector<K>{K::integer, K::integer, K::unsigned_integer, K::number, K::number, K::number,
                                   K::number, K::decimal, K::decimal, K::decimal}));
  EXPECT_EQ(v->as_array()[7].as_decimal().to_string(), "123456789012345678901234567890");
  EXPECT_EQ(to_json_text(*v), text);
  // Beyond DynamoDB's 38 digits nothing could store it exactly: the nearest double.
  auto long_number = parse_json("1234567890123456789012345678901234567890.5");
  ASSERT_TRUE(long_number);
  EXPECT_EQ(long_number->kind(), Value::Kind::number);
}

TEST(Json, DecimalsWriteTheirExactText) {
  EXPECT_EQ(to_json_text(Value(Decimal("-1E-130"))), "-0." + std::string(129, '0') + "1");
  EXPECT_EQ(to_json_text(Value(Object{{"d", Decimal("12.50")}})), R"({"d":12.5})");
  EXPECT_EQ(to_json_pretty(Value(Array{Decimal("1E+3")})), "[\n  1000\n]\n");
}

TEST(Json, DuplicateKeysKeepTheLastValue) {
  auto v = parse_json(R"({"a":1,"b":2,"a":3})");
  ASSERT_TRUE(v);
  EXPECT_EQ(to_json_text(*v), R"({"a":3,"b":2})");
  std::string many = "{";
  for (int i = 0; i < 40; ++i) many += "\"k" + std::to_string(i % 20) + "\":" + std::to_string(i) + (i < 39 ? "," : "}");
  auto w = parse_json(many);
  ASSERT_TRUE(w);
  ASSERT_EQ(w->as_object().size(), 20u);
  EXPECT_EQ(w->find("k0")->as_int(), 20);
  EXPECT_EQ(w->as_object()[19].key, "k19");
}

TEST(Json, LongStringsAndKeysArriveWhole) {
  const std::string long_text(100000, 'x');
  auto v = parse_json("{\"" + long_text + "\":\"" + long_text + "\u00e9\"}");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->as_object()[0].key, long_text);
  EXPECT_EQ(v->as_object()[0].value.as_string(), long_text + "\xc3\xa9");
}

TEST(Json, SetsAreArraysInJson) {
  const Value set = Value::set({"a", "b"});
  EXPECT_TRUE(set.is_set());
  EXPECT_EQ(to_json_text(set), R"(["a","b"])");
  EXPECT_NE(set, Value(Array{"a", "b"}));
  EXPECT_EQ(set, Value::set({"a", "b"}));
  EXPECT_FALSE(parse_json(R"(["a","b"])")->is_set());
}

TEST(Json, BinaryBecomesBase64) { EXPECT_EQ(to_json_text(Value(Bytes{"hi"})), R"("aGk=")"); }

}  // namespace
}  // namespace gust
