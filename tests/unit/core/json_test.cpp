#include <gust/value.hpp>

#include <gtest/gtest.h>

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
}

TEST(Json, BinaryBecomesBase64) { EXPECT_EQ(to_json_text(Value(Bytes{"hi"})), R"("aGk=")"); }

}  // namespace
}  // namespace gust
