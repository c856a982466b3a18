#pragma once
// The AWS shared files: ~/.aws/config and ~/.aws/credentials (or
// $AWS_CONFIG_FILE / $AWS_SHARED_CREDENTIALS_FILE), as the AWS CLI and SDKs
// read them: "[default]", "[profile NAME]" and "[services NAME]" sections in
// config, "[NAME]" in credentials (which wins for the same key), '#' and ';'
// comments, and indented sub-properties under a key with an empty value
// ("s3 =\n  addressing_style = path").

#include "aws/environment.hpp"

#include <gust/result.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gust::aws {

struct IniSection {
  std::map<std::string, std::string, std::less<>> values;  // keys lower-cased
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> nested;

  std::optional<std::string> get(std::string_view key) const;
};

struct IniFile {
  std::map<std::string, IniSection, std::less<>> sections;  // names as written, inner spaces collapsed
};

// Parses one file. Errors give the file name and line.
Result<IniFile> parse_ini(std::string_view text, std::string_view file_name);

class SharedConfig {
 public:
  // Reads both files; a missing file is not an error, a malformed one is.
  static Result<SharedConfig> load(const Environment& env);
  // From texts (tests).
  static Result<SharedConfig> parse(std::string_view config_text, std::string_view credentials_text,
                                    std::string_view active_profile = "default");

  // $AWS_PROFILE, else "default".
  const std::string& active_profile() const { return active_; }
  // The named profile with credentials-file values over config-file ones; nullptr when neither has it.
  const IniSection* profile(std::string_view name) const;
  const IniSection* active() const { return profile(active_); }
  // A "[services NAME]" section of the config file.
  const IniSection* services(std::string_view name) const;

  const std::string& config_path() const { return config_path_; }
  const std::string& credentials_path() const { return credentials_path_; }

 private:
  void merge(const IniFile& config, const IniFile& credentials);
  std::string active_ = "default";
  std::string config_path_;
  std::string credentials_path_;
  std::map<std::string, IniSection, std::less<>> profiles_;
  std::map<std::string, IniSection, std::less<>> services_;
};

}  // namespace gust::aws
