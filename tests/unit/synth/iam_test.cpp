#include "synth/iam.hpp"

#include "synth/logical_ids.hpp"
#include "synth/synth.hpp"
#include "synth_test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

namespace gust::synth {
namespace {

using testing::load;
using testing::resource;
using ::testing::ElementsAre;

using ActionSet = std::set<std::string>;

ActionSet action_set(const Value& v) {
  ActionSet out;
  if (v.kind() == Value::Kind::string) out.insert(v.as_string());
  if (v.kind() == Value::Kind::array) {
    for (const auto& a : v.as_array()) out.insert(a.as_string());
  }
  return out;
}

// The policy statements of a function's role, except the one for its own logs.
std::vector<const Value*> grant_statements(const Value& t, const manifest::Function& fn) {
  std::vector<const Value*> out;
  for (const auto& policy : resource(t, role_id(fn.id)).find("Properties")->find("Policies")->as_array()) {
    for (const auto& st : policy.find("PolicyDocument")->find("Statement")->as_array()) {
      if (st.find("Sid")->as_string() != "WriteOwnLogs") out.push_back(&st);
    }
  }
  return out;
}

// True when a statement's Resource names exactly `scope` of `r`, written out
// here independently of iam.cpp from the rules in docs/synth.md.
bool names(const manifest::Manifest& m, const Value& statement_resource, const manifest::Resource& r, const std::string& scope) {
  const std::string arn = to_json_text(statement_resource);
  const bool notifying = std::any_of(m.functions.begin(), m.functions.end(), [&](const auto& f) {
    return f.trigger.kind == manifest::TriggerKind::object_created && f.trigger.resource == r.id;
  });
  switch (r.kind) {
    case manifest::ResourceKind::table:
      if (scope == "table") return arn == R"({"Fn::GetAtt":[")" + table_id(r.id) + R"(","Arn"]})";
      return arn == R"({"Fn::Sub":"${)" + table_id(r.id) + ".Arn}/" + scope + "\"}";
    case manifest::ResourceKind::bucket: {
      const std::string tail = scope == "objects" ? "/*" : "";
      if (notifying) return arn.find(":s3:::" + bucket_name_prefix(m.app, r.id) + "-${StackUuid}" + tail + "\"") != std::string::npos;
      if (scope == "objects") return arn == R"({"Fn::Sub":"${)" + bucket_id(r.id) + ".Arn}/*\"}";
      return arn == R"({"Fn::GetAtt":[")" + bucket_id(r.id) + R"(","Arn"]})";
    }
    case manifest::ResourceKind::queue: return arn == R"({"Fn::GetAtt":[")" + queue_id(r.id) + R"(","Arn"]})";
    case manifest::ResourceKind::topic: return arn == R"({"Ref":")" + topic_id(r.id) + "\"}";
  }
  return false;
}

class RolePolicies : public ::testing::TestWithParam<std::string> {};

TEST_P(RolePolicies, EveryStatementHoldsExactlyTheUnionOfTheGrantsOnItsResource) {
  const manifest::Manifest m = load(GetParam());
  auto t = synthesize(m, {});
  ASSERT_TRUE(t) << t.error().describe();
  for (const auto& fn : m.functions) {
    // What the grants give, per (resource, scope).
    std::map<std::pair<std::string, std::string>, ActionSet> expected;
    for (const auto& g : fn.grants) {
      for (const auto& s : g.statements) expected[{g.resource, s.scope}].insert(s.actions.begin(), s.actions.end());
    }
    std::map<std::pair<std::string, std::string>, ActionSet> held;
    for (const Value* st : grant_statements(*t, fn)) {
      EXPECT_EQ(st->find("Effect")->as_string(), "Allow");
      int matches = 0;
      for (const auto& [key, actions] : expected) {
        if (!names(m, *st->find("Resource"), *m.find_resource(key.first), key.second)) continue;
        ++matches;
        EXPECT_TRUE(held.emplace(key, action_set(*st->find("Action"))).second) << fn.id << ": two statements on " << key.first << " " << key.second;
      }
      EXPECT_EQ(matches, 1) << fn.id << ": statement on " << to_json_text(*st->find("Resource")) << " names no granted scope";
    }
    EXPECT_EQ(held, expected) << fn.id;
  }
}

TEST_P(RolePolicies, AllActionsOfARoleAreTheUnionOfItsFunctionsGrants) {
  const manifest::Manifest m = load(GetParam());
  auto t = synthesize(m, {});
  ASSERT_TRUE(t);
  for (const auto& fn : m.functions) {
    ActionSet granted;
    for (const auto& g : fn.grants) {
      for (const auto& s : g.statements) granted.insert(s.actions.begin(), s.actions.end());
    }
    ActionSet held;
    for (const Value* st : grant_statements(*t, fn)) {
      auto a = action_set(*st->find("Action"));
      held.insert(a.begin(), a.end());
    }
    EXPECT_EQ(held, granted) << fn.id;
  }
}

// Every string anywhere in a document.
void collect_strings(const Value& v, std::vector<std::string>& out) {
  if (v.kind() == Value::Kind::string) out.push_back(v.as_string());
  if (v.kind() == Value::Kind::array) for (const auto& x : v.as_array()) collect_strings(x, out);
  if (v.kind() == Value::Kind::object) for (const auto& m : v.as_object()) collect_strings(m.value, out);
}

TEST_P(RolePolicies, NoWildcardActionOrResourceInAnyRoleOrPermission) {
  const manifest::Manifest m = load(GetParam());
  auto t = synthesize(m, {});
  ASSERT_TRUE(t);
  for (const auto& r : t->find("Resources")->as_object()) {
    const std::string type = r.value.find("Type")->as_string();
    if (type == "AWS::IAM::Role") {
      for (const auto& policy : r.value.find("Properties")->find("Policies")->as_array()) {
        for (const auto& st : policy.find("PolicyDocument")->find("Statement")->as_array()) {
          for (const auto& a : action_set(*st.find("Action"))) EXPECT_EQ(a.find('*'), std::string::npos) << r.key << ": " << a;
          std::vector<std::string> strings;
          collect_strings(*st.find("Resource"), strings);
          for (const auto& s : strings) {
            // Only the objects of one bucket end in "/*"; nothing else may hold a '*'.
            const std::string_view rest = std::string_view(s).substr(0, s.ends_with("/*") ? s.size() - 2 : s.size());
            EXPECT_EQ(rest.find('*'), std::string::npos) << r.key << ": " << s;
            EXPECT_NE(s, "*") << r.key;
          }
        }
      }
    }
    if (type == "AWS::Lambda::Permission") {
      EXPECT_NE(r.value.find("Properties")->find("SourceArn"), nullptr) << r.key << ": a permission without a source";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Manifests, RolePolicies, ::testing::Values("todo", "every_kind", "hello"));

TEST(PolicyStatements, MergesGrantsOnTheSameScopeIntoOneSortedStatement) {
  const manifest::Manifest m = load("every_kind");
  const auto statements = policy_statements(*m.find_function("post-orders"));
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].sid, "OrdersTable");
  EXPECT_THAT(statements[0].actions,
              ElementsAre("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                          "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem"));
  EXPECT_EQ(statements[1].sid, "JobsQueue");
  EXPECT_EQ(statements[2].sid, "UploadsObjects");
}

TEST(PolicyStatements, KeepsTableAndIndexScopesApart) {
  const manifest::Manifest m = load("every_kind");
  const auto statements = policy_statements(*m.find_function("get-orders-customer"));
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].scope, "table");
  EXPECT_EQ(statements[1].scope, "index/by-status");
  EXPECT_EQ(statements[1].sid, "OrdersIndexByStatus");
  EXPECT_THAT(statements[1].actions, ElementsAre("dynamodb:Query", "dynamodb:Scan"));
}

TEST(PolicyStatements, SidsStayUniqueWhenNamesFoldTogether) {
  manifest::Function fn;
  fn.grants = {{"a-b", "send", {{{"sqs:SendMessage"}, "queue"}}}, {"a_b", "send", {{{"sqs:SendMessage"}, "queue"}}}};
  const auto statements = policy_statements(fn);
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0].sid, "ABQueue");
  EXPECT_EQ(statements[1].sid, "ABQueue2");
}

TEST(PolicyStatements, NoGrantsNoStatements) {
  const manifest::Manifest m = load("hello");
  EXPECT_TRUE(policy_statements(m.functions.at(0)).empty());
}

}  // namespace
}  // namespace gust::synth
