// gust diff: the change set a deploy would execute, then deleted.
#include "deploy_command.hpp"

namespace gust::cli {

Command diff_command() {
  return {"diff",
          "Show what `gust deploy` would change in the stack APP-STAGE (a change set, deleted afterwards)",
          "  gust diff examples/todo\n  gust diff examples/todo --stage prod\n",
          [](CLI::App& sub) { return deploy_or_diff(sub, false); }};
}

}  // namespace gust::cli
