#include "devcloud/services/s3_service.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/s3_body.hpp"
#include "devcloud/services/s3_bucket_config.hpp"
#include "devcloud/services/sigv4_check.hpp"
#include "devcloud/services/sqlite_db.hpp"

#include <gust/value.hpp>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>

namespace gust::localaws {

namespace json = boost::json;

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS buckets(
  name TEXT PRIMARY KEY,
  created INTEGER NOT NULL,
  region TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS objects(
  bucket TEXT NOT NULL, key TEXT NOT NULL,
  file TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
  modified INTEGER NOT NULL, headers TEXT NOT NULL,
  PRIMARY KEY(bucket, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads(
  id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL,
  initiated INTEGER NOT NULL, headers TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts(
  upload TEXT NOT NULL, number INTEGER NOT NULL,
  file TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL, modified INTEGER NOT NULL,
  PRIMARY KEY(upload, number)) WITHOUT ROWID;
)sql";

constexpr const char* kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";
constexpr std::uint64_t kMinPartSize = 5 * 1024 * 1024;

AwsError s3_error(int status, std::string code, std::string message, std::string extra = {}) {
  return AwsError(status, std::move(code), std::move(message), std::move(extra));
}
std::string element(std::string_view name, std::string_view value) {
  return "<" + std::string(name) + ">" + xml_escape(value) + "</" + std::string(name) + ">";
}
AwsError no_such_bucket(const std::string& bucket) {
  return s3_error(404, "NoSuchBucket", "The specified bucket does not exist", element("BucketName", bucket));
}
AwsError no_such_key(const std::string& key) { return s3_error(404, "NoSuchKey", "The specified key does not exist.", element("Key", key)); }
AwsError no_such_upload(const std::string& id) {
  return s3_error(404, "NoSuchUpload",
                  "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                  element("UploadId", id));
}
AwsError malformed_xml() {
  return s3_error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool valid_bucket_name(std::string_view name) {
  static const std::regex kName("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  static const std::regex kIp(R"(\d+\.\d+\.\d+\.\d+)");
  const std::string s(name);
  return std::regex_match(s, kName) && s.find("..") == std::string::npos && !std::regex_match(s, kIp);
}

// Headers S3 keeps with an object and returns on GET/HEAD, by lower-case name.
bool stored_header(const std::string& name) {
  static const std::set<std::string> kStored = {"content-type",   "content-encoding", "content-disposition", "cache-control",
                                                "content-language", "expires",        "x-amz-website-redirect-location",
                                                "x-amz-storage-class", "x-amz-tagging"};
  return kStored.count(name) || name.rfind("x-amz-meta-", 0) == 0 || name.rfind("x-amz-checksum-", 0) == 0;
}

// How S3 spells stored headers on the way out.
std::string header_case(const std::string& name) {
  static const std::map<std::string, std::string> kCase = {
      {"content-type", "Content-Type"},         {"content-encoding", "Content-Encoding"}, {"content-disposition", "Content-Disposition"},
      {"cache-control", "Cache-Control"},       {"content-language", "Content-Language"}, {"expires", "Expires"}};
  auto it = kCase.find(name);
  return it == kCase.end() ? name : it->second;
}

bool write_file(const std::filesystem::path& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return ::close(fd) == 0;
}

std::optional<std::string> read_file(const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out(length, '\0');
  std::size_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done != length) return std::nullopt;
  return out;
}

struct Object {
  std::string file;
  std::uint64_t size = 0;
  std::string etag;  // without quotes
  std::int64_t modified = 0;
  json::object headers;
};

std::int64_t parse_http_date(std::string_view s) {
  std::tm tm{};
  const std::string text(s);
  if (::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm) == nullptr &&
      ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) {
    return -1;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace

struct S3Service::Impl {
  ServiceOptions options;
  std::unique_ptr<Db> db;
  std::mutex mu;
  std::filesystem::path objects_dir;
  std::mutex callback_mu;
  std::function<void(const S3Event&)> on_event;
  std::atomic<std::uint64_t> sequence{0};

  struct Ctx {
    const ServiceRequest& req;
    Params query;
    std::string bucket;
    std::string key;
    bool has_key = false;
    std::string principal;
    std::string host;
    std::vector<S3Event> events;
    std::string body;  // decoded (aws-chunked undone)
    std::map<std::string, std::string> trailers;

    bool has(std::string_view name) const { return find_param(query, name) != nullptr; }
    std::string param(std::string_view name, std::string fallback = {}) const {
      const auto* v = find_param(query, name);
      return v ? *v : fallback;
    }
    std::optional<std::string> header(std::string_view name) const {
      auto v = req.headers.get(name);
      if (v) return std::string(*v);
      auto t = trailers.find(lower(name));
      if (t != trailers.end()) return t->second;
      return std::nullopt;
    }
  };

  // ---- storage helpers (call with `mu` held)
  bool bucket_exists(const std::string& bucket) {
    auto& st = db->stmt("SELECT 1 FROM buckets WHERE name=?1");
    st.bind_text(1, bucket);
    const bool found = st.step();
    st.reset();
    return found;
  }
  void require_bucket(const std::string& bucket) {
    if (!bucket_exists(bucket)) throw no_such_bucket(bucket);
  }
  std::optional<Object> find_object(const std::string& bucket, const std::string& key) {
    auto& st = db->stmt("SELECT file, size, etag, modified, headers FROM objects WHERE bucket=?1 AND key=?2");
    st.bind_text(1, bucket).bind_text(2, key);
    if (!st.step()) return std::nullopt;
    Object o{st.column_text(0), static_cast<std::uint64_t>(st.column_int(1)), st.column_text(2), st.column_int(3),
             json::parse(st.column_text(4)).get_object()};
    st.reset();
    return o;
  }
  std::string new_file_name() { return random_hex(16); }
  void remove_file(const std::string& file) {
    std::error_code ec;
    std::filesystem::remove(objects_dir / file, ec);
  }
  std::string store_body(std::string_view data) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      std::string name = new_file_name();
      if (write_file(objects_dir / name, data)) return name;
    }
    throw s3_error(500, "InternalError", "We encountered an internal error. Please try again.");
  }
  // Replaces (bucket, key) with a new object row; the old body file is removed after the commit.
  void put_row(const std::string& bucket, const std::string& key, const Object& o, std::string& old_file) {
    if (auto old = find_object(bucket, key)) old_file = old->file;
    db->stmt("INSERT OR REPLACE INTO objects(bucket, key, file, size, etag, modified, headers) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind_text(1, bucket)
        .bind_text(2, key)
        .bind_text(3, o.file)
        .bind(4, static_cast<std::int64_t>(o.size))
        .bind_text(5, o.etag)
        .bind(6, o.modified)
        .bind_text(7, json::serialize(o.headers))
        .run();
  }

  S3Event event(const Ctx& c, std::string name, const std::string& key, std::uint64_t size, const std::string& etag) {
    char seq[32];
    std::snprintf(seq, sizeof seq, "%016llX", static_cast<unsigned long long>(now_ms() * 1000 + (sequence++ % 1000)));
    return S3Event{std::move(name), c.bucket, key, size, etag, seq, now_ms(), "127.0.0.1", c.principal};
  }

  // Headers to keep from a request (PutObject, CreateMultipartUpload, CopyObject REPLACE).
  static json::object request_headers(const Ctx& c) {
    json::object h;
    for (const auto& [name, value] : c.req.headers) {
      const std::string n = lower(name);
      if (stored_header(n)) h[n] = value;
    }
    if (auto enc = h.if_contains("content-encoding")) {
      // aws-chunked is transfer framing, not the object's encoding.
      std::string v(enc->get_string());
      std::string kept;
      std::size_t start = 0;
      while (start <= v.size()) {
        auto comma = v.find(',', start);
        if (comma == std::string::npos) comma = v.size();
        std::string part = v.substr(start, comma - start);
        part.erase(0, part.find_first_not_of(' '));
        if (!part.empty() && part != "aws-chunked") kept += (kept.empty() ? "" : ",") + part;
        start = comma + 1;
      }
      if (kept.empty()) {
        h.erase("content-encoding");
      } else {
        h["content-encoding"] = kept;
      }
    }
    for (const auto& [name, value] : c.trailers) {
      if (name.rfind("x-amz-checksum-", 0) == 0) h[name] = value;
    }
    if (!h.contains("content-type")) h["content-type"] = "binary/octet-stream";
    return h;
  }

  // Checks Content-MD5, x-amz-content-sha256 and x-amz-checksum-* against the body.
  static void verify_body(const Ctx& c) {
    if (auto md5 = c.header("Content-MD5")) {
      auto raw = base64_decode(*md5);
      if (!raw || raw->size() != 16) throw s3_error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.", element("Content-MD5", *md5));
      if (*raw != md5_raw(c.body)) {
        throw s3_error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.",
                       element("ExpectedDigest", to_hex(*raw)) + element("CalculatedDigest", base64_encode(md5_raw(c.body))));
      }
    }
    if (auto sha = c.req.headers.get("x-amz-content-sha256")) {
      const std::string v(*sha);
      const bool hex64 = v.size() == 64 && v.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
      if (hex64 && lower(v) != s3::sha256_hex(c.body)) {
        throw s3_error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.",
                       element("ClientComputedContentSHA256", v) + element("S3ComputedContentSHA256", s3::sha256_hex(c.body)));
      }
    }
    for (const char* alg : {"crc32", "sha1", "sha256"}) {
      if (auto given = c.header(std::string("x-amz-checksum-") + alg)) {
        auto computed = s3::checksum(alg, c.body);
        if (computed && *computed != *given) {
          std::string upper = lower(alg);
          for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          throw s3_error(400, "BadDigest", "The " + upper + " you specified did not match the calculated checksum.");
        }
      }
    }
  }

  static void object_headers(ServiceResponse& res, const Object& o) {
    res.headers.set("ETag", "\"" + o.etag + "\"");
    res.headers.set("Last-Modified", http_date(o.modified));
    res.headers.set("Accept-Ranges", "bytes");
    res.headers.set("x-amz-server-side-encryption", "AES256");
    for (const auto& [name, value] : o.headers) {
      const std::string n(name);
      if (n.rfind("x-amz-checksum-", 0) == 0 || n == "x-amz-tagging") continue;
      res.headers.set(header_case(n), value.get_string());
    }
  }

  // ---- buckets
  ServiceResponse list_buckets(Ctx&) {
    std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListAllMyBucketsResult xmlns=\"") + kXmlns + "\"><Owner>" +
                       element("ID", std::string(64, 'a')) + element("DisplayName", "gust-dev") + "</Owner><Buckets>";
    auto& st = db->stmt("SELECT name, created FROM buckets ORDER BY name");
    while (st.step()) {
      body += "<Bucket>" + element("Name", st.column_text(0)) + element("CreationDate", iso8601_ms(st.column_int(1))) + "</Bucket>";
    }
    st.reset();
    body += "</Buckets></ListAllMyBucketsResult>";
    return xml(200, body);
  }

  ServiceResponse create_bucket(Ctx& c) {
    if (!valid_bucket_name(c.bucket)) throw s3_error(400, "InvalidBucketName", "The specified bucket is not valid.", element("BucketName", c.bucket));
    std::string region = options.region;
    if (!c.body.empty()) {
      pugi::xml_document doc;
      if (!doc.load_buffer(c.body.data(), c.body.size())) throw malformed_xml();
      const auto loc = doc.child("CreateBucketConfiguration").child("LocationConstraint");
      if (loc) region = loc.text().get();
    }
    if (bucket_exists(c.bucket)) {
      // us-east-1 answers a repeated create of your own bucket with 200.
      if (options.region != "us-east-1") {
        throw s3_error(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.",
                       element("BucketName", c.bucket));
      }
    } else {
      Transaction tx(*db);
      db->stmt("INSERT INTO buckets(name, created, region) VALUES(?1, ?2, ?3)").bind_text(1, c.bucket).bind(2, now_ms()).bind_text(3, region).run();
      tx.commit();
    }
    ServiceResponse res;
    res.headers.set("Location", "/" + c.bucket);
    return res;
  }

  ServiceResponse delete_bucket(Ctx& c) {
    require_bucket(c.bucket);
    auto& st = db->stmt("SELECT 1 FROM objects WHERE bucket=?1 LIMIT 1");
    st.bind_text(1, c.bucket);
    const bool has_objects = st.step();
    st.reset();
    if (has_objects) throw s3_error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty. You must delete all versions in the bucket.", element("BucketName", c.bucket));
    Transaction tx(*db);
    std::vector<std::string> files;
    auto& parts = db->stmt("SELECT p.file FROM parts p JOIN uploads u ON u.id=p.upload WHERE u.bucket=?1");
    parts.bind_text(1, c.bucket);
    while (parts.step()) files.push_back(parts.column_text(0));
    parts.reset();
    db->stmt("DELETE FROM parts WHERE upload IN (SELECT id FROM uploads WHERE bucket=?1)").bind_text(1, c.bucket).run();
    db->stmt("DELETE FROM uploads WHERE bucket=?1").bind_text(1, c.bucket).run();
    db->stmt("DELETE FROM buckets WHERE name=?1").bind_text(1, c.bucket).run();
    forget_bucket_configs(*db, c.bucket);
    tx.commit();
    for (const auto& f : files) remove_file(f);
    ServiceResponse res;
    res.status = 204;
    return res;
  }

  ServiceResponse head_bucket(Ctx& c) {
    auto& st = db->stmt("SELECT region FROM buckets WHERE name=?1");
    st.bind_text(1, c.bucket);
    if (!st.step()) {
      st.reset();
      throw no_such_bucket(c.bucket);
    }
    ServiceResponse res;
    res.headers.set("x-amz-bucket-region", st.column_text(0));
    st.reset();
    return res;
  }

  ServiceResponse bucket_location(Ctx& c) {
    auto& st = db->stmt("SELECT region FROM buckets WHERE name=?1");
    st.bind_text(1, c.bucket);
    if (!st.step()) {
      st.reset();
      throw no_such_bucket(c.bucket);
    }
    std::string region = st.column_text(0);
    st.reset();
    // us-east-1 reports an empty LocationConstraint.
    if (region == "us-east-1") region.clear();
    return xml(200, std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><LocationConstraint xmlns=\"") + kXmlns + "\">" + xml_escape(region) +
                        "</LocationConstraint>");
  }

  // ---- listing
  ServiceResponse list_objects(Ctx& c, bool v2) {
    require_bucket(c.bucket);
    const std::string prefix = c.param("prefix");
    const std::string delimiter = c.param("delimiter");
    const std::string encoding = c.param("encoding-type");
    if (!encoding.empty() && encoding != "url") {
      throw s3_error(400, "InvalidArgument", "Invalid Encoding Method specified in Request",
                     element("ArgumentName", "encoding-type") + element("ArgumentValue", encoding));
    }
    const std::string max_text = c.param("max-keys", "1000");
    if (max_text.empty() || max_text.size() > 9 || max_text.find_first_not_of("0123456789") != std::string::npos) {
      throw s3_error(400, "InvalidArgument", "Provided max-keys not an integer or within integer range",
                     element("ArgumentName", "max-keys") + element("ArgumentValue", max_text));
    }
    const std::size_t max_keys = std::min<std::size_t>(std::stoul(max_text), 1000);
    // Where to start: after the continuation token (v2), start-after (v2) or marker (v1).
    std::string after;
    bool after_is_prefix = false;
    const std::string token = c.param("continuation-token");
    if (v2 && c.has("continuation-token")) {
      auto decoded = base64_decode(token);
      if (!decoded || decoded->size() < 2 || (decoded->substr(0, 2) != "k:" && decoded->substr(0, 2) != "p:")) {
        throw s3_error(400, "InvalidArgument", "The continuation token provided is incorrect",
                       element("ArgumentName", "continuation-token") + element("ArgumentValue", token));
      }
      after = decoded->substr(2);
      after_is_prefix = (*decoded)[0] == 'p';
    } else if (v2) {
      after = c.param("start-after");
    } else {
      after = c.param("marker");
    }
    std::string from = std::max(after, prefix);
    auto enc = [&](const std::string& s) { return encoding == "url" ? url_encode(s, true) : s; };

    struct Entry {
      bool is_prefix;
      std::string name;
      Object obj;
    };
    std::vector<Entry> entries;
    bool truncated = false;
    std::string last_common;
    auto& st = db->stmt("SELECT key, size, etag, modified, headers FROM objects WHERE bucket=?1 AND key>=?2 ORDER BY key");
    st.bind_text(1, c.bucket).bind_text(2, from);
    const std::string skip_prefix = after_is_prefix ? after : std::string();
    while (st.step()) {
      const std::string key = st.column_text(0);
      if (key.compare(0, prefix.size(), prefix) != 0) break;  // sorted: past the prefix
      if (!after.empty() && !after_is_prefix && key <= after) continue;
      if (after_is_prefix && key.compare(0, skip_prefix.size(), skip_prefix) == 0) continue;
      std::string common;
      if (!delimiter.empty()) {
        const auto at = key.find(delimiter, prefix.size());
        if (at != std::string::npos) common = key.substr(0, at + delimiter.size());
      }
      if (!common.empty() && common == last_common) continue;
      if (entries.size() >= max_keys) {
        truncated = true;
        break;
      }
      if (!common.empty()) {
        last_common = common;
        entries.push_back(Entry{true, common, {}});
      } else {
        entries.push_back(Entry{false, key,
                                Object{{}, static_cast<std::uint64_t>(st.column_int(1)), st.column_text(2), st.column_int(3),
                                       json::parse(st.column_text(4)).get_object()}});
      }
    }
    st.reset();

    std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"") + kXmlns + "\">";
    body += element("Name", c.bucket) + element("Prefix", enc(prefix));
    if (v2) {
      if (c.has("continuation-token")) body += element("ContinuationToken", token);
      if (c.has("start-after")) body += element("StartAfter", enc(c.param("start-after")));
      body += element("KeyCount", std::to_string(entries.size()));
    } else {
      body += element("Marker", enc(c.param("marker")));
    }
    body += element("MaxKeys", std::to_string(max_keys));
    if (!delimiter.empty()) body += element("Delimiter", enc(delimiter));
    if (!encoding.empty()) body += element("EncodingType", encoding);
    body += element("IsTruncated", truncated ? "true" : "false");
    if (truncated && !entries.empty()) {
      const auto& last = entries.back();
      if (v2) {
        body += element("NextContinuationToken", base64_encode((last.is_prefix ? "p:" : "k:") + last.name));
      } else if (!delimiter.empty()) {
        body += element("NextMarker", enc(last.name));
      }
    }
    const bool fetch_owner = c.param("fetch-owner") == "true" || !v2;
    for (const auto& e : entries) {
      if (e.is_prefix) continue;
      body += "<Contents>" + element("Key", enc(e.name)) + element("LastModified", iso8601_ms(e.obj.modified)) +
              element("ETag", "\"" + e.obj.etag + "\"");
      if (auto* alg = e.obj.headers.if_contains("x-amz-checksum-algorithm")) body += element("ChecksumAlgorithm", alg->get_string());
      body += element("Size", std::to_string(e.obj.size)) + element("StorageClass", "STANDARD");
      if (fetch_owner) body += "<Owner>" + element("ID", std::string(64, 'a')) + element("DisplayName", "gust-dev") + "</Owner>";
      body += "</Contents>";
    }
    for (const auto& e : entries) {
      if (e.is_prefix) body += "<CommonPrefixes>" + element("Prefix", enc(e.name)) + "</CommonPrefixes>";
    }
    body += "</ListBucketResult>";
    return xml(200, body);
  }

  // ---- objects
  ServiceResponse put_object(Ctx& c) {
    require_bucket(c.bucket);
    verify_body(c);
    const auto existing = find_object(c.bucket, c.key);
    if (auto inm = c.header("If-None-Match"); inm && *inm == "*" && existing) {
      throw s3_error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", element("Condition", "If-None-Match"));
    }
    if (auto im = c.header("If-Match")) {
      if (!existing) throw no_such_key(c.key);
      if (*im != "\"" + existing->etag + "\"" && *im != existing->etag && *im != "*") {
        throw s3_error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", element("Condition", "If-Match"));
      }
    }
    Object o;
    o.size = c.body.size();
    o.etag = md5_hex(c.body);
    o.modified = now_ms();
    o.headers = request_headers(c);
    o.file = store_body(c.body);
    std::string old_file;
    {
      Transaction tx(*db);
      put_row(c.bucket, c.key, o, old_file);
      tx.commit();
    }
    if (!old_file.empty()) remove_file(old_file);
    c.events.push_back(event(c, "ObjectCreated:Put", c.key, o.size, o.etag));
    ServiceResponse res;
    res.headers.set("ETag", "\"" + o.etag + "\"");
    res.headers.set("x-amz-server-side-encryption", "AES256");
    for (const auto& [name, value] : o.headers) {
      if (std::string_view(name).rfind("x-amz-checksum-", 0) == 0) res.headers.set(name, value.get_string());
    }
    return res;
  }

  // Evaluates If-Match/If-None-Match/If-(Un)Modified-Since; returns 304/412 or 0.
  static int precondition(const Ctx& c, const Object& o) {
    const std::string quoted = "\"" + o.etag + "\"";
    auto matches = [&](const std::string& list) {
      if (list == "*") return true;
      std::size_t start = 0;
      while (start < list.size()) {
        auto comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        std::string one = list.substr(start, comma - start);
        one.erase(0, one.find_first_not_of(' '));
        one.erase(one.find_last_not_of(' ') + 1);
        if (one == quoted || one == o.etag || one == "W/" + quoted) return true;
        start = comma + 1;
      }
      return false;
    };
    const auto im = c.header("If-Match");
    if (im && !matches(*im)) return 412;
    const auto ius = c.header("If-Unmodified-Since");
    if (!im && ius) {
      const auto t = parse_http_date(*ius);
      if (t >= 0 && o.modified / 1000 > t) return 412;
    }
    const auto inm = c.header("If-None-Match");
    if (inm && matches(*inm)) return 304;
    const auto ims = c.header("If-Modified-Since");
    if (!inm && ims) {
      const auto t = parse_http_date(*ims);
      if (t >= 0 && o.modified / 1000 <= t) return 304;
    }
    return 0;
  }

  ServiceResponse get_object(Ctx& c, bool head) {
    require_bucket(c.bucket);
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto o = find_object(c.bucket, c.key);
      if (!o) throw no_such_key(c.key);
      if (const int status = precondition(c, *o)) {
        if (status == 412) {
          throw s3_error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                         element("Condition", c.header("If-Match") ? "If-Match" : "If-Unmodified-Since"));
        }
        ServiceResponse res;
        res.status = 304;
        object_headers(res, *o);
        res.headers.remove("Content-Type");
        return res;
      }
      ServiceResponse res;
      object_headers(res, *o);
      if (c.header("x-amz-checksum-mode").value_or("") == "ENABLED") {
        for (const auto& [name, value] : o->headers) {
          if (std::string_view(name).rfind("x-amz-checksum-", 0) == 0 && name != "x-amz-checksum-algorithm" && name != "x-amz-checksum-type") {
            res.headers.set(name, value.get_string());
          }
        }
      }
      for (const auto& [param, header] : std::initializer_list<std::pair<const char*, const char*>>{
               {"response-content-type", "Content-Type"},
               {"response-content-language", "Content-Language"},
               {"response-expires", "Expires"},
               {"response-cache-control", "Cache-Control"},
               {"response-content-disposition", "Content-Disposition"},
               {"response-content-encoding", "Content-Encoding"}}) {
        if (c.has(param)) res.headers.set(header, c.param(param));
      }
      std::uint64_t first = 0;
      std::uint64_t length = o->size;
      if (auto range = c.header("Range")) {
        s3::ByteRange r;
        switch (s3::parse_range(*range, o->size, r)) {
          case s3::RangeResult::unsatisfiable:
            throw s3_error(416, "InvalidRange", "The requested range is not satisfiable",
                           element("RangeRequested", *range) + element("ActualObjectSize", std::to_string(o->size)));
          case s3::RangeResult::ok:
            res.status = 206;
            first = r.first;
            length = r.last - r.first + 1;
            res.headers.set("Content-Range", "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" + std::to_string(o->size));
            res.headers.remove("x-amz-checksum-crc32");
            res.headers.remove("x-amz-checksum-sha1");
            res.headers.remove("x-amz-checksum-sha256");
            break;
          case s3::RangeResult::none: break;
        }
      }
      res.headers.set("Content-Length", std::to_string(length));
      if (head) return res;
      auto data = read_file(objects_dir / o->file, first, length);
      if (!data) continue;  // replaced between the lookup and the read: look again
      res.body = std::move(*data);
      return res;
    }
    throw s3_error(500, "InternalError", "We encountered an internal error. Please try again.");
  }

  ServiceResponse delete_object(Ctx& c) {
    require_bucket(c.bucket);
    std::string file;
    {
      Transaction tx(*db);
      if (auto o = find_object(c.bucket, c.key)) {
        file = o->file;
        db->stmt("DELETE FROM objects WHERE bucket=?1 AND key=?2").bind_text(1, c.bucket).bind_text(2, c.key).run();
      }
      tx.commit();
    }
    if (!file.empty()) {
      remove_file(file);
      c.events.push_back(event(c, "ObjectRemoved:Delete", c.key, 0, ""));
    }
    ServiceResponse res;
    res.status = 204;
    return res;
  }

  ServiceResponse delete_objects(Ctx& c) {
    require_bucket(c.bucket);
    pugi::xml_document doc;
    if (c.body.empty() || !doc.load_buffer(c.body.data(), c.body.size())) throw malformed_xml();
    const auto root = doc.child("Delete");
    if (!root) throw malformed_xml();
    const bool quiet = std::string(root.child("Quiet").text().get()) == "true";
    std::vector<std::string> keys;
    for (auto obj : root.children("Object")) keys.emplace_back(obj.child("Key").text().get());
    if (keys.empty() || keys.size() > 1000) throw malformed_xml();
    std::vector<std::string> files;
    std::vector<std::string> removed;
    {
      Transaction tx(*db);
      for (const auto& k : keys) {
        if (auto o = find_object(c.bucket, k)) {
          files.push_back(o->file);
          removed.push_back(k);
          db->stmt("DELETE FROM objects WHERE bucket=?1 AND key=?2").bind_text(1, c.bucket).bind_text(2, k).run();
        }
      }
      tx.commit();
    }
    for (const auto& f : files) remove_file(f);
    for (const auto& k : removed) c.events.push_back(event(c, "ObjectRemoved:Delete", k, 0, ""));
    std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult xmlns=\"") + kXmlns + "\">";
    if (!quiet) {
      for (const auto& k : keys) body += "<Deleted>" + element("Key", k) + "</Deleted>";
    }
    body += "</DeleteResult>";
    return xml(200, body);
  }

  // Reads x-amz-copy-source ("/bucket/key" or "bucket/key", URL-encoded).
  std::pair<std::string, std::string> copy_source(const Ctx& c) {
    std::string src = url_decode(*c.header("x-amz-copy-source"));
    if (const auto q = src.find("?versionId="); q != std::string::npos) src = src.substr(0, q);
    if (!src.empty() && src[0] == '/') src.erase(0, 1);
    const auto slash = src.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 >= src.size()) {
      throw s3_error(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                     element("ArgumentName", "x-amz-copy-source") + element("ArgumentValue", *c.header("x-amz-copy-source")));
    }
    return {src.substr(0, slash), src.substr(slash + 1)};
  }

  ServiceResponse copy_object(Ctx& c) {
    require_bucket(c.bucket);
    const auto [src_bucket, src_key] = copy_source(c);
    if (!bucket_exists(src_bucket)) throw no_such_bucket(src_bucket);
    const std::string directive = c.header("x-amz-metadata-directive").value_or("COPY");
    if (directive != "COPY" && directive != "REPLACE") {
      throw s3_error(400, "InvalidArgument", "Unknown metadata directive.",
                     element("ArgumentName", "x-amz-metadata-directive") + element("ArgumentValue", directive));
    }
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto src = find_object(src_bucket, src_key);
      if (!src) throw no_such_key(src_key);
      if (auto im = c.header("x-amz-copy-source-if-match"); im && *im != "\"" + src->etag + "\"" && *im != src->etag) {
        throw s3_error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold",
                       element("Condition", "x-amz-copy-source-If-Match"));
      }
      if (src_bucket == c.bucket && src_key == c.key && directive == "COPY") {
        throw s3_error(400, "InvalidRequest",
                       "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, "
                       "storage class, website redirect location or encryption attributes.");
      }
      auto data = read_file(objects_dir / src->file, 0, src->size);
      if (!data) continue;
      Object o;
      o.size = src->size;
      o.etag = src->etag.find('-') == std::string::npos ? src->etag : md5_hex(*data);
      o.modified = now_ms();
      o.headers = directive == "REPLACE" ? request_headers(c) : src->headers;
      if (directive == "REPLACE") {
        // Checksums describe the content, which did not change.
        for (const auto& [name, value] : src->headers) {
          if (std::string_view(name).rfind("x-amz-checksum-", 0) == 0) o.headers[name] = value;
        }
      }
      o.file = store_body(*data);
      std::string old_file;
      {
        Transaction tx(*db);
        put_row(c.bucket, c.key, o, old_file);
        tx.commit();
      }
      if (!old_file.empty()) remove_file(old_file);
      c.events.push_back(event(c, "ObjectCreated:Copy", c.key, o.size, o.etag));
      return xml(200, std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyObjectResult xmlns=\"") + kXmlns + "\">" +
                          element("LastModified", iso8601_ms(o.modified)) + element("ETag", "\"" + o.etag + "\"") + "</CopyObjectResult>");
    }
    throw s3_error(500, "InternalError", "We encountered an internal error. Please try again.");
  }

  // ---- multipart uploads
  ServiceResponse create_upload(Ctx& c) {
    require_bucket(c.bucket);
    const std::string id = base64_encode(random_hex(24));
    std::string safe_id;
    for (char ch : id) safe_id += (ch == '+' ? '-' : ch == '/' ? '_' : ch == '=' ? 'A' : ch);
    Transaction tx(*db);
    db->stmt("INSERT INTO uploads(id, bucket, key, initiated, headers) VALUES(?1, ?2, ?3, ?4, ?5)")
        .bind_text(1, safe_id)
        .bind_text(2, c.bucket)
        .bind_text(3, c.key)
        .bind(4, now_ms())
        .bind_text(5, json::serialize(request_headers(c)))
        .run();
    tx.commit();
    return xml(200, std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult xmlns=\"") + kXmlns + "\">" +
                        element("Bucket", c.bucket) + element("Key", c.key) + element("UploadId", safe_id) + "</InitiateMultipartUploadResult>");
  }

  json::object require_upload(const std::string& id, const std::string& bucket, const std::string& key) {
    auto& st = db->stmt("SELECT headers FROM uploads WHERE id=?1 AND bucket=?2 AND key=?3");
    st.bind_text(1, id).bind_text(2, bucket).bind_text(3, key);
    if (!st.step()) {
      st.reset();
      throw no_such_upload(id);
    }
    json::object h = json::parse(st.column_text(0)).get_object();
    st.reset();
    return h;
  }

  ServiceResponse upload_part(Ctx& c) {
    require_bucket(c.bucket);
    const std::string id = c.param("uploadId");
    const std::string number_text = c.param("partNumber");
    long number = 0;
    if (!number_text.empty() && number_text.size() < 6 && number_text.find_first_not_of("0123456789") == std::string::npos) {
      number = std::stol(number_text);
    }
    if (number < 1 || number > 10000) {
      throw s3_error(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive",
                     element("ArgumentName", "partNumber") + element("ArgumentValue", number_text));
    }
    require_upload(id, c.bucket, c.key);
    std::string data;
    if (c.header("x-amz-copy-source")) {
      const auto [src_bucket, src_key] = copy_source(c);
      auto src = find_object(src_bucket, src_key);
      if (!src) throw no_such_key(src_key);
      std::uint64_t first = 0;
      std::uint64_t length = src->size;
      if (auto range = c.header("x-amz-copy-source-range")) {
        s3::ByteRange r;
        if (s3::parse_range(*range, src->size, r) != s3::RangeResult::ok) {
          throw s3_error(400, "InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }
        first = r.first;
        length = r.last - r.first + 1;
      }
      auto read = read_file(objects_dir / src->file, first, length);
      if (!read) throw s3_error(500, "InternalError", "We encountered an internal error. Please try again.");
      data = std::move(*read);
    } else {
      verify_body(c);
      data = c.body;
    }
    const std::string etag = md5_hex(data);
    const std::string file = store_body(data);
    std::string old;
    {
      Transaction tx(*db);
      auto& st = db->stmt("SELECT file FROM parts WHERE upload=?1 AND number=?2");
      st.bind_text(1, id).bind(2, static_cast<std::int64_t>(number));
      if (st.step()) old = st.column_text(0);
      st.reset();
      db->stmt("INSERT OR REPLACE INTO parts(upload, number, file, size, etag, modified) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
          .bind_text(1, id)
          .bind(2, static_cast<std::int64_t>(number))
          .bind_text(3, file)
          .bind(4, static_cast<std::int64_t>(data.size()))
          .bind_text(5, etag)
          .bind(6, now_ms())
          .run();
      tx.commit();
    }
    if (!old.empty()) remove_file(old);
    if (c.header("x-amz-copy-source")) {
      return xml(200, std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyPartResult xmlns=\"") + kXmlns + "\">" +
                          element("LastModified", iso8601_ms(now_ms())) + element("ETag", "\"" + etag + "\"") + "</CopyPartResult>");
    }
    ServiceResponse res;
    res.headers.set("ETag", "\"" + etag + "\"");
    return res;
  }

  ServiceResponse complete_upload(Ctx& c) {
    require_bucket(c.bucket);
    const std::string id = c.param("uploadId");
    json::object headers = require_upload(id, c.bucket, c.key);
    pugi::xml_document doc;
    if (c.body.empty() || !doc.load_buffer(c.body.data(), c.body.size())) throw malformed_xml();
    const auto root = doc.child("CompleteMultipartUpload");
    if (!root) throw malformed_xml();
    struct Want {
      long number;
      std::string etag;
    };
    std::vector<Want> wanted;
    for (auto p : root.children("Part")) {
      std::string etag = p.child("ETag").text().get();
      etag.erase(std::remove(etag.begin(), etag.end(), '"'), etag.end());
      wanted.push_back(Want{p.child("PartNumber").text().as_int(0), etag});
    }
    if (wanted.empty()) {
      throw s3_error(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    }
    for (std::size_t i = 1; i < wanted.size(); ++i) {
      if (wanted[i].number <= wanted[i - 1].number) {
        throw s3_error(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
                       element("UploadId", id));
      }
    }
    struct Part {
      std::string file;
      std::uint64_t size;
      std::string etag;
    };
    std::vector<Part> parts;
    for (const auto& w : wanted) {
      auto& st = db->stmt("SELECT file, size, etag FROM parts WHERE upload=?1 AND number=?2");
      st.bind_text(1, id).bind(2, static_cast<std::int64_t>(w.number));
      if (!st.step() || st.column_text(2) != w.etag) {
        st.reset();
        throw s3_error(400, "InvalidPart",
                       "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not "
                       "match the part's entity tag.",
                       element("UploadId", id) + element("PartNumber", std::to_string(w.number)) + element("ETag", w.etag));
      }
      parts.push_back(Part{st.column_text(0), static_cast<std::uint64_t>(st.column_int(1)), st.column_text(2)});
      st.reset();
    }
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (parts[i].size < kMinPartSize) {
        throw s3_error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                       element("ProposedSize", std::to_string(parts[i].size)) + element("MinSizeAllowed", std::to_string(kMinPartSize)) +
                           element("PartNumber", std::to_string(wanted[i].number)) + element("ETag", parts[i].etag));
      }
    }
    // The object: the parts' bytes in order; its ETag: md5 of the parts' binary md5s, "-N".
    std::string data;
    std::string md5s;
    for (const auto& p : parts) {
      auto bytes = read_file(objects_dir / p.file, 0, p.size);
      if (!bytes) throw s3_error(500, "InternalError", "We encountered an internal error. Please try again.");
      data += *bytes;
      std::string raw;
      for (std::size_t i = 0; i + 1 < p.etag.size(); i += 2) raw += static_cast<char>(std::stoi(p.etag.substr(i, 2), nullptr, 16));
      md5s += raw;
    }
    Object o;
    o.size = data.size();
    o.etag = md5_hex(md5s) + "-" + std::to_string(parts.size());
    o.modified = now_ms();
    o.headers = headers;
    o.file = store_body(data);
    std::vector<std::string> part_files;
    std::string old_file;
    {
      Transaction tx(*db);
      auto& st = db->stmt("SELECT file FROM parts WHERE upload=?1");
      st.bind_text(1, id);
      while (st.step()) part_files.push_back(st.column_text(0));
      st.reset();
      put_row(c.bucket, c.key, o, old_file);
      db->stmt("DELETE FROM parts WHERE upload=?1").bind_text(1, id).run();
      db->stmt("DELETE FROM uploads WHERE id=?1").bind_text(1, id).run();
      tx.commit();
    }
    for (const auto& f : part_files) remove_file(f);
    if (!old_file.empty()) remove_file(old_file);
    c.events.push_back(event(c, "ObjectCreated:CompleteMultipartUpload", c.key, o.size, o.etag));
    auto res = xml(200, std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult xmlns=\"") + kXmlns + "\">" +
                        element("Location", "http://" + c.host + "/" + c.bucket + "/" + url_encode(c.key, true)) + element("Bucket", c.bucket) +
                        element("Key", c.key) + element("ETag", "\"" + o.etag + "\"") + "</CompleteMultipartUploadResult>");
    res.headers.set("x-amz-server-side-encryption", "AES256");
    return res;
  }

  ServiceResponse abort_upload(Ctx& c) {
    require_bucket(c.bucket);
    const std::string id = c.param("uploadId");
    require_upload(id, c.bucket, c.key);
    std::vector<std::string> files;
    {
      Transaction tx(*db);
      auto& st = db->stmt("SELECT file FROM parts WHERE upload=?1");
      st.bind_text(1, id);
      while (st.step()) files.push_back(st.column_text(0));
      st.reset();
      db->stmt("DELETE FROM parts WHERE upload=?1").bind_text(1, id).run();
      db->stmt("DELETE FROM uploads WHERE id=?1").bind_text(1, id).run();
      tx.commit();
    }
    for (const auto& f : files) remove_file(f);
    ServiceResponse res;
    res.status = 204;
    return res;
  }

  ServiceResponse list_parts(Ctx& c) {
    require_bucket(c.bucket);
    const std::string id = c.param("uploadId");
    require_upload(id, c.bucket, c.key);
    std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListPartsResult xmlns=\"") + kXmlns + "\">" + element("Bucket", c.bucket) +
                       element("Key", c.key) + element("UploadId", id) + element("StorageClass", "STANDARD") +
                       element("PartNumberMarker", "0") + element("MaxParts", "1000") + element("IsTruncated", "false");
    auto& st = db->stmt("SELECT number, size, etag, modified FROM parts WHERE upload=?1 ORDER BY number");
    st.bind_text(1, id);
    while (st.step()) {
      body += "<Part>" + element("PartNumber", std::to_string(st.column_int(0))) + element("LastModified", iso8601_ms(st.column_int(3))) +
              element("ETag", "\"" + st.column_text(2) + "\"") + element("Size", std::to_string(st.column_int(1))) + "</Part>";
    }
    st.reset();
    body += "</ListPartsResult>";
    return xml(200, body);
  }

  ServiceResponse list_uploads(Ctx& c) {
    require_bucket(c.bucket);
    const std::string prefix = c.param("prefix");
    std::string body = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListMultipartUploadsResult xmlns=\"") + kXmlns + "\">" +
                       element("Bucket", c.bucket) + element("KeyMarker", "") + element("UploadIdMarker", "") + element("Prefix", prefix) +
                       element("MaxUploads", "1000") + element("IsTruncated", "false");
    auto& st = db->stmt("SELECT id, key, initiated FROM uploads WHERE bucket=?1 ORDER BY key, initiated");
    st.bind_text(1, c.bucket);
    while (st.step()) {
      const std::string key = st.column_text(1);
      if (key.compare(0, prefix.size(), prefix) != 0) continue;
      body += "<Upload>" + element("Key", key) + element("UploadId", st.column_text(0)) + element("StorageClass", "STANDARD") +
              element("Initiated", iso8601_ms(st.column_int(2))) + "</Upload>";
    }
    st.reset();
    body += "</ListMultipartUploadsResult>";
    return xml(200, body);
  }

  static ServiceResponse xml(int status, std::string body) {
    ServiceResponse res;
    res.status = status;
    res.headers.set("Content-Type", "application/xml");
    res.body = std::move(body);
    return res;
  }

  [[noreturn]] static void not_implemented(std::string_view what) {
    throw s3_error(501, "NotImplemented", "The local S3 of gust dev does not implement " + std::string(what) + ".");
  }

  ServiceResponse route(Ctx& c) {
    const std::string& m = c.req.method;
    if (c.bucket.empty()) {
      if (m == "GET") return list_buckets(c);
      throw s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                     element("Method", m) + element("ResourceType", "SERVICE"));
    }
    if (!c.has_key) {
      if (const auto config = bucket_config_name(c.query); !config.empty()) {
        require_bucket(c.bucket);
        return answer_bucket_config(*db, c.bucket, m, config, c.body);
      }
      if (m == "PUT") {
        if (c.has("website") || c.has("logging") || c.has("replication") || c.has("accelerate") || c.has("requestPayment")) {
          require_bucket(c.bucket);
          not_implemented("this bucket configuration");
        }
        return create_bucket(c);
      }
      if (m == "DELETE") {
        if (!c.query.empty()) {
          require_bucket(c.bucket);
          not_implemented("this bucket configuration");
        }
        return delete_bucket(c);
      }
      if (m == "HEAD") return head_bucket(c);
      if (m == "POST" && c.has("delete")) return delete_objects(c);
      if (m == "GET") {
        if (c.has("location")) return bucket_location(c);
        if (c.has("uploads")) return list_uploads(c);
        if (c.has("website") || c.has("versions") || c.has("logging") || c.has("replication") || c.has("accelerate") ||
            c.has("requestPayment")) {
          require_bucket(c.bucket);
          not_implemented("this bucket configuration");
        }
        return list_objects(c, c.param("list-type") == "2");
      }
      throw s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                     element("Method", m) + element("ResourceType", "BUCKET"));
    }
    if (c.has("tagging") || c.has("acl") || c.has("retention") || c.has("legal-hold") || c.has("torrent") || c.has("restore") || c.has("select")) {
      require_bucket(c.bucket);
      not_implemented("this object subresource");
    }
    if (m == "PUT") {
      if (c.has("uploadId") || c.has("partNumber")) return upload_part(c);
      if (c.header("x-amz-copy-source")) return copy_object(c);
      return put_object(c);
    }
    if (m == "GET") {
      if (c.has("uploadId")) return list_parts(c);
      return get_object(c, false);
    }
    if (m == "HEAD") return get_object(c, true);
    if (m == "DELETE") {
      if (c.has("uploadId")) return abort_upload(c);
      return delete_object(c);
    }
    if (m == "POST") {
      if (c.has("uploads")) return create_upload(c);
      if (c.has("uploadId")) return complete_upload(c);
    }
    throw s3_error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                   element("Method", m) + element("ResourceType", "OBJECT"));
  }

  // Removes body files no object or part refers to (left by a crash between writing a file and committing its row).
  void collect_orphans() {
    std::set<std::string> referenced;
    for (const char* sql : {"SELECT file FROM objects", "SELECT file FROM parts"}) {
      auto& st = db->stmt(sql);
      while (st.step()) referenced.insert(st.column_text(0));
      st.reset();
    }
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(objects_dir, ec)) {
      if (!referenced.count(entry.path().filename().string())) std::filesystem::remove(entry.path(), ec);
    }
  }
};

namespace {

ServiceResponse error_response(const AwsError& e, const std::string& request_id, const std::string& resource) {
  ServiceResponse res;
  res.status = e.status;
  res.headers.set("Content-Type", "application/xml");
  res.headers.set("x-amz-request-id", request_id);
  res.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>" + element("Code", e.type) + element("Message", e.message) + e.extra;
  if (!resource.empty() && e.extra.find("<Key>") == std::string::npos && e.extra.find("<BucketName>") == std::string::npos) {
    res.body += element("Resource", resource);
  }
  res.body += element("RequestId", request_id) + element("HostId", base64_encode(random_hex(24))) + "</Error>";
  return res;
}

AwsError auth_error(const AuthCheck& auth, const ServiceRequest& req, const Params& query) {
  const bool presigned = find_param(query, "X-Amz-Algorithm") != nullptr;
  switch (auth.problem) {
    case AuthProblem::missing:
      if (req.headers.get("Authorization")) {
        return s3_error(400, "InvalidArgument", "Unsupported Authorization Type",
                        element("ArgumentName", "Authorization") + element("ArgumentValue", *req.headers.get("Authorization")));
      }
      return s3_error(403, "AccessDenied", "Access Denied");
    case AuthProblem::incomplete:
      if (presigned) {
        return s3_error(400, "AuthorizationQueryParametersError",
                        "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, "
                        "X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
      }
      return s3_error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + auth.message);
    case AuthProblem::invalid:
      if (presigned) return s3_error(400, "AuthorizationQueryParametersError", auth.message);
      return s3_error(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + auth.message);
    case AuthProblem::bad_signature:
      return s3_error(403, "SignatureDoesNotMatch",
                      "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    case AuthProblem::skewed:
      return s3_error(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.",
                      element("RequestTime", std::string(req.headers.get("X-Amz-Date").value_or(""))) + element("ServerTime", iso8601_ms(now_ms())) +
                          element("MaxAllowedSkewMilliseconds", "900000"));
    case AuthProblem::expired: {
      const std::string* date = find_param(query, "X-Amz-Date");
      const std::string* expires = find_param(query, "X-Amz-Expires");
      const std::int64_t start = date ? parse_amz_date(*date) : 0;
      const std::int64_t secs = expires ? std::stoll(*expires) : 0;
      std::string expiry = iso8601_ms((start + secs) * 1000);
      std::string server = iso8601_ms(now_ms());
      return s3_error(403, "AccessDenied", "Request has expired",
                      element("X-Amz-Expires", expires ? *expires : "") + element("Expires", expiry.substr(0, 19) + "Z") +
                          element("ServerTime", server.substr(0, 19) + "Z"));
    }
    case AuthProblem::unknown_key:
      return s3_error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    case AuthProblem::none: break;
  }
  return s3_error(403, "AccessDenied", "Access Denied");
}

// Presigned URLs of the older scheme (AWSAccessKeyId, Signature, Expires), which
// `aws s3 presign` still makes for us-east-1: shape checked, expiry honoured.
AuthCheck check_presigned_v2(const Params& query) {
  const auto* key = find_param(query, "AWSAccessKeyId");
  const auto* signature = find_param(query, "Signature");
  const auto* expires = find_param(query, "Expires");
  if (!key || !signature || !expires || key->empty()) {
    throw s3_error(403, "AccessDenied", "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
  }
  if (expires->empty() || expires->size() > 12 || expires->find_first_not_of("0123456789") != std::string::npos) {
    throw s3_error(403, "AccessDenied", "Invalid date (should be seconds since epoch): " + *expires);
  }
  const std::int64_t at = std::stoll(*expires);
  if (now_ms() / 1000 > at) {
    const std::string expiry = iso8601_ms(at * 1000);
    const std::string server = iso8601_ms(now_ms());
    throw s3_error(403, "AccessDenied", "Request has expired",
                   element("Expires", expiry.substr(0, 19) + "Z") + element("ServerTime", server.substr(0, 19) + "Z"));
  }
  auto raw = base64_decode(*signature);
  if (!raw || raw->size() != 20) {
    throw s3_error(403, "SignatureDoesNotMatch",
                   "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
  }
  AuthCheck ok;
  ok.access_key = *key;
  ok.presigned = true;
  return ok;
}

}  // namespace

Result<std::unique_ptr<S3Service>> S3Service::open(const ServiceOptions& options) {
  std::error_code ec;
  auto objects = options.state_dir / "s3-objects";
  std::filesystem::create_directories(objects, ec);
  if (ec) return unexpected(ErrorCode::unavailable, "cannot create the S3 object folder: " + ec.message(), objects.string());
  auto db = Db::open((options.state_dir / "s3.sqlite").string(), std::string(kSchema) + std::string(kBucketConfigSchema));
  if (!db) return unexpected(db.error());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->db = std::move(*db);
  impl->objects_dir = objects;
  try {
    impl->collect_orphans();
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, std::string("cannot read the S3 state: ") + e.what(), options.state_dir.string());
  }
  return std::unique_ptr<S3Service>(new S3Service(std::move(impl)));
}

S3Service::S3Service(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
S3Service::~S3Service() = default;

void S3Service::set_on_event(std::function<void(const S3Event&)> callback) {
  std::lock_guard lock(impl_->callback_mu);
  impl_->on_event = std::move(callback);
}

Result<void> S3Service::ensure_bucket(const std::string& bucket) {
  if (!valid_bucket_name(bucket)) return unexpected(ErrorCode::invalid_argument, "not a valid bucket name: " + bucket, "s3");
  try {
    std::lock_guard lock(impl_->mu);
    if (!impl_->bucket_exists(bucket)) {
      Transaction tx(*impl_->db);
      impl_->db->stmt("INSERT INTO buckets(name, created, region) VALUES(?1, ?2, ?3)")
          .bind_text(1, bucket)
          .bind(2, now_ms())
          .bind_text(3, impl_->options.region)
          .run();
      tx.commit();
    }
    return {};
  } catch (const std::exception& e) {
    return unexpected(ErrorCode::internal, e.what(), "s3");
  }
}

void S3Service::handle(ServiceRequest request, Reply reply) {
  const std::string request_id = random_token(16);
  Impl::Ctx c{request, parse_query(request.query, false)};
  c.host = std::string(request.headers.get("Host").value_or("localhost"));
  // Path-style: /bucket/key; virtual-hosted: bucket.localhost/key.
  std::string path = request.path.empty() ? "/" : request.path;
  std::string host_name = c.host.substr(0, c.host.rfind(':') == std::string::npos || c.host.back() == ']' ? c.host.size() : c.host.rfind(':'));
  const std::string vhost_suffix = ".localhost";
  if (host_name.size() > vhost_suffix.size() && host_name.compare(host_name.size() - vhost_suffix.size(), vhost_suffix.size(), vhost_suffix) == 0) {
    c.bucket = host_name.substr(0, host_name.size() - vhost_suffix.size());
    if (path.size() > 1) {
      c.key = url_decode(path.substr(1));
      c.has_key = true;
    }
  } else {
    const auto slash = path.find('/', 1);
    c.bucket = url_decode(path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1));
    if (slash != std::string::npos && slash + 1 < path.size()) {
      c.key = url_decode(path.substr(slash + 1));
      c.has_key = true;
    }
  }
  const std::string resource = "/" + c.bucket + (c.has_key ? "/" + c.key : "");
  ServiceResponse res;
  try {
    AuthCheck auth;
    if (!request.headers.get("Authorization") && !find_param(c.query, "X-Amz-Algorithm") &&
        (find_param(c.query, "AWSAccessKeyId") || find_param(c.query, "Signature"))) {
      auth = check_presigned_v2(c.query);
    } else {
      auth = check_sigv4(request, c.query, "s3", now_ms() / 1000);
      if (!auth.ok()) throw auth_error(auth, request, c.query);
    }
    c.principal = auth.access_key;
    if (!auth.presigned && !request.headers.get("x-amz-content-sha256")) {
      throw s3_error(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    }
    // aws-chunked bodies (streaming signatures, trailing checksums) are framing around the data.
    const std::string sha = std::string(request.headers.get("x-amz-content-sha256").value_or(""));
    const std::string encoding = lower(request.headers.get("Content-Encoding").value_or(""));
    if (sha.rfind("STREAMING-", 0) == 0 || encoding.find("aws-chunked") != std::string::npos) {
      auto decoded = s3::decode_aws_chunked(request.body, c.trailers);
      if (!decoded) throw s3_error(400, "IncompleteBody", "The request body terminated unexpectedly");
      if (auto declared = request.headers.get("x-amz-decoded-content-length"); declared && std::string(*declared) != std::to_string(decoded->size())) {
        throw s3_error(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header");
      }
      c.body = std::move(*decoded);
      // The declared payload hash covered the framing, not the data.
      request.headers.remove("x-amz-content-sha256");
    } else {
      c.body = request.body;
    }
    {
      std::lock_guard lock(impl_->mu);
      res = impl_->route(c);
    }
  } catch (const AwsError& e) {
    res = error_response(e, request_id, resource);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "local s3: internal error: %s\n", e.what());
    res = error_response(s3_error(500, "InternalError", "We encountered an internal error. Please try again."), request_id, resource);
  }
  res.headers.set("x-amz-request-id", request_id);
  res.headers.set("x-amz-id-2", base64_encode(random_hex(24)));
  res.headers.set("Server", "AmazonS3");
  reply(std::move(res));
  if (!c.events.empty()) {
    std::function<void(const S3Event&)> cb;
    {
      std::lock_guard lock(impl_->callback_mu);
      cb = impl_->on_event;
    }
    if (cb) {
      for (const auto& e : c.events) cb(e);
    }
  }
}

std::string s3_lambda_event(const S3Event& e, const std::string& region) {
  // S3 events carry keys form-encoded: "a b/c.txt" -> "a+b/c.txt".
  std::string key;
  for (const char ch : e.key) key += ch == ' ' ? std::string("+") : url_encode(std::string_view(&ch, 1), true);
  json::object object{{"key", key}, {"sequencer", e.sequencer}};
  if (e.event_name.rfind("ObjectCreated", 0) == 0) {
    object["size"] = e.size;
    object["eTag"] = e.etag;
  }
  json::object record{{"eventVersion", "2.1"},
                      {"eventSource", "aws:s3"},
                      {"awsRegion", region},
                      {"eventTime", iso8601_ms(e.time_ms)},
                      {"eventName", e.event_name},
                      {"userIdentity", json::object{{"principalId", "AWS:" + e.principal}}},
                      {"requestParameters", json::object{{"sourceIPAddress", e.source_ip}}},
                      {"responseElements", json::object{{"x-amz-request-id", random_token(16)}, {"x-amz-id-2", base64_encode(random_hex(24))}}},
                      {"s3",
                       json::object{{"s3SchemaVersion", "1.0"},
                                    {"configurationId", "gust-dev"},
                                    {"bucket", json::object{{"name", e.bucket},
                                                            {"ownerIdentity", json::object{{"principalId", "A3NL1KOZZKExample"}}},
                                                            {"arn", "arn:aws:s3:::" + e.bucket}}},
                                    {"object", std::move(object)}}}};
  return json::serialize(json::object{{"Records", json::array{std::move(record)}}});
}

}  // namespace gust::localaws
