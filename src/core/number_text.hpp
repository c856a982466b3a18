#pragma once
// Number text -- a JSON number token, a DynamoDB N -- to the gust::Value kind
// that holds it without losing a digit (see value.hpp for the rule).

#include <gust/value.hpp>

#include <optional>
#include <string_view>

namespace gust {

// integer / unsigned_integer for whole numbers that fit 64 bits; number when
// the double's shortest text is this number; decimal for other numbers within
// DynamoDB's range; the nearest double beyond it. nullopt when `text` is not
// a number ("12abc", "NaN", "").
std::optional<Value> number_from_text(std::string_view text);

}  // namespace gust
