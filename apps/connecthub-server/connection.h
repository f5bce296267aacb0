// One TCP connection as the HTTP layer sees it: the bytes not yet framed into requests (touched by
// the connection's worker thread only) and the responses that wait for an earlier one, so that
// pipelined requests are answered in request order even when an earlier answer is delayed.
// Deliver and MarkGone are thread-safe.
#pragma once

#include <pistache/http.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "http_errors.h"

namespace connecthub::server {

// What happens to the connection after a response.
enum class Persistence {
  kKeepAlive,      // HTTP/1.1 default: stay open, no Connection header
  kKeepAliveEcho,  // HTTP/1.0 with Connection: keep-alive: stay open and say so
  kClose,          // answer with Connection: close, then close
};

// Replies handed to Pistache whose write has not finished yet, in this process (shutdown waits).
int64_t UnfinishedWrites();

class Connection {
 public:
  // Framing state, worker thread only.
  std::string input;
  bool awaiting_body = false;
  size_t body_needed = 0;
  bool chunked = false;
  bool closing = false;  // a request asked to close, or framing failed: later input is ignored
  uint64_t next_seq = 0;

  // Writes `reply` for request number `seq` once every earlier request's reply is written.
  void Deliver(uint64_t seq, Pistache::Http::ResponseWriter writer, HttpReply reply,
               Persistence persistence);
  // The peer is gone: held and future replies are dropped.
  void MarkGone();
  // Requests dispatched whose replies are not written yet.
  uint64_t Outstanding() const { return next_seq - written_.load(std::memory_order_acquire); }

 private:
  struct Held {
    Pistache::Http::ResponseWriter writer;
    HttpReply reply;
    Persistence persistence;
  };
  void Write(Held& held);

  std::mutex mutex_;
  uint64_t next_to_write_ = 0;
  std::atomic<uint64_t> written_{0};
  std::map<uint64_t, Held> held_;
  bool gone_ = false;
};

}  // namespace connecthub::server
