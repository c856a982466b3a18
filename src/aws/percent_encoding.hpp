#pragma once
// Percent-encoding as AWS canonicalises it (RFC 3986 unreserved characters
// stay, everything else becomes %XX with upper-case hex).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gust::aws {

// Encodes every byte except A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash).
std::string uri_encode(std::string_view text, bool keep_slash = false);
void uri_encode_to(std::string& out, std::string_view text, bool keep_slash = false);
// Decodes %XX sequences; malformed ones stay as they are. '+' stays '+'.
std::string uri_decode(std::string_view text);

// Query parameters in order, decoded.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
// "a=1&b" -> {{"a","1"},{"b",""}} (decoded; empty segments skipped).
QueryParams parse_query(std::string_view query);
// {{"a","1 2"}} -> "a=1%202" (in the given order).
std::string encode_query(const QueryParams& params);
// application/x-www-form-urlencoded as botocore writes it: "a=1+2" (space as '+').
std::string encode_form(const QueryParams& params);

}  // namespace gust::aws
