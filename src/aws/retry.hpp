#pragma once
// The AWS SDKs' "standard" retry mode: up to 3 attempts; throttling, 5xx,
// timeouts and connection failures are retried after a full-jitter
// exponential backoff (random in [0, base * 2^n], base 100 ms, 500 ms for
// throttling, at most 20 s); a process-wide retry quota of 500 tokens pays
// 5 per retry (10 after a timeout) and earns 1 per first-try success, so a
// service that is down is not hammered by every caller's retries.

#include "aws/environment.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace gust::aws {

struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds base_delay{100};
  std::chrono::milliseconds throttling_base_delay{500};
  std::chrono::milliseconds max_backoff{20000};

  // AWS_MAX_ATTEMPTS (>= 1) and AWS_RETRY_MODE (standard; legacy and adaptive are read as standard).
  static RetryPolicy from_environment(const Environment& env);
};

class RetryQuota {
 public:
  static constexpr int kInitialTokens = 500;
  static constexpr int kRetryCost = 5;
  static constexpr int kTimeoutRetryCost = 10;
  static constexpr int kNoRetryIncrement = 1;

  explicit RetryQuota(int tokens = kInitialTokens) : capacity_(tokens), available_(tokens) {}

  // Takes the cost of one retry; 0 when the quota cannot pay (then do not retry).
  int acquire(bool timeout);
  // After a success: gives back `last_cost` (the retry that succeeded) or earns kNoRetryIncrement.
  void release(int last_cost);
  int available() const;

 private:
  mutable std::mutex mu_;
  int capacity_;
  int available_;
};

// Full jitter: uniform in [0, min(max_backoff, base * 2^retry)], retry = 0 for the first retry.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, bool throttling);

}  // namespace gust::aws
