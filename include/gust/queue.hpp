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

  // Receives up to `max` (at most 10) messages, waiting up to `wait` (at
  // most 20 s) for the first; they stay hidden from other receivers for
  // `visibility` (default: the queue's visibility timeout).
  Result<std::vector<Received<T>>> receive(int max = 1, std::chrono::seconds wait = std::chrono::seconds(0),
                                           std::optional<std::chrono::seconds> visibility = std::nullopt) const {
    require_receive();
    auto raw = detail::queue_service().receive(*binding_, max, wait, visibility);
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
    require_receive();
    return detail::queue_service().delete_message(*binding_, info.receipt_handle);
  }
  // Deletes up to ten received messages in one call.
  Result<void> remove_batch(const std::vector<MessageInfo>& infos) const {
    require_receive();
    std::vector<std::string> handles;
    handles.reserve(infos.size());
    for (const auto& i : infos) handles.push_back(i.receipt_handle);
    return detail::queue_service().delete_batch(*binding_, handles);
  }
  // Hides a received message for `timeout` more (0: make it visible again now).
  Result<void> change_visibility(const MessageInfo& info, std::chrono::seconds timeout) const {
    require_receive();
    return detail::queue_service().change_visibility(*binding_, info.receipt_handle, timeout);
  }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  static constexpr void require_receive() {
    static_assert(allows(P, QueuePermission::receive),
                  "gust: QueueSender cannot receive. Declare gust::receives(queue) on the handler and take a "
                  "gust::QueueReceiver<T> parameter, or consume the queue with app.consume(queue, ...).");
  }
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
