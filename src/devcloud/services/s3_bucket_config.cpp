#include "devcloud/services/s3_bucket_config.hpp"

#include "devcloud/services/aws_common.hpp"

#include <boost/json/parse.hpp>
#include <pugixml.hpp>

#include <array>

namespace gust::localaws {
namespace {

constexpr const char* kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

struct ConfigKind {
  std::string_view name;   // the query parameter
  std::string_view root;   // the document's root element ("" for the JSON policy)
  int put_status;          // S3 answers some PUTs with 204
  bool deletable;          // has a DELETE operation
  // A bucket that never had one: AWS's default document, or the error it answers.
  std::string_view default_body;
  std::string_view missing_code;
  std::string_view missing_message;
};

// AWS's defaults for new buckets since 2023: SSE-S3, public access blocked, owner-enforced.
constexpr std::array kKinds = {
    ConfigKind{"versioning", "VersioningConfiguration", 200, false, "<VersioningConfiguration xmlns=\"%\"/>", "", ""},
    ConfigKind{"notification", "NotificationConfiguration", 200, false, "<NotificationConfiguration xmlns=\"%\"/>", "", ""},
    ConfigKind{"encryption", "ServerSideEncryptionConfiguration", 200, true,
               "<ServerSideEncryptionConfiguration xmlns=\"%\"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
               "</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>",
               "", ""},
    ConfigKind{"publicAccessBlock", "PublicAccessBlockConfiguration", 200, true,
               "<PublicAccessBlockConfiguration xmlns=\"%\"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls>"
               "<BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
               "", ""},
    ConfigKind{"ownershipControls", "OwnershipControls", 200, true,
               "<OwnershipControls xmlns=\"%\"><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>", "", ""},
    ConfigKind{"acl", "AccessControlPolicy", 200, false,
               "<AccessControlPolicy xmlns=\"%\"><Owner><ID>0000000000000000000000000000000000000000000000000000000000000000</ID></Owner>"
               "<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\">"
               "<ID>0000000000000000000000000000000000000000000000000000000000000000</ID></Grantee><Permission>FULL_CONTROL</Permission>"
               "</Grant></AccessControlList></AccessControlPolicy>",
               "", ""},
    ConfigKind{"lifecycle", "LifecycleConfiguration", 200, true, "", "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"},
    ConfigKind{"tagging", "Tagging", 204, true, "", "NoSuchTagSet", "The TagSet does not exist"},
    ConfigKind{"cors", "CORSConfiguration", 200, true, "", "NoSuchCORSConfiguration", "The CORS configuration does not exist"},
    ConfigKind{"policy", "", 204, true, "", "NoSuchBucketPolicy", "The bucket policy does not exist"},
};

const ConfigKind* kind_of(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

AwsError malformed_xml() {
  return AwsError(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
}

// The checks S3 makes that a client is most likely to trip over; the rest of the document is kept as sent.
void check_document(const ConfigKind& kind, const std::string& body) {
  if (kind.root.empty()) {
    boost::system::error_code ec;
    auto policy = boost::json::parse(body, ec);
    if (ec || !policy.is_object()) throw AwsError(400, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
    if (!policy.get_object().contains("Statement")) throw AwsError(400, "MalformedPolicy", "Missing required field Statement");
    return;
  }
  pugi::xml_document doc;
  if (body.empty() || !doc.load_buffer(body.data(), body.size())) throw malformed_xml();
  const auto root = doc.document_element();
  if (std::string_view(root.name()) != kind.root) throw malformed_xml();
  if (kind.name == "versioning") {
    const std::string_view status = root.child("Status").text().get();
    if (!status.empty() && status != "Enabled" && status != "Suspended") throw malformed_xml();
  } else if (kind.name == "encryption") {
    const auto rule = root.child("Rule");
    const std::string_view algorithm = rule.child("ApplyServerSideEncryptionByDefault").child("SSEAlgorithm").text().get();
    if (!rule || (algorithm != "AES256" && algorithm != "aws:kms" && algorithm != "aws:kms:dsse")) throw malformed_xml();
  } else if (kind.name == "lifecycle") {
    if (!root.child("Rule")) throw malformed_xml();
    for (auto rule : root.children("Rule")) {
      const std::string_view status = rule.child("Status").text().get();
      if (status != "Enabled" && status != "Disabled") throw malformed_xml();
    }
  } else if (kind.name == "ownershipControls") {
    const std::string_view o = root.child("Rule").child("ObjectOwnership").text().get();
    if (o != "BucketOwnerEnforced" && o != "BucketOwnerPreferred" && o != "ObjectWriter") throw malformed_xml();
  }
}

ServiceResponse document(int status, std::string body, bool json) {
  ServiceResponse res;
  res.status = status;
  if (!body.empty()) res.headers.set("Content-Type", json ? "application/json" : "application/xml");
  res.body = std::move(body);
  return res;
}

std::string with_namespace(std::string_view templ) {
  std::string out(templ);
  if (const auto at = out.find('%'); at != std::string::npos) out.replace(at, 1, kXmlns);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + out;
}

}  // namespace

std::string_view bucket_config_name(const Params& query) {
  for (const auto& k : kKinds) {
    if (find_param(query, k.name)) return k.name;
  }
  return {};
}

ServiceResponse answer_bucket_config(Db& db, const std::string& bucket, std::string_view method, std::string_view name,
                                     const std::string& body) {
  const ConfigKind* kind = kind_of(name);
  if (!kind) throw AwsError(501, "NotImplemented", "The local S3 of gust dev does not implement this bucket configuration.");
  if (method == "PUT") {
    // An ACL may come as a canned x-amz-acl header with no body.
    if (!(kind->name == "acl" && body.empty())) check_document(*kind, body);
    Transaction tx(db);
    db.stmt("INSERT OR REPLACE INTO bucket_configs(bucket, name, body) VALUES(?1, ?2, ?3)").bind_text(1, bucket).bind_text(2, name).bind_text(3, body).run();
    tx.commit();
    return document(kind->put_status, {}, false);
  }
  if (method == "GET") {
    auto& st = db.stmt("SELECT body FROM bucket_configs WHERE bucket=?1 AND name=?2");
    st.bind_text(1, bucket).bind_text(2, name);
    std::string stored = st.step() ? st.column_text(0) : std::string();
    st.reset();
    if (!stored.empty()) {
      ServiceResponse res = document(200, std::move(stored), kind->root.empty());
      // AWS names the default it applies to lifecycle transitions since 2024.
      if (kind->name == "lifecycle") res.headers.set("x-amz-transition-default-minimum-object-size", "all_storage_classes_128K");
      return res;
    }
    if (!kind->default_body.empty()) return document(200, with_namespace(kind->default_body), false);
    throw AwsError(404, std::string(kind->missing_code), std::string(kind->missing_message), "<BucketName>" + xml_escape(bucket) + "</BucketName>");
  }
  if (method == "DELETE" && kind->deletable) {
    Transaction tx(db);
    db.stmt("DELETE FROM bucket_configs WHERE bucket=?1 AND name=?2").bind_text(1, bucket).bind_text(2, name).run();
    tx.commit();
    return document(204, {}, false);
  }
  throw AwsError(405, "MethodNotAllowed", "The specified method is not allowed against this resource.",
                 "<Method>" + std::string(method) + "</Method><ResourceType>BUCKET</ResourceType>");
}

void forget_bucket_configs(Db& db, const std::string& bucket) {
  db.stmt("DELETE FROM bucket_configs WHERE bucket=?1").bind_text(1, bucket).run();
}

}  // namespace gust::localaws
