// Records as JSON, CSV and columnar tables (formats in docs/records_format.md).
// This layer checks syntax, types and formats; semantic checks (unknown case
// types, duplicate ids, shares summing to 1) belong to the Caseload
// constructor.
#include "caseload/io.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "records/records_json.hpp"
#include "base/json.hpp"
#include "base/text.hpp"

namespace caseload {
namespace {

// ---------------------------------------------------------------------------
// Numbers and list encodings shared by CSV and tables

std::string format_number(double d) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

// Quoted for an error message; long values are cut so a hostile field
// cannot make a message huge.
std::string show(std::string_view s, size_t max = 64) {
  std::string out;
  json::append_quoted(out, s.substr(0, max));
  if (s.size() > max) out += "...";
  return out;
}

std::string show_path(std::string_view path) {
  return show(path, path.size());
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Strict decimal text (what to_chars writes, plus a leading '+' and
// surrounding blanks); nullopt when it is not a finite number.
std::optional<double> parse_number_text(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double d = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

// List fields use ';' between items and ':' between an item's parts; a
// backslash escapes the next character so any text round-trips.
std::string escape_item(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\' || c == ';' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

// Calls part(piece) for each piece of `s` split on unescaped `sep`, as views
// into `s` with escapes left in place (so pieces can be split again); no
// allocation. Returns false when `s` ends with a lone backslash, which then
// stays in the last piece.
template <class Part>
bool for_each_escaped_piece(std::string_view s, char sep, Part&& part) {
  size_t start = 0;
  bool ok = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\') {
      if (i + 1 < s.size()) {
        ++i;
      } else {
        ok = false;
      }
    } else if (s[i] == sep) {
      part(s.substr(start, i - start));
      start = i + 1;
    }
  }
  part(s.substr(start));
  return ok;
}

// The pieces of a list cell; false on a trailing lone backslash.
bool split_escaped(std::string_view s, char sep, std::vector<std::string_view>& parts) {
  parts.clear();
  return for_each_escaped_piece(s, sep, [&](std::string_view piece) { parts.push_back(piece); });
}

// The ':'-separated parts of one list item, as views (escapes kept); no
// allocation. size() counts every part, only the first 6 are kept (every
// item format has at most 5).
class ItemParts {
 public:
  explicit ItemParts(std::string_view item) {
    for_each_escaped_piece(item, ':', [&](std::string_view part) {
      if (n_ < parts_.size()) parts_[n_] = part;
      ++n_;
    });
  }
  [[nodiscard]] size_t size() const noexcept { return n_; }
  std::string_view operator[](size_t i) const noexcept { return parts_[i]; }

 private:
  std::array<std::string_view, 6> parts_{};
  size_t n_ = 0;
};

std::string unescape(std::string_view s) {
  if (s.find('\\') == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// ---------------------------------------------------------------------------
// Tables: one row at a time, with errors naming table, row, id and field

// One field of a record type as a table column.
struct ColumnSpec {
  const char* name;
  bool required;
};

class RowReader {
 public:
  // With `consume`, text cells are moved out of the table instead of copied:
  // only for a table the caller handed over (Table&&), never a const one.
  RowReader(std::string_view label, const char* noun, const std::vector<const Column*>& columns,
            const std::vector<ColumnSpec>& specs, const Limits& limits, bool consume = false)
      : label_(label), noun_(noun), columns_(columns), specs_(specs), limits_(limits), consume_(consume) {}

  // The "row 12 (case "C1")" context is only formatted when a message needs
  // it: building it for every row cost more than reading the row.
  void start_row(size_t row, std::string_view id) {
    row_ = row;
    id_.assign(id);
  }

  [[nodiscard]] std::string where() const {
    std::string w = label_.empty() ? "row " : std::string(label_) + " row ";
    w += std::to_string(row_ + 1);
    if (!id_.empty()) w += std::string(" (") + noun_ + " " + show(id_) + ")";
    return w;
  }

  [[noreturn]] void fail(const char* field, const std::string& what) const {
    throw Error(ErrorCode::parse, where() + ": " + field + " " + what);
  }
  [[noreturn]] void fail_item(const char* field, std::string_view item, const std::string& what) const {
    throw Error(ErrorCode::parse, where() + ": " + field + " item " + show(item) + ": " + what);
  }

  const Column* column(size_t i) const { return columns_[i]; }

  // Text of a cell. Numeric cells (a DataFrame column of integer ids)
  // become their shortest text; NaN is missing.
  std::optional<std::string> text(size_t i) const {
    const Column* c = columns_[i];
    if (c == nullptr) return std::nullopt;
    if (c->is_numeric) {
      const double d = c->numbers[row_];
      if (std::isnan(d)) return std::nullopt;
      if (!std::isfinite(d)) fail(specs_[i].name, "must be text, got " + format_number(d));
      return format_number(d);
    }
    const std::string& s = c->text[row_];
    if (s.size() > limits_.max_string_bytes)
      throw Error(ErrorCode::limit_exceeded, where() + ": " + specs_[i].name + " is longer than the limit of " +
                                                 std::to_string(limits_.max_string_bytes) + " bytes");
    if (s.empty()) return std::nullopt;
    // Moving is sound: consume_ is only set for a table passed as Table&&,
    // whose columns are not const objects.
    if (consume_) return std::move(const_cast<std::string&>(s));
    return s;
  }

  std::string text_or_empty(size_t i) const {
    const Column* c = columns_[i];
    if (c != nullptr && !c->is_numeric) {
      // The common case without the optional: one move (or copy) per cell.
      const std::string& s = c->text[row_];
      if (s.size() > limits_.max_string_bytes) (void)text(i);  // throws the limit error
      if (s.empty()) {
        if (specs_[i].required) fail(specs_[i].name, "is required");
        return {};
      }
      return consume_ ? std::move(const_cast<std::string&>(s)) : s;
    }
    auto t = text(i);
    if (!t && specs_[i].required) fail(specs_[i].name, "is required");
    return t ? std::move(*t) : std::string();
  }

  // Small enough to inline: a finite number in a numeric column (nearly
  // every call) costs a load and a compare; the rest is out of line.
  std::optional<double> number(size_t i) const {
    const Column* c = columns_[i];
    if (c != nullptr && c->is_numeric) {
      const double d = c->numbers[row_];
      if (std::isfinite(d)) return d;
    }
    return number_slow(i);
  }

  std::optional<double> number_slow(size_t i) const {
    const Column* c = columns_[i];
    std::optional<double> v;
    if (c == nullptr) {
      v = std::nullopt;
    } else if (c->is_numeric) {
      const double d = c->numbers[row_];
      if (std::isinf(d)) fail(specs_[i].name, "must be a finite number, got " + format_number(d));
      if (!std::isnan(d)) v = d;
    } else {
      const std::string& s = c->text[row_];
      if (!trim(s).empty()) {
        v = parse_number_text(s);
        if (!v) fail(specs_[i].name, "must be a number, got " + show(s));
      }
    }
    if (!v && specs_[i].required) fail(specs_[i].name, "is required");
    return v;
  }

  std::optional<Date> date(size_t i) const {
    const Column* c = columns_[i];
    std::optional<Date> v;
    if (c != nullptr && c->is_numeric) {
      if (!std::isnan(c->numbers[row_]))
        fail(specs_[i].name, "must be a date YYYY-MM-DD, got the number " + format_number(c->numbers[row_]));
    } else if (c != nullptr) {
      const std::string& s = c->text[row_];
      if (!trim(s).empty()) v = parse_date(specs_[i].name, trim(s));
    }
    if (!v && specs_[i].required) fail(specs_[i].name, "is required");
    return v;
  }

  Date parse_date(const char* field, std::string_view s) const {
    try {
      return Date::parse(s, field);
    } catch (const Error&) {
      // Parse again to throw the same message with the row named.
      return Date::parse(s, where() + ": " + field);
    }
  }

  bool boolean(size_t i) const {
    const Column* c = columns_[i];
    if (c == nullptr) return false;
    if (c->is_numeric) {
      const double d = c->numbers[row_];
      if (std::isnan(d) || d == 0) return false;
      if (d == 1) return true;
      fail(specs_[i].name, "must be true or false, got " + format_number(d));
    }
    const std::string_view s = trim(c->text[row_]);
    if (s.empty() || s == "false" || s == "FALSE" || s == "False" || s == "0" || s == "no") return false;
    if (s == "true" || s == "TRUE" || s == "True" || s == "1" || s == "yes") return true;
    fail(specs_[i].name, "must be true or false, got " + show(s));
  }

  // Items of a list cell split on unescaped ';' (escapes kept), as views
  // into the cell that stay valid until the next call.
  const std::vector<std::string_view>& items(size_t i) {
    items_.clear();
    const Column* c = columns_[i];
    std::string_view cell;
    if (c != nullptr && !c->is_numeric) {
      cell = c->text[row_];                                       // read in place: no copy of the cell
      if (cell.size() > limits_.max_string_bytes) (void)text(i);  // throws the limit error
    } else {
      auto t = text(i);
      if (!t) return items_;
      cell_ = std::move(*t);
      cell = cell_;
    }
    if (cell.empty()) return items_;
    if (!split_escaped(cell, ';', items_)) fail(specs_[i].name, "ends with a lone backslash");
    for (const auto& item : items_)
      if (item.empty()) fail(specs_[i].name, "has an empty item in " + show(cell));
    return items_;
  }

 private:
  std::string_view label_;
  const char* noun_;
  const std::vector<const Column*>& columns_;
  const std::vector<ColumnSpec>& specs_;
  const Limits& limits_;
  bool consume_ = false;
  size_t row_ = 0;
  std::string id_;
  std::string cell_;                     // items(): a numeric cell's text
  std::vector<std::string_view> items_;  // items(): reused between rows
};

// Resolves spec columns in `table`; rejects unknown and duplicate columns,
// missing required ones, ragged columns and too many rows.
std::vector<const Column*> bind_columns(const Table& table, const std::vector<ColumnSpec>& specs,
                                        std::string_view label, const Limits& limits) {
  const std::string where = label.empty() ? std::string("table") : std::string(label);
  const size_t rows = table.rows();
  if (rows > limits.max_records)
    throw Error(ErrorCode::limit_exceeded,
                where + ": " + std::to_string(rows) + " rows, over the limit of " + std::to_string(limits.max_records));
  std::vector<const Column*> bound(specs.size(), nullptr);
  for (const Column& c : table.columns) {
    const size_t n = c.is_numeric ? c.numbers.size() : c.text.size();
    if (n != rows)
      throw Error(ErrorCode::invalid_argument, where + ": column " + show(c.name) + " has " + std::to_string(n) +
                                                   " rows, expected " + std::to_string(rows));
    size_t k = 0;
    while (k < specs.size() && c.name != specs[k].name) ++k;
    if (k == specs.size()) {
      std::string msg = where + ": unknown column " + show(c.name) + " (expected one of: ";
      for (size_t j = 0; j < specs.size(); ++j) msg += (j ? ", " : "") + std::string(specs[j].name);
      throw Error(ErrorCode::parse, msg + ")");
    }
    if (bound[k] != nullptr) throw Error(ErrorCode::parse, where + ": column " + show(c.name) + " appears twice");
    bound[k] = &c;
  }
  for (size_t k = 0; k < specs.size(); ++k)
    if (specs[k].required && bound[k] == nullptr)
      throw Error(ErrorCode::parse, where + ": missing required column " + show(specs[k].name));
  return bound;
}

// Column indices, in the order of the header written by *_to_table.
namespace wcol {
enum : size_t {
  id,
  team,
  service_area,
  role,
  contracted_hours,
  experience_level,
  experience_years,
  skills,
  start_date,
  agency,
  reductions,
  reported_weekly_hours,
  expected_new_cases
};
}
const std::vector<ColumnSpec> kWorkerColumns = {{"id", true},
                                                {"team", true},
                                                {"service_area", false},
                                                {"role", true},
                                                {"contracted_hours", true},
                                                {"experience_level", false},
                                                {"experience_years", false},
                                                {"skills", false},
                                                {"start_date", false},
                                                {"agency", false},
                                                {"reductions", false},
                                                {"reported_weekly_hours", false},
                                                {"expected_new_cases", false}};

namespace ccol {
enum : size_t { id, family_id, case_type, factors, open_date, team, allocations, tasks };
}
const std::vector<ColumnSpec> kCaseColumns = {{"id", true},           {"family_id", false}, {"case_type", true},
                                              {"factors", false},     {"open_date", true},  {"team", false},
                                              {"allocations", false}, {"tasks", false}};

namespace scol {
enum : size_t { date, worker_id, utilisation, cases, points, capacity, team, service_area };
}
const std::vector<ColumnSpec> kSnapshotColumns = {{"date", true},   {"worker_id", true},    {"utilisation", true},
                                                  {"cases", false}, {"points", false},      {"capacity", false},
                                                  {"team", false},  {"service_area", false}};

// "reason:10%:2024-01-01:2024-06-30" or "reason:3.7h::" (dates optional).
Reduction parse_reduction(const RowReader& r, std::string_view item) {
  const ItemParts parts(item);
  const char* f = "reductions";
  if (parts.size() < 2 || parts.size() > 4)
    r.fail_item(f, unescape(item), "must be reason:amount[:start[:end]] with amount like 10% or 3.7h");
  Reduction red;
  red.reason = unescape(parts[0]);
  const std::string_view amount = trim(parts[1]);
  const char unit = amount.empty() ? '\0' : amount.back();
  const auto value =
      unit == '%' || unit == 'h' ? parse_number_text(amount.substr(0, amount.size() - 1)) : std::optional<double>();
  if (!value) r.fail_item(f, unescape(item), "amount must be a percent (10%) or hours (3.7h), got " + show(amount));
  (unit == '%' ? red.percent : red.hours) = *value;
  if (parts.size() > 2 && !trim(parts[2]).empty()) red.start = r.parse_date("reductions start", trim(parts[2]));
  if (parts.size() > 3 && !trim(parts[3]).empty()) red.end = r.parse_date("reductions end", trim(parts[3]));
  return red;
}

std::string format_reduction(const Reduction& red) {
  std::string s = escape_item(red.reason) + ":";
  if (red.percent) s += format_number(*red.percent) + "%";
  if (red.hours) s += format_number(*red.hours) + "h";
  s += ":";
  if (red.start) s += red.start->to_string();
  s += ":";
  if (red.end) s += red.end->to_string();
  return s;
}

// "W1" or "W1:0.5".
Allocation parse_allocation(const RowReader& r, std::string_view item) {
  const ItemParts parts(item);
  if (parts.size() > 2) r.fail_item("allocations", unescape(item), "must be worker_id or worker_id:share");
  Allocation a;
  a.worker_id = unescape(parts[0]);
  if (parts.size() == 2) {
    const auto share = parse_number_text(parts[1]);
    if (!share) r.fail_item("allocations", unescape(item), "share must be a number, got " + show(parts[1]));
    a.share = *share;
  }
  return a;
}

// type[:due[:points[:created[:done]]]]; empty parts are absent.
Task parse_task(const RowReader& r, std::string_view item) {
  const ItemParts parts(item);
  const char* f = "tasks";
  if (parts.size() > 5) r.fail_item(f, unescape(item), "must be type[:due[:points[:created[:done]]]]");
  Task t;
  t.type = unescape(parts[0]);
  if (parts.size() > 1 && !trim(parts[1]).empty()) t.due = r.parse_date("tasks due", trim(parts[1]));
  if (parts.size() > 2 && !trim(parts[2]).empty()) {
    t.points = parse_number_text(parts[2]);
    if (!t.points) r.fail_item(f, unescape(item), "points must be a number, got " + show(parts[2]));
  }
  if (parts.size() > 3 && !trim(parts[3]).empty()) t.created = r.parse_date("tasks created", trim(parts[3]));
  if (parts.size() > 4) {
    const std::string_view done = trim(parts[4]);
    if (done == "done") {
      t.completed = true;
    } else if (!done.empty()) {
      r.fail_item(f, unescape(item), "the fifth part must be \"done\" or empty, got " + show(done));
    }
  }
  return t;
}

std::string format_task(const Task& t) {
  std::vector<std::string> parts{escape_item(t.type), t.due ? t.due->to_string() : "",
                                 t.points ? format_number(*t.points) : "", t.created ? t.created->to_string() : "",
                                 t.completed ? "done" : ""};
  while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  std::string s;
  for (size_t i = 0; i < parts.size(); ++i) s += (i ? ":" : "") + parts[i];
  return s;
}

template <class T, class F>
std::string join(const std::vector<T>& items, F&& format) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) s += ';';
    s += format(items[i]);
  }
  return s;
}

std::vector<Worker> workers_from_table_impl(const Table& table, const Limits& limits, std::string_view label,
                                            bool consume = false) {
  const auto cols = bind_columns(table, kWorkerColumns, label, limits);
  RowReader r(label, "worker", cols, kWorkerColumns, limits, consume);
  std::vector<Worker> out;
  out.reserve(table.rows());
  for (size_t row = 0; row < table.rows(); ++row) {
    r.start_row(row, "");
    Worker& w = out.emplace_back();  // filled in place; out is discarded if a cell throws
    w.id = r.text_or_empty(wcol::id);
    r.start_row(row, w.id);
    w.team = r.text_or_empty(wcol::team);
    w.service_area = r.text_or_empty(wcol::service_area);
    w.role = r.text_or_empty(wcol::role);
    w.contracted_hours = *r.number(wcol::contracted_hours);
    w.experience_level = r.text_or_empty(wcol::experience_level);
    w.experience_years = r.number(wcol::experience_years).value_or(0.0);
    for (const auto& item : r.items(wcol::skills)) w.skills.push_back(unescape(item));
    w.start_date = r.date(wcol::start_date);
    w.agency = r.boolean(wcol::agency);
    for (const auto& item : r.items(wcol::reductions)) w.reductions.push_back(parse_reduction(r, item));
    w.reported_weekly_hours = r.number(wcol::reported_weekly_hours);
    w.expected_new_cases = r.number(wcol::expected_new_cases);
  }
  return out;
}

std::vector<Case> cases_from_table_impl(const Table& table, const Limits& limits, std::string_view label,
                                        bool consume = false) {
  const auto cols = bind_columns(table, kCaseColumns, label, limits);
  RowReader r(label, "case", cols, kCaseColumns, limits, consume);
  std::vector<Case> out;
  out.reserve(table.rows());
  for (size_t row = 0; row < table.rows(); ++row) {
    r.start_row(row, "");
    Case& c = out.emplace_back();
    c.id = r.text_or_empty(ccol::id);
    r.start_row(row, c.id);
    c.family_id = r.text_or_empty(ccol::family_id);
    c.case_type = r.text_or_empty(ccol::case_type);
    for (const auto& item : r.items(ccol::factors)) c.factors.push_back(unescape(item));
    c.opened = *r.date(ccol::open_date);
    c.team = r.text_or_empty(ccol::team);
    for (const auto& item : r.items(ccol::allocations)) c.allocations.push_back(parse_allocation(r, item));
    for (const auto& item : r.items(ccol::tasks)) c.tasks.push_back(parse_task(r, item));
  }
  return out;
}

std::vector<Snapshot> snapshots_from_table_impl(const Table& table, const Limits& limits, std::string_view label,
                                                bool consume = false) {
  const auto cols = bind_columns(table, kSnapshotColumns, label, limits);
  RowReader r(label, "worker", cols, kSnapshotColumns, limits, consume);
  std::vector<Snapshot> out;
  out.reserve(table.rows());
  for (size_t row = 0; row < table.rows(); ++row) {
    r.start_row(row, "");
    Snapshot& s = out.emplace_back();
    s.worker_id = r.text_or_empty(scol::worker_id);
    s.date = *r.date(scol::date);
    r.start_row(row, s.worker_id);
    s.utilisation = *r.number(scol::utilisation);
    s.cases = r.number(scol::cases);
    s.points = r.number(scol::points);
    s.capacity = r.number(scol::capacity);
    s.team = r.text_or_empty(scol::team);
    s.service_area = r.text_or_empty(scol::service_area);
  }
  return out;
}

// Builders for *_to_table.
Column text_column(const char* name, size_t reserve) {
  Column c;
  c.name = name;
  c.text.reserve(reserve);
  return c;
}
Column number_column(const char* name, size_t reserve) {
  Column c;
  c.name = name;
  c.is_numeric = true;
  c.numbers.reserve(reserve);
  return c;
}
double or_nan(const std::optional<double>& v) {
  return v ? *v : std::nan("");
}
std::string date_or_empty(const std::optional<Date>& d) {
  return d ? d->to_string() : std::string();
}

// ---------------------------------------------------------------------------
// CSV text

[[noreturn]] void csv_fail(ErrorCode code, size_t line, const std::string& what) {
  throw Error(code, "CSV parse error at line " + std::to_string(line) + ": " + what);
}

using text::append_csv_field;

// ---------------------------------------------------------------------------
// Records as JSON values

std::string record_where(const json::Value& v, const char* noun, std::string_view id_key, std::string_view what,
                         size_t index) {
  if (v.is_object()) {
    const json::Value* id = v.find(id_key);
    if (id != nullptr && id->is_string() && !id->as_string().empty())
      return std::string(noun) + " " + show(id->as_string());
  }
  return std::string(what) + "[" + std::to_string(index) + "]";
}

const json::Array& array_of(const json::Value& v, std::string_view what) {
  if (!v.is_array())
    throw Error(ErrorCode::parse, std::string(what) + " must be an array of objects, got " + v.type_name());
  return v.as_array();
}

const json::Array* opt_array(const json::Value& obj, std::string_view key, const std::string& where) {
  const json::Value* v = obj.find(key);
  if (v == nullptr || v->is_null()) return nullptr;
  if (!v->is_array())
    throw Error(ErrorCode::parse, where + ": " + std::string(key) + " must be an array, got " + v->type_name());
  return &v->as_array();
}

void require_object(const json::Value& v, const std::string& where) {
  if (!v.is_object()) throw Error(ErrorCode::parse, where + " must be an object, got " + v.type_name());
}

std::optional<Date> opt_date(const json::Value& obj, std::string_view key, const std::string& where) {
  const auto s = json::opt_string(obj, key, where);
  if (!s) return std::nullopt;
  return Date::parse(*s, where + ": " + std::string(key));
}

std::vector<std::string> string_list(const json::Value& obj, std::string_view key, const std::string& where) {
  std::vector<std::string> out;
  const json::Array* a = opt_array(obj, key, where);
  if (a == nullptr) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string())
      throw Error(ErrorCode::parse, where + ": " + std::string(key) + "[" + std::to_string(i) +
                                        "] must be a string, got " + (*a)[i].type_name());
    out.push_back((*a)[i].as_string());
  }
  return out;
}

Worker worker_from(const json::Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(
      v,
      {"id", "team", "service_area", "role", "contracted_hours", "experience_level", "experience_years", "skills",
       "start_date", "agency", "reductions", "reported_weekly_hours", "expected_new_cases"},
      where);
  Worker w;
  w.id = json::get_string(v, "id", where);
  w.team = json::get_string(v, "team", where);
  w.service_area = json::opt_string(v, "service_area", where).value_or("");
  w.role = json::get_string(v, "role", where);
  w.contracted_hours = json::get_number(v, "contracted_hours", where);
  w.experience_level = json::opt_string(v, "experience_level", where).value_or("");
  w.experience_years = json::opt_number(v, "experience_years", where).value_or(0.0);
  w.skills = string_list(v, "skills", where);
  w.start_date = opt_date(v, "start_date", where);
  w.agency = json::opt_bool(v, "agency", where).value_or(false);
  if (const json::Array* reds = opt_array(v, "reductions", where)) {
    for (size_t i = 0; i < reds->size(); ++i) {
      const std::string rw = where + " reductions[" + std::to_string(i) + "]";
      const json::Value& rv = (*reds)[i];
      require_object(rv, rw);
      json::reject_unknown_keys(rv, {"reason", "percent", "hours", "start", "end"}, rw);
      Reduction red;
      red.reason = json::get_string(rv, "reason", rw);
      red.percent = json::opt_number(rv, "percent", rw);
      red.hours = json::opt_number(rv, "hours", rw);
      if (red.percent.has_value() == red.hours.has_value())
        throw Error(ErrorCode::parse, rw + ": exactly one of percent and hours must be given");
      red.start = opt_date(rv, "start", rw);
      red.end = opt_date(rv, "end", rw);
      w.reductions.push_back(std::move(red));
    }
  }
  w.reported_weekly_hours = json::opt_number(v, "reported_weekly_hours", where);
  w.expected_new_cases = json::opt_number(v, "expected_new_cases", where);
  return w;
}

Case case_from(const json::Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(v, {"id", "family_id", "case_type", "factors", "open_date", "team", "allocations", "tasks"},
                            where);
  Case c;
  c.id = json::get_string(v, "id", where);
  c.family_id = json::opt_string(v, "family_id", where).value_or("");
  c.case_type = json::get_string(v, "case_type", where);
  c.factors = string_list(v, "factors", where);
  c.opened = Date::parse(json::get_string(v, "open_date", where), where + ": open_date");
  c.team = json::opt_string(v, "team", where).value_or("");
  if (const json::Array* allocs = opt_array(v, "allocations", where)) {
    for (size_t i = 0; i < allocs->size(); ++i) {
      const std::string aw = where + " allocations[" + std::to_string(i) + "]";
      const json::Value& av = (*allocs)[i];
      require_object(av, aw);
      json::reject_unknown_keys(av, {"worker_id", "share"}, aw);
      Allocation a;
      a.worker_id = json::get_string(av, "worker_id", aw);
      a.share = json::opt_number(av, "share", aw).value_or(1.0);
      c.allocations.push_back(std::move(a));
    }
  }
  if (const json::Array* tasks = opt_array(v, "tasks", where)) {
    for (size_t i = 0; i < tasks->size(); ++i) {
      const std::string tw = where + " tasks[" + std::to_string(i) + "]";
      const json::Value& tv = (*tasks)[i];
      require_object(tv, tw);
      json::reject_unknown_keys(tv, {"type", "points", "created", "due", "completed"}, tw);
      Task t;
      t.type = json::get_string(tv, "type", tw);
      t.points = json::opt_number(tv, "points", tw);
      t.created = opt_date(tv, "created", tw);
      t.due = opt_date(tv, "due", tw);
      t.completed = json::opt_bool(tv, "completed", tw).value_or(false);
      c.tasks.push_back(std::move(t));
    }
  }
  return c;
}

Snapshot snapshot_from(const json::Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(
      v, {"date", "worker_id", "utilisation", "cases", "points", "capacity", "team", "service_area"}, where);
  Snapshot s;
  s.date = Date::parse(json::get_string(v, "date", where), where + ": date");
  s.worker_id = json::get_string(v, "worker_id", where);
  s.utilisation = json::get_number(v, "utilisation", where);
  s.cases = json::opt_number(v, "cases", where);
  s.points = json::opt_number(v, "points", where);
  s.capacity = json::opt_number(v, "capacity", where);
  s.team = json::opt_string(v, "team", where).value_or("");
  s.service_area = json::opt_string(v, "service_area", where).value_or("");
  return s;
}

json::Value opt_value(const std::optional<double>& v) {
  return v ? json::Value(*v) : json::Value();
}
json::Value opt_value(const std::optional<Date>& d) {
  return d ? json::Value(d->to_string()) : json::Value();
}

// One record per line: compact enough for large files, still diffable.
template <class T>
std::string records_to_json(const std::vector<T>& records) {
  if (records.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t i = 0; i < records.size(); ++i) {
    out += json::dump(io::to_value(records[i]));
    out += i + 1 < records.size() ? ",\n" : "\n";
  }
  out += "]\n";
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// io:: value conversions (private header io_json.hpp)

namespace io {

std::vector<Worker> workers_from_value(const json::Value& array, std::string_view what) {
  const auto& a = array_of(array, what);
  std::vector<Worker> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) out.push_back(worker_from(a[i], record_where(a[i], "worker", "id", what, i)));
  return out;
}

std::vector<Case> cases_from_value(const json::Value& array, std::string_view what) {
  const auto& a = array_of(array, what);
  std::vector<Case> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) out.push_back(case_from(a[i], record_where(a[i], "case", "id", what, i)));
  return out;
}

std::vector<Snapshot> snapshots_from_value(const json::Value& array, std::string_view what) {
  const auto& a = array_of(array, what);
  std::vector<Snapshot> out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    // Snapshots have no id of their own; name them by worker and position.
    std::string where = std::string(what) + "[" + std::to_string(i) + "]";
    if (a[i].is_object())
      if (const json::Value* w = a[i].find("worker_id"); w != nullptr && w->is_string())
        where += " (worker " + show(w->as_string()) + ")";
    out.push_back(snapshot_from(a[i], where));
  }
  return out;
}

Change change_from_value(const json::Value& v, std::string_view where_view) {
  const std::string where(where_view);
  if (!v.is_object()) throw Error(ErrorCode::parse, where + " must be an object, got " + v.type_name());
  const std::string kind = json::get_string(v, "kind", where);
  Change change;
  if (kind == "add_case") {
    json::reject_unknown_keys(v, {"kind", "case"}, where);
    // The cases parser validates a new case exactly like a loaded one.
    auto cases = cases_from_value(json::Value(json::Array{json::require(v, "case", where)}), where + ".case");
    change.kind = Change::Kind::add_case;
    change.new_case = std::move(cases.at(0));
  } else if (kind == "remove_case") {
    json::reject_unknown_keys(v, {"kind", "case_id"}, where);
    change.kind = Change::Kind::remove_case;
    change.case_id = json::get_string(v, "case_id", where);
  } else if (kind == "move_case") {
    json::reject_unknown_keys(v, {"kind", "case_id", "to_worker"}, where);
    change.kind = Change::Kind::move_case;
    change.case_id = json::get_string(v, "case_id", where);
    change.to_worker = json::get_string(v, "to_worker", where);
  } else {
    std::string msg = where + ": kind must be one of add_case, remove_case, move_case, got ";
    json::append_quoted(msg, kind);
    throw Error(ErrorCode::invalid_argument, msg);
  }
  return change;
}

json::Value to_value(const Worker& w) {
  json::Array skills(w.skills.begin(), w.skills.end());
  json::Array reds;
  for (const Reduction& r : w.reductions) {
    json::Object o;  // (a one-element initializer list trips a GCC 12 -Warray-bounds false positive)
    o.emplace_back("reason", r.reason);
    if (r.percent) o.emplace_back("percent", *r.percent);
    if (r.hours) o.emplace_back("hours", *r.hours);
    o.emplace_back("start", opt_value(r.start));
    o.emplace_back("end", opt_value(r.end));
    reds.emplace_back(std::move(o));
  }
  return json::Value(json::Object{{"id", w.id},
                                  {"team", w.team},
                                  {"service_area", w.service_area},
                                  {"role", w.role},
                                  {"contracted_hours", w.contracted_hours},
                                  {"experience_level", w.experience_level},
                                  {"experience_years", w.experience_years},
                                  {"skills", json::Value(std::move(skills))},
                                  {"start_date", opt_value(w.start_date)},
                                  {"agency", w.agency},
                                  {"reductions", json::Value(std::move(reds))},
                                  {"reported_weekly_hours", opt_value(w.reported_weekly_hours)},
                                  {"expected_new_cases", opt_value(w.expected_new_cases)}});
}

json::Value to_value(const Case& c) {
  json::Array factors(c.factors.begin(), c.factors.end());
  json::Array allocs, tasks;
  for (const Allocation& a : c.allocations)
    allocs.emplace_back(json::Object{{"worker_id", a.worker_id}, {"share", a.share}});
  for (const Task& t : c.tasks)
    tasks.emplace_back(json::Object{{"type", t.type},
                                    {"points", opt_value(t.points)},
                                    {"created", opt_value(t.created)},
                                    {"due", opt_value(t.due)},
                                    {"completed", t.completed}});
  return json::Value(json::Object{{"id", c.id},
                                  {"family_id", c.family_id},
                                  {"case_type", c.case_type},
                                  {"factors", json::Value(std::move(factors))},
                                  {"open_date", c.opened.to_string()},
                                  {"team", c.team},
                                  {"allocations", json::Value(std::move(allocs))},
                                  {"tasks", json::Value(std::move(tasks))}});
}

json::Value to_value(const Snapshot& s) {
  return json::Value(json::Object{{"date", s.date.to_string()},
                                  {"worker_id", s.worker_id},
                                  {"utilisation", s.utilisation},
                                  {"cases", opt_value(s.cases)},
                                  {"points", opt_value(s.points)},
                                  {"capacity", opt_value(s.capacity)},
                                  {"team", s.team},
                                  {"service_area", s.service_area}});
}

template <class T>
json::Value array_value(const std::vector<T>& records) {
  json::Array a;
  a.reserve(records.size());
  for (const T& r : records) a.push_back(to_value(r));
  return json::Value(std::move(a));
}

json::Value to_value(const std::vector<Worker>& workers) {
  return array_value(workers);
}
json::Value to_value(const std::vector<Case>& cases) {
  return array_value(cases);
}
json::Value to_value(const std::vector<Snapshot>& snapshots) {
  return array_value(snapshots);
}

}  // namespace io

// ---------------------------------------------------------------------------
// Public API

std::vector<Worker> workers_from_json(std::string_view text, const Limits& limits) {
  return io::workers_from_value(json::parse(text, limits));
}
std::vector<Case> cases_from_json(std::string_view text, const Limits& limits) {
  return io::cases_from_value(json::parse(text, limits));
}
std::vector<Snapshot> snapshots_from_json(std::string_view text, const Limits& limits) {
  return io::snapshots_from_value(json::parse(text, limits));
}
std::string workers_to_json(const std::vector<Worker>& workers) {
  return records_to_json(workers);
}
std::string cases_to_json(const std::vector<Case>& cases) {
  return records_to_json(cases);
}
std::string snapshots_to_json(const std::vector<Snapshot>& snapshots) {
  return records_to_json(snapshots);
}

Table parse_csv(std::string_view csv, const Limits& limits) {
  if (csv.size() > limits.max_document_bytes)
    throw Error(ErrorCode::limit_exceeded, "CSV document is " + std::to_string(csv.size()) +
                                               " bytes, over the limit of " +
                                               std::to_string(limits.max_document_bytes));
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);

  std::vector<std::vector<std::string>> rows;  // header first
  std::vector<size_t> row_lines;
  std::vector<std::string> record;
  std::string field;
  size_t pos = 0, line = 1;
  while (pos < csv.size()) {
    // One record. Blank lines between records are skipped.
    if (csv[pos] == '\n' || csv[pos] == '\r') {
      pos += (csv[pos] == '\r' && pos + 1 < csv.size() && csv[pos + 1] == '\n') ? 2 : 1;
      ++line;
      continue;
    }
    const size_t record_line = line;
    record.clear();
    for (;;) {
      field.clear();
      const size_t field_line = line;
      if (pos < csv.size() && csv[pos] == '"') {
        ++pos;
        for (;;) {
          if (pos >= csv.size()) csv_fail(ErrorCode::parse, field_line, "unterminated quoted field");
          const char c = csv[pos];
          if (c == '"') {
            if (pos + 1 >= csv.size() || csv[pos + 1] != '"') {
              ++pos;
              break;
            }
            ++pos;  // a doubled quote stands for one
          } else if (c == '\n') {
            ++line;
          }
          field += c;
          ++pos;
          if (field.size() > limits.max_string_bytes)
            csv_fail(ErrorCode::limit_exceeded, field_line,
                     "field longer than the limit of " + std::to_string(limits.max_string_bytes) + " bytes");
        }
      } else {
        while (pos < csv.size() && csv[pos] != ',' && csv[pos] != '\n' && csv[pos] != '\r') {
          if (csv[pos] == '"')
            csv_fail(ErrorCode::parse, line, "quote inside an unquoted field (quote the whole field and double it)");
          field += csv[pos++];
          if (field.size() > limits.max_string_bytes)
            csv_fail(ErrorCode::limit_exceeded, line,
                     "field longer than the limit of " + std::to_string(limits.max_string_bytes) + " bytes");
        }
      }
      record.push_back(std::move(field));
      if (pos >= csv.size()) break;
      if (csv[pos] == ',') {
        ++pos;
        continue;
      }
      if (csv[pos] == '\n' || csv[pos] == '\r') {
        pos += (csv[pos] == '\r' && pos + 1 < csv.size() && csv[pos + 1] == '\n') ? 2 : 1;
        ++line;
        break;
      }
      // Only a quoted field can stop before a separator.
      csv_fail(ErrorCode::parse, line, "unexpected text after a closing quote");
    }
    if (!rows.empty() && record.size() != rows[0].size())
      csv_fail(ErrorCode::parse, record_line,
               "expected " + std::to_string(rows[0].size()) + " fields as in the header, got " +
                   std::to_string(record.size()));
    if (rows.size() > limits.max_records)
      csv_fail(ErrorCode::limit_exceeded, record_line, "more than " + std::to_string(limits.max_records) + " rows");
    rows.push_back(record);
    row_lines.push_back(record_line);
  }
  if (rows.empty()) csv_fail(ErrorCode::parse, 1, "no header row");

  Table t;
  const auto& header = rows[0];
  for (size_t i = 0; i < header.size(); ++i) {
    for (size_t j = 0; j < i; ++j)
      if (header[j] == header[i])
        csv_fail(ErrorCode::parse, row_lines[0], "column " + show(header[i]) + " appears twice");
    Column c;
    c.name = header[i];
    c.text.reserve(rows.size() - 1);
    t.columns.push_back(std::move(c));
  }
  for (size_t r = 1; r < rows.size(); ++r)
    for (size_t i = 0; i < header.size(); ++i) t.columns[i].text.push_back(std::move(rows[r][i]));
  return t;
}

std::vector<Worker> workers_from_table(const Table& table, const Limits& limits) {
  return workers_from_table_impl(table, limits, "");
}
std::vector<Case> cases_from_table(const Table& table, const Limits& limits) {
  return cases_from_table_impl(table, limits, "");
}
std::vector<Snapshot> snapshots_from_table(const Table& table, const Limits& limits) {
  return snapshots_from_table_impl(table, limits, "");
}
std::vector<Worker> workers_from_table(Table&& table, const Limits& limits) {
  return workers_from_table_impl(table, limits, "", true);
}
std::vector<Case> cases_from_table(Table&& table, const Limits& limits) {
  return cases_from_table_impl(table, limits, "", true);
}
std::vector<Snapshot> snapshots_from_table(Table&& table, const Limits& limits) {
  return snapshots_from_table_impl(table, limits, "", true);
}

std::vector<Worker> workers_from_csv(std::string_view csv, const Limits& limits) {
  return workers_from_table_impl(parse_csv(csv, limits), limits, "workers.csv", true);
}
std::vector<Case> cases_from_csv(std::string_view csv, const Limits& limits) {
  return cases_from_table_impl(parse_csv(csv, limits), limits, "cases.csv", true);
}
std::vector<Snapshot> snapshots_from_csv(std::string_view csv, const Limits& limits) {
  return snapshots_from_table_impl(parse_csv(csv, limits), limits, "snapshots.csv", true);
}

Table workers_to_table(const std::vector<Worker>& workers) {
  const size_t n = workers.size();
  std::vector<Column> c;
  for (const auto& spec : kWorkerColumns) c.push_back(text_column(spec.name, n));
  for (size_t k :
       {wcol::contracted_hours, wcol::experience_years, wcol::reported_weekly_hours, wcol::expected_new_cases})
    c[k] = number_column(kWorkerColumns[k].name, n);
  for (const Worker& w : workers) {
    c[wcol::id].text.push_back(w.id);
    c[wcol::team].text.push_back(w.team);
    c[wcol::service_area].text.push_back(w.service_area);
    c[wcol::role].text.push_back(w.role);
    c[wcol::contracted_hours].numbers.push_back(w.contracted_hours);
    c[wcol::experience_level].text.push_back(w.experience_level);
    c[wcol::experience_years].numbers.push_back(w.experience_years);
    c[wcol::skills].text.push_back(join(w.skills, escape_item));
    c[wcol::start_date].text.push_back(date_or_empty(w.start_date));
    c[wcol::agency].text.push_back(w.agency ? "true" : "false");
    c[wcol::reductions].text.push_back(join(w.reductions, format_reduction));
    c[wcol::reported_weekly_hours].numbers.push_back(or_nan(w.reported_weekly_hours));
    c[wcol::expected_new_cases].numbers.push_back(or_nan(w.expected_new_cases));
  }
  return Table{std::move(c)};
}

Table cases_to_table(const std::vector<Case>& cases) {
  const size_t n = cases.size();
  std::vector<Column> c;
  for (const auto& spec : kCaseColumns) c.push_back(text_column(spec.name, n));
  for (const Case& k : cases) {
    c[ccol::id].text.push_back(k.id);
    c[ccol::family_id].text.push_back(k.family_id);
    c[ccol::case_type].text.push_back(k.case_type);
    c[ccol::factors].text.push_back(join(k.factors, escape_item));
    c[ccol::open_date].text.push_back(k.opened.to_string());
    c[ccol::team].text.push_back(k.team);
    c[ccol::allocations].text.push_back(join(k.allocations, [](const Allocation& a) {
      // The bare id means share 1, the common single-worker case.
      return a.share == 1.0 ? escape_item(a.worker_id) : escape_item(a.worker_id) + ":" + format_number(a.share);
    }));
    c[ccol::tasks].text.push_back(join(k.tasks, format_task));
  }
  return Table{std::move(c)};
}

Table snapshots_to_table(const std::vector<Snapshot>& snapshots) {
  const size_t n = snapshots.size();
  std::vector<Column> c;
  for (const auto& spec : kSnapshotColumns) c.push_back(text_column(spec.name, n));
  for (size_t k : {scol::utilisation, scol::cases, scol::points, scol::capacity})
    c[k] = number_column(kSnapshotColumns[k].name, n);
  for (const Snapshot& s : snapshots) {
    c[scol::date].text.push_back(s.date.to_string());
    c[scol::worker_id].text.push_back(s.worker_id);
    c[scol::utilisation].numbers.push_back(s.utilisation);
    c[scol::cases].numbers.push_back(or_nan(s.cases));
    c[scol::points].numbers.push_back(or_nan(s.points));
    c[scol::capacity].numbers.push_back(or_nan(s.capacity));
    c[scol::team].text.push_back(s.team);
    c[scol::service_area].text.push_back(s.service_area);
  }
  return Table{std::move(c)};
}

std::string table_to_csv(const Table& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, t.columns[i].name);
  }
  out += '\n';
  const size_t rows = t.rows();
  for (size_t row = 0; row < rows; ++row) {
    for (size_t i = 0; i < t.columns.size(); ++i) {
      if (i) out += ',';
      const Column& c = t.columns[i];
      if (c.is_numeric) {
        if (std::isfinite(c.numbers[row])) out += format_number(c.numbers[row]);
      } else {
        append_csv_field(out, c.text[row]);
      }
    }
    // A single empty field would write an empty line, which the reader
    // skips; quoting it keeps the row.
    if (t.columns.size() == 1 && !t.columns[0].is_numeric && t.columns[0].text[row].empty()) out += "\"\"";
    out += '\n';
  }
  return out;
}

std::string workers_to_csv(const std::vector<Worker>& workers) {
  return table_to_csv(workers_to_table(workers));
}
std::string cases_to_csv(const std::vector<Case>& cases) {
  return table_to_csv(cases_to_table(cases));
}
std::string snapshots_to_csv(const std::vector<Snapshot>& snapshots) {
  return table_to_csv(snapshots_to_table(snapshots));
}

std::string read_file(const std::string& path, const Limits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(ErrorCode::io, "cannot read " + show_path(path) + ": " + ec.message());
  if (size > limits.max_document_bytes)
    throw Error(ErrorCode::limit_exceeded, show_path(path) + " is " + std::to_string(size) +
                                               " bytes, over the limit of " +
                                               std::to_string(limits.max_document_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot open " + show_path(path) + ": " + std::strerror(errno));
  std::string out(static_cast<size_t>(size), '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    throw Error(ErrorCode::io, "cannot read " + show_path(path) + ": file changed while reading");
  return out;
}

void write_file(const std::string& path, std::string_view contents) {
  // A random part keeps concurrent writers (threads or processes) from
  // sharing a temporary name; the rename makes the last writer win whole.
  static std::atomic<unsigned> counter{0};
  const std::string tmp =
      path + ".tmp" + std::to_string(std::random_device{}()) + "-" + std::to_string(counter.fetch_add(1));
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + std::strerror(errno));
  const bool written = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  const bool closed = std::fclose(f) == 0;
  std::error_code ec;
  if (!written || !closed) {
    std::filesystem::remove(tmp, ec);
    throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": write failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + ec.message());
  }
}

}  // namespace caseload
