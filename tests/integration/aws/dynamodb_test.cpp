// The DynamoDB client and the table capabilities against dynalite (a real
// DynamoDB implementation on LevelDB) on 127.0.0.1.
#include "aws/dynamodb.hpp"

#include "peer.hpp"
#include "tables.hpp"

#include <gust/record.hpp>
#include <gust/table.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <set>
#include <thread>

namespace gust::aws {
namespace {

namespace json = boost::json;

struct Inner {
  std::string label;
  std::vector<int> points;
};
GUST_RECORD(Inner, label, points);

struct Todo {
  std::string id;
  std::string title;
  bool done = false;
  std::int64_t count = 0;
  std::uint64_t big = 0;
  double ratio = 0;
  std::optional<std::string> note;
  std::vector<std::string> tags;
  Bytes blob;
  std::map<std::string, int> scores;
  Inner inner;
  std::set<std::string> labels;
  std::vector<Inner> history;
};
GUST_RECORD(Todo, id, title, done, count, big, ratio, note, tags, blob, scores, inner, labels, history);

bool operator==(const Inner& a, const Inner& b) { return a.label == b.label && a.points == b.points; }

struct Event {
  std::string list;
  std::int64_t at = 0;
  std::string owner;
  std::string text;
  bool done = false;
};
GUST_RECORD(Event, list, at, owner, text, done);

using testing::create_table;

void create_tables(const DynamoDbClient& client) {
  create_table(client, "todos", {{"id", "S"}}, "id", "", {});
  create_table(client, "events", {{"list", "S"}, {"at", "N"}, {"owner", "S"}}, "list", "at", "by-owner");
}

// One dynalite for the whole binary, and one moto for what dynalite lacks
// (TransactWriteItems).
class DynaliteEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    peer = std::make_unique<testing::Peer>("dynalite", false, "--createTableMs 0 --deleteTableMs 0 --updateTableMs 0");
    ASSERT_TRUE(peer->ok()) << peer->error();
    config = peer->config();
    client = std::make_unique<DynamoDbClient>(config);
    service = std::make_unique<DynamoTableService>(config);
    create_tables(*client);
    moto = std::make_unique<testing::Peer>("moto");
    ASSERT_TRUE(moto->ok()) << moto->error();
    moto_service = std::make_unique<DynamoTableService>(moto->config());
    create_tables(DynamoDbClient(moto->config()));
  }
  void TearDown() override {
    moto_service.reset();
    moto.reset();
    service.reset();
    client.reset();
    config.reset();
    peer.reset();
  }
  std::unique_ptr<testing::Peer> peer;
  std::shared_ptr<ClientConfig> config;
  std::unique_ptr<DynamoDbClient> client;
  std::unique_ptr<DynamoTableService> service;
  std::unique_ptr<testing::Peer> moto;
  std::unique_ptr<DynamoTableService> moto_service;
};
DynaliteEnvironment* const dynalite =
    static_cast<DynaliteEnvironment*>(::testing::AddGlobalTestEnvironment(new DynaliteEnvironment));

class DynamoDb : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dynalite->service) << "dynalite did not start";
    service_ = dynalite->service.get();
    peer_ = dynalite->peer.get();
  }

  static Todo sample(std::string id) {
    Todo t;
    t.id = std::move(id);
    t.title = "Ünïcødé ✓ 漢字 \"quoted\" \n newline";
    t.done = true;
    t.count = std::numeric_limits<std::int64_t>::min();
    t.big = std::numeric_limits<std::uint64_t>::max();
    t.ratio = 0.1;
    t.note = "";
    t.tags = {"a", "", "c"};
    t.blob.data = std::string("\x00\x01\xff\xfe binary \x80", 14);
    t.scores = {{"x", -3}, {"y", 2147483647}};
    t.inner = {"nested", {1, -2, 3}};
    t.labels = {"blue", "red"};
    t.history = {{"h1", {}}, {"h2", {7}}};
    return t;
  }

  static detail::ResourceBinding todos() { return {"todos", "todos", "id", ""}; }
  static detail::ResourceBinding events() { return {"events", "events", "list", "at"}; }

  DynamoTableService* service_ = nullptr;
  testing::Peer* peer_ = nullptr;
};

void expect_same(const Todo& a, const Todo& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.done, b.done);
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.big, b.big);
  EXPECT_EQ(a.ratio, b.ratio);
  EXPECT_EQ(a.note, b.note);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.blob.data, b.blob.data);
  EXPECT_EQ(a.scores, b.scores);
  EXPECT_EQ(a.inner, b.inner);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.history, b.history);
}

TEST_F(DynamoDb, PutThenGetRoundTripsEveryAttributeKind) {
  const Todo t = sample("round-trip");
  auto put = service_->put_item(todos(), encode(t), detail::PutMode::overwrite, {});
  ASSERT_TRUE(put) << put.error().describe();
  auto got = service_->get_item(todos(), {Value("round-trip"), std::nullopt}, {true, {}});
  ASSERT_TRUE(got) << got.error().describe();
  ASSERT_TRUE(got->has_value());
  auto decoded = from_value<Todo>(**got);
  ASSERT_TRUE(decoded) << decoded.error().describe();
  expect_same(*decoded, t);
}

TEST_F(DynamoDb, NumbersKeepFullPrecision) {
  Value item = Object{{"id", "numbers"},
                      {"max", Value(9223372036854775807LL)},
                      {"min", Value(-9223372036854775807LL - 1)},
                      {"umax", Value(18446744073709551615ULL)},
                      {"tiny", Value(1e-130)},
                      {"huge", Value(1e125)},
                      {"third", Value(1.0 / 3.0)}};
  auto put = service_->put_item(todos(), item, detail::PutMode::overwrite, {});
  ASSERT_TRUE(put) << put.error().describe();
  auto got = service_->get_item(todos(), {Value("numbers"), std::nullopt}, {true, {}});
  ASSERT_TRUE(got && *got);
  const Value& v = **got;
  EXPECT_EQ(v.find("max")->as_int(), 9223372036854775807LL);
  EXPECT_EQ(v.find("min")->as_int(), -9223372036854775807LL - 1);
  EXPECT_EQ(v.find("umax")->as_uint(), 18446744073709551615ULL);
  EXPECT_EQ(v.find("tiny")->as_double(), 1e-130);
  EXPECT_EQ(v.find("huge")->as_double(), 1e125);
  EXPECT_EQ(v.find("third")->as_double(), 1.0 / 3.0);

  // Beyond DynamoDB's range (1E-130 .. 9.99E+125) the service refuses.
  auto overflow = service_->put_item(todos(), Value(Object{{"id", "overflow"}, {"x", Value(1e300)}}),
                                     detail::PutMode::overwrite, {});
  ASSERT_FALSE(overflow);
  EXPECT_EQ(overflow.error().code, ErrorCode::invalid_argument) << overflow.error().describe();
}

TEST_F(DynamoDb, NanIsRejectedBeforeAnyCall) {
  Value item = Object{{"id", "nan"}, {"x", Value(std::numeric_limits<double>::quiet_NaN())}};
  auto put = service_->put_item(todos(), item, detail::PutMode::overwrite, {});
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(put.error().context.find("x"), std::string::npos) << put.error().describe();
}

TEST_F(DynamoDb, GetOfMissingKeyIsEmpty) {
  auto got = service_->get_item(todos(), {Value("no-such-id"), std::nullopt}, {});
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_FALSE(got->has_value());
}

TEST_F(DynamoDb, CreateRefusesAnExistingKey) {
  const Todo t = sample("create-once");
  ASSERT_TRUE(service_->put_item(todos(), encode(t), detail::PutMode::if_absent, {}));
  auto again = service_->put_item(todos(), encode(t), detail::PutMode::if_absent, {});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
  EXPECT_EQ(again.error().aws.code, "ConditionalCheckFailedException");
  EXPECT_FALSE(again.error().aws.request_id.empty());
  EXPECT_EQ(again.error().aws.http_status, 400);
}

TEST_F(DynamoDb, ConditionalPutAndDeleteFailWithFailedPrecondition) {
  Todo t = sample("conditional");
  t.count = 1;
  ASSERT_TRUE(service_->put_item(todos(), encode(t), detail::PutMode::overwrite, {}));
  t.count = 2;
  auto bad = service_->put_item(todos(), encode(t), detail::PutMode::overwrite,
                                Expression{"#c = :expected"}.name("#c", "count").value(":expected", 5));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::failed_precondition);
  EXPECT_EQ(bad.error().aws.code, "ConditionalCheckFailedException");
  auto good = service_->put_item(todos(), encode(t), detail::PutMode::overwrite,
                                 Expression{"#c = :expected"}.name("#c", "count").value(":expected", 1));
  ASSERT_TRUE(good) << good.error().describe();

  auto del = service_->delete_item(todos(), {Value("conditional"), std::nullopt}, Expression{"done = :f"}.value(":f", false));
  ASSERT_FALSE(del);
  EXPECT_EQ(del.error().code, ErrorCode::failed_precondition);
  ASSERT_TRUE(service_->delete_item(todos(), {Value("conditional"), std::nullopt}, Expression{"done = :t"}.value(":t", true)));
  auto gone = service_->get_item(todos(), {Value("conditional"), std::nullopt}, {true, {}});
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_F(DynamoDb, UpdateAppliesExpressionsAndReturnsTheNewItem) {
  ASSERT_TRUE(service_->put_item(todos(), encode(sample("upd")), detail::PutMode::overwrite, {}));
  auto updated = service_->update_item(
      todos(), {Value("upd"), std::nullopt},
      Update{"SET title = :t, #n = :n ADD #c :one REMOVE tags"}
          .name("#n", "note")
          .name("#c", "count")
          .value(":t", "renamed")
          .value(":n", "noted")
          .value(":one", 1)
          .when("attribute_exists(id)"));
  ASSERT_TRUE(updated) << updated.error().describe();
  auto t = from_value<Todo>(*updated);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->title, "renamed");
  EXPECT_EQ(t->note, "noted");
  EXPECT_EQ(t->count, std::numeric_limits<std::int64_t>::min() + 1);
  EXPECT_TRUE(t->tags.empty());

  auto refused = service_->update_item(todos(), {Value("upd-missing"), std::nullopt},
                                       Update{"SET title = :t"}.value(":t", "x").when("attribute_exists(id)"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::failed_precondition);
}

TEST_F(DynamoDb, ProjectionReturnsOnlyTheNamedAttributes) {
  ASSERT_TRUE(service_->put_item(todos(), encode(sample("proj")), detail::PutMode::overwrite, {}));
  auto got = service_->get_item(todos(), {Value("proj"), std::nullopt}, {true, {"title", "count"}});
  ASSERT_TRUE(got && *got) << (got ? "" : got.error().describe());
  EXPECT_EQ((*got)->as_object().size(), 2u);
  EXPECT_NE((*got)->find("title"), nullptr);
  EXPECT_EQ((*got)->find("id"), nullptr);
}

class DynamoDbEvents : public DynamoDb {
 protected:
  void fill(const std::string& list, int n) {
    std::vector<Value> items;
    for (int i = 0; i < n; ++i)
      items.push_back(encode(Event{list, i, i % 2 == 0 ? "ann" : "bob", "event " + std::to_string(i), i % 3 == 0}));
    auto r = service_->batch_write(events(), items, {});
    ASSERT_TRUE(r) << r.error().describe();
  }
  std::vector<std::int64_t> all_pages(detail::QuerySpec spec, int* pages = nullptr) {
    std::vector<std::int64_t> ats;
    int count = 0;
    for (int guard = 0; guard < 100; ++guard) {
      auto page = service_->query(events(), spec);
      EXPECT_TRUE(page) << page.error().describe();
      if (!page) break;
      ++count;
      for (auto& item : page->items) ats.push_back(item.find("at")->as_int());
      if (!page->next) break;
      spec.start_key = page->next;
    }
    if (pages) *pages = count;
    return ats;
  }
};

TEST_F(DynamoDbEvents, QueryPagesInSortOrderWithKeyConditions) {
  fill("q", 25);
  detail::QuerySpec spec;
  spec.partition = "q";
  spec.limit = 4;
  int pages = 0;
  auto ats = all_pages(spec, &pages);
  ASSERT_EQ(ats.size(), 25u);
  EXPECT_TRUE(std::is_sorted(ats.begin(), ats.end()));
  EXPECT_GE(pages, 7);

  spec.forward = false;
  auto reversed = all_pages(spec);
  ASSERT_EQ(reversed.size(), 25u);
  EXPECT_EQ(reversed.front(), 24);

  spec.forward = true;
  spec.sort = detail::SortCondition{detail::SortOp::between, Value(5), Value(9)};
  EXPECT_EQ(all_pages(spec), (std::vector<std::int64_t>{5, 6, 7, 8, 9}));
  spec.sort = detail::SortCondition{detail::SortOp::ge, Value(22), {}};
  EXPECT_EQ(all_pages(spec), (std::vector<std::int64_t>{22, 23, 24}));
  spec.sort = detail::SortCondition{detail::SortOp::lt, Value(2), {}};
  EXPECT_EQ(all_pages(spec), (std::vector<std::int64_t>{0, 1}));
}

TEST_F(DynamoDbEvents, QueryFiltersAndIndexes) {
  fill("f", 12);
  detail::QuerySpec spec;
  spec.partition = "f";
  spec.filter = Expression{"done = :d"}.value(":d", true);
  EXPECT_EQ(all_pages(spec), (std::vector<std::int64_t>{0, 3, 6, 9}));

  detail::QuerySpec by_owner;
  by_owner.index = "by-owner";
  by_owner.partition_key = "owner";
  by_owner.sort_key = "at";
  by_owner.partition = "bob";
  by_owner.sort = detail::SortCondition{detail::SortOp::le, Value(5), {}};
  auto page = service_->query(events(), by_owner);
  ASSERT_TRUE(page) << page.error().describe();
  std::set<std::int64_t> ats;
  for (auto& item : page->items) {
    EXPECT_EQ(item.find("owner")->as_string(), "bob");
    ats.insert(item.find("at")->as_int());
  }
  EXPECT_TRUE(ats.count(1) && ats.count(3) && ats.count(5));
}

TEST_F(DynamoDbEvents, StringSortKeyBeginsWith) {
  // The todos table has no sort key; begins_with on one is refused before any call.
  detail::QuerySpec spec;
  spec.partition = "x";
  spec.sort = detail::SortCondition{detail::SortOp::begins_with, Value("a"), {}};
  auto r = service_->query(todos(), spec);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

TEST_F(DynamoDbEvents, ScanVisitsEveryItemAcrossPagesAndSegments) {
  fill("s", 30);
  std::multiset<std::int64_t> seen;
  detail::ScanSpec spec;
  spec.limit = 7;
  spec.filter = Expression{"#l = :l"}.name("#l", "list").value(":l", "s");
  int pages = 0;
  for (int guard = 0; guard < 200; ++guard) {
    auto page = service_->scan(events(), spec);
    ASSERT_TRUE(page) << page.error().describe();
    ++pages;
    for (auto& item : page->items) seen.insert(item.find("at")->as_int());
    if (!page->next) break;
    spec.start_key = page->next;
  }
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_GT(pages, 2);

  std::multiset<std::int64_t> segmented;
  for (int segment = 0; segment < 3; ++segment) {
    detail::ScanSpec s;
    s.segment = segment;
    s.total_segments = 3;
    s.filter = Expression{"#l = :l"}.name("#l", "list").value(":l", "s");
    for (int guard = 0; guard < 100; ++guard) {
      auto page = service_->scan(events(), s);
      ASSERT_TRUE(page) << page.error().describe();
      for (auto& item : page->items) segmented.insert(item.find("at")->as_int());
      if (!page->next) break;
      s.start_key = page->next;
    }
  }
  EXPECT_EQ(segmented, seen);
}

TEST_F(DynamoDb, BatchWritesAndGetsManyKeys) {
  std::vector<Value> items;
  for (int i = 0; i < 130; ++i) items.push_back(encode(Todo{"batch-" + std::to_string(i), "t" + std::to_string(i)}));
  items.push_back(encode(Todo{"batch-7", "written twice: the last write wins"}));
  auto w = service_->batch_write(todos(), items, {});
  ASSERT_TRUE(w) << w.error().describe();

  std::vector<detail::ItemKey> keys;
  for (int i = 0; i < 140; ++i) keys.push_back({Value("batch-" + std::to_string(i)), std::nullopt});
  keys.push_back({Value("batch-3"), std::nullopt});  // duplicate key
  auto got = service_->batch_get(todos(), keys, {true, {}});
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->size(), 130u);
  for (auto& v : *got) {
    if (v.find("id")->as_string() == "batch-7") {
      EXPECT_EQ(v.find("title")->as_string(), "written twice: the last write wins");
    }
  }

  std::vector<detail::ItemKey> doomed;
  for (int i = 0; i < 60; ++i) doomed.push_back({Value("batch-" + std::to_string(i)), std::nullopt});
  ASSERT_TRUE(service_->batch_write(todos(), {}, doomed));
  auto after = service_->batch_get(todos(), keys, {true, {"id"}});
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), 70u);
}

// dynalite has no TransactWriteItems: moto's DynamoDB answers these.
TEST_F(DynamoDb, TransactionIsAllOrNothing) {
  service_ = dynalite->moto_service.get();
  const detail::ResourceBinding t = todos();
  const detail::ResourceBinding e = events();
  ASSERT_TRUE(service_->put_item(t, encode(Todo{"tx-guard", "guard"}), detail::PutMode::overwrite, {}));

  std::vector<detail::TransactItem> failing(3);
  failing[0].kind = detail::TransactItem::Kind::put;
  failing[0].table = &t;
  failing[0].item = encode(Todo{"tx-a", "a"});
  failing[1].kind = detail::TransactItem::Kind::put;
  failing[1].table = &e;
  failing[1].item = encode(Event{"tx", 1, "ann", "x", false});
  failing[2].kind = detail::TransactItem::Kind::check;
  failing[2].table = &t;
  failing[2].key = {Value("tx-guard"), std::nullopt};
  failing[2].condition = Expression{"title = :t"}.value(":t", "not the title");
  auto r = service_->transact_write(failing);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::failed_precondition);
  EXPECT_EQ(r.error().aws.code, "TransactionCanceledException");
  auto a = service_->get_item(t, {Value("tx-a"), std::nullopt}, {true, {}});
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->has_value()) << "a cancelled transaction wrote an item";

  failing[2].condition = Expression{"title = :t"}.value(":t", "guard");
  detail::TransactItem upd;
  upd.kind = detail::TransactItem::Kind::update;
  upd.table = &t;
  upd.key = {Value("tx-guard"), std::nullopt};
  upd.update = Update{"SET done = :d"}.value(":d", true);
  failing[2] = upd;
  auto ok = service_->transact_write(failing);
  ASSERT_TRUE(ok) << ok.error().describe();
  auto guard = service_->get_item(t, {Value("tx-guard"), std::nullopt}, {true, {}});
  ASSERT_TRUE(guard && *guard);
  EXPECT_TRUE((*guard)->find("done")->as_bool());
  auto b = service_->get_item(e, {Value("tx"), Value(1)}, {true, {}});
  ASSERT_TRUE(b && *b);
}

TEST_F(DynamoDb, LargeItemsUpToTheLimitAndBeyond) {
  Todo big = sample("large");
  big.title.assign(380 * 1024, 'x');
  auto put = service_->put_item(todos(), encode(big), detail::PutMode::overwrite, {});
  ASSERT_TRUE(put) << put.error().describe();
  auto got = service_->get_item(todos(), {Value("large"), std::nullopt}, {true, {}});
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->find("title")->as_string().size(), 380u * 1024);

  big.title.assign(420 * 1024, 'y');
  auto too_big = service_->put_item(todos(), encode(big), detail::PutMode::overwrite, {});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, ErrorCode::invalid_argument) << too_big.error().describe();
  EXPECT_EQ(too_big.error().aws.code, "ValidationException");
}

TEST_F(DynamoDb, UnicodeKeys) {
  for (std::string id : {"ключ", "🔑/with/slashes", "a b?c=d&e", "\u00e9\u0301"}) {
    ASSERT_TRUE(service_->put_item(todos(), encode(Todo{id, "unicode"}), detail::PutMode::overwrite, {}));
    auto got = service_->get_item(todos(), {Value(id), std::nullopt}, {true, {}});
    ASSERT_TRUE(got && *got) << id;
    EXPECT_EQ((*got)->find("id")->as_string(), id);
  }
}

TEST_F(DynamoDb, MissingTableIsNotFound) {
  detail::ResourceBinding missing{"ghost", "no-such-table", "id", ""};
  auto r = service_->get_item(missing, {Value("x"), std::nullopt}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_EQ(r.error().aws.code, "ResourceNotFoundException");
  EXPECT_NE(r.error().context.find("ghost"), std::string::npos);
}

TEST_F(DynamoDb, WrongKeyShapeIsRejectedBeforeAnyCall) {
  auto r = service_->get_item(events(), {Value("only-partition"), std::nullopt}, {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  auto obj = service_->get_item(todos(), {Value(Object{}), std::nullopt}, {});
  ASSERT_FALSE(obj);
  EXPECT_EQ(obj.error().code, ErrorCode::invalid_argument);
}

// The capability objects users call, through the process-wide service that
// reads AWS_ENDPOINT_URL and friends from the environment (moto here, for
// the transaction).
TEST_F(DynamoDb, CapabilityObjectsUseTheProcessWideClient) {
  dynalite->moto->export_to_process();
  // No shared files from the machine running the test.
  ::setenv("AWS_CONFIG_FILE", "/dev/null/gust-no-config", 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null/gust-no-credentials", 1);
  const detail::ResourceBinding binding = todos();
  TableReadWriter<Todo> table(binding);
  const Todo t = sample("capability");
  ASSERT_TRUE(table.put(t));
  auto got = table.get("capability");
  ASSERT_TRUE(got) << got.error().describe();
  expect_same(*got, t);
  EXPECT_EQ(table.create(t).error().code, ErrorCode::already_exists);
  auto updated = table.update({"capability"}, Update{"SET done = :d"}.value(":d", false));
  ASSERT_TRUE(updated);
  EXPECT_FALSE(updated->done);
  auto many = table.get_many({{"capability"}, {"nope"}});
  ASSERT_TRUE(many);
  EXPECT_EQ(many->size(), 1u);
  ASSERT_TRUE(table.remove("capability"));
  EXPECT_EQ(table.get("capability").error().code, ErrorCode::not_found);

  const detail::ResourceBinding ev = events();
  TableWriter<Event> writer(ev);
  TableReader<Event> reader(ev);
  ASSERT_TRUE(writer.put_many({{"cap", 1, "ann", "one"}, {"cap", 2, "ann", "two"}, {"cap", 3, "bob", "three"}}));
  auto page = reader.query("cap", {.sort = SortKey::ge(2)});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].text, "two");

  Transaction tx;
  tx.put(writer, Event{"cap", 4, "ann", "four"}).remove(writer, {"cap", 1});
  ASSERT_TRUE(tx.commit());
  auto after = reader.query("cap");
  ASSERT_TRUE(after);
  ASSERT_EQ(after->items.size(), 3u);
  EXPECT_EQ(after->items.front().at, 2);
}

}  // namespace
}  // namespace gust::aws
