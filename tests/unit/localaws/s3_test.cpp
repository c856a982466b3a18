#include "devcloud/services/s3_service.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/services/s3_body.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <gust/value.hpp>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace gust::localaws {
namespace {

class S3 : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void open() {
    svc_.reset();
    auto svc = S3Service::open({.state_dir = dir_.path()});
    ASSERT_TRUE(svc) << svc.error().message;
    svc_ = std::move(*svc);
    svc_->set_on_event([this](const S3Event& e) { events_.push_back(e); });
  }
  ServiceResponse req(const std::string& method, const std::string& path, const std::string& query = "", std::string body = "",
                      Headers extra = {}) {
    ServiceRequest r{method, path, query, {}, std::move(body)};
    testing::sign(r, "s3");
    r.headers.set("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    for (const auto& [k, v] : extra) r.headers.set(k, v);
    return call(*svc_, std::move(r));
  }
  static std::string code(const ServiceResponse& r) {
    const auto a = r.body.find("<Code>");
    const auto b = r.body.find("</Code>");
    return a == std::string::npos ? "" : r.body.substr(a + 6, b - a - 6);
  }

  testing::TempDir dir_;
  std::unique_ptr<S3Service> svc_;
  std::vector<S3Event> events_;
};

TEST_F(S3, BucketsCreateListDelete) {
  EXPECT_EQ(req("PUT", "/photos").status, 200);
  EXPECT_EQ(req("PUT", "/photos").status, 200);  // us-east-1: yours already
  EXPECT_NE(req("GET", "/").body.find("<Name>photos</Name>"), std::string::npos);
  EXPECT_EQ(req("HEAD", "/photos").status, 200);
  auto bad = req("PUT", "/Bad_Name");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(code(bad), "InvalidBucketName");
  EXPECT_EQ(req("PUT", "/photos/a", "", "x").status, 200);
  auto full = req("DELETE", "/photos");
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(code(full), "BucketNotEmpty");
  EXPECT_EQ(req("DELETE", "/photos/a").status, 204);
  EXPECT_EQ(req("DELETE", "/photos").status, 204);
  auto gone = req("GET", "/photos", "list-type=2");
  EXPECT_EQ(gone.status, 404);
  EXPECT_EQ(code(gone), "NoSuchBucket");
}

TEST_F(S3, PutGetHeadWithMetadataRangesAndConditions) {
  req("PUT", "/bkt");
  Headers h;
  h.set("Content-Type", "text/plain");
  h.set("x-amz-meta-owner", "ann");
  h.set("Cache-Control", "max-age=60");
  auto put = req("PUT", "/bkt/dir/hello%20world.txt", "", "hello, world", h);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.headers.get("ETag").value_or(""), "\"" + md5_hex("hello, world") + "\"");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].event_name, "ObjectCreated:Put");
  EXPECT_EQ(events_[0].key, "dir/hello world.txt");

  auto get = req("GET", "/bkt/dir/hello%20world.txt");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "hello, world");
  EXPECT_EQ(get.headers.get("Content-Type").value_or(""), "text/plain");
  EXPECT_EQ(get.headers.get("x-amz-meta-owner").value_or(""), "ann");
  EXPECT_EQ(get.headers.get("Cache-Control").value_or(""), "max-age=60");
  EXPECT_EQ(get.headers.get("Content-Length").value_or(""), "12");

  Headers range;
  range.set("Range", "bytes=7-");
  auto part = req("GET", "/bkt/dir/hello%20world.txt", "", "", range);
  EXPECT_EQ(part.status, 206);
  EXPECT_EQ(part.body, "world");
  EXPECT_EQ(part.headers.get("Content-Range").value_or(""), "bytes 7-11/12");
  range.set("Range", "bytes=-3");
  EXPECT_EQ(req("GET", "/bkt/dir/hello%20world.txt", "", "", range).body, "rld");
  range.set("Range", "bytes=50-60");
  auto unsat = req("GET", "/bkt/dir/hello%20world.txt", "", "", range);
  EXPECT_EQ(unsat.status, 416);
  EXPECT_EQ(code(unsat), "InvalidRange");

  Headers cond;
  cond.set("If-None-Match", *put.headers.get("ETag"));
  EXPECT_EQ(req("GET", "/bkt/dir/hello%20world.txt", "", "", cond).status, 304);
  Headers match;
  match.set("If-Match", "\"nope\"");
  EXPECT_EQ(req("GET", "/bkt/dir/hello%20world.txt", "", "", match).status, 412);
  Headers create_only;
  create_only.set("If-None-Match", "*");
  EXPECT_EQ(req("PUT", "/bkt/dir/hello%20world.txt", "", "again", create_only).status, 412);

  auto head = req("HEAD", "/bkt/dir/hello%20world.txt");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.headers.get("Content-Length").value_or(""), "12");
  auto missing = req("GET", "/bkt/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(code(missing), "NoSuchKey");
  EXPECT_NE(missing.body.find("<Key>nope</Key>"), std::string::npos);
  auto overrides = req("GET", "/bkt/dir/hello%20world.txt", "response-content-type=application%2Fjson&response-content-disposition=attachment");
  EXPECT_EQ(overrides.headers.get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(overrides.headers.get("Content-Disposition").value_or(""), "attachment");
}

TEST_F(S3, ChecksumsAndDigestsAreVerified) {
  req("PUT", "/bkt");
  Headers md5;
  md5.set("Content-MD5", base64_encode(md5_raw("other")));
  EXPECT_EQ(code(req("PUT", "/bkt/k", "", "data", md5)), "BadDigest");
  Headers crc;
  crc.set("x-amz-checksum-crc32", *s3::checksum("crc32", "data"));
  auto ok = req("PUT", "/bkt/k", "", "data", crc);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers.get("x-amz-checksum-crc32").value_or(""), *s3::checksum("crc32", "data"));
  Headers mode;
  mode.set("x-amz-checksum-mode", "ENABLED");
  EXPECT_EQ(req("GET", "/bkt/k", "", "", mode).headers.get("x-amz-checksum-crc32").value_or(""), *s3::checksum("crc32", "data"));
  crc.set("x-amz-checksum-crc32", *s3::checksum("crc32", "else"));
  EXPECT_EQ(code(req("PUT", "/bkt/k", "", "data", crc)), "BadDigest");
  Headers sha;
  sha.set("x-amz-content-sha256", std::string(64, '0'));
  EXPECT_EQ(code(req("PUT", "/bkt/k", "", "data", sha)), "XAmzContentSHA256Mismatch");
}

TEST_F(S3, AwsChunkedUploadsAreDecoded) {
  req("PUT", "/bkt");
  const std::string crc = *s3::checksum("crc32", "hello world");
  const std::string body = "5;chunk-signature=abc\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:" + crc + "\r\n\r\n";
  Headers h;
  h.set("Content-Encoding", "aws-chunked");
  h.set("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
  h.set("x-amz-decoded-content-length", "11");
  h.set("x-amz-trailer", "x-amz-checksum-crc32");
  auto put = req("PUT", "/bkt/k", "", body, h);
  ASSERT_EQ(put.status, 200) << put.body;
  auto get = req("GET", "/bkt/k");
  EXPECT_EQ(get.body, "hello world");
  EXPECT_FALSE(get.headers.contains("Content-Encoding"));
  EXPECT_EQ(code(req("PUT", "/bkt/k", "", "zz\r\nbroken", h)), "IncompleteBody");
}

TEST_F(S3, ListObjectsV2WithPrefixDelimiterAndContinuation) {
  req("PUT", "/bkt");
  for (const char* k : {"a.txt", "photos/2023/x.jpg", "photos/2023/y.jpg", "photos/2024/z.jpg", "photos/readme", "videos/v.mp4", "z"}) {
    req("PUT", std::string("/bkt/") + k, "", "x");
  }
  auto top = req("GET", "/bkt", "list-type=2&delimiter=%2F");
  EXPECT_NE(top.body.find("<Key>a.txt</Key>"), std::string::npos);
  EXPECT_NE(top.body.find("<CommonPrefixes><Prefix>photos/</Prefix></CommonPrefixes>"), std::string::npos);
  EXPECT_NE(top.body.find("<KeyCount>4</KeyCount>"), std::string::npos) << top.body;
  auto photos = req("GET", "/bkt", "list-type=2&prefix=photos%2F&delimiter=%2F");
  EXPECT_NE(photos.body.find("<Prefix>photos/2023/</Prefix>"), std::string::npos);
  EXPECT_NE(photos.body.find("<Key>photos/readme</Key>"), std::string::npos);
  EXPECT_EQ(photos.body.find("<Key>photos/2023/x.jpg</Key>"), std::string::npos);
  // Page through everything two at a time.
  std::vector<std::string> keys;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    auto res = req("GET", "/bkt", "list-type=2&max-keys=2" + (token.empty() ? "" : "&continuation-token=" + url_encode(token)));
    for (std::size_t at = res.body.find("<Key>"); at != std::string::npos; at = res.body.find("<Key>", at + 1)) {
      keys.push_back(res.body.substr(at + 5, res.body.find("</Key>", at) - at - 5));
    }
    const auto t = res.body.find("<NextContinuationToken>");
    if (t == std::string::npos) {
      EXPECT_NE(res.body.find("<IsTruncated>false</IsTruncated>"), std::string::npos);
      break;
    }
    token = res.body.substr(t + 23, res.body.find("</NextContinuationToken>") - t - 23);
  }
  EXPECT_EQ(keys.size(), 7u);
  EXPECT_EQ(keys.front(), "a.txt");
  EXPECT_EQ(keys.back(), "z");
  auto v1 = req("GET", "/bkt", "prefix=photos&max-keys=1");
  EXPECT_NE(v1.body.find("<IsTruncated>true</IsTruncated>"), std::string::npos);
  EXPECT_EQ(code(req("GET", "/bkt", "list-type=2&continuation-token=bogus")), "InvalidArgument");
}

TEST_F(S3, CopyObjectKeepsOrReplacesMetadata) {
  req("PUT", "/bkt");
  Headers h;
  h.set("x-amz-meta-a", "1");
  h.set("Content-Type", "text/plain");
  req("PUT", "/bkt/src", "", "body", h);
  Headers copy;
  copy.set("x-amz-copy-source", "/bkt/src");
  auto res = req("PUT", "/bkt/dst", "", "", copy);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_NE(res.body.find("<CopyObjectResult"), std::string::npos);
  EXPECT_EQ(req("GET", "/bkt/dst").headers.get("x-amz-meta-a").value_or(""), "1");
  copy.set("x-amz-metadata-directive", "REPLACE");
  copy.set("x-amz-meta-b", "2");
  req("PUT", "/bkt/dst2", "", "", copy);
  auto got = req("GET", "/bkt/dst2");
  EXPECT_EQ(got.body, "body");
  EXPECT_FALSE(got.headers.contains("x-amz-meta-a"));
  EXPECT_EQ(got.headers.get("x-amz-meta-b").value_or(""), "2");
  Headers self;
  self.set("x-amz-copy-source", "bkt/src");
  EXPECT_EQ(code(req("PUT", "/bkt/src", "", "", self)), "InvalidRequest");
  Headers missing;
  missing.set("x-amz-copy-source", "bkt/none");
  EXPECT_EQ(code(req("PUT", "/bkt/x", "", "", missing)), "NoSuchKey");
  EXPECT_EQ(events_.back().event_name, "ObjectCreated:Copy");
}

TEST_F(S3, MultipartUploadsJoinPartsWithAwsEtag) {
  req("PUT", "/bkt");
  auto init = req("POST", "/bkt/big", "uploads");
  ASSERT_EQ(init.status, 200);
  const auto a = init.body.find("<UploadId>");
  const std::string id = init.body.substr(a + 10, init.body.find("</UploadId>") - a - 10);
  const std::string p1(5 * 1024 * 1024, 'a');
  const std::string p2 = "tail";
  auto r1 = req("PUT", "/bkt/big", "partNumber=1&uploadId=" + id, p1);
  auto r2 = req("PUT", "/bkt/big", "partNumber=2&uploadId=" + id, p2);
  ASSERT_EQ(r1.status, 200);
  const std::string e1(*r1.headers.get("ETag"));
  const std::string e2(*r2.headers.get("ETag"));
  EXPECT_NE(req("GET", "/bkt/big", "uploadId=" + id).body.find("<PartNumber>2</PartNumber>"), std::string::npos);
  EXPECT_EQ(code(req("POST", "/bkt/big", "uploadId=" + id,
                     "<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>" + e2 + "</ETag></Part><Part><PartNumber>1</PartNumber><ETag>" +
                         e1 + "</ETag></Part></CompleteMultipartUpload>")),
            "InvalidPartOrder");
  EXPECT_EQ(code(req("POST", "/bkt/big", "uploadId=" + id, "<CompleteMultipartUpload><Part>")), "MalformedXML");
  auto done = req("POST", "/bkt/big", "uploadId=" + id,
                  "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + e1 + "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" + e2 +
                      "</ETag></Part></CompleteMultipartUpload>");
  ASSERT_EQ(done.status, 200) << done.body;
  const std::string expected = md5_hex(md5_raw(p1) + md5_raw(p2)) + "-2";
  EXPECT_NE(done.body.find("<ETag>&quot;" + expected + "&quot;</ETag>"), std::string::npos) << done.body;
  auto got = req("GET", "/bkt/big");
  EXPECT_EQ(got.body.size(), p1.size() + p2.size());
  EXPECT_EQ(got.body.substr(p1.size()), "tail");
  EXPECT_EQ(events_.back().event_name, "ObjectCreated:CompleteMultipartUpload");
  EXPECT_EQ(code(req("PUT", "/bkt/big", "partNumber=1&uploadId=" + id, "x")), "NoSuchUpload");
  // Small non-final parts are refused at completion.
  auto init2 = req("POST", "/bkt/small", "uploads");
  const auto b = init2.body.find("<UploadId>");
  const std::string id2 = init2.body.substr(b + 10, init2.body.find("</UploadId>") - b - 10);
  auto s1 = req("PUT", "/bkt/small", "partNumber=1&uploadId=" + id2, "tiny");
  auto s2 = req("PUT", "/bkt/small", "partNumber=2&uploadId=" + id2, "tiny");
  EXPECT_EQ(code(req("POST", "/bkt/small", "uploadId=" + id2,
                     "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + std::string(*s1.headers.get("ETag")) +
                         "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" + std::string(*s2.headers.get("ETag")) +
                         "</ETag></Part></CompleteMultipartUpload>")),
            "EntityTooSmall");
  EXPECT_EQ(req("DELETE", "/bkt/small", "uploadId=" + id2).status, 204);
}

TEST_F(S3, DeleteObjectsRemovesMany) {
  req("PUT", "/bkt");
  for (const char* k : {"a", "b", "c"}) req("PUT", std::string("/bkt/") + k, "", "x");
  auto res = req("POST", "/bkt", "delete", "<Delete><Object><Key>a</Key></Object><Object><Key>b</Key></Object><Object><Key>zz</Key></Object></Delete>");
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("<Deleted><Key>a</Key></Deleted>"), std::string::npos);
  EXPECT_EQ(req("GET", "/bkt/a").status, 404);
  EXPECT_EQ(req("GET", "/bkt/c").status, 200);
}

TEST_F(S3, SignaturesAndPresignedUrls) {
  req("PUT", "/bkt");
  req("PUT", "/bkt/k", "", "secret");
  ServiceRequest anon{"GET", "/bkt/k", "", {}, ""};
  auto denied = call(*svc_, anon);
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(code(denied), "AccessDenied");
  const std::string date = testing::amz_date_now();
  auto presigned = [&](const std::string& d, const std::string& expires) {
    ServiceRequest r{"GET", "/bkt/k",
                     "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F" + d.substr(0, 8) + "%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=" + d +
                         "&X-Amz-Expires=" + expires + "&X-Amz-SignedHeaders=host&X-Amz-Signature=" + std::string(64, 'b'),
                     {}, ""};
    r.headers.set("Host", "127.0.0.1");
    return call(*svc_, r);
  };
  auto ok = presigned(date, "60");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "secret");
  auto expired = presigned("20200101T000000Z", "60");
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("<Message>Request has expired</Message>"), std::string::npos);
  EXPECT_NE(expired.body.find("<X-Amz-Expires>60</X-Amz-Expires>"), std::string::npos);
  EXPECT_EQ(code(presigned(date, "700000")), "AuthorizationQueryParametersError");
  ServiceRequest v2{"GET", "/bkt/k", "AWSAccessKeyId=test&Signature=" + url_encode(base64_encode(std::string(20, 'x'))) + "&Expires=1", {}, ""};
  EXPECT_NE(call(*svc_, v2).body.find("Request has expired"), std::string::npos);
  ServiceRequest nohash{"GET", "/bkt/k", "", {}, ""};
  testing::sign(nohash, "s3");
  EXPECT_EQ(code(call(*svc_, nohash)), "InvalidRequest");
}

TEST_F(S3, ObjectsSurviveSigkillAndOrphansAreCollected) {
  req("PUT", "/bkt");
  svc_.reset();
  int ack[2];
  ASSERT_EQ(::pipe(ack), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto svc = S3Service::open({.state_dir = dir_.path()});
    if (!svc) ::_exit(2);
    for (int i = 0;; ++i) {
      ServiceRequest r{"PUT", "/bkt/k" + std::to_string(i), "", {}, std::string(1000, static_cast<char>('a' + i % 26))};
      testing::sign(r, "s3");
      r.headers.set("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
      if (call(**svc, r).status != 200) ::_exit(3);
      if (::write(ack[1], &i, sizeof i) != sizeof i) ::_exit(4);
    }
  }
  ::close(ack[1]);
  int last = -1;
  for (int n; last < 30 && ::read(ack[0], &n, sizeof n) == sizeof n;) last = n;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(ack[0]);
  open();
  for (int i = 0; i <= last; ++i) {
    auto got = req("GET", "/bkt/k" + std::to_string(i));
    ASSERT_EQ(got.status, 200) << "acknowledged object " << i << " lost";
    EXPECT_EQ(got.body, std::string(1000, static_cast<char>('a' + i % 26)));
  }
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.path() / "s3-objects")) ++files;
  std::size_t objects = 0;
  auto list = req("GET", "/bkt", "list-type=2");
  for (std::size_t at = list.body.find("<Key>"); at != std::string::npos; at = list.body.find("<Key>", at + 1)) ++objects;
  EXPECT_EQ(files, objects);  // no body file without its row
}

TEST_F(S3, MalformedRequestsGetXmlErrors) {
  req("PUT", "/bkt");
  auto res = req("POST", "/bkt", "delete", "not xml");
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(code(res), "MalformedXML");
  EXPECT_EQ(req("PATCH", "/bkt/k").status, 405);
  EXPECT_EQ(code(req("PUT", "/bkt/k", "partNumber=0&uploadId=x", "d")), "InvalidArgument");
  EXPECT_EQ(code(req("GET", "/bkt", "list-type=2&max-keys=abc")), "InvalidArgument");
  EXPECT_EQ(req("PUT", "/bkt/ok", "", "still fine").status, 200);
}

TEST(S3Event, LambdaEventHasAwsShape) {
  S3Event e{"ObjectCreated:Put", "b", "a b/c.txt", 5, "abc", "0001", 0, "127.0.0.1", "AKID"};
  auto v = testing::parse(s3_lambda_event(e, "us-east-1"));
  const auto& r = v.at("Records").at(0);
  EXPECT_EQ(r.at("eventSource"), "aws:s3");
  EXPECT_EQ(r.at("eventName"), "ObjectCreated:Put");
  EXPECT_EQ(r.at("s3").at("bucket").at("arn"), "arn:aws:s3:::b");
  EXPECT_EQ(r.at("s3").at("object").at("key"), "a+b/c.txt");
  EXPECT_EQ(r.at("s3").at("object").at("size"), 5);
}

TEST_F(S3, BucketConfigurationsAreStoredAndReturned) {
  ASSERT_EQ(req("PUT", "/site").status, 200);
  // Defaults of a new bucket, as AWS has them since 2023, or AWS's NoSuch... errors.
  EXPECT_NE(req("GET", "/site", "encryption").body.find("<SSEAlgorithm>AES256</SSEAlgorithm>"), std::string::npos);
  EXPECT_NE(req("GET", "/site", "publicAccessBlock").body.find("<BlockPublicAcls>true</BlockPublicAcls>"), std::string::npos);
  EXPECT_NE(req("GET", "/site", "versioning").body.find("<VersioningConfiguration"), std::string::npos);
  EXPECT_NE(req("GET", "/site", "notification").body.find("<NotificationConfiguration"), std::string::npos);
  auto no_lifecycle = req("GET", "/site", "lifecycle");
  EXPECT_EQ(no_lifecycle.status, 404);
  EXPECT_EQ(code(no_lifecycle), "NoSuchLifecycleConfiguration");
  EXPECT_EQ(code(req("GET", "/site", "tagging")), "NoSuchTagSet");
  EXPECT_EQ(code(req("GET", "/site", "policy")), "NoSuchBucketPolicy");
  EXPECT_EQ(code(req("GET", "/site", "cors")), "NoSuchCORSConfiguration");

  const std::string versioning = R"(<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>)";
  EXPECT_EQ(req("PUT", "/site", "versioning", versioning).status, 200);
  EXPECT_EQ(req("GET", "/site", "versioning").body, versioning);
  const std::string lifecycle = R"(<LifecycleConfiguration><Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>)";
  EXPECT_EQ(req("PUT", "/site", "lifecycle", lifecycle).status, 200);
  EXPECT_EQ(req("GET", "/site", "lifecycle").body, lifecycle);
  const std::string block = R"(<PublicAccessBlockConfiguration><BlockPublicAcls>false</BlockPublicAcls></PublicAccessBlockConfiguration>)";
  EXPECT_EQ(req("PUT", "/site", "publicAccessBlock", block).status, 200);
  EXPECT_EQ(req("GET", "/site", "publicAccessBlock").body, block);
  EXPECT_EQ(req("PUT", "/site", "tagging", "<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>").status, 204);
  EXPECT_EQ(req("PUT", "/site", "policy", R"({"Version":"2012-10-17","Statement":[]})").status, 204);
  EXPECT_EQ(req("GET", "/site", "policy").body, R"({"Version":"2012-10-17","Statement":[]})");

  // Malformed documents are refused and change nothing.
  EXPECT_EQ(code(req("PUT", "/site", "versioning", "<VersioningConfiguration><Status>Sometimes</Status></VersioningConfiguration>")), "MalformedXML");
  EXPECT_EQ(code(req("PUT", "/site", "encryption", "<ServerSideEncryptionConfiguration><Rule>")), "MalformedXML");
  EXPECT_EQ(code(req("PUT", "/site", "lifecycle", "<Tagging/>")), "MalformedXML");
  EXPECT_EQ(code(req("PUT", "/site", "policy", "not json")), "MalformedPolicy");
  EXPECT_EQ(req("GET", "/site", "versioning").body, versioning);

  // DELETE where S3 has one; kept across a restart; gone with the bucket.
  EXPECT_EQ(req("DELETE", "/site", "lifecycle").status, 204);
  EXPECT_EQ(code(req("GET", "/site", "lifecycle")), "NoSuchLifecycleConfiguration");
  EXPECT_EQ(req("DELETE", "/site", "versioning").status, 405);
  open();
  EXPECT_EQ(req("GET", "/site", "publicAccessBlock").body, block);
  EXPECT_EQ(code(req("GET", "/missing-bucket", "encryption")), "NoSuchBucket");
  EXPECT_EQ(req("DELETE", "/site").status, 204);
  EXPECT_EQ(req("PUT", "/site").status, 200);
  EXPECT_EQ(code(req("GET", "/site", "tagging")), "NoSuchTagSet") << "a new bucket of the same name starts clean";
}

}  // namespace
}  // namespace gust::localaws
