// SMS delivery, a seam: the server passes a sender that runs the operator's command (or none, when
// codes are only echoed), tests pass a fake that records what was sent. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "connecthub/error.h"
#include "connecthub/model.h"

namespace connecthub {

struct SmsMessage {
  std::string phone;
  std::string code;
  Purpose purpose = Purpose::kRegister;
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // kServiceUnavailable if the message could not be handed over.
  virtual Status Send(const SmsMessage& message) = 0;
};

// Runs `argv` (no shell) with CONNECTHUB_PHONE, CONNECTHUB_CODE and CONNECTHUB_PURPOSE added to its
// environment; success is exit status 0 within `timeout` (the process is killed past it).
class CommandSmsSender final : public SmsSender {
 public:
  CommandSmsSender(std::vector<std::string> argv, std::chrono::milliseconds timeout);
  Status Send(const SmsMessage& message) override;

 private:
  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
};

}  // namespace connecthub
