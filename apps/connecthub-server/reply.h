// The answer to one request: handlers call Send exactly once, from any thread, now or later (the
// delayed SMS replies). Sending records the request in the access log and the metrics. Move-only;
// one Reply is used by one thread at a time.
#pragma once

#include <pistache/http.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "connection.h"
#include "http_errors.h"

namespace connecthub::server {

struct RequestInfo {
  std::string method;
  std::string path;
  std::string client;  // address of the client (X-Forwarded-For's last entry behind a proxy)
  std::chrono::steady_clock::time_point start;
  int route = -1;  // index in the route table; -1 for none
};

// Told about every reply that is sent (access log, metrics). Thread-safe.
class ReplyObserver {
 public:
  virtual ~ReplyObserver() = default;
  virtual void OnReply(const RequestInfo& info, int status) = 0;
};

class Reply {
 public:
  Reply(std::shared_ptr<Connection> connection, uint64_t seq, Pistache::Http::ResponseWriter writer,
        Persistence persistence, RequestInfo info, std::shared_ptr<ReplyObserver> observer);
  Reply(Reply&& other) noexcept;
  Reply& operator=(Reply&&) = delete;
  ~Reply();

  // Sends once; later calls do nothing.
  void Send(HttpReply reply);
  bool sent() const { return !active_; }

  RequestInfo& info() { return info_; }
  const RequestInfo& info() const { return info_; }

 private:
  std::shared_ptr<Connection> connection_;
  uint64_t seq_;
  Pistache::Http::ResponseWriter writer_;
  Persistence persistence_;
  RequestInfo info_;
  std::shared_ptr<ReplyObserver> observer_;
  bool active_ = true;
};

}  // namespace connecthub::server
