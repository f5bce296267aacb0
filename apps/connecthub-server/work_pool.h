// Threads for the handlers' database work. A request waiting for its commit (an fsync, or a round
// trip to PostgreSQL) then holds up neither the Pistache worker nor the requests of other
// connections, and the storage can make many waiting writes durable with one commit. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

namespace connecthub::server {

class WorkPool {
 public:
  explicit WorkPool(size_t threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Runs `work` on a pool thread; on the caller's thread once the pool is stopped. `work` may be
  // move-only (a Reply); it must not throw.
  template <class F>
  void Post(F&& work) {
    auto shared = std::make_shared<std::decay_t<F>>(std::forward<F>(work));
    Enqueue([shared] { (*shared)(); });
  }
  // Runs what is queued, then ends the threads. Idempotent.
  void Stop();

 private:
  void Enqueue(std::function<void()> work);
  void Run();

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace connecthub::server
