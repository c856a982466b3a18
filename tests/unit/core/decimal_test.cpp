#include <gust/decimal.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace gust {
namespace {

std::string canonical(std::string_view text) {
  auto d = Decimal::parse(text);
  return d ? d->to_string() : "error: " + d.error().message;
}

// DynamoDB's own canonical form (dynalite: `new Big(n).toFixed()`, our local
// DynamoDB: ddb_number.cpp): plain notation, no leading or trailing zeros.
TEST(Decimal, CanonicalisesAsDynamoDbDoes) {
  EXPECT_EQ(canonical("1E+2"), "100");
  EXPECT_EQ(canonical("1.50e1"), "15");
  EXPECT_EQ(canonical("-0.50"), "-0.5");
  EXPECT_EQ(canonical("0001.2300e-2"), "0.0123");
  EXPECT_EQ(canonical("+7"), "7");
  EXPECT_EQ(canonical(".5"), "0.5");
  EXPECT_EQ(canonical("5."), "5");
  EXPECT_EQ(canonical("-0"), "0");
  EXPECT_EQ(canonical("0e1000"), "0");
  EXPECT_EQ(canonical("-17.4E37"), "-174" + std::string(36, '0'));
  EXPECT_EQ(Decimal().to_string(), "0");
}

TEST(Decimal, AcceptsTheLimitsOfDynamoDbNumbers) {
  const std::string digits38 = "12345678901234567890123456789012345678";
  EXPECT_EQ(canonical(digits38), digits38);
  EXPECT_EQ(canonical("-" + digits38), "-" + digits38);
  EXPECT_EQ(canonical("3.1415926535897932384626433832795028841"), "3.1415926535897932384626433832795028841");
  EXPECT_EQ(canonical("1E+125"), "1" + std::string(125, '0'));
  EXPECT_EQ(canonical("-1E+125"), "-1" + std::string(125, '0'));
  const std::string nines(38, '9');
  EXPECT_EQ(canonical("9." + nines.substr(1) + "E+125"), nines + std::string(88, '0'));
  EXPECT_EQ(canonical("1E-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(canonical("-1E-130"), "-0." + std::string(129, '0') + "1");
  // Trailing zeros are not significant digits.
  EXPECT_EQ(canonical(digits38 + "000"), digits38 + "000");
}

TEST(Decimal, RejectsNumbersOutsideTheRangeSayingWhatIsAllowed) {
  for (const char* text : {"123456789012345678901234567890123456789", "1E+126", "10E+125", "1E-131", "0.9E-130",
                           "1e999999999999999999999"}) {
    auto d = Decimal::parse(text);
    ASSERT_FALSE(d) << text;
    EXPECT_EQ(d.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(d.error().message.find("at most 38 significant digits and a magnitude from 1E-130 to 9.99...E+125"),
              std::string::npos)
        << d.error().message;
  }
  EXPECT_NE(Decimal::parse("1E+126").error().message.find("too large"), std::string::npos);
  EXPECT_NE(Decimal::parse("1E-131").error().message.find("too small"), std::string::npos);
  EXPECT_NE(Decimal::parse(std::string(39, '7')).error().message.find("39 significant digits"), std::string::npos);
}

TEST(Decimal, RejectsTextThatIsNotANumber) {
  for (const char* text : {"", "-", ".", "abc", "1e", "1e+", "1.2.3", " 1", "1 ", "NaN", "Infinity", "-inf", "0x10",
                           "1,5", "--1", "e5"}) {
    auto d = Decimal::parse(text);
    ASSERT_FALSE(d) << "'" << text << "'";
    EXPECT_NE(d.error().message.find("is not a number"), std::string::npos) << d.error().message;
  }
  EXPECT_THROW(Decimal("twelve"), BadResultAccess);
}

TEST(Decimal, OrdersNumerically) {
  std::vector<Decimal> values;
  for (const char* t : {"100", "-0.001", "0", "99.999", "-12", "0.05", "1E-130", "-3", "0.5", "1E+125", "-1E+125", "12.5",
                        "12.45", "12"})
    values.emplace_back(t);
  std::sort(values.begin(), values.end());
  std::vector<std::string> texts;
  for (const auto& v : values) texts.push_back(v.to_string());
  EXPECT_EQ(texts, (std::vector<std::string>{"-1" + std::string(125, '0'), "-12", "-3", "-0.001", "0",
                                             "0." + std::string(129, '0') + "1", "0.05", "0.5", "12", "12.45", "12.5",
                                             "99.999", "100", "1" + std::string(125, '0')}));
  EXPECT_EQ(Decimal("1.0"), Decimal(1));
  EXPECT_EQ(Decimal("-2.50") <=> Decimal("-2.5"), std::strong_ordering::equal);
}

TEST(Decimal, HoldsEveryIntegerExactly) {
  EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_string(), "-9223372036854775808");
  EXPECT_EQ(Decimal(std::numeric_limits<std::uint64_t>::max()).to_string(), "18446744073709551615");
  EXPECT_EQ(Decimal(static_cast<short>(-7)).to_string(), "-7");
  EXPECT_TRUE(Decimal(42).is_integer());
  EXPECT_FALSE(Decimal("4.2").is_integer());
}

TEST(Decimal, ConversionsAreChecked) {
  EXPECT_EQ(Decimal("-42").to_int64().value(), -42);
  EXPECT_EQ(Decimal("9.223372036854775807E18").to_int64().value(), std::numeric_limits<std::int64_t>::max());
  auto fraction = Decimal("1.5").to_int64();
  ASSERT_FALSE(fraction);
  EXPECT_NE(fraction.error().message.find("not a whole number"), std::string::npos);
  auto big = Decimal("9223372036854775808").to_int64();
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("int64 range"), std::string::npos);

  EXPECT_EQ(Decimal("0.1").to_double().value(), 0.1);
  EXPECT_EQ(Decimal("1E+125").to_double().value(), 1e125);
  EXPECT_EQ(Decimal("1E-130").to_double().value(), 1e-130);
  auto precise = Decimal("3.1415926535897932384626433832795028841").to_double();
  ASSERT_FALSE(precise);
  EXPECT_NE(precise.error().message.find("nearest_double"), std::string::npos);
  EXPECT_EQ(Decimal("3.1415926535897932384626433832795028841").nearest_double(), 3.141592653589793);
}

TEST(Decimal, FromDoubleTakesTheShortestText) {
  EXPECT_EQ(Decimal::from_double(0.1).value().to_string(), "0.1");
  EXPECT_EQ(Decimal::from_double(-2.5e-7).value().to_string(), "-0.00000025");
  EXPECT_EQ(Decimal::from_double(18446744073709551616.0).value().to_string(), "18446744073709551616");
  EXPECT_EQ(Decimal::from_double(1.0 / 3.0).value().to_string(), "0.3333333333333333");
  EXPECT_FALSE(Decimal::from_double(1e300));
  EXPECT_FALSE(Decimal::from_double(std::numeric_limits<double>::quiet_NaN()));
  EXPECT_FALSE(Decimal::from_double(-std::numeric_limits<double>::infinity()));
}

}  // namespace
}  // namespace gust
