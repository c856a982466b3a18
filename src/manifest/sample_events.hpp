#pragma once
// Minimal events for `APP invoke HANDLER` without an event file: enough to
// exercise a route (its path with each parameter set to "example") or a
// schedule. Queues, topics and buckets need a real event: their bodies are
// the user's own types.

#include "manifest/manifest.hpp"

#include <gust/result.hpp>

namespace gust::manifest {

Result<std::string> sample_event(const Function& fn);

}  // namespace gust::manifest
