#pragma once
// A deployed function's code: the zip named by Code.S3Bucket/S3Key, read
// from the local S3 and unpacked into the state folder (one folder per zip
// content), as Lambda unpacks it into /var/task. Errors use Lambda's words.

#include "devcloud/services/s3_service.hpp"

#include <gust/result.hpp>

#include <filesystem>
#include <string>

namespace gust::devcloud::target {

// Unpacks s3://bucket/key under `root` and returns the folder holding it (its `bootstrap` is the entry point).
Result<std::filesystem::path> unpack_function_code(localaws::S3Service& s3, const std::string& bucket, const std::string& key,
                                                   const std::filesystem::path& root, const std::string& region);

}  // namespace gust::devcloud::target
