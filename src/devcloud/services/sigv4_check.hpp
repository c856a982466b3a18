#pragma once
// Checks that a request carries a well-formed AWS Signature Version 4, in the
// Authorization header or a presigned query, as AWS checks it before looking
// at the signature's value. Any access key is accepted and the signature
// value is not verified (the local cloud knows no secrets), but a missing,
// incomplete, mis-scoped, expired or non-hex signature is rejected in the
// order and with the words AWS uses, so a client that signs wrongly fails
// here as it would on AWS. Each service renders the failure in its own shape.

#include "devcloud/services/service.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace gust::localaws {

enum class AuthProblem {
  none,
  missing,          // no Authorization and no X-Amz-Algorithm: MissingAuthenticationToken
  incomplete,       // a part is missing or malformed: IncompleteSignature
  invalid,          // wrong scope, unsigned host, both styles: InvalidSignature
  bad_signature,    // the signature cannot be one (not 64 hex digits): SignatureDoesNotMatch
  skewed,           // X-Amz-Date more than 15 minutes off: InvalidSignature / RequestTimeTooSkewed
  expired,          // a presigned URL past X-Amz-Expires
  unknown_key,      // an empty access key id: UnrecognizedClient / InvalidAccessKeyId
};

struct AuthCheck {
  AuthProblem problem = AuthProblem::none;
  std::string message;     // AWS's words for the problem (coral services' style)
  std::string access_key;  // when well-formed
  std::string region;
  bool presigned = false;
  bool ok() const { return problem == AuthProblem::none; }
};

// `service` is the credential scope's service ("dynamodb", "sqs", "s3", "sns");
// `query` the request's decoded query parameters; `now_s` the current time.
AuthCheck check_sigv4(const ServiceRequest& request, const Params& query, std::string_view service, std::int64_t now_s);

}  // namespace gust::localaws
