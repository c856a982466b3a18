#pragma once
// A real AWS-protocol server written by others (shared/tools/aws-peers) on
// 127.0.0.1 for one test binary: started on a free port in a state directory
// of its own (so parallel tests never share one) and stopped by name, which
// the tool turns into its pid.

#include "aws/aws_client.hpp"
#include "aws/environment.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unistd.h>

namespace gust::aws::testing {

class Peer {
 public:
  // `kind`: dynalite | s3rver | fauxqs | moto. `auth`: moto checks every signature.
  Peer(std::string kind, bool auth = false, std::string peer_args = "") : kind_(std::move(kind)) {
    char dir_template[] = "/tmp/gust-aws-peer-XXXXXX";
    state_ = ::mkdtemp(dir_template);
    name_ = kind_ + (auth ? "-auth" : "");
    // s3rver 3.7 makes continuation tokens with DES, which Node 20's OpenSSL 3
    // only has in its legacy provider; without it ListObjectsV2 pages fail.
    const std::string node_options = kind_ == "s3rver" ? "NODE_OPTIONS=--openssl-legacy-provider " : "";
    std::string cmd = node_options + tool() + " start " + kind_ + " --port 0 --name " + name_ + (auth ? " --auth" : "");
    if (!peer_args.empty()) cmd += " -- " + peer_args;
    const auto out = run(cmd);
    if (!out) {
      error_ = "aws-peers start " + kind_ + " failed; see " + state_ + "/" + name_ + ".log";
      return;
    }
    endpoint_ = trim(*out);
    const auto env = run(tool() + " env " + name_);
    if (!env) {
      error_ = "aws-peers env " + name_ + " failed";
      return;
    }
    // "export K=V K=V" lines
    std::istringstream lines(*env);
    std::string word;
    while (lines >> word) {
      if (word == "export") continue;
      const auto eq = word.find('=');
      if (eq != std::string::npos) env_[word.substr(0, eq)] = word.substr(eq + 1);
    }
  }

  ~Peer() {
    if (!state_.empty()) {
      (void)run(tool() + " stop " + name_ + " 2>/dev/null");
      std::error_code ec;
      std::filesystem::remove_all(state_, ec);
    }
  }
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  bool ok() const { return error_.empty() && !endpoint_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& endpoint() const { return endpoint_; }
  // The variables `aws-peers env` prints: credentials, region, endpoint URL(s).
  const std::map<std::string, std::string, std::less<>>& env() const { return env_; }

  // A client configuration that talks to this peer (nothing from the real environment).
  std::shared_ptr<ClientConfig> config(std::map<std::string, std::string, std::less<>> extra = {}) const {
    auto vars = env_;
    vars["HOME"] = state_;  // no ~/.aws files from the machine
    for (auto& [k, v] : extra) vars[k] = v;
    auto config = ClientConfig::from_environment(Environment::from(vars));
    EXPECT_TRUE(config.has_value()) << (config ? "" : config.error().describe());
    return config ? *config : nullptr;
  }

  // Exports the peer's variables into this process (for the process-wide services).
  void export_to_process() const {
    for (const auto& [k, v] : env_) ::setenv(k.c_str(), v.c_str(), 1);
  }

 private:
  std::string tool() const {
    return "AWS_PEERS_STATE='" + state_ + "' '" + std::string(GUST_SHARED_DIR) + "/tools/aws-peers'";
  }
  static std::optional<std::string> run(const std::string& cmd) {
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return std::nullopt;
    std::string out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    return ::pclose(p) == 0 ? std::optional<std::string>(out) : std::nullopt;
  }
  static std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    const auto nl = s.rfind('\n');
    return nl == std::string::npos ? s : s.substr(nl + 1);
  }

  std::string kind_;
  std::string name_;
  std::string state_;
  std::string endpoint_;
  std::string error_;
  std::map<std::string, std::string, std::less<>> env_;
};

}  // namespace gust::aws::testing
