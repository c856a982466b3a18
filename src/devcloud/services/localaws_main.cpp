// gust-localaws: the local AWS services on their own, for development and
// tests: `gust-localaws --port 4566 --state .gust/dev` serves DynamoDB, S3,
// SQS and SNS on 127.0.0.1 until SIGINT/SIGTERM. The first line on stdout
// names the endpoint ("gust-localaws: http://127.0.0.1:4566 ..."), so a
// script that asked for --port 0 learns the port.
#include "devcloud/services/http_adapter.hpp"
#include "devcloud/services/local_aws.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

int usage(const char* why) {
  std::fprintf(stderr, "error: %s\nusage: gust-localaws [--port N] [--state DIR] [--host 127.0.0.1] [--workers N] [--spin-us N]\n", why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gust::localaws;
  HttpServeOptions http;
  http.port = 4566;
  ServiceOptions options;
  options.state_dir = ".gust/dev";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--port") {
      const char* v = value();
      char* end = nullptr;
      const long port = v ? std::strtol(v, &end, 10) : -1;
      if (!v || *end != '\0' || port < 0 || port > 65535) return usage("--port needs a number from 0 to 65535");
      http.port = static_cast<std::uint16_t>(port);
    } else if (arg == "--state") {
      const char* v = value();
      if (!v) return usage("--state needs a folder");
      options.state_dir = v;
    } else if (arg == "--host") {
      const char* v = value();
      if (!v) return usage("--host needs an address");
      http.host = v;
    } else if (arg == "--workers") {
      const char* v = value();
      if (!v || std::atoi(v) < 1) return usage("--workers needs a positive number");
      http.workers = std::atoi(v);
    } else if (arg == "--spin-us") {
      const char* v = value();
      char* end = nullptr;
      const long us = v ? std::strtol(v, &end, 10) : -1;
      if (!v || *end != '\0' || us < 0 || us > 1000000) return usage("--spin-us needs a number of microseconds from 0 to 1000000");
      http.spin = std::chrono::microseconds(us);
    } else if (arg == "--help" || arg == "-h") {
      std::printf(
          "usage: gust-localaws [--port N] [--state DIR] [--host 127.0.0.1] [--workers N] [--spin-us N]\n"
          "  --spin-us N  after a request, poll N microseconds before sleeping (default 100; 0: sleep at once)\n");
      return 0;
    } else {
      return usage(("unknown argument " + std::string(arg)).c_str());
    }
  }
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  auto aws = LocalAws::open(options);
  if (!aws) {
    std::fprintf(stderr, "error: %s (%s)\n", aws.error().message.c_str(), aws.error().context.c_str());
    return 1;
  }
  http.run_inline = [](const ServiceRequest& r) { return LocalAws::route(r) != "s3"; };
  auto server = ServiceHttpServer::start(**aws, http);
  if (!server) {
    std::fprintf(stderr, "error: %s\nhelp: pick another --port, or 0 for any free one\n", server.error().message.c_str());
    return 1;
  }
  std::printf("gust-localaws: %s serving DynamoDB, S3, SQS, SNS (state: %s)\n", (*server)->url().c_str(),
              std::filesystem::absolute(options.state_dir).string().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  (*server)->stop();
  return 0;
}
