// The one list of every route of connecthub-server: method, path (as CONTRACT.md writes it; each
// also answers without/with its trailing slash) and handler. Immutable; thread-safe.
#pragma once

#include <pistache/http_defs.h>

#include <string>
#include <string_view>
#include <vector>

#include "api.h"

namespace connecthub::server {

struct Route {
  Pistache::Http::Method method;
  std::string_view path;
  void (Api::*handler)(const Pistache::Http::Request&, Reply&);
};

const std::vector<Route>& Routes();

struct RouteMatch {
  int index = -1;     // the route for this method and path, or -1
  std::string allow;  // when only the method is wrong: the methods the path takes
};
RouteMatch FindRoute(Pistache::Http::Method method, std::string_view path);

}  // namespace connecthub::server
