#pragma once
// Topic capability: TopicPublisher<T> (gust::publishes(topic)).
//
//   alerts.publish(Alert{"disk full"}).value();

#include <gust/detail/services.hpp>
#include <gust/record.hpp>
#include <gust/resources.hpp>

namespace gust {

struct PublishOptions {
  std::string subject;           // e-mail subscriptions' subject line
  std::string group_id;          // FIFO topics only
  std::string deduplication_id;  // FIFO topics only
  std::map<std::string, std::string> attributes;  // string message attributes (subscription filters)
};

template <class T>
class TopicPublisher {
 public:
  explicit TopicPublisher(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // Publishes one message (JSON of T) with optional string attributes; returns the message id.
  Result<std::string> publish(const T& message, const std::map<std::string, std::string>& attributes = {}) const {
    return detail::topic_service().publish(*binding_, to_json(message), {{}, {}, {}, attributes});
  }
  Result<std::string> publish(const T& message, const PublishOptions& options) const {
    return detail::topic_service().publish(
        *binding_, to_json(message), {options.subject, options.group_id, options.deduplication_id, options.attributes});
  }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  const detail::ResourceBinding* binding_;
};

}  // namespace gust
