// Reading and writing records as JSON and CSV. Every parser validates and
// names the record (row number and id) and the field in its errors, and
// enforces Limits so untrusted input cannot take unbounded memory or time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/export.hpp"
#include "caseload/records.hpp"

namespace caseload {

/// The largest accepted Limits::max_depth. The JSON parser recurses once per
/// nesting level, about 0.8 KiB of stack a level in a release build (GCC 12
/// -O2: 512 levels needed 384-448 KiB on a thread) and 4-8 KiB under ASan
/// (256 levels overflowed a 1 MiB thread, 128 did not). 128 levels, twice
/// the default, take about 105 KiB: safe on a 1 MiB thread stack in every
/// build, with most of it left to the caller.
inline constexpr uint32_t max_depth_ceiling = 128;

/// Bounds on untrusted input. Exceeding one throws Error(limit_exceeded).
struct Limits {
  uint64_t max_document_bytes = 256ull << 20;  ///< 256 MiB
  uint32_t max_depth = 64;                     ///< JSON nesting, at most max_depth_ceiling
  uint64_t max_records = 5'000'000;            ///< rows or array elements per table
  uint64_t max_string_bytes = 1u << 20;        ///< one string or CSV field
};

/// Throws Error(invalid_argument) naming the field when a bound is 0 or
/// max_depth is above max_depth_ceiling. The setters and the JSON parser
/// call it, so no Limits can make the parser overflow its stack.
CASELOAD_API void check_limits(const Limits& limits);

/// The process-wide default limits (thread-safe to read; set before use).
CASELOAD_API Limits default_limits() noexcept;
/// Validates with check_limits (a rejected value changes nothing), then sets.
CASELOAD_API void set_default_limits(const Limits& limits);

// ---- JSON: arrays of objects, field names as in the CSV headers below ----
CASELOAD_API std::vector<Worker> workers_from_json(std::string_view json, const Limits& limits = default_limits());
CASELOAD_API std::vector<Case> cases_from_json(std::string_view json, const Limits& limits = default_limits());
CASELOAD_API std::vector<Snapshot> snapshots_from_json(std::string_view json, const Limits& limits = default_limits());
CASELOAD_API std::string workers_to_json(const std::vector<Worker>& workers);
CASELOAD_API std::string cases_to_json(const std::vector<Case>& cases);
CASELOAD_API std::string snapshots_to_json(const std::vector<Snapshot>& snapshots);

// ---- CSV (RFC 4180, header row required, UTF-8) ----
// workers.csv: id,team,service_area,role,contracted_hours,experience_level,
//   experience_years,skills,start_date,agency,reductions,
//   reported_weekly_hours,expected_new_cases
//   skills: "a;b"; reductions: "reason:10%:2024-01-01:2024-06-30;reason:3.7h::"
// cases.csv: id,family_id,case_type,factors,open_date,team,allocations,tasks
//   factors: "a;b"; allocations: "W1" or "W1:0.5;W2:0.5";
//   tasks: "type:due" or "type:due:points" separated by ";"
// snapshots.csv: date,worker_id,utilisation[,cases,points,capacity,team,service_area]
// Optional columns may be absent; unknown columns are an error (a typo
// must not silently drop data).
CASELOAD_API std::vector<Worker> workers_from_csv(std::string_view csv, const Limits& limits = default_limits());
CASELOAD_API std::vector<Case> cases_from_csv(std::string_view csv, const Limits& limits = default_limits());
CASELOAD_API std::vector<Snapshot> snapshots_from_csv(std::string_view csv, const Limits& limits = default_limits());
CASELOAD_API std::string workers_to_csv(const std::vector<Worker>& workers);
CASELOAD_API std::string cases_to_csv(const std::vector<Case>& cases);
CASELOAD_API std::string snapshots_to_csv(const std::vector<Snapshot>& snapshots);

// ---- Columnar tables: how pandas DataFrames (and CSV files) reach the core ----
/// One column. Numeric columns use NaN for a missing value; text columns use
/// the empty string. Dates are text "YYYY-MM-DD". List-valued fields
/// (skills, factors, allocations, tasks, reductions) use the CSV encodings
/// above.
struct Column {
  std::string name;
  bool is_numeric = false;
  std::vector<double> numbers;    ///< when is_numeric
  std::vector<std::string> text;  ///< otherwise
};

/// Columns of equal length. Built by parse_csv() or by the Python layer.
struct Table {
  std::vector<Column> columns;
  [[nodiscard]] size_t rows() const noexcept {
    return columns.empty() ? 0 : (columns[0].is_numeric ? columns[0].numbers.size() : columns[0].text.size());
  }
  [[nodiscard]] const Column* find(std::string_view name) const noexcept {
    for (const auto& c : columns)
      if (c.name == name) return &c;
    return nullptr;
  }
};

/// Parses RFC 4180 CSV into text columns (header row required; rows must
/// have as many fields as the header). Error messages name the line.
CASELOAD_API Table parse_csv(std::string_view csv, const Limits& limits = default_limits());
/// The *_from_csv functions are parse_csv() followed by these; a numeric
/// field may arrive as text (CSV) or as a number (DataFrame) and is
/// validated the same way. Errors name the row (1-based data row) and id.
CASELOAD_API std::vector<Worker> workers_from_table(const Table& table, const Limits& limits = default_limits());
CASELOAD_API std::vector<Case> cases_from_table(const Table& table, const Limits& limits = default_limits());
CASELOAD_API std::vector<Snapshot> snapshots_from_table(const Table& table, const Limits& limits = default_limits());
/// The same, moving text out of a table the caller no longer needs (saves a
/// copy of every string; the table is left valid but unspecified).
CASELOAD_API std::vector<Worker> workers_from_table(Table&& table, const Limits& limits = default_limits());
CASELOAD_API std::vector<Case> cases_from_table(Table&& table, const Limits& limits = default_limits());
CASELOAD_API std::vector<Snapshot> snapshots_from_table(Table&& table, const Limits& limits = default_limits());
CASELOAD_API Table workers_to_table(const std::vector<Worker>& workers);
CASELOAD_API Table cases_to_table(const std::vector<Case>& cases);
CASELOAD_API Table snapshots_to_table(const std::vector<Snapshot>& snapshots);

/// Writes any table as RFC 4180 CSV (LF line ends; numbers in their shortest
/// round-trip form; a missing number is an empty field).
CASELOAD_API std::string table_to_csv(const Table& table);

/// Reads a whole file; throws Error(io) naming the path.
CASELOAD_API std::string read_file(const std::string& path, const Limits& limits = default_limits());
/// Writes a whole file atomically: a temporary file in the same folder,
/// flushed to disk (fsync), then renamed over the target, so a reader sees
/// the old file or the new one and a failed write (full disk, file size
/// limit, no permission) leaves the old file unchanged. An existing file
/// keeps its permission bits; a symbolic link is followed (the link stays,
/// its target is replaced). Throws Error(io) with the system's own reason,
/// e.g. "cannot write \"out.csv\": No space left on device". Thread-safe.
CASELOAD_API void write_file(const std::string& path, std::string_view contents);

}  // namespace caseload
