// The HTTP/1.1 connection layer over Pistache: frames requests out of the byte stream one at a
// time (so pipelined requests are all answered, in order), honours keep-alive and Connection:
// close for HTTP/1.1 and 1.0, answers malformed framing and oversized requests with the contract's
// JSON errors, and hands each complete request to the Application. PISTACHE.md explains why each
// of these needs doing here. Pistache clones one handler per worker thread; clones share the
// Application.
#pragma once

#include <pistache/http.h>

#include <cstddef>
#include <memory>
#include <string>

#include "reply.h"

namespace connecthub::server {

// What the connection layer hands complete requests to. Thread-safe.
class Application : public ReplyObserver {
 public:
  // Must end in reply.Send, now or later; must not throw.
  virtual void Handle(const Pistache::Http::Request& request, Reply reply) = 0;
  virtual std::string ClientAddress(const Pistache::Http::Request& request) const = 0;
};

struct HttpLimits {
  size_t max_body = 64 * 1024;
  size_t max_header = 16 * 1024;  // request line and headers
  uint64_t max_pipelined = 256;   // unanswered requests on one connection
};

class ConnectionHandler final : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(ConnectionHandler)

  ConnectionHandler(std::shared_ptr<Application> app, HttpLimits limits);

  // The size Pistache's parser must accept for one request of our limits.
  static size_t MaxRequestSize(const HttpLimits& limits);

  // Unused: onInput dispatches requests itself.
  void onRequest(const Pistache::Http::Request&, Pistache::Http::ResponseWriter) override {}

 private:
  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void onInput(const char* buffer, size_t len,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;

  void Process(const std::shared_ptr<Connection>& conn,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer);
  void Dispatch(const std::shared_ptr<Connection>& conn,
                const std::shared_ptr<Pistache::Tcp::Peer>& peer, bool force_close);
  void Fail(const std::shared_ptr<Connection>& conn,
            const std::shared_ptr<Pistache::Tcp::Peer>& peer, const Error& error);

  std::shared_ptr<Application> app_;
  HttpLimits limits_;
};

}  // namespace connecthub::server
