#pragma once
// DynamoDB expressions: a tokenizer and recursive-descent parsers for
// condition/filter, key-condition, update and projection expressions, and
// their evaluation against an item. Errors use AWS's words, prefixed with
// the expression's parameter ("Invalid UpdateExpression: Syntax error;
// token: \"=\", near: \"a = =\"").
//
//   ExpressionInputs in(names, values);
//   auto cond = parse_condition(text, "ConditionExpression", in);
//   in.check_all_used();                  // "Value provided in ... unused"
//   if (!evaluate(cond, item)) ...

#include "devcloud/services/ddb_value.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gust::localaws::ddb {

struct PathStep {
  std::string name;      // a map member (or a top-level attribute)
  long long index = -1;  // >= 0: a list element
  bool is_index() const { return index >= 0; }
  bool operator==(const PathStep&) const = default;
};
using Path = std::vector<PathStep>;

// "[a, b, [2]]" as AWS prints paths in messages.
std::string path_text(const Path& path);

struct Expr {
  enum class Kind { path, value, function, compare, between, in, and_, or_, not_, plus, minus };
  Kind kind = Kind::path;
  std::string op;      // compare: = <> < <= > >=; function: its name
  Path path;           // Kind::path
  json::value value;   // Kind::value: the resolved ExpressionAttributeValues entry
  std::vector<Expr> args;
  bool parenthesized = false;
};

struct UpdateAction {
  enum class Kind { set, remove, add, del };
  Kind kind = Kind::set;
  Path path;
  Expr value;  // set: the value expression; add/delete: the :value
};

// The request's ExpressionAttributeNames/Values, and which ones got used.
class ExpressionInputs {
 public:
  ExpressionInputs(const json::object* names, const json::object* values) : names_(names), values_(values) {}
  const json::object* names() const { return names_; }
  const json::object* values() const { return values_; }
  // Throws "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}".
  void check_all_used() const;

  std::set<std::string> used_names;
  std::set<std::string> used_values;

 private:
  const json::object* names_;
  const json::object* values_;
};

// `kind` names the parameter in messages: "ConditionExpression", "FilterExpression".
Expr parse_condition(std::string_view text, std::string_view kind, ExpressionInputs& inputs);
std::vector<UpdateAction> parse_update(std::string_view text, ExpressionInputs& inputs);
std::vector<Path> parse_projection(std::string_view text, ExpressionInputs& inputs);

// A key condition taken apart: the partition key's equality and an optional
// sort key condition (op: = < <= > >= between begins_with).
struct KeyCondition {
  std::string hash_name;
  json::value hash_value;
  std::string range_name;  // empty: no sort key condition
  std::string range_op;
  json::value range_value;
  json::value range_value2;  // between's upper bound
  std::set<std::string> names;  // every attribute named, in order of appearance
};
// Parses and checks the shape; `hash_key` and `range_key` are the key
// schema's attribute names (range_key empty for a hash-only table or index).
KeyCondition parse_key_condition(std::string_view text, ExpressionInputs& inputs, const std::string& hash_key, const std::string& range_key);

bool is_reserved_word(std::string_view name);

// ---- evaluation

const json::value* find_path(const json::object& item, const Path& path);
bool evaluate(const Expr& condition, const json::object& item);
// Applies the actions to `item` in place; throws AwsError (ValidationException) as AWS does.
void apply_updates(const std::vector<UpdateAction>& actions, json::object& item);
// Only the attributes at `paths` (nested maps and lists kept in shape).
json::object project(const json::object& item, const std::vector<Path>& paths);

}  // namespace gust::localaws::ddb
