#include "devcloud/services/dynamodb_service.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gust::localaws {
namespace {

namespace json = boost::json;
using testing::parse;

class DynamoDb : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    svc_.reset();
    auto svc = DynamoDbService::open({.state_dir = dir_.path()});
    ASSERT_TRUE(svc) << svc.error().message;
    svc_ = std::move(*svc);
  }

  ServiceResponse raw(const std::string& name, const std::string& body) {
    return call(*svc_, testing::json_request("DynamoDB_20120810." + name, body, "dynamodb"));
  }
  json::value op(const std::string& name, const std::string& body) {
    auto res = raw(name, body);
    EXPECT_EQ(res.status, 200) << name << ": " << res.body;
    return parse(res.body);
  }
  // The error's type (after '#') and message.
  std::pair<std::string, std::string> fail(const std::string& name, const std::string& body) {
    auto res = raw(name, body);
    EXPECT_EQ(res.status, 400) << res.body;
    auto v = parse(res.body).as_object();
    std::string type(v["__type"].as_string());
    std::string msg = v.contains("message") ? std::string(v["message"].as_string()) : v.contains("Message") ? std::string(v["Message"].as_string()) : "";
    return {type, msg};
  }

  void create_todos() {
    op("CreateTable", R"({"TableName":"todos","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"user","AttributeType":"S"},{"AttributeName":"id","AttributeType":"S"},
                              {"AttributeName":"status","AttributeType":"S"},{"AttributeName":"due","AttributeType":"N"}],
      "KeySchema":[{"AttributeName":"user","KeyType":"HASH"},{"AttributeName":"id","KeyType":"RANGE"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-status","KeySchema":[{"AttributeName":"status","KeyType":"HASH"},{"AttributeName":"due","KeyType":"RANGE"}],
                                 "Projection":{"ProjectionType":"KEYS_ONLY"}}]})");
  }
  void put(const std::string& item) { op("PutItem", R"({"TableName":"todos","Item":)" + item + "}"); }

  testing::TempDir dir_;
  std::unique_ptr<DynamoDbService> svc_;
};

TEST_F(DynamoDb, CreateDescribeListAndDeleteTables) {
  auto created = op("CreateTable", R"({"TableName":"tab1","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}})");
  EXPECT_EQ(created.at("TableDescription").at("TableStatus"), "CREATING");
  EXPECT_EQ(created.at("TableDescription").at("TableArn"), "arn:aws:dynamodb:us-east-1:000000000000:table/tab1");
  create_todos();
  auto d = op("DescribeTable", R"({"TableName":"todos"})").at("Table");
  EXPECT_EQ(d.at("TableStatus"), "ACTIVE");
  EXPECT_EQ(d.at("GlobalSecondaryIndexes").at(0).at("IndexName"), "by-status");
  EXPECT_EQ(d.at("BillingModeSummary").at("BillingMode"), "PAY_PER_REQUEST");
  EXPECT_EQ(op("ListTables", "{}").at("TableNames"), parse(R"(["tab1","todos"])"));
  auto page = op("ListTables", R"({"Limit":1})");
  EXPECT_EQ(page.at("TableNames"), parse(R"(["tab1"])"));
  EXPECT_EQ(page.at("LastEvaluatedTableName"), "tab1");
  EXPECT_EQ(fail("CreateTable", R"({"TableName":"tab1","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})"),
            std::make_pair(std::string("com.amazonaws.dynamodb.v20120810#ResourceInUseException"), std::string("Table already exists: tab1")));
  op("DeleteTable", R"({"TableName":"tab1"})");
  EXPECT_EQ(fail("DescribeTable", R"({"TableName":"tab1"})").second, "Requested resource not found: Table: tab1 not found");
}

TEST_F(DynamoDb, CreateTableRejectsBadSchemasWithAwsMessages) {
  EXPECT_EQ(fail("CreateTable", R"({"TableName":"x","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})").second,
            "1 validation error detected: Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
  EXPECT_EQ(fail("CreateTable", R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"other","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})").second,
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [id]");
  EXPECT_EQ(fail("CreateTable", R"({"TableName":"abc","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
    "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]})").second,
            "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
}

TEST_F(DynamoDb, PutAndGetRoundTripWithNormalisedNumbers) {
  create_todos();
  put(R"({"user":{"S":"ann"},"id":{"S":"1"},"n":{"N":"001.50"},"big":{"N":"1e3"},"tags":{"SS":["a","b"]},
          "m":{"M":{"x":{"L":[{"N":"-0.0"},{"BOOL":true},{"NULL":true}]}}},"bin":{"B":"aGk="}})");
  auto got = op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}}})").at("Item");
  EXPECT_EQ(got.at("n").at("N"), "1.5");
  EXPECT_EQ(got.at("big").at("N"), "1000");
  EXPECT_EQ(got.at("m").at("M").at("x").at("L").at(0).at("N"), "0");
  EXPECT_EQ(got.at("bin").at("B"), "aGk=");
  auto missing = op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"2"}}})");
  EXPECT_TRUE(missing.as_object().empty());
  auto projected = op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}},
    "ProjectionExpression":"#m.x[1], n","ExpressionAttributeNames":{"#m":"m"}})").at("Item");
  EXPECT_EQ(projected, parse(R"({"m":{"M":{"x":{"L":[{"BOOL":true}]}}},"n":{"N":"1.5"}})"));
}

TEST_F(DynamoDb, KeyAndItemValidationUsesAwsMessages) {
  create_todos();
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"a"}}})").second,
            "One or more parameter values were invalid: Missing the key id in the item");
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"a"},"id":{"N":"1"}}})").second,
            "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N");
  EXPECT_EQ(fail("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"a"}}})").second, "The provided key element does not match the schema");
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"a"},"id":{"S":"1"},"n":{"N":"abc"}}})").second,
            "The parameter cannot be converted to a numeric value: abc");
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"a"},"id":{"S":"1"},"s":{"SS":[]}}})").second,
            "One or more parameter values were invalid: An string set  may not be empty");
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"a"},"id":{"S":"1"},"status":{"N":"1"}}})").second,
            "One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: by-status");
  EXPECT_EQ(fail("GetItem", R"({"TableName":"nope","Key":{"user":{"S":"a"}}})"),
            std::make_pair(std::string("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"), std::string("Requested resource not found")));
}

TEST_F(DynamoDb, ConditionExpressionFailureHasAwsShape) {
  create_todos();
  put(R"({"user":{"S":"ann"},"id":{"S":"1"},"v":{"N":"1"}})");
  auto res = raw("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"ann"},"id":{"S":"1"}},
    "ConditionExpression":"attribute_not_exists(id) ","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})");
  EXPECT_EQ(res.status, 400);
  auto body = parse(res.body);
  EXPECT_EQ(body.at("__type"), "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException");
  EXPECT_EQ(body.at("message"), "The conditional request failed");
  EXPECT_EQ(body.at("Item").at("v").at("N"), "1");
  EXPECT_EQ(res.headers.get("Content-Type").value_or(""), "application/x-amz-json-1.0");
  // Conditions that hold let the write through.
  op("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"ann"},"id":{"S":"1"},"v":{"N":"2"}},
    "ConditionExpression":"v < :two AND (attribute_type(v, :n) OR size(id) > :two) AND NOT contains(id, :x) AND v IN (:one, :two) ",
    "ExpressionAttributeValues":{":two":{"N":"2"},":n":{"S":"N"},":x":{"S":"x"},":one":{"N":"1"}}})");
  op("DeleteItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}},"ConditionExpression":"v BETWEEN :a AND :b",
    "ExpressionAttributeValues":{":a":{"N":"1.5"},":b":{"N":"10"}}})");
  EXPECT_TRUE(op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}}})").as_object().empty());
}

TEST_F(DynamoDb, UpdateExpressionSetRemoveAddDelete) {
  create_todos();
  put(R"({"user":{"S":"ann"},"id":{"S":"1"},"count":{"N":"9"},"tags":{"SS":["a","b"]},"dtags":{"SS":["a","b"]},"lst":{"L":[{"S":"x"},{"S":"y"},{"S":"z"}]},"rm":{"L":[{"S":"x"},{"S":"y"},{"S":"z"}]},"gone":{"S":"g"}})");
  auto res = op("UpdateItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}},
    "UpdateExpression":"SET #c = #c + :one, fresh = if_not_exists(fresh, :zero), lst = list_append(lst, :more), nested = :map REMOVE gone, rm[0], rm[2] ADD tags :t, tot :ten DELETE dtags :a",
    "ExpressionAttributeNames":{"#c":"count"},
    "ExpressionAttributeValues":{":one":{"N":"1"},":zero":{"N":"0"},":more":{"L":[{"S":"w"}]},":map":{"M":{"k":{"S":"v"}}},":t":{"SS":["c"]},":ten":{"N":"10"},":a":{"SS":["a"]}},
    "ReturnValues":"ALL_NEW"})");
  const auto& item = res.at("Attributes");
  EXPECT_EQ(item.at("count").at("N"), "10");  // numeric, not text: 9 + 1
  EXPECT_EQ(item.at("fresh").at("N"), "0");
  EXPECT_EQ(item.at("lst"), parse(R"({"L":[{"S":"x"},{"S":"y"},{"S":"z"},{"S":"w"}]})"));
  EXPECT_EQ(item.at("rm"), parse(R"({"L":[{"S":"y"}]})"));
  EXPECT_FALSE(item.as_object().contains("gone"));
  EXPECT_EQ(item.at("tot").at("N"), "10");
  EXPECT_EQ(item.at("tags"), parse(R"({"SS":["a","b","c"]})"));
  EXPECT_EQ(item.at("dtags"), parse(R"({"SS":["b"]})"));
  EXPECT_EQ(item.at("nested").at("M").at("k").at("S"), "v");

  auto updated = op("UpdateItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}},
    "UpdateExpression":"SET nested.k = :v, #c = #c - :half","ExpressionAttributeNames":{"#c":"count"},
    "ExpressionAttributeValues":{":v":{"S":"w"},":half":{"N":"0.5"}},"ReturnValues":"UPDATED_NEW"})");
  EXPECT_EQ(updated.at("Attributes"), parse(R"({"count":{"N":"9.5"},"nested":{"M":{"k":{"S":"w"}}}})"));

  // Upsert: an update on a missing item creates it.
  op("UpdateItem", R"({"TableName":"todos","Key":{"user":{"S":"bob"},"id":{"S":"9"}},"UpdateExpression":"ADD visits :one",
    "ExpressionAttributeValues":{":one":{"N":"1"}}})");
  EXPECT_EQ(op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"bob"},"id":{"S":"9"}}})").at("Item").at("visits").at("N"), "1");
}

TEST_F(DynamoDb, UpdateErrorsMatchAws) {
  create_todos();
  put(R"({"user":{"S":"ann"},"id":{"S":"1"},"s":{"S":"x"}})");
  const std::string key = R"("TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}})";
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET a = absent + :one","ExpressionAttributeValues":{":one":{"N":"1"}}})").second,
            "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET a = s + :one","ExpressionAttributeValues":{":one":{"N":"1"}}})").second,
            "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET nope.such = :one","ExpressionAttributeValues":{":one":{"N":"1"}}})").second,
            "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET id = :one","ExpressionAttributeValues":{":one":{"S":"1"}}})").second,
            "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"ADD hits : incr","ExpressionAttributeValues":{":incr":{"N":"1"}}})").second,
            "Invalid UpdateExpression: Syntax error; token: \":\", near: \"hits : incr\"");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET #n = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})").second,
            "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #n");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"},":w":{"N":"2"}}})").second,
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET name = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})").second,
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET a = :v, a.b = :v","ExpressionAttributeValues":{":v":{"N":"1"}}})").second,
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"ADD a :v","ExpressionAttributeValues":{":v":{"S":"1"}}})").second,
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":"SET a = :v","ExpressionAttributeValues":{":v":{"N":"1"}},"ConditionExpression":"bogus(a) "})").second,
            "Invalid ConditionExpression: Invalid function name; function: bogus");
  EXPECT_EQ(fail("UpdateItem", "{" + key + R"(,"UpdateExpression":""})").second, "Invalid UpdateExpression: The expression can not be empty;");
}

TEST_F(DynamoDb, QueryKeyConditionsOrderAndPagination) {
  create_todos();
  for (const char* id : {"a#1", "a#2", "a#3", "b#1", "c"}) {
    put(std::string(R"({"user":{"S":"ann"},"id":{"S":")") + id + R"("},"title":{"S":")" + id + R"("}})");
  }
  put(R"({"user":{"S":"bob"},"id":{"S":"a#9"}})");
  auto q = [&](const std::string& extra) {
    return op("Query", R"({"TableName":"todos","KeyConditionExpression":"#u = :u)" + extra);
  };
  auto ids = [](const json::value& res) {
    std::vector<std::string> out;
    for (const auto& i : res.at("Items").as_array()) out.emplace_back(i.at("id").at("S").as_string());
    return out;
  };
  EXPECT_EQ(ids(q(R"( AND begins_with(id, :p) ","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"},":p":{"S":"a#"}}})")),
            (std::vector<std::string>{"a#1", "a#2", "a#3"}));
  EXPECT_EQ(ids(q(R"( AND id BETWEEN :x AND :y","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"},":x":{"S":"a#2"},":y":{"S":"b#1"}},"ScanIndexForward":false})")),
            (std::vector<std::string>{"b#1", "a#3", "a#2"}));
  EXPECT_EQ(ids(q(R"( AND id < :x","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"},":x":{"S":"a#2"}}})")),
            (std::vector<std::string>{"a#1"}));
  // Limit counts items read; LastEvaluatedKey resumes.
  auto first = q(R"(","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"}},"Limit":2})");
  EXPECT_EQ(ids(first), (std::vector<std::string>{"a#1", "a#2"}));
  ASSERT_TRUE(first.as_object().contains("LastEvaluatedKey"));
  auto second = q(R"(","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"}},"Limit":2,"ExclusiveStartKey":)" +
                  json::serialize(first.at("LastEvaluatedKey")) + "}");
  EXPECT_EQ(ids(second), (std::vector<std::string>{"a#3", "b#1"}));
  auto filtered = q(R"(","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"},":c":{"S":"c"}},"FilterExpression":"title <> :c"})");
  EXPECT_EQ(filtered.at("Count"), 4);
  EXPECT_EQ(filtered.at("ScannedCount"), 5);
  auto counted = q(R"(","ExpressionAttributeNames":{"#u":"user"},"ExpressionAttributeValues":{":u":{"S":"ann"}},"Select":"COUNT"})");
  EXPECT_FALSE(counted.as_object().contains("Items"));
  EXPECT_EQ(counted.at("Count"), 5);
  EXPECT_EQ(fail("Query", R"({"TableName":"todos","KeyConditionExpression":"id = :i","ExpressionAttributeValues":{":i":{"S":"1"}}})").second,
            "Query condition missed key schema element: user");
  EXPECT_EQ(fail("Query", R"({"TableName":"todos","KeyConditionExpression":"#u = :u OR id = :i","ExpressionAttributeNames":{"#u":"user"},
    "ExpressionAttributeValues":{":u":{"S":"ann"},":i":{"S":"1"}}})").second, "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(fail("Query", R"({"TableName":"todos","KeyConditionExpression":"#u = :u","FilterExpression":"id = :u","ExpressionAttributeNames":{"#u":"user"},
    "ExpressionAttributeValues":{":u":{"S":"ann"}}})").second, "Filter Expression can only contain non-primary key attributes: Primary key attribute: id");
}

TEST_F(DynamoDb, NumericSortKeysOrderNumerically) {
  op("CreateTable", R"({"TableName":"nums","BillingMode":"PAY_PER_REQUEST",
    "AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"n","AttributeType":"N"}],
    "KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}]})");
  for (const char* n : {"10", "9", "-1", "-0.5", "0", "0.25", "1e2", "-100", "-0.55", "3.14159"}) {
    op("PutItem", std::string(R"({"TableName":"nums","Item":{"p":{"S":"x"},"n":{"N":")") + n + R"("}}})");
  }
  auto res = op("Query", R"({"TableName":"nums","KeyConditionExpression":"p = :p AND n >= :lo","ExpressionAttributeValues":{":p":{"S":"x"},":lo":{"N":"-0.55"}}})");
  std::vector<std::string> got;
  for (const auto& i : res.at("Items").as_array()) got.emplace_back(i.at("n").at("N").as_string());
  EXPECT_EQ(got, (std::vector<std::string>{"-0.55", "-0.5", "0", "0.25", "3.14159", "9", "10", "100"}));
}

TEST_F(DynamoDb, GlobalSecondaryIndexQueryAndSparseness) {
  create_todos();
  put(R"({"user":{"S":"ann"},"id":{"S":"1"},"status":{"S":"open"},"due":{"N":"3"},"title":{"S":"t1"}})");
  put(R"({"user":{"S":"bob"},"id":{"S":"2"},"status":{"S":"open"},"due":{"N":"1"},"title":{"S":"t2"}})");
  put(R"({"user":{"S":"bob"},"id":{"S":"3"},"status":{"S":"done"},"due":{"N":"2"}})");
  put(R"({"user":{"S":"cat"},"id":{"S":"4"},"title":{"S":"no status"}})");
  auto res = op("Query", R"({"TableName":"todos","IndexName":"by-status","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},
    "ExpressionAttributeValues":{":s":{"S":"open"}}})");
  ASSERT_EQ(res.at("Count"), 2);
  EXPECT_EQ(res.at("Items").at(0), parse(R"({"user":{"S":"bob"},"id":{"S":"2"},"status":{"S":"open"},"due":{"N":"1"}})"));  // KEYS_ONLY
  EXPECT_EQ(op("Scan", R"({"TableName":"todos","IndexName":"by-status"})").at("Count"), 3);
  // Changing the index key moves the item; removing it drops it.
  op("UpdateItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"1"}},"UpdateExpression":"REMOVE #s","ExpressionAttributeNames":{"#s":"status"}})");
  EXPECT_EQ(op("Scan", R"({"TableName":"todos","IndexName":"by-status"})").at("Count"), 2);
  EXPECT_EQ(fail("Query", R"({"TableName":"todos","IndexName":"nope","KeyConditionExpression":"a = :a","ExpressionAttributeValues":{":a":{"S":"x"}}})").second,
            "The table does not have the specified index: nope");
}

TEST_F(DynamoDb, ScanPaginatesAndFilters) {
  create_todos();
  for (int i = 0; i < 25; ++i) {
    put(R"({"user":{"S":"u)" + std::to_string(i % 5) + R"("},"id":{"S":")" + std::to_string(i) + R"("},"even":{"BOOL":)" + (i % 2 ? "false" : "true") + "}}");
  }
  std::set<std::string> seen;
  int evens = 0;
  json::value start;
  for (int page = 0; page < 20; ++page) {
    std::string body = R"({"TableName":"todos","Limit":7,"FilterExpression":"even = :t","ExpressionAttributeValues":{":t":{"BOOL":true}})";
    if (!start.is_null()) body += R"(,"ExclusiveStartKey":)" + json::serialize(start);
    auto res = op("Scan", body + "}");
    for (const auto& i : res.at("Items").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(i.at("id").at("S").as_string())).second);
      ++evens;
    }
    if (!res.as_object().contains("LastEvaluatedKey")) break;
    start = res.at("LastEvaluatedKey");
  }
  EXPECT_EQ(evens, 13);
}

TEST_F(DynamoDb, BatchWriteAndBatchGet) {
  create_todos();
  op("BatchWriteItem", R"({"RequestItems":{"todos":[{"PutRequest":{"Item":{"user":{"S":"a"},"id":{"S":"1"}}}},
    {"PutRequest":{"Item":{"user":{"S":"a"},"id":{"S":"2"}}}},{"PutRequest":{"Item":{"user":{"S":"a"},"id":{"S":"3"}}}}]}})");
  op("BatchWriteItem", R"({"RequestItems":{"todos":[{"DeleteRequest":{"Key":{"user":{"S":"a"},"id":{"S":"2"}}}}]}})");
  auto res = op("BatchGetItem", R"({"RequestItems":{"todos":{"Keys":[{"user":{"S":"a"},"id":{"S":"1"}},{"user":{"S":"a"},"id":{"S":"2"}},
    {"user":{"S":"a"},"id":{"S":"3"}}],"ProjectionExpression":"id"}}})");
  EXPECT_EQ(res.at("Responses").at("todos").as_array().size(), 2u);
  EXPECT_TRUE(res.at("UnprocessedKeys").as_object().empty());
  EXPECT_EQ(fail("BatchWriteItem", R"({"RequestItems":{"todos":[{"PutRequest":{"Item":{"user":{"S":"a"},"id":{"S":"1"}}}},
    {"DeleteRequest":{"Key":{"user":{"S":"a"},"id":{"S":"1"}}}}]}})").second, "Provided list of item keys contains duplicates");
}

TEST_F(DynamoDb, TransactWriteItemsIsAllOrNothing) {
  create_todos();
  put(R"({"user":{"S":"a"},"id":{"S":"1"},"v":{"N":"1"}})");
  auto res = raw("TransactWriteItems", R"({"TransactItems":[
    {"Put":{"TableName":"todos","Item":{"user":{"S":"a"},"id":{"S":"2"}}}},
    {"ConditionCheck":{"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"1"}},"ConditionExpression":"v = :two","ExpressionAttributeValues":{":two":{"N":"2"}}}}]})");
  EXPECT_EQ(res.status, 400);
  auto body = parse(res.body);
  EXPECT_EQ(body.at("__type"), "com.amazonaws.dynamodb.v20120810#TransactionCanceledException");
  EXPECT_EQ(body.at("message"), "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
  EXPECT_EQ(body.at("CancellationReasons"), parse(R"([{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}])"));
  EXPECT_TRUE(op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"2"}}})").as_object().empty());

  op("TransactWriteItems", R"({"TransactItems":[
    {"Put":{"TableName":"todos","Item":{"user":{"S":"a"},"id":{"S":"2"}}}},
    {"Update":{"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"1"}},"UpdateExpression":"SET v = v + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}},
    {"Delete":{"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"9"}}}}]})");
  auto got = op("TransactGetItems", R"({"TransactItems":[{"Get":{"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"1"}}}},
    {"Get":{"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"2"}}}}]})");
  EXPECT_EQ(got.at("Responses").at(0).at("Item").at("v").at("N"), "2");
  EXPECT_TRUE(got.at("Responses").at(1).as_object().contains("Item"));
  EXPECT_EQ(fail("TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"todos","Item":{"user":{"S":"a"},"id":{"S":"2"}}}},
    {"Delete":{"TableName":"todos","Key":{"user":{"S":"a"},"id":{"S":"2"}}}}]})").second,
            "Transaction request cannot include multiple operations on one item");
}

TEST_F(DynamoDb, SignatureProblemsAreRejectedAsAwsDoes) {
  ServiceRequest req{"POST", "/", "", {}, "{}"};
  req.headers.set("Content-Type", "application/x-amz-json-1.0");
  req.headers.set("X-Amz-Target", "DynamoDB_20120810.ListTables");
  auto res = call(*svc_, req);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(parse(res.body), parse(R"({"__type":"com.amazon.coral.service#MissingAuthenticationTokenException","message":"Request is missing Authentication Token"})"));
  req.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request");
  res = call(*svc_, req);
  EXPECT_EQ(parse(res.body).at("__type"), "com.amazon.coral.service#IncompleteSignatureException");
  EXPECT_EQ(parse(res.body).at("message"),
            "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            "Authorization=AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request");
  auto wrong_service = testing::json_request("DynamoDB_20120810.ListTables", "{}", "s3");
  res = call(*svc_, wrong_service);
  EXPECT_EQ(parse(res.body).at("__type"), "com.amazon.coral.service#InvalidSignatureException");
  EXPECT_EQ(parse(res.body).at("message"), "Credential should be scoped to correct service: 'dynamodb'.");
}

TEST_F(DynamoDb, MalformedRequestsGet400AndLeaveTheServiceWorking) {
  create_todos();
  auto res = raw("PutItem", "{not json");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(parse(res.body), parse(R"({"__type":"com.amazon.coral.service#SerializationException"})"));
  res = raw("Nope", "{}");
  EXPECT_EQ(parse(res.body).at("__type"), "com.amazon.coral.service#UnknownOperationException");
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":{"user":{"S":5},"id":{"S":"1"}}})"),
            std::make_pair(std::string("com.amazon.coral.service#SerializationException"), std::string("NUMBER_VALUE cannot be converted to String")));
  EXPECT_EQ(fail("PutItem", R"({"TableName":"todos","Item":[1,2]})").first, "com.amazon.coral.service#SerializationException");
  EXPECT_EQ(fail("Query", R"({"TableName":"todos","KeyConditionExpression":"((("})").second,
            "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"(\"");
  put(R"({"user":{"S":"still"},"id":{"S":"works"}})");
  EXPECT_EQ(op("Scan", R"({"TableName":"todos"})").at("Count"), 1);
}

TEST_F(DynamoDb, WritesSurviveReopen) {
  create_todos();
  put(R"({"user":{"S":"ann"},"id":{"S":"1"}})");
  open();
  EXPECT_EQ(op("Scan", R"({"TableName":"todos"})").at("Count"), 1);
  EXPECT_EQ(op("DescribeTable", R"({"TableName":"todos"})").at("Table").at("ItemCount"), 1);
}

// An acknowledged write survives kill -9 of the process that made it.
TEST_F(DynamoDb, AcknowledgedWriteSurvivesSigkill) {
  create_todos();
  svc_.reset();
  int ack[2];
  ASSERT_EQ(::pipe(ack), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto svc = DynamoDbService::open({.state_dir = dir_.path()});
    if (!svc) ::_exit(2);
    for (int i = 0;; ++i) {  // keeps writing until killed
      auto res = (*svc)->call_operation("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"k"},"id":{"S":")" + std::to_string(i) + R"("}}})");
      if (res.status != 200) ::_exit(3);
      const int n = i;
      if (::write(ack[1], &n, sizeof n) != sizeof n) ::_exit(4);
    }
  }
  ::close(ack[1]);
  int last = -1;
  for (int n; last < 50 && ::read(ack[0], &n, sizeof n) == sizeof n;) last = n;
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(ack[0]);
  ASSERT_GE(last, 50);
  open();
  for (int i = 0; i <= last; ++i) {
    auto got = op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"k"},"id":{"S":")" + std::to_string(i) + R"("}}})");
    ASSERT_TRUE(got.as_object().contains("Item")) << "acknowledged item " << i << " lost";
  }
}

// The WAL is copied back into the database while the service runs, and
// writes without a pause (each PutItem adds at least one 4 KB frame) do not
// grow it without bound: 20,000 puts would make an 82 MB WAL; the writer
// starts it over past 8,192 frames (32 MB), or a little later when the
// checkpointer thread holds the checkpoint at that moment (a slow fsync).
TEST_F(DynamoDb, WalIsCheckpointedAndStaysBoundedUnderSustainedWrites) {
  create_todos();
  for (int i = 0; i < 20000; ++i) {
    auto res = svc_->call_operation("PutItem", R"({"TableName":"todos","Item":{"user":{"S":"u)" + std::to_string(i % 50) + R"("},"id":{"S":")" +
                                                   std::to_string(i) + R"("}}})");
    ASSERT_EQ(res.status, 200) << res.body;
  }
  const auto db = dir_.path() / "dynamodb.sqlite";
  const auto wal = dir_.path() / "dynamodb.sqlite-wal";
  EXPECT_LT(std::filesystem::file_size(wal), 56u * 1024 * 1024);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(db) < 64 * 1024 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(db), 64u * 1024) << "nothing was checkpointed into the database";
}

TEST_F(DynamoDb, ConcurrentWritersDoNotLoseUpdates) {
  create_todos();
  put(R"({"user":{"S":"c"},"id":{"S":"counter"},"n":{"N":"0"}})");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto res = raw("UpdateItem", R"({"TableName":"todos","Key":{"user":{"S":"c"},"id":{"S":"counter"}},"UpdateExpression":"ADD n :one",
          "ExpressionAttributeValues":{":one":{"N":"1"}}})");
        EXPECT_EQ(res.status, 200);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"c"},"id":{"S":"counter"}}})").at("Item").at("n").at("N"), "200");
}

TEST_F(DynamoDb, UpdateTableAddsABackfilledIndexAndRemovesIt) {
  create_todos();
  for (int i = 0; i < 6; ++i) {
    put(R"({"user":{"S":"ann"},"id":{"S":"t)" + std::to_string(i) + R"("},"owner":{"S":")" + (i % 2 ? "x" : "y") + R"("}})");
  }
  put(R"({"user":{"S":"ann"},"id":{"S":"no-owner"}})");  // sparse: stays out of the new index
  auto added = op("UpdateTable", R"({"TableName":"todos","AttributeDefinitions":[{"AttributeName":"owner","AttributeType":"S"}],
    "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-owner","KeySchema":[{"AttributeName":"owner","KeyType":"HASH"}],
                                              "Projection":{"ProjectionType":"ALL"}}}]})");
  const auto& gsis = added.at("TableDescription").at("GlobalSecondaryIndexes").as_array();
  ASSERT_EQ(gsis.size(), 2u);
  EXPECT_EQ(gsis[1].at("IndexName"), "by-owner");
  EXPECT_EQ(gsis[1].at("IndexStatus"), "CREATING");
  auto q = op("Query", R"({"TableName":"todos","IndexName":"by-owner","KeyConditionExpression":"#o = :o",
    "ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":o":{"S":"x"}}})");
  EXPECT_EQ(q.at("Count"), 3) << "the items already there are in the new index";
  put(R"({"user":{"S":"bob"},"id":{"S":"new"},"owner":{"S":"x"}})");
  EXPECT_EQ(op("Query", R"({"TableName":"todos","IndexName":"by-owner","KeyConditionExpression":"#o = :o",
    "ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":o":{"S":"x"}}})").at("Count"), 4);
  auto described = op("DescribeTable", R"({"TableName":"todos"})").at("Table");
  EXPECT_EQ(described.at("GlobalSecondaryIndexes").as_array()[1].at("IndexStatus"), "ACTIVE");
  EXPECT_EQ(described.at("GlobalSecondaryIndexes").as_array()[1].at("ItemCount"), 7);

  // One index change per call; names are unique; missing ones are not found.
  EXPECT_EQ(fail("UpdateTable", R"({"TableName":"todos","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-owner"}},{"Delete":{"IndexName":"by-status"}}]})").first,
            "com.amazonaws.dynamodb.v20120810#LimitExceededException");
  EXPECT_EQ(fail("UpdateTable", R"({"TableName":"todos","GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-owner",
    "KeySchema":[{"AttributeName":"owner","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]})").second,
            "One or more parameter values were invalid: Index with name by-owner already exists");
  EXPECT_EQ(fail("UpdateTable", R"({"TableName":"todos","GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-x",
    "KeySchema":[{"AttributeName":"x","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}}]})").second,
            "One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. "
            "Keys: [x], AttributeDefinitions: [user, id, status, due, owner]");
  EXPECT_EQ(fail("UpdateTable", R"({"TableName":"todos","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"nope"}}]})").first,
            "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");

  auto removed = op("UpdateTable", R"({"TableName":"todos","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"by-owner"}}]})");
  EXPECT_EQ(removed.at("TableDescription").at("GlobalSecondaryIndexes").as_array().size(), 1u);
  for (const auto& a : removed.at("TableDescription").at("AttributeDefinitions").as_array()) {
    EXPECT_NE(a.at("AttributeName"), "owner") << "the definition goes with its index";
  }
  EXPECT_EQ(fail("Query", R"({"TableName":"todos","IndexName":"by-owner","KeyConditionExpression":"#o = :o",
    "ExpressionAttributeNames":{"#o":"owner"},"ExpressionAttributeValues":{":o":{"S":"x"}}})").second,
            "The table does not have the specified index: by-owner");
  // The change is stored: a restart sees the same indexes.
  open();
  EXPECT_EQ(op("DescribeTable", R"({"TableName":"todos"})").at("Table").at("GlobalSecondaryIndexes").as_array().size(), 1u);
}

TEST_F(DynamoDb, ItemsPastTheirTimeToLiveAreGoneOnRead) {
  create_todos();
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto item = [&](const std::string& id, long long expires) {
    put(R"({"user":{"S":"ann"},"id":{"S":")" + id + R"("},"status":{"S":"open"},"due":{"N":"1"},"expires":{"N":")" + std::to_string(expires) + R"("}})");
  };
  item("past", now - 60);
  item("future", now + 3600);
  item("ancient", 1000);  // more than five years back: not epoch seconds, DynamoDB leaves it
  put(R"({"user":{"S":"ann"},"id":{"S":"text"},"expires":{"S":"yesterday"}})");  // not a number: never expires
  // Before TTL is enabled nothing expires.
  EXPECT_EQ(op("Query", R"({"TableName":"todos","KeyConditionExpression":"#u = :u","ExpressionAttributeNames":{"#u":"user"},
    "ExpressionAttributeValues":{":u":{"S":"ann"}}})").at("Count"), 4);
  EXPECT_EQ(op("DescribeTimeToLive", R"({"TableName":"todos"})").at("TimeToLiveDescription").at("TimeToLiveStatus"), "DISABLED");
  op("UpdateTimeToLive", R"({"TableName":"todos","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}})");
  EXPECT_EQ(fail("UpdateTimeToLive", R"({"TableName":"todos","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"expires"}})").second,
            "TimeToLive is already enabled");
  auto ttl = op("DescribeTimeToLive", R"({"TableName":"todos"})").at("TimeToLiveDescription");
  EXPECT_EQ(ttl.at("TimeToLiveStatus"), "ENABLED");
  EXPECT_EQ(ttl.at("AttributeName"), "expires");

  EXPECT_FALSE(op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"past"}}})").as_object().contains("Item"));
  EXPECT_TRUE(op("GetItem", R"({"TableName":"todos","Key":{"user":{"S":"ann"},"id":{"S":"future"}}})").as_object().contains("Item"));
  auto q = op("Query", R"({"TableName":"todos","KeyConditionExpression":"#u = :u","ExpressionAttributeNames":{"#u":"user"},
    "ExpressionAttributeValues":{":u":{"S":"ann"}}})");
  EXPECT_EQ(q.at("Count"), 3);
  item("past2", now - 1);
  EXPECT_EQ(op("Scan", R"({"TableName":"todos"})").at("Count"), 3);
  EXPECT_EQ(op("Query", R"({"TableName":"todos","IndexName":"by-status","KeyConditionExpression":"#s = :s",
    "ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"open"}}})").at("Count"), 2);
  // Deleted, not just hidden: the table's count agrees, and disabling TTL does not bring them back.
  EXPECT_EQ(op("DescribeTable", R"({"TableName":"todos"})").at("Table").at("ItemCount"), 3);
  op("UpdateTimeToLive", R"({"TableName":"todos","TimeToLiveSpecification":{"Enabled":false,"AttributeName":"expires"}})");
  EXPECT_EQ(op("Scan", R"({"TableName":"todos"})").at("Count"), 3);
}

}  // namespace
}  // namespace gust::localaws
