#pragma once
// Routing as API Gateway HTTP APIs do it: the most specific route wins —
// literal segments over {param} over {greedy+}, a named method over ANY —
// and $default catches the rest.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gust::devcloud {

struct Route {
  std::string method;    // "GET", ... or "ANY"; "$default" for the catch-all
  std::string path;      // "/todos/{id}"; "" for $default
  std::string function;  // the function id it invokes
  std::string route_key() const { return method == "$default" ? "$default" : method + " " + path; }
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;  // path parameters, as the client sent them (not URL-decoded)
};

class Router {
 public:
  explicit Router(std::vector<Route> routes);

  // The route for METHOD PATH (path without the query string), or nullopt.
  std::optional<RouteMatch> match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    enum class Kind { literal, param, greedy } kind;
    std::string text;  // the literal, or the parameter name
  };
  struct Compiled {
    const Route* route;
    std::vector<Segment> segments;
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace gust::devcloud
