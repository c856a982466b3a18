#pragma once
// S3 bucket configuration subresources that SDKs, the AWS CLI and deploy
// tools set and read (?versioning, ?notification, ?encryption,
// ?publicAccessBlock, ?lifecycle, ?tagging, ?cors, ?policy,
// ?ownershipControls, ?acl): checked for shape, stored per bucket and
// returned as given. Nothing acts on them locally (objects are not
// versioned, lifecycles do not expire objects; docs/local-cloud.md). A bucket
// without one answers with AWS's default for new buckets, or its NoSuch...
// error where AWS has no default.
//
//   if (auto name = bucket_config_name(query); !name.empty())
//     return answer_bucket_config(db, bucket, method, name, body);

#include "devcloud/services/service.hpp"
#include "devcloud/services/sqlite_db.hpp"

#include <string>
#include <string_view>

namespace gust::localaws {

inline constexpr std::string_view kBucketConfigSchema = R"sql(
CREATE TABLE IF NOT EXISTS bucket_configs(
  bucket TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY(bucket, name)) WITHOUT ROWID;
)sql";

// The configuration a bucket request's query names ("versioning", ...), or "".
std::string_view bucket_config_name(const Params& query);

// PUT stores (after checking the document), GET returns, DELETE removes.
// Throws AwsError (MalformedXML, NoSuchLifecycleConfiguration, ...). The
// caller has checked that the bucket exists and holds the service's lock.
ServiceResponse answer_bucket_config(Db& db, const std::string& bucket, std::string_view method, std::string_view name,
                                     const std::string& body);

// Drops a deleted bucket's configurations.
void forget_bucket_configs(Db& db, const std::string& bucket);

}  // namespace gust::localaws
