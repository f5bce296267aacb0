// The Application of connecthub-server: the route table's handlers over the core services, plus
// the access log and the metrics of every reply. Handlers are thin: read the request, call one core
// function, map its Result (http_errors.h). Thread-safe.
#pragma once

#include <pistache/http.h>

#include <memory>
#include <random>
#include <string>

#include "connecthub/auth.h"
#include "connecthub/invites.h"
#include "connecthub/storage.h"
#include "delayed_replies.h"
#include "http_handler.h"
#include "metrics.h"
#include "options.h"
#include "rate_limit.h"
#include "work_pool.h"

namespace connecthub::server {

class Api final : public Application {
 public:
  Api(const ServerOptions& options, Storage& storage, AuthService& auth, InviteService& invites,
      const Clock& clock);

  void Handle(const Pistache::Http::Request& request, Reply reply) override;
  std::string ClientAddress(const Pistache::Http::Request& request) const override;
  void OnReply(const RequestInfo& info, int status) override;

  // Finishes the database work in flight, answers every delayed reply now and makes later work
  // and replies immediate (shutdown).
  void Stop();
  Metrics& metrics() { return metrics_; }

  // The handlers of the route table (routes.cpp).
  void Register(const Pistache::Http::Request& request, Reply& reply);
  void Login(const Pistache::Http::Request& request, Reply& reply);
  void GetProfile(const Pistache::Http::Request& request, Reply& reply);
  void PatchProfile(const Pistache::Http::Request& request, Reply& reply);
  void Health(const Pistache::Http::Request& request, Reply& reply);
  void ShowMetrics(const Pistache::Http::Request& request, Reply& reply);

 private:
  void SendCode(const std::string& phone, Purpose purpose, Reply& reply);
  // The bearer token of the Authorization header (kUnauthorized if there is none).
  static Result<std::string> Bearer(const Pistache::Http::Request& request);
  std::chrono::milliseconds RandomDelay();
  // Logs an exception that escaped a handler and answers 500.
  static void InternalError(Reply& reply, const char* what);
  // Runs `work(reply)` on the database threads (see WorkPool), answering 500 if it throws.
  template <class F>
  void OnDatabaseThread(Reply& reply, F work);

  const ServerOptions& options_;
  Storage& storage_;
  AuthService& auth_;
  InviteService& invites_;
  IpRateLimiter rate_limiter_;
  Metrics metrics_;
  DelayedReplies delayed_;
  WorkPool database_work_;  // after delayed_: its work schedules delayed replies
};

}  // namespace connecthub::server
