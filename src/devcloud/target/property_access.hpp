#pragma once
// Reading resolved resource properties: text, numbers given as numbers or
// strings (CloudFormation accepts both), nested objects (empty when absent).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace gust::devcloud::target {

std::string text_of(const boost::json::value& value);
std::string text_property(const boost::json::object& properties, std::string_view name);
std::int64_t int_property(const boost::json::object& properties, std::string_view name, std::int64_t fallback);
const boost::json::object& object_property(const boost::json::object& properties, std::string_view name);

}  // namespace gust::devcloud::target
