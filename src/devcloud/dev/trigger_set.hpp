#pragma once
// Everything that fires functions in gust dev besides HTTP, for one
// manifest: a poller per consumed queue, the schedules, S3 object-created
// notifications and SNS deliveries. Rebuilt on every reload.

#include "devcloud/dev/local_resources.hpp"
#include "devcloud/triggers/queue_poller.hpp"
#include "devcloud/triggers/schedule_runner.hpp"

#include <memory>
#include <string>
#include <vector>

namespace gust::devcloud {

class TriggerSet {
 public:
  TriggerSet(localaws::LocalAws& aws, const manifest::Manifest& manifest, const LocalResources& resources, Invoker invoke,
             std::string region);
  ~TriggerSet();  // stops and unhooks
  TriggerSet(const TriggerSet&) = delete;
  TriggerSet& operator=(const TriggerSet&) = delete;

  // Start-up lines: schedules with their next firing.
  std::vector<std::string> describe() const;

 private:
  localaws::LocalAws& aws_;
  std::vector<std::unique_ptr<QueuePoller>> pollers_;
  std::unique_ptr<ScheduleRunner> schedules_;
};

}  // namespace gust::devcloud
