#include "app/describe.hpp"

#include "test_records.hpp"

#include <gtest/gtest.h>

#include <set>

namespace gust::detail {
namespace {

using app_test::Todo;

std::set<std::string> actions_on(const manifest::Function& f, std::string_view scope) {
  std::set<std::string> out;
  for (const auto& g : f.grants) {
    for (const auto& s : g.statements) {
      if (s.scope == scope) out.insert(s.actions.begin(), s.actions.end());
    }
  }
  return out;
}

TEST(Permissions, EachGrantRecordsExactActionsOnItsScope) {
  App app{"p"};
  auto todos = app.table<Todo>("todos", &Todo::id);
  auto by_list = todos.index("by-list", &Todo::list);
  auto files = app.bucket("files");
  auto q = app.queue<Todo>("q");
  auto topic = app.topic<Todo>("t");
  app.get("/r", reads(todos), [](const Request&, TableReader<Todo>) { return Response(); });
  app.get("/w", writes(todos), [](const Request&, TableWriter<Todo>) { return Response(); });
  app.get("/i", reads(by_list), [](const Request&, IndexReader<Todo>) { return Response(); });
  app.get("/br", reads(files), [](const Request&, BucketReader) { return Response(); });
  app.get("/bw", writes(files), [](const Request&, BucketWriter) { return Response(); });
  app.get("/s", sends(q), publishes(topic), [](const Request&, QueueSender<Todo>, TopicPublisher<Todo>) { return Response(); });
  app.consume(q, [](const Todo&) {});
  auto d = describe(app.state());
  ASSERT_TRUE(d.errors.empty());
  const auto& f = d.manifest.functions;
  using S = std::set<std::string>;
  EXPECT_EQ(actions_on(f[0], "table"), (S{"dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"}));
  EXPECT_EQ(actions_on(f[1], "table"), (S{"dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}));
  EXPECT_EQ(actions_on(f[2], "index/by-list"), (S{"dynamodb:Query", "dynamodb:Scan"}));
  EXPECT_TRUE(actions_on(f[2], "table").empty()) << "an index grant gives nothing on the table itself";
  EXPECT_EQ(actions_on(f[3], "objects"), (S{"s3:GetObject"}));
  EXPECT_EQ(actions_on(f[3], "bucket"), (S{"s3:ListBucket"}));
  EXPECT_EQ(actions_on(f[4], "objects"), (S{"s3:AbortMultipartUpload", "s3:DeleteObject", "s3:PutObject"}));
  EXPECT_TRUE(actions_on(f[4], "bucket").empty());
  EXPECT_EQ(actions_on(f[5], "queue"), (S{"sqs:SendMessage"}));
  EXPECT_EQ(actions_on(f[5], "topic"), (S{"sns:Publish"}));
  EXPECT_EQ(actions_on(f[6], "queue"), (S{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"}));
}

TEST(Permissions, NoWildcardsAnywhere) {
  App app{"p"};
  auto todos = app.table<Todo>("todos", &Todo::id);
  auto files = app.bucket("files");
  app.get("/x", reads_writes(todos), reads_writes(files),
          [](const Request&, TableReadWriter<Todo>, BucketReadWriter) { return Response(); });
  auto d = describe(app.state());
  ASSERT_TRUE(d.errors.empty());
  for (const auto& g : d.manifest.functions[0].grants) {
    for (const auto& s : g.statements) {
      for (const auto& a : s.actions) EXPECT_EQ(a.find('*'), std::string::npos) << a;
    }
  }
}

}  // namespace
}  // namespace gust::detail
