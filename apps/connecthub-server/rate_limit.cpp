#include "rate_limit.h"

namespace connecthub::server {
namespace {
constexpr std::chrono::seconds kWindow{60};
}

IpRateLimiter::IpRateLimiter(int per_minute, const Clock& clock)
    : per_minute_(per_minute), clock_(clock) {}

std::chrono::seconds IpRateLimiter::Acquire(const std::string& address) {
  if (per_minute_ <= 0) return std::chrono::seconds{0};
  TimePoint now = clock_.Now();
  std::lock_guard lock(mutex_);
  if (++calls_ % 4096 == 0) Sweep(now);
  auto& times = recent_[address];
  while (!times.empty() && times.front() <= now - kWindow) times.pop_front();
  if (times.size() >= static_cast<size_t>(per_minute_)) {
    auto wait = std::chrono::ceil<std::chrono::seconds>(times.front() + kWindow - now);
    return std::max(wait, std::chrono::seconds{1});
  }
  times.push_back(now);
  return std::chrono::seconds{0};
}

void IpRateLimiter::Sweep(TimePoint now) {
  for (auto it = recent_.begin(); it != recent_.end();) {
    if (it->second.empty() || it->second.back() <= now - kWindow) {
      it = recent_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace connecthub::server
