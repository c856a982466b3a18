#pragma once
// gust::StreamWriter: the body of a streamed HTTP response, written piece by
// piece while the handler runs (Lambda response streaming). Each write goes
// out at once as one chunk; the client sees it before the handler returns.
//
//   return gust::Response::stream("text/event-stream", [](gust::StreamWriter& out) {
//     for (int i = 0; i < 3; ++i) out.write(fmt::format("data: {}\n\n", i));
//   });
//
// Limits: status, headers and cookies are fixed before the first byte; an
// exception thrown by the body ends the stream with Lambda's error trailers
// (the client sees a truncated body). Streaming needs a function URL with
// InvokeMode RESPONSE_STREAM; API Gateway buffers the whole response.

#include <functional>
#include <string_view>

namespace gust {

class StreamWriter {
 public:
  // Sends `bytes` now. Returns false once the connection is gone: later
  // writes are dropped, so a long producer should stop.
  virtual bool write(std::string_view bytes) = 0;

 protected:
  StreamWriter() = default;
  StreamWriter(const StreamWriter&) = default;
  StreamWriter& operator=(const StreamWriter&) = default;
  ~StreamWriter() = default;
};

// Writes a streamed body; runs after the response head has been sent.
using StreamBody = std::function<void(StreamWriter&)>;

}  // namespace gust
