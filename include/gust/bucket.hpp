#pragma once
// Bucket capabilities: BucketReader (get, head, list, presigned GET) and
// BucketWriter (put, remove, presigned PUT).
//
//   app.post("/files/{name}", gust::writes(files),
//            [](const gust::Request& req, gust::BucketWriter files) {
//              files.put(std::string(req.param("name")), req.body()).value();
//              return gust::Response::no_content();
//            });

#include <gust/detail/services.hpp>
#include <gust/resources.hpp>

namespace gust {

using ObjectData = detail::ObjectData;
using ObjectPage = detail::ObjectPage;
using ByteRange = detail::ByteRange;

struct PutOptions {
  std::string content_type = "application/octet-stream";
  std::map<std::string, std::string> metadata;  // x-amz-meta-*
};

struct ListOptions {
  std::string prefix;
  std::string delimiter;  // "/" to list one "folder" level
  std::optional<std::string> start;  // a previous ObjectPage::next
  std::optional<int> max_keys;
};

template <BucketPermission P>
class BucketClient {
 public:
  explicit BucketClient(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // The object's body and metadata; ErrorCode::not_found when absent.
  Result<ObjectData> get(std::string_view key, std::optional<ByteRange> range = std::nullopt) const {
    require_read();
    return detail::bucket_service().get_object(*binding_, key, range);
  }
  // The object's metadata without its body.
  Result<ObjectData> head(std::string_view key) const {
    require_read();
    return detail::bucket_service().head_object(*binding_, key);
  }
  Result<ObjectPage> list(const ListOptions& options = {}) const {
    require_read();
    return detail::bucket_service().list_objects(*binding_, options.prefix, options.delimiter, options.start,
                                                 options.max_keys);
  }
  // A URL that lets anyone GET the object until it expires (at most 7 days).
  Result<std::string> presign_get(std::string_view key, std::chrono::seconds expires) const {
    require_read();
    return detail::bucket_service().presign(*binding_, "GET", key, expires);
  }

  // Stores `body` under `key`; returns the ETag. Bodies over 16 MiB go up
  // as a multipart upload (8 MiB parts), which S3 needs past 5 GiB.
  Result<std::string> put(std::string_view key, std::string_view body, const PutOptions& options = {}) const {
    require_write();
    return detail::bucket_service().put_object(*binding_, key, body, {options.content_type, options.metadata});
  }
  Result<void> remove(std::string_view key) const {
    require_write();
    return detail::bucket_service().delete_object(*binding_, key);
  }
  // Copies an object within the bucket (server-side, up to 5 GiB); returns the copy's ETag.
  Result<std::string> copy(std::string_view source_key, std::string_view destination_key) const {
    require_read();
    require_write();
    return detail::bucket_service().copy_object(*binding_, source_key, destination_key);
  }
  // A URL that lets anyone PUT the object until it expires.
  Result<std::string> presign_put(std::string_view key, std::chrono::seconds expires) const {
    require_write();
    return detail::bucket_service().presign(*binding_, "PUT", key, expires);
  }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  static constexpr void require_read() {
    static_assert(allows(P, BucketPermission::read),
                  "gust: BucketWriter cannot read. Declare gust::reads(bucket) on the handler and take a "
                  "gust::BucketReader parameter (or gust::reads_writes(bucket) and gust::BucketReadWriter).");
  }
  static constexpr void require_write() {
    static_assert(allows(P, BucketPermission::write),
                  "gust: BucketReader cannot write. Declare gust::writes(bucket) on the handler and take a "
                  "gust::BucketWriter parameter (or gust::reads_writes(bucket) and gust::BucketReadWriter).");
  }
  const detail::ResourceBinding* binding_;
};

using BucketReader = BucketClient<BucketPermission::read>;
using BucketWriter = BucketClient<BucketPermission::write>;
using BucketReadWriter = BucketClient<BucketPermission::read_write>;

}  // namespace gust
