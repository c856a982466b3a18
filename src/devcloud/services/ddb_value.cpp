#include "devcloud/services/ddb_value.hpp"

#include "devcloud/services/ddb_errors.hpp"
#include "devcloud/services/ddb_number.hpp"

#include <gust/value.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>
#include <vector>

namespace gust::localaws::ddb {

namespace {

constexpr std::string_view kTypes[] = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"};

std::string_view json_kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_: return v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE";
    case json::kind::int64:
    case json::kind::uint64: return "NUMBER_VALUE";
    case json::kind::double_: return "DECIMAL_VALUE";
    case json::kind::string: return "STRING_VALUE";
    case json::kind::null: return "NULL_VALUE";
    default: return "";
  }
}

// Coral's complaint when a member has the wrong JSON type.
[[noreturn]] void type_mismatch(const json::value& v, std::string_view java_type) {
  if (v.is_object()) throw serialization_error("Start of structure or map found where not expected");
  if (v.is_array()) throw serialization_error("Unrecognized collection type class java.lang." + std::string(java_type));
  throw serialization_error(std::string(json_kind(v)) + " cannot be converted to " + std::string(java_type));
}

std::string canonical_binary(const json::value& v) {
  if (!v.is_string()) {
    if (v.is_object()) throw serialization_error("Start of structure or map found where not expected");
    throw serialization_error("only base-64-encoded strings are convertible to bytes");
  }
  const auto text = std::string_view(v.get_string());
  if (text.size() % 4 != 0) {
    throw serialization_error("Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(text.size()));
  }
  auto decoded = base64_decode(text);
  if (!decoded) throw serialization_error("Invalid last non-pad Base64 character dectected");
  return base64_encode(*decoded);
}

std::string set_text(const json::array& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    if (items[i].is_string()) out += std::string(items[i].get_string());
  }
  return out + "]";
}

}  // namespace

std::string_view type_of(const json::value& av) {
  const auto* obj = av.if_object();
  if (!obj || obj->size() != 1) return {};
  const auto key = std::string_view(obj->begin()->key());
  for (auto t : kTypes) {
    if (t == key) return t;
  }
  return {};
}

void validate_value(json::value& av) {
  if (!av.is_object()) {
    if (av.is_array()) throw serialization_error("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    throw serialization_error("Unexpected value type in payload");
  }
  auto& obj = av.get_object();
  // Members that are not attribute types are ignored, as Coral ignores unknown members.
  std::vector<std::string> unknown;
  for (auto& [k, v] : obj) {
    if (std::find(std::begin(kTypes), std::end(kTypes), std::string_view(k)) == std::end(kTypes) || v.is_null()) unknown.emplace_back(k);
  }
  for (const auto& k : unknown) obj.erase(k);
  if (obj.empty()) throw validation_error("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  for (auto& [key, v] : obj) {
    const std::string_view type = key;
    if (type == "S") {
      if (!v.is_string()) type_mismatch(v, "String");
    } else if (type == "N") {
      if (!v.is_string()) type_mismatch(v, "String");
      v = normalize_number(v.get_string());
    } else if (type == "B") {
      v = canonical_binary(v);
    } else if (type == "BOOL") {
      if (!v.is_bool()) {
        if (v.is_string()) throw serialization_error("STRING_VALUE cannot be converted to Boolean");
        type_mismatch(v, "Boolean");
      }
    } else if (type == "NULL") {
      if (!v.is_bool()) type_mismatch(v, "Boolean");
      if (!v.get_bool()) throw validation_error("One or more parameter values were invalid: Null attribute value types must have the value of true");
    } else if (type == "SS" || type == "NS" || type == "BS") {
      if (!v.is_array()) {
        if (v.is_object()) throw serialization_error("Start of structure or map found where not expected");
        throw serialization_error("Unexpected field type");
      }
      auto& arr = v.get_array();
      for (auto& e : arr) {
        if (type == "BS") {
          e = canonical_binary(e);
        } else {
          if (!e.is_string()) type_mismatch(e, "String");
          if (type == "NS") e = normalize_number(e.get_string());
        }
      }
      if (arr.empty()) {
        if (type == "SS") throw validation_error("One or more parameter values were invalid: An string set  may not be empty");
        if (type == "NS") throw validation_error("One or more parameter values were invalid: An number set  may not be empty");
        throw validation_error("One or more parameter values were invalid: Binary sets should not be empty");
      }
      std::set<std::string_view> seen;
      for (auto& e : arr) {
        if (!seen.insert(std::string_view(e.get_string())).second) {
          if (type == "SS") throw validation_error("One or more parameter values were invalid: Input collection " + set_text(arr) + " contains duplicates.");
          if (type == "NS") throw validation_error("Input collection contains duplicates");
          throw validation_error("One or more parameter values were invalid: Input collection " + set_text(arr) + "of type BS contains duplicates.");
        }
      }
    } else if (type == "L") {
      if (!v.is_array()) {
        if (v.is_object()) throw serialization_error("Start of structure or map found where not expected");
        throw serialization_error("Unexpected field type");
      }
      for (auto& e : v.get_array()) validate_value(e);
    } else if (type == "M") {
      if (!v.is_object()) {
        if (v.is_array()) {
          throw serialization_error("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
        }
        throw serialization_error("Unexpected field type");
      }
      for (auto& [k, e] : v.get_object()) validate_value(e);
    }
  }
  if (obj.size() > 1) {
    throw validation_error("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  }
}

void validate_item(json::value& item, std::string_view member) {
  if (!item.is_object()) {
    if (item.is_array()) {
      throw serialization_error("Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>");
    }
    throw serialization_error("Unexpected value type in payload");
  }
  (void)member;
  for (auto& [k, v] : item.get_object()) validate_value(v);
}

bool values_equal(const json::value& a, const json::value& b) {
  const auto ta = type_of(a);
  if (ta.empty() || ta != type_of(b)) return false;
  const auto& va = a.get_object().begin()->value();
  const auto& vb = b.get_object().begin()->value();
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    const auto& xa = va.get_array();
    const auto& xb = vb.get_array();
    if (xa.size() != xb.size()) return false;
    std::set<std::string_view> sa;
    for (const auto& e : xa) sa.insert(std::string_view(e.get_string()));
    for (const auto& e : xb) {
      if (!sa.count(std::string_view(e.get_string()))) return false;
    }
    return true;
  }
  if (ta == "L") {
    const auto& xa = va.get_array();
    const auto& xb = vb.get_array();
    if (xa.size() != xb.size()) return false;
    for (std::size_t i = 0; i < xa.size(); ++i) {
      if (!values_equal(xa[i], xb[i])) return false;
    }
    return true;
  }
  if (ta == "M") {
    const auto& xa = va.get_object();
    const auto& xb = vb.get_object();
    if (xa.size() != xb.size()) return false;
    for (const auto& [k, v] : xa) {
      const auto* other = xb.if_contains(k);
      if (!other || !values_equal(v, *other)) return false;
    }
    return true;
  }
  if (ta == "N") return compare_numbers(va.get_string(), vb.get_string()) == 0;
  return va == vb;
}

int compare_values(const json::value& a, const json::value& b) {
  const auto ta = type_of(a);
  if (ta.empty() || ta != type_of(b)) return kIncomparable;
  const auto& va = a.get_object().begin()->value();
  const auto& vb = b.get_object().begin()->value();
  if (ta == "N") return compare_numbers(va.get_string(), vb.get_string());
  if (ta == "S") {
    const int c = std::string_view(va.get_string()).compare(std::string_view(vb.get_string()));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (ta == "B") {
    const int c = binary_bytes(a).compare(binary_bytes(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return kIncomparable;
}

long long value_size(const json::value& av) {
  const auto t = type_of(av);
  if (t.empty()) return -1;
  const auto& v = av.get_object().begin()->value();
  if (t == "S") return static_cast<long long>(v.get_string().size());
  if (t == "B") return static_cast<long long>(binary_bytes(av).size());
  if (t == "SS" || t == "NS" || t == "BS" || t == "L") return static_cast<long long>(v.get_array().size());
  if (t == "M") return static_cast<long long>(v.get_object().size());
  return -1;
}

namespace {
std::size_t value_bytes(const json::value& av) {
  const auto t = type_of(av);
  if (t.empty()) return 0;
  const auto& v = av.get_object().begin()->value();
  if (t == "S") return v.get_string().size();
  if (t == "N") return (v.get_string().size() + 1) / 2 + 1;
  if (t == "B") return v.get_string().size() * 3 / 4;
  if (t == "BOOL" || t == "NULL") return 1;
  std::size_t n = 3;
  if (t == "SS" || t == "BS" || t == "NS") {
    for (const auto& e : v.get_array()) n += e.get_string().size();
  } else if (t == "L") {
    for (const auto& e : v.get_array()) n += 1 + value_bytes(e);
  } else if (t == "M") {
    for (const auto& [k, e] : v.get_object()) n += 1 + k.size() + value_bytes(e);
  }
  return n;
}
}  // namespace

std::size_t item_size(const json::object& item) {
  std::size_t n = 0;
  for (const auto& [k, v] : item) n += k.size() + value_bytes(v);
  return n;
}

std::string binary_bytes(const json::value& av) {
  const auto& v = av.get_object().begin()->value();
  auto decoded = base64_decode(v.get_string());
  return decoded ? *decoded : std::string{};
}

std::string key_bytes(const json::value& av) {
  const auto t = type_of(av);
  const auto& v = av.get_object().begin()->value();
  if (t == "S") return std::string(v.get_string());
  if (t == "B") return binary_bytes(av);
  if (t == "N") {
    auto d = parse_decimal(v.get_string());
    return d ? sort_bytes(*d) : std::string{};
  }
  return {};
}

std::string describe_value(const json::value& av) {
  const auto t = type_of(av);
  if (t.empty()) return "{}";
  const auto& v = av.get_object().begin()->value();
  std::string body;
  if (v.is_string()) {
    body = std::string(v.get_string());
  } else if (v.is_bool()) {
    body = v.get_bool() ? "true" : "false";
  } else {
    body = json::serialize(v);
  }
  return "{" + std::string(t) + ":" + body + "}";
}

}  // namespace gust::localaws::ddb
