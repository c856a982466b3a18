#pragma once
// describe(app): the declarations -> the manifest, with every declaration
// mistake found on the way (all of them, not just the first).

#include "app/app_state.hpp"
#include "manifest/manifest.hpp"

#include <string>
#include <vector>

namespace gust::detail {

struct Description {
  manifest::Manifest manifest;
  std::vector<DeclarationError> errors;
};

Description describe(const AppState& state);

// One line: "main.cpp:12: error: <what>; help: <how to fix>".
std::string render(const DeclarationError& error);

}  // namespace gust::detail
