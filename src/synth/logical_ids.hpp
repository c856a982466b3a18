#pragma once
// Logical ids derived from declared names: readable, stable, and a rename
// shows in a diff ("todo-events" queue -> TodoEventsQueue). Every id in a
// template comes from here, so collisions are checked in one place
// (TemplateBuilder::add refuses a second resource under the same id).

#include <string>
#include <string_view>

namespace gust::synth {

// "todo-events" -> "TodoEvents"; "get-todos-id" -> "GetTodosId". Only [A-Za-z0-9].
std::string pascal_case(std::string_view name);

inline constexpr std::string_view kHttpApiId = "HttpApi";
inline constexpr std::string_view kHttpApiStageId = "HttpApiDefaultStage";

// Resources, by declared resource id.
std::string table_id(std::string_view resource);          // TodosTable
std::string bucket_id(std::string_view resource);         // AttachmentsBucket
std::string bucket_policy_id(std::string_view resource);  // AttachmentsBucketPolicy
std::string queue_id(std::string_view resource);          // TodoEventsQueue
std::string dead_letter_id(std::string_view resource);    // TodoEventsDeadLetterQueue
std::string topic_id(std::string_view resource);          // DigestsTopic

// Functions and what invokes them, by function id.
std::string function_id(std::string_view function);             // GetTodosIdFunction
std::string role_id(std::string_view function);                 // GetTodosIdRole
std::string policy_name(std::string_view function);             // GetTodosIdPolicy
std::string log_group_id(std::string_view function);            // GetTodosIdLogGroup
std::string async_config_id(std::string_view function);         // OnDigestsAsyncConfig
std::string integration_id(std::string_view function);          // GetTodosIdIntegration
std::string route_id(std::string_view function);                // GetTodosIdRoute
std::string api_permission_id(std::string_view function);       // GetTodosIdApiPermission
std::string event_source_mapping_id(std::string_view function); // ConsumeTodoEventsEventSourceMapping
std::string subscription_id(std::string_view function);         // OnDigestsSubscription
std::string topic_permission_id(std::string_view function);     // OnDigestsTopicPermission
std::string bucket_permission_id(std::string_view function);    // OnAttachmentsCreatedBucketPermission
std::string schedule_id(std::string_view function);             // NightlyDigestSchedule
std::string schedule_role_id(std::string_view function);        // NightlyDigestScheduleRole

// The readable part of the name of a bucket that notifies a function:
// "todo-attachments", lower-case, at most 26 characters, so that with "-" and
// the stack's 36-character id it fits S3's 63 (buckets.cpp).
std::string bucket_name_prefix(std::string_view app, std::string_view bucket);

}  // namespace gust::synth
