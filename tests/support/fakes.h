// Test doubles for the core's seams: a clock that moves only when told, a random source that can
// be scripted, and an SMS sender that records what it was asked to send.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

#include "connecthub/clock.h"
#include "connecthub/random.h"
#include "connecthub/sms.h"

namespace connecthub::testing {

class FakeClock final : public Clock {
 public:
  FakeClock() : now_(std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}) {}
  TimePoint Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(std::chrono::milliseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  TimePoint now_;
};

// Hands out scripted bytes first, then real randomness.
class ScriptedRandom final : public Random {
 public:
  void Push(std::vector<uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    for (uint8_t b : bytes) script_.push_back(b);
  }
  void Fill(uint8_t* out, size_t size) override {
    std::lock_guard lock(mutex_);
    size_t i = 0;
    for (; i < size && !script_.empty(); ++i) {
      out[i] = script_.front();
      script_.pop_front();
    }
    if (i < size) real_.Fill(out + i, size - i);
  }

 private:
  std::mutex mutex_;
  std::deque<uint8_t> script_;
  CryptoRandom real_;
};

class RecordingSmsSender final : public SmsSender {
 public:
  Status Send(const SmsMessage& message) override {
    std::lock_guard lock(mutex_);
    if (fail_) return MakeError(ErrorCode::kServiceUnavailable, "SMS delivery failed");
    sent_.push_back(message);
    return OkStatus();
  }
  std::optional<SmsMessage> Last() {
    std::lock_guard lock(mutex_);
    if (sent_.empty()) return std::nullopt;
    return sent_.back();
  }
  size_t Count() {
    std::lock_guard lock(mutex_);
    return sent_.size();
  }
  void SetFailing(bool fail) {
    std::lock_guard lock(mutex_);
    fail_ = fail;
  }

 private:
  std::mutex mutex_;
  std::vector<SmsMessage> sent_;
  bool fail_ = false;
};

}  // namespace connecthub::testing
