#include "project_args.hpp"
#include "report.hpp"

#include "synth/synth.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gust::cli {
namespace fs = std::filesystem;

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
              Result<manifest::Manifest> manifest = unexpected(ErrorCode::internal, "unset");
              fs::path project_dir = args->dir;
              if (!manifest_file->empty()) {
                std::ifstream in(*manifest_file);
                if (!in) {
                  print_error(fmt::format("cannot read {}", *manifest_file), "pass the path of a manifest written by `gust manifest`");
                  return kExitUsage;
                }
                std::stringstream text;
                text << in.rdbuf();
                manifest = manifest::parse(text.str());
                if (!manifest) {
                  print_error(fmt::format("{}: {}: {}", *manifest_file, manifest.error().context, manifest.error().message),
                              "regenerate it with `gust manifest DIR`");
                  return kExitFailed;
                }
              } else {
                auto built = build_or_report(*args);
                if (!built) return kExitFailed;
                project_dir = built->project_dir;
                manifest = project::load_manifest(built->binary);
                if (!manifest) {
                  fmt::print(stderr, "{}\n", manifest.error().message);
                  return kExitUsage;
                }
              }
              synth::SynthOptions options;
              const char* env_stage = std::getenv("GUST_STAGE");
              options.stage = !stage->empty() ? *stage : (env_stage != nullptr && *env_stage != '\0' ? env_stage : "dev");
              auto document = synth::synthesize(*manifest, options);
              if (!document) {
                print_error(fmt::format("{}: {}", document.error().context, document.error().message));
                return document.error().context == "--stage" ? kExitUsage : kExitFailed;
              }
              const fs::path out_dir = out->empty() ? project_dir / ".gust" / "out" : fs::path(*out);
              std::error_code ec;
              fs::create_directories(out_dir, ec);
              const fs::path file = out_dir / (*format == "yaml" ? "template.yaml" : "template.json");
              std::ofstream(file) << (*format == "yaml" ? synth::to_yaml(*document) : to_json_pretty(*document));
              fmt::print("{}", synth::summarize(*manifest));
              fmt::print("wrote {} ({} resources, stage {})\n", file.string(), document->find("Resources")->as_object().size(), options.stage);
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
