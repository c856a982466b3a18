// Queues: encrypted, with a dead-letter queue after `max_receives` receives
// (0: none), a visibility timeout that outlasts the consumers' retries, and
// each consumer's event-source mapping reporting partial batch failures.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::synth {
namespace {

constexpr int kMaxVisibilitySeconds = 43200;
constexpr int kDeadLetterRetentionSeconds = 1209600;  // the SQS maximum: 14 days to look at failures

}  // namespace

void add_queue(TemplateBuilder& b, const manifest::Resource& r) {
  const std::string id = queue_id(r.id);
  Value props;
  // Lambda's SQS guide: at least six times the function's timeout plus the
  // batching window, so a batch that is still being retried does not reappear.
  int visibility = 30;
  if (auto c = b.consumers.find(r.id); c != b.consumers.end()) {
    for (const auto* fn : c->second)
      visibility = std::max(visibility, 6 * fn->options.timeout_seconds + fn->trigger.batch_window_seconds);
  }
  props["VisibilityTimeout"] = std::min(visibility, kMaxVisibilitySeconds);
  props["MessageRetentionPeriod"] = r.retention_seconds;
  props["SqsManagedSseEnabled"] = true;
  if (r.max_receives > 0) {
    const std::string dlq = dead_letter_id(r.id);
    Value dlq_props;
    dlq_props["MessageRetentionPeriod"] = kDeadLetterRetentionSeconds;
    dlq_props["SqsManagedSseEnabled"] = true;
    dlq_props["Tags"] = b.tag_list();
    b.add(dlq, "AWS::SQS::Queue", std::move(dlq_props));
    props["RedrivePolicy"]["deadLetterTargetArn"] = get_att(dlq, "Arn");
    props["RedrivePolicy"]["maxReceiveCount"] = r.max_receives;
    b.output(dlq + "Url", cfn_ref(dlq), fmt::format("URL of the dead-letter queue of \"{}\"", r.id));
  }
  props["Tags"] = b.tag_list();
  b.add(id, "AWS::SQS::Queue", std::move(props));
  b.output(id + "Url", cfn_ref(id), fmt::format("URL of queue \"{}\"", r.id));
}

void add_consumer(TemplateBuilder& b, const manifest::Function& fn) {
  const auto& t = fn.trigger;
  Value m;
  m["EventSourceArn"] = get_att(queue_id(t.resource), "Arn");
  m["FunctionName"] = cfn_ref(function_id(fn.id));
  m["BatchSize"] = t.batch_size;
  if (t.batch_window_seconds > 0) m["MaximumBatchingWindowInSeconds"] = t.batch_window_seconds;
  // The handler reports the messages that failed; the others are deleted.
  m["FunctionResponseTypes"] = Array{Value("ReportBatchItemFailures")};
  // Lambda checks the role's sqs:ReceiveMessage when the mapping is created.
  b.add(event_source_mapping_id(fn.id), "AWS::Lambda::EventSourceMapping", std::move(m));
}

}  // namespace gust::synth
