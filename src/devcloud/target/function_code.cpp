#include "devcloud/target/function_code.hpp"

#include "devcloud/services/aws_common.hpp"
#include "devcloud/target/internal_request.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <fstream>
#include <memory>

namespace gust::devcloud::target {
namespace fs = std::filesystem;
namespace {

// "NoSuchKey" and its message, from an S3 XML error body.
std::string xml_member(const std::string& body, std::string_view tag) {
  const auto open = body.find(fmt::format("<{}>", tag));
  const auto close = body.find(fmt::format("</{}>", tag));
  if (open == std::string::npos || close == std::string::npos) return {};
  return body.substr(open + tag.size() + 2, close - open - tag.size() - 2);
}

Result<void> unzip(const std::string& bytes, const fs::path& dir) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = source == nullptr ? nullptr : zip_open_from_source(source, ZIP_RDONLY, &error);
  if (archive == nullptr) {
    if (source != nullptr) zip_source_free(source);
    zip_error_fini(&error);
    return unexpected(ErrorCode::invalid_argument, "Could not unzip uploaded file. Please check your file, then try to upload again.");
  }
  std::unique_ptr<zip_t, decltype(&zip_discard)> guard(archive, &zip_discard);
  const zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) continue;
    const std::string entry(name);
    if (entry.find("..") != std::string::npos || entry.starts_with('/')) continue;  // never outside the folder
    const fs::path out = dir / entry;
    if (entry.ends_with('/')) {
      fs::create_directories(out);
      continue;
    }
    fs::create_directories(out.parent_path());
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0), &zip_fclose);
    if (!file) return unexpected(ErrorCode::invalid_argument, "Could not unzip uploaded file. Please check your file, then try to upload again.");
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    char buffer[65536];
    for (zip_int64_t n; (n = zip_fread(file.get(), buffer, sizeof buffer)) > 0;) f.write(buffer, n);
    f.close();
    zip_uint8_t opsys = 0;
    zip_uint32_t attributes = 0;
    zip_file_get_external_attributes(archive, static_cast<zip_uint64_t>(i), 0, &opsys, &attributes);
    const unsigned mode = opsys == ZIP_OPSYS_UNIX ? (attributes >> 16) & 0777 : 0644;
    fs::permissions(out, static_cast<fs::perms>(mode == 0 ? 0644 : mode));
  }
  return {};
}

}  // namespace

Result<fs::path> unpack_function_code(localaws::S3Service& s3, const std::string& bucket, const std::string& key, const fs::path& root,
                                      const std::string& region) {
  auto response = localaws::call(s3, internal_request("GET", "/" + localaws::url_encode(bucket) + "/" + localaws::url_encode(key, true), "s3", region));
  if (response.status != 200) {
    return unexpected(ErrorCode::invalid_argument,
                      fmt::format("Error occurred while GetObject. S3 Error Code: {}. S3 Error Message: {}", xml_member(response.body, "Code"),
                                  xml_member(response.body, "Message")));
  }
  // One folder per content: an unchanged package is unpacked once, and instances of the old code keep theirs.
  const fs::path dir = root / localaws::md5_hex(response.body);
  if (fs::exists(dir / ".complete")) return dir;
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return unexpected(ErrorCode::internal, fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  auto unpacked = unzip(response.body, dir);
  if (!unpacked) return Unexpected{std::move(unpacked).error()};
  std::ofstream(dir / ".complete") << key << "\n";
  return dir;
}

}  // namespace gust::devcloud::target
