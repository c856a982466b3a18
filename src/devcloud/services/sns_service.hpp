#pragma once
// A local SNS: the query protocol (form `Action=...`, XML answers) over
// SQLite (`sns.sqlite`). Topics (standard and FIFO), subscriptions with
// filter policies, Publish with message attributes. Deliveries are durable:
// a published message is stored with one delivery per matching subscription
// before Publish answers, and a worker thread delivers them, retrying:
//
//   - protocol `lambda`: through the SnsDelivery the local cloud registers,
//     with the event Lambda receives from SNS ({"Records":[{"EventSource":"aws:sns",...}]});
//   - protocol `sqs`: into the local SqsService (the JSON envelope, or the raw
//     message with RawMessageDelivery=true).
//
// Other protocols (http, email, sms, ...) are refused at Subscribe with a clear error.

#include "devcloud/services/service.hpp"

#include <gust/result.hpp>

#include <memory>
#include <string>

namespace gust::localaws {

class SqsService;

// What the local cloud implements to receive `lambda` deliveries.
class SnsDelivery {
 public:
  virtual ~SnsDelivery() = default;
  // Invokes the function asynchronously (as SNS does) with `event_json`.
  // An error makes SNS retry later (1 s, 2 s, 4 s, ... up to 5 attempts).
  virtual Result<void> deliver_to_lambda(const std::string& function_arn, const std::string& event_json) = 0;
};

class SnsService : public Service {
 public:
  // `sqs` (optional) receives deliveries to `sqs` subscriptions.
  static Result<std::unique_ptr<SnsService>> open(const ServiceOptions& options, SqsService* sqs = nullptr);
  ~SnsService() override;

  void handle(ServiceRequest request, Reply reply) override;

  // Registers where `lambda` deliveries go; until one is set they wait.
  void set_delivery(std::shared_ptr<SnsDelivery> delivery);
  // Deliveries not yet made (tests, `gust dev` status).
  int pending_deliveries() const;

  // One action with its form parameters, skipping the signature check.
  ServiceResponse call_action(const Params& form);

  struct Impl;

 private:
  explicit SnsService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gust::localaws
