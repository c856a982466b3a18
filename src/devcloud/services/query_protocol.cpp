#include "devcloud/services/query_protocol.hpp"

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <map>
#include <vector>

namespace gust::localaws {

namespace json = boost::json;

namespace {

bool is_number(std::string_view s) { return !s.empty() && s.size() < 9 && s.find_first_not_of("0123456789") == std::string_view::npos; }

// Objects whose members are all numbers ("1", "2", ...) become arrays in that order.
json::value arrays_from_numbered(json::value v) {
  if (!v.is_object()) return v;
  auto& obj = v.get_object();
  bool numbered = !obj.empty();
  for (const auto& [k, child] : obj) numbered = numbered && is_number(k);
  if (numbered) {
    std::vector<std::pair<long, json::value>> items;
    for (auto& [k, child] : obj) items.emplace_back(std::stol(std::string(k)), arrays_from_numbered(std::move(child)));
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    json::array arr;
    for (auto& [n, child] : items) arr.push_back(std::move(child));
    return arr;
  }
  json::object out;
  for (auto& [k, child] : obj) out[k] = arrays_from_numbered(std::move(child));
  return out;
}

}  // namespace

json::object query_tree(const Params& form, std::initializer_list<std::string_view> skip) {
  json::object root;
  for (const auto& [key, value] : form) {
    if (std::find(skip.begin(), skip.end(), std::string_view(key)) != skip.end()) continue;
    json::object* node = &root;
    std::string_view rest = key;
    while (true) {
      const auto dot = rest.find('.');
      const std::string_view segment = rest.substr(0, dot);
      if (dot == std::string_view::npos) {
        (*node)[segment] = value;
        break;
      }
      json::value& child = (*node)[segment];
      if (!child.is_object()) child = json::object{};
      node = &child.get_object();
      rest.remove_prefix(dot + 1);
    }
  }
  json::value converted = arrays_from_numbered(std::move(root));
  return std::move(converted.get_object());
}

Params action_params(const ServiceRequest& request, const Params& query) {
  Params form = parse_query(request.body);
  form.insert(form.end(), query.begin(), query.end());
  return form;
}

AuthFailure auth_failure(AuthProblem problem) {
  switch (problem) {
    case AuthProblem::missing: return {"MissingAuthenticationToken", 403};
    case AuthProblem::incomplete: return {"IncompleteSignature", 400};
    case AuthProblem::unknown_key: return {"InvalidClientTokenId", 403};
    case AuthProblem::bad_signature: return {"SignatureDoesNotMatch", 403};
    default: return {"InvalidSignature", 403};
  }
}

}  // namespace gust::localaws
