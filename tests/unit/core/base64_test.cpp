#include <gust/value.hpp>

#include <gtest/gtest.h>

namespace gust {
namespace {

// RFC 4648 section 10 test vectors.
TEST(Base64, MatchesRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  auto decoded = base64_decode(base64_encode(all));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, all);
}

TEST(Base64, RejectsForeignCharactersWithTheirOffset) {
  auto decoded = base64_decode("Zm9v!");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().context, "offset 4");
}

TEST(Base64, RejectsDataAfterPadding) { EXPECT_FALSE(base64_decode("Zg==Zg==")); }

}  // namespace
}  // namespace gust
