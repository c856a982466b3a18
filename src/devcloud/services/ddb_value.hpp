#pragma once
// DynamoDB attribute values, held as the JSON AWS sends ({"S":"x"},
// {"N":"1"}, {"M":{...}}, ...). Inputs are validated and normalised once
// (numbers to plain notation, binaries to canonical base64), so equality on
// stored values is structural.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace gust::localaws::ddb {

namespace json = boost::json;

// "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"; empty when not an attribute value.
std::string_view type_of(const json::value& av);

// Checks one attribute value as AWS does and normalises it in place; throws
// AwsError (ValidationException / SerializationException) with AWS's words.
void validate_value(json::value& av);
// Validates every attribute of an item (an attribute map).
void validate_item(json::value& item, std::string_view member);

// DynamoDB equality: same type and value; sets regardless of order.
bool values_equal(const json::value& a, const json::value& b);
// -1/0/1 for two values of the same scalar type S, N or B; nullopt-like 2 otherwise.
int compare_values(const json::value& a, const json::value& b);
inline constexpr int kIncomparable = 2;

// What size() returns: string bytes, binary bytes, set/list/map elements; -1 if none.
long long value_size(const json::value& av);
// Approximate stored size (names + values), for the 400 KB item limit and capacity.
std::size_t item_size(const json::object& item);

// Key bytes of a key attribute value of type S, N or B (memcmp order == DynamoDB order).
std::string key_bytes(const json::value& av);

// The decoded bytes of a B value.
std::string binary_bytes(const json::value& av);

// "{S:x}"-like rendering used in some AWS messages ("AttributeValue: {S:x}").
std::string describe_value(const json::value& av);

}  // namespace gust::localaws::ddb
