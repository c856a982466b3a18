#include "devcloud/services/ddb_expression.hpp"

#include "devcloud/services/ddb_errors.hpp"
#include "devcloud/services/ddb_number.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace gust::localaws::ddb {

std::string path_text(const Path& path) {
  std::string out = "[";
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i) out += ", ";
    out += path[i].is_index() ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return out + "]";
}

void ExpressionInputs::check_all_used() const {
  auto unused = [](const json::object* given, const std::set<std::string>& used) {
    std::string keys;
    if (!given) return keys;
    for (const auto& [k, v] : *given) {
      if (!used.count(std::string(k))) keys += (keys.empty() ? "" : ", ") + std::string(k);
    }
    return keys;
  };
  if (auto keys = unused(names_, used_names); !keys.empty()) {
    throw validation_error("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + keys + "}");
  }
  if (auto keys = unused(values_, used_values); !keys.empty()) {
    throw validation_error("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + keys + "}");
  }
}

namespace {

// ------------------------------------------------------------------ tokens

struct Token {
  enum class Type { ident, name_ref, value_ref, number, punct, bad, eof };
  Type type = Type::eof;
  std::string text;
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    Token t;
    t.begin = i;
    if (i >= s.size()) {
      t.type = Token::Type::eof;
      t.text = "<EOF>";
      t.end = i;
      out.push_back(t);
      return out;
    }
    const char c = s[i];
    std::size_t j = i + 1;
    if (std::isalpha(static_cast<unsigned char>(c))) {
      while (j < s.size() && word_char(s[j])) ++j;
      t.type = Token::Type::ident;
    } else if ((c == '#' || c == ':') && j < s.size() && word_char(s[j])) {
      while (j < s.size() && word_char(s[j])) ++j;
      t.type = c == '#' ? Token::Type::name_ref : Token::Type::value_ref;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      t.type = Token::Type::number;
    } else if ((c == '<' || c == '>') && j < s.size() && (s[j] == '=' || (c == '<' && s[j] == '>'))) {
      ++j;
      t.type = Token::Type::punct;
    } else if (std::string_view("=<>()[],.+-").find(c) != std::string_view::npos) {
      t.type = Token::Type::punct;
    } else {
      // One whole UTF-8 character.
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      t.type = Token::Type::bad;
    }
    t.end = j;
    t.text = std::string(s.substr(i, j - i));
    out.push_back(t);
    i = j;
  }
}

bool keyword(const Token& t, std::string_view word) {
  if (t.type != Token::Type::ident || t.text.size() != word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(t.text[i])) != word[i]) return false;
  }
  return true;
}

// ------------------------------------------------------------------ parser

// Semantic errors are collected while parsing and reported by priority once
// the whole expression parsed, as DynamoDB does (a syntax error wins over all).
class Errors {
 public:
  void add(const std::string& category, std::string message) {
    if (!by_category_.count(category)) by_category_[category] = std::move(message);
  }
  std::optional<std::string> first(std::initializer_list<const char*> order) const {
    for (const char* c : order) {
      auto it = by_category_.find(c);
      if (it != by_category_.end()) return it->second;
    }
    return std::nullopt;
  }

 private:
  std::map<std::string, std::string> by_category_;
};

class Parser {
 public:
  Parser(std::string_view text, std::string_view kind, ExpressionInputs& inputs)
      : text_(text), kind_(kind), inputs_(inputs), tokens_(tokenize(text)) {}

  [[noreturn]] void syntax_error() const {
    const Token& bad = tokens_[pos_];
    const std::size_t from = pos_ > 0 ? tokens_[pos_ - 1].begin : bad.begin;
    const std::size_t to = pos_ + 1 < tokens_.size() ? tokens_[pos_ + 1].end : bad.end;
    std::string near(text_.substr(from, to - from));
    throw validation_error("Invalid " + std::string(kind_) + ": Syntax error; token: \"" + bad.text + "\", near: \"" + near + "\"");
  }
  [[noreturn]] void fail(const std::string& message) const { throw validation_error("Invalid " + std::string(kind_) + ": " + message); }

  const Token& peek(std::size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  bool at_punct(std::string_view p, std::size_t ahead = 0) const {
    const auto& t = peek(ahead);
    return t.type == Token::Type::punct && t.text == p;
  }
  void expect_punct(std::string_view p) {
    if (!at_punct(p)) syntax_error();
    ++pos_;
  }
  bool at_end() const { return peek().type == Token::Type::eof; }
  void expect_end() {
    if (!at_end()) syntax_error();
  }

  // path := element ('.' element | '[' number ']')*
  bool at_path_start() const {
    const auto& t = peek();
    return t.type == Token::Type::ident || t.type == Token::Type::name_ref;
  }
  Path parse_path() {
    Path path;
    path.push_back(PathStep{parse_element(), -1});
    while (true) {
      if (at_punct(".")) {
        ++pos_;
        if (!at_path_start()) syntax_error();
        path.push_back(PathStep{parse_element(), -1});
      } else if (at_punct("[")) {
        ++pos_;
        if (peek().type != Token::Type::number) syntax_error();
        const std::string digits = peek().text;
        ++pos_;
        expect_punct("]");
        long long index = 0;
        for (char c : digits) index = std::min<long long>(index * 10 + (c - '0'), 1LL << 40);
        path.push_back(PathStep{{}, index});
      } else {
        break;
      }
    }
    if (path.size() > 1) nested_heads.insert(path.front().name);
    return path;
  }
  std::string parse_element() {
    const Token t = peek();
    ++pos_;
    if (t.type == Token::Type::ident) {
      if (is_reserved_word(t.text)) errors.add("reserved", "Attribute name is a reserved keyword; reserved keyword: " + t.text);
      return t.text;
    }
    // #name
    const auto* names = inputs_.names();
    const json::value* v = names ? names->if_contains(t.text) : nullptr;
    if (!v || !v->is_string()) {
      errors.add("attrName", "An expression attribute name used in the document path is not defined; attribute name: " + t.text);
      return t.text;
    }
    inputs_.used_names.insert(t.text);
    return std::string(v->get_string());
  }
  Expr parse_value_ref() {
    const Token t = peek();
    ++pos_;
    Expr e;
    e.kind = Expr::Kind::value;
    const auto* values = inputs_.values();
    const json::value* v = values ? values->if_contains(t.text) : nullptr;
    if (!v) {
      errors.add("attrVal", "An expression attribute value used in expression is not defined; attribute value: " + t.text);
      e.value = json::object{{"NULL", true}};
      e.op = "undefined";
      return e;
    }
    inputs_.used_values.insert(t.text);
    e.value = *v;
    return e;
  }

  // ---- condition grammar
  // An expression node of `kind` over `args`.
  static Expr node(Expr::Kind kind, std::vector<Expr> args, std::string op = {}) {
    Expr e;
    e.kind = kind;
    e.op = std::move(op);
    e.args = std::move(args);
    return e;
  }
  static Expr path_node(Path path) {
    Expr e;
    e.kind = Expr::Kind::path;
    e.path = std::move(path);
    return e;
  }
  // Left-associative chains of one keyword: a OR b OR c, a AND b AND c.
  Expr parse_chain(std::string_view word, Expr::Kind kind, Expr (Parser::*next)()) {
    Expr left = (this->*next)();
    while (keyword(peek(), word)) {
      ++pos_;
      Expr right = (this->*next)();
      check_misused_size(left);
      check_misused_size(right);
      std::vector<Expr> args;
      args.push_back(std::move(left));
      args.push_back(std::move(right));
      left = node(kind, std::move(args));
    }
    return left;
  }
  Expr parse_or() { return parse_chain("OR", Expr::Kind::or_, &Parser::parse_and); }
  Expr parse_and() { return parse_chain("AND", Expr::Kind::and_, &Parser::parse_not); }
  Expr parse_not() {
    if (keyword(peek(), "NOT")) {
      ++pos_;
      Expr inner = parse_not();
      check_misused_size(inner);
      std::vector<Expr> args;
      args.push_back(std::move(inner));
      return node(Expr::Kind::not_, std::move(args));
    }
    return parse_primary();
  }
  Expr parse_primary() {
    if (at_punct("(")) {
      ++pos_;
      Expr inner = parse_or();
      expect_punct(")");
      if (inner.parenthesized) errors.add("parens", "The expression has redundant parentheses;");
      inner.parenthesized = true;
      return inner;
    }
    Expr left = parse_operand();
    const Token& t = peek();
    if (t.type == Token::Type::punct && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">=")) {
      const std::string op = t.text;
      ++pos_;
      Expr right = parse_operand();
      check_misused_function({&left, &right});
      Expr e;
      e.kind = Expr::Kind::compare;
      e.op = op;
      e.args.push_back(std::move(left));
      e.args.push_back(std::move(right));
      check_distinct(op, e.args);
      return e;
    }
    if (keyword(t, "BETWEEN")) {
      ++pos_;
      Expr low = parse_operand();
      if (!keyword(peek(), "AND")) syntax_error();
      ++pos_;
      Expr high = parse_operand();
      check_misused_function({&left, &low, &high});
      check_between(low, high);
      Expr e;
      e.kind = Expr::Kind::between;
      e.args.push_back(std::move(left));
      e.args.push_back(std::move(low));
      e.args.push_back(std::move(high));
      return e;
    }
    if (keyword(t, "IN")) {
      ++pos_;
      expect_punct("(");
      Expr e;
      e.kind = Expr::Kind::in;
      e.args.push_back(std::move(left));
      e.args.push_back(parse_operand());
      while (at_punct(",")) {
        ++pos_;
        e.args.push_back(parse_operand());
      }
      expect_punct(")");
      std::vector<Expr*> all;
      for (auto& a : e.args) all.push_back(&a);
      check_misused_function(all);
      return e;
    }
    // A function on its own is a condition (size() is not).
    if (left.kind != Expr::Kind::function) syntax_error();
    return left;
  }
  Expr parse_operand() {
    const Token& t = peek();
    if (t.type == Token::Type::value_ref) return parse_value_ref();
    if (t.type == Token::Type::ident && at_punct("(", 1)) return parse_function();
    if (at_path_start()) return path_node(parse_path());
    syntax_error();
  }
  Expr parse_function() {
    Expr e;
    e.kind = Expr::Kind::function;
    e.op = peek().text;
    pos_ += 2;  // name (
    if (!at_punct(")")) {
      e.args.push_back(parse_operand());
      while (at_punct(",")) {
        ++pos_;
        e.args.push_back(parse_operand());
      }
    }
    expect_punct(")");
    check_condition_function(e);
    return e;
  }

  // ---- semantic checks (conditions)
  static std::string_view static_type(const Expr& e) {
    if (e.kind == Expr::Kind::value && e.op != "undefined") return type_of(e.value);
    if (e.kind == Expr::Kind::function && e.op == "size") return "N";
    return {};
  }
  void check_misused_size(const Expr& e) {
    if (e.kind == Expr::Kind::function && e.op == "size") {
      errors.add("misusedFunction", "The function is not allowed to be used this way in an expression; function: size");
    }
  }
  void check_misused_function(std::initializer_list<Expr*> args) {
    for (auto* a : args) {
      if (a->kind == Expr::Kind::function && a->op != "size") {
        errors.add("misusedFunction", "The function is not allowed to be used this way in an expression; function: " + a->op);
      }
    }
  }
  void check_misused_function(const std::vector<Expr*>& args) {
    for (auto* a : args) {
      if (a->kind == Expr::Kind::function && a->op != "size") {
        errors.add("misusedFunction", "The function is not allowed to be used this way in an expression; function: " + a->op);
      }
    }
  }
  void check_distinct(const std::string& op, const std::vector<Expr>& args) {
    if (args.size() == 2 && args[0].kind == Expr::Kind::path && args[1].kind == Expr::Kind::path && args[0].path == args[1].path) {
      errors.add("distinct", "The first operand must be distinct from the remaining operands for this operator or function; operator: " + op +
                                 ", first operand: " + path_text(args[0].path));
    }
  }
  void check_between(const Expr& low, const Expr& high) {
    if (low.kind != Expr::Kind::value || high.kind != Expr::Kind::value || low.op == "undefined" || high.op == "undefined") return;
    const auto t1 = type_of(low.value);
    const auto t2 = type_of(high.value);
    if (t1 != t2) {
      errors.add("function", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: " +
                                 describe_value(low.value) + ", upper bound operand: AttributeValue: " + describe_value(high.value));
    } else if (compare_values(low.value, high.value) == 1) {
      errors.add("function",
                 "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: " +
                     describe_value(low.value) + ", upper bound operand: AttributeValue: " + describe_value(high.value));
    }
  }
  void check_condition_function(const Expr& e) {
    static const std::map<std::string, std::size_t, std::less<>> kArity = {
        {"attribute_exists", 1}, {"attribute_not_exists", 1}, {"attribute_type", 2}, {"begins_with", 2}, {"contains", 2}, {"size", 1}};
    auto it = kArity.find(e.op);
    if (it == kArity.end()) {
      errors.add("unknownFunction", "Invalid function name; function: " + e.op);
      return;
    }
    if (e.args.size() != it->second) {
      errors.add("operand", "Incorrect number of operands for operator or function; operator or function: " + e.op +
                                ", number of operands: " + std::to_string(e.args.size()));
      return;
    }
    for (const auto& a : e.args) {
      if (a.kind == Expr::Kind::function && a.op != "size") {
        errors.add("misusedFunction", "The function is not allowed to be used this way in an expression; function: " + a.op);
      }
    }
    check_distinct(e.op, e.args);
    const auto incorrect = [&](std::string_view type) {
      errors.add("function", "Incorrect operand type for operator or function; operator or function: " + e.op + ", operand type: " + std::string(type));
    };
    if (e.op == "attribute_exists" || e.op == "attribute_not_exists" || e.op == "attribute_type" || e.op == "size") {
      if (e.args[0].kind != Expr::Kind::path) {
        errors.add("function", "Operator or function requires a document path; operator or function: " + e.op);
        return;
      }
    }
    if (e.op == "begins_with") {
      for (const auto& a : e.args) {
        const auto t = static_type(a);
        if (!t.empty() && t != "S" && t != "B") return incorrect(t);
      }
    } else if (e.op == "attribute_type") {
      const auto t = static_type(e.args[1]);
      if (t != "S") return incorrect(t.empty() ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : t);
      const std::string name(e.args[1].value.get_object().begin()->value().get_string());
      static const std::set<std::string, std::less<>> kTypeNames = {"S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M"};
      if (!kTypeNames.count(name)) {
        errors.add("function", "Invalid attribute type name found; type: " + name + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
      }
    }
  }

  std::string condition_error() const {
    if (auto e = errors.first({"parens", "unknownFunction", "misusedFunction", "reserved"})) return *e;
    if (auto e = errors.first({"attrName", "attrVal", "operand", "distinct", "function"})) return *e;
    return {};
  }

  // ---- update grammar
  Expr parse_set_value() {
    Expr left = parse_set_operand();
    if (at_punct("+") || at_punct("-")) {
      const bool plus = peek().text == "+";
      ++pos_;
      Expr right = parse_set_operand();
      Expr e;
      e.kind = plus ? Expr::Kind::plus : Expr::Kind::minus;
      for (const Expr* a : {&left, &right}) {
        const auto t = a->kind == Expr::Kind::value && a->op != "undefined" ? type_of(a->value) : std::string_view{};
        if (!t.empty() && t != "N") {
          errors.add("function", "Incorrect operand type for operator or function; operator or function: " + std::string(plus ? "+" : "-") +
                                     ", operand type: " + std::string(t));
        }
      }
      e.args.push_back(std::move(left));
      e.args.push_back(std::move(right));
      return e;
    }
    return left;
  }
  Expr parse_set_operand() {
    const Token& t = peek();
    if (t.type == Token::Type::value_ref) return parse_value_ref();
    if (t.type == Token::Type::ident && at_punct("(", 1)) {
      Expr e;
      e.kind = Expr::Kind::function;
      e.op = t.text;
      pos_ += 2;
      if (!at_punct(")")) {
        e.args.push_back(parse_set_operand());
        while (at_punct(",")) {
          ++pos_;
          e.args.push_back(parse_set_operand());
        }
      }
      expect_punct(")");
      check_update_function(e);
      return e;
    }
    if (at_path_start()) return path_node(parse_path());
    syntax_error();
  }
  void check_update_function(const Expr& e) {
    if (e.op != "if_not_exists" && e.op != "list_append") {
      errors.add("unknownFunction", "Invalid function name; function: " + e.op);
      return;
    }
    if (e.args.size() != 2) {
      errors.add("function", "Incorrect number of operands for operator or function; operator or function: " + e.op +
                                 ", number of operands: " + std::to_string(e.args.size()));
      return;
    }
    if (e.op == "if_not_exists" && e.args[0].kind != Expr::Kind::path) {
      errors.add("function", "Operator or function requires a document path; operator or function: if_not_exists");
      return;
    }
    if (e.op == "list_append") {
      for (const auto& a : e.args) {
        const auto t = a.kind == Expr::Kind::value && a.op != "undefined" ? type_of(a.value) : std::string_view{};
        if (!t.empty() && t != "L") {
          errors.add("function", "Incorrect operand type for operator or function; operator or function: list_append, operand type: " + std::string(t));
        }
      }
    }
  }
  void check_update_path(const Path& path, std::vector<Path>& seen) {
    for (const auto& other : seen) {
      bool conflict = false;
      bool diverge = false;
      for (std::size_t i = 0; i < std::min(other.size(), path.size()); ++i) {
        if (other[i].is_index() != path[i].is_index()) {
          conflict = true;
          break;
        }
        if (!(other[i] == path[i])) {
          diverge = true;
          break;
        }
      }
      if (conflict) {
        errors.add("pathConflict", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " +
                                       path_text(other) + ", path two: " + path_text(path));
      } else if (!diverge) {
        errors.add("pathOverlap", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
                                      path_text(other) + ", path two: " + path_text(path));
      }
    }
    seen.push_back(path);
  }

  std::vector<UpdateAction> parse_update_expression() {
    std::vector<UpdateAction> actions;
    std::set<std::string> sections;
    std::vector<Path> paths;
    if (at_end()) syntax_error();
    while (!at_end()) {
      const Token& t = peek();
      std::string section;
      for (const char* s : {"SET", "REMOVE", "ADD", "DELETE"}) {
        if (keyword(t, s)) section = s;
      }
      if (section.empty()) syntax_error();
      ++pos_;
      if (!sections.insert(section).second) {
        errors.add("section", "The \"" + section + "\" section can only be used once in an update expression;");
      }
      while (true) {
        UpdateAction a;
        if (!at_path_start()) syntax_error();
        a.path = parse_path();
        check_update_path(a.path, paths);
        if (section == "SET") {
          a.kind = UpdateAction::Kind::set;
          expect_punct("=");
          a.value = parse_set_value();
        } else if (section == "REMOVE") {
          a.kind = UpdateAction::Kind::remove;
        } else {
          a.kind = section == "ADD" ? UpdateAction::Kind::add : UpdateAction::Kind::del;
          if (peek().type != Token::Type::value_ref) syntax_error();
          a.value = parse_value_ref();
          if (a.value.op != "undefined") {
            static const std::map<std::string, std::string, std::less<>> kNames = {
                {"S", "STRING"}, {"N", "NUMBER"}, {"B", "BINARY"}, {"NULL", "NULL"}, {"BOOL", "BOOLEAN"}, {"L", "LIST"}, {"M", "MAP"}};
            const auto type = type_of(a.value.value);
            auto it = kNames.find(type);
            if (it != kNames.end() && !(section == "ADD" && type == "N")) {
              errors.add("operand", "Incorrect operand type for operator or function; operator: " + section + ", operand type: " + it->second);
            }
          }
        }
        actions.push_back(std::move(a));
        if (!at_punct(",")) break;
        ++pos_;
      }
    }
    return actions;
  }

  std::string update_error() const {
    if (auto e = errors.first({"reserved", "unknownFunction", "section", "attrName", "attrVal", "pathOverlap", "pathConflict", "operand", "function"})) {
      return *e;
    }
    return {};
  }

  std::vector<Path> parse_projection_expression() {
    std::vector<Path> paths;
    std::vector<Path> seen;
    while (true) {
      if (!at_path_start()) syntax_error();
      Path p = parse_path();
      check_update_path(p, seen);
      paths.push_back(std::move(p));
      if (!at_punct(",")) break;
      ++pos_;
    }
    expect_end();
    return paths;
  }

  Errors errors;
  std::set<std::string> nested_heads;

 private:
  std::string_view text_;
  std::string_view kind_;
  ExpressionInputs& inputs_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
};

void check_not_empty(std::string_view text, std::string_view kind) {
  for (const char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return;
  }
  throw validation_error("Invalid " + std::string(kind) + ": The expression can not be empty;");
}

}  // namespace

Expr parse_condition(std::string_view text, std::string_view kind, ExpressionInputs& inputs) {
  check_not_empty(text, kind);
  Parser p(text, kind, inputs);
  Expr e = p.parse_or();
  p.expect_end();
  if (e.kind == Expr::Kind::function && e.op == "size") {
    p.errors.add("misusedFunction", "The function is not allowed to be used this way in an expression; function: size");
  }
  if (auto msg = p.condition_error(); !msg.empty()) p.fail(msg);
  return e;
}

std::vector<UpdateAction> parse_update(std::string_view text, ExpressionInputs& inputs) {
  check_not_empty(text, "UpdateExpression");
  Parser p(text, "UpdateExpression", inputs);
  auto actions = p.parse_update_expression();
  if (auto msg = p.update_error(); !msg.empty()) p.fail(msg);
  return actions;
}

std::vector<Path> parse_projection(std::string_view text, ExpressionInputs& inputs) {
  check_not_empty(text, "ProjectionExpression");
  Parser p(text, "ProjectionExpression", inputs);
  auto paths = p.parse_projection_expression();
  if (auto msg = p.errors.first({"reserved", "attrName", "pathOverlap", "pathConflict"})) p.fail(*msg);
  return paths;
}

KeyCondition parse_key_condition(std::string_view text, ExpressionInputs& inputs, const std::string& hash_key, const std::string& range_key) {
  const std::string kind = "KeyConditionExpression";
  Expr e = parse_condition(text, kind, inputs);
  auto fail = [&](const std::string& msg) -> void { throw validation_error(msg); };
  auto invalid = [&](const std::string& msg) { fail("Invalid " + kind + ": " + msg); };

  std::vector<const Expr*> conditions;
  if (e.kind == Expr::Kind::and_) {
    for (const auto& a : e.args) {
      if (a.kind == Expr::Kind::and_ || a.kind == Expr::Kind::or_ || a.kind == Expr::Kind::not_) {
        fail("KeyConditionExpressions cannot contain nested operations");
      }
      conditions.push_back(&a);
    }
  } else {
    conditions.push_back(&e);
  }
  auto op_name = [](const Expr& c) -> std::string {
    switch (c.kind) {
      case Expr::Kind::or_: return "OR";
      case Expr::Kind::not_: return "NOT";
      case Expr::Kind::in: return "IN";
      case Expr::Kind::between: return "BETWEEN";
      case Expr::Kind::function: return c.op;
      default: return c.op;
    }
  };
  KeyCondition out;
  std::map<std::string, const Expr*> by_name;
  for (const Expr* c : conditions) {
    if (c->kind == Expr::Kind::or_ || c->kind == Expr::Kind::not_ || c->kind == Expr::Kind::in ||
        (c->kind == Expr::Kind::compare && c->op == "<>") || (c->kind == Expr::Kind::function && c->op != "begins_with")) {
      fail("Invalid operator used in KeyConditionExpression: " + op_name(*c));
    }
    if ((c->kind == Expr::Kind::between || c->kind == Expr::Kind::function) && c->args[0].kind != Expr::Kind::path) {
      invalid(op_name(*c) + " operator must have the key attribute as its first operand");
    }
    std::string name;
    for (const auto& a : c->args) {
      if (a.kind == Expr::Kind::path) {
        if (!name.empty()) invalid("Multiple attribute names used in one condition");
        if (a.path.size() > 1) fail("KeyConditionExpressions cannot have conditions on nested attributes");
        name = a.path[0].name;
      }
    }
    if (name.empty()) invalid("No key attribute specified");
    if (by_name.count(name)) fail("KeyConditionExpressions must only contain one condition per key");
    by_name[name] = c;
    out.names.insert(name);
  }
  for (const auto& [name, c] : by_name) {
    if (name != hash_key && name != range_key) fail("Query condition missed key schema element: " + (name == hash_key ? range_key : hash_key));
  }
  auto hash_it = by_name.find(hash_key);
  if (hash_it == by_name.end()) fail("Query condition missed key schema element: " + hash_key);
  const Expr* h = hash_it->second;
  if (h->kind != Expr::Kind::compare || h->op != "=") fail("Query key condition not supported");
  out.hash_name = hash_key;
  out.hash_value = h->args[0].kind == Expr::Kind::value ? h->args[0].value : h->args[1].value;

  auto range_it = range_key.empty() ? by_name.end() : by_name.find(range_key);
  if (range_it != by_name.end()) {
    const Expr* r = range_it->second;
    out.range_name = range_key;
    if (r->kind == Expr::Kind::compare) {
      std::string op = r->op;
      if (r->args[0].kind != Expr::Kind::path) {
        // ":v < key" is "key > :v".
        static const std::map<std::string, std::string> kFlip = {{"=", "="}, {"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
        op = kFlip.at(op);
        out.range_value = r->args[0].value;
      } else {
        out.range_value = r->args[1].value;
      }
      out.range_op = op;
    } else if (r->kind == Expr::Kind::between) {
      out.range_op = "between";
      out.range_value = r->args[1].value;
      out.range_value2 = r->args[2].value;
    } else {
      out.range_op = "begins_with";
      out.range_value = r->args[1].value;
    }
  }
  return out;
}

// ------------------------------------------------------------------ evaluation

const json::value* find_path(const json::object& item, const Path& path) {
  if (path.empty() || path[0].is_index()) return nullptr;
  const json::value* cur = item.if_contains(path[0].name);
  for (std::size_t i = 1; cur && i < path.size(); ++i) {
    const auto type = type_of(*cur);
    const auto& inner = cur->get_object().begin()->value();
    if (path[i].is_index()) {
      if (type != "L") return nullptr;
      const auto& arr = inner.get_array();
      if (path[i].index >= static_cast<long long>(arr.size())) return nullptr;
      cur = &arr[static_cast<std::size_t>(path[i].index)];
    } else {
      if (type != "M") return nullptr;
      cur = inner.get_object().if_contains(path[i].name);
    }
  }
  return cur;
}

namespace {

// An operand's value: borrowed from the item or the expression, or computed (size).
struct Operand {
  const json::value* ptr = nullptr;
  json::value owned;
};

Operand operand(const Expr& e, const json::object& item) {
  Operand o;
  if (e.kind == Expr::Kind::path) {
    o.ptr = find_path(item, e.path);
  } else if (e.kind == Expr::Kind::value) {
    o.ptr = &e.value;
  } else if (e.kind == Expr::Kind::function && e.op == "size") {
    const json::value* v = find_path(item, e.args[0].path);
    const long long n = v ? value_size(*v) : -1;
    if (n >= 0) {
      o.owned = json::object{{"N", std::to_string(n)}};
      o.ptr = &o.owned;
    }
  }
  return o;
}

bool set_contains(const json::value& set, std::string_view type, const json::value& needle) {
  // needle must be the set's element type: SS <- S, NS <- N, BS <- B
  const auto nt = type_of(needle);
  if (nt.size() != 1 || type[0] != nt[0]) return false;
  const auto& want = needle.get_object().begin()->value().get_string();
  for (const auto& e : set.get_object().begin()->value().get_array()) {
    if (nt == "N" ? compare_numbers(e.get_string(), want) == 0 : e.get_string() == want) return true;
  }
  return false;
}

}  // namespace

bool evaluate(const Expr& e, const json::object& item) {
  switch (e.kind) {
    case Expr::Kind::and_: return evaluate(e.args[0], item) && evaluate(e.args[1], item);
    case Expr::Kind::or_: return evaluate(e.args[0], item) || evaluate(e.args[1], item);
    case Expr::Kind::not_: return !evaluate(e.args[0], item);
    case Expr::Kind::compare: {
      const Operand a = operand(e.args[0], item);
      const Operand b = operand(e.args[1], item);
      if (e.op == "<>") return !(a.ptr && b.ptr && values_equal(*a.ptr, *b.ptr));
      if (!a.ptr || !b.ptr) return false;
      if (e.op == "=") return values_equal(*a.ptr, *b.ptr);
      const int c = compare_values(*a.ptr, *b.ptr);
      if (c == kIncomparable) return false;
      if (e.op == "<") return c < 0;
      if (e.op == "<=") return c <= 0;
      if (e.op == ">") return c > 0;
      return c >= 0;
    }
    case Expr::Kind::between: {
      const Operand a = operand(e.args[0], item);
      const Operand lo = operand(e.args[1], item);
      const Operand hi = operand(e.args[2], item);
      if (!a.ptr || !lo.ptr || !hi.ptr) return false;
      const int c1 = compare_values(*a.ptr, *lo.ptr);
      const int c2 = compare_values(*a.ptr, *hi.ptr);
      return c1 != kIncomparable && c2 != kIncomparable && c1 >= 0 && c2 <= 0;
    }
    case Expr::Kind::in: {
      const Operand a = operand(e.args[0], item);
      if (!a.ptr) return false;
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        const Operand b = operand(e.args[i], item);
        if (b.ptr && values_equal(*a.ptr, *b.ptr)) return true;
      }
      return false;
    }
    case Expr::Kind::function: {
      if (e.op == "attribute_exists") return find_path(item, e.args[0].path) != nullptr;
      if (e.op == "attribute_not_exists") return find_path(item, e.args[0].path) == nullptr;
      const Operand a = operand(e.args[0], item);
      const Operand b = operand(e.args[1], item);
      if (!a.ptr || !b.ptr) return false;
      if (e.op == "attribute_type") {
        const auto& want = b.ptr->get_object().begin()->value();
        return want.is_string() && type_of(*a.ptr) == std::string_view(want.get_string());
      }
      if (e.op == "begins_with") {
        const auto ta = type_of(*a.ptr);
        if (ta != type_of(*b.ptr) || (ta != "S" && ta != "B")) return false;
        const std::string x = ta == "S" ? std::string(a.ptr->get_object().begin()->value().get_string()) : binary_bytes(*a.ptr);
        const std::string y = ta == "S" ? std::string(b.ptr->get_object().begin()->value().get_string()) : binary_bytes(*b.ptr);
        return x.compare(0, y.size(), y) == 0 && x.size() >= y.size();
      }
      if (e.op == "contains") {
        const auto ta = type_of(*a.ptr);
        if (ta == "S" || ta == "B") {
          if (type_of(*b.ptr) != ta) return false;
          const std::string x = ta == "S" ? std::string(a.ptr->get_object().begin()->value().get_string()) : binary_bytes(*a.ptr);
          const std::string y = ta == "S" ? std::string(b.ptr->get_object().begin()->value().get_string()) : binary_bytes(*b.ptr);
          return x.find(y) != std::string::npos;
        }
        if (ta == "SS" || ta == "NS" || ta == "BS") return set_contains(*a.ptr, ta, *b.ptr);
        if (ta == "L") {
          for (const auto& el : a.ptr->get_object().begin()->value().get_array()) {
            if (values_equal(el, *b.ptr)) return true;
          }
        }
        return false;
      }
      return false;
    }
    default: return false;
  }
}

namespace {

[[noreturn]] void incorrect_type() { throw validation_error("An operand in the update expression has an incorrect data type"); }

json::value resolve_set_value(const Expr& e, const json::object& item) {
  switch (e.kind) {
    case Expr::Kind::value: return e.value;
    case Expr::Kind::path: {
      const json::value* v = find_path(item, e.path);
      if (!v) throw validation_error("The provided expression refers to an attribute that does not exist in the item");
      return *v;
    }
    case Expr::Kind::plus:
    case Expr::Kind::minus: {
      const json::value a = resolve_set_value(e.args[0], item);
      if (type_of(a) != "N") incorrect_type();
      const json::value b = resolve_set_value(e.args[1], item);
      if (type_of(b) != "N") incorrect_type();
      auto x = parse_decimal(a.get_object().begin()->value().get_string());
      auto y = parse_decimal(b.get_object().begin()->value().get_string());
      Decimal r = add(*x, e.kind == Expr::Kind::plus ? *y : negate(*y));
      if (auto msg = check_range(r); !msg.empty()) throw validation_error(msg);
      return json::object{{"N", to_string(r)}};
    }
    case Expr::Kind::function: {
      if (e.op == "if_not_exists") {
        if (const json::value* v = find_path(item, e.args[0].path)) return *v;
        return resolve_set_value(e.args[1], item);
      }
      // list_append
      const json::value a = resolve_set_value(e.args[0], item);
      if (type_of(a) != "L") incorrect_type();
      const json::value b = resolve_set_value(e.args[1], item);
      if (type_of(b) != "L") incorrect_type();
      json::array out = a.get_object().begin()->value().get_array();
      for (const auto& x : b.get_object().begin()->value().get_array()) out.push_back(x);
      return json::object{{"L", std::move(out)}};
    }
    default: incorrect_type();
  }
}

[[noreturn]] void invalid_path() { throw validation_error("The document path provided in the update expression is invalid for update"); }

// The container that holds the last step of `path`, or nullptr when the path cannot be updated.
json::value* parent_of(json::object& item, const Path& path, bool& is_top) {
  is_top = path.size() == 1;
  if (is_top) return nullptr;
  Path head(path.begin(), path.end() - 1);
  const json::value* v = find_path(item, head);
  if (!v) invalid_path();
  const auto type = type_of(*v);
  if ((path.back().is_index() && type != "L") || (!path.back().is_index() && type != "M")) invalid_path();
  return const_cast<json::value*>(v);
}

std::string set_element_type(std::string_view set_type) { return std::string(set_type.substr(0, 1)); }

}  // namespace

void apply_updates(const std::vector<UpdateAction>& actions, json::object& item) {
  // SET values are computed from the item as it was before this update.
  std::vector<json::value> set_values(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (actions[i].kind == UpdateAction::Kind::set) set_values[i] = resolve_set_value(actions[i].value, item);
  }
  // List removals refer to the original positions: remove the highest first, after everything else.
  std::vector<std::pair<json::value*, long long>> list_removals;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const auto& a = actions[i];
    bool top = false;
    json::value* parent = parent_of(item, a.path, top);
    const PathStep& last = a.path.back();
    json::value* existing = nullptr;
    if (top) {
      existing = item.if_contains(last.name);
    } else if (last.is_index()) {
      auto& arr = parent->get_object().begin()->value().get_array();
      if (last.index < static_cast<long long>(arr.size())) existing = &arr[static_cast<std::size_t>(last.index)];
    } else {
      existing = parent->get_object().begin()->value().get_object().if_contains(last.name);
    }
    auto put = [&](json::value v) {
      if (top) {
        item[last.name] = std::move(v);
      } else if (last.is_index()) {
        auto& arr = parent->get_object().begin()->value().get_array();
        if (last.index < static_cast<long long>(arr.size())) {
          arr[static_cast<std::size_t>(last.index)] = std::move(v);
        } else {
          arr.push_back(std::move(v));  // past the end: appended, as DynamoDB does
        }
      } else {
        parent->get_object().begin()->value().get_object()[last.name] = std::move(v);
      }
    };
    auto erase = [&]() {
      if (top) {
        item.erase(last.name);
      } else if (last.is_index()) {
        list_removals.emplace_back(parent, last.index);
      } else {
        parent->get_object().begin()->value().get_object().erase(last.name);
      }
    };
    switch (a.kind) {
      case UpdateAction::Kind::set: put(std::move(set_values[i])); break;
      case UpdateAction::Kind::remove:
        if (existing) erase();
        break;
      case UpdateAction::Kind::add: {
        const json::value& v = a.value.value;
        const auto vt = type_of(v);
        if (existing && type_of(*existing) != vt) incorrect_type();
        if (vt == "N") {
          Decimal sum = *parse_decimal(v.get_object().begin()->value().get_string());
          if (existing) sum = add(*parse_decimal(existing->get_object().begin()->value().get_string()), sum);
          if (auto msg = check_range(sum); !msg.empty()) throw validation_error(msg);
          put(json::object{{"N", to_string(sum)}});
        } else {
          json::array merged = existing ? existing->get_object().begin()->value().get_array() : json::array{};
          for (const auto& e : v.get_object().begin()->value().get_array()) {
            json::value probe = json::object{{set_element_type(vt), e}};
            json::value whole = json::object{{std::string(vt), merged}};
            if (!set_contains(whole, vt, probe)) merged.push_back(e);
          }
          put(json::object{{std::string(vt), std::move(merged)}});
        }
        break;
      }
      case UpdateAction::Kind::del: {
        if (!existing) break;
        const json::value& v = a.value.value;
        const auto vt = type_of(v);
        if (type_of(*existing) != vt) incorrect_type();
        json::array kept;
        for (const auto& e : existing->get_object().begin()->value().get_array()) {
          json::value probe = json::object{{set_element_type(vt), e}};
          if (!set_contains(v, vt, probe)) kept.push_back(e);
        }
        if (kept.empty()) {
          erase();
        } else {
          put(json::object{{std::string(vt), std::move(kept)}});
        }
        break;
      }
    }
  }
  std::sort(list_removals.begin(), list_removals.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  for (auto& [parent, index] : list_removals) {
    auto& arr = parent->get_object().begin()->value().get_array();
    if (index < static_cast<long long>(arr.size())) arr.erase(arr.begin() + index);
  }
}

namespace {
struct ProjNode {
  std::map<std::string, ProjNode> fields;
  std::map<long long, ProjNode> elements;
  const json::value* leaf = nullptr;
};

json::value render(const ProjNode& n) {
  if (n.leaf) return *n.leaf;
  if (!n.elements.empty()) {
    json::array arr;
    for (const auto& [i, child] : n.elements) arr.push_back(render(child));
    return json::object{{"L", std::move(arr)}};
  }
  json::object m;
  for (const auto& [k, child] : n.fields) m[k] = render(child);
  return json::object{{"M", std::move(m)}};
}
}  // namespace

json::object project(const json::object& item, const std::vector<Path>& paths) {
  ProjNode root;
  for (const auto& p : paths) {
    const json::value* v = find_path(item, p);
    if (!v) continue;
    ProjNode* n = &root;
    for (const auto& step : p) n = step.is_index() ? &n->elements[step.index] : &n->fields[step.name];
    n->leaf = v;
  }
  json::object out;
  for (const auto& [k, child] : root.fields) out[k] = render(child);
  return out;
}

}  // namespace gust::localaws::ddb
