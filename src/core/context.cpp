#include <gust/context.hpp>

namespace gust {
namespace {
const Context kEmpty{};
thread_local const Context* current = nullptr;
}  // namespace

std::chrono::milliseconds Context::remaining() const {
  if (deadline == std::chrono::system_clock::time_point{}) return std::chrono::milliseconds(0);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::system_clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

const Context& context() noexcept { return current != nullptr ? *current : kEmpty; }

namespace detail {
ScopedContext::ScopedContext(const Context& ctx) noexcept : previous_(current) { current = &ctx; }
ScopedContext::~ScopedContext() { current = previous_; }
}  // namespace detail

}  // namespace gust
