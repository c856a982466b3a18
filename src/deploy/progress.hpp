#pragma once
// What a deploy reports while it runs, as typed events into a Sink; the
// ConsoleSink draws them: on a terminal a live progress line redrawn in
// place and replacements in red, elsewhere one plain line per event (logs, CI).

#include "aws/cloudformation.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace gust::deploy {

struct StackProgress {
  std::string operation;  // "deploying", "removing"
  int done = 0;           // resources whose operation finished
  int total = 0;          // resources the change set touches (0: unknown)
  std::chrono::milliseconds elapsed{0};
  std::string current;       // the logical id in progress (empty: none seen yet)
  std::string current_type;  // its resource type
};

class Sink {
 public:
  virtual ~Sink() = default;
  // A finished step: "account 123456789012 in us-east-1", "package uploaded (1.2 MB)".
  virtual void step(std::string_view line) = 0;
  // The change set's resource changes.
  virtual void changes(const std::vector<aws::ResourceChange>& changes) = 0;
  // One new stack event, oldest first.
  virtual void event(const aws::StackEvent& event) = 0;
  // The progress line, redrawn as polling goes.
  virtual void progress(const StackProgress& progress) = 0;
  // Ends the live line, if any, before other output.
  virtual void finish_progress() = 0;
};

// Renders the changes as a table: "+ Add     TodosTable   AWS::DynamoDB::Table",
// with "replacement" (in red when `color`) for replaced resources.
std::string render_changes(const std::vector<aws::ResourceChange>& changes, bool color);

// "12/77 resources  00:14  GetTodosFunction (AWS::Lambda::Function)".
std::string render_progress(const StackProgress& progress);

class ConsoleSink final : public Sink {
 public:
  // `tty`: animate the progress line and use color; otherwise plain lines.
  ConsoleSink(std::FILE* out, bool tty) : out_(out), tty_(tty) {}
  void step(std::string_view line) override;
  void changes(const std::vector<aws::ResourceChange>& changes) override;
  void event(const aws::StackEvent& event) override;
  void progress(const StackProgress& progress) override;
  void finish_progress() override;

 private:
  std::FILE* out_;
  bool tty_;
  bool live_ = false;  // a progress line is on screen
};

}  // namespace gust::deploy
