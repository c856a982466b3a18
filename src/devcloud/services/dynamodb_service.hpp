#pragma once
// A local DynamoDB: the JSON 1.0 protocol (`X-Amz-Target: DynamoDB_20120810.*`)
// over SQLite (`dynamodb.sqlite` in the state folder). Tables with global and
// local secondary indexes; items with condition, update and projection
// expressions; Query, Scan, batches and transactions; AWS's error types,
// messages and status codes. Thread-safe: operations are serialised.
//
//   auto ddb = DynamoDbService::open({.state_dir = ".gust/dev"}).value();
//   auto res = ddb->call_operation("ListTables", "{}");   // in-process, no HTTP

#include "devcloud/services/service.hpp"

#include <gust/result.hpp>

#include <memory>
#include <string_view>

namespace gust::localaws {

class DynamoDbService : public Service {
 public:
  static Result<std::unique_ptr<DynamoDbService>> open(const ServiceOptions& options);
  ~DynamoDbService() override;

  // A signed request as it comes off the wire.
  void handle(ServiceRequest request, Reply reply) override;
  // One operation ("PutItem") with its JSON body, skipping the signature
  // check: for the local cloud's own use (triggers, `gust dev` tooling).
  ServiceResponse call_operation(std::string_view operation, std::string_view body);

  struct Impl;

 private:
  explicit DynamoDbService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gust::localaws
