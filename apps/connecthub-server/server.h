// connecthub-server as an object: opens the database, builds the core services and serves the
// HTTP API on a Pistache endpoint until Shutdown. main.cpp runs one; the HTTP tests run one
// in-process on port 0 with a fake clock and SMS sender. Start/Shutdown from one thread.
#pragma once

#include <pistache/endpoint.h>

#include <cstdint>
#include <memory>
#include <string>

#include "connecthub/auth.h"
#include "connecthub/clock.h"
#include "connecthub/error.h"
#include "connecthub/invites.h"
#include "connecthub/random.h"
#include "connecthub/sms.h"
#include "connecthub/storage.h"
#include "options.h"

namespace connecthub::server {

class Api;

// Seams for tests; null members get the real thing (system clock, CSPRNG, --sms-command or none).
struct ServerDeps {
  Clock* clock = nullptr;
  Random* random = nullptr;
  SmsSender* sms_sender = nullptr;
};

class Server {
 public:
  // Opens and migrates the database and loads the key. kInvalidRequest for a bad configuration
  // (e.g. a short --secret-key), other codes when the database cannot be used.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, ServerDeps deps = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on worker threads; throws std::runtime_error if it cannot listen.
  void Start();
  // The bound port (useful with --port 0).
  uint16_t port() const;
  // Stops accepting, answers the delayed replies and the requests in flight, stops the workers.
  // Idempotent.
  void Shutdown();

  const ServerOptions& options() const { return options_; }
  Storage& storage() { return *storage_; }

 private:
  Server(ServerOptions options, ServerDeps deps);
  void LogStart() const;

  ServerOptions options_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Clock> own_clock_;
  std::unique_ptr<Random> own_random_;
  std::unique_ptr<SmsSender> own_sender_;
  ServerDeps deps_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<InviteService> invites_;
  std::shared_ptr<Api> api_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace connecthub::server
