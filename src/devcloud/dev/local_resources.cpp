#include "devcloud/dev/local_resources.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace gust::devcloud {
namespace {

Value key_element(const std::string& name, std::string_view type) {
  Value v;
  v["AttributeName"] = name;
  v["KeyType"] = type;
  return v;
}

Value key_schema(const manifest::KeyAttribute& pk, const std::optional<manifest::KeyAttribute>& sk) {
  Array schema{key_element(pk.name, "HASH")};
  if (sk) schema.push_back(key_element(sk->name, "RANGE"));
  return schema;
}

Result<void> ensure_table(localaws::DynamoDbService& ddb, const manifest::Resource& r) {
  Value request;
  request["TableName"] = r.id;
  request["BillingMode"] = "PAY_PER_REQUEST";
  Array definitions;
  auto define = [&](const manifest::KeyAttribute& k) {
    for (const auto& d : definitions) {
      if (d.find("AttributeName")->as_string() == k.name) return;
    }
    Value d;
    d["AttributeName"] = k.name;
    d["AttributeType"] = k.type;
    definitions.push_back(std::move(d));
  };
  define(*r.partition_key);
  if (r.sort_key) define(*r.sort_key);
  Array indexes;
  for (const auto& i : r.indexes) {
    define(i.partition_key);
    if (i.sort_key) define(*i.sort_key);
    Value gsi;
    gsi["IndexName"] = i.name;
    gsi["KeySchema"] = key_schema(i.partition_key, i.sort_key);
    gsi["Projection"]["ProjectionType"] = "ALL";
    indexes.push_back(std::move(gsi));
  }
  request["AttributeDefinitions"] = std::move(definitions);
  request["KeySchema"] = key_schema(*r.partition_key, r.sort_key);
  if (!indexes.empty()) request["GlobalSecondaryIndexes"] = std::move(indexes);
  auto response = ddb.call_operation("CreateTable", to_json_text(request));
  // An existing table keeps its data (a changed key schema needs `gust dev --reset`).
  if (response.status == 200 || response.body.find("ResourceInUseException") != std::string::npos) return {};
  return unexpected(ErrorCode::internal, fmt::format("the local DynamoDB refused table \"{}\": {}", r.id, response.body));
}

}  // namespace

std::string local_function_arn(const manifest::Manifest& manifest, const manifest::Function& fn, const std::string& region) {
  return fmt::format("arn:aws:lambda:{}:000000000000:function:{}-{}", region, manifest.app, fn.id);
}

Result<LocalResources> provision(localaws::LocalAws& aws, const manifest::Manifest& manifest, const std::string& host,
                                 const std::string& region) {
  LocalResources out;
  for (const auto& r : manifest.resources) {
    switch (r.kind) {
      case manifest::ResourceKind::table: {
        auto made = ensure_table(aws.dynamodb(), r);
        if (!made) return Unexpected{std::move(made).error()};
        out.values[r.id] = r.id;
        break;
      }
      case manifest::ResourceKind::bucket: {
        auto made = aws.s3().ensure_bucket(r.id);
        if (!made) return Unexpected{std::move(made).error()};
        out.values[r.id] = r.id;
        break;
      }
      case manifest::ResourceKind::queue: {
        // Visibility six times the consumer's timeout, as synth sets it on AWS.
        int visibility = 30;
        for (const auto& f : manifest.functions) {
          if (f.trigger.kind == manifest::TriggerKind::queue && f.trigger.resource == r.id)
            visibility = std::max(30, 6 * f.options.timeout_seconds);
        }
        std::map<std::string, std::string> attributes = {{"VisibilityTimeout", std::to_string(visibility)},
                                                         {"MessageRetentionPeriod", std::to_string(r.retention_seconds)}};
        if (r.max_receives > 0) {
          const std::string dlq = r.id + "-dlq";
          auto made = aws.sqs().ensure_queue(dlq, {{"MessageRetentionPeriod", "1209600"}});
          if (!made) return Unexpected{std::move(made).error()};
          auto arn = aws.sqs().queue_arn(dlq);
          if (!arn) return Unexpected{std::move(arn).error()};
          attributes["RedrivePolicy"] = fmt::format(R"({{"deadLetterTargetArn":"{}","maxReceiveCount":{}}})", *arn, r.max_receives);
        }
        auto made = aws.sqs().ensure_queue(r.id, attributes);
        if (!made) return Unexpected{std::move(made).error()};
        auto url = aws.sqs().queue_url(r.id, host);
        if (!url) return Unexpected{std::move(url).error()};
        out.values[r.id] = *url;
        out.queue_names[r.id] = r.id;
        break;
      }
      case manifest::ResourceKind::topic: {
        auto created = aws.sns().call_action({{"Action", "CreateTopic"}, {"Name", r.id}});
        if (created.status != 200)
          return unexpected(ErrorCode::internal, fmt::format("the local SNS refused topic \"{}\": {}", r.id, created.body));
        const std::string arn = fmt::format("arn:aws:sns:{}:000000000000:{}", region, r.id);
        out.values[r.id] = arn;
        for (const auto& f : manifest.functions) {
          if (f.trigger.kind != manifest::TriggerKind::topic || f.trigger.resource != r.id) continue;
          auto subscribed = aws.sns().call_action(
              {{"Action", "Subscribe"}, {"TopicArn", arn}, {"Protocol", "lambda"}, {"Endpoint", local_function_arn(manifest, f, region)}});
          if (subscribed.status != 200)
            return unexpected(ErrorCode::internal, fmt::format("the local SNS refused the subscription of {}: {}", f.id, subscribed.body));
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace gust::devcloud
