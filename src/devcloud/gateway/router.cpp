#include "devcloud/gateway/router.hpp"

namespace gust::devcloud {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (out.size() == 1 && out.front().empty()) out.clear();  // "/"
  return out;
}

}  // namespace

Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const auto& r : routes_) {
    if (r.method == "$default") continue;
    Compiled c{&r, {}};
    for (auto seg : split_path(r.path)) {
      if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
        std::string_view name = seg.substr(1, seg.size() - 2);
        if (name.ends_with('+')) c.segments.push_back({Segment::Kind::greedy, std::string(name.substr(0, name.size() - 1))});
        else c.segments.push_back({Segment::Kind::param, std::string(name)});
      } else {
        c.segments.push_back({Segment::Kind::literal, std::string(seg)});
      }
    }
    compiled_.push_back(std::move(c));
  }
}

std::optional<RouteMatch> Router::match(std::string_view method, std::string_view path) const {
  const auto parts = split_path(path);
  const Compiled* best = nullptr;
  // A route's rank: per segment 0 literal, 1 param, 2 greedy (lower is more specific), then ANY after a named method.
  std::vector<int> best_rank;
  RouteMatch best_match;
  for (const auto& c : compiled_) {
    const bool method_ok = c.route->method == "ANY" || c.route->method == method;
    if (!method_ok) continue;
    RouteMatch m{c.route, {}};
    std::vector<int> rank;
    bool ok = true;
    std::size_t i = 0;
    for (std::size_t s = 0; s < c.segments.size() && ok; ++s) {
      const auto& seg = c.segments[s];
      if (seg.kind == Segment::Kind::greedy) {
        // {proxy+} takes one or more remaining segments.
        if (i >= parts.size()) { ok = false; break; }
        std::string rest;
        for (std::size_t k = i; k < parts.size(); ++k) rest += (k == i ? "" : "/") + std::string(parts[k]);
        m.params[seg.text] = rest;
        rank.push_back(2);
        i = parts.size();
      } else if (i >= parts.size()) {
        ok = false;
      } else if (seg.kind == Segment::Kind::literal) {
        ok = parts[i] == seg.text;
        rank.push_back(0);
        ++i;
      } else {
        ok = !parts[i].empty();
        m.params[seg.text] = std::string(parts[i]);
        rank.push_back(1);
        ++i;
      }
    }
    if (!ok || i != parts.size()) continue;
    rank.push_back(c.route->method == "ANY" ? 1 : 0);
    if (best == nullptr || rank < best_rank) {
      best = &c;
      best_rank = std::move(rank);
      best_match = std::move(m);
    }
  }
  if (best != nullptr) return best_match;
  for (const auto& r : routes_) {
    if (r.method == "$default") return RouteMatch{&r, {}};
  }
  return std::nullopt;
}

}  // namespace gust::devcloud
