#pragma once
// `gust deploy` and `gust diff`: package the app, synthesize its template
// for a stage, upload both to the deployment bucket, and apply the template
// to the stack `<app>-<stage>` through a change set (deploy/apply.hpp).
// docs/deploy.md walks through it.
//
//   auto target = deploy::connect(aws::Environment::process());
//   ConsoleSink sink(stdout, isatty(1));
//   auto result = deploy::deploy(*target, {.package = ..., .stage = "dev"}, sink);

#include "deploy/apply.hpp"
#include "deploy/package.hpp"
#include "deploy/target.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace gust::deploy {

// CloudFormation takes templates up to this size inline; larger ones go by TemplateURL.
inline constexpr std::size_t kMaxInlineTemplateBytes = 51200;

struct DeployOptions {
  PackageOptions package;   // package.build.dir is the project
  std::string stage = "dev";
  bool execute = true;      // false: gust diff
  std::chrono::seconds max_wait{3600};
};

struct DeployResult {
  std::string app;
  std::string stack_name;
  Package package;
  std::string artifact_key;
  bool artifact_uploaded = false;  // false: the same bytes were already there
  bool template_by_url = false;
  ApplyResult apply;
};

Result<DeployResult> deploy(const Target& target, const DeployOptions& options, Sink& sink);

// The URL CloudFormation reads an object of the deployment bucket from:
// path-style on a configured endpoint, virtual-hosted on AWS.
std::string object_url(const Target& target, std::string_view bucket, std::string_view key);

// The stack's outputs, ApiUrl first, then in the stack's order.
std::vector<aws::StackOutput> ordered_outputs(const aws::Stack& stack);

}  // namespace gust::deploy
