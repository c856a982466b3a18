// gust deploy: package, synthesize, upload, change set, execute, outputs.
#include "deploy_command.hpp"

namespace gust::cli {

Command deploy_command() {
  return {"deploy",
          "Package DIR, synthesize its stack APP-STAGE and deploy it through a CloudFormation change set",
          "  gust deploy examples/todo\n  gust deploy examples/todo --stage prod\n"
          "  AWS_ENDPOINT_URL=http://localhost:4566 gust deploy --stage test\n",
          [](CLI::App& sub) { return deploy_or_diff(sub, true); }};
}

}  // namespace gust::cli
