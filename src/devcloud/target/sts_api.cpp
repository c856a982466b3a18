#include "devcloud/target/sts_api.hpp"

#include "devcloud/target/query_xml.hpp"

#include <fmt/format.h>

namespace gust::devcloud::target {

localaws::ServiceResponse serve_sts_api(const localaws::Params& params, const std::string& access_key, const std::string& account_id) {
  constexpr std::string_view kXmlns = "https://sts.amazonaws.com/doc/2011-06-15/";
  const std::string* action = localaws::find_param(params, "Action");
  if (action == nullptr || *action != "GetCallerIdentity") {
    return query_error(kXmlns, 400, "InvalidAction",
                       fmt::format("Could not find operation {} for version 2011-06-15 (the local cloud target serves GetCallerIdentity)",
                                   action == nullptr ? "" : *action));
  }
  return query_result(kXmlns, "GetCallerIdentity",
                      element("Arn", fmt::format("arn:aws:iam::{}:user/{}", account_id, access_key)) + element("UserId", access_key) +
                          element("Account", account_id));
}

}  // namespace gust::devcloud::target
