#include "devcloud/target/query_xml.hpp"

#include "devcloud/services/aws_common.hpp"

#include <fmt/format.h>

namespace gust::devcloud::target {

std::string element(std::string_view name, std::string_view text, bool skip_empty) {
  if (text.empty() && skip_empty) return {};
  return fmt::format("<{0}>{1}</{0}>", name, localaws::xml_escape(text));
}

localaws::ServiceResponse query_result(std::string_view xmlns, std::string_view action, std::string_view result) {
  const std::string request_id = localaws::uuid_v4();
  localaws::ServiceResponse r;
  r.body = fmt::format("<{0}Response xmlns=\"{1}\">\n  <{0}Result>{2}</{0}Result>\n  <ResponseMetadata>\n    <RequestId>{3}</RequestId>\n  "
                       "</ResponseMetadata>\n</{0}Response>\n",
                       action, xmlns, result, request_id);
  r.headers.set("Content-Type", "text/xml");
  r.headers.set("x-amzn-RequestId", request_id);
  return r;
}

localaws::ServiceResponse query_error(std::string_view xmlns, int status, std::string_view code, std::string_view message, std::string_view type) {
  const std::string request_id = localaws::uuid_v4();
  localaws::ServiceResponse r;
  r.status = status;
  r.body = fmt::format("<ErrorResponse xmlns=\"{}\">\n  <Error>\n    <Type>{}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  "
                       "<RequestId>{}</RequestId>\n</ErrorResponse>\n",
                       xmlns, type, code, localaws::xml_escape(message), request_id);
  r.headers.set("Content-Type", "text/xml");
  r.headers.set("x-amzn-RequestId", request_id);
  return r;
}

}  // namespace gust::devcloud::target
