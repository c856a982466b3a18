// Shared declarations for the compile-fail snippets.
#pragma once
#include <gust/gust.hpp>

struct Todo {
  std::string id;
  std::string title;
  bool done = false;
};
GUST_RECORD(Todo, id, title, done);

struct Note {
  std::string text;
};
GUST_RECORD(Note, text);
