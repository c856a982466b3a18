// gust synth: the app's manifest -> OUTDIR/template.json (or .yaml), then a
// summary of what the stack holds and which IAM actions each function holds.
#include "project_args.hpp"
#include "report.hpp"

#include "synth/synth.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gust::cli {
namespace fs = std::filesystem;

namespace {

std::optional<manifest::Manifest> read_manifest_file(const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    print_error(fmt::format("cannot read {}", file), "pass the path of a manifest written by `gust manifest`");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto m = manifest::parse(text.str());
  if (!m) {
    print_error(fmt::format("{}: {}: {}", file, m.error().context, m.error().message), "regenerate it with `gust manifest DIR`");
    return std::nullopt;
  }
  return *std::move(m);
}

}  // namespace

Command synth_command() {
  return {"synth", "Build DIR and write its CloudFormation template (least-privilege IAM from the grants)",
          "  gust synth examples/todo\n  gust synth --stage prod --format yaml --out dist\n  gust synth --manifest manifest.json\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            auto stage = std::make_shared<std::string>();
            auto out = std::make_shared<std::string>();
            auto format = std::make_shared<std::string>("json");
            auto manifest_file = std::make_shared<std::string>();
            sub.add_option("--stage,-s", *stage, "The stage (default: $GUST_STAGE, else dev)");
            sub.add_option("--out,-o", *out, "Where to write template.json (default: DIR/.gust/out)");
            sub.add_option("--format,-f", *format, "json or yaml")->check(CLI::IsMember({"json", "yaml"}))->capture_default_str();
            sub.add_option("--manifest,-m", *manifest_file, "Synthesize this manifest file instead of building DIR");
            return [args, stage, out, format, manifest_file]() -> int {
              std::optional<manifest::Manifest> manifest;
              fs::path project_dir = args->dir;
              if (!manifest_file->empty()) {
                manifest = read_manifest_file(*manifest_file);
                if (!manifest) return kExitFailed;
              } else {
                auto built = build_or_report(*args);
                if (!built) return kExitFailed;
                project_dir = built->project_dir;
                auto loaded = project::load_manifest(built->binary);
                if (!loaded) {
                  // Declaration errors: the app printed one line per mistake.
                  fmt::print(stderr, "{}\n", loaded.error().message);
                  return kExitFailed;
                }
                manifest = *std::move(loaded);
              }

              synth::SynthOptions options;
              const char* env_stage = std::getenv("GUST_STAGE");
              options.stage = !stage->empty() ? *stage : (env_stage != nullptr && *env_stage != '\0' ? env_stage : "dev");
              auto document = synth::synthesize(*manifest, options);
              if (!document) {
                const Error& e = document.error();
                if (e.context == "--stage") {
                  print_error(e.message, "pass --stage NAME (or set GUST_STAGE) with a name such as dev, prod or pr-42");
                  return kExitUsage;
                }
                const std::string source = synth::declared_at(*manifest, e.context);
                const std::string where = manifest_file->empty() ? "the app's manifest" : *manifest_file;
                print_error(fmt::format("{}: {}: {}", where, e.context, e.message),
                            source.empty() ? std::string() : fmt::format("declared at {}", source));
                return kExitFailed;
              }

              const fs::path out_dir = out->empty() ? project_dir / ".gust" / "out" : fs::path(*out);
              std::error_code ec;
              fs::create_directories(out_dir, ec);
              const bool yaml = *format == "yaml";
              const fs::path file = out_dir / (yaml ? "template.yaml" : "template.json");
              std::ofstream stream(file, std::ios::binary | std::ios::trunc);
              stream << (yaml ? synth::to_yaml(*document) : to_json_pretty(*document));
              stream.close();
              if (!stream) {
                print_error(fmt::format("cannot write {}{}", file.string(), ec ? ": " + ec.message() : std::string()),
                            "pass --out with a folder you can write to");
                return kExitFailed;
              }
              fmt::print("{}", synth::summarize(*manifest));
              fmt::print("wrote {} ({} CloudFormation resources, stage {})\n", file.string(),
                         document->find("Resources")->as_object().size(), options.stage);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
