// The HTTP API: one API per app with the `$default` stage deploying every
// change, and per route an AWS_PROXY integration (payload 2.0), the route,
// and the permission for this API to invoke the function on that route only.
#include "synth/logical_ids.hpp"
#include "synth/template_builder.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace gust::synth {
namespace {

constexpr int kMaxIntegrationTimeoutMs = 30000;

}  // namespace

void add_http_api(TemplateBuilder& b) {
  Value api;
  api["Name"] = sub("${AWS::StackName}");
  api["ProtocolType"] = "HTTP";
  api["Description"] = fmt::format("{} {}", b.manifest.app, b.options.stage);
  api["Tags"] = b.tag_map();
  b.add(std::string(kHttpApiId), "AWS::ApiGatewayV2::Api", std::move(api));
  Value stage;
  stage["ApiId"] = cfn_ref(kHttpApiId);
  stage["StageName"] = "$default";
  stage["AutoDeploy"] = true;
  b.add(std::string(kHttpApiStageId), "AWS::ApiGatewayV2::Stage", std::move(stage));
  b.output("ApiUrl", get_att(kHttpApiId, "ApiEndpoint"), "The HTTP API's URL");
}

void add_route(TemplateBuilder& b, const manifest::Function& fn) {
  const auto& t = fn.trigger;
  const std::string integration = integration_id(fn.id);
  Value i;
  i["ApiId"] = cfn_ref(kHttpApiId);
  i["IntegrationType"] = "AWS_PROXY";
  i["IntegrationUri"] = get_att(function_id(fn.id), "Arn");
  i["PayloadFormatVersion"] = "2.0";
  // A little over the function's timeout so its own timeout error reaches the client (API maximum 30 s).
  i["TimeoutInMillis"] = std::min(kMaxIntegrationTimeoutMs, fn.options.timeout_seconds * 1000 + 500);
  b.add(integration, "AWS::ApiGatewayV2::Integration", std::move(i));

  Value route;
  route["ApiId"] = cfn_ref(kHttpApiId);
  route["RouteKey"] = fmt::format("{} {}", t.method, t.path);
  route["Target"] = sub(fmt::format("integrations/${{{}}}", integration));
  b.add(route_id(fn.id), "AWS::ApiGatewayV2::Route", std::move(route));

  // execute-api ARNs are API/STAGE/METHOD/PATH, with the route's path as
  // declared ("{id}" included): this function serves only its own route.
  add_invoke_permission(
      b, api_permission_id(fn.id), fn, "apigateway.amazonaws.com",
      sub(fmt::format("arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{}}}/*/*{}", kHttpApiId, t.path)),
      false);
}

}  // namespace gust::synth
