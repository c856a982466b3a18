#pragma once
// The events non-HTTP handlers receive: what fired them, already parsed.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace gust {

// A schedule fired (EventBridge "Scheduled Event").
struct ScheduleEvent {
  std::string id;      // the event id
  std::string rule;    // the rule or schedule ARN that fired
  std::string time;    // ISO 8601 time of the firing ("2026-11-26T03:00:00Z")
  std::string region;
  std::string account;
};

// An object was created in a bucket (S3 "ObjectCreated:*" notification).
struct ObjectCreated {
  std::string bucket;  // physical bucket name
  std::string key;     // URL-decoded object key
  std::uint64_t size = 0;
  std::string etag;
  std::string event_name;  // "ObjectCreated:Put", "ObjectCreated:CompleteMultipartUpload", ...
  std::string event_time;
  std::string version_id;
};

// Metadata of one queue message, for consumers that want it beside the body.
struct MessageInfo {
  std::string message_id;
  std::string receipt_handle;
  int receive_count = 1;  // ApproximateReceiveCount
  std::string sent_timestamp;
  std::map<std::string, std::string> attributes;  // string message attributes
};

}  // namespace gust
