#pragma once
// Creating a test table on a DynamoDB peer and waiting until it is ACTIVE
// (dynalite creates tables asynchronously).

#include "aws/dynamodb.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gust::aws::testing {

// `attributes`: {name, "S" | "N" | "B"} for every key attribute. `gsi`, when
// given, names an index on (owner, at).
inline void create_table(const DynamoDbClient& client, const std::string& name,
                         std::vector<std::pair<std::string, std::string>> attributes, const std::string& pk,
                         const std::string& sk, const std::string& gsi = {}) {
  namespace json = boost::json;
  json::object req;
  req["TableName"] = name;
  json::array defs;
  for (auto& [n, t] : attributes) defs.push_back(json::object{{"AttributeName", n}, {"AttributeType", t}});
  req["AttributeDefinitions"] = std::move(defs);
  json::array schema{json::object{{"AttributeName", pk}, {"KeyType", "HASH"}}};
  if (!sk.empty()) schema.push_back(json::object{{"AttributeName", sk}, {"KeyType", "RANGE"}});
  req["KeySchema"] = std::move(schema);
  req["BillingMode"] = "PAY_PER_REQUEST";
  if (!gsi.empty()) {
    json::object index;
    index["IndexName"] = gsi;
    index["KeySchema"] = json::array{json::object{{"AttributeName", "owner"}, {"KeyType", "HASH"}},
                                     json::object{{"AttributeName", "at"}, {"KeyType", "RANGE"}}};
    index["Projection"] = json::object{{"ProjectionType", "ALL"}};
    req["GlobalSecondaryIndexes"] = json::array{std::move(index)};
  }
  auto res = client.call("CreateTable", req);
  ASSERT_TRUE(res.has_value()) << res.error().describe();
  for (int i = 0; i < 200; ++i) {
    auto d = client.call("DescribeTable", json::object{{"TableName", name}});
    ASSERT_TRUE(d.has_value()) << d.error().describe();
    if (d->at("Table").at("TableStatus").as_string() == "ACTIVE") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL() << "table " << name << " did not become ACTIVE";
}

}  // namespace gust::aws::testing
