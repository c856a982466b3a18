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

struct Ledger {
  gust::Decimal balance;
  std::optional<gust::Decimal> tip;
  std::vector<gust::Decimal> entries;
  std::set<gust::Decimal> rates;
  std::int64_t count = 0;
};
GUST_RECORD(Ledger, balance, tip, entries, rates, count);

struct Tagged {
  std::set<std::string> tags = {"default"};
  std::unordered_set<std::int64_t> ids;
  std::set<gust::Bytes> keys;
  std::unordered_set<gust::Bytes> blobs;
  std::optional<std::set<std::string>> maybe;
};
GUST_RECORD(Tagged, tags, ids, keys, blobs, maybe);

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

TEST(Record, DecimalFieldsKeepEveryDigitThroughJson) {
  const std::string text =
      R"({"balance":12345678901234567890.123456789,"tip":"0.10","entries":[1,2.5,-1E-130],"rates":[3,1,2.0,1],"count":7})";
  auto ledger = from_json<shop::Ledger>(text);
  ASSERT_TRUE(ledger) << ledger.error().describe();
  EXPECT_EQ(ledger->balance.to_string(), "12345678901234567890.123456789");
  EXPECT_EQ(ledger->tip, Decimal("0.1"));  // a numeric string is accepted for a decimal
  ASSERT_EQ(ledger->entries.size(), 3u);
  EXPECT_EQ(ledger->entries[2].to_string(), "-0." + std::string(129, '0') + "1");
  EXPECT_EQ(ledger->rates, (std::set<Decimal>{1, 2, 3}));
  EXPECT_EQ(to_json(*ledger), R"({"balance":12345678901234567890.123456789,"tip":0.1,"entries":[1,2.5,-0.)" +
                                  std::string(129, '0') + R"(1],"rates":[1,2,3],"count":7})");
  auto again = from_json<shop::Ledger>(to_json(*ledger));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->balance, ledger->balance);
  EXPECT_EQ(again->entries, ledger->entries);
}

TEST(Record, DecimalErrorsNameThePathAndTheRange) {
  auto huge = from_json<shop::Ledger>(R"({"entries":[1,1e200]})");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().context, "entries[1]");
  EXPECT_NE(huge.error().message.find("magnitude from 1E-130 to 9.99...E+125"), std::string::npos)
      << huge.error().message;
  auto word = from_json<shop::Ledger>(R"({"tip":"a lot"})");
  ASSERT_FALSE(word);
  EXPECT_EQ(word.error().context, "tip");
  EXPECT_NE(word.error().message.find("is not a number"), std::string::npos);
  auto digits = from_json<shop::Ledger>(R"({"balance":"1234567890123456789012345678901234567891"})");
  ASSERT_FALSE(digits);
  EXPECT_NE(digits.error().message.find("40 significant digits"), std::string::npos);
  auto boolean = from_json<shop::Ledger>(R"({"balance":true})");
  ASSERT_FALSE(boolean);
  EXPECT_EQ(boolean.error().describe(), "balance: expected number, got boolean");
}

TEST(Record, IntegerFieldsReadDecimalsThatAreWholeAndInRange) {
  auto whole = from_value<shop::Ledger>(Value(Object{{"count", Decimal("12")}}));
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->count, 12);
  auto big = from_value<shop::Ledger>(Value(Object{{"count", Decimal("1E+30")}}));
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("out of range"), std::string::npos);
  auto fraction = from_value<shop::Ledger>(Value(Object{{"count", Decimal("1.5")}}));
  ASSERT_FALSE(fraction);
  EXPECT_EQ(fraction.error().describe(), "count: expected an integer, got 1.5");
  auto item = from_value<shop::Item>(Value(Object{{"price", Decimal("123456789012345678901234567890")}}));
  ASSERT_TRUE(item);
  EXPECT_EQ(item->price, 1.2345678901234568e29);  // a double field takes the nearest double
}

TEST(Record, SetFieldsEncodeAsSets) {
  shop::Tagged t;
  t.ids = {3, 1};
  t.keys = {Bytes{"\x01"}, Bytes{std::string(1, '\0')}};
  t.blobs = {Bytes{"z"}};
  const Value v = encode(t);
  EXPECT_TRUE(v.find("tags")->is_set());
  EXPECT_TRUE(v.find("ids")->is_set());
  EXPECT_TRUE(v.find("keys")->is_set());
  EXPECT_EQ(v.find("keys")->as_array()[0].as_bytes().data, std::string(1, '\0'));  // ordered
  EXPECT_TRUE(v.find("blobs")->is_set());
  EXPECT_FALSE(encode(shop::Order{}).find("items")->is_set());
  auto back = from_json<shop::Tagged>(to_json(t));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->tags, t.tags);
  EXPECT_EQ(back->ids, t.ids);
  EXPECT_EQ(back->keys, t.keys);
  EXPECT_EQ(back->blobs, t.blobs);
}

TEST(Record, AbsentSetReadsAsEmpty) {
  // DynamoDB cannot store an empty set, so an empty set field is written as no
  // attribute; reading it back must give the empty set, not the default.
  auto t = from_json<shop::Tagged>("{}");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->tags.empty());
  EXPECT_FALSE(t->maybe.has_value());
  auto present = from_json<shop::Tagged>(R"({"tags":["x","x"],"maybe":[]})");
  ASSERT_TRUE(present);
  EXPECT_EQ(present->tags, (std::set<std::string>{"x"}));
  EXPECT_EQ(present->maybe, std::set<std::string>{});
}

}  // namespace
}  // namespace gust
