// Private: the record formats' text pieces, shared by the CSV/table readers
// (records_csv.cpp), the JSON readers (records_json.cpp) and the file I/O
// (files.cpp): numbers as text, quoting for messages, the escaped list
// encodings ("a;b", "reason:10%") and reading a Table one row at a time.
// Formats: docs/records_format.md. Not API.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/io.hpp"

namespace caseload::csv {

/// Shortest round-trip text of a number (std::to_chars).
std::string format_number(double d);

/// Quoted for an error message; long values are cut so a hostile field
/// cannot make a message huge.
std::string show(std::string_view s, size_t max = 64);

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Strict decimal text (what to_chars writes, plus a leading '+' and
/// surrounding blanks); nullopt when it is not a finite number.
std::optional<double> parse_number_text(std::string_view s);

/// List fields use ';' between items and ':' between an item's parts; a
/// backslash escapes the next character so any text round-trips.
std::string escape_item(std::string_view s);

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
bool split_escaped(std::string_view s, char sep, std::vector<std::string_view>& parts);

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
// The text of a list piece with its escapes removed.
std::string unescape(std::string_view s);

// ---------------------------------------------------------------------------
// Tables: one row at a time, with errors naming table, row, id and field

// The kind of value a column holds; published to the bindings as the
// records' schema (records/schema.hpp) so they need no copy of it.
enum class ColumnType { number, text, date, list, boolean };

// One field of a record type as a table column.
struct ColumnSpec {
  const char* name;
  bool required;
  ColumnType type;
  const char* doc;  // one line, as in docs/records_format.md
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

/// A report table (league table, ...) as CSV for spreadsheets: as
/// table_to_csv, but text cells go through text::append_report_csv_field
/// (formula injection). Never for record tables, which must read back.
std::string report_table_to_csv(const Table& table);

// Resolves spec columns in `table`; rejects unknown and duplicate columns,
// missing required ones, ragged columns and too many rows.
std::vector<const Column*> bind_columns(const Table& table, const std::vector<ColumnSpec>& specs,
                                        std::string_view label, const Limits& limits);

}  // namespace caseload::csv
