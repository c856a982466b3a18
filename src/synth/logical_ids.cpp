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

std::string table_id(std::string_view r) { return pascal_case(r) + "Table"; }
std::string bucket_id(std::string_view r) { return pascal_case(r) + "Bucket"; }
std::string queue_id(std::string_view r) { return pascal_case(r) + "Queue"; }
std::string dead_letter_id(std::string_view r) { return pascal_case(r) + "DeadLetterQueue"; }
std::string topic_id(std::string_view r) { return pascal_case(r) + "Topic"; }
std::string function_id(std::string_view f) { return pascal_case(f) + "Function"; }
std::string role_id(std::string_view f) { return pascal_case(f) + "Role"; }
std::string log_group_id(std::string_view f) { return pascal_case(f) + "LogGroup"; }

}  // namespace gust::synth
