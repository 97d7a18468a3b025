// Private JSON DOM used by every parser and writer in caseload. Not API.
// Parsing enforces Limits (document size, nesting depth, string length,
// array length) and reports errors as Error(parse) with line and column.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/io.hpp"

namespace caseload::json {

class Value;
using Array = std::vector<Value>;
/// Objects keep insertion order (so output is stable and mirrors input);
/// duplicate keys are a parse error.
using Object = std::vector<std::pair<std::string, Value>>;

class Value {
 public:
  enum class Type { null, boolean, number, string, array, object };

  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : type_(Type::boolean), bool_(b) {}
  Value(double d) : type_(Type::number), num_(d) {}
  Value(int v) : type_(Type::number), num_(v) {}
  Value(int64_t v) : type_(Type::number), num_(static_cast<double>(v)) {}
  Value(std::string s) : type_(Type::string), str_(std::move(s)) {}
  Value(std::string_view s) : type_(Type::string), str_(s) {}
  Value(const char* s) : type_(Type::string), str_(s) {}
  Value(Array a) : type_(Type::array), arr_(std::make_shared<Array>(std::move(a))) {}
  Value(Object o) : type_(Type::object), obj_(std::make_shared<Object>(std::move(o))) {}

  [[nodiscard]] Type type() const noexcept { return type_; }
  [[nodiscard]] bool is_null() const noexcept { return type_ == Type::null; }
  [[nodiscard]] bool is_bool() const noexcept { return type_ == Type::boolean; }
  [[nodiscard]] bool is_number() const noexcept { return type_ == Type::number; }
  [[nodiscard]] bool is_string() const noexcept { return type_ == Type::string; }
  [[nodiscard]] bool is_array() const noexcept { return type_ == Type::array; }
  [[nodiscard]] bool is_object() const noexcept { return type_ == Type::object; }

  // Unchecked accessors: call only after checking the type.
  [[nodiscard]] bool as_bool() const noexcept { return bool_; }
  [[nodiscard]] double as_number() const noexcept { return num_; }
  [[nodiscard]] const std::string& as_string() const noexcept { return str_; }
  [[nodiscard]] const Array& as_array() const noexcept { return *arr_; }
  [[nodiscard]] const Object& as_object() const noexcept { return *obj_; }
  Array& as_array() noexcept { return *arr_; }
  Object& as_object() noexcept { return *obj_; }

  /// Member lookup on an object (nullptr when absent or not an object).
  [[nodiscard]] const Value* find(std::string_view key) const noexcept;
  /// "null", "boolean", "number", "string", "array", "object".
  [[nodiscard]] const char* type_name() const noexcept;

 private:
  Type type_ = Type::null;
  bool bool_ = false;
  double num_ = 0;
  std::string str_;
  std::shared_ptr<Array> arr_;
  std::shared_ptr<Object> obj_;
};

/// Parses one JSON document (RFC 8259; no comments, no trailing commas, no
/// NaN). Throws Error(parse) "JSON parse error at line L, column C: ..." or
/// Error(limit_exceeded).
Value parse(std::string_view text, const Limits& limits = default_limits());

/// Serialises compactly (indent < 0) or pretty-printed with `indent`
/// spaces. Numbers use the shortest text that round-trips; integers print
/// without a decimal point; NaN and infinities print as null.
std::string dump(const Value& v, int indent = -1);

/// Appends `s` as a quoted, escaped JSON string to `out`.
void append_quoted(std::string& out, std::string_view s);

// ---- Typed field access with errors that name the record and field ----
// `where` names the record, e.g. `worker "W17"` or `cases[3]`; messages read
// `worker "W17": contracted_hours must be a number, got string`.
const Value& require(const Value& obj, std::string_view key, std::string_view where);
std::string get_string(const Value& obj, std::string_view key, std::string_view where);
std::optional<std::string> opt_string(const Value& obj, std::string_view key, std::string_view where);
double get_number(const Value& obj, std::string_view key, std::string_view where);
std::optional<double> opt_number(const Value& obj, std::string_view key, std::string_view where);
std::optional<bool> opt_bool(const Value& obj, std::string_view key, std::string_view where);
/// Throws when `obj` has a key not in `allowed` (a typo must not silently drop data).
void reject_unknown_keys(const Value& obj, std::initializer_list<std::string_view> allowed, std::string_view where);
void reject_unknown_keys(const Value& obj, std::span<const std::string_view> allowed, std::string_view where);
/// "<where>: " (empty when `where` is): the start of every message naming a field.
std::string prefix(std::string_view where);
/// Throws Error(parse) "<where>: <key> must be <want>, got <type>".
[[noreturn]] void wrong_type(std::string_view where, std::string_view key, const char* want, const Value& got);

}  // namespace caseload::json
