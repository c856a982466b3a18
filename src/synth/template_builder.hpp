#pragma once
// What the parts of synth share: intrinsic functions, the builder that
// collects resources and outputs in a stable order, and one entry point per
// part of the template (one .cpp each).

#include "manifest/manifest.hpp"
#include "synth/synth.hpp"

#include <gust/value.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gust::synth {

inline Value cfn_ref(std::string_view logical_id) {
  Value v;
  v["Ref"] = logical_id;
  return v;
}

inline Value get_att(std::string_view logical_id, std::string_view attribute) {
  Value v;
  v["Fn::GetAtt"] = Array{Value(logical_id), Value(attribute)};
  return v;
}

inline Value sub(std::string_view text) {
  Value v;
  v["Fn::Sub"] = text;
  return v;
}

// Fn::Sub with its own variables: {"Fn::Sub": [text, {name: value, ...}]}.
inline Value sub(std::string_view text, Value variables) {
  Value v;
  v["Fn::Sub"] = Array{Value(text), std::move(variables)};
  return v;
}

inline Value policy_document(Array statements) {
  Value doc;
  doc["Version"] = "2012-10-17";
  doc["Statement"] = std::move(statements);
  return doc;
}

class TemplateBuilder {
 public:
  TemplateBuilder(const manifest::Manifest& m, const SynthOptions& o);

  const manifest::Manifest& manifest;
  const SynthOptions& options;

  // The JSON path of the declaration being synthesized ("functions[2]"),
  // named by the error when two declarations produce the same logical id.
  std::string where;

  // Indexed once: the consumers of each queue (its visibility timeout) and
  // the object handlers of each bucket (its notifications and its name).
  std::map<std::string, std::vector<const manifest::Function*>, std::less<>> consumers;
  std::map<std::string, std::vector<const manifest::Function*>, std::less<>> object_handlers;

  // Adds a resource; `attributes` may carry DependsOn, DeletionPolicy, UpdateReplacePolicy.
  void add(const std::string& logical_id, std::string_view type, Value properties, Value attributes = Object{});
  void output(const std::string& name, Value value, std::string_view description);

  // The gust:app / gust:stage tags, as a CloudFormation tag list and as a map.
  Value tag_list() const;
  Value tag_map() const;

  // The template, or the first logical-id collision.
  Result<Value> finish(Value parameters) &&;

 private:
  Value resources_ = Object{};
  Value outputs_ = Object{};
  std::map<std::string, std::string, std::less<>> owners_;  // logical id -> the path that made it
  std::optional<Error> problem_;
};

// Each part of the template (one file each).
void add_table(TemplateBuilder& b, const manifest::Resource& r);    // tables.cpp
void add_bucket(TemplateBuilder& b, const manifest::Resource& r);   // buckets.cpp
void add_queue(TemplateBuilder& b, const manifest::Resource& r);    // queues.cpp
void add_topic(TemplateBuilder& b, const manifest::Resource& r);    // topics.cpp
void add_function(TemplateBuilder& b, const manifest::Function& fn);  // functions.cpp
void add_http_api(TemplateBuilder& b);                                 // http_api.cpp
void add_route(TemplateBuilder& b, const manifest::Function& fn);      // http_api.cpp
void add_consumer(TemplateBuilder& b, const manifest::Function& fn);   // queues.cpp
void add_subscriber(TemplateBuilder& b, const manifest::Function& fn); // topics.cpp
void add_schedule(TemplateBuilder& b, const manifest::Function& fn);   // schedules.cpp
void add_object_handler(TemplateBuilder& b, const manifest::Function& fn);  // buckets.cpp

// Lambda's retries of asynchronous invocations (topics, buckets, schedules). functions.cpp
void add_async_config(TemplateBuilder& b, const manifest::Function& fn);
// lambda:InvokeFunction for a service principal from one source. functions.cpp
void add_invoke_permission(TemplateBuilder& b, const std::string& logical_id, const manifest::Function& fn,
                           std::string_view principal, Value source_arn, bool with_source_account);

// DeletionPolicy and UpdateReplacePolicy of a resource that holds data. tables.cpp
Value retention_attributes(bool retain);
// What a function's variable for `r` carries: the table or bucket name, the
// queue URL, the topic ARN. functions.cpp
Value resource_variable(const TemplateBuilder& b, const manifest::Resource& r);
// A bucket's name and ARN. A bucket that notifies a function has a name made
// from the stack's id, so neither needs a Ref to the bucket. buckets.cpp
Value bucket_name(const TemplateBuilder& b, const manifest::Resource& r);
Value bucket_arn(const TemplateBuilder& b, const manifest::Resource& r, bool objects);
// The ARN an IAM statement's scope names on `r`. iam.cpp
Value scope_arn(const TemplateBuilder& b, const manifest::Resource& r, std::string_view scope);

}  // namespace gust::synth
