#pragma once
// The XML of the AWS query protocol (CloudFormation, STS): an action's
// response wrapped with its request id, the error shape, and a small writer
// for elements and `member` lists.

#include "devcloud/services/service.hpp"

#include <string>
#include <string_view>

namespace gust::devcloud::target {

// <NAME>escaped text</NAME>; nothing when `text` is empty and `skip_empty`.
std::string element(std::string_view name, std::string_view text, bool skip_empty = true);

// <ACTIONResponse xmlns=NS><ACTIONResult>RESULT</ACTIONResult><ResponseMetadata>...</ResponseMetadata></ACTIONResponse>
localaws::ServiceResponse query_result(std::string_view xmlns, std::string_view action, std::string_view result);

// <ErrorResponse xmlns=NS><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>
localaws::ServiceResponse query_error(std::string_view xmlns, int status, std::string_view code, std::string_view message,
                                      std::string_view type = "Sender");

}  // namespace gust::devcloud::target
