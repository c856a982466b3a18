#pragma once
// `gust package`: the deployable zip. The app is built fully static in a
// build tree of its own, stripped (debug symbols kept beside the zip, linked
// with a .gnu_debuglink), and zipped reproducibly as `bootstrap`: fixed
// timestamps, modes and order, so the same sources give the same bytes and an
// unchanged app uploads nothing. An unchanged build reuses the last zip.

#include "project/project.hpp"

#include <gust/result.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gust::deploy {

struct PackageOptions {
  project::BuildOptions build;     // .dir is the project; build_dir defaults to DIR/.gust/package-build
  std::filesystem::path out_dir;   // default: DIR/.gust/package
};

struct Package {
  std::string app;
  std::filesystem::path zip;         // OUT/APP.zip
  std::filesystem::path bootstrap;   // the stripped binary that is in the zip
  std::filesystem::path debug_file;  // OUT/APP.debug
  std::string sha256;                // of the zip: the artifact's content address
  std::uint64_t zip_bytes = 0;
  std::uint64_t bootstrap_bytes = 0;
  std::string architecture;          // of the binary: "x86_64" or "arm64"
  bool reused = false;               // the build was unchanged: the last zip stands (OUT/APP.built records it)
};

Result<Package> package(const PackageOptions& options);

struct ZipEntry {
  std::string name;              // path inside the zip
  std::filesystem::path source;  // file to store
  unsigned mode = 0644;          // Unix permissions
};

// Writes `entries` in the given order with fixed timestamps (1980-01-01) and
// maximum deflate: byte-identical output for identical inputs.
Result<void> write_reproducible_zip(const std::filesystem::path& zip, const std::vector<ZipEntry>& entries);

// Hex SHA-256 of a file.
Result<std::string> sha256_file(const std::filesystem::path& file);

// The machine architecture of an ELF executable, in Lambda's words ("x86_64", "arm64").
Result<std::string> elf_architecture(const std::filesystem::path& binary);

}  // namespace gust::deploy
