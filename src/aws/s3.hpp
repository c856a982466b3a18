#pragma once
// S3 over REST/XML, and the BucketService behind BucketReader/BucketWriter.
//
// Addressing: virtual-hosted ("bucket.s3.region.amazonaws.com/key") on AWS's
// own endpoints, path-style ("endpoint/bucket/key") on a configured endpoint
// (local clouds, test peers) and for bucket names with dots (TLS wildcard).
// Keys are percent-encoded byte for byte and never normalised, so "a//b",
// "./x" and Unicode keys name exactly that object.

#include "aws/aws_client.hpp"

#include <gust/detail/services.hpp>

namespace gust::aws {

struct S3Options {
  std::uint64_t multipart_threshold = 16 * 1024 * 1024;  // bodies above go up in parts
  std::uint64_t part_size = 8 * 1024 * 1024;             // S3's minimum is 5 MiB (except the last part)
};

class S3Client {
 public:
  explicit S3Client(std::shared_ptr<ClientConfig> config, S3Options options = {});

  Result<std::string> put_object(std::string_view bucket, std::string_view key, std::string_view body,
                                 const gust::detail::PutObjectSpec& spec) const;
  Result<gust::detail::ObjectData> get_object(std::string_view bucket, std::string_view key,
                                              const std::optional<gust::detail::ByteRange>& range) const;
  Result<gust::detail::ObjectData> head_object(std::string_view bucket, std::string_view key) const;
  Result<void> delete_object(std::string_view bucket, std::string_view key) const;
  Result<std::string> copy_object(std::string_view bucket, std::string_view source_key,
                                  std::string_view destination_key) const;
  Result<gust::detail::ObjectPage> list_objects(std::string_view bucket, std::string_view prefix,
                                                std::string_view delimiter, const std::optional<std::string>& token,
                                                std::optional<int> max_keys) const;
  // Multipart upload of `body` in parts of options().part_size; aborted on failure.
  Result<std::string> multipart_upload(std::string_view bucket, std::string_view key, std::string_view body,
                                       const gust::detail::PutObjectSpec& spec) const;
  Result<std::string> presign(std::string_view bucket, std::string_view method, std::string_view key,
                              std::chrono::seconds expires) const;

  // Bucket administration (tests, the CLI's deployment bucket).
  Result<void> create_bucket(std::string_view bucket) const;
  Result<void> delete_bucket(std::string_view bucket) const;

  const S3Options& options() const { return options_; }
  const AwsClient& aws() const { return client_; }

 private:
  AwsRequest request_for(std::string_view method, std::string_view bucket, std::string_view key,
                         std::string_view operation) const;

  AwsClient client_;
  S3Options options_;
};

class S3BucketService final : public gust::detail::BucketService {
 public:
  explicit S3BucketService(Result<std::shared_ptr<ClientConfig>> config, S3Options options = {});

  Result<std::string> put_object(const gust::detail::ResourceBinding& bucket, std::string_view key,
                                 std::string_view body, const gust::detail::PutObjectSpec& spec) override;
  Result<gust::detail::ObjectData> get_object(const gust::detail::ResourceBinding& bucket, std::string_view key,
                                              const std::optional<gust::detail::ByteRange>& range) override;
  Result<gust::detail::ObjectData> head_object(const gust::detail::ResourceBinding& bucket,
                                               std::string_view key) override;
  Result<void> delete_object(const gust::detail::ResourceBinding& bucket, std::string_view key) override;
  Result<std::string> copy_object(const gust::detail::ResourceBinding& bucket, std::string_view source_key,
                                  std::string_view destination_key) override;
  Result<gust::detail::ObjectPage> list_objects(const gust::detail::ResourceBinding& bucket, std::string_view prefix,
                                                std::string_view delimiter, const std::optional<std::string>& token,
                                                std::optional<int> max_keys) override;
  Result<std::string> presign(const gust::detail::ResourceBinding& bucket, std::string_view method,
                              std::string_view key, std::chrono::seconds expires) override;

 private:
  Result<const S3Client*> client() const;
  std::optional<S3Client> client_;
  Error config_error_;
};

}  // namespace gust::aws
