#pragma once
// DynamoDB's error types, with the exact `__type` strings AWS sends. All are
// status 400 except InternalServerError (500).

#include "devcloud/services/aws_common.hpp"

#include <string>

namespace gust::localaws::ddb {

inline constexpr const char* kValidation = "com.amazon.coral.validate#ValidationException";
inline constexpr const char* kSerialization = "com.amazon.coral.service#SerializationException";
inline constexpr const char* kUnknownOperation = "com.amazon.coral.service#UnknownOperationException";
inline constexpr const char* kPrefix = "com.amazonaws.dynamodb.v20120810#";

inline AwsError validation_error(std::string message) { return AwsError(400, kValidation, std::move(message)); }
inline AwsError serialization_error(std::string message) { return AwsError(400, kSerialization, std::move(message)); }
inline AwsError dynamodb_error(const char* name, std::string message, std::string extra = {}) {
  return AwsError(400, std::string(kPrefix) + name, std::move(message), std::move(extra));
}
inline AwsError table_not_found(const std::string& table) {
  return dynamodb_error("ResourceNotFoundException", "Requested resource not found: Table: " + table + " not found");
}
inline AwsError resource_not_found() { return dynamodb_error("ResourceNotFoundException", "Requested resource not found"); }

}  // namespace gust::localaws::ddb
