#include "deploy/deploy.hpp"

#include "aws/crypto.hpp"
#include "aws/endpoints.hpp"
#include "aws/s3.hpp"
#include "deploy/bootstrap.hpp"
#include "project/project.hpp"
#include "synth/synth.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace gust::deploy {
namespace {

Result<std::string> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return unexpected(ErrorCode::not_found, fmt::format("cannot read {}", file.string()), "run `gust package` again");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Uploads `body` unless an object is already there under this content-addressed key.
Result<bool> upload_once(const aws::S3Client& s3, std::string_view bucket, std::string_view key, std::string_view body,
                         std::string_view content_type) {
  auto head = s3.head_object(bucket, key);
  if (head) return false;
  if (head.error().code != ErrorCode::not_found) return Unexpected{std::move(head).error()};
  gust::detail::PutObjectSpec spec;
  spec.content_type = std::string(content_type);
  auto put = s3.put_object(bucket, key, body, spec);  // multipart above the client's threshold
  if (!put) return Unexpected{std::move(put).error()};
  return true;
}

}  // namespace

std::string object_url(const Target& target, std::string_view bucket, std::string_view key) {
  aws::S3Client s3(target.config);
  const auto& endpoint = s3.aws().endpoint();
  if (endpoint && endpoint->configured) {
    std::string base = http::origin_url(endpoint->url.origin) + endpoint->url.path;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return fmt::format("{}/{}/{}", base, aws::uri_encode(bucket), aws::uri_encode(key, true));
  }
  return fmt::format("https://{}.s3.{}.{}/{}", bucket, target.region, aws::dns_suffix(target.region), aws::uri_encode(key, true));
}

std::vector<aws::StackOutput> ordered_outputs(const aws::Stack& stack) {
  std::vector<aws::StackOutput> out;
  for (const auto& o : stack.outputs)
    if (o.key == "ApiUrl") out.push_back(o);
  for (const auto& o : stack.outputs)
    if (o.key != "ApiUrl") out.push_back(o);
  return out;
}

Result<DeployResult> deploy(const Target& target, const DeployOptions& options, Sink& sink) {
  aws::CloudFormationClient cfn(target.config);
  auto bucket = find_deployment_bucket(cfn, target);
  if (!bucket) return Unexpected{std::move(bucket).error()};

  DeployResult result;
  auto package = deploy::package(options.package);
  if (!package) return Unexpected{std::move(package).error()};
  result.package = *package;
  result.app = package->app;
  result.stack_name = stack_name(package->app, options.stage);
  sink.step(fmt::format("packaged {} ({}, {:.2f} MB)", package->app, package->architecture, package->zip_bytes / 1e6));

  // The packaged binary describes itself: the manifest of exactly what ships.
  auto manifest = project::load_manifest(package->bootstrap);
  if (!manifest) return Unexpected{std::move(manifest).error()};
  // The code was built for this machine: a function declared for another
  // architecture would fail to start ("exec format error"), so it runs on this one.
  std::string moved;
  for (auto& fn : manifest->functions) {
    if (fn.options.architecture == package->architecture) continue;
    moved += fmt::format("{}{} ({})", moved.empty() ? "" : ", ", fn.id, fn.options.architecture);
    fn.options.architecture = package->architecture;
  }
  if (!moved.empty())
    sink.step(fmt::format("note: the package is {}, so these functions run as {}: {}", package->architecture,
                          package->architecture, moved));
  synth::SynthOptions synth_options;
  synth_options.stage = options.stage;
  auto document = synth::synthesize(*manifest, synth_options);
  if (!document) {
    Error e = std::move(document).error();
    const std::string source = synth::declared_at(*manifest, e.context);
    e.message = fmt::format("the app's manifest: {}: {}", e.context, e.message);
    e.context = source.empty() ? std::string() : "declared at " + source;
    return Unexpected{std::move(e)};
  }

  aws::S3Client s3(target.config);
  auto zip = read_file(package->zip);
  if (!zip) return Unexpected{std::move(zip).error()};
  result.artifact_key = fmt::format("{}/{}.zip", package->app, package->sha256);
  auto uploaded = upload_once(s3, *bucket, result.artifact_key, *zip, "application/zip");
  if (!uploaded) return Unexpected{std::move(uploaded).error()};
  result.artifact_uploaded = *uploaded;
  sink.step(*uploaded ? fmt::format("uploaded s3://{}/{}", *bucket, result.artifact_key)
                      : fmt::format("package unchanged (s3://{}/{})", *bucket, result.artifact_key));

  StackSpec spec;
  spec.stack_name = result.stack_name;
  spec.template_body = to_json_text(*document);
  spec.parameters = {{"ArtifactBucket", *bucket}, {"ArtifactKey", result.artifact_key}};
  spec.tags = {{"gust:app", package->app}, {"gust:stage", options.stage}};
  spec.description = fmt::format("gust deploy {} ({})", package->app, options.stage);
  if (spec.template_body.size() > kMaxInlineTemplateBytes) {
    const std::string key = fmt::format("{}/templates/{}.json", package->app, aws::sha256_hex(spec.template_body));
    auto up = upload_once(s3, *bucket, key, spec.template_body, "application/json");
    if (!up) return Unexpected{std::move(up).error()};
    spec.template_url = object_url(target, *bucket, key);
    result.template_by_url = true;
  }

  ApplyOptions apply;
  apply.execute = options.execute;
  apply.max_wait = options.max_wait;
  auto applied = apply_stack(cfn, spec, apply, sink);
  if (!applied) return Unexpected{std::move(applied).error()};
  result.apply = *std::move(applied);
  return result;
}

}  // namespace gust::deploy
