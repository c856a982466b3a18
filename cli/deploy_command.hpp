#pragma once
// What `gust deploy` and `gust diff` share: the same flags and steps, only
// `execute` differs.

#include "command.hpp"

namespace gust::cli {

std::function<int()> deploy_or_diff(CLI::App& sub, bool execute);

}  // namespace gust::cli
