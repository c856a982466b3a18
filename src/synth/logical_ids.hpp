#pragma once
// Logical ids derived from declared names: readable, stable, and a rename
// shows in a diff ("todo-events" queue -> TodoEventsQueue).

#include <string>
#include <string_view>

namespace gust::synth {

// "todo-events" -> "TodoEvents"; "get-todos-id" -> "GetTodosId". Only [A-Za-z0-9].
std::string pascal_case(std::string_view name);

std::string table_id(std::string_view resource);        // TodosTable
std::string bucket_id(std::string_view resource);       // AttachmentsBucket
std::string queue_id(std::string_view resource);        // TodoEventsQueue
std::string dead_letter_id(std::string_view resource);  // TodoEventsDeadLetterQueue
std::string topic_id(std::string_view resource);        // DigestsTopic
std::string function_id(std::string_view function);     // GetTodosIdFunction
std::string role_id(std::string_view function);         // GetTodosIdRole
std::string log_group_id(std::string_view function);    // GetTodosIdLogGroup

}  // namespace gust::synth
