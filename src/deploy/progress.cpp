#include "deploy/progress.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::deploy {
namespace {

constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kReset = "\x1b[0m";

char symbol(std::string_view action) {
  if (action == "Add") return '+';
  if (action == "Remove") return '-';
  if (action == "Modify") return '~';
  return '*';
}

}  // namespace

std::string render_changes(const std::vector<aws::ResourceChange>& changes, bool color) {
  std::size_t id_width = 0;
  for (const auto& c : changes) id_width = std::max(id_width, c.logical_id.size());
  std::string out;
  int added = 0, modified = 0, removed = 0, replaced = 0;
  for (const auto& c : changes) {
    added += c.action == "Add";
    modified += c.action == "Modify";
    removed += c.action == "Remove";
    std::string note;
    if (c.replacement == "True") {
      ++replaced;
      note = color ? fmt::format("  {}replacement{}", kRed, kReset) : "  replacement";
    } else if (c.replacement == "Conditional") {
      note = "  may be replaced";
    }
    out += fmt::format("  {} {:<7} {:<{}}  {}{}\n", symbol(c.action), c.action, c.logical_id, id_width, c.resource_type, note);
  }
  out += fmt::format("  {} to add, {} to modify ({} replaced), {} to remove\n", added, modified, replaced, removed);
  return out;
}

std::string render_progress(const StackProgress& p) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(p.elapsed).count();
  std::string out = p.total > 0 ? fmt::format("{} {}/{} resources  {:02}:{:02}", p.operation, p.done, p.total, seconds / 60, seconds % 60)
                                : fmt::format("{} {} resources  {:02}:{:02}", p.operation, p.done, seconds / 60, seconds % 60);
  if (!p.current.empty()) out += fmt::format("  {} ({})", p.current, p.current_type);
  return out;
}

void ConsoleSink::step(std::string_view line) {
  finish_progress();
  fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

void ConsoleSink::changes(const std::vector<aws::ResourceChange>& changes) {
  finish_progress();
  fmt::print(out_, "{}", render_changes(changes, tty_));
  std::fflush(out_);
}

void ConsoleSink::event(const aws::StackEvent& e) {
  // On a terminal the live line says it; failures are always worth a line of their own.
  const bool failed = e.status.ends_with("_FAILED");
  if (tty_ && !failed) return;
  finish_progress();
  const bool red = tty_ && failed;
  fmt::print(out_, "  {}{:<20}{} {} ({}){}\n", red ? kRed : "", e.status, red ? kReset : "", e.logical_id, e.resource_type,
             e.status_reason.empty() ? std::string() : ": " + e.status_reason);
  std::fflush(out_);
}

void ConsoleSink::progress(const StackProgress& p) {
  if (!tty_) return;
  // \r and erase-line: the line is redrawn in place.
  fmt::print(out_, "\r\x1b[2K{}", render_progress(p));
  std::fflush(out_);
  live_ = true;
}

void ConsoleSink::finish_progress() {
  if (!live_) return;
  fmt::print(out_, "\n");
  live_ = false;
}

}  // namespace gust::deploy
