#include "runtime/endpoint.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace gust::runtime {
namespace {

std::string address_of(const Endpoint& e) {
  char text[INET6_ADDRSTRLEN] = {};
  if (e.address.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&e.address)->sin_addr, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&e.address)->sin6_addr, text, sizeof text);
  }
  return text;
}

TEST(ResolveEndpoint, ParsesAnIpv4Literal) {
  auto e = resolve_endpoint("127.0.0.1:9001");
  ASSERT_TRUE(e) << e.error().describe();
  EXPECT_EQ(e->port, 9001);
  EXPECT_EQ(address_of(*e), "127.0.0.1");
  EXPECT_EQ(e->host, "127.0.0.1:9001");
}

TEST(ResolveEndpoint, ParsesABracketedIpv6Literal) {
  auto e = resolve_endpoint("[::1]:8080");
  ASSERT_TRUE(e) << e.error().describe();
  EXPECT_EQ(e->address.ss_family, AF_INET6);
  EXPECT_EQ(address_of(*e), "::1");
  EXPECT_EQ(e->port, 8080);
}

TEST(ResolveEndpoint, ResolvesLocalhostWithoutAHostsFile) {
  auto e = resolve_endpoint("localhost:9001", "/nonexistent/hosts");
  ASSERT_TRUE(e) << e.error().describe();
  EXPECT_EQ(address_of(*e), "127.0.0.1");
}

TEST(ResolveEndpoint, LooksNamesUpInTheHostsFile) {
  const std::string path = ::testing::TempDir() + "/gust_hosts";
  std::ofstream(path) << "# comment\n::2 runtime-api\n10.1.2.3   other runtime-api # trailing\n";
  auto e = resolve_endpoint("Runtime-API:1234", path.c_str());
  ASSERT_TRUE(e) << e.error().describe();
  EXPECT_EQ(address_of(*e), "10.1.2.3");  // IPv4 preferred
  std::remove(path.c_str());
}

TEST(ResolveEndpoint, RejectsWhatItCannotUse) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", ":9001", "127.0.0.1:http", "127.0.0.1:0", "127.0.0.1:70000", "[::1:9001"}) {
    auto e = resolve_endpoint(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(e.error().message.find("host:port"), std::string::npos) << e.error().message;
  }
}

TEST(ResolveEndpoint, SaysWhyANameDoesNotResolve) {
  auto e = resolve_endpoint("runtime.example:9001", "/nonexistent/hosts");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message.find("does no DNS"), std::string::npos) << e.error().message;
  EXPECT_EQ(e.error().context, "AWS_LAMBDA_RUNTIME_API=runtime.example:9001");
}

}  // namespace
}  // namespace gust::runtime
