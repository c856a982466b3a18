#include "project_args.hpp"
#include "report.hpp"

#include "deploy/package.hpp"

#include <fmt/format.h>

namespace gust::cli {

Command package_command() {
  return {"package", "Build DIR fully static for Lambda and write its reproducible deployment zip",
          "  gust package examples/hello\n  gust package --out dist\n",
          [](CLI::App& sub) {
            auto args = add_project_args(sub);
            auto out = std::make_shared<std::string>();
            sub.add_option("--out,-o", *out, "Where to write APP.zip and APP.debug (default: DIR/.gust/package)");
            return [args, out]() -> int {
              deploy::PackageOptions options;
              options.build = args->build;
              options.build.dir = args->dir;
              options.out_dir = *out;
              auto p = deploy::package(options);
              if (!p) {
                print_error(p.error());
                return kExitFailed;
              }
              fmt::print("packaged {} ({}): {}\n  {:.2f} MB zipped, bootstrap {:.2f} MB stripped, sha256 {}\n  debug symbols: {}\n",
                         p->app, p->architecture, p->zip.string(), p->zip_bytes / 1e6, p->bootstrap_bytes / 1e6, p->sha256,
                         p->debug_file.string());
              return kExitOk;
            };
          }};
}

}  // namespace gust::cli
