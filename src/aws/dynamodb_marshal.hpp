#pragma once
// gust::Value <-> DynamoDB attribute values (JSON 1.0 wire shape).
//
//   string -> S, integer/unsigned/double -> N (exact decimal text), bool -> BOOL,
//   Bytes -> B (base64), array -> L, object -> M, null -> NULL (in lists; in
//   maps a null member is left out, so optional fields keep sparse indexes sparse).
//   Read back: SS/NS/BS sets become arrays, N becomes an integer when it is
//   one that fits 64 bits, else a double.

#include <gust/result.hpp>
#include <gust/value.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace gust::aws::ddb {

// A number's DynamoDB text: "42", "-7", "18446744073709551615", "0.1", "1e+300".
// NaN and infinities have none: ErrorCode::invalid_argument.
Result<std::string> number_text(const Value& number);
// DynamoDB number text -> integer when it is one that fits, else double.
Result<Value> parse_number(std::string_view text);

Result<boost::json::value> to_attribute(const Value& value, std::string_view path = "");
// An item: an object's members as attributes (null members left out).
Result<boost::json::object> to_item(const Value& object, std::string_view path = "");
Result<Value> from_attribute(const boost::json::value& attribute, std::string_view path = "");
Result<Value> from_item(const boost::json::object& item);

}  // namespace gust::aws::ddb
