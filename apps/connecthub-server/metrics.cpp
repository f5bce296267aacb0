#include "metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace connecthub::server {

Metrics::Metrics(std::vector<RouteLabel> routes) : labels_(std::move(routes)) {
  labels_.push_back({"", "none"});
  series_ = std::make_unique<Series[]>(labels_.size());
}

void Metrics::ObserveRequest(int route, int status, std::chrono::steady_clock::duration latency) {
  size_t index = route >= 0 && static_cast<size_t>(route) + 1 < labels_.size()
                     ? static_cast<size_t>(route)
                     : labels_.size() - 1;
  Series& s = series_[index];
  auto it = std::find(kStatuses.begin(), kStatuses.end() - 1, status);
  s.by_status[it - kStatuses.begin()].fetch_add(1, std::memory_order_relaxed);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
  double seconds = static_cast<double>(micros) / 1e6;
  size_t bucket = std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) - kBuckets.begin();
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum_micros.fetch_add(static_cast<uint64_t>(std::max<int64_t>(0, micros)),
                         std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  fmt::memory_buffer out;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "# HELP connecthub_http_requests_total HTTP requests answered, by route and "
                 "status.\n# TYPE connecthub_http_requests_total counter\n");
  for (size_t r = 0; r < labels_.size(); ++r) {
    for (size_t i = 0; i < kStatuses.size(); ++i) {
      uint64_t n = series_[r].by_status[i].load(std::memory_order_relaxed);
      if (n == 0) continue;
      std::string status = kStatuses[i] == 0 ? "other" : std::to_string(kStatuses[i]);
      fmt::format_to(it,
                     "connecthub_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} "
                     "{}\n",
                     labels_[r].method, labels_[r].path, status, n);
    }
  }
  fmt::format_to(it,
                 "# HELP connecthub_http_request_duration_seconds Time from a complete request "
                 "to its answer (including the simulated SMS delay).\n"
                 "# TYPE connecthub_http_request_duration_seconds histogram\n");
  for (size_t r = 0; r < labels_.size(); ++r) {
    const Series& s = series_[r];
    uint64_t cumulative = 0;
    for (size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(std::memory_order_relaxed);
      std::string le = b < kBuckets.size() ? fmt::format("{}", kBuckets[b]) : "+Inf";
      fmt::format_to(it,
                     "connecthub_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\","
                     "le=\"{}\"}} {}\n",
                     labels_[r].method, labels_[r].path, le, cumulative);
    }
    fmt::format_to(
        it, "connecthub_http_request_duration_seconds_sum{{method=\"{}\",route=\"{}\"}} {}\n",
        labels_[r].method, labels_[r].path, static_cast<double>(s.sum_micros.load()) / 1e6);
    fmt::format_to(it,
                   "connecthub_http_request_duration_seconds_count{{method=\"{}\",route=\"{}\"}} "
                   "{}\n",
                   labels_[r].method, labels_[r].path, cumulative);
  }
  auto counter = [&](const char* name, const char* help, const std::atomic<uint64_t>& value) {
    fmt::format_to(it, "# HELP {} {}\n# TYPE {} counter\n{} {}\n", name, help, name, name,
                   value.load(std::memory_order_relaxed));
  };
  counter("connecthub_codes_sent_total", "SMS codes made and delivered (or echoed).", codes_sent_);
  counter("connecthub_registrations_total", "Users registered over HTTP.", registrations_);
  counter("connecthub_logins_total", "Successful logins over HTTP.", logins_);
  counter("connecthub_invitations_activated_total",
          "Successful invitation activations (PATCH /api/clients/profile/ answered 200).",
          invitations_);
  return fmt::to_string(out);
}

}  // namespace connecthub::server
