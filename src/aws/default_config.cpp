#include "aws/default_config.hpp"

namespace gust::aws {

const Result<std::shared_ptr<ClientConfig>>& default_client_config() {
  static const Result<std::shared_ptr<ClientConfig>> config = ClientConfig::from_environment(Environment::process());
  return config;
}

}  // namespace gust::aws
