// Private: one record per option (as HiGHS keeps one OptionRecord per
// option), from which every interface reads, writes, checks and describes an
// options struct. Not API.
//
// A capability lists its options once, as an array of Record<S> over its
// public options struct S (e.g. allocation_option_records() for
// AllocationOptions). From that one list come:
//   - read_json: the JSON API's "options" object (and, through a dict turned
//     into JSON, the Python keywords): unknown names, wrong types and values
//     out of range are errors naming the option;
//   - validate: the same range checks on a struct filled in by C++ or the C
//     API, so a bad value is never silently ignored;
//   - to_json: the options as JSON (round-trips through read_json);
//   - describe: name, type, range, default and doc of every option, which the
//     Python package turns into keywords and CLI flags and the docs into
//     their options tables.
// The name in the record is the one name of the option everywhere: JSON key,
// Python keyword, C struct field and (with '-' for '_') CLI flag.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/json.hpp"
#include "caseload/error.hpp"

namespace caseload::options {

/// The values a number option accepts: [lo, hi], with either end open when
/// lo_open / hi_open, whole numbers only when `integer`. Infinite bounds mean
/// unbounded, but a value itself must always be finite. For a list of
/// numbers the range applies to each element.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool integer = false;
  bool hi_open = false;
};

/// Rules of a list option (numbers or nested records): at most `max_items`
/// elements (0 = no limit), and for numbers, strictly increasing when
/// `increasing`.
struct ListRule {
  std::size_t max_items = 0;
  bool increasing = false;
};

inline constexpr double kInf = std::numeric_limits<double>::infinity();
/// Largest integer a double (and so a JSON number) holds exactly.
inline constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

inline constexpr Range kNonNegative{0, kInf, false, false};
inline constexpr Range kPositive{0, kInf, true, false};
inline constexpr Range kFraction{0, 1, false, false};

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// A member read, written, checked and described by functions of its own:
/// a nested object of options (the league table's weights, made by group<>),
/// a list of nested records (the projection's scenarios, made by list_of<>),
/// or a field with a type of its own (a date, an enumeration). `type` is its
/// type name in describe(); `describe` (may be null) describes its fields.
template <class S>
struct Group {
  void (*read)(S& o, const json::Value& v, const std::string& where);
  json::Value (*write)(const S& o);
  void (*check)(const S& o, const std::string& where);
  json::Value (*describe)();
  std::string_view type = "options";
};

template <class S>
using Member =
    std::variant<bool S::*, int32_t S::*, int64_t S::*, uint64_t S::*, double S::*, std::optional<double> S::*,
                 std::string S::*, std::vector<std::string> S::*, Pairs S::*, std::vector<double> S::*, Group<S>>;

template <class T, class S>
constexpr bool is_group_v = std::is_same_v<T, Group<S>>;

template <class S>
struct Record {
  using Struct = S;
  std::string_view name;  ///< the one name everywhere (see the file comment)
  Member<S> member;
  Range range;                    ///< numbers only
  std::string_view doc;           ///< one line; units explicit
  std::string_view choices = {};  ///< text options: allowed values, '|'-separated; empty = any
  ListRule list = {};             ///< list options: length and order
  bool required = false;          ///< must be given (read_json); nested records only
};

/// Type names used by describe() and in messages: "boolean", "integer",
/// "number", "optional number", "text", "list of text", "object" (pairs), "options"
/// (a nested group).
const char* type_name_of(std::size_t variant_index) noexcept;

/// "must be finite and >= 0", "must be an integer in [0, 2^53]", ...
std::string range_phrase(const Range& r);

/// Throws Error(invalid_argument) "<where>: <name> <range phrase>, got <v>"
/// unless `v` is in `r`.
void check_number(double v, const Range& r, std::string_view name, std::string_view where);

/// Throws Error(invalid_argument) unless `value` is one of `choices`
/// ('|'-separated; empty accepts anything).
void check_choice(const std::string& value, std::string_view choices, std::string_view name, std::string_view where);

// Reading one JSON value into one member type (Error(parse) on a wrong type,
// Error(invalid_argument) out of range).
void read_value(const json::Value& v, bool& out, std::string_view name, std::string_view where);
void read_value(const json::Value& v, double& out, const Range& r, std::string_view name, std::string_view where);
double read_integer(const json::Value& v, const Range& r, std::string_view name, std::string_view where);
void read_value(const json::Value& v, std::string& out, std::string_view name, std::string_view where);
void read_value(const json::Value& v, std::vector<std::string>& out, std::string_view name, std::string_view where);
/// An object key -> text (or null, skipped), e.g. warm_start case -> worker.
void read_value(const json::Value& v, Pairs& out, std::string_view name, std::string_view where);
/// An array of numbers, each in `r`, checked against `list`.
void read_value(const json::Value& v, std::vector<double>& out, const Range& r, const ListRule& list,
                std::string_view name, std::string_view where);
/// Throws unless every element of `values` is in `r` and the list keeps `list`
/// ("<where>: <name>[i] must be ...").
void check_numbers(const std::vector<double>& values, const Range& r, const ListRule& list, std::string_view name,
                   std::string_view where);
/// Throws Error(parse) "<where>: <name> is required".
[[noreturn]] void missing_required(std::string_view name, std::string_view where);

/// "<where>[i]", plus ` ("<name>")` when `item` is an object with a
/// non-empty text "name" (list_of's item label).
std::string item_where(const std::string& where, std::size_t i, const json::Value& item);

/// Range checks of every number and choice option of `o` against its
/// records: the one validation, for structs that did not come through
/// read_json (C++ callers, the C API).
template <class S>
void validate(const S& o, std::span<const Record<S>> records, std::string_view where) {
  for (const Record<S>& r : records) {
    std::visit(
        [&](auto member) {
          if constexpr (is_group_v<decltype(member), S>) {
            member.check(o, std::string(where) + ": " + std::string(r.name));
            return;
          } else {
            using T = std::remove_cvref_t<decltype(o.*member)>;
            if constexpr (std::is_same_v<T, double>) {
              check_number(o.*member, r.range, r.name, where);
            } else if constexpr (std::is_same_v<T, std::optional<double>>) {
              if (o.*member) check_number(*(o.*member), r.range, r.name, where);
            } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                                 std::is_same_v<T, uint64_t>) {
              check_number(static_cast<double>(o.*member), r.range, r.name, where);
            } else if constexpr (std::is_same_v<T, std::string>) {
              check_choice(o.*member, r.choices, r.name, where);
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
              check_numbers(o.*member, r.range, r.list, r.name, where);
            }
          }
        },
        r.member);
  }
}

/// Reads an options object (null or absent: the defaults of S), then
/// validates the whole struct.
template <class S>
S read_json(const json::Value* v, std::span<const Record<S>> records, std::string_view where) {
  S o{};
  if (v == nullptr || v->is_null()) return o;
  std::vector<std::string_view> names;
  names.reserve(records.size());
  for (const Record<S>& r : records) names.push_back(r.name);
  json::reject_unknown_keys(*v, names, where);  // a typo never silently drops an option
  for (const Record<S>& r : records) {
    const json::Value* x = v->find(r.name);
    if (x == nullptr || x->is_null()) {
      if (r.required) missing_required(r.name, where);
      continue;
    }
    std::visit(
        [&](auto member) {
          if constexpr (is_group_v<decltype(member), S>) {
            member.read(o, *x, std::string(where) + ": " + std::string(r.name));
            return;
          } else {
            using T = std::remove_cvref_t<decltype(o.*member)>;
            if constexpr (std::is_same_v<T, std::optional<double>>) {
              double d = 0;
              read_value(*x, d, r.range, r.name, where);
              o.*member = d;
            } else if constexpr (std::is_same_v<T, double>) {
              read_value(*x, o.*member, r.range, r.name, where);
            } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                                 std::is_same_v<T, uint64_t>) {
              o.*member = static_cast<T>(read_integer(*x, r.range, r.name, where));
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
              read_value(*x, o.*member, r.range, r.list, r.name, where);
            } else {
              read_value(*x, o.*member, r.name, where);
            }
          }
        },
        r.member);
  }
  validate(o, records, where);
  return o;
}

/// The options as a JSON object, in record order (reads back with read_json
/// to the same struct). An unset optional number is null.
template <class S>
json::Value to_json(const S& o, std::span<const Record<S>> records) {
  json::Object out;
  for (const Record<S>& r : records) {
    std::visit(
        [&](auto member) {
          if constexpr (is_group_v<decltype(member), S>) {
            out.emplace_back(std::string(r.name), member.write(o));
            return;
          } else {
            using T = std::remove_cvref_t<decltype(o.*member)>;
            const T& value = o.*member;
            if constexpr (std::is_same_v<T, std::optional<double>>) {
              out.emplace_back(std::string(r.name), value ? json::Value(*value) : json::Value());
            } else if constexpr (std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                                 std::is_same_v<T, uint64_t>) {
              out.emplace_back(std::string(r.name), json::Value(static_cast<double>(value)));
            } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
              json::Array a;
              for (const auto& s : value) a.emplace_back(s);
              out.emplace_back(std::string(r.name), json::Value(std::move(a)));
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
              json::Array a;
              for (const double x : value) a.emplace_back(x);
              out.emplace_back(std::string(r.name), json::Value(std::move(a)));
            } else if constexpr (std::is_same_v<T, Pairs>) {
              json::Object m;
              for (const auto& [k, x] : value) m.emplace_back(k, json::Value(x));
              out.emplace_back(std::string(r.name), json::Value(std::move(m)));
            } else {
              out.emplace_back(std::string(r.name), json::Value(value));
            }
          }
        },
        r.member);
  }
  return json::Value(std::move(out));
}

/// Every option as {"name", "type", "default", "doc"} plus "min"/"max"/
/// "min_exclusive"/"integer" for numbers and "choices" for text: what the
/// Python keywords, the CLI flags and the docs' options tables are made from.
template <class S>
json::Value describe(std::span<const Record<S>> records) {
  const S defaults{};
  const json::Value values = to_json(defaults, records);
  json::Array out;
  for (const Record<S>& r : records) {
    json::Object d;
    d.emplace_back("name", json::Value(r.name));
    const auto* g = std::get_if<Group<S>>(&r.member);
    d.emplace_back("type", json::Value(g != nullptr ? g->type : std::string_view(type_name_of(r.member.index()))));
    d.emplace_back("default", r.required ? json::Value() : *values.find(r.name));  // required: no default
    const bool number = std::visit(
        [&](auto member) {
          if constexpr (is_group_v<decltype(member), S>) {
            return false;
          } else {
            using T = std::remove_cvref_t<decltype(defaults.*member)>;
            return (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) || std::is_same_v<T, std::optional<double>> ||
                   std::is_same_v<T, std::vector<double>>;
          }
        },
        r.member);
    if (g != nullptr && g->describe != nullptr) d.emplace_back("options", g->describe());
    if (number) {
      if (std::isfinite(r.range.lo)) d.emplace_back("min", json::Value(r.range.lo));
      if (std::isfinite(r.range.hi)) d.emplace_back("max", json::Value(r.range.hi));
      if (r.range.lo_open) d.emplace_back("min_exclusive", json::Value(true));
      if (r.range.hi_open) d.emplace_back("max_exclusive", json::Value(true));
      if (r.range.integer) d.emplace_back("integer", json::Value(true));
    }
    if (r.list.max_items > 0) d.emplace_back("max_items", json::Value(static_cast<double>(r.list.max_items)));
    if (r.list.increasing) d.emplace_back("increasing", json::Value(true));
    if (r.required) d.emplace_back("required", json::Value(true));
    if (!r.choices.empty()) d.emplace_back("choices", json::Value(r.choices));
    d.emplace_back("doc", json::Value(r.doc));
    out.emplace_back(std::move(d));
  }
  return json::Value(std::move(out));
}

/// A Group for the member `field` of S, a struct Sub with its own records
/// (`records()` returns them): read, written, checked and described as a
/// nested object, "<where>: <name>: <option> ..." in messages.
template <class S, class Sub, Sub S::*field, std::span<const Record<Sub>> (*records)() noexcept>
constexpr Group<S> group() {
  return Group<S>{[](S& o, const json::Value& v, const std::string& where) {
                    if (!v.is_object())
                      throw Error(ErrorCode::parse, where + " must be an object, got " + std::string(v.type_name()));
                    o.*field = read_json<Sub>(&v, records(), where);
                  },
                  [](const S& o) { return to_json<Sub>(o.*field, records()); },
                  [](const S& o, const std::string& where) { validate<Sub>(o.*field, records(), where); },
                  []() { return describe<Sub>(records()); }};
}

/// A Group for the member `field` of S, a list of records Item (`records()`
/// returns Item's): read from an array of objects, each as read_json<Item>
/// does, at most `max_items`. An item is named "<where>: <name>[i]", and
/// when it has a text field "name" also by that name, as a person finds it
/// in the request: `options: scenarios[1] ("spike"): referral_factor ...`.
template <class S, class Item, std::vector<Item> S::*field, std::span<const Record<Item>> (*records)() noexcept,
          std::size_t max_items>
constexpr Group<S> list_of(std::string_view type) {
  return Group<S>{[](S& o, const json::Value& v, const std::string& where) {
                    if (!v.is_array())
                      throw Error(ErrorCode::parse, where + " must be an array, got " + std::string(v.type_name()));
                    const json::Array& a = v.as_array();
                    if (a.size() > max_items)
                      throw Error(ErrorCode::invalid_argument, where + ": at most " + std::to_string(max_items) +
                                                                   " items, got " + std::to_string(a.size()));
                    std::vector<Item> items;
                    items.reserve(a.size());
                    for (std::size_t i = 0; i < a.size(); ++i) {
                      const std::string at = item_where(where, i, a[i]);
                      if (!a[i].is_object())
                        throw Error(ErrorCode::parse, at + " must be an object, got " + std::string(a[i].type_name()));
                      items.push_back(read_json<Item>(&a[i], records(), at));
                    }
                    o.*field = std::move(items);
                  },
                  [](const S& o) {
                    json::Array a;
                    for (const Item& item : o.*field) a.push_back(to_json<Item>(item, records()));
                    return json::Value(std::move(a));
                  },
                  [](const S& o, const std::string& where) {
                    const std::vector<Item>& items = o.*field;
                    if (items.size() > max_items)
                      throw Error(ErrorCode::invalid_argument, where + ": at most " + std::to_string(max_items) +
                                                                   " items, got " + std::to_string(items.size()));
                    for (std::size_t i = 0; i < items.size(); ++i)
                      validate<Item>(items[i], records(), item_where(where, i, to_json<Item>(items[i], records())));
                  },
                  []() { return describe<Item>(records()); }, type};
}

}  // namespace caseload::options
