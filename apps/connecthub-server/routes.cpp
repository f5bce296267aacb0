#include "routes.h"

#include <spdlog/spdlog.h>

namespace connecthub::server {
namespace {

using Pistache::Http::Method;

std::string_view WithoutTrailingSlash(std::string_view path) {
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {Method::Post, "/api/register/", &Api::Register},
      {Method::Post, "/api/clients/register/", &Api::Register},
      {Method::Post, "/api/login/", &Api::Login},
      {Method::Post, "/api/clients/login/", &Api::Login},
      {Method::Get, "/api/clients/profile/", &Api::GetProfile},
      {Method::Patch, "/api/clients/profile/", &Api::PatchProfile},
      {Method::Get, "/healthz", &Api::Health},
      {Method::Get, "/metrics", &Api::ShowMetrics},
  };
  return kRoutes;
}

RouteMatch FindRoute(Method method, std::string_view path) {
  RouteMatch match;
  path = WithoutTrailingSlash(path);
  const auto& routes = Routes();
  for (size_t i = 0; i < routes.size(); ++i) {
    if (WithoutTrailingSlash(routes[i].path) != path) continue;
    if (routes[i].method == method) {
      match.index = static_cast<int>(i);
      return match;
    }
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += Pistache::Http::methodString(routes[i].method);
  }
  return match;
}

void Api::Handle(const Pistache::Http::Request& request, Reply reply) {
  try {
    RouteMatch match = FindRoute(request.method(), request.resource());
    if (match.index < 0 && match.allow.empty()) {
      return reply.Send(ErrorReply(
          MakeError(ErrorCode::kNotFound, "There is no such path: " + request.resource())));
    }
    if (match.index < 0) {
      return reply.Send(
          ErrorReply(MakeError(ErrorCode::kMethodNotAllowed,
                               "This path takes " + match.allow + ", not " +
                                   Pistache::Http::methodString(request.method()) + "."),
                     match.allow));
    }
    reply.info().route = match.index;
    (this->*Routes()[static_cast<size_t>(match.index)].handler)(request, reply);
  } catch (const std::exception& e) {
    InternalError(reply, e.what());
  }
}

void Api::InternalError(Reply& reply, const char* what) {
  spdlog::error("internal error on {} {}: {}", reply.info().method, reply.info().path, what);
  reply.Send(ErrorReply(MakeError(ErrorCode::kInternalError, "Something went wrong on our side.")));
}

}  // namespace connecthub::server
