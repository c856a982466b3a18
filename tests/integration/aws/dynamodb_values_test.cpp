// Exact decimals and sets through the table capabilities users call
// (TableWriter<T>::put, TableReader<T>::get/query, TableReadWriter<T>::update)
// against a real DynamoDB implementation on 127.0.0.1. GUST_DDB_SERVER picks
// it: `dynalite` (a third-party DynamoDB on LevelDB, via aws-peers) or
// `localaws` (gust's own local DynamoDB, the gust-localaws binary), so one
// binary checks that both store and return every digit and every set.
#include "aws/dynamodb.hpp"

#include "peer.hpp"
#include "tables.hpp"

#include <gust/record.hpp>
#include <gust/table.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <limits>
#include <poll.h>
#include <set>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unordered_set>

namespace gust::aws {
namespace {

namespace json = boost::json;

struct Account {
  std::string id;
  Decimal balance;
  std::optional<Decimal> limit;
  std::vector<Decimal> history;
  std::set<Decimal> rates;
  std::set<std::string> tags;
  std::unordered_set<std::string> owners;
  std::set<std::int64_t> codes;
  std::set<double> ratios;
  std::set<Bytes> keys;
  std::unordered_set<Bytes> blobs;
  std::map<std::string, std::set<std::string>> groups;
};
GUST_RECORD(Account, id, balance, limit, history, rates, tags, owners, codes, ratios, keys, blobs, groups);

struct Entry {
  std::string account;
  Decimal amount;
  std::string note;
};
GUST_RECORD(Entry, account, amount, note);

const std::string k38 = "12345678901234567890123456789012345678";
const std::string kNines(38, '9');
const std::string kHuge = "1" + std::string(125, '0');               // 1E+125
const std::string kTiny = "0." + std::string(129, '0') + "1";        // 1E-130
const std::string kMaxMagnitude = kNines + std::string(88, '0');     // 9.99...E+125

// gust-localaws on a free port in a state folder of its own, stopped by its pid.
class LocalAwsProcess {
 public:
  LocalAwsProcess() {
    char dir[] = "/tmp/gust-values-localaws-XXXXXX";
    state_ = ::mkdtemp(dir);
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the test
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      ::execl(GUST_LOCALAWS_BINARY, GUST_LOCALAWS_BINARY, "--port", "0", "--state", state_.c_str(), nullptr);
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    // The first line names the endpoint: "gust-localaws: http://127.0.0.1:PORT serving ...".
    std::string line;
    for (int waited = 0; waited < 300 && line.find('\n') == std::string::npos; ++waited) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[256];
      const ssize_t n = ::read(out_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    const auto at = line.find("http://");
    if (at != std::string::npos) url_ = line.substr(at, line.find(' ', at) - at);
  }
  ~LocalAwsProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      bool gone = false;
      for (int i = 0; i < 100 && !gone; ++i) {
        gone = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!gone) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
    if (out_ >= 0) ::close(out_);
    std::error_code ec;
    std::filesystem::remove_all(state_, ec);
  }
  const std::string& url() const { return url_; }

 private:
  std::string state_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::string url_;
};

// The server for the whole binary; its endpoint goes into this process's
// environment, where the capabilities' process-wide client finds it.
class ServerEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const char* which = std::getenv("GUST_DDB_SERVER");
    name = which ? which : "dynalite";
    std::map<std::string, std::string, std::less<>> vars;
    if (name == "localaws") {
      local = std::make_unique<LocalAwsProcess>();
      ASSERT_FALSE(local->url().empty()) << "gust-localaws did not start (" << GUST_LOCALAWS_BINARY << ")";
      vars = {{"AWS_ENDPOINT_URL", local->url()},
              {"AWS_REGION", "us-east-1"},
              {"AWS_ACCESS_KEY_ID", "AKIDGUSTVALUES"},
              {"AWS_SECRET_ACCESS_KEY", "gust-values-secret"}};
    } else {
      ASSERT_EQ(name, "dynalite") << "GUST_DDB_SERVER is dynalite or localaws";
      peer = std::make_unique<testing::Peer>("dynalite", false, "--createTableMs 0 --deleteTableMs 0 --updateTableMs 0");
      ASSERT_TRUE(peer->ok()) << peer->error();
      vars.insert(peer->env().begin(), peer->env().end());
    }
    for (const auto& [k, v] : vars) ::setenv(k.c_str(), v.c_str(), 1);
    // No shared files from the machine running the test.
    ::setenv("AWS_CONFIG_FILE", "/dev/null/gust-no-config", 1);
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null/gust-no-credentials", 1);
    vars["HOME"] = "/dev/null/gust-no-home";
    auto config = ClientConfig::from_environment(aws::Environment::from(vars));
    ASSERT_TRUE(config) << config.error().describe();
    client = std::make_unique<DynamoDbClient>(*config);
    testing::create_table(*client, "accounts", {{"id", "S"}}, "id", "");
    testing::create_table(*client, "ledger", {{"account", "S"}, {"amount", "N"}}, "account", "amount");
  }
  void TearDown() override {
    client.reset();
    peer.reset();
    local.reset();
  }
  std::string name;
  std::unique_ptr<testing::Peer> peer;
  std::unique_ptr<LocalAwsProcess> local;
  std::unique_ptr<DynamoDbClient> client;
};
ServerEnvironment* const server =
    static_cast<ServerEnvironment*>(::testing::AddGlobalTestEnvironment(new ServerEnvironment));

class DynamoDbValues : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server->client) << "the DynamoDB server did not start"; }

  // The item as the server stores it, attribute values untouched.
  static json::object raw_item(const std::string& id) {
    auto got = server->client->call(
        "GetItem", json::object{{"TableName", "accounts"}, {"Key", json::object{{"id", json::object{{"S", id}}}}},
                                {"ConsistentRead", true}});
    EXPECT_TRUE(got) << got.error().describe();
    if (!got || !got->contains("Item")) return {};
    return got->at("Item").as_object();
  }

  static Account full(std::string id) {
    Account a;
    a.id = std::move(id);
    a.balance = Decimal(k38);
    a.limit = Decimal("-1E-130");
    a.history = {Decimal("1E+125"), Decimal("-" + kMaxMagnitude), Decimal("0.1"),
                 Decimal("3.1415926535897932384626433832795028841"), Decimal("0." + kNines), Decimal(0)};
    a.rates = {Decimal("1E-130"), Decimal("1E+125"), Decimal("0.5"), Decimal("-" + k38)};
    a.tags = {"blue", "Ünïcødé ✓", "a b"};
    a.owners = {"ann", "bob"};
    a.codes = {std::numeric_limits<std::int64_t>::min(), 0, std::numeric_limits<std::int64_t>::max()};
    a.ratios = {0.1, 2.5, 1.0 / 3.0};
    a.keys = {Bytes{std::string("\0\xff", 2)}, Bytes{"k"}};
    a.blobs = {Bytes{"\x80\x81"}};
    a.groups = {{"admins", {"ann"}}, {"none", {}}};
    return a;
  }

  const detail::ResourceBinding accounts_{"accounts", "accounts", "id", ""};
  const detail::ResourceBinding ledger_{"ledger", "ledger", "account", "amount"};
};

void expect_same(const Account& a, const Account& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.balance, b.balance);
  EXPECT_EQ(a.limit, b.limit);
  EXPECT_EQ(a.history, b.history);
  EXPECT_EQ(a.rates, b.rates);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.owners, b.owners);
  EXPECT_EQ(a.codes, b.codes);
  EXPECT_EQ(a.ratios, b.ratios);
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.blobs, b.blobs);
  EXPECT_EQ(a.groups, b.groups);
}

TEST_F(DynamoDbValues, PutThenGetKeepsEveryDigitAndEverySet) {
  TableWriter<Account> writer(accounts_);
  TableReader<Account> reader(accounts_);
  const Account a = full("full");
  auto put = writer.put(a);
  ASSERT_TRUE(put) << put.error().describe();
  auto got = reader.get("full");
  ASSERT_TRUE(got) << got.error().describe();
  // An empty set in a map of sets is left out like any empty set, so its key
  // does not come back.
  Account expected = a;
  expected.groups.erase("none");
  expect_same(*got, expected);

  // What the server holds: sets as sets, numbers as their canonical digits.
  const json::object item = raw_item("full");
  EXPECT_EQ(item.at("balance").at("N").as_string(), k38);
  EXPECT_EQ(item.at("limit").at("N").as_string(), "-" + kTiny);
  EXPECT_EQ(item.at("history").at("L").at(0).at("N").as_string(), kHuge);
  EXPECT_EQ(item.at("history").at("L").at(1).at("N").as_string(), "-" + kMaxMagnitude);
  EXPECT_TRUE(item.at("tags").as_object().contains("SS"));
  EXPECT_TRUE(item.at("owners").as_object().contains("SS"));
  EXPECT_TRUE(item.at("rates").as_object().contains("NS"));
  EXPECT_TRUE(item.at("codes").as_object().contains("NS"));
  EXPECT_TRUE(item.at("ratios").as_object().contains("NS"));
  EXPECT_TRUE(item.at("keys").as_object().contains("BS"));
  EXPECT_TRUE(item.at("blobs").as_object().contains("BS"));
  EXPECT_TRUE(item.at("groups").at("M").at("admins").as_object().contains("SS"));
  // An empty set inside a map is left out too.
  EXPECT_FALSE(item.at("groups").at("M").as_object().contains("none"));
  std::set<std::string> rates;
  for (const auto& n : item.at("rates").at("NS").as_array()) rates.insert(std::string(n.as_string()));
  EXPECT_EQ(rates, (std::set<std::string>{kTiny, kHuge, "0.5", "-" + k38}));
}

TEST_F(DynamoDbValues, EmptySetsAreLeftOutAndReadBackEmpty) {
  TableReadWriter<Account> table(accounts_);
  Account a;
  a.id = "empty";
  ASSERT_TRUE(table.put(a));
  const json::object item = raw_item("empty");
  for (const char* name : {"rates", "tags", "owners", "codes", "ratios", "keys", "blobs", "limit"})
    EXPECT_FALSE(item.contains(name)) << name;
  EXPECT_EQ(item.at("balance").at("N").as_string(), "0");
  auto got = table.get("empty");
  ASSERT_TRUE(got) << got.error().describe();
  expect_same(*got, a);
}

TEST_F(DynamoDbValues, UpdateAddsAndDeletesSetMembersAndAddsExactly) {
  TableReadWriter<Account> table(accounts_);
  Account a;
  a.id = "update";
  a.balance = Decimal("10000000000000000000.5");
  a.tags = {"a"};
  a.owners = {"ann", "bob"};
  a.codes = {1};
  ASSERT_TRUE(table.put(a));
  auto updated = table.update({"update"}, Update{"ADD tags :t, codes :c, balance :d DELETE owners :o"}
                                              .value(":t", Value::set({"b", "c"}))
                                              .value(":c", encode(std::set<std::int64_t>{7, 1}))
                                              .value(":d", Decimal("0.0000000000000001"))
                                              .value(":o", Value::set({"bob"})));
  ASSERT_TRUE(updated) << updated.error().describe();
  EXPECT_EQ(updated->tags, (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(updated->codes, (std::set<std::int64_t>{1, 7}));
  EXPECT_EQ(updated->owners, (std::unordered_set<std::string>{"ann"}));
  EXPECT_EQ(updated->balance.to_string(), "10000000000000000000.5000000000000001");

  // Deleting the last member removes the attribute: it reads back as an empty set.
  auto emptied = table.update({"update"}, Update{"DELETE owners :o"}.value(":o", Value::set({"ann"})));
  ASSERT_TRUE(emptied) << emptied.error().describe();
  EXPECT_TRUE(emptied->owners.empty());
  EXPECT_FALSE(raw_item("update").contains("owners"));

  // An empty set has no DynamoDB form: refused before any call, naming the placeholder.
  auto refused = table.update({"update"}, Update{"ADD tags :t"}.value(":t", Value::set({})));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(refused.error().context, ":t");
}

TEST_F(DynamoDbValues, NumbersTheServerRewritesComeBackCanonical) {
  // Written with an exponent and trailing zeros through the raw client; the
  // server keeps the canonical digits, which a Decimal field reads unchanged.
  auto put = server->client->call(
      "PutItem", json::object{{"TableName", "accounts"},
                              {"Item", json::object{{"id", json::object{{"S", "raw"}}},
                                                    {"balance", json::object{{"N", "1.50E+2"}}},
                                                    {"history", json::object{{"L", json::array{json::object{{"N", "-0.000120"}}}}}},
                                                    {"rates", json::object{{"NS", json::array{"1E+125", "0.10"}}}}}}});
  ASSERT_TRUE(put) << put.error().describe();
  const json::object item = raw_item("raw");
  EXPECT_EQ(item.at("balance").at("N").as_string(), "150");
  TableReader<Account> reader(accounts_);
  auto got = reader.get("raw");
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->balance.to_string(), "150");
  EXPECT_EQ(got->history, (std::vector<Decimal>{Decimal("-0.00012")}));
  EXPECT_EQ(got->rates, (std::set<Decimal>{Decimal(kHuge), Decimal("0.1")}));
}

TEST_F(DynamoDbValues, DecimalSortKeysOrderBeyondDoublePrecision) {
  TableWriter<Entry> writer(ledger_);
  TableReader<Entry> reader(ledger_);
  // These differ only in the 30th digit: as doubles they would be one key.
  const std::string base = "12345678901234567890123456789.";
  ASSERT_TRUE(writer.put_many({{"acc", Decimal(base + "3"), "three"},
                               {"acc", Decimal(base + "1"), "one"},
                               {"acc", Decimal(base + "2"), "two"},
                               {"acc", Decimal("-5"), "minus five"},
                               {"acc", Decimal("1E-130"), "tiny"}}));
  auto all = reader.query("acc");
  ASSERT_TRUE(all) << all.error().describe();
  std::vector<std::string> notes;
  for (const auto& e : all->items) notes.push_back(e.note);
  EXPECT_EQ(notes, (std::vector<std::string>{"minus five", "tiny", "one", "two", "three"}));

  auto middle = reader.query("acc", {.sort = SortKey::between(Decimal(base + "1"), Decimal(base + "2"))});
  ASSERT_TRUE(middle) << middle.error().describe();
  ASSERT_EQ(middle->items.size(), 2u);
  EXPECT_EQ(middle->items[1].amount.to_string(), base + "2");

  auto two = reader.get(Value("acc"), Value(Decimal(base + "2")));
  ASSERT_TRUE(two) << two.error().describe();
  EXPECT_EQ(two->note, "two");
}

TEST_F(DynamoDbValues, OutOfRangeNumbersFailBeforeAnyCallNamingTheField) {
  TableWriter<Account> writer(accounts_);
  Account a;
  a.id = "out-of-range";
  a.ratios = {0.5, 1e300};
  auto put = writer.put(a);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(put.error().context, "accounts: ratios[1]");
  EXPECT_NE(put.error().message.find("magnitude from 1E-130 to 9.99...E+125"), std::string::npos)
      << put.error().message;
  EXPECT_TRUE(raw_item("out-of-range").empty());
}

}  // namespace
}  // namespace gust::aws
