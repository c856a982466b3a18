#pragma once
// Topic capability: TopicPublisher<T> (gust::publishes(topic)).
//
//   alerts.publish(Alert{"disk full"}).value();

#include <gust/detail/services.hpp>
#include <gust/record.hpp>
#include <gust/resources.hpp>

namespace gust {

template <class T>
class TopicPublisher {
 public:
  explicit TopicPublisher(const detail::ResourceBinding& binding) : binding_(&binding) {}

  // Publishes one message (JSON of T) with optional string attributes; returns the message id.
  Result<std::string> publish(const T& message, const std::map<std::string, std::string>& attributes = {}) const {
    return detail::topic_service().publish(*binding_, to_json(message), attributes);
  }

  const detail::ResourceBinding& binding() const { return *binding_; }

 private:
  const detail::ResourceBinding* binding_;
};

}  // namespace gust
