#pragma once
// `gust remove`: delete the stack `<app>-<stage>` and wait until it is gone.
// Resources whose DeletionPolicy is Retain (tables and buckets, unless the
// app said .retain_on_remove(false)) stay in the account: they are listed.

#include "deploy/progress.hpp"
#include "deploy/target.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace gust::deploy {

struct RemoveResult {
  bool existed = false;
  std::vector<aws::StackResource> kept;  // retained: still in the account
};

Result<RemoveResult> remove(const Target& target, std::string_view stack_name, Sink& sink,
                            std::chrono::seconds max_wait = std::chrono::seconds(3600));

// The logical ids of the template's resources with DeletionPolicy Retain.
std::vector<std::string> retained_resources(std::string_view template_json);

}  // namespace gust::deploy
