// Times synthesize() + rendering in process, per manifest given on the
// command line; checks each template before timing it.
//   synth_bench [--iterations N] MANIFEST.json...
#include "synth/synth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double median_us(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class F>
double time_us(int iterations, F&& f) {
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto start = Clock::now();
    f();
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  return median_us(std::move(samples));
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 1000;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--iterations" && i + 1 < argc) {
      iterations = std::max(1, std::atoi(argv[++i]));
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    fmt::print(stderr, "usage: synth_bench [--iterations N] MANIFEST.json...\n");
    return 2;
  }
  fmt::print("{:<28} {:>9} {:>10} {:>12} {:>12} {:>12}\n", "manifest", "resources", "parse us", "synth us", "+json us", "+yaml us");
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    const std::string json = text.str();
    auto m = gust::manifest::parse(json);
    if (!m) {
      fmt::print(stderr, "{}: {}\n", file, m.error().describe());
      return 1;
    }
    // The answer first: every function has its function, role and log group.
    auto t = gust::synth::synthesize(*m, {});
    if (!t) {
      fmt::print(stderr, "{}: {}\n", file, t.error().describe());
      return 1;
    }
    const gust::Value* resources = t->find("Resources");
    if (resources == nullptr || resources->as_object().size() < 3 * m->functions.size() + m->resources.size()) {
      fmt::print(stderr, "{}: the template lacks resources\n", file);
      return 1;
    }
    std::size_t sink = 0;
    const double parse = time_us(iterations, [&] { sink += gust::manifest::parse(json)->functions.size(); });
    const double synth = time_us(iterations, [&] { sink += gust::synth::synthesize(*m, {})->find("Resources")->as_object().size(); });
    const double with_json = time_us(iterations, [&] { sink += gust::to_json_pretty(*gust::synth::synthesize(*m, {})).size(); });
    const double with_yaml = time_us(iterations, [&] { sink += gust::synth::to_yaml(*gust::synth::synthesize(*m, {})).size(); });
    const std::string name = file.substr(file.find_last_of('/') + 1);
    fmt::print("{:<28} {:>9} {:>10.1f} {:>12.1f} {:>12.1f} {:>12.1f}\n", name, resources->as_object().size(), parse, synth, with_json,
               with_yaml);
    if (sink == 0) return 1;
  }
  fmt::print("(medians of {} runs each)\n", iterations);
  return 0;
}
