#pragma once
// Grant -> exact IAM actions, one table for every resource kind. Synth turns
// the statements into policies; nothing else decides what a function may do.

#include <gust/grants.hpp>

#include "manifest/manifest.hpp"

namespace gust::detail {

// The manifest entry for a grant: permission name and IAM statements.
manifest::Grant describe_grant(const GrantRecord& grant, const manifest::Resource& resource);
// The implicit grant a queue consumer holds on its own queue.
manifest::Grant consume_grant(const manifest::Resource& queue);

}  // namespace gust::detail
