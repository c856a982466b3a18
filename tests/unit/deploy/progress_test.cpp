// How the change set and the progress line read, and which event explains a failure.
#include "deploy/progress.hpp"

#include "deploy/apply.hpp"
#include "deploy/stack_operations.hpp"

#include <gtest/gtest.h>

namespace gust::deploy {
namespace {

std::vector<aws::ResourceChange> sample_changes() {
  return {{"Add", "JobsQueue", "", "AWS::SQS::Queue", "", {}},
          {"Modify", "GetTodosFunction", "todo-dev-GetTodosFunction-AbC", "AWS::Lambda::Function", "False", {"Properties"}},
          {"Modify", "TodosTable", "todo-dev-TodosTable-X", "AWS::DynamoDB::Table", "True", {"Properties"}},
          {"Remove", "OldRole", "todo-dev-OldRole-Y", "AWS::IAM::Role", "", {}}};
}

TEST(RenderChanges, OneAlignedLinePerResourceAndATotal) {
  const std::string plain = render_changes(sample_changes(), false);
  EXPECT_EQ(plain,
            "  + Add     JobsQueue         AWS::SQS::Queue\n"
            "  ~ Modify  GetTodosFunction  AWS::Lambda::Function\n"
            "  ~ Modify  TodosTable        AWS::DynamoDB::Table  replacement\n"
            "  - Remove  OldRole           AWS::IAM::Role\n"
            "  1 to add, 2 to modify (1 replaced), 1 to remove\n");
  EXPECT_EQ(plain.find("\x1b["), std::string::npos);
}

TEST(RenderChanges, ReplacementIsRedOnATerminal) {
  const std::string colored = render_changes(sample_changes(), true);
  EXPECT_NE(colored.find("\x1b[31mreplacement\x1b[0m"), std::string::npos);
  // Only the replaced resource is colored.
  EXPECT_EQ(colored.find("\x1b[31m"), colored.rfind("\x1b[31m"));
}

TEST(RenderProgress, DoneTotalElapsedAndCurrent) {
  StackProgress p;
  p.operation = "deploying";
  p.done = 12;
  p.total = 77;
  p.elapsed = std::chrono::milliseconds(74'500);
  p.current = "GetTodosFunction";
  p.current_type = "AWS::Lambda::Function";
  EXPECT_EQ(render_progress(p), "deploying 12/77 resources  01:14  GetTodosFunction (AWS::Lambda::Function)");
  p.total = 0;
  p.current.clear();
  EXPECT_EQ(render_progress(p), "deploying 12 resources  01:14");
}

aws::StackEvent event(std::string id, std::string type, std::string status, std::string reason) {
  aws::StackEvent e;
  e.logical_id = std::move(id);
  e.resource_type = std::move(type);
  e.status = std::move(status);
  e.status_reason = std::move(reason);
  return e;
}

TEST(FirstFailure, SkipsCancellationsAndTheStackItself) {
  const std::vector<aws::StackEvent> events = {
      event("todo-dev", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated"),
      event("GetTodosRole", "AWS::IAM::Role", "CREATE_FAILED", "Resource creation cancelled"),
      event("TodosTable", "AWS::DynamoDB::Table", "CREATE_FAILED", "Invalid KeySchema"),
      event("todo-dev", "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [TodosTable]"),
      event("OtherTable", "AWS::DynamoDB::Table", "DELETE_FAILED", "later"),
  };
  auto f = first_failure(events);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->logical_id, "TodosTable");
  EXPECT_EQ(f->status_reason, "Invalid KeySchema");
  EXPECT_FALSE(first_failure({events[0]}));
}

TEST(ExplainFailure, RolledBackCreateSaysHowToGetOut) {
  ApplyResult r;
  r.stack = aws::Stack{};
  r.stack->name = "todo-dev";
  r.stack->status = "ROLLBACK_COMPLETE";
  r.failure = event("TodosTable", "AWS::DynamoDB::Table", "CREATE_FAILED", "Invalid KeySchema");
  const std::string text = explain_failure(r);
  EXPECT_EQ(text.find("TodosTable (AWS::DynamoDB::Table) failed: Invalid KeySchema\n"), 0u);
  EXPECT_NE(text.find("ROLLBACK_COMPLETE"), std::string::npos);
  EXPECT_NE(text.find("gust remove"), std::string::npos);
  r.stack->status = "UPDATE_ROLLBACK_COMPLETE";
  EXPECT_NE(explain_failure(r).find("back on its previous version"), std::string::npos);
}

TEST(ChangeSetName, StartsWithALetterAndUsesOnlyAllowedCharacters) {
  const auto t = std::chrono::sys_days(std::chrono::year(2026) / 11 / 27) + std::chrono::hours(0) + std::chrono::minutes(15);
  EXPECT_EQ(change_set_name(t), "gust-20261127T001500Z");
}

}  // namespace
}  // namespace gust::deploy
