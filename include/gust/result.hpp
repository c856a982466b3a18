#pragma once
// gust::Result<T>: a value or a gust::Error, with std::expected's member names
// so that a later switch to std::expected is an alias. Two styles of use:
//
//   if (auto t = todos.get(id)) return Response::json(*t);   // checked
//   auto t = todos.get(id).value();                          // throws BadResultAccess

#include <gust/error.hpp>

#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace gust {

// Thrown by Result::value() on an error; carries the error.
class BadResultAccess : public std::runtime_error {
 public:
  explicit BadResultAccess(Error error);
  const Error& error() const noexcept { return error_; }

 private:
  Error error_;
};

// Wraps an Error so that `return unexpected(err)` reads like std::expected.
struct Unexpected {
  Error error;
};
inline Unexpected unexpected(Error error) { return Unexpected{std::move(error)}; }
inline Unexpected unexpected(ErrorCode code, std::string message, std::string context = {}) {
  return Unexpected{Error{code, std::move(message), std::move(context), {}}};
}

template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;
  using error_type = Error;

  Result() requires std::is_default_constructible_v<T> : state_(std::in_place_index<0>) {}
  Result(const T& v) : state_(std::in_place_index<0>, v) {}               // NOLINT: implicit
  Result(T&& v) : state_(std::in_place_index<0>, std::move(v)) {}         // NOLINT: implicit
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, T> &&
             !std::is_same_v<std::remove_cvref_t<U>, Result> &&
             !std::is_same_v<std::remove_cvref_t<U>, Unexpected>)
  Result(U&& v) : state_(std::in_place_index<0>, std::forward<U>(v)) {}  // NOLINT: implicit
  Result(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { check(); return std::get<0>(state_); }
  const T& value() const& { check(); return std::get<0>(state_); }
  T&& value() && { check(); return std::get<0>(std::move(state_)); }
  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(state_) : static_cast<T>(std::forward<U>(fallback));
  }

  T& operator*() & { return std::get<0>(state_); }
  const T& operator*() const& { return std::get<0>(state_); }
  T&& operator*() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &std::get<0>(state_); }
  const T* operator->() const { return &std::get<0>(state_); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

  // Monadic helpers under std::expected's names (g++ 12 lacks them there).
  template <class F>
  auto and_then(F&& f) & -> std::invoke_result_t<F, T&> {
    if (has_value()) return std::forward<F>(f)(**this);
    return Unexpected{error()};
  }
  template <class F>
  auto transform(F&& f) & -> Result<std::invoke_result_t<F, T&>> {
    if (has_value()) return std::forward<F>(f)(**this);
    return Unexpected{error()};
  }

 private:
  void check() const {
    if (!has_value()) throw BadResultAccess(std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;
  using error_type = Error;

  Result() = default;
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT: implicit

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const {
    if (!ok_) throw BadResultAccess(error_);
  }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace gust
