// The bootstrap stack's bucket is private, encrypted and expires old artifacts;
// `gust remove` lists what the template retains.
#include "deploy/bootstrap.hpp"

#include "deploy/remove.hpp"

#include <gtest/gtest.h>

namespace gust::deploy {
namespace {

const Value& at(const Value& v, std::initializer_list<std::string_view> path) {
  const Value* cur = &v;
  for (auto key : path) {
    cur = cur->find(key);
    if (cur == nullptr) throw std::runtime_error("missing " + std::string(key));
  }
  return *cur;
}

TEST(BootstrapTemplate, BucketIsEncryptedPrivateAndExpiresOldArtifacts) {
  const Value t = bootstrap_template();
  const Value& props = at(t, {"Resources", "DeploymentBucket", "Properties"});
  EXPECT_EQ(at(props, {"BucketEncryption", "ServerSideEncryptionConfiguration"}).as_array().at(0),
            parse_json(R"({"ServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}})").value());
  for (auto flag : {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"})
    EXPECT_TRUE(at(props, {"PublicAccessBlockConfiguration", flag}).as_bool()) << flag;
  const Array& rules = at(props, {"LifecycleConfiguration", "Rules"}).as_array();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(at(rules[0], {"ExpirationInDays"}), Value(90));
  EXPECT_EQ(at(rules[0], {"NoncurrentVersionExpiration", "NoncurrentDays"}), Value(30));
  EXPECT_EQ(at(rules[1], {"AbortIncompleteMultipartUpload", "DaysAfterInitiation"}), Value(1));
  EXPECT_EQ(at(t, {"Resources", "DeploymentBucketPolicy", "Properties", "PolicyDocument", "Statement"}).as_array().at(0).find("Effect")->as_string(),
            "Deny");
  EXPECT_EQ(at(t, {"Outputs", kBucketOutput, "Value"}), parse_json(R"({"Ref":"DeploymentBucket"})").value());
}

TEST(RetainedResources, ListsOnlyDeletionPolicyRetain) {
  const auto kept = retained_resources(R"({"Resources":{
      "TodosTable":{"Type":"AWS::DynamoDB::Table","DeletionPolicy":"Retain"},
      "JobsQueue":{"Type":"AWS::SQS::Queue"},
      "Files":{"Type":"AWS::S3::Bucket","DeletionPolicy":"Delete"},
      "Photos":{"Type":"AWS::S3::Bucket","DeletionPolicy":"Retain","UpdateReplacePolicy":"Retain"}}})");
  EXPECT_EQ(kept, (std::vector<std::string>{"TodosTable", "Photos"}));
  EXPECT_TRUE(retained_resources("not json").empty());
}

}  // namespace
}  // namespace gust::deploy
