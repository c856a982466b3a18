#include "devcloud/dev/trigger_set.hpp"

#include <fmt/format.h>

#include <map>

namespace gust::devcloud {
namespace {

bool key_matches(const manifest::Trigger& t, const std::string& key) {
  return key.starts_with(t.prefix) && key.ends_with(t.suffix);
}

// SNS `lambda` deliveries: the subscribed function's ARN -> its id.
class SnsToFunctions final : public localaws::SnsDelivery {
 public:
  SnsToFunctions(std::map<std::string, std::string> functions, Invoker invoke) : functions_(std::move(functions)), invoke_(std::move(invoke)) {}
  Result<void> deliver_to_lambda(const std::string& arn, const std::string& event) override {
    auto it = functions_.find(arn);
    if (it == functions_.end()) return unexpected(ErrorCode::not_found, fmt::format("no function {} in this app", arn));
    invoke_(it->second, event, [](InvokeResult) {});  // asynchronous, as SNS invokes
    return {};
  }

 private:
  std::map<std::string, std::string> functions_;
  Invoker invoke_;
};

}  // namespace

TriggerSet::TriggerSet(localaws::LocalAws& aws, const manifest::Manifest& manifest, const LocalResources& resources, Invoker invoke,
                       std::string region)
    : aws_(aws) {
  std::vector<ScheduledFunction> schedules;
  std::map<std::string, std::string> subscribers;
  std::map<std::string, std::vector<manifest::Trigger>> object_triggers;
  std::map<std::string, std::vector<std::string>> object_functions;
  std::map<std::string, QueuePoller*> poller_by_queue;
  for (const auto& fn : manifest.functions) {
    const auto& t = fn.trigger;
    switch (t.kind) {
      case manifest::TriggerKind::queue: {
        const std::string queue = resources.queue_names.at(t.resource);
        pollers_.push_back(std::make_unique<QueuePoller>(
            aws.sqs(), invoke, QueuePollerOptions{queue, fn.id, t.batch_size, std::chrono::seconds(t.batch_window_seconds), region}));
        poller_by_queue[queue] = pollers_.back().get();
        break;
      }
      case manifest::TriggerKind::schedule: schedules.push_back({fn.id, t.name, t.expression}); break;
      case manifest::TriggerKind::topic: subscribers[local_function_arn(manifest, fn, region)] = fn.id; break;
      case manifest::TriggerKind::object_created:
        object_triggers[resources.values.at(t.resource)].push_back(t);
        object_functions[resources.values.at(t.resource)].push_back(fn.id);
        break;
      case manifest::TriggerKind::http: break;
    }
  }
  aws.sqs().set_on_message([poller_by_queue](const std::string& queue) {
    if (auto it = poller_by_queue.find(queue); it != poller_by_queue.end()) it->second->wake();
  });
  aws.s3().set_on_event([object_triggers, object_functions, invoke, region](const localaws::S3Event& e) {
    if (!e.event_name.starts_with("ObjectCreated:")) return;
    auto triggers = object_triggers.find(e.bucket);
    if (triggers == object_triggers.end()) return;
    for (std::size_t i = 0; i < triggers->second.size(); ++i) {
      if (key_matches(triggers->second[i], e.key))
        invoke(object_functions.at(e.bucket)[i], localaws::s3_lambda_event(e, region), [](InvokeResult) {});
    }
  });
  aws.sns().set_delivery(std::make_shared<SnsToFunctions>(std::move(subscribers), invoke));
  schedules_ = std::make_unique<ScheduleRunner>(std::move(schedules), invoke, region);
}

TriggerSet::~TriggerSet() {
  aws_.sqs().set_on_message({});
  aws_.s3().set_on_event({});
  aws_.sns().set_delivery(nullptr);
  schedules_->stop();
  for (auto& p : pollers_) p->stop();
}

std::vector<std::string> TriggerSet::describe() const { return schedules_->describe(); }

}  // namespace gust::devcloud
