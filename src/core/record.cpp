// The non-template parts of record decoding: paths, messages, number ranges.
#include <gust/record.hpp>

#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace gust {

bool DecodeContext::fail(std::string message) {
  if (!failed_) {
    failed_ = true;
    first_message_ = std::move(message);
    first_path_ = path_;
  }
  return false;
}

bool DecodeContext::type_mismatch(std::string_view expected, const Value& got) {
  return fail(fmt::format("expected {}, got {}", expected, kind_name(got.kind())));
}

Error DecodeContext::error() const {
  std::string path = first_path_;
  if (!path.empty() && path.front() == '.') path.erase(0, 1);
  return Error{ErrorCode::invalid_argument, first_message_, path.empty() ? std::string("(document)") : path, {}};
}

bool Codec<Bytes>::decode(const Value& v, Bytes& out, DecodeContext& ctx) {
  if (v.kind() == Value::Kind::binary) {
    out = v.as_bytes();
    return true;
  }
  if (v.kind() != Value::Kind::string) return ctx.type_mismatch("base64 string", v);
  auto decoded = base64_decode(v.as_string());
  if (!decoded) return ctx.fail(decoded.error().message);
  out.data = std::move(*decoded);
  return true;
}

bool Codec<Decimal>::decode(const Value& v, Decimal& out, DecodeContext& ctx) {
  Result<Decimal> d = Decimal{};
  switch (v.kind()) {
    case Value::Kind::decimal: out = v.as_decimal(); return true;
    case Value::Kind::integer: out = Decimal(v.as_int()); return true;
    case Value::Kind::unsigned_integer: out = Decimal(v.as_uint()); return true;
    case Value::Kind::number: d = Decimal::from_double(v.as_double()); break;
    // JSON senders often quote numbers a double would round ("12345678901234567890.5").
    case Value::Kind::string: d = Decimal::parse(v.as_string()); break;
    default: return ctx.type_mismatch("number", v);
  }
  if (!d) return ctx.fail(d.error().message);
  out = *std::move(d);
  return true;
}

namespace detail {

std::string index_segment(std::size_t i) { return fmt::format("[{}]", i); }
std::string key_segment(std::string_view key) { return fmt::format(".{}", key); }

bool decode_integer(const Value& v, std::int64_t min, std::uint64_t max, std::int64_t& signed_out,
                    std::uint64_t& unsigned_out, bool is_signed, DecodeContext& ctx) {
  auto out_of_range = [&] { return ctx.fail(fmt::format("number out of range [{}, {}]", min, max)); };
  switch (v.kind()) {
    case Value::Kind::integer: {
      const std::int64_t i = v.as_int();
      if (i < min || (i > 0 && static_cast<std::uint64_t>(i) > max)) return out_of_range();
      signed_out = i;
      unsigned_out = static_cast<std::uint64_t>(i);
      return true;
    }
    case Value::Kind::unsigned_integer: {
      const std::uint64_t u = v.as_uint();
      if (u > max) return out_of_range();
      signed_out = static_cast<std::int64_t>(u);
      unsigned_out = u;
      return true;
    }
    case Value::Kind::number: {
      const double d = v.as_double();
      if (std::trunc(d) != d) return ctx.fail(fmt::format("expected an integer, got {}", d));
      if (d < static_cast<double>(min) || d > static_cast<double>(max)) return out_of_range();
      if (is_signed) {
        signed_out = static_cast<std::int64_t>(d);
      } else {
        unsigned_out = static_cast<std::uint64_t>(d);
      }
      return true;
    }
    case Value::Kind::decimal: {
      const Decimal& d = v.as_decimal();
      if (!d.is_integer()) return ctx.fail(fmt::format("expected an integer, got {}", d.to_string()));
      const std::string& text = d.to_string();
      const char* const end = text.data() + text.size();
      // Decimals hold only whole numbers beyond 64 bits, but one built by hand may be small.
      const auto whole = [&](auto& n) {
        const auto [p, ec] = std::from_chars(text.data(), end, n);
        return ec == std::errc{} && p == end;
      };
      if (std::int64_t i = 0; whole(i)) {
        if (i < min || (i > 0 && static_cast<std::uint64_t>(i) > max)) return out_of_range();
        signed_out = i;
        unsigned_out = static_cast<std::uint64_t>(i);
        return true;
      }
      if (std::uint64_t u = 0; whole(u) && u <= max) {
        signed_out = static_cast<std::int64_t>(u);
        unsigned_out = u;
        return true;
      }
      return out_of_range();
    }
    default:
      return ctx.type_mismatch("number", v);
  }
}

bool decode_double(const Value& v, double& out, DecodeContext& ctx) {
  switch (v.kind()) {
    case Value::Kind::integer: out = static_cast<double>(v.as_int()); return true;
    case Value::Kind::unsigned_integer: out = static_cast<double>(v.as_uint()); return true;
    case Value::Kind::number: out = v.as_double(); return true;
    case Value::Kind::decimal: out = v.as_decimal().nearest_double(); return true;  // rounds, like any double field
    default: return ctx.type_mismatch("number", v);
  }
}

}  // namespace detail
}  // namespace gust
