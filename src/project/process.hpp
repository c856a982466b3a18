#pragma once
// Running a child program and collecting what it printed, without a shell
// (arguments are passed as they are: no quoting bugs, no injection).

#include <gust/result.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gust::project {

struct ProcessOptions {
  std::filesystem::path working_directory;  // empty: the current one
  std::vector<std::pair<std::string, std::string>> extra_env;  // added to this process's environment
  std::optional<std::string> stdin_data;
  bool merge_stderr = false;  // stderr goes to the same buffer as stdout
  std::optional<std::chrono::milliseconds> timeout;  // the child is killed (SIGKILL) after it
};

struct ProcessResult {
  int exit_code = -1;      // -1 when killed by a signal
  int signal = 0;          // the signal that ended it, or 0
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH when it has no '/') and waits for it.
// Fails only when the program cannot be started.
Result<ProcessResult> run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// The absolute path of a program in PATH, or nullopt.
std::optional<std::filesystem::path> find_program(std::string_view name);

}  // namespace gust::project
