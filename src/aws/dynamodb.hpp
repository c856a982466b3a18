#pragma once
// DynamoDB over the JSON 1.0 protocol, and the TableService that the table
// capabilities (TableReader<T>, TableWriter<T>, Transaction) call.

#include "aws/aws_client.hpp"

#include <gust/detail/services.hpp>

#include <boost/json/object.hpp>

namespace gust::aws {

class DynamoDbClient {
 public:
  explicit DynamoDbClient(std::shared_ptr<ClientConfig> config) : client_(kDynamoDb, Protocol::json, std::move(config)) {}
  // One operation ("PutItem", "Query", ...): the request object in, the answer object out.
  Result<boost::json::object> call(std::string_view operation, const boost::json::object& request,
                                   std::string_view context = {}) const;
  const AwsClient& aws() const { return client_; }

 private:
  AwsClient client_;
};

class DynamoTableService final : public gust::detail::TableService {
 public:
  // A failed configuration makes every call answer its error.
  explicit DynamoTableService(Result<std::shared_ptr<ClientConfig>> config);

  Result<std::optional<Value>> get_item(const gust::detail::ResourceBinding& table, const gust::detail::ItemKey& key,
                                        const gust::detail::GetSpec& spec) override;
  Result<void> put_item(const gust::detail::ResourceBinding& table, const Value& item, gust::detail::PutMode mode,
                        const Expression& condition) override;
  Result<void> delete_item(const gust::detail::ResourceBinding& table, const gust::detail::ItemKey& key,
                           const Expression& condition) override;
  Result<Value> update_item(const gust::detail::ResourceBinding& table, const gust::detail::ItemKey& key,
                            const gust::Update& update) override;
  Result<gust::detail::ItemPage> query(const gust::detail::ResourceBinding& table,
                                       const gust::detail::QuerySpec& spec) override;
  Result<gust::detail::ItemPage> scan(const gust::detail::ResourceBinding& table,
                                      const gust::detail::ScanSpec& spec) override;
  Result<std::vector<Value>> batch_get(const gust::detail::ResourceBinding& table,
                                       const std::vector<gust::detail::ItemKey>& keys,
                                       const gust::detail::GetSpec& spec) override;
  Result<void> batch_write(const gust::detail::ResourceBinding& table, const std::vector<Value>& puts,
                           const std::vector<gust::detail::ItemKey>& deletes) override;
  Result<void> transact_write(const std::vector<gust::detail::TransactItem>& items) override;

  // Backoff between rounds of unprocessed batch items (tests shorten it).
  void set_batch_backoff(std::chrono::milliseconds base) { batch_backoff_ = base; }

 private:
  Result<const DynamoDbClient*> client() const;

  std::optional<DynamoDbClient> client_;
  Error config_error_;
  std::chrono::milliseconds batch_backoff_{50};
};

}  // namespace gust::aws
