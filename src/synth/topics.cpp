// Topics, and each subscriber: a Lambda subscription, the permission for
// SNS to invoke it from that topic only, and its asynchronous retries.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

namespace gust::synth {

void add_topic(TemplateBuilder& b, const manifest::Resource& r) {
  const std::string id = topic_id(r.id);
  Value props;
  props["Tags"] = b.tag_list();
  b.add(id, "AWS::SNS::Topic", std::move(props));
  b.output(id + "Arn", cfn_ref(id), fmt::format("ARN of topic \"{}\"", r.id));
}

void add_subscriber(TemplateBuilder& b, const manifest::Function& fn) {
  const std::string topic = topic_id(fn.trigger.resource);
  Value s;
  s["Protocol"] = "lambda";
  s["Endpoint"] = get_att(function_id(fn.id), "Arn");
  s["TopicArn"] = cfn_ref(topic);
  b.add(subscription_id(fn.id), "AWS::SNS::Subscription", std::move(s));
  add_invoke_permission(b, topic_permission_id(fn.id), fn, "sns.amazonaws.com", cfn_ref(topic), false);
  add_async_config(b, fn);
}

}  // namespace gust::synth
