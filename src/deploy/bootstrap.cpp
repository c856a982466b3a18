#include "deploy/bootstrap.hpp"

#include "deploy/stack_operations.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::deploy {
namespace {

Value object(std::initializer_list<std::pair<std::string, Value>> members) {
  Object o;
  for (const auto& [k, v] : members) o.push_back(Member{k, v});
  return Value(std::move(o));
}

}  // namespace

Value bootstrap_template() {
  // Artifacts are keyed by content hash and uploaded once; a stack needs its
  // current artifact only while a deploy (or its rollback) runs. Current
  // objects expire after 90 days, and stay restorable as noncurrent versions 30 more.
  Value lifecycle = object({{"Rules", Array{
      object({{"Id", "ExpireOldArtifacts"}, {"Status", "Enabled"}, {"ExpirationInDays", 90},
              {"NoncurrentVersionExpiration", object({{"NoncurrentDays", 30}})}}),
      object({{"Id", "AbortIncompleteUploads"}, {"Status", "Enabled"},
              {"AbortIncompleteMultipartUpload", object({{"DaysAfterInitiation", 1}})}}),
  }}});
  Value bucket = object({
      {"Type", "AWS::S3::Bucket"},
      // Removing the bootstrap stack must not lose the artifacts deployed stacks point at.
      {"DeletionPolicy", "Retain"},
      {"UpdateReplacePolicy", "Retain"},
      {"Properties", object({
           {"BucketEncryption", object({{"ServerSideEncryptionConfiguration", Array{object({
                {"ServerSideEncryptionByDefault", object({{"SSEAlgorithm", "AES256"}})}})}}})},
           {"PublicAccessBlockConfiguration", object({{"BlockPublicAcls", true}, {"BlockPublicPolicy", true},
                                                      {"IgnorePublicAcls", true}, {"RestrictPublicBuckets", true}})},
           {"OwnershipControls", object({{"Rules", Array{object({{"ObjectOwnership", "BucketOwnerEnforced"}})}}})},
           {"VersioningConfiguration", object({{"Status", "Enabled"}})},
           {"LifecycleConfiguration", lifecycle},
           {"Tags", Array{object({{"Key", "gust:bootstrap"}, {"Value", "deployment-bucket"}})}},
       })},
  });
  Value tls_only = object({
      {"Type", "AWS::S3::BucketPolicy"},
      {"Properties", object({
           {"Bucket", synth::cfn_ref("DeploymentBucket")},
           {"PolicyDocument", object({
                {"Version", "2012-10-17"},
                {"Statement", Array{object({
                     {"Sid", "DenyInsecureTransport"},
                     {"Effect", "Deny"},
                     {"Principal", "*"},
                     {"Action", "s3:*"},
                     {"Resource", Array{synth::get_att("DeploymentBucket", "Arn"), synth::sub("${DeploymentBucket.Arn}/*")}},
                     {"Condition", object({{"Bool", object({{"aws:SecureTransport", "false"}})}})},
                 })}},
            })},
       })},
  });
  return object({
      {"AWSTemplateFormatVersion", "2010-09-09"},
      {"Description", "gust bootstrap: the deployment bucket for gust deploy (one per account and region)"},
      {"Resources", object({{"DeploymentBucket", bucket}, {"DeploymentBucketPolicy", tls_only}})},
      {"Outputs", object({{std::string(kBucketOutput), object({{"Description", "The deployment bucket"},
                                                               {"Value", synth::cfn_ref("DeploymentBucket")}})}})},
  });
}

Result<ApplyResult> bootstrap(const Target& target, Sink& sink) {
  aws::CloudFormationClient cfn(target.config);
  StackSpec spec;
  spec.stack_name = std::string(kBootstrapStack);
  spec.template_body = to_json_text(bootstrap_template());
  spec.tags = {{"gust:bootstrap", "1"}};
  spec.description = "gust bootstrap";
  return apply_stack(cfn, spec, {}, sink);
}

Result<std::string> find_deployment_bucket(const aws::CloudFormationClient& cfn, const Target& target) {
  auto stack = cfn.describe_stack(kBootstrapStack);
  if (!stack) return Unexpected{std::move(stack).error()};
  const std::string where = fmt::format("account {} in {}", target.identity.account, target.region);
  if (!stack->has_value())
    return unexpected(ErrorCode::failed_precondition,
                      fmt::format("no deployment bucket: {} has no `{}` stack", where, kBootstrapStack),
                      "run `gust bootstrap` once for this account and region, then deploy again");
  for (const auto& o : (*stack)->outputs)
    if (o.key == kBucketOutput && !o.value.empty()) return o.value;
  // A target that keeps no outputs (moto, for stacks made by change sets) still
  // names the bucket: its physical id is its name.
  if (!is_in_progress((*stack)->status) && !(*stack)->status.ends_with("ROLLBACK_COMPLETE")) {
    auto resources = cfn.list_stack_resources((*stack)->id);
    if (!resources) return Unexpected{std::move(resources).error()};
    for (const auto& r : *resources)
      if (r.logical_id == "DeploymentBucket" && !r.physical_id.empty()) return r.physical_id;
  }
  return unexpected(ErrorCode::failed_precondition,
                    fmt::format("the `{}` stack of {} is in {} and names no deployment bucket", kBootstrapStack, where,
                                (*stack)->status),
                    "run `gust bootstrap` again to repair it");
}

}  // namespace gust::deploy
