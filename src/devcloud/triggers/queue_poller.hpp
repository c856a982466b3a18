#pragma once
// The SQS event-source mapping of `gust dev`: polls a queue, invokes its
// consumer with batches as Lambda does, deletes what succeeded and leaves the
// rest to come back after the visibility timeout (and, after maxReceiveCount,
// to move to the dead-letter queue). Partial batch failures are honoured.

#include "devcloud/emulator/function_pool.hpp"
#include "devcloud/services/sqs_service.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gust::devcloud {

// Runs one invocation of a function and reports its outcome.
using Invoker = std::function<void(const std::string& function, std::string payload, std::function<void(InvokeResult)> done)>;

struct QueuePollerOptions {
  std::string queue;     // the queue's name in the local SQS
  std::string function;  // the consumer's function id
  int batch_size = 10;
  std::chrono::seconds batch_window{0};
  std::string region = "us-east-1";
};

class QueuePoller {
 public:
  QueuePoller(localaws::SqsService& sqs, Invoker invoke, QueuePollerOptions options);
  ~QueuePoller();  // stops
  QueuePoller(const QueuePoller&) = delete;
  QueuePoller& operator=(const QueuePoller&) = delete;

  // Polls now (a message was just sent).
  void wake();
  void stop();
  // Batches delivered so far (tests).
  int batches() const { return batches_; }

 private:
  void run();
  bool poll_once();

  localaws::SqsService& sqs_;
  Invoker invoke_;
  QueuePollerOptions options_;
  std::string queue_arn_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  bool stopping_ = false;
  std::atomic<int> batches_{0};
  std::thread thread_;
};

// The messageIds a consumer reported as failed ({"batchItemFailures":[...]});
// empty when it reported none.
std::vector<std::string> batch_item_failures(std::string_view payload);

}  // namespace gust::devcloud
