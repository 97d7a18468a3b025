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

/// The values a number option accepts: [lo, hi], or (lo, hi] when lo_open,
/// whole numbers only when `integer`. Infinite bounds mean unbounded, but a
/// value itself must always be finite.
struct Range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool integer = false;
};

inline constexpr double kInf = std::numeric_limits<double>::infinity();
/// Largest integer a double (and so a JSON number) holds exactly.
inline constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

inline constexpr Range kNonNegative{0, kInf, false, false};
inline constexpr Range kPositive{0, kInf, true, false};
inline constexpr Range kFraction{0, 1, false, false};

using Pairs = std::vector<std::pair<std::string, std::string>>;

/// A nested object of options (the league table's weights): a struct member
/// with records of its own. Made by group<>() below.
template <class S>
struct Group {
  void (*read)(S& o, const json::Value& v, const std::string& where);
  json::Value (*write)(const S& o);
  void (*check)(const S& o, const std::string& where);
  json::Value (*describe)();
};

template <class S>
using Member =
    std::variant<bool S::*, int32_t S::*, int64_t S::*, uint64_t S::*, double S::*, std::optional<double> S::*,
                 std::string S::*, std::vector<std::string> S::*, Pairs S::*, Group<S>>;

template <class T, class S>
constexpr bool is_group_v = std::is_same_v<T, Group<S>>;

template <class S>
struct Record {
  std::string_view name;  ///< the one name everywhere (see the file comment)
  Member<S> member;
  Range range;                    ///< numbers only
  std::string_view doc;           ///< one line; units explicit
  std::string_view choices = {};  ///< text options: allowed values, '|'-separated; empty = any
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
    if (x == nullptr || x->is_null()) continue;
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
    d.emplace_back("type", json::Value(type_name_of(r.member.index())));
    d.emplace_back("default", *values.find(r.name));
    const bool number = std::visit(
                            [&](auto member) {
                              if constexpr (is_group_v<decltype(member), S>) {
                                return false;
                              } else {
                                using T = std::remove_cvref_t<decltype(defaults.*member)>;
                                return std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;
                              }
                            },
                            r.member) ||
                        std::holds_alternative<std::optional<double> S::*>(r.member);
    if (const auto* g = std::get_if<Group<S>>(&r.member)) d.emplace_back("options", g->describe());
    if (number) {
      if (std::isfinite(r.range.lo)) d.emplace_back("min", json::Value(r.range.lo));
      if (std::isfinite(r.range.hi)) d.emplace_back("max", json::Value(r.range.hi));
      if (r.range.lo_open) d.emplace_back("min_exclusive", json::Value(true));
      if (r.range.integer) d.emplace_back("integer", json::Value(true));
    }
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

}  // namespace caseload::options
