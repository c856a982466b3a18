// gust: the command line. Thin: it parses arguments and calls the libraries.
#include "command.hpp"
#include "report.hpp"

#include <fmt/format.h>

#ifndef GUST_VERSION
#define GUST_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  CLI::App app{"gust: one C++ program -> AWS Lambda functions, a CloudFormation stack with least-privilege IAM, and a local cloud.",
               "gust"};
  app.set_version_flag("--version,-V", std::string("gust ") + GUST_VERSION);
  app.require_subcommand(0, 1);
  app.footer("Run `gust COMMAND --help` for a command's flags and examples.");

  std::function<int()> action;
  for (const auto& command : gust::cli::command_table()) {
    CLI::App* sub = app.add_subcommand(std::string(command.name), std::string(command.summary));
    if (!command.examples.empty()) sub->footer("Examples:\n" + std::string(command.examples));
    auto run = command.setup(*sub);
    sub->callback([&action, run] { action = run; });
  }
  // docs/cli.md is this flag's output (a test keeps them equal).
  bool markdown = false;
  app.add_flag("--markdown-help", markdown, "Print the command reference as Markdown")->group("");

  if (argc > 1 && argv[1][0] != '-') {
    const std::string_view wanted = argv[1];
    bool known = false;
    std::string names;
    for (const auto& command : gust::cli::command_table()) {
      known = known || command.name == wanted;
      names += (names.empty() ? "" : ", ") + std::string(command.name);
    }
    if (!known) {
      gust::cli::print_error(fmt::format("unknown command \"{}\"", wanted), fmt::format("the commands are: {}; run `gust --help`", names));
      return gust::cli::kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string help = "run `gust --help` for the list of commands";
    if (!app.get_subcommands().empty()) help = fmt::format("run `gust {} --help` for its flags", app.get_subcommands().front()->get_name());
    gust::cli::print_error(e.what(), help);
    return gust::cli::kExitUsage;
  }
  if (markdown) {
    fmt::print("{}", gust::cli::markdown_reference(app));
    return gust::cli::kExitOk;
  }
  if (!action) {
    fmt::print("{}", app.help());
    return argc > 1 ? gust::cli::kExitUsage : gust::cli::kExitOk;
  }
  return action();
}
