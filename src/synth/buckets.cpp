// Buckets: encrypted, public access blocked, owner-enforced, a policy that
// denies anything but TLS; and the object-created notifications to their
// handlers, each saved after the permission that lets S3 invoke the handler.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::synth {
namespace {

bool notifies(const TemplateBuilder& b, const manifest::Resource& r) { return b.object_handlers.contains(r.id); }

// The stack's own id ("arn:...:stack/NAME/UUID" -> UUID): unique per stack, so
// stages coexist and a retained bucket of a removed stack never blocks a new one.
Value stack_uuid() {
  Value split;
  split["Fn::Split"] = Array{Value("/"), cfn_ref("AWS::StackId")};
  Value select;
  select["Fn::Select"] = Array{Value(2), std::move(split)};
  Value variables;
  variables["StackUuid"] = std::move(select);
  return variables;
}

Value s3_key_rule(std::string_view name, std::string_view value) {
  Value rule;
  rule["Name"] = name;
  rule["Value"] = value;
  return rule;
}

}  // namespace

// A bucket that notifies a function cannot be named by Ref wherever the
// function needs it (its variable, its role, its permission): bucket ->
// notification -> function -> variable -> bucket is a cycle. So it gets a
// name of our own: "APP-BUCKET-" + the stack's UUID.
Value bucket_name(const TemplateBuilder& b, const manifest::Resource& r) {
  if (!notifies(b, r)) return cfn_ref(bucket_id(r.id));
  return sub(bucket_name_prefix(b.manifest.app, r.id) + "-${StackUuid}", stack_uuid());
}

Value bucket_arn(const TemplateBuilder& b, const manifest::Resource& r, bool objects) {
  const std::string suffix = objects ? "/*" : "";
  if (!notifies(b, r)) return objects ? sub(fmt::format("${{{}.Arn}}/*", bucket_id(r.id))) : get_att(bucket_id(r.id), "Arn");
  return sub(fmt::format("arn:${{AWS::Partition}}:s3:::{}-${{StackUuid}}{}", bucket_name_prefix(b.manifest.app, r.id), suffix),
             stack_uuid());
}

void add_bucket(TemplateBuilder& b, const manifest::Resource& r) {
  const std::string id = bucket_id(r.id);
  Value props;
  if (notifies(b, r)) props["BucketName"] = bucket_name(b, r);
  Value encryption;
  encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] = "AES256";
  props["BucketEncryption"]["ServerSideEncryptionConfiguration"] = Array{std::move(encryption)};
  Value block;
  block["BlockPublicAcls"] = true;
  block["BlockPublicPolicy"] = true;
  block["IgnorePublicAcls"] = true;
  block["RestrictPublicBuckets"] = true;
  props["PublicAccessBlockConfiguration"] = std::move(block);
  Value ownership;
  ownership["ObjectOwnership"] = "BucketOwnerEnforced";
  props["OwnershipControls"]["Rules"] = Array{std::move(ownership)};
  Value attributes = retention_attributes(r.retain);
  if (auto handlers = b.object_handlers.find(r.id); handlers != b.object_handlers.end()) {
    Array configurations;
    Array depends;
    for (const auto* fn : handlers->second) {
      Value c;
      c["Event"] = "s3:ObjectCreated:*";
      c["Function"] = get_att(function_id(fn->id), "Arn");
      Array rules;
      if (!fn->trigger.prefix.empty()) rules.push_back(s3_key_rule("prefix", fn->trigger.prefix));
      if (!fn->trigger.suffix.empty()) rules.push_back(s3_key_rule("suffix", fn->trigger.suffix));
      if (!rules.empty()) c["Filter"]["S3Key"]["Rules"] = std::move(rules);
      configurations.push_back(std::move(c));
      // S3 checks that it may invoke the function when the notification is saved.
      depends.emplace_back(bucket_permission_id(fn->id));
    }
    props["NotificationConfiguration"]["LambdaConfigurations"] = std::move(configurations);
    attributes["DependsOn"] = std::move(depends);
  }
  props["Tags"] = b.tag_list();
  b.add(id, "AWS::S3::Bucket", std::move(props), std::move(attributes));

  // The policy names the bucket by Ref: it must wait for the bucket, and no cycle runs through it.
  Value statement;
  statement["Sid"] = "DenyInsecureTransport";
  statement["Effect"] = "Deny";
  statement["Principal"]["AWS"] = "*";
  statement["Action"] = "s3:*";
  statement["Resource"] = Array{get_att(id, "Arn"), sub(fmt::format("${{{}.Arn}}/*", id))};
  statement["Condition"]["Bool"]["aws:SecureTransport"] = "false";
  Value policy;
  policy["Bucket"] = cfn_ref(id);
  policy["PolicyDocument"] = policy_document(Array{std::move(statement)});
  b.add(bucket_policy_id(r.id), "AWS::S3::BucketPolicy", std::move(policy));
  b.output(id + "Name", cfn_ref(id), fmt::format("Name of bucket \"{}\"", r.id));
}

void add_object_handler(TemplateBuilder& b, const manifest::Function& fn) {
  const manifest::Resource* bucket = b.manifest.find_resource(fn.trigger.resource);
  // The bucket's notification (add_bucket) depends on this permission.
  add_invoke_permission(b, bucket_permission_id(fn.id), fn, "s3.amazonaws.com", bucket_arn(b, *bucket, false), true);
  add_async_config(b, fn);
}

}  // namespace gust::synth
