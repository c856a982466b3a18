// The CloudFormation answers gust deploy reads, in the wire shapes of the
// query protocol (the API reference's examples, namespaces included).
#include "aws/cloudformation.hpp"

#include <gtest/gtest.h>

namespace gust::aws {
namespace {

constexpr std::string_view kNs = R"(xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/")";

std::string wrap(std::string_view action, std::string_view result) {
  return std::string("<") + std::string(action) + "Response " + std::string(kNs) + "><" + std::string(action) + "Result>" +
         std::string(result) + "</" + std::string(action) + "Result><ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata></" +
         std::string(action) + "Response>";
}

TEST(CloudFormationXml, CreateChangeSetGivesIds) {
  auto r = parse_create_change_set(wrap("CreateChangeSet",
      "<Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/gust-1/1a2345b6</Id>"
      "<StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/todo-dev/1a2345b6-0000</StackId>"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->id, "arn:aws:cloudformation:us-east-1:123456789012:changeSet/gust-1/1a2345b6");
  EXPECT_EQ(r->stack_id, "arn:aws:cloudformation:us-east-1:123456789012:stack/todo-dev/1a2345b6-0000");
}

TEST(CloudFormationXml, DescribeChangeSetReadsEveryChangeAndToken) {
  auto r = parse_describe_change_set(wrap("DescribeChangeSet", R"(
    <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/todo-dev/1</StackId>
    <Status>CREATE_COMPLETE</Status>
    <ChangeSetName>gust-20261127T001500Z</ChangeSetName>
    <ExecutionStatus>AVAILABLE</ExecutionStatus>
    <ChangeSetId>arn:aws:cloudformation:us-east-1:123456789012:changeSet/gust-20261127T001500Z/2</ChangeSetId>
    <StackName>todo-dev</StackName>
    <NextToken>page-2</NextToken>
    <Changes>
      <member>
        <ResourceChange>
          <ResourceType>AWS::Lambda::Function</ResourceType>
          <PhysicalResourceId>todo-dev-GetTodosFunction-AbC</PhysicalResourceId>
          <Action>Modify</Action>
          <Scope><member>Properties</member><member>Tags</member></Scope>
          <LogicalResourceId>GetTodosFunction</LogicalResourceId>
          <Replacement>False</Replacement>
          <Details><member><Target><Attribute>Properties</Attribute><Name>Code</Name><RequiresRecreation>Never</RequiresRecreation></Target><Evaluation>Static</Evaluation><ChangeSource>ParameterReference</ChangeSource></member></Details>
        </ResourceChange>
        <Type>Resource</Type>
      </member>
      <member>
        <ResourceChange>
          <ResourceType>AWS::DynamoDB::Table</ResourceType>
          <Action>Modify</Action>
          <LogicalResourceId>TodosTable</LogicalResourceId>
          <Replacement>True</Replacement>
        </ResourceChange>
        <Type>Resource</Type>
      </member>
      <member>
        <ResourceChange><ResourceType>AWS::SQS::Queue</ResourceType><Action>Add</Action><LogicalResourceId>JobsQueue</LogicalResourceId></ResourceChange>
        <Type>Resource</Type>
      </member>
    </Changes>)"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, "CREATE_COMPLETE");
  EXPECT_EQ(r->execution_status, "AVAILABLE");
  EXPECT_EQ(r->name, "gust-20261127T001500Z");
  EXPECT_EQ(r->stack_name, "todo-dev");
  EXPECT_EQ(r->next_token, "page-2");
  ASSERT_EQ(r->changes.size(), 3u);
  EXPECT_EQ(r->changes[0].action, "Modify");
  EXPECT_EQ(r->changes[0].logical_id, "GetTodosFunction");
  EXPECT_EQ(r->changes[0].physical_id, "todo-dev-GetTodosFunction-AbC");
  EXPECT_EQ(r->changes[0].resource_type, "AWS::Lambda::Function");
  EXPECT_EQ(r->changes[0].replacement, "False");
  EXPECT_EQ(r->changes[0].scope, (std::vector<std::string>{"Properties", "Tags"}));
  EXPECT_EQ(r->changes[1].replacement, "True");
  EXPECT_EQ(r->changes[2].action, "Add");
  EXPECT_TRUE(r->changes[2].replacement.empty());
}

TEST(CloudFormationXml, FailedChangeSetWithNothingToDoIsRecognised) {
  auto r = parse_describe_change_set(wrap("DescribeChangeSet",
      "<Status>FAILED</Status><ExecutionStatus>UNAVAILABLE</ExecutionStatus>"
      "<StatusReason>The submitted information didn't contain changes. Submit different information to create a change set.</StatusReason>"
      "<Changes/>"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, "FAILED");
  EXPECT_TRUE(r->changes.empty());
  EXPECT_TRUE(is_no_change_reason(r->status_reason));
  EXPECT_TRUE(is_no_change_reason("No updates are to be performed."));
  EXPECT_FALSE(is_no_change_reason("Template format error: Unresolved resource dependencies [Nope] in the Resources block"));
}

TEST(CloudFormationXml, DescribeStacksReadsStatusParametersAndOutputs) {
  auto r = parse_describe_stacks(wrap("DescribeStacks", R"(
    <Stacks><member>
      <StackName>todo-dev</StackName>
      <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/todo-dev/1</StackId>
      <CreationTime>2026-11-27T00:10:13.000Z</CreationTime>
      <StackStatus>ROLLBACK_COMPLETE</StackStatus>
      <StackStatusReason>The following resource(s) failed to create: [TodosTable]. Rollback requested by user.</StackStatusReason>
      <Parameters>
        <member><ParameterKey>ArtifactBucket</ParameterKey><ParameterValue>gust-bootstrap-deploymentbucket-1</ParameterValue></member>
        <member><ParameterKey>ArtifactKey</ParameterKey><ParameterValue>todo/abc.zip</ParameterValue></member>
      </Parameters>
      <Outputs>
        <member><OutputKey>TodosTableName</OutputKey><OutputValue>todo-dev-TodosTable-X</OutputValue><Description>Name of table "todos"</Description></member>
        <member><OutputKey>ApiUrl</OutputKey><OutputValue>https://abc.execute-api.us-east-1.amazonaws.com</OutputValue></member>
      </Outputs>
      <Tags><member><Key>gust:stage</Key><Value>dev</Value></member></Tags>
    </member></Stacks>)"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  const Stack& s = r->front();
  EXPECT_EQ(s.name, "todo-dev");
  EXPECT_EQ(s.status, "ROLLBACK_COMPLETE");
  EXPECT_NE(s.status_reason.find("[TodosTable]"), std::string::npos);
  ASSERT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(s.parameters[1], (std::pair<std::string, std::string>{"ArtifactKey", "todo/abc.zip"}));
  ASSERT_EQ(s.outputs.size(), 2u);
  EXPECT_EQ(s.outputs[0].key, "TodosTableName");
  EXPECT_EQ(s.outputs[0].description, "Name of table \"todos\"");
  EXPECT_EQ(s.outputs[1].value, "https://abc.execute-api.us-east-1.amazonaws.com");
  EXPECT_EQ(s.tags.at(0).second, "dev");
}

TEST(CloudFormationXml, DescribeStackEventsNewestFirstWithTimes) {
  auto r = parse_describe_stack_events(wrap("DescribeStackEvents", R"(
    <StackEvents>
      <member><EventId>TodosTable-CREATE_FAILED-2026-11-27T00:10:15.000Z</EventId><StackName>todo-dev</StackName>
        <LogicalResourceId>TodosTable</LogicalResourceId><PhysicalResourceId></PhysicalResourceId>
        <ResourceType>AWS::DynamoDB::Table</ResourceType><Timestamp>2026-11-27T00:10:15.123Z</Timestamp>
        <ResourceStatus>CREATE_FAILED</ResourceStatus><ResourceStatusReason>Resource handler returned message: "One or more parameter values were invalid"</ResourceStatusReason></member>
      <member><EventId>e1</EventId><StackName>todo-dev</StackName><LogicalResourceId>todo-dev</LogicalResourceId>
        <ResourceType>AWS::CloudFormation::Stack</ResourceType><Timestamp>2026-11-27T00:10:13Z</Timestamp>
        <ResourceStatus>CREATE_IN_PROGRESS</ResourceStatus><ResourceStatusReason>User Initiated</ResourceStatusReason></member>
    </StackEvents>
    <NextToken>more</NextToken>)"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->next_token, "more");
  EXPECT_EQ(r->events[0].logical_id, "TodosTable");
  EXPECT_EQ(r->events[0].status, "CREATE_FAILED");
  EXPECT_NE(r->events[0].status_reason.find("parameter values were invalid"), std::string::npos);
  ASSERT_TRUE(r->events[0].timestamp && r->events[1].timestamp);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(*r->events[0].timestamp - *r->events[1].timestamp).count(), 2);
}

TEST(CloudFormationXml, ListStackResourcesAndGetTemplate) {
  auto r = parse_list_stack_resources(wrap("ListStackResources", R"(
    <StackResourceSummaries>
      <member><LogicalResourceId>GetTodosFunction</LogicalResourceId><PhysicalResourceId>todo-dev-GetTodosFunction-AbC</PhysicalResourceId>
        <ResourceType>AWS::Lambda::Function</ResourceType><LastUpdatedTimestamp>2026-11-27T00:10:13Z</LastUpdatedTimestamp>
        <ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>
    </StackResourceSummaries>)"));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->resources.size(), 1u);
  EXPECT_EQ(r->resources[0].physical_id, "todo-dev-GetTodosFunction-AbC");
  EXPECT_EQ(r->resources[0].status, "CREATE_COMPLETE");
  EXPECT_TRUE(r->next_token.empty());

  auto t = parse_get_template(wrap("GetTemplate", R"(<TemplateBody>{"Resources":{"A":{"Type":"AWS::SQS::Queue"}}}</TemplateBody><StagesAvailable><member>Original</member></StagesAvailable>)"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, R"({"Resources":{"A":{"Type":"AWS::SQS::Queue"}}})");
}

TEST(CloudFormationXml, MalformedOrWrongAnswersAreInternalErrors) {
  auto bad = parse_describe_stacks("<DescribeStacksResponse><oops");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::internal);
  auto wrong = parse_describe_change_set(wrap("DescribeStacks", "<Stacks/>"));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("DescribeChangeSetResult"), std::string::npos);
}

TEST(CloudFormationErrors, MissingStackIsTheValidationErrorThatSaysSo) {
  Error e;
  e.aws.code = "ValidationError";
  e.message = "Stack with id todo-dev does not exist";
  EXPECT_TRUE(is_missing_stack_error(e));
  e.message = "Template format error: unsupported structure.";
  EXPECT_FALSE(is_missing_stack_error(e));
}

}  // namespace
}  // namespace gust::aws
