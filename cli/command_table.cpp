#include "command.hpp"

namespace gust::cli {

Command new_command();
Command build_command();
Command manifest_command();
Command invoke_command();
Command dev_command();
Command trigger_command();
Command package_command();
Command synth_command();

const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      new_command(),
      build_command(),
      manifest_command(),
      invoke_command(),
      synth_command(),
      dev_command(),
      trigger_command(),
      package_command(),
  };
  return table;
}

}  // namespace gust::cli
