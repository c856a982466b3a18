#pragma once
// One entry of the gust command table. `--help` and docs/cli.md both come
// from this data; each command lives in its own cli/<name>.cpp.

#include <CLI/CLI.hpp>

#include <functional>
#include <string_view>
#include <vector>

namespace gust::cli {

// Exit codes: 0 ok, 1 failed, 2 bad command line.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string_view name;
  std::string_view summary;
  std::string_view examples;  // one example per line, shown under --help
  // Declares the command's flags on `sub`; returns the action to run when chosen.
  std::function<std::function<int()>(CLI::App& sub)> setup;
};

// Every command, in the order `gust --help` lists them (cli/command_table.cpp).
const std::vector<Command>& command_table();

// The command reference (docs/cli.md), from the same table and flags as --help.
std::string markdown_reference(CLI::App& root);

}  // namespace gust::cli
