#include "server.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "api.h"
#include "connecthub/keys.h"
#include "connection.h"
#include "http_handler.h"

namespace connecthub::server {
namespace {

constexpr int kListenBacklog = 4096;

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db": no password in the log.
std::string WithoutPassword(const std::string& location) {
  size_t scheme = location.find("://");
  if (scheme == std::string::npos) return location;
  size_t at = location.find('@', scheme + 3);
  size_t colon = location.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return location;
  return location.substr(0, colon + 1) + "***" + location.substr(at);
}

// Logs why a delivery failed: the client only hears that the SMS could not be sent.
class LoggedSmsSender final : public SmsSender {
 public:
  explicit LoggedSmsSender(std::unique_ptr<SmsSender> inner) : inner_(std::move(inner)) {}
  Status Send(const SmsMessage& message) override {
    Status sent = inner_->Send(message);
    if (!sent.ok()) {
      spdlog::error("SMS delivery of a {} code failed: {}", PurposeName(message.purpose),
                    sent.error().message);
    }
    return sent;
  }

 private:
  std::unique_ptr<SmsSender> inner_;
};

}  // namespace

Server::Server(ServerOptions options, ServerDeps deps)
    : options_(std::move(options)), deps_(deps) {}

Result<std::unique_ptr<Server>> Server::Create(ServerOptions options, ServerDeps deps) {
  std::unique_ptr<Server> server(new Server(std::move(options), deps));
  Server& s = *server;
  auto storage = OpenStorage(s.options_.db);
  if (!storage.ok()) return storage.error();
  s.storage_ = std::move(*storage);
  if (!s.deps_.clock) {
    s.own_clock_ = std::make_unique<SystemClock>();
    s.deps_.clock = s.own_clock_.get();
  }
  if (!s.deps_.random) {
    s.own_random_ = std::make_unique<CryptoRandom>();
    s.deps_.random = s.own_random_.get();
  }
  if (!s.deps_.sms_sender && s.options_.sms_command) {
    // The command is the operator's; user input reaches it only through the environment.
    s.own_sender_ = std::make_unique<LoggedSmsSender>(std::make_unique<CommandSmsSender>(
        std::vector<std::string>{"/bin/sh", "-c", *s.options_.sms_command},
        s.options_.sms_command_timeout));
    s.deps_.sms_sender = s.own_sender_.get();
  }
  auto key = LoadSecretKey(*s.storage_, *s.deps_.random, s.options_.secret_key);
  if (!key.ok()) return key.error();
  s.auth_ = std::make_unique<AuthService>(*s.storage_, *s.deps_.clock, *s.deps_.random,
                                          std::move(*key), s.options_.auth, s.deps_.sms_sender);
  s.invites_ = std::make_unique<InviteService>(*s.storage_, *s.deps_.clock);
  s.api_ = std::make_shared<Api>(s.options_, *s.storage_, *s.auth_, *s.invites_, *s.deps_.clock);
  return server;
}

Server::~Server() {
  Shutdown();
  endpoint_.reset();  // before the Api and the storage its handlers use
}

void Server::Start() {
  using namespace Pistache;
  HttpLimits limits;
  limits.max_body = options_.max_body;
  auto flags = Flags<Tcp::Options>(Tcp::Options::ReuseAddr);
  endpoint_ = std::make_unique<Http::Endpoint>(Address(options_.host, Port(options_.port)));
  endpoint_->init(Http::Endpoint::options()
                      .threads(options_.threads)
                      .flags(flags)
                      .maxRequestSize(ConnectionHandler::MaxRequestSize(limits))
                      .headerTimeout(std::chrono::seconds(20))
                      .bodyTimeout(std::chrono::seconds(60)));
  // Endpoint::init drops the backlog option (listen would get 128): set it on the listener.
  endpoint_->initArgs(static_cast<size_t>(options_.threads), flags, "connecthub", kListenBacklog);
  endpoint_->setHandler(std::make_shared<ConnectionHandler>(api_, limits));
  endpoint_->serveThreaded();
  started_ = true;
  LogStart();
}

uint16_t Server::port() const {
  return endpoint_ ? static_cast<uint16_t>(endpoint_->getPort()) : 0;
}

void Server::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  // Pistache drops (never settles) the writes of peers that went away, so the count of unfinished
  // writes may never reach 0: wait only for the ones the flush of the delayed replies adds.
  int64_t before = UnfinishedWrites();
  if (api_) api_->Stop();
  if (!started_) return;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (UnfinishedWrites() > before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Requests a worker is handling right now answer within microseconds; let them reach the wire.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  endpoint_->shutdown();
  spdlog::info("connecthub-server stopped");
}

void Server::LogStart() const {
  const auto& o = options_;
  std::string delay = o.sms_delay.none() ? "none"
                      : o.sms_delay.min == o.sms_delay.max
                          ? FormatDuration(o.sms_delay.min)
                          : FormatDuration(o.sms_delay.min) + "-" + FormatDuration(o.sms_delay.max);
  std::string phones;
  for (const auto& [phone, code] : o.auth.test_phones)
    phones += (phones.empty() ? "" : ",") + phone;
  spdlog::info(
      "connecthub-server {} listening on http://{}:{} with {} threads; database {} ({}); "
      "code echo {}; sms delay {}; sms command {}; code ttl {}s, resend interval {}s, {} attempts "
      "per code, {} codes per phone per hour, {} failures per phone per day, {} code requests per "
      "address per minute{}; token ttl {}s; max body {} bytes; test phones: {}",
      CONNECTHUB_VERSION, o.host, port(), o.threads, WithoutPassword(o.db), storage_->BackendName(),
      o.echo_code ? "on" : "off", delay, o.sms_command ? "set" : "none", o.auth.code_ttl.count(),
      o.auth.resend_interval.count(), o.auth.max_code_attempts, o.auth.max_codes_per_hour,
      o.auth.max_daily_failures, o.ip_rate_limit,
      o.trust_proxy ? " (client address from X-Forwarded-For)" : "", o.auth.token_ttl.count(),
      o.max_body, phones.empty() ? "none" : phones);
  if (o.echo_code) {
    spdlog::warn(
        "code echo is on: this is a simulation, anyone can read any phone's code in the response; "
        "use --echo-code false with --sms-command for real delivery");
  }
}

}  // namespace connecthub::server
