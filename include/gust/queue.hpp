#pragma once
// Queue capabilities: QueueSender<T> (gust::sends(queue)) and
// QueueReceiver<T> (gust::receives(queue), for polling by hand; consumers
// declared with App::consume get their messages without it).
//
//   events.send(todo).value();   // needs gust::sends(events) on the handler

#include <gust/detail/services.hpp>
#include <gust/record.hpp>
#include <gust/resources.hpp>

namespace gust {

struct SendOptions {
  std::chrono::seconds delay{0};  // up to 15 minutes
  std::string group_id;           // FIFO queues only
  std::string deduplication_id;   // FIFO queues only
  std::map<std::string, std::string> attributes;  // string message attributes
};

template <class T>
struct Received {
  T message;
  MessageInfo info;
};

template <class T, QueuePermission P>
class QueueClient {
 public:
  explicit QueueClient(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // Sends one message; returns its message id. Bodies over 256 KiB are
  // rejected with ErrorCode::invalid_argument before any network call.
  Result<std::string> send(const T& message, const SendOptions& options = {}) const {
    require_send();
    return detail::queue_service().send(*binding_, to_json(message),
                                        {options.delay, options.group_id, options.deduplication_id, options.attributes});
  }
  // Sends up to ten messages in one call; returns their ids in order.
  Result<std::vector<std::string>> send_batch(const std::vector<T>& messages) const {
    require_send();
    std::vector<std::string> bodies;
    bodies.reserve(messages.size());
    for (const auto& m : messages) bodies.push_back(to_json(m));
    return detail::queue_service().send_batch(*binding_, bodies);
  }

  // Receives up to `max` messages, waiting up to `wait` for the first.
  Result<std::vector<Received<T>>> receive(int max = 1, std::chrono::seconds wait = std::chrono::seconds(0)) const {
    static_assert(allows(P, QueuePermission::receive),
                  "gust: QueueSender cannot receive. Declare gust::receives(queue) on the handler and take a "
                  "gust::QueueReceiver<T> parameter, or consume the queue with app.consume(queue, ...).");
    auto raw = detail::queue_service().receive(*binding_, max, wait, std::nullopt);
    if (!raw) return Unexpected{std::move(raw).error()};
    std::vector<Received<T>> out;
    for (auto& m : *raw) {
      auto decoded = from_json<T>(m.body);
      if (!decoded) return Unexpected{std::move(decoded).error()};
      out.push_back({*std::move(decoded), std::move(m.info)});
    }
    return out;
  }
  // Deletes a received message (it was handled).
  Result<void> remove(const MessageInfo& info) const {
    static_assert(allows(P, QueuePermission::receive),
                  "gust: QueueSender cannot delete messages. Declare gust::receives(queue) on the handler.");
    return detail::queue_service().delete_message(*binding_, info.receipt_handle);
  }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  static constexpr void require_send() {
    static_assert(allows(P, QueuePermission::send),
                  "gust: QueueReceiver cannot send. Declare gust::sends(queue) on the handler and take a "
                  "gust::QueueSender<T> parameter.");
  }
  const detail::ResourceBinding* binding_;
};

template <class T>
using QueueSender = QueueClient<T, QueuePermission::send>;
template <class T>
using QueueReceiver = QueueClient<T, QueuePermission::receive>;

}  // namespace gust
