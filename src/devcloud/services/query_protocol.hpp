#pragma once
// The AWS query protocol's form encoding ("Attribute.1.Name=x&Attribute.1.Value=y")
// as a JSON tree ({"Attribute":[{"Name":"x","Value":"y"}]}): numbered
// segments become arrays in number order, other segments object members.
// SQS (older clients) and SNS speak it.

#include "devcloud/services/service.hpp"
#include "devcloud/services/sigv4_check.hpp"

#include <boost/json/object.hpp>

#include <initializer_list>
#include <string>
#include <string_view>

namespace gust::localaws {

boost::json::object query_tree(const Params& form, std::initializer_list<std::string_view> skip = {});

// An action's parameters: the form body, then the query string's.
Params action_params(const ServiceRequest& request, const Params& query);

// How the AWS front end of a query-protocol service (SQS, SNS) answers a
// failed signature check: its error code and HTTP status.
struct AuthFailure {
  std::string code;  // "MissingAuthenticationToken", "IncompleteSignature", ...
  int status = 403;
};
AuthFailure auth_failure(AuthProblem problem);

}  // namespace gust::localaws
