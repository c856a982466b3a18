#include "deploy/package.hpp"

#include "project/process.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <zip.h>

#include <elf.h>
#include <fstream>

namespace gust::deploy {
namespace fs = std::filesystem;

Result<std::string> sha256_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return unexpected(ErrorCode::not_found, "cannot read the file", file.string());
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    EVP_DigestUpdate(ctx.get(), buffer, static_cast<std::size_t>(in.gcount()));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  std::string hex;
  for (unsigned i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Result<std::string> elf_architecture(const fs::path& binary) {
  std::ifstream in(binary, std::ios::binary);
  Elf64_Ehdr header{};
  if (!in.read(reinterpret_cast<char*>(&header), sizeof header) || std::string_view(reinterpret_cast<char*>(header.e_ident), 4) != "\x7f" "ELF")
    return unexpected(ErrorCode::invalid_argument, "not an ELF executable", binary.string());
  switch (header.e_machine) {
    case EM_X86_64: return std::string("x86_64");
    case EM_AARCH64: return std::string("arm64");
    default: return unexpected(ErrorCode::invalid_argument, fmt::format("ELF machine {} is not a Lambda architecture", header.e_machine),
                               binary.string());
  }
}

Result<void> write_reproducible_zip(const fs::path& zip_path, const std::vector<ZipEntry>& entries) {
  std::error_code ec;
  fs::remove(zip_path, ec);
  int error = 0;
  zip_t* archive = zip_open(zip_path.c_str(), ZIP_CREATE | ZIP_EXCL, &error);
  if (archive == nullptr) {
    zip_error_t e;
    zip_error_init_with_code(&e, error);
    std::string message = zip_error_strerror(&e);
    zip_error_fini(&e);
    return unexpected(ErrorCode::internal, fmt::format("cannot create the zip: {}", message), zip_path.string());
  }
  constexpr time_t kEpoch1980 = 315532800;  // the zip format's earliest date: the same bytes every time
  for (const auto& entry : entries) {
    zip_source_t* source = zip_source_file(archive, entry.source.c_str(), 0, -1);
    if (source == nullptr) {
      const std::string message = zip_strerror(archive);
      zip_discard(archive);
      return unexpected(ErrorCode::internal, message, entry.source.string());
    }
    const zip_int64_t index = zip_file_add(archive, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(source);
      const std::string message = zip_strerror(archive);
      zip_discard(archive);
      return unexpected(ErrorCode::internal, message, entry.name);
    }
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
    zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), kEpoch1980, 0);
    // Unix mode in the external attributes (what unzip and Lambda read).
    zip_file_set_external_attributes(archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                     static_cast<zip_uint32_t>((0100000U | entry.mode) << 16));
  }
  if (zip_close(archive) != 0) {
    const std::string message = zip_strerror(archive);
    zip_discard(archive);
    return unexpected(ErrorCode::internal, fmt::format("cannot write the zip: {}", message), zip_path.string());
  }
  return {};
}

namespace {

// Whether `stamp` ("<binary sha256> <zip sha256> <bootstrap sha256>", written
// by the last package) names this build and the zip and bootstrap are still
// its outputs; then fills in `p` from them.
bool reuse_last_outputs(Package& p, const fs::path& stamp, const std::string& built_digest) {
  std::ifstream last(stamp);
  std::string binary_was, zip_was, bootstrap_was;
  if (!(last >> binary_was >> zip_was >> bootstrap_was) || binary_was != built_digest || !fs::exists(p.debug_file)) return false;
  auto zip_is = sha256_file(p.zip);
  auto bootstrap_is = sha256_file(p.bootstrap);
  if (!zip_is || *zip_is != zip_was || !bootstrap_is || *bootstrap_is != bootstrap_was) return false;
  std::error_code ec;
  p.sha256 = zip_was;
  p.zip_bytes = fs::file_size(p.zip, ec);
  p.bootstrap_bytes = fs::file_size(p.bootstrap, ec);
  p.reused = true;
  return true;
}

}  // namespace

Result<Package> package(const PackageOptions& options) {
  project::BuildOptions build = options.build;
  std::error_code ec;
  const fs::path dir = fs::absolute(build.dir, ec).lexically_normal();
  if (build.build_dir.empty()) build.build_dir = dir / ".gust" / "package-build";
  build.build_type = "Release";
  build.cmake_args.push_back("-DGUST_STATIC_APPS=ON");
  auto built = project::build(build);
  if (!built) return Unexpected{std::move(built).error()};

  Package p;
  p.app = built->name;
  const fs::path out = options.out_dir.empty() ? dir / ".gust" / "package" : options.out_dir;
  fs::create_directories(out, ec);
  p.bootstrap = out / "bootstrap";
  p.debug_file = out / (p.app + ".debug");
  p.zip = out / (p.app + ".zip");
  auto arch = elf_architecture(built->binary);
  if (!arch) return Unexpected{std::move(arch).error()};
  p.architecture = *arch;

  // The same build as last time: its outputs stand (stripping and deflating
  // again are most of an unchanged deploy's time).
  auto built_digest = sha256_file(built->binary);
  if (!built_digest) return Unexpected{std::move(built_digest).error()};
  const fs::path stamp = out / (p.app + ".built");
  if (reuse_last_outputs(p, stamp, *built_digest)) return p;
  fs::remove(stamp, ec);

  // Debug symbols stay beside the zip; the shipped binary points at them by name.
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {"objcopy", "--only-keep-debug", built->binary.string(), p.debug_file.string()},
           {"objcopy", "--strip-all", "--add-gnu-debuglink=" + p.debug_file.string(), built->binary.string(), p.bootstrap.string()}}) {
    auto r = project::run_process(argv, {.merge_stderr = true});
    if (!r) return Unexpected{std::move(r).error()};
    if (r->exit_code != 0) return unexpected(ErrorCode::internal, fmt::format("{} failed: {}", argv[0], r->out), "install binutils");
  }
  fs::permissions(p.bootstrap, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                                   fs::perms::others_exec, ec);
  auto zipped = write_reproducible_zip(p.zip, {{"bootstrap", p.bootstrap, 0755}});
  if (!zipped) return Unexpected{std::move(zipped).error()};
  auto digest = sha256_file(p.zip);
  if (!digest) return Unexpected{std::move(digest).error()};
  p.sha256 = *digest;
  p.zip_bytes = fs::file_size(p.zip, ec);
  p.bootstrap_bytes = fs::file_size(p.bootstrap, ec);
  auto bootstrap_digest = sha256_file(p.bootstrap);
  if (!bootstrap_digest) return Unexpected{std::move(bootstrap_digest).error()};
  std::ofstream(stamp) << *built_digest << ' ' << p.sha256 << ' ' << *bootstrap_digest << '\n';
  return p;
}

}  // namespace gust::deploy
