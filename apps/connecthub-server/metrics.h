// Prometheus counters of the server: requests by route, method and status, a latency histogram
// per route, and the domain events (codes sent, registrations, logins, invitations activated).
// Lock-free on the hot path (relaxed atomics); Render may run concurrently with updates.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace connecthub::server {

class Metrics {
 public:
  struct RouteLabel {
    std::string method;
    std::string path;
  };
  // One series per route; a request that matched no route is counted as route "none".
  explicit Metrics(std::vector<RouteLabel> routes);

  void ObserveRequest(int route, int status, std::chrono::steady_clock::duration latency);
  void CodeSent() { codes_sent_.fetch_add(1, std::memory_order_relaxed); }
  void Registration() { registrations_.fetch_add(1, std::memory_order_relaxed); }
  void Login() { logins_.fetch_add(1, std::memory_order_relaxed); }
  void InvitationActivated() { invitations_.fetch_add(1, std::memory_order_relaxed); }

  // The Prometheus text exposition format, version 0.0.4.
  std::string Render() const;

 private:
  static constexpr std::array<int, 13> kStatuses = {200, 201, 400, 401, 404, 405, 408,
                                                    409, 413, 429, 500, 503, 0 /*other*/};
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,   1,    2.5,   5,    10};
  struct Series {
    std::array<std::atomic<uint64_t>, kStatuses.size()> by_status{};
    std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets{};  // last: +Inf
    std::atomic<uint64_t> sum_micros{0};
  };

  std::vector<RouteLabel> labels_;
  std::unique_ptr<Series[]> series_;
  std::atomic<uint64_t> codes_sent_{0};
  std::atomic<uint64_t> registrations_{0};
  std::atomic<uint64_t> logins_{0};
  std::atomic<uint64_t> invitations_{0};
};

}  // namespace connecthub::server
