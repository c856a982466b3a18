#pragma once
// CloudWatch Logs' JSON 1.1 API (X-Amz-Target: Logs_20140328.ACTION) over
// the log store: FilterLogEvents (logGroupName or logGroupIdentifier,
// logStreamNames, startTime/endTime, filterPattern terms, limit, nextToken)
// and DescribeLogGroups, with AWS's error shape.

#include "devcloud/services/service.hpp"
#include "devcloud/target/log_store.hpp"

namespace gust::devcloud::target {

localaws::ServiceResponse serve_logs_api(LogStore& store, std::string_view action, std::string_view body);

}  // namespace gust::devcloud::target
