#pragma once
// A request the target makes to its own local services (reading the
// uploaded package from S3, deleting a bucket): signed in the shape the
// services check, with the target's own access key.

#include "devcloud/services/service.hpp"

#include <string>

namespace gust::devcloud::target {

localaws::ServiceRequest internal_request(std::string method, std::string path, std::string_view service, const std::string& region);

}  // namespace gust::devcloud::target
