// Workers, cases and snapshots as columnar tables and CSV text (formats in
// docs/records_format.md). This layer checks syntax, types and formats;
// semantic checks (unknown case types, duplicate ids, shares summing to 1)
// belong to the Caseload constructor.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/text.hpp"
#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "records/csv.hpp"
#include "records/records_json.hpp"
#include "records/schema.hpp"

namespace caseload {
namespace {

using csv::bind_columns;
using csv::ColumnSpec;
using csv::escape_item;
using csv::format_number;
using csv::ItemParts;
using csv::parse_number_text;
using csv::RowReader;
using csv::show;
using csv::trim;
using csv::unescape;
using text::append_csv_field;

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
using T = csv::ColumnType;
const std::vector<ColumnSpec> kWorkerColumns = {
    {"id", true, T::text, "Unique worker id."},
    {"team", true, T::text, "Team the worker belongs to."},
    {"service_area", false, T::text, "Service area; empty = the scheme's default service area."},
    {"role", true, T::text, "Must name a role in the scheme."},
    {"contracted_hours", true, T::number, "Contracted hours per week."},
    {"experience_level", false, T::text, "Free text."},
    {"experience_years", false, T::number, "Years of experience; default 0."},
    {"skills", false, T::list, "Skill names, e.g. court;welsh."},
    {"start_date", false, T::date, "Start date YYYY-MM-DD; empty = absent."},
    {"agency", false, T::boolean, "Agency worker; true/false, empty = false."},
    {"reductions", false, T::list, "Protected-time reductions, e.g. asye_development:10%:2024-01-01:2024-06-30."},
    {"reported_weekly_hours", false, T::number, "Hours actually worked per week; empty = absent."},
    {"expected_new_cases", false, T::number, "New cases expected per week; empty = absent."}};

namespace ccol {
enum : size_t { id, family_id, case_type, factors, open_date, team, allocations, tasks };
}
const std::vector<ColumnSpec> kCaseColumns = {
    {"id", true, T::text, "Unique case id."},
    {"family_id", false, T::text, "Family the case belongs to."},
    {"case_type", true, T::text, "Must name a case type in the scheme."},
    {"factors", false, T::list, "Complexity factor names, e.g. court_proceedings;interpreter."},
    {"open_date", true, T::date, "Date the case opened, YYYY-MM-DD."},
    {"team", false, T::text, "Team holding an unallocated case."},
    {"allocations", false, T::list, "Allocated workers and shares, e.g. W1 or W1:0.5;W2:0.5; empty = unallocated."},
    {"tasks", false, T::list, "Tasks, e.g. report:2024-04-30:8 (type[:due[:points[:created[:done]]]])."}};

namespace scol {
enum : size_t { date, worker_id, utilisation, cases, points, capacity, team, service_area };
}
const std::vector<ColumnSpec> kSnapshotColumns = {
    {"date", true, T::date, "Date of the snapshot, YYYY-MM-DD."},
    {"worker_id", true, T::text, "The worker's id."},
    {"utilisation", true, T::number, "Points / capacity (1.0 = 100%)."},
    {"cases", false, T::number, "Cases held; empty = absent."},
    {"points", false, T::number, "Weighted points; empty = absent."},
    {"capacity", false, T::number, "Capacity in points; empty = absent."},
    {"team", false, T::text, "Team; empty = filled from the worker record."},
    {"service_area", false, T::text, "Service area; empty = filled from the worker record."}};

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
  // ":1" would be an allocation to nobody, which the writer cannot write
  // back (issue 13, defect 7): the whole item is the error.
  if (a.worker_id.empty()) r.fail_item("allocations", unescape(item), "has no worker_id before ':'");
  if (parts.size() == 2) {
    const auto share = parse_number_text(parts[1]);
    if (!share) r.fail_item("allocations", unescape(item), "share must be a number, got " + show(parts[1]));
    a.share = *share;
  }
  return a;
}

// The bare id means share 1, the common single-worker case.
std::string format_allocation(const Allocation& a) {
  return a.share == 1.0 ? escape_item(a.worker_id) : escape_item(a.worker_id) + ":" + format_number(a.share);
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
}  // namespace

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
    c[ccol::allocations].text.push_back(join(k.allocations, format_allocation));
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

namespace {

// The one table writer; `cell` writes a text cell (append_csv_field for
// records, which must read back unchanged; the spreadsheet-safe writer for
// reports).
template <class Cell>
std::string write_table_csv(const Table& t, Cell cell) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (i) out += ',';
    cell(out, t.columns[i].name);
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
        cell(out, c.text[row]);
      }
    }
    // A single empty field would write an empty line, which the reader
    // skips; quoting it keeps the row.
    if (t.columns.size() == 1 && !t.columns[0].is_numeric && t.columns[0].text[row].empty()) out += "\"\"";
    out += '\n';
  }
  return out;
}

}  // namespace

std::string table_to_csv(const Table& t) {
  return write_table_csv(t, [](std::string& out, std::string_view s) { append_csv_field(out, s); });
}

std::string csv::report_table_to_csv(const Table& t) {
  return write_table_csv(t, [](std::string& out, std::string_view s) { text::append_report_csv_field(out, s); });
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

// ---------------------------------------------------------------------------
// The schema and list cells given as values (records/schema.hpp)

namespace records {

const std::vector<ColumnSpec>& schema(std::string_view kind) {
  if (kind == "workers") return kWorkerColumns;
  if (kind == "cases") return kCaseColumns;
  if (kind == "snapshots") return kSnapshotColumns;
  throw Error(ErrorCode::invalid_argument,
              "record_schema: unknown kind " + show(kind) + " (expected workers, cases or snapshots)");
}

const char* record_noun(std::string_view kind) {
  const auto& specs = schema(kind);  // rejects an unknown kind
  return &specs == &kWorkerColumns ? "worker" : &specs == &kCaseColumns ? "case" : "snapshot";
}

const char* type_name(csv::ColumnType type) {
  switch (type) {
    case csv::ColumnType::number:
      return "number";
    case csv::ColumnType::text:
      return "text";
    case csv::ColumnType::date:
      return "date";
    case csv::ColumnType::list:
      return "list";
    case csv::ColumnType::boolean:
      return "boolean";
  }
  return "text";
}

namespace {

// One part of an item given as an array of its parts: text as is, a number
// as its shortest text, null as an empty (absent) part.
std::string part_text(const json::Value& v, const std::string& where) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.as_string();
  if (v.is_number()) return format_number(v.as_number());
  throw Error(ErrorCode::parse, where + " must be text or a number, got " + v.type_name());
}

// The encoded item of an array of parts: the first part is a name (escaped,
// so any text survives), the rest are numbers, dates or amounts, which the
// reader parses; trailing absent parts are dropped, as the writers do.
std::string item_from_parts(const json::Array& parts, size_t max_parts, const char* form, const std::string& where) {
  if (parts.empty() || parts.size() > max_parts)
    throw Error(ErrorCode::parse, where + " must be " + form + ", got an array of " + std::to_string(parts.size()));
  if (!parts[0].is_string()) throw Error(ErrorCode::parse, where + "[0] must be a string, got " + parts[0].type_name());
  std::vector<std::string> texts{escape_item(parts[0].as_string())};
  for (size_t i = 1; i < parts.size(); ++i) texts.push_back(part_text(parts[i], where + "[" + std::to_string(i) + "]"));
  while (texts.size() > 1 && texts.back().empty()) texts.pop_back();
  std::string out;
  for (size_t i = 0; i < texts.size(); ++i) out += (i ? ":" : "") + texts[i];
  return out;
}

// One item of allocations, tasks or reductions: encoded text as is (the
// reader checks it), an object through the JSON records' reader for the
// field, or an array of the encoded item's parts.
std::string item_text(std::string_view field, const json::Value& item, const std::string& where) {
  if (item.is_string()) return item.as_string();
  if (field == "allocations") {
    if (item.is_object()) return format_allocation(io::allocation_from(item, where));
    if (item.is_array()) return item_from_parts(item.as_array(), 2, "[worker_id, share]", where);
  } else if (field == "tasks") {
    if (item.is_object()) return format_task(io::task_from(item, where));
    if (item.is_array()) return item_from_parts(item.as_array(), 5, "[type, due, points, created, done]", where);
  } else {
    if (item.is_object()) return format_reduction(io::reduction_from(item, where));
    if (item.is_array()) return item_from_parts(item.as_array(), 4, "[reason, amount, start, end]", where);
  }
  throw Error(ErrorCode::parse, where + " must be text, an object or an array of its parts, got " + item.type_name());
}

// ["W1", 0.5]: one worker and share, not two items.
bool is_allocation_pair(const json::Value& v) {
  if (!v.is_array() || v.as_array().size() != 2) return false;
  const json::Array& a = v.as_array();
  return a[0].is_string() && (a[1].is_number() || a[1].is_null());
}

}  // namespace

std::string list_cell_text(std::string_view kind, std::string_view field, const json::Value& cell,
                           const std::string& where) {
  const auto& specs = schema(kind);
  const bool is_list = std::any_of(specs.begin(), specs.end(), [&](const ColumnSpec& c) {
    return c.type == csv::ColumnType::list && field == c.name;
  });
  if (!is_list)
    throw Error(ErrorCode::invalid_argument,
                where + ": " + show(field) + " is not a list field of " + std::string(kind));
  const std::string fw = where + ": " + std::string(field);
  if (cell.is_null()) return {};
  if (cell.is_string()) return cell.as_string();  // already encoded
  std::vector<std::string> items;
  if (field == "skills" || field == "factors") {
    if (!cell.is_array()) throw Error(ErrorCode::parse, fw + " must be an array of strings, got " + cell.type_name());
    for (const std::string& name : io::names_from(cell.as_array(), field, where)) items.push_back(escape_item(name));
  } else if (field == "allocations" && cell.is_object() && cell.find("worker_id") == nullptr) {
    for (const auto& [worker, share] : cell.as_object()) {  // {worker_id: share, ...}
      if (!share.is_number())
        throw Error(ErrorCode::parse,
                    fw + ": the share of " + show(worker) + " must be a number, got " + share.type_name());
      items.push_back(format_allocation(Allocation{worker, share.as_number()}));
    }
  } else if (cell.is_object() || (field == "allocations" && is_allocation_pair(cell))) {
    items.push_back(item_text(field, cell, fw));  // a single item
  } else if (cell.is_array()) {
    const json::Array& a = cell.as_array();
    for (size_t i = 0; i < a.size(); ++i) items.push_back(item_text(field, a[i], fw + "[" + std::to_string(i) + "]"));
  } else {
    throw Error(ErrorCode::parse, fw + " must be an array, got " + cell.type_name());
  }
  return join(items, [](const std::string& t) { return t; });
}

}  // namespace records

}  // namespace caseload
