#pragma once
// gust::Value <-> DynamoDB attribute values (JSON 1.0 wire shape).
//
//   string -> S, integer/unsigned/double/decimal -> N (exact decimal text; a
//   double is checked against DynamoDB's range first), bool -> BOOL, Bytes -> B
//   (base64), array -> L, object -> M, null -> NULL (in lists; in maps a null
//   member is left out, so optional fields keep sparse indexes sparse).
//   A set (Value::set, std::set/std::unordered_set fields) of strings, numbers
//   or Bytes -> SS/NS/BS; of anything else -> L. DynamoDB has no empty sets: an
//   empty set member is left out of a map (records read it back as an empty
//   set), an empty set in a list is an empty L, and an empty set as a value of
//   its own (an expression placeholder) is an error. (So a std::map of sets
//   does not keep the keys of its empty sets.)
//   Read back: SS/NS/BS become sets; N the kind that holds it exactly (an
//   integer when it fits 64 bits, a double when the double's shortest text is
//   the number, else a gust::Decimal).

#include <gust/result.hpp>
#include <gust/value.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace gust::aws::ddb {

// A number's DynamoDB text: "42", "-7", "18446744073709551615", "0.1", "1e+125",
// a decimal's exact digits. NaN, infinities and doubles outside DynamoDB's
// range have none: ErrorCode::invalid_argument saying the allowed range.
Result<std::string> number_text(const Value& number);
// DynamoDB number text -> the Value kind that holds it exactly.
Result<Value> parse_number(std::string_view text);

Result<boost::json::value> to_attribute(const Value& value, std::string_view path = "");
// An item: an object's members as attributes (null members left out).
Result<boost::json::object> to_item(const Value& object, std::string_view path = "");
Result<Value> from_attribute(const boost::json::value& attribute, std::string_view path = "");
Result<Value> from_item(const boost::json::object& item);

}  // namespace gust::aws::ddb
