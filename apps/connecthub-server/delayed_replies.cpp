#include "delayed_replies.h"

namespace connecthub::server {

DelayedReplies::DelayedReplies() : thread_([this] { Run(); }) {}

DelayedReplies::~DelayedReplies() { Stop(); }

void DelayedReplies::Schedule(TimePoint due, Reply reply, HttpReply response) {
  auto item = std::make_shared<std::pair<Reply, HttpReply>>(std::move(reply), std::move(response));
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      bool earliest = queue_.empty() || due < queue_.top().due;
      queue_.push(Entry{due, next_order_++, std::move(item)});
      if (earliest) wake_.notify_one();
      return;
    }
  }
  item->first.Send(std::move(item->second));
}

void DelayedReplies::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

size_t DelayedReplies::Pending() {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void DelayedReplies::Run() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (queue_.empty()) {
      if (stopping_) return;
      wake_.wait(lock);
      continue;
    }
    if (!stopping_ && std::chrono::steady_clock::now() < queue_.top().due) {
      // A copy: wait_until reads the deadline after waking, and Schedule may have moved the
      // queue's storage meanwhile (a reference into it was a heap-use-after-free under ASan).
      const auto due = queue_.top().due;
      wake_.wait_until(lock, due);
      continue;
    }
    // Due (or stopping): send everything that is due without holding the lock.
    std::vector<Entry> due;
    auto now = std::chrono::steady_clock::now();
    while (!queue_.empty() && (stopping_ || queue_.top().due <= now)) {
      due.push_back(queue_.top());
      queue_.pop();
    }
    lock.unlock();
    for (Entry& entry : due) {
      try {
        entry.item->first.Send(std::move(entry.item->second));
      } catch (...) {
        // A peer that went away; nothing to do.
      }
    }
    due.clear();
    lock.lock();
  }
}

}  // namespace connecthub::server
