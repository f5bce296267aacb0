#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "api.h"
#include "api_bodies.h"
#include "request_body.h"
#include "routes.h"

namespace connecthub::server {
namespace {

using json = nlohmann::ordered_json;
using Pistache::Http::Request;

std::vector<Metrics::RouteLabel> RouteLabels() {
  std::vector<Metrics::RouteLabel> labels;
  for (const Route& route : Routes()) {
    labels.push_back({Pistache::Http::methodString(route.method), std::string(route.path)});
  }
  return labels;
}

// The phone and, at step 2, the code of a register or login body.
struct CodeStep {
  std::string phone;
  std::optional<std::string> sms_code;
};

Result<CodeStep> ReadCodeStep(const Request& request) {
  auto body = ParseJsonObject(request.body());
  if (!body.ok()) return body.error();
  auto phone = RequiredStringField(*body, "phone");
  if (!phone.ok()) return phone.error();
  auto code = OptionalStringField(*body, {"sms_code"}, /*allow_integer=*/true);
  if (!code.ok()) return code.error();
  return CodeStep{std::move(*phone), std::move(*code)};
}

}  // namespace

Api::Api(const ServerOptions& options, Storage& storage, AuthService& auth, InviteService& invites,
         const Clock& clock)
    : options_(options),
      storage_(storage),
      auth_(auth),
      invites_(invites),
      rate_limiter_(options.ip_rate_limit, clock),
      metrics_(RouteLabels()),
      database_work_(storage.UsefulConcurrency()) {}

void Api::Stop() {
  database_work_.Stop();
  delayed_.Stop();
}

template <class F>
void Api::OnDatabaseThread(Reply& reply, F work) {
  database_work_.Post([work = std::move(work), reply = std::move(reply)]() mutable {
    try {
      work(reply);
    } catch (const std::exception& e) {
      InternalError(reply, e.what());
    } catch (...) {
      InternalError(reply, "unknown exception");
    }
  });
}

std::string Api::ClientAddress(const Request& request) const {
  if (options_.trust_proxy) {
    if (auto forwarded = request.headers().tryGetRaw("X-Forwarded-For")) {
      // The proxy appends the address it saw; entries before it are the client's own claims, so
      // only the last one can be trusted (taking the first would let a client dodge the limit).
      const std::string& value = forwarded->value();
      const size_t comma = value.rfind(',');
      std::string last = comma == std::string::npos ? value : value.substr(comma + 1);
      last.erase(0, last.find_first_not_of(" \t"));
      last.erase(last.find_last_not_of(" \t") + 1);
      if (!last.empty()) return last;
    }
  }
  return request.address().host();
}

void Api::OnReply(const RequestInfo& info, int status) {
  auto took = std::chrono::steady_clock::now() - info.start;
  metrics_.ObserveRequest(info.route, status, took);
  // No query string, body or header: they may carry codes or tokens.
  spdlog::info("{} {} {} {:.1f}ms {}", info.method, info.path, status,
               std::chrono::duration<double, std::milli>(took).count(), info.client);
}

void Api::Register(const Request& request, Reply& reply) {
  auto step = ReadCodeStep(request);
  if (!step.ok()) return reply.Send(ErrorReply(step.error()));
  if (!step->sms_code) return SendCode(step->phone, Purpose::kRegister, reply);
  OnDatabaseThread(reply, [this, step = std::move(*step)](Reply& reply) {
    auto session = auth_.Register(step.phone, *step.sms_code);
    if (!session.ok()) return reply.Send(ErrorReply(session.error()));
    metrics_.Registration();
    reply.Send(JsonReply(201, RegisteredBody(*session)));
  });
}

void Api::Login(const Request& request, Reply& reply) {
  auto step = ReadCodeStep(request);
  if (!step.ok()) return reply.Send(ErrorReply(step.error()));
  if (!step->sms_code) return SendCode(step->phone, Purpose::kLogin, reply);
  OnDatabaseThread(reply, [this, step = std::move(*step)](Reply& reply) {
    auto session = auth_.Login(step.phone, *step.sms_code);
    if (!session.ok()) return reply.Send(ErrorReply(session.error()));
    metrics_.Login();
    reply.Send(JsonReply(200, SessionBody(*session)));
  });
}

void Api::SendCode(const std::string& phone, Purpose purpose, Reply& reply) {
  auto wait = rate_limiter_.Acquire(reply.info().client);
  if (wait.count() > 0) {
    return reply.Send(
        ErrorReply(MakeError(ErrorCode::kTooManyRequests,
                             "Too many code requests from your address; try again later.", wait)));
  }
  OnDatabaseThread(reply, [this, phone, purpose](Reply& reply) {
    auto sent = auth_.RequestCode(phone, purpose);
    if (!sent.ok()) return reply.Send(ErrorReply(sent.error()));
    metrics_.CodeSent();
    json body = {{"phone", sent->phone}};
    if (options_.echo_code) body["sms_code"] = sent->code;
    body["expires_in"] = sent->expires_in.count();
    HttpReply response = JsonReply(200, body);
    if (options_.sms_delay.none() || sent->test_phone) return reply.Send(std::move(response));
    // The simulated SMS arrives its delay after the request came in, not after the code was
    // made: a busy database then eats into the delay instead of adding to it.
    const auto due = reply.info().start + RandomDelay();
    delayed_.Schedule(due, std::move(reply), std::move(response));
  });
}

std::chrono::milliseconds Api::RandomDelay() {
  // Only the simulation's timing: no secret depends on it.
  thread_local std::mt19937 engine{std::random_device{}()};
  std::uniform_int_distribution<int64_t> pick(options_.sms_delay.min.count(),
                                              options_.sms_delay.max.count());
  return std::chrono::milliseconds(pick(engine));
}

Result<std::string> Api::Bearer(const Request& request) {
  std::optional<std::string> header;
  if (auto raw = request.headers().tryGetRaw("Authorization")) header = raw->value();
  return BearerToken(header);
}

void Api::GetProfile(const Request& request, Reply& reply) {
  auto token = Bearer(request);
  if (!token.ok()) return reply.Send(ErrorReply(token.error()));
  auto answer = [this, token = std::move(*token)](Reply& reply) {
    auto profile = invites_.GetProfileForToken(auth_, token);
    if (!profile.ok()) return reply.Send(ErrorReply(profile.error()));
    reply.Send(JsonReply(200, ProfileBody(*profile)));
  };
  if (storage_.ReadsWait()) return OnDatabaseThread(reply, std::move(answer));
  answer(reply);
}

void Api::PatchProfile(const Request& request, Reply& reply) {
  auto token = Bearer(request);
  if (!token.ok()) return reply.Send(ErrorReply(token.error()));
  // The user and the code, checked in this order: a bad token is 401 before a bad body is 400.
  auto check = [this, token = std::move(*token),
                body = request.body()]() -> Result<std::pair<int64_t, std::string>> {
    auto user_id = auth_.Authenticate(token);
    if (!user_id.ok()) return user_id.error();
    auto fields = ParseJsonObject(body);
    if (!fields.ok()) return fields.error();
    auto code = OptionalStringField(*fields, {"invitation_code", "someone_invitation_code"});
    if (!code.ok()) return code.error();
    if (!code->has_value()) {
      return MakeError(ErrorCode::kInvalidRequest, "The field \"invitation_code\" is required.");
    }
    return std::pair{*user_id, std::move(**code)};
  };
  auto activate = [this](Reply& reply, const std::pair<int64_t, std::string>& what) {
    auto profile = invites_.Activate(what.first, what.second);
    if (!profile.ok()) return reply.Send(ErrorReply(profile.error()));
    metrics_.InvitationActivated();
    reply.Send(JsonReply(200, ProfileBody(*profile)));
  };
  // The token's revocation check is a read: on PostgreSQL it waits for the network, so all of
  // it goes to a database thread; on SQLite it is cheapest here (on a database thread each
  // concurrent read would open a connection with a page cache of its own: 83 MB peak in (e)).
  if (storage_.ReadsWait()) {
    return OnDatabaseThread(reply, [check = std::move(check), activate](Reply& reply) {
      auto what = check();
      if (!what.ok()) return reply.Send(ErrorReply(what.error()));
      activate(reply, *what);
    });
  }
  auto what = check();
  if (!what.ok()) return reply.Send(ErrorReply(what.error()));
  OnDatabaseThread(reply,
                   [activate, what = std::move(*what)](Reply& reply) { activate(reply, what); });
}

void Api::Health(const Request&, Reply& reply) {
  if (!storage_.Healthy()) {
    return reply.Send(ErrorReply(MakeError(
        ErrorCode::kServiceUnavailable, "The database does not answer.", std::chrono::seconds{5})));
  }
  reply.Send(JsonReply(200, {{"status", "ok"}}));
}

void Api::ShowMetrics(const Request&, Reply& reply) {
  HttpReply response;
  response.body = metrics_.Render();
  response.content_type = "text/plain; version=0.0.4";
  reply.Send(std::move(response));
}

}  // namespace connecthub::server
