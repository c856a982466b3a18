// The S3 client and the bucket capabilities against s3rver (and moto for
// what s3rver lacks) on 127.0.0.1.
#include "aws/s3.hpp"

#include "peer.hpp"

#include <gust/bucket.hpp>

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace gust::aws {
namespace {

using detail::PutObjectSpec;

class S3Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    peer = std::make_unique<testing::Peer>("s3rver");
    ASSERT_TRUE(peer->ok()) << peer->error();
    // A low multipart threshold so a 12 MiB body goes up in 5 MiB parts.
    client = std::make_unique<S3Client>(peer->config(), S3Options{6 * 1024 * 1024, 5 * 1024 * 1024});
    auto made = client->create_bucket("gust-test");
    ASSERT_TRUE(made) << made.error().describe();
    moto = std::make_unique<testing::Peer>("moto");
    ASSERT_TRUE(moto->ok()) << moto->error();
    moto_client = std::make_unique<S3Client>(moto->config(), S3Options{6 * 1024 * 1024, 5 * 1024 * 1024});
    auto moto_made = moto_client->create_bucket("gust-test");
    ASSERT_TRUE(moto_made) << moto_made.error().describe();
  }
  void TearDown() override {
    moto_client.reset();
    moto.reset();
    client.reset();
    peer.reset();
  }
  std::unique_ptr<testing::Peer> peer;
  std::unique_ptr<S3Client> client;
  std::unique_ptr<testing::Peer> moto;  // computes multipart ETags as S3 does
  std::unique_ptr<S3Client> moto_client;
};
S3Environment* const s3rver = static_cast<S3Environment*>(::testing::AddGlobalTestEnvironment(new S3Environment));

class S3 : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(s3rver->client) << "s3rver did not start"; }
  const S3Client& s3() const { return *s3rver->client; }
  static constexpr std::string_view kBucket = "gust-test";
};

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

TEST_F(S3, PutGetHeadDeleteRoundTrip) {
  PutObjectSpec spec{"text/plain; charset=utf-8", {{"owner", "ann"}, {"purpose", "test"}}};
  auto etag = s3().put_object(kBucket, "notes/hello.txt", "hello, world", spec);
  ASSERT_TRUE(etag) << etag.error().describe();
  EXPECT_FALSE(etag->empty());

  auto got = s3().get_object(kBucket, "notes/hello.txt", std::nullopt);
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->body, "hello, world");
  EXPECT_EQ(got->content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(got->etag, *etag);
  EXPECT_EQ(got->size, 12u);
  EXPECT_EQ(got->metadata.at("owner"), "ann");
  EXPECT_EQ(got->metadata.at("purpose"), "test");
  EXPECT_FALSE(got->last_modified.empty());

  auto head = s3().head_object(kBucket, "notes/hello.txt");
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(head->size, 12u);
  EXPECT_EQ(head->metadata.at("owner"), "ann");

  ASSERT_TRUE(s3().delete_object(kBucket, "notes/hello.txt"));
  auto gone = s3().get_object(kBucket, "notes/hello.txt", std::nullopt);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::not_found);
  EXPECT_EQ(gone.error().aws.code, "NoSuchKey");
  auto gone_head = s3().head_object(kBucket, "notes/hello.txt");
  ASSERT_FALSE(gone_head);
  EXPECT_EQ(gone_head.error().code, ErrorCode::not_found);
  EXPECT_EQ(gone_head.error().aws.http_status, 404);
}

TEST_F(S3, BinaryBodiesRoundTripByteForByte) {
  std::string all(256, '\0');
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<char>(i);
  const std::string body = all + random_bytes(100000, 7) + all;
  ASSERT_TRUE(s3().put_object(kBucket, "bin/all-bytes", body, {}));
  auto got = s3().get_object(kBucket, "bin/all-bytes", std::nullopt);
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->body.size(), body.size());
  EXPECT_TRUE(got->body == body);
  EXPECT_EQ(got->content_type, "application/octet-stream");
}

TEST_F(S3, UnicodeAndOddKeysNameExactlyThatObject) {
  const std::vector<std::string> keys = {"dir/файл ✓.txt", "a+b=c&d;e", "spaces in name", "tilde~and-dash_",
                                         "percent%20literal", "question?hash#", "日本語/キー", "quote'\"(paren)"};
  for (const auto& key : keys) {
    auto put = s3().put_object(kBucket, "odd/" + key, "body of " + key, {});
    ASSERT_TRUE(put) << key << ": " << put.error().describe();
  }
  for (const auto& key : keys) {
    auto got = s3().get_object(kBucket, "odd/" + key, std::nullopt);
    ASSERT_TRUE(got) << key << ": " << got.error().describe();
    EXPECT_EQ(got->body, "body of " + key);
  }
  auto page = s3().list_objects(kBucket, "odd/", "", std::nullopt, std::nullopt);
  ASSERT_TRUE(page) << page.error().describe();
  std::set<std::string> listed;
  for (auto& o : page->objects) listed.insert(o.key.substr(4));
  EXPECT_EQ(listed, std::set<std::string>(keys.begin(), keys.end()));
}

TEST_F(S3, RangedGetsReturnThePartAndTheWholeSize) {
  ASSERT_TRUE(s3().put_object(kBucket, "range.txt", "0123456789abcdef", {}));
  auto part = s3().get_object(kBucket, "range.txt", detail::ByteRange{4, 9});
  ASSERT_TRUE(part) << part.error().describe();
  EXPECT_EQ(part->body, "456789");
  EXPECT_EQ(part->size, 16u);
  auto tail = s3().get_object(kBucket, "range.txt", detail::ByteRange{12, std::nullopt});
  ASSERT_TRUE(tail);
  EXPECT_EQ(tail->body, "cdef");
  auto backwards = s3().get_object(kBucket, "range.txt", detail::ByteRange{9, 4});
  ASSERT_FALSE(backwards);
  EXPECT_EQ(backwards.error().code, ErrorCode::invalid_argument);
}

TEST_F(S3, LargeObjectsSingleAndMultipart) {
  const std::string five = random_bytes(5 * 1024 * 1024 + 17, 1);
  ASSERT_TRUE(s3().put_object(kBucket, "large/single", five, {}));
  auto got = s3().get_object(kBucket, "large/single", std::nullopt);
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_TRUE(got->body == five);

  const std::string twelve = random_bytes(12 * 1024 * 1024 + 3, 2);  // above the 6 MiB threshold: 3 parts
  for (const S3Client* c : {s3rver->client.get(), s3rver->moto_client.get()}) {
    auto etag = c->put_object(kBucket, "large/multipart", twelve, {"application/x-test", {{"kind", "multi"}}});
    ASSERT_TRUE(etag) << etag.error().describe();
    auto back = c->get_object(kBucket, "large/multipart", std::nullopt);
    ASSERT_TRUE(back) << back.error().describe();
    EXPECT_EQ(back->body.size(), twelve.size());
    EXPECT_TRUE(back->body == twelve);
    EXPECT_EQ(back->content_type, "application/x-test");
    EXPECT_EQ(back->metadata["kind"], "multi");
    auto middle = c->get_object(kBucket, "large/multipart", detail::ByteRange{5 * 1024 * 1024 - 2, 5 * 1024 * 1024 + 1});
    ASSERT_TRUE(middle);
    EXPECT_EQ(middle->body, twelve.substr(5 * 1024 * 1024 - 2, 4));
  }
  // moto computes ETags as S3 does: a multipart object's ends in -<parts>.
  auto head = s3rver->moto_client->head_object(kBucket, "large/multipart");
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_NE(head->etag.find("-3\""), std::string::npos) << "3 parts expected: " << head->etag;
}

TEST_F(S3, ListPaginatesAndGroupsByDelimiter) {
  for (int i = 0; i < 23; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "list/item-%02d", i);
    ASSERT_TRUE(s3().put_object(kBucket, name, "x", {}));
  }
  for (std::string sub : {"list/a/1", "list/a/2", "list/b/1"}) ASSERT_TRUE(s3().put_object(kBucket, sub, "y", {}));

  std::vector<std::string> keys;
  std::optional<std::string> token;
  int pages = 0;
  for (int guard = 0; guard < 50; ++guard) {
    auto page = s3().list_objects(kBucket, "list/item-", "", token, 5);
    ASSERT_TRUE(page) << page.error().describe();
    ++pages;
    EXPECT_LE(page->objects.size(), 5u);
    for (auto& o : page->objects) keys.push_back(o.key);
    if (!page->next) break;
    token = page->next;
  }
  EXPECT_EQ(keys.size(), 23u);
  EXPECT_EQ(pages, 5);
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));

  auto grouped = s3().list_objects(kBucket, "list/", "/", std::nullopt, std::nullopt);
  ASSERT_TRUE(grouped) << grouped.error().describe();
  EXPECT_EQ(grouped->common_prefixes, (std::vector<std::string>{"list/a/", "list/b/"}));
  EXPECT_EQ(grouped->objects.size(), 23u);
}

TEST_F(S3, CopyMakesAnIndependentObject) {
  ASSERT_TRUE(s3().put_object(kBucket, "copy/source ✓", "original", {"text/x-original", {}}));
  auto etag = s3().copy_object(kBucket, "copy/source ✓", "copy/destination");
  ASSERT_TRUE(etag) << etag.error().describe();
  ASSERT_TRUE(s3().put_object(kBucket, "copy/source ✓", "changed", {}));
  auto copy = s3().get_object(kBucket, "copy/destination", std::nullopt);
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->body, "original");
  auto missing = s3().copy_object(kBucket, "copy/no-such-source", "copy/x");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found) << missing.error().describe();
}

TEST_F(S3, MissingBucketIsNotFound) {
  auto r = s3().get_object("no-such-bucket-gust", "k", std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_EQ(r.error().aws.code, "NoSuchBucket");
}

TEST_F(S3, PresignedUrlsWorkWithoutCredentials) {
  ASSERT_TRUE(s3().put_object(kBucket, "presigned/get me.txt", "shared", {}));
  auto url = s3().presign(kBucket, "GET", "presigned/get me.txt", std::chrono::seconds(300));
  ASSERT_TRUE(url) << url.error().describe();
  EXPECT_NE(url->find("X-Amz-Signature="), std::string::npos);
  http::Client plain;
  auto parsed = http::parse_url(*url);
  ASSERT_TRUE(parsed);
  auto res = plain.send(parsed->origin, {"GET", parsed->target, {}, {}});
  ASSERT_TRUE(res) << res.error().describe();
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->body, "shared");

  auto put_url = s3().presign(kBucket, "PUT", "presigned/uploaded", std::chrono::seconds(300));
  ASSERT_TRUE(put_url);
  auto put_parsed = http::parse_url(*put_url);
  auto up = plain.send(put_parsed->origin, {"PUT", put_parsed->target, {}, "via presigned PUT"});
  ASSERT_TRUE(up) << up.error().describe();
  EXPECT_EQ(up->status, 200) << up->body;
  auto got = s3().get_object(kBucket, "presigned/uploaded", std::nullopt);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->body, "via presigned PUT");

  auto too_long = s3().presign(kBucket, "GET", "x", std::chrono::seconds(8 * 24 * 3600));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::invalid_argument);
}

TEST_F(S3, CapabilityObjectsUseTheProcessWideClient) {
  s3rver->peer->export_to_process();
  ::setenv("AWS_CONFIG_FILE", "/dev/null/gust-no-config", 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null/gust-no-credentials", 1);
  const detail::ResourceBinding binding{"files", "gust-test", "", ""};
  BucketReadWriter files(binding);
  ASSERT_TRUE(files.put("cap/one.json", R"({"a":1})", {"application/json", {{"k", "v"}}}));
  auto got = files.get("cap/one.json");
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->body, R"({"a":1})");
  EXPECT_EQ(got->metadata.at("k"), "v");
  ASSERT_TRUE(files.copy("cap/one.json", "cap/two.json"));
  auto listed = files.list({.prefix = "cap/"});
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->objects.size(), 2u);
  auto url = files.presign_get("cap/two.json", std::chrono::seconds(60));
  ASSERT_TRUE(url);
  ASSERT_TRUE(files.remove("cap/one.json"));
  EXPECT_EQ(files.head("cap/one.json").error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace gust::aws
