#pragma once
// Synth: manifest -> CloudFormation template, a pure function. Every
// function gets its own role holding exactly its grants' IAM actions on
// exactly the granted resources, its own log group, and the environment
// variables that carry the physical names of what it may touch.
// docs/synth.md describes the template's shape.

#include "manifest/manifest.hpp"

#include <gust/result.hpp>
#include <gust/value.hpp>

#include <string>

namespace gust::synth {

struct SynthOptions {
  std::string stage = "dev";  // tags and descriptions only: physical names are CloudFormation's
  int log_retention_days = 14;
};

// The template as a document (ordered members: stable, diffable output).
Result<Value> synthesize(const manifest::Manifest& manifest, const SynthOptions& options);

// Where the declaration a synth error points at was written: the "source"
// ("main.cpp:12") of the function or resource at the start of `json_path`
// ("functions[3].grants[0].resource"), or "" when the manifest does not say.
std::string declared_at(const manifest::Manifest& manifest, std::string_view json_path);

// The same document as YAML (CloudFormation accepts both), with intrinsic
// functions in their short form (!Ref, !GetAtt, !Sub).
std::string to_yaml(const Value& document);

// A short human summary: functions, routes, resources, and per function the
// IAM actions it holds on which resource.
std::string summarize(const manifest::Manifest& manifest);

}  // namespace gust::synth
