#pragma once
// DynamoDB expressions (conditions, filters, updates) with the values and
// attribute names their placeholders stand for: ":v" for a value, "#n" for
// an attribute name (needed for reserved words such as `name` or `status`).
//
//   todos.put(todo, gust::Expression{"attribute_not_exists(id) OR #v < :v"}.name("#v", "version").value(":v", 3));
//   todos.update({id}, gust::Update{"SET done = :d ADD edits :one"}.value(":d", true).value(":one", 1)
//                          .when("attribute_exists(id)"));

#include <gust/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace gust {

namespace detail {
// value()/name() for Expression and Update, returning the derived type so calls chain.
template <class Derived>
class Placeholders {
 public:
  // ":v" -> a value (a record field, a number, a string, ...).
  Derived& value(std::string placeholder, Value v) & {
    values_.emplace_back(std::move(placeholder), std::move(v));
    return static_cast<Derived&>(*this);
  }
  Derived&& value(std::string placeholder, Value v) && { return std::move(value(std::move(placeholder), std::move(v))); }
  // "#n" -> an attribute name.
  Derived& name(std::string placeholder, std::string attribute) & {
    names_.emplace_back(std::move(placeholder), std::move(attribute));
    return static_cast<Derived&>(*this);
  }
  Derived&& name(std::string placeholder, std::string attribute) && {
    return std::move(name(std::move(placeholder), std::move(attribute)));
  }

  const std::vector<std::pair<std::string, std::string>>& names() const { return names_; }
  const std::vector<std::pair<std::string, Value>>& values() const { return values_; }

 private:
  std::vector<std::pair<std::string, std::string>> names_;
  std::vector<std::pair<std::string, Value>> values_;
};
}  // namespace detail

// A condition or filter expression. Empty means "none".
class Expression : public detail::Placeholders<Expression> {
 public:
  Expression() = default;
  Expression(std::string text) : text_(std::move(text)) {}  // NOLINT: implicit by design
  Expression(const char* text) : text_(text) {}             // NOLINT
  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }

 private:
  std::string text_;
};

// An update expression ("SET a = :a REMOVE b ADD n :one"), optionally
// guarded by a condition; both share one set of placeholders.
class Update : public detail::Placeholders<Update> {
 public:
  Update(std::string expression) : text_(std::move(expression)) {}  // NOLINT: implicit by design
  Update(const char* expression) : text_(expression) {}             // NOLINT
  // Applies the update only when `condition` holds; else ErrorCode::failed_precondition.
  Update& when(std::string condition) & {
    condition_ = std::move(condition);
    return *this;
  }
  Update&& when(std::string condition) && { return std::move(when(std::move(condition))); }

  const std::string& text() const { return text_; }
  const std::string& condition() const { return condition_; }

 private:
  std::string text_;
  std::string condition_;
};

}  // namespace gust
