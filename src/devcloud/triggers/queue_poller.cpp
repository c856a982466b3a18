#include "devcloud/triggers/queue_poller.hpp"

#include <gust/value.hpp>

#include <fmt/format.h>

#include <future>
#include <set>

namespace gust::devcloud {

std::vector<std::string> batch_item_failures(std::string_view payload) {
  std::vector<std::string> out;
  auto v = parse_json(payload);
  if (!v) return out;
  const Value* failures = v->find("batchItemFailures");
  if (failures == nullptr || failures->kind() != Value::Kind::array) return out;
  for (const auto& f : failures->as_array()) {
    const Value* id = f.find("itemIdentifier");
    if (id != nullptr && id->kind() == Value::Kind::string) out.push_back(id->as_string());
  }
  return out;
}

QueuePoller::QueuePoller(localaws::SqsService& sqs, Invoker invoke, QueuePollerOptions options)
    : sqs_(sqs), invoke_(std::move(invoke)), options_(std::move(options)) {
  queue_arn_ = sqs_.queue_arn(options_.queue).value_or(fmt::format("arn:aws:sqs:{}:000000000000:{}", options_.region, options_.queue));
  thread_ = std::thread([this] { run(); });
}

QueuePoller::~QueuePoller() { stop(); }

void QueuePoller::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void QueuePoller::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void QueuePoller::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      // Lambda polls continuously; here a send wakes the poller at once and a
      // second's sleep catches redeliveries after visibility timeouts.
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return woken_ || stopping_; });
      if (stopping_) return;
      woken_ = false;
    }
    if (options_.batch_window.count() > 0) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.batch_window, [this] { return stopping_; });
      if (stopping_) return;
    }
    // Drain what is visible now, batch by batch (bounded per wake-up).
    for (int i = 0; i < 100 && poll_once(); ++i) {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
  }
}

bool QueuePoller::poll_once() {
  auto messages = sqs_.receive(options_.queue, {.max_messages = std::min(options_.batch_size, 10)});
  if (!messages || messages->empty()) return false;
  std::string event = "{\"Records\":[";
  for (std::size_t i = 0; i < messages->size(); ++i) {
    if (i > 0) event += ',';
    event += localaws::sqs_lambda_record((*messages)[i], queue_arn_, options_.region);
  }
  event += "]}";
  std::promise<InvokeResult> outcome;
  invoke_(options_.function, std::move(event), [&outcome](InvokeResult r) { outcome.set_value(std::move(r)); });
  const InvokeResult r = outcome.get_future().get();
  ++batches_;
  if (r.status != InvokeResult::Status::success) return true;  // the whole batch comes back after its visibility timeout
  const auto failed = batch_item_failures(r.payload);
  const std::set<std::string> failed_ids(failed.begin(), failed.end());
  for (const auto& m : *messages) {
    if (!failed_ids.contains(m.message_id)) (void)sqs_.delete_message(options_.queue, m.receipt_handle);
  }
  return true;
}

}  // namespace gust::devcloud
