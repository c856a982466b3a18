#include "devcloud/services/local_aws.hpp"

#include <set>

namespace gust::localaws {

namespace {

// The service named by a SigV4 credential scope (".../REGION/SERVICE/aws4_request").
std::string_view scope_service(const ServiceRequest& request, const Params& query) {
  std::string_view credential;
  std::string header;
  if (auto auth = request.headers.get("Authorization")) {
    const auto at = auth->find("Credential=");
    if (at != std::string_view::npos) {
      credential = auth->substr(at + 11);
      credential = credential.substr(0, credential.find_first_of(", "));
    }
  } else if (const auto* c = find_param(query, "X-Amz-Credential")) {
    credential = *c;
  }
  // keyid/date/region/service/aws4_request
  std::size_t slash = std::string_view::npos;
  for (int i = 0; i < 3; ++i) {
    slash = credential.find('/', slash == std::string_view::npos ? 0 : slash + 1);
    if (slash == std::string_view::npos) return {};
  }
  const auto end = credential.find('/', slash + 1);
  return end == std::string_view::npos ? std::string_view{} : credential.substr(slash + 1, end - slash - 1);
}

bool is_sns_action(std::string_view action) {
  static const std::set<std::string_view> kSns = {
      "CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "Subscribe", "Unsubscribe",
      "ListSubscriptions", "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes", "Publish",
      "PublishBatch", "ConfirmSubscription", "ListTagsForResource", "TagResource", "UntagResource"};
  return kSns.count(action) > 0;
}

}  // namespace

Result<std::unique_ptr<LocalAws>> LocalAws::open(const ServiceOptions& options) {
  std::unique_ptr<LocalAws> aws(new LocalAws());
  auto ddb = DynamoDbService::open(options);
  if (!ddb) return unexpected(ddb.error());
  auto s3 = S3Service::open(options);
  if (!s3) return unexpected(s3.error());
  auto sqs = SqsService::open(options);
  if (!sqs) return unexpected(sqs.error());
  aws->dynamodb_ = std::move(*ddb);
  aws->s3_ = std::move(*s3);
  aws->sqs_ = std::move(*sqs);
  auto sns = SnsService::open(options, aws->sqs_.get());
  if (!sns) return unexpected(sns.error());
  aws->sns_ = std::move(*sns);
  return aws;
}

LocalAws::~LocalAws() { sns_.reset(); }

std::string_view LocalAws::route(const ServiceRequest& request) {
  const std::string_view target = request.headers.get("X-Amz-Target").value_or("");
  if (target.rfind("DynamoDB_", 0) == 0) return "dynamodb";
  if (target.rfind("AmazonSQS.", 0) == 0) return "sqs";
  const Params query = parse_query(request.query);
  const std::string_view type = request.headers.get("Content-Type").value_or("");
  const bool form = request.method == "POST" && type.rfind("application/x-www-form-urlencoded", 0) == 0;
  const std::string* action = find_param(query, "Action");
  Params body;
  if (!action && form) {
    body = parse_query(request.body);
    action = find_param(body, "Action");
  }
  if (action) {
    const auto scope = scope_service(request, query);
    if (scope == "sns" || scope == "sqs") return scope;
    return is_sns_action(*action) ? "sns" : "sqs";
  }
  if (!target.empty()) {
    // A JSON-protocol target we do not serve: let the scope decide, else DynamoDB answers UnknownOperation.
    const auto scope = scope_service(request, query);
    if (scope == "sqs") return "sqs";
    return "dynamodb";
  }
  // No target and no action: a request signed for another service is that
  // service's malformed request (AWS would answer it at that service's
  // endpoint: UnknownOperation, MissingAction), not an S3 one.
  const auto scope = scope_service(request, query);
  if (scope == "dynamodb" || scope == "sqs" || scope == "sns") return scope;
  return "s3";
}

void LocalAws::handle(ServiceRequest request, Reply reply) {
  const auto service = route(request);
  if (service == "dynamodb") return dynamodb_->handle(std::move(request), std::move(reply));
  if (service == "sqs") return sqs_->handle(std::move(request), std::move(reply));
  if (service == "sns") return sns_->handle(std::move(request), std::move(reply));
  s3_->handle(std::move(request), std::move(reply));
}

}  // namespace gust::localaws
