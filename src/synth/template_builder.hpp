#pragma once
// The pieces synth assembles a template from: intrinsic functions and a
// builder that collects resources and outputs in a stable order.

#include "manifest/manifest.hpp"
#include "synth/synth.hpp"

#include <gust/value.hpp>

#include <map>
#include <string>
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

inline Value tag_list(std::vector<std::pair<std::string, std::string>> tags) {
  Array out;
  for (auto& [k, v] : tags) {
    Value t;
    t["Key"] = k;
    t["Value"] = v;
    out.push_back(std::move(t));
  }
  return out;
}

struct TemplateBuilder {
  const manifest::Manifest& manifest;
  const SynthOptions& options;
  Value resources = Object{};
  Value outputs = Object{};
  // Physical-name expressions by resource id (what the functions' variables carry).
  std::map<std::string, Value, std::less<>> resource_values;
  // The consumer of each queue (for the visibility timeout) and the object handlers of each bucket.
  std::map<std::string, const manifest::Function*, std::less<>> consumers;
  std::map<std::string, std::vector<const manifest::Function*>, std::less<>> object_handlers;

  // Adds a resource; `extra` may carry DependsOn, DeletionPolicy, UpdateReplacePolicy.
  Value& add(const std::string& logical_id, std::string_view type, Value properties, Value extra = Object{}) {
    Value r;
    r["Type"] = type;
    if (extra.kind() == Value::Kind::object) {
      for (auto& m : extra.as_object()) r[m.key] = std::move(m.value);
    }
    r["Properties"] = std::move(properties);
    resources[logical_id] = std::move(r);
    return resources[logical_id];
  }

  void output(const std::string& name, Value value, std::string_view description) {
    Value o;
    o["Description"] = description;
    o["Value"] = std::move(value);
    outputs[name] = std::move(o);
  }

  std::vector<std::pair<std::string, std::string>> tags() const {
    return {{"gust:app", manifest.app}, {"gust:stage", options.stage}};
  }
};

// resources.cpp
void add_table(TemplateBuilder& b, const manifest::Resource& r);
void add_bucket(TemplateBuilder& b, const manifest::Resource& r);
void add_queue(TemplateBuilder& b, const manifest::Resource& r);
void add_topic(TemplateBuilder& b, const manifest::Resource& r);
// The ARN expression for an IAM statement's scope on a resource.
Value scope_arn(const TemplateBuilder& b, const manifest::Resource& r, std::string_view scope);

// functions.cpp
void add_function(TemplateBuilder& b, const manifest::Function& fn);

// triggers.cpp
void add_http_api(TemplateBuilder& b);
void add_trigger(TemplateBuilder& b, const manifest::Function& fn);

}  // namespace gust::synth
