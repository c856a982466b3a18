#pragma once
// How the CLI shows a failure: "error: what" then "help: how to fix".

#include <gust/error.hpp>

#include <string_view>

namespace gust::cli {

// Whether output to `fd` may be coloured: a terminal, and NO_COLOR unset.
bool colour_on(int fd);

// Prints the error (and its context as a help line when it reads as advice).
void print_error(const Error& error);
void print_error(std::string_view message, std::string_view help = {});

}  // namespace gust::cli
