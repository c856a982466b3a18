#include "command.hpp"

namespace gust::cli {

Command new_command();
Command build_command();
Command manifest_command();
Command invoke_command();
Command dev_command();
Command cloud_command();
Command trigger_command();
Command package_command();
Command synth_command();
Command bootstrap_command();
Command deploy_command();
Command diff_command();
Command outputs_command();
Command logs_command();
Command remove_command();

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      new_command(),
      build_command(),
      manifest_command(),
      invoke_command(),
      synth_command(),
      dev_command(),
      cloud_command(),
      trigger_command(),
      package_command(),
      bootstrap_command(),
      diff_command(),
      deploy_command(),
      outputs_command(),
      logs_command(),
      remove_command(),
  };
  return table;
}

}  // namespace gust::cli
