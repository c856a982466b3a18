#pragma once
// LocalAws: the four local services behind one endpoint. A request goes to
//   - DynamoDB when X-Amz-Target starts with "DynamoDB_20120810.",
//   - SQS when it starts with "AmazonSQS." (JSON protocol),
//   - SNS or SQS when it is a query-protocol form (Action=...): by the
//     credential scope's service, else by the action's name,
//   - S3 otherwise (REST: paths, methods, headers).
// SNS delivers `sqs` subscriptions into this SQS. gust dev serves it on
// loopback (ServiceHttpServer) and hooks the triggers through the accessors.
//
//   auto aws = LocalAws::open({.state_dir = dir / ".gust/dev"}).value();
//   aws->s3().set_on_event(...); aws->sns().set_delivery(...);

#include "devcloud/services/dynamodb_service.hpp"
#include "devcloud/services/s3_service.hpp"
#include "devcloud/services/service.hpp"
#include "devcloud/services/sns_service.hpp"
#include "devcloud/services/sqs_service.hpp"

#include <gust/result.hpp>

#include <memory>
#include <string_view>

namespace gust::localaws {

class LocalAws : public Service {
 public:
  static Result<std::unique_ptr<LocalAws>> open(const ServiceOptions& options);
  ~LocalAws() override;

  void handle(ServiceRequest request, Reply reply) override;

  // "dynamodb", "sqs", "sns" or "s3": where `request` would go.
  static std::string_view route(const ServiceRequest& request);

  DynamoDbService& dynamodb() { return *dynamodb_; }
  S3Service& s3() { return *s3_; }
  SqsService& sqs() { return *sqs_; }
  SnsService& sns() { return *sns_; }

 private:
  LocalAws() = default;
  std::unique_ptr<DynamoDbService> dynamodb_;
  std::unique_ptr<S3Service> s3_;
  std::unique_ptr<SqsService> sqs_;
  std::unique_ptr<SnsService> sns_;  // after sqs_: destroyed first, it delivers into sqs_
};

}  // namespace gust::localaws
