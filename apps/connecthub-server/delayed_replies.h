// The simulated SMS delay without a waiting worker: replies are parked here with the time they are
// due, and one timer thread sends each when its time comes. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "http_errors.h"
#include "reply.h"

namespace connecthub::server {

class DelayedReplies {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  DelayedReplies();
  ~DelayedReplies();
  DelayedReplies(const DelayedReplies&) = delete;
  DelayedReplies& operator=(const DelayedReplies&) = delete;

  // Sends `response` through `reply` at `due`; at once if the thread is stopped.
  void Schedule(TimePoint due, Reply reply, HttpReply response);
  // Sends every parked reply now and stops the thread. Idempotent.
  void Stop();
  size_t Pending();

 private:
  struct Entry {
    TimePoint due;
    uint64_t order;
    // The heap needs copyable-looking elements: the reply lives behind a pointer.
    std::shared_ptr<std::pair<Reply, HttpReply>> item;
    bool operator>(const Entry& other) const {
      return due != other.due ? due > other.due : order > other.order;
    }
  };
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  uint64_t next_order_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace connecthub::server
