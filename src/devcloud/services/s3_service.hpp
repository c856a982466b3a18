#pragma once
// A local S3: the REST/XML API, path-style (http://127.0.0.1:PORT/bucket/key)
// and `bucket.localhost` virtual hosts. Object bodies are files under
// `s3-objects/` in the state folder, metadata rows in `s3.sqlite`. Buckets,
// Put/Get (ranges, conditions)/Head/Delete/Copy, ListObjects (v1 and v2:
// prefix, delimiter, continuation tokens, max-keys), multi-object delete,
// multipart uploads (ETag "md5-of-md5s-N"), user metadata, checksums,
// aws-chunked uploads and presigned URLs (shape checked, expiry honoured).
//
// gust dev wires object notifications through set_on_event:
//
//   s3.set_on_event([&](const S3Event& e) { invoke(fn, s3_lambda_event(e, "us-east-1")); });

#include "devcloud/services/service.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace gust::localaws {

// An object-created or object-removed event, as S3 notifications report it.
struct S3Event {
  std::string event_name;  // "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete"
  std::string bucket;
  std::string key;         // as stored (not URL-encoded)
  std::uint64_t size = 0;
  std::string etag;        // without quotes
  std::string sequencer;   // increases with each event on a key
  std::int64_t time_ms = 0;
  std::string source_ip = "127.0.0.1";
  std::string principal;   // the access key that made the request
};

class S3Service : public Service {
 public:
  static Result<std::unique_ptr<S3Service>> open(const ServiceOptions& options);
  ~S3Service() override;

  void handle(ServiceRequest request, Reply reply) override;

  // Called after an object is created or deleted (from the request's thread,
  // without locks held). Set it before serving requests.
  void set_on_event(std::function<void(const S3Event&)> callback);

  // In-process helpers for the local cloud (no signature).
  Result<void> ensure_bucket(const std::string& bucket);

  struct Impl;

 private:
  explicit S3Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The Lambda event for one S3 notification ({"Records":[{"eventSource":"aws:s3",...}]}).
std::string s3_lambda_event(const S3Event& event, const std::string& region);

}  // namespace gust::localaws
