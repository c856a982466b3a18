#include "aws/s3.hpp"

#include "aws/aws_error.hpp"
#include "aws/default_config.hpp"

#include <pugixml.hpp>

#include <fmt/format.h>

#include <charconv>

namespace gust::aws {

using gust::detail::ByteRange;
using gust::detail::ObjectData;
using gust::detail::ObjectPage;
using gust::detail::PutObjectSpec;
using gust::detail::ResourceBinding;

namespace {

constexpr std::size_t kUnsignedPayloadAbove = 1024 * 1024;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

bool header_safe(std::string_view s) { return s.find_first_of("\r\n") == std::string_view::npos; }

Result<void> add_put_headers(AwsRequest& req, const PutObjectSpec& spec, const std::string& context) {
  if (!header_safe(spec.content_type))
    return unexpected(ErrorCode::invalid_argument, "the content type holds a line break", context);
  req.headers.add("Content-Type", spec.content_type.empty() ? "application/octet-stream" : spec.content_type);
  for (const auto& [k, v] : spec.metadata) {
    if (k.empty() || !header_safe(k) || !header_safe(v) || k.find_first_of(" :") != std::string::npos)
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("metadata '{}' is not a valid header name/value (no spaces, ':' or line breaks)", k),
                        context);
    req.headers.add("x-amz-meta-" + k, v);
  }
  return {};
}

std::uint64_t to_u64(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

ObjectData object_from(AwsResponse&& res) {
  ObjectData d;
  d.content_type = std::string(res.headers.get("Content-Type").value_or(""));
  d.etag = std::string(res.headers.get("ETag").value_or(""));
  d.last_modified = std::string(res.headers.get("Last-Modified").value_or(""));
  d.size = to_u64(res.headers.get("Content-Length").value_or("0"));
  // "bytes 0-9/100": the whole object's size.
  if (auto range = res.headers.get("Content-Range")) {
    const auto slash = range->rfind('/');
    if (slash != std::string_view::npos && range->substr(slash + 1) != "*") d.size = to_u64(range->substr(slash + 1));
  }
  for (const auto& [name, value] : res.headers) {
    const std::string l = lower(name);
    if (l.rfind("x-amz-meta-", 0) == 0) d.metadata[l.substr(11)] = value;
  }
  d.body = std::move(res.body);
  return d;
}

// S3 answers some failures of CompleteMultipartUpload and CopyObject with 200 and an <Error> body.
Result<pugi::xml_node> parse_answer(pugi::xml_document& doc, const AwsResponse& res, const char* root,
                                    const std::string& context) {
  if (!doc.load_buffer(res.body.data(), res.body.size()))
    return unexpected(ErrorCode::internal, "S3 answered with malformed XML", context);
  if (doc.child("Error")) {
    http::ClientResponse as_error{500, res.headers, res.body};
    return Unexpected{parse_xml_error(as_error, context)};
  }
  // Some S3 implementations name the root differently (moto: ...Response); the fields are what matter.
  pugi::xml_node node = doc.child(root);
  if (!node) node = doc.document_element();
  if (!node)
    return unexpected(ErrorCode::internal,
                      fmt::format("S3 answer has no <{}>: {}", root, std::string_view(res.body).substr(0, 300)), context);
  return node;
}

}  // namespace

S3Client::S3Client(std::shared_ptr<ClientConfig> config, S3Options options)
    : client_(kS3, Protocol::rest_xml, std::move(config)), options_(options) {}

AwsRequest S3Client::request_for(std::string_view method, std::string_view bucket, std::string_view key,
                                 std::string_view operation) const {
  AwsRequest req;
  req.method = std::string(method);
  const bool path_style = !client_.endpoint() || client_.endpoint()->configured ||
                          bucket.find('.') != std::string_view::npos;
  const std::string encoded_key = uri_encode(key, true);
  if (path_style) {
    req.path = "/" + uri_encode(bucket) + (key.empty() ? "" : "/" + encoded_key);
  } else {
    req.host_prefix = std::string(bucket) + ".";
    req.path = "/" + encoded_key;
  }
  req.context = key.empty() ? fmt::format("bucket {} {}", bucket, operation)
                            : fmt::format("bucket {} {} {}", bucket, operation, key);
  return req;
}

Result<std::string> S3Client::put_object(std::string_view bucket, std::string_view key, std::string_view body,
                                         const PutObjectSpec& spec) const {
  if (key.empty()) return unexpected(ErrorCode::invalid_argument, "an object key cannot be empty", std::string(bucket));
  if (body.size() > options_.multipart_threshold) return multipart_upload(bucket, key, body, spec);
  AwsRequest req = request_for("PUT", bucket, key, "PutObject");
  if (auto r = add_put_headers(req, spec, req.context); !r) return Unexpected{std::move(r).error()};
  req.body_view = body;
  // Over TLS a large body need not be hashed for the signature (the SDKs do the same).
  const bool tls = client_.endpoint() && client_.endpoint()->url.origin.tls;
  req.unsigned_payload = tls && body.size() > kUnsignedPayloadAbove;
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  return std::string(res->headers.get("ETag").value_or(""));
}

Result<std::string> S3Client::multipart_upload(std::string_view bucket, std::string_view key, std::string_view body,
                                               const PutObjectSpec& spec) const {
  AwsRequest create = request_for("POST", bucket, key, "CreateMultipartUpload");
  create.query = "uploads=";
  if (auto r = add_put_headers(create, spec, create.context); !r) return Unexpected{std::move(r).error()};
  auto created = client_.send(create);
  if (!created) return Unexpected{std::move(created).error()};
  pugi::xml_document doc;
  auto root = parse_answer(doc, *created, "InitiateMultipartUploadResult", create.context);
  if (!root) return Unexpected{std::move(root).error()};
  const std::string upload_id = root->child_value("UploadId");
  if (upload_id.empty()) return unexpected(ErrorCode::internal, "S3 gave no UploadId", create.context);

  const auto abort = [&] {
    AwsRequest a = request_for("DELETE", bucket, key, "AbortMultipartUpload");
    a.query = "uploadId=" + uri_encode(upload_id);
    (void)client_.send(a);
  };
  const bool tls = client_.endpoint() && client_.endpoint()->url.origin.tls;
  std::vector<std::string> etags;
  const std::uint64_t part = std::max<std::uint64_t>(options_.part_size, 1);
  for (std::uint64_t offset = 0, number = 1; offset < body.size(); offset += part, ++number) {
    AwsRequest up = request_for("PUT", bucket, key, fmt::format("UploadPart {}", number));
    up.query = fmt::format("partNumber={}&uploadId={}", number, uri_encode(upload_id));
    up.body_view = body.substr(offset, part);
    up.unsigned_payload = tls;
    auto res = client_.send(up);
    if (!res) {
      abort();
      return Unexpected{std::move(res).error()};
    }
    etags.emplace_back(res->headers.get("ETag").value_or(""));
  }
  std::string xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (std::size_t i = 0; i < etags.size(); ++i) {
    xml += fmt::format("<Part><PartNumber>{}</PartNumber><ETag>", i + 1);
    for (const char c : etags[i]) {  // the ETag's quotes, escaped as XML text
      if (c == '"') xml += "&quot;";
      else if (c == '&') xml += "&amp;";
      else if (c == '<') xml += "&lt;";
      else xml.push_back(c);
    }
    xml += "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  AwsRequest complete = request_for("POST", bucket, key, "CompleteMultipartUpload");
  complete.query = "uploadId=" + uri_encode(upload_id);
  complete.headers.add("Content-Type", "application/xml");
  complete.body = std::move(xml);
  auto done = client_.send(complete);
  if (!done) {
    abort();
    return Unexpected{std::move(done).error()};
  }
  pugi::xml_document answer;
  auto result = parse_answer(answer, *done, "CompleteMultipartUploadResult", complete.context);
  if (!result) {
    abort();
    return Unexpected{std::move(result).error()};
  }
  return std::string(result->child_value("ETag"));
}

Result<ObjectData> S3Client::get_object(std::string_view bucket, std::string_view key,
                                        const std::optional<ByteRange>& range) const {
  AwsRequest req = request_for("GET", bucket, key, "GetObject");
  if (range) {
    if (range->last && *range->last < range->first)
      return unexpected(ErrorCode::invalid_argument,
                        fmt::format("byte range {}-{} ends before it starts", range->first, *range->last), req.context);
    req.headers.add("Range", range->last ? fmt::format("bytes={}-{}", range->first, *range->last)
                                         : fmt::format("bytes={}-", range->first));
  }
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  return object_from(std::move(*res));
}

Result<ObjectData> S3Client::head_object(std::string_view bucket, std::string_view key) const {
  AwsRequest req = request_for("HEAD", bucket, key, "HeadObject");
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  return object_from(std::move(*res));
}

Result<void> S3Client::delete_object(std::string_view bucket, std::string_view key) const {
  AwsRequest req = request_for("DELETE", bucket, key, "DeleteObject");
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  return {};
}

Result<std::string> S3Client::copy_object(std::string_view bucket, std::string_view source_key,
                                          std::string_view destination_key) const {
  AwsRequest req = request_for("PUT", bucket, destination_key, "CopyObject");
  req.headers.add("x-amz-copy-source", "/" + uri_encode(bucket) + "/" + uri_encode(source_key, true));
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  pugi::xml_document doc;
  auto result = parse_answer(doc, *res, "CopyObjectResult", req.context);
  if (!result) return Unexpected{std::move(result).error()};
  return std::string(result->child_value("ETag"));
}

Result<ObjectPage> S3Client::list_objects(std::string_view bucket, std::string_view prefix,
                                          std::string_view delimiter, const std::optional<std::string>& token,
                                          std::optional<int> max_keys) const {
  AwsRequest req = request_for("GET", bucket, "", "ListObjectsV2");
  QueryParams q = {{"list-type", "2"}, {"encoding-type", "url"}};
  if (!prefix.empty()) q.emplace_back("prefix", std::string(prefix));
  if (!delimiter.empty()) q.emplace_back("delimiter", std::string(delimiter));
  if (token) q.emplace_back("continuation-token", *token);
  if (max_keys) q.emplace_back("max-keys", std::to_string(*max_keys));
  req.query = encode_query(q);
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  pugi::xml_document doc;
  auto root = parse_answer(doc, *res, "ListBucketResult", req.context);
  if (!root) return Unexpected{std::move(root).error()};
  // Keys come URL-encoded only when the server honoured encoding-type=url.
  const bool encoded = std::string_view(root->child_value("EncodingType")) == "url";
  const auto text = [&](const char* s) { return encoded ? uri_decode(s) : std::string(s); };
  ObjectPage page;
  for (pugi::xml_node c : root->children("Contents")) {
    gust::detail::ListedObject o;
    o.key = text(c.child_value("Key"));
    o.size = to_u64(c.child_value("Size"));
    o.etag = c.child_value("ETag");
    o.last_modified = c.child_value("LastModified");
    page.objects.push_back(std::move(o));
  }
  for (pugi::xml_node p : root->children("CommonPrefixes")) page.common_prefixes.push_back(text(p.child_value("Prefix")));
  if (std::string_view(root->child_value("IsTruncated")) == "true") {
    std::string next = root->child_value("NextContinuationToken");
    if (!next.empty()) page.next = std::move(next);
  }
  return page;
}

Result<std::string> S3Client::presign(std::string_view bucket, std::string_view method, std::string_view key,
                                      std::chrono::seconds expires) const {
  if (method != "GET" && method != "PUT" && method != "HEAD" && method != "DELETE")
    return unexpected(ErrorCode::invalid_argument, fmt::format("cannot presign method '{}'", method),
                      std::string(bucket));
  AwsRequest req = request_for(method, bucket, key, "Presign");
  return client_.presign(req, expires);
}

Result<void> S3Client::create_bucket(std::string_view bucket) const {
  AwsRequest req = request_for("PUT", bucket, "", "CreateBucket");
  const std::string& region = client_.config()->region;
  if (region != "us-east-1") {
    req.headers.add("Content-Type", "application/xml");
    req.body = fmt::format(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{}"
        "</LocationConstraint></CreateBucketConfiguration>",
        region);
  }
  auto res = client_.send(req);
  if (!res) return Unexpected{std::move(res).error()};
  return {};
}

Result<void> S3Client::delete_bucket(std::string_view bucket) const {
  auto res = client_.send(request_for("DELETE", bucket, "", "DeleteBucket"));
  if (!res) return Unexpected{std::move(res).error()};
  return {};
}

S3BucketService::S3BucketService(Result<std::shared_ptr<ClientConfig>> config, S3Options options) {
  if (config) client_.emplace(std::move(*config), options);
  else config_error_ = std::move(config).error();
}

Result<const S3Client*> S3BucketService::client() const {
  if (!client_) return Unexpected{config_error_};
  return &*client_;
}

#define GUST_S3_CLIENT_OR_RETURN(c) \
  auto c = client();                \
  if (!c) return Unexpected{std::move(c).error()}

Result<std::string> S3BucketService::put_object(const ResourceBinding& bucket, std::string_view key,
                                                std::string_view body, const PutObjectSpec& spec) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->put_object(bucket.physical, key, body, spec);
}
Result<ObjectData> S3BucketService::get_object(const ResourceBinding& bucket, std::string_view key,
                                               const std::optional<ByteRange>& range) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->get_object(bucket.physical, key, range);
}
Result<ObjectData> S3BucketService::head_object(const ResourceBinding& bucket, std::string_view key) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->head_object(bucket.physical, key);
}
Result<void> S3BucketService::delete_object(const ResourceBinding& bucket, std::string_view key) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->delete_object(bucket.physical, key);
}
Result<std::string> S3BucketService::copy_object(const ResourceBinding& bucket, std::string_view source_key,
                                                 std::string_view destination_key) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->copy_object(bucket.physical, source_key, destination_key);
}
Result<ObjectPage> S3BucketService::list_objects(const ResourceBinding& bucket, std::string_view prefix,
                                                 std::string_view delimiter, const std::optional<std::string>& token,
                                                 std::optional<int> max_keys) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->list_objects(bucket.physical, prefix, delimiter, token, max_keys);
}
Result<std::string> S3BucketService::presign(const ResourceBinding& bucket, std::string_view method,
                                             std::string_view key, std::chrono::seconds expires) {
  GUST_S3_CLIENT_OR_RETURN(c);
  return (*c)->presign(bucket.physical, method, key, expires);
}

#undef GUST_S3_CLIENT_OR_RETURN

}  // namespace gust::aws

namespace gust::detail {

BucketService& bucket_service() {
  static aws::S3BucketService service(aws::default_client_config());
  return service;
}

}  // namespace gust::detail
