#include <gust/record.hpp>

#include <gtest/gtest.h>

namespace shop {

struct Item {
  std::string name;
  double price = 0;
  int quantity = 1;
};
GUST_RECORD(Item, name, price, quantity);

struct Order {
  std::string id;
  std::vector<Item> items;
  std::optional<std::string> note;
  std::map<std::string, std::string> tags;
  bool paid = false;
  std::uint64_t total_cents = 0;
  std::int8_t priority = 0;
  gust::Bytes signature;
  std::set<std::string> labels;
};
GUST_RECORD(Order, id, items, note, tags, paid, total_cents, priority, signature, labels);

}  // namespace shop

namespace gust {
namespace {

shop::Order sample() {
  shop::Order o;
  o.id = "o-1";
  o.items = {{"pen", 1.5, 2}, {"ink \"blue\"", 7.25, 1}};
  o.note = "leave at the door";
  o.tags = {{"channel", "web"}};
  o.paid = true;
  o.total_cents = 18446744073709551615ULL;
  o.priority = -3;
  o.signature = Bytes{std::string("\x00\xff\x10", 3)};
  o.labels = {"b", "a"};
  return o;
}

TEST(Record, EncodesFieldsInDeclarationOrder) {
  shop::Item item{"pen", 1.5, 2};
  EXPECT_EQ(to_json(item), R"({"name":"pen","price":1.5,"quantity":2})");
}

TEST(Record, RoundTripsNestedRecordsAndContainers) {
  const auto original = sample();
  auto decoded = from_json<shop::Order>(to_json(original));
  ASSERT_TRUE(decoded) << decoded.error().describe();
  EXPECT_EQ(decoded->id, "o-1");
  ASSERT_EQ(decoded->items.size(), 2u);
  EXPECT_EQ(decoded->items[1].name, "ink \"blue\"");
  EXPECT_DOUBLE_EQ(decoded->items[1].price, 7.25);
  EXPECT_EQ(decoded->note, "leave at the door");
  EXPECT_EQ(decoded->tags.at("channel"), "web");
  EXPECT_TRUE(decoded->paid);
  EXPECT_EQ(decoded->total_cents, 18446744073709551615ULL);
  EXPECT_EQ(decoded->priority, -3);
  EXPECT_EQ(decoded->signature, original.signature);
  EXPECT_EQ(decoded->labels, original.labels);
}

TEST(Record, MissingAndNullMembersKeepDefaults) {
  auto decoded = from_json<shop::Item>(R"({"name":"pen","price":null})");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->price, 0);
  EXPECT_EQ(decoded->quantity, 1);
}

TEST(Record, OptionalBecomesNullWhenEmpty) {
  shop::Order o;
  EXPECT_NE(to_json(o).find(R"("note":null)"), std::string::npos);
}

TEST(Record, ErrorNamesTheFieldPath) {
  auto decoded = from_json<shop::Order>(R"({"id":"x","items":[{"name":"a"},{"name":"b"},{"name":"c"},{"price":"cheap"}]})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(decoded.error().describe(), "items[3].price: expected number, got string");
}

TEST(Record, ErrorNamesMapKeys) {
  auto decoded = from_json<shop::Order>(R"({"tags":{"channel":7}})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().describe(), "tags.channel: expected string, got number");
}

TEST(Record, RejectsOutOfRangeAndFractionalIntegers) {
  auto overflow = from_json<shop::Order>(R"({"priority":300})");
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().context, "priority");
  EXPECT_NE(overflow.error().message.find("out of range"), std::string::npos);
  auto negative = from_json<shop::Order>(R"({"total_cents":-1})");
  ASSERT_FALSE(negative);
  auto fractional = from_json<shop::Item>(R"({"quantity":1.5})");
  ASSERT_FALSE(fractional);
  EXPECT_EQ(fractional.error().describe(), "quantity: expected an integer, got 1.5");
}

TEST(Record, TopLevelTypeMismatch) {
  auto decoded = from_json<shop::Item>("[1,2]");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().describe(), "(document): expected object, got array");
}

TEST(Record, MalformedJsonNamesLineAndColumn) {
  auto decoded = from_json<shop::Item>("{\n  \"name\": \"pen\",\n  \"price\": }");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().context, "line 3 column 12");
}

TEST(Record, UnknownMembersAreIgnored) {
  auto decoded = from_json<shop::Item>(R"({"name":"pen","colour":"red"})");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->name, "pen");
}

TEST(Record, FieldNamesAndMemberLookup) {
  EXPECT_EQ(field_names<shop::Item>(), (std::vector<std::string_view>{"name", "price", "quantity"}));
  EXPECT_EQ(field_name(&shop::Item::price), "price");
  EXPECT_EQ(field_name(&shop::Order::total_cents), "total_cents");
}

TEST(Record, InvalidBase64InBytesField) {
  auto decoded = from_json<shop::Order>(R"({"signature":"***"})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().context, "signature");
}

}  // namespace
}  // namespace gust
