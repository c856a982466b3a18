#include "app/naming.hpp"

namespace gust::detail {

std::string id_slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string route_function_id(std::string_view method, std::string_view path) {
  std::string path_part = id_slug(path);
  return id_slug(method) + "-" + (path_part.empty() ? std::string("root") : path_part);
}

std::string resource_env_var(manifest::ResourceKind kind, std::string_view id) {
  std::string out = "GUST_";
  for (char c : manifest::to_string(kind)) out += static_cast<char>(c - 'a' + 'A');
  out += '_';
  for (char c : id) {
    if (c >= 'a' && c <= 'z') out += static_cast<char>(c - 'a' + 'A');
    else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += c;
    else out += '_';
  }
  return out;
}

}  // namespace gust::detail
