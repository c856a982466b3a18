#include "aws/shared_config.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace gust::aws {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

// "value ; comment" and "value # comment": a comment starts after whitespace.
std::string_view strip_comment(std::string_view value) {
  for (std::size_t i = 1; i < value.size(); ++i) {
    if ((value[i] == '#' || value[i] == ';') && (value[i - 1] == ' ' || value[i - 1] == '\t'))
      return trim(value.substr(0, i));
  }
  return value;
}

// "profile   dev" -> "profile dev"
std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (const char c : trim(s)) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string expand_home(const std::string& path, const Environment& env) {
  if (path.size() >= 1 && path[0] == '~' && (path.size() == 1 || path[1] == '/')) return env.home() + path.substr(1);
  return path;
}

}  // namespace

std::optional<std::string> IniSection::get(std::string_view key) const {
  const auto it = values.find(key);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<IniFile> parse_ini(std::string_view text, std::string_view file_name) {
  IniFile file;
  IniSection* section = nullptr;
  std::string last_key;  // for indented sub-properties
  int line_number = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_number;
    const bool indented = !raw.empty() && (raw.front() == ' ' || raw.front() == '\t');
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const auto where = [&] { return fmt::format("{}:{}", file_name, line_number); };
    if (line.front() == '[') {
      const auto close = line.find(']');
      if (close == std::string_view::npos)
        return unexpected(ErrorCode::invalid_argument, "section header without ']'", where());
      section = &file.sections[collapse_spaces(line.substr(1, close - 1))];
      last_key.clear();
      continue;
    }
    if (section == nullptr)
      return unexpected(ErrorCode::invalid_argument,
                        "a setting before any [section]; put it under [default] or [profile NAME]", where());
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
      return unexpected(ErrorCode::invalid_argument, fmt::format("expected 'key = value', got '{}'", line), where());
    const std::string key = lower(trim(line.substr(0, eq)));
    const std::string value(strip_comment(trim(line.substr(eq + 1))));
    if (indented && !last_key.empty() && section->values[last_key].empty()) {
      section->nested[last_key][key] = value;
      continue;
    }
    section->values[key] = value;
    last_key = key;
  }
  return file;
}

void SharedConfig::merge(const IniFile& config, const IniFile& credentials) {
  for (const auto& [name, section] : config.sections) {
    std::string profile;
    if (name == "default") profile = "default";
    else if (name.rfind("profile ", 0) == 0) profile = name.substr(8);
    else if (name.rfind("services ", 0) == 0) {
      services_[name.substr(9)] = section;
      continue;
    } else {
      continue;  // sso-session and others: not used here
    }
    auto& target = profiles_[profile];
    // "[profile default]" wins over "[default]" in the config file, as in the CLI.
    for (const auto& [k, v] : section.values) {
      if (name == "default" && target.values.count(k) != 0) continue;
      target.values[k] = v;
    }
    for (const auto& [k, v] : section.nested) target.nested[k] = v;
  }
  for (const auto& [name, section] : credentials.sections) {
    auto& target = profiles_[name];
    for (const auto& [k, v] : section.values) target.values[k] = v;
  }
}

Result<SharedConfig> SharedConfig::load(const Environment& env) {
  SharedConfig out;
  out.active_ = env.get_or("AWS_PROFILE", env.get_or("AWS_DEFAULT_PROFILE", "default"));
  out.config_path_ = expand_home(env.get_or("AWS_CONFIG_FILE", "~/.aws/config"), env);
  out.credentials_path_ = expand_home(env.get_or("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"), env);
  IniFile config;
  IniFile credentials;
  if (auto text = read_text(out.config_path_)) {
    auto parsed = parse_ini(*text, out.config_path_);
    if (!parsed) return Unexpected{std::move(parsed).error()};
    config = std::move(*parsed);
  }
  if (auto text = read_text(out.credentials_path_)) {
    auto parsed = parse_ini(*text, out.credentials_path_);
    if (!parsed) return Unexpected{std::move(parsed).error()};
    credentials = std::move(*parsed);
  }
  out.merge(config, credentials);
  return out;
}

Result<SharedConfig> SharedConfig::parse(std::string_view config_text, std::string_view credentials_text,
                                         std::string_view active_profile) {
  SharedConfig out;
  out.active_ = std::string(active_profile);
  out.config_path_ = "config";
  out.credentials_path_ = "credentials";
  auto config = parse_ini(config_text, "config");
  if (!config) return Unexpected{std::move(config).error()};
  auto credentials = parse_ini(credentials_text, "credentials");
  if (!credentials) return Unexpected{std::move(credentials).error()};
  out.merge(*config, *credentials);
  return out;
}

const IniSection* SharedConfig::profile(std::string_view name) const {
  const auto it = profiles_.find(name);
  return it == profiles_.end() ? nullptr : &it->second;
}

const IniSection* SharedConfig::services(std::string_view name) const {
  const auto it = services_.find(name);
  return it == services_.end() ? nullptr : &it->second;
}

}  // namespace gust::aws
