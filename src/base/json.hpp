// Private JSON DOM used by every parser and writer in caseload. Not API.
// Parsing enforces Limits (document size, nesting depth, string length,
// array length) and reports errors as Error(parse) with line and column.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <new>
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

/// One JSON value. Compact on purpose (40 bytes: a tag and a union holding
/// the string or the container itself, no separate block) because a hostile
/// document is mostly values: the parser's memory budget (docs/hardening.md)
/// is stated in multiples of the text, so every byte of a node counts.
/// Copies are deep.
class Value {
 public:
  enum class Type : uint8_t { null, boolean, number, string, array, object };

  Value() noexcept : num_(0) {}  // null
  Value(std::nullptr_t) noexcept : num_(0) {}
  Value(bool b) noexcept : type_(Type::boolean), bool_(b) {}
  Value(double d) noexcept : type_(Type::number), num_(d) {}
  Value(int v) noexcept : type_(Type::number), num_(v) {}
  Value(int64_t v) noexcept : type_(Type::number), num_(static_cast<double>(v)) {}
  Value(std::string s) : type_(Type::string), str_(std::move(s)) {}
  Value(std::string_view s) : type_(Type::string), str_(s) {}
  Value(const char* s) : type_(Type::string), str_(s) {}
  Value(Array a);
  Value(Object o);

  Value(const Value& o) : type_(Type::null), num_(0) { assign(o); }
  Value(Value&& o) noexcept : type_(Type::null), num_(0) { take(std::move(o)); }
  Value& operator=(const Value& o) {
    if (this != &o) {
      Value copy(o);
      destroy();
      take(std::move(copy));
    }
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      destroy();
      take(std::move(o));
    }
    return *this;
  }
  ~Value() { destroy(); }

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
  [[nodiscard]] const Array& as_array() const noexcept { return arr_; }
  [[nodiscard]] const Object& as_object() const noexcept { return obj_; }
  Array& as_array() noexcept { return arr_; }
  Object& as_object() noexcept { return obj_; }

  /// Member lookup on an object (nullptr when absent or not an object).
  [[nodiscard]] const Value* find(std::string_view key) const noexcept;
  /// "null", "boolean", "number", "string", "array", "object".
  [[nodiscard]] const char* type_name() const noexcept;

 private:
  void destroy() noexcept {
    switch (type_) {
      case Type::string:
        str_.~basic_string();
        break;
      case Type::array:
        arr_.~Array();
        break;
      case Type::object:
        obj_.~Object();
        break;
      default:
        break;
    }
    type_ = Type::null;
    num_ = 0;
  }
  // Both require *this to be null (destroyed).
  void take(Value&& o) noexcept {
    switch (o.type_) {
      case Type::string:
        new (&str_) std::string(std::move(o.str_));
        break;
      case Type::array:
        new (&arr_) Array(std::move(o.arr_));
        break;
      case Type::object:
        new (&obj_) Object(std::move(o.obj_));
        break;
      case Type::boolean:
        bool_ = o.bool_;
        break;
      default:
        num_ = o.num_;
        break;
    }
    type_ = o.type_;
  }
  void assign(const Value& o) {
    switch (o.type_) {
      case Type::string:
        new (&str_) std::string(o.str_);
        break;
      case Type::array:
        new (&arr_) Array(o.arr_);
        break;
      case Type::object:
        new (&obj_) Object(o.obj_);
        break;
      case Type::boolean:
        bool_ = o.bool_;
        break;
      default:
        num_ = o.num_;
        break;
    }
    type_ = o.type_;
  }

  Type type_ = Type::null;
  union {
    bool bool_;
    double num_;
    std::string str_;
    Array arr_;
    Object obj_;
  };
};

inline Value::Value(Array a) : type_(Type::array), arr_(std::move(a)) {}
inline Value::Value(Object o) : type_(Type::object), obj_(std::move(o)) {}

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
