#include "devcloud/services/sigv4_check.hpp"

#include "devcloud/services/aws_common.hpp"

#include <cctype>
#include <map>
#include <vector>

namespace gust::localaws {

namespace {

constexpr std::int64_t kSkewS = 15 * 60;
constexpr std::int64_t kMaxPresignS = 604800;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (const char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string amz_date(std::int64_t s) {
  std::string iso = iso8601_ms(s * 1000);  // 2024-05-01T12:34:56.000Z
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" + iso.substr(11, 2) + iso.substr(14, 2) + iso.substr(17, 2) + "Z";
}

AuthCheck fail(AuthProblem problem, std::string message) {
  AuthCheck c;
  c.problem = problem;
  c.message = std::move(message);
  return c;
}

// The checks common to both styles, after every part is known to be present.
AuthCheck check_parts(std::string_view algorithm, std::string_view credential, std::string_view signed_headers,
                      std::string_view signature, std::string_view date, std::string_view service, std::int64_t now_s,
                      bool presigned) {
  if (algorithm != "AWS4-HMAC-SHA256") {
    return fail(AuthProblem::incomplete,
                "Unsupported AWS 'algorithm': '" + std::string(algorithm) + "' (only AWS4-HMAC-SHA256 for now). ");
  }
  const std::int64_t when = parse_amz_date(date);
  if (!date.empty() && when < 0) {
    return fail(AuthProblem::incomplete,
                "Date must be in ISO-8601 'basic format'. Got '" + std::string(date) + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  std::string_view cred = credential;
  while (!cred.empty() && cred.back() == '/') cred.remove_suffix(1);  // AWS ignores trailing slashes
  const auto parts = split(cred, '/');
  if (parts.size() != 5) {
    return fail(AuthProblem::incomplete, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '" +
                                             std::string(cred) + "'");
  }
  std::string scope_msg;
  if (parts[2].empty()) scope_msg += "Credential should be scoped to a valid region, not '" + std::string(parts[2]) + "'. ";
  if (parts[3] != service) scope_msg += "Credential should be scoped to correct service: '" + std::string(service) + "'. ";
  if (parts[4] != "aws4_request") {
    scope_msg += "Credential should be scoped with a valid terminator: 'aws4_request', not '" + std::string(parts[4]) + "'. ";
  }
  if (!date.empty() && parts[1] != date.substr(0, 8)) {
    scope_msg += "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + std::string(parts[1]) +
                 "' != '" + std::string(date.substr(0, 8)) + "', from '" + std::string(date) + "'.";
  }
  if (!scope_msg.empty()) {
    while (!scope_msg.empty() && scope_msg.back() == ' ') scope_msg.pop_back();
    return fail(AuthProblem::invalid, scope_msg);
  }
  bool host_signed = false;
  for (auto h : split(signed_headers, ';')) {
    if (iequals(trim(h), "host")) host_signed = true;
  }
  if (!host_signed) return fail(AuthProblem::invalid, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  if (parts[0].empty()) return fail(AuthProblem::unknown_key, "The security token included in the request is invalid.");
  if (!presigned && when >= 0) {
    if (when < now_s - kSkewS) {
      return fail(AuthProblem::skewed, "Signature expired: " + std::string(date) + " is now earlier than " + amz_date(now_s - kSkewS) +
                                           " (" + amz_date(now_s) + " - 15 min.)");
    }
    if (when > now_s + kSkewS) {
      return fail(AuthProblem::skewed, "Signature not yet current: " + std::string(date) + " is still later than " +
                                           amz_date(now_s + kSkewS) + " (" + amz_date(now_s) + " + 15 min.)");
    }
  }
  if (!is_hex64(signature)) {
    return fail(AuthProblem::bad_signature,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and "
                "signing method. Consult the service documentation for details.");
  }
  AuthCheck ok;
  ok.access_key = std::string(parts[0]);
  ok.region = std::string(parts[2]);
  ok.presigned = presigned;
  return ok;
}

}  // namespace

AuthCheck check_sigv4(const ServiceRequest& request, const Params& query, std::string_view service, std::int64_t now_s) {
  const auto header = request.headers.get("Authorization");
  const bool query_auth = find_param(query, "X-Amz-Algorithm") != nullptr;
  if (header && query_auth) {
    return fail(AuthProblem::invalid, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (!query_auth && (!header || trim(*header).substr(0, 5) != "AWS4-")) {
    return fail(AuthProblem::missing, "Request is missing Authentication Token");
  }

  if (header) {
    // "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..."
    const std::string_view text = trim(*header);
    const auto space = text.find(' ');
    const std::string_view algorithm = text.substr(0, space);
    std::map<std::string, std::string, std::less<>> params;
    if (space != std::string_view::npos) {
      std::string_view rest = text.substr(space + 1);
      std::size_t i = 0;
      while (i < rest.size()) {
        std::size_t j = rest.find_first_of(", ", i);
        if (j == std::string_view::npos) j = rest.size();
        const auto piece = trim(rest.substr(i, j - i));
        if (!piece.empty()) {
          const auto eq = piece.find('=');
          if (eq != std::string_view::npos) params[std::string(piece.substr(0, eq))] = std::string(piece.substr(eq + 1));
        }
        i = j + 1;
      }
    }
    std::string msg;
    for (const char* p : {"Credential", "Signature", "SignedHeaders"}) {
      auto it = params.find(p);
      if (it == params.end() || it->second.empty()) msg += std::string("Authorization header requires '") + p + "' parameter. ";
    }
    const auto x_date = request.headers.get("X-Amz-Date");
    if (!x_date && !request.headers.get("Date")) {
      msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    }
    if (!msg.empty()) return fail(AuthProblem::incomplete, msg + "Authorization=" + std::string(text));
    return check_parts(algorithm, params["Credential"], params["SignedHeaders"], params["Signature"], x_date ? *x_date : std::string_view{},
                       service, now_s, false);
  }

  std::string msg;
  for (const char* p : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"}) {
    const auto* v = find_param(query, p);
    if (!v || v->empty()) msg += std::string("AWS query-string parameters must include '") + p + "'. ";
  }
  if (!msg.empty()) return fail(AuthProblem::incomplete, msg + "Re-examine the query-string parameters.");
  const std::string& date = *find_param(query, "X-Amz-Date");
  auto check = check_parts(*find_param(query, "X-Amz-Algorithm"), *find_param(query, "X-Amz-Credential"),
                           *find_param(query, "X-Amz-SignedHeaders"), *find_param(query, "X-Amz-Signature"), date, service, now_s, true);
  if (!check.ok()) return check;
  if (const auto* expires = find_param(query, "X-Amz-Expires")) {
    std::int64_t seconds = -1;
    if (!expires->empty() && expires->size() < 10 && expires->find_first_not_of("0123456789") == std::string::npos) {
      seconds = std::stoll(*expires);
    }
    if (seconds < 0) return fail(AuthProblem::incomplete, "X-Amz-Expires should be a number");
    if (seconds > kMaxPresignS) return fail(AuthProblem::incomplete, "X-Amz-Expires must be less than a week (in seconds) that is 604800");
    const std::int64_t start = parse_amz_date(date);
    if (now_s > start + seconds) return fail(AuthProblem::expired, "Request has expired");
  }
  return check;
}

}  // namespace gust::localaws
