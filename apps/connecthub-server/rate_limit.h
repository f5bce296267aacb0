// --ip-rate-limit: at most N code requests per client address in any 60 seconds, counted in this
// process only (CONTRACT.md allows that for this one limit). Thread-safe; memory is bounded by the
// addresses seen in the last minute.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "connecthub/clock.h"

namespace connecthub::server {

class IpRateLimiter {
 public:
  // `per_minute` 0 disables the limit.
  IpRateLimiter(int per_minute, const Clock& clock);

  // Counts one request from `address`: 0 if allowed, else how long until one is allowed again.
  std::chrono::seconds Acquire(const std::string& address);

 private:
  void Sweep(TimePoint now);

  int per_minute_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<TimePoint>> recent_;
  uint64_t calls_ = 0;
};

}  // namespace connecthub::server
