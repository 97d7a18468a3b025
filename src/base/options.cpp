// The non-template half of the option records (base/options.hpp): range
// phrases, checks and the readers of one JSON value per member type.
#include "base/options.hpp"

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"

namespace caseload::options {

namespace {

using json::prefix;
using json::wrong_type;

// A range's bound as people write it: "2^53", "100000" (not "1e+05"), "99.9".
std::string bound(double v) {
  if (v == kMaxExactInteger) return "2^53";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  return detail::num(v);
}

}  // namespace

const char* type_name_of(std::size_t variant_index) noexcept {
  switch (variant_index) {
    case 0:
      return "boolean";
    case 1:
    case 2:
    case 3:
      return "integer";
    case 4:
      return "number";
    case 5:
      return "optional number";
    case 6:
      return "text";
    case 7:
      return "list of text";
    case 8:
      return "object";
    case 9:
      return "list of numbers";
    default:
      return "options";
  }
}

std::string range_phrase(const Range& r) {
  const bool lo = std::isfinite(r.lo), hi = std::isfinite(r.hi) && r.hi < 9e18;
  if (r.integer) {
    if (lo && hi) return "must be an integer in [" + bound(r.lo) + ", " + bound(r.hi) + "]";
    if (lo) return std::string("must be an integer ") + (r.lo_open ? "> " : ">= ") + bound(r.lo);
    return "must be an integer";
  }
  if (lo && hi)
    return std::string("must be in ") + (r.lo_open ? "(" : "[") + bound(r.lo) + ", " + bound(r.hi) +
           (r.hi_open ? ")" : "]");
  if (lo) return std::string("must be finite and ") + (r.lo_open ? "> " : ">= ") + bound(r.lo);
  if (hi) return std::string("must be finite and ") + (r.hi_open ? "< " : "<= ") + bound(r.hi);
  return "must be finite";
}

void check_number(double v, const Range& r, std::string_view name, std::string_view where) {
  const bool ok = std::isfinite(v) && (r.lo_open ? v > r.lo : v >= r.lo) && (r.hi_open ? v < r.hi : v <= r.hi) &&
                  (!r.integer || v == std::floor(v));
  if (!ok)
    throw Error(ErrorCode::invalid_argument,
                prefix(where) + std::string(name) + " " + range_phrase(r) + ", got " + detail::num(v));
}

void check_choice(const std::string& value, std::string_view choices, std::string_view name, std::string_view where) {
  if (choices.empty()) return;
  std::string_view rest = choices;
  while (true) {
    const size_t bar = rest.find('|');
    if (rest.substr(0, bar) == value) return;
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  std::string list;
  for (const char c : choices) list += c == '|' ? std::string(", ") : std::string(1, c);
  std::string msg = prefix(where) + std::string(name) + " must be one of " + list + ", got ";
  msg += text::quoted(value);
  throw Error(ErrorCode::invalid_argument, msg);
}

void read_value(const json::Value& v, bool& out, std::string_view name, std::string_view where) {
  if (!v.is_bool()) wrong_type(where, name, "a boolean", v);
  out = v.as_bool();
}

void read_value(const json::Value& v, double& out, const Range& r, std::string_view name, std::string_view where) {
  if (!v.is_number()) wrong_type(where, name, "a number", v);
  check_number(v.as_number(), r, name, where);
  out = v.as_number();
}

double read_integer(const json::Value& v, const Range& r, std::string_view name, std::string_view where) {
  if (!v.is_number()) wrong_type(where, name, "a number", v);
  Range whole = r;
  whole.integer = true;
  check_number(v.as_number(), whole, name, where);
  return v.as_number();
}

void read_value(const json::Value& v, std::string& out, std::string_view name, std::string_view where) {
  if (!v.is_string()) wrong_type(where, name, "a string", v);
  out = v.as_string();
}

void read_value(const json::Value& v, std::vector<std::string>& out, std::string_view name, std::string_view where) {
  if (!v.is_array()) wrong_type(where, name, "an array of strings", v);
  out.clear();
  for (const json::Value& s : v.as_array()) {
    if (!s.is_string()) wrong_type(where, name, "an array of strings", v);
    out.push_back(s.as_string());
  }
}

void read_value(const json::Value& v, Pairs& out, std::string_view name, std::string_view where) {
  if (!v.is_object())
    throw Error(ErrorCode::parse, prefix(where) + std::string(name) + " must be an object, got " + v.type_name());
  out.clear();
  for (const auto& [key, value] : v.as_object()) {
    if (value.is_null()) continue;
    if (!value.is_string()) {
      std::string msg = prefix(where) + std::string(name) + "[";
      msg += text::quoted(key);
      throw Error(ErrorCode::parse, msg + "] must be a string or null, got " + value.type_name());
    }
    out.emplace_back(key, value.as_string());
  }
}

void check_numbers(const std::vector<double>& values, const Range& r, const ListRule& list, std::string_view name,
                   std::string_view where) {
  if (list.max_items > 0 && values.size() > list.max_items)
    throw Error(ErrorCode::invalid_argument, prefix(where) + std::string(name) + ": at most " +
                                                 std::to_string(list.max_items) + " values, got " +
                                                 std::to_string(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string element = std::string(name) + "[" + std::to_string(i) + "]";
    check_number(values[i], r, element, where);
    if (list.increasing && i > 0 && !(values[i] > values[i - 1]))
      throw Error(ErrorCode::invalid_argument, prefix(where) + std::string(name) + " must be increasing, got " +
                                                   detail::num(values[i - 1]) + " then " + detail::num(values[i]));
  }
}

void read_value(const json::Value& v, std::vector<double>& out, const Range& r, const ListRule& list,
                std::string_view name, std::string_view where) {
  if (!v.is_array()) wrong_type(where, name, "an array of numbers", v);
  std::vector<double> values;
  values.reserve(v.as_array().size());
  for (std::size_t i = 0; i < v.as_array().size(); ++i) {
    const json::Value& x = v.as_array()[i];
    if (!x.is_number()) wrong_type(where, std::string(name) + "[" + std::to_string(i) + "]", "a number", x);
    values.push_back(x.as_number());
  }
  check_numbers(values, r, list, name, where);
  out = std::move(values);
}

void missing_required(std::string_view name, std::string_view where) {
  throw Error(ErrorCode::parse, prefix(where) + std::string(name) + " is required");
}

std::string item_where(const std::string& where, std::size_t i, const json::Value& item) {
  std::string out = where + "[" + std::to_string(i) + "]";
  if (!item.is_object()) return out;
  const json::Value* name = item.find("name");
  if (name == nullptr || !name->is_string() || name->as_string().empty()) return out;
  out += " (";
  out += text::quoted(name->as_string());
  return out + ")";
}

}  // namespace caseload::options
