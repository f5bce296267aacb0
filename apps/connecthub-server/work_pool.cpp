#include "work_pool.h"

namespace connecthub::server {

WorkPool::WorkPool(size_t threads) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkPool::~WorkPool() { Stop(); }

void WorkPool::Enqueue(std::function<void()> work) {
  std::unique_lock lock(mutex_);
  if (stopping_) {
    lock.unlock();
    work();
    return;
  }
  queue_.push_back(std::move(work));
  lock.unlock();
  ready_.notify_one();  // outside the lock: the woken thread need not wait for it
}

void WorkPool::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkPool::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left
    auto work = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    work();
    lock.lock();
  }
}

}  // namespace connecthub::server
