#include "devcloud/target/provisioner.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/target/function_code.hpp"
#include "devcloud/target/internal_request.hpp"
#include "devcloud/target/property_access.hpp"
#include "manifest/schedule_expression.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <random>

namespace gust::devcloud::target {
namespace json = boost::json;
namespace {

Error failed(std::string message) { return Error{ErrorCode::failed_precondition, std::move(message), {}, {}}; }

std::string random_suffix(std::size_t length, bool lower) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz0123456789";
  const auto& set = lower ? kLower : kUpper;
  std::string out;
  for (std::size_t i = 0; i < length; ++i) out += set[random() % set.size()];
  return out;
}

// CloudFormation's generated names: STACK-LOGICALID-RANDOM, cut to the service's limit.
std::string generated_name(const std::string& stack, const std::string& logical, std::size_t limit, bool lower = false) {
  const std::string suffix = random_suffix(lower ? 12 : 12, lower);
  std::string head = stack + "-" + logical;
  if (head.size() + 1 + suffix.size() > limit) head.resize(limit - 1 - suffix.size());
  std::string name = head + "-" + suffix;
  if (lower) std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

std::string name_or(const json::object& p, std::string_view property, const std::string& generated) {
  const std::string given = text_property(p, property);
  return given.empty() ? generated : given;
}

// The XML member `tag` of a query-protocol answer.
std::string xml_value(const std::string& body, std::string_view tag) {
  const auto open = body.find(fmt::format("<{}>", tag));
  const auto close = body.find(fmt::format("</{}>", tag));
  if (open == std::string::npos || close == std::string::npos) return {};
  return body.substr(open + tag.size() + 2, close - open - tag.size() - 2);
}

// The message of a JSON (DynamoDB, SQS) or XML (SNS, S3) error answer.
std::string error_message(const std::string& body) {
  if (auto m = xml_value(body, "Message"); !m.empty()) return m;
  boost::system::error_code ec;
  auto doc = json::parse(body, ec);
  if (!ec && doc.is_object()) {
    for (const char* key : {"message", "Message"}) {
      if (const auto* v = doc.as_object().if_contains(key); v != nullptr && v->is_string()) return std::string(v->as_string());
    }
  }
  return body;
}

json::object pick(const json::object& from, std::initializer_list<std::string_view> keys) {
  json::object out;
  for (auto k : keys) {
    if (const auto* v = from.if_contains(k)) out[k] = *v;
  }
  return out;
}

}  // namespace

Result<ResourceState> Provisioner::create(const std::string& stack_name, const std::string& logical_id, const std::string& type,
                                          const json::object& properties) {
  ResourceState s;
  s.logical_id = logical_id;
  s.type = type;
  s.properties = properties;
  s.attributes["gust:Stack"] = stack_name;
  return provision(std::move(s), nullptr);
}

Result<ResourceState> Provisioner::update(const ResourceState& current, const json::object& properties) {
  ResourceState s = current;
  s.properties = properties;
  return provision(std::move(s), &current);
}

Result<ResourceState> Provisioner::provision(ResourceState s, const ResourceState* current) {
  const auto& p = s.properties;
  const std::string& stack = s.attributes["gust:Stack"];
  const std::string& region = options_.region;
  const std::string& account = options_.account_id;
  const std::string& type = s.type;

  if (type == "AWS::DynamoDB::Table") {
    const std::string name = current ? current->physical_id : name_or(p, "TableName", generated_name(stack, s.logical_id, 255));
    if (!current) {
      json::object request = pick(p, {"AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes", "BillingMode",
                                      "ProvisionedThroughput", "StreamSpecification"});
      request["TableName"] = name;
      if (!request.contains("BillingMode")) request["BillingMode"] = "PROVISIONED";
      auto res = aws_.dynamodb().call_operation("CreateTable", json::serialize(request));
      if (res.status != 200) return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", error_message(res.body)))};
    } else {
      // Indexes added or removed: one UpdateTable per change, as CloudFormation sends them.
      auto names = [](const json::object& props) {
        std::map<std::string, json::value> out;
        if (const auto* a = props.if_contains("GlobalSecondaryIndexes"); a != nullptr && a->is_array()) {
          for (const auto& g : a->as_array()) out[text_property(g.as_object(), "IndexName")] = g;
        }
        return out;
      };
      const auto before = names(current->properties), after = names(p);
      for (const auto& [index, def] : before) {
        if (after.contains(index)) continue;
        json::object req{{"TableName", name}, {"GlobalSecondaryIndexUpdates", json::array{json::object{{"Delete", json::object{{"IndexName", index}}}}}}};
        aws_.dynamodb().call_operation("UpdateTable", json::serialize(req));
      }
      for (const auto& [index, def] : after) {
        if (before.contains(index)) continue;
        json::object req{{"TableName", name}, {"AttributeDefinitions", p.contains("AttributeDefinitions") ? p.at("AttributeDefinitions") : json::array{}},
                         {"GlobalSecondaryIndexUpdates", json::array{json::object{{"Create", def}}}}};
        auto res = aws_.dynamodb().call_operation("UpdateTable", json::serialize(req));
        if (res.status != 200) return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", error_message(res.body)))};
      }
    }
    s.physical_id = name;
    s.attributes["Arn"] = fmt::format("arn:aws:dynamodb:{}:{}:table/{}", region, account, name);
    s.attributes["StreamArn"] = s.attributes["Arn"] + "/stream/1970-01-01T00:00:00.000";
  } else if (type == "AWS::S3::Bucket") {
    const std::string name = current ? current->physical_id : name_or(p, "BucketName", generated_name(stack, s.logical_id, 63, true));
    if (!current) {
      auto res = localaws::call(aws_.s3(), internal_request("PUT", "/" + localaws::url_encode(name), "s3", region));
      if (res.status == 409) return Unexpected{failed(fmt::format("{} already exists", name))};
      if (res.status != 200) return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", error_message(res.body)))};
    }
    s.physical_id = name;
    s.attributes["Arn"] = "arn:aws:s3:::" + name;
    s.attributes["DomainName"] = name + ".s3.amazonaws.com";
    s.attributes["RegionalDomainName"] = fmt::format("{}.s3.{}.amazonaws.com", name, region);
    s.attributes["WebsiteURL"] = fmt::format("http://{}.s3-website-{}.amazonaws.com", name, region);
  } else if (type == "AWS::SQS::Queue") {
    std::string name = current ? current->attributes.at("QueueName") : name_or(p, "QueueName", generated_name(stack, s.logical_id, 80));
    const bool fifo = text_property(p, "FifoQueue") == "true";
    if (!current && fifo && !name.ends_with(".fifo")) name = name.substr(0, 75) + ".fifo";
    std::map<std::string, std::string> attributes;
    for (const char* a : {"VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize", "ReceiveMessageWaitTimeSeconds",
                          "FifoQueue", "ContentBasedDeduplication", "RedrivePolicy", "RedriveAllowPolicy"}) {
      if (const auto* v = p.if_contains(a)) attributes[a] = v->is_object() ? json::serialize(*v) : text_of(*v);
    }
    auto made = aws_.sqs().ensure_queue(name, attributes);
    if (!made) return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", made.error().message))};
    auto url = aws_.sqs().queue_url(name, options_.services_host);
    auto arn = aws_.sqs().queue_arn(name);
    if (!url || !arn) return Unexpected{failed(fmt::format("queue {} vanished while it was created", name))};
    s.physical_id = *url;
    s.attributes["Arn"] = *arn;
    s.attributes["QueueName"] = name;
    s.attributes["QueueUrl"] = *url;
  } else if (type == "AWS::SNS::Topic") {
    const std::string name = current ? current->attributes.at("TopicName") : name_or(p, "TopicName", generated_name(stack, s.logical_id, 256));
    localaws::Params form{{"Action", "CreateTopic"}, {"Name", name}};
    if (text_property(p, "FifoTopic") == "true") form.insert(form.end(), {{"Attributes.entry.1.key", "FifoTopic"}, {"Attributes.entry.1.value", "true"}});
    auto res = aws_.sns().call_action(form);
    if (res.status != 200) return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", error_message(res.body)))};
    s.physical_id = xml_value(res.body, "TopicArn");
    s.attributes["TopicArn"] = s.physical_id;
    s.attributes["TopicName"] = name;
  } else if (type == "AWS::SNS::Subscription") {
    localaws::Params form{{"Action", "Subscribe"}, {"TopicArn", text_property(p, "TopicArn")}, {"Protocol", text_property(p, "Protocol")},
                          {"Endpoint", text_property(p, "Endpoint")}, {"ReturnSubscriptionArn", "true"}};
    int n = 0;
    for (const char* a : {"FilterPolicy", "RawMessageDelivery", "FilterPolicyScope", "RedrivePolicy"}) {
      if (const auto* v = p.if_contains(a)) {
        ++n;
        form.emplace_back(fmt::format("Attributes.entry.{}.key", n), a);
        form.emplace_back(fmt::format("Attributes.entry.{}.value", n), v->is_object() ? json::serialize(*v) : text_of(*v));
      }
    }
    if (current) aws_.sns().call_action({{"Action", "Unsubscribe"}, {"SubscriptionArn", current->physical_id}});
    auto res = aws_.sns().call_action(form);
    if (res.status != 200) return Unexpected{failed(fmt::format("Invalid parameter: {}", error_message(res.body)))};
    s.physical_id = xml_value(res.body, "SubscriptionArn");
    s.attributes["Arn"] = s.physical_id;
  } else if (type == "AWS::IAM::Role") {
    const std::string name = current ? current->physical_id : name_or(p, "RoleName", generated_name(stack, s.logical_id, 64));
    s.physical_id = name;
    s.attributes["Arn"] = fmt::format("arn:aws:iam::{}:role{}{}", account, text_property(p, "Path").empty() ? "/" : text_property(p, "Path"), name);
    if (!current) s.attributes["RoleId"] = "AROA" + random_suffix(17, false);
  } else if (type == "AWS::Logs::LogGroup") {
    const std::string name = current ? current->physical_id : name_or(p, "LogGroupName", generated_name(stack, s.logical_id, 512));
    if (!current && logs_.has_group(name)) return Unexpected{failed(fmt::format("Resource of type 'AWS::Logs::LogGroup' with identifier '{}' already exists.", name))};
    logs_.create_group(name, static_cast<int>(int_property(p, "RetentionInDays", 0)));
    s.physical_id = name;
    s.attributes["Arn"] = fmt::format("arn:aws:logs:{}:{}:log-group:{}:*", region, account, name);
  } else if (type == "AWS::Lambda::Function") {
    const std::string name = current ? current->physical_id : name_or(p, "FunctionName", generated_name(stack, s.logical_id, 64));
    const auto& code = object_property(p, "Code");
    if (code.contains("ZipFile") || code.contains("ImageUri") || text_property(p, "PackageType") == "Image")
      return Unexpected{failed(fmt::format("{}: the local cloud target runs zip packages from S3 only (Code.S3Bucket and Code.S3Key)", s.logical_id))};
    auto dir = unpack_function_code(aws_.s3(), text_property(code, "S3Bucket"), text_property(code, "S3Key"), options_.code_dir, region);
    if (!dir) return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", dir.error().message))};
    s.physical_id = name;
    s.attributes["Arn"] = fmt::format("arn:aws:lambda:{}:{}:function:{}", region, account, name);
    s.attributes["gust:CodeDir"] = dir->string();
  } else if (type == "AWS::Lambda::EventSourceMapping") {
    const std::string arn = text_property(p, "EventSourceArn");
    if (arn.starts_with("arn:aws:sqs:") && !aws_.sqs().queue_arn(arn.substr(arn.rfind(':') + 1)))
      return Unexpected{failed(fmt::format("Resource handler returned message: \"Invalid request provided: Error occurred while ReceiveMessage. "
                                           "SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not "
                                           "exist ({})\"",
                                           arn))};
    if (!current) s.physical_id = localaws::uuid_v4();
    s.attributes["Id"] = s.physical_id;
  } else if (type == "AWS::ApiGatewayV2::Api") {
    const std::string id = current ? current->physical_id : random_suffix(10, true);
    std::uint16_t port = 0;
    if (current) port = static_cast<std::uint16_t>(std::stoi(current->attributes.at("gust:Port")));
    auto opened = runtime_.open_api(id, port);
    if (!opened) return Unexpected{failed(fmt::format("cannot serve HTTP API {} on loopback: {}", id, opened.error().message))};
    s.physical_id = id;
    s.attributes["ApiId"] = id;
    s.attributes["gust:Port"] = std::to_string(*opened);
    s.attributes["ApiEndpoint"] = fmt::format("http://127.0.0.1:{}", *opened);
  } else if (type == "AWS::ApiGatewayV2::Integration" || type == "AWS::ApiGatewayV2::Route") {
    if (!current) s.physical_id = random_suffix(7, true);
    s.attributes[type == "AWS::ApiGatewayV2::Route" ? "RouteId" : "IntegrationId"] = s.physical_id;
  } else if (type == "AWS::ApiGatewayV2::Stage") {
    s.physical_id = text_property(p, "StageName");
  } else if (type == "AWS::Scheduler::Schedule") {
    const std::string expression = text_property(p, "ScheduleExpression");
    if (!manifest::parse_schedule_expression(expression))
      return Unexpected{failed(fmt::format("Resource handler returned message: \"Invalid Schedule Expression {}.\"", expression))};
    const std::string name = current ? current->physical_id : name_or(p, "Name", generated_name(stack, s.logical_id, 64));
    s.physical_id = name;
    s.attributes["Arn"] = fmt::format("arn:aws:scheduler:{}:{}:schedule/{}/{}", region, account,
                                      text_property(p, "GroupName").empty() ? "default" : text_property(p, "GroupName"), name);
  } else if (type == "AWS::S3::BucketPolicy") {
    s.physical_id = text_property(p, "Bucket");
  } else {
    // Recorded only: permissions, async invoke configs, policies.
    if (!current) s.physical_id = fmt::format("{}-{}-{}", stack, s.logical_id, random_suffix(12, false));
    s.attributes["Id"] = s.physical_id;
  }
  s.updated_ms = localaws::now_ms();
  return s;
}

Result<void> Provisioner::remove(const ResourceState& s) {
  const std::string& type = s.type;
  if (type == "AWS::DynamoDB::Table") {
    auto res = aws_.dynamodb().call_operation("DeleteTable", json::serialize(json::object{{"TableName", s.physical_id}}));
    if (res.status != 200 && res.body.find("ResourceNotFoundException") == std::string::npos) return Unexpected{failed(error_message(res.body))};
  } else if (type == "AWS::S3::Bucket") {
    auto res = localaws::call(aws_.s3(), internal_request("DELETE", "/" + localaws::url_encode(s.physical_id), "s3", options_.region));
    if (res.status != 204 && res.status != 200 && res.status != 404)
      return Unexpected{failed(fmt::format("Resource handler returned message: \"{}\"", error_message(res.body)))};
  } else if (type == "AWS::SQS::Queue") {
    aws_.sqs().call_operation("DeleteQueue", json::serialize(json::object{{"QueueUrl", s.physical_id}}), options_.services_host);
  } else if (type == "AWS::SNS::Topic") {
    aws_.sns().call_action({{"Action", "DeleteTopic"}, {"TopicArn", s.physical_id}});
  } else if (type == "AWS::SNS::Subscription") {
    aws_.sns().call_action({{"Action", "Unsubscribe"}, {"SubscriptionArn", s.physical_id}});
  } else if (type == "AWS::Logs::LogGroup") {
    logs_.delete_group(s.physical_id);
  } else if (type == "AWS::ApiGatewayV2::Api") {
    runtime_.close_api(s.physical_id);
  }
  // Functions, mappings, routes and schedules stop running when the runtime is next applied.
  return {};
}

void Provisioner::restore(const ResourceState& s) {
  if (s.type == "AWS::ApiGatewayV2::Api") {
    auto port = s.attributes.find("gust:Port");
    (void)runtime_.open_api(s.physical_id, port == s.attributes.end() ? 0 : static_cast<std::uint16_t>(std::stoi(port->second)));
  }
}

}  // namespace gust::devcloud::target
