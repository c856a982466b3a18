#include "aws/retry.hpp"

#include <algorithm>
#include <cstdlib>

namespace gust::aws {

RetryPolicy RetryPolicy::from_environment(const Environment& env) {
  RetryPolicy p;
  if (auto v = env.get("AWS_MAX_ATTEMPTS")) {
    const int n = std::atoi(v->c_str());
    if (n >= 1) p.max_attempts = n;
  }
  return p;
}

int RetryQuota::acquire(bool timeout) {
  std::lock_guard lock(mu_);
  const int cost = timeout ? kTimeoutRetryCost : kRetryCost;
  if (cost > available_) return 0;
  available_ -= cost;
  return cost;
}

void RetryQuota::release(int last_cost) {
  std::lock_guard lock(mu_);
  available_ = std::min(capacity_, available_ + (last_cost > 0 ? last_cost : kNoRetryIncrement));
}

int RetryQuota::available() const {
  std::lock_guard lock(mu_);
  return available_;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, bool throttling) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const auto base = throttling ? policy.throttling_base_delay : policy.base_delay;
  const double ceiling = std::min<double>(static_cast<double>(policy.max_backoff.count()),
                                          static_cast<double>(base.count()) * static_cast<double>(1ULL << std::min(retry, 30)));
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(jitter(rng) * ceiling));
}

}  // namespace gust::aws
