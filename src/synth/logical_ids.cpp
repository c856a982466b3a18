#include "synth/logical_ids.hpp"

namespace gust::synth {

std::string pascal_case(std::string_view name) {
  std::string out;
  bool upper = true;
  for (char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      upper = true;
      continue;
    }
    if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out += c;
    upper = false;
  }
  return out;
}

namespace {
std::string id(std::string_view name, std::string_view suffix) { return pascal_case(name) + std::string(suffix); }
}  // namespace

std::string table_id(std::string_view r) { return id(r, "Table"); }
std::string bucket_id(std::string_view r) { return id(r, "Bucket"); }
std::string bucket_policy_id(std::string_view r) { return id(r, "BucketPolicy"); }
std::string queue_id(std::string_view r) { return id(r, "Queue"); }
std::string dead_letter_id(std::string_view r) { return id(r, "DeadLetterQueue"); }
std::string topic_id(std::string_view r) { return id(r, "Topic"); }

std::string function_id(std::string_view f) { return id(f, "Function"); }
std::string role_id(std::string_view f) { return id(f, "Role"); }
// IAM allows 128 characters; one policy per role, so a cut name stays unique.
std::string policy_name(std::string_view f) { return pascal_case(f).substr(0, 122) + "Policy"; }
std::string log_group_id(std::string_view f) { return id(f, "LogGroup"); }
std::string async_config_id(std::string_view f) { return id(f, "AsyncConfig"); }
std::string integration_id(std::string_view f) { return id(f, "Integration"); }
std::string route_id(std::string_view f) { return id(f, "Route"); }
std::string api_permission_id(std::string_view f) { return id(f, "ApiPermission"); }
std::string event_source_mapping_id(std::string_view f) { return id(f, "EventSourceMapping"); }
std::string subscription_id(std::string_view f) { return id(f, "Subscription"); }
std::string topic_permission_id(std::string_view f) { return id(f, "TopicPermission"); }
std::string bucket_permission_id(std::string_view f) { return id(f, "BucketPermission"); }
std::string schedule_id(std::string_view f) { return id(f, "Schedule"); }
std::string schedule_role_id(std::string_view f) { return id(f, "ScheduleRole"); }

std::string bucket_name_prefix(std::string_view app, std::string_view bucket) {
  std::string out;
  for (char c : std::string(app) + "-" + std::string(bucket)) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep || (!out.empty() && out.back() != '-')) out += keep ? c : '-';
  }
  if (out.size() > 26) out.resize(26);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace gust::synth
