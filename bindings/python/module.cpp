// caseload._core: a thin pybind11 layer over the C++ core.
//
// Everything crosses as plain Python values: tables as dicts of column name ->
// numpy float64 array (numeric) or list of str (text), records of results as
// dicts of scalars, dates as "YYYY-MM-DD" text. The friendly API (DataFrames,
// reprs, CLI) lives in python/caseload; no figure is computed here or there,
// only in the core.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/caseload.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace {

using caseload::Date;
using caseload::Error;
using caseload::ErrorCode;
using caseload::Table;

[[noreturn]] void fail(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

// ---- Tables ---------------------------------------------------------------

// A missing cell of a text column: None, a float NaN, pandas.NA or NaT.
// pandas' missing markers are recognised by type name so this module does
// not import pandas.
bool is_missing_cell(PyObject* cell) {
  if (cell == Py_None) return true;
  if (PyFloat_Check(cell)) return std::isnan(PyFloat_AS_DOUBLE(cell));
  const char* name = Py_TYPE(cell)->tp_name;
  return std::strcmp(name, "NAType") == 0 || std::strcmp(name, "NaTType") == 0;
}

[[noreturn]] void fail_cell(const char* what, size_t row, const std::string& column, PyObject* cell) {
  fail(ErrorCode::invalid_argument, std::string(what) + " row " + std::to_string(row + 1) + ": column \"" + column +
                                        "\" must hold text, got " + Py_TYPE(cell)->tp_name);
}

// The cells of a list or a one-dimensional numpy object array as raw object
// pointers (borrowed from the container): read without per-cell casts.
struct ObjectCells {
  PyObject* const* data = nullptr;
  size_t size = 0;
  ptrdiff_t stride = sizeof(PyObject*);  // bytes between cells
  PyObject* operator[](size_t i) const {
    return *reinterpret_cast<PyObject* const*>(reinterpret_cast<const char*>(data) +
                                               static_cast<ptrdiff_t>(i) * stride);
  }
};

std::optional<ObjectCells> object_cells(py::handle value) {
  if (PyList_Check(value.ptr()))
    return ObjectCells{reinterpret_cast<PyListObject*>(value.ptr())->ob_item,
                       static_cast<size_t>(PyList_GET_SIZE(value.ptr())), sizeof(PyObject*)};
  if (py::isinstance<py::array>(value)) {
    const auto arr = py::reinterpret_borrow<py::array>(value);
    if (arr.dtype().kind() == 'O' && arr.ndim() == 1)
      return ObjectCells{static_cast<PyObject* const*>(arr.data()), static_cast<size_t>(arr.shape(0)), arr.strides(0)};
  }
  return std::nullopt;
}

// Cells of a text column straight from the object pointers: ASCII text is
// read in place (CPython keeps it as UTF-8).
void text_from_objects(const ObjectCells& cells, caseload::Column& col, const char* what) {
  col.text.resize(cells.size);
  for (size_t i = 0; i < cells.size; ++i) {
    PyObject* cell = cells[i];
    if (PyUnicode_Check(cell)) {
      if (PyUnicode_IS_COMPACT_ASCII(cell)) {  // ASCII is its own UTF-8: read in place, no call
        col.text[i].assign(static_cast<const char*>(PyUnicode_DATA(cell)),
                           static_cast<size_t>(PyUnicode_GET_LENGTH(cell)));
        continue;
      }
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(cell, &size);
      if (utf8 == nullptr) throw py::error_already_set();
      col.text[i].assign(utf8, static_cast<size_t>(size));
    } else if (!is_missing_cell(cell)) {
      fail_cell(what, i, col.name, cell);
    }
  }
}

// datetime64 cells as "YYYY-MM-DD" (NaT = missing), so a DataFrame's date
// columns cross without a Python call per cell.
void text_from_datetimes(const py::array& value, caseload::Column& col, const char* what) {
  const auto days =
      py::array_t<int64_t, py::array::forcecast>::ensure(value.attr("astype")("datetime64[D]").attr("view")("int64"));
  if (!days || days.ndim() != 1)
    fail(ErrorCode::invalid_argument, std::string(what) + ": column \"" + col.name + "\" must be one-dimensional");
  const auto d = days.unchecked<1>();
  col.text.resize(static_cast<size_t>(d.shape(0)));
  for (py::ssize_t i = 0; i < d.shape(0); ++i) {
    const int64_t v = d(i);
    if (v == std::numeric_limits<int64_t>::min()) continue;  // NaT
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
      fail(ErrorCode::invalid_argument, std::string(what) + " row " + std::to_string(i + 1) + ": column \"" + col.name +
                                            "\" holds a date out of range");
    col.text[static_cast<size_t>(i)] = Date{static_cast<int32_t>(v)}.to_string();
  }
}

// A numpy array whose dtype is numeric (bool, int, unsigned, float) crosses
// as a numeric column; a datetime64 array as dates; anything else must be a
// sequence of str (or missing: None, NaN, pandas.NA, NaT, read as the empty
// string) and crosses as text.
Table table_from_py(const py::dict& columns, const char* what) {
  Table table;
  size_t rows = 0;
  bool first = true;
  for (const auto& item : columns) {
    caseload::Column col;
    if (!py::isinstance<py::str>(item.first))
      fail(ErrorCode::invalid_argument, std::string(what) + ": column names must be str");
    col.name = item.first.cast<std::string>();
    const py::handle value = item.second;
    bool numeric = false;
    char kind = '\0';
    if (py::isinstance<py::array>(value)) {
      kind = py::reinterpret_borrow<py::array>(value).dtype().kind();
      numeric = kind == 'f' || kind == 'i' || kind == 'u' || kind == 'b';
    }
    const std::optional<ObjectCells> cells = object_cells(value);
    if (kind == 'M') {
      text_from_datetimes(py::reinterpret_borrow<py::array>(value), col, what);
    } else if (cells) {
      text_from_objects(*cells, col, what);
    } else if (numeric) {
      auto arr = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
      if (!arr || arr.ndim() != 1)
        fail(ErrorCode::invalid_argument, std::string(what) + ": column \"" + col.name + "\" must be one-dimensional");
      col.is_numeric = true;
      col.numbers.assign(arr.data(), arr.data() + arr.shape(0));
    } else {
      if (py::isinstance<py::str>(value) || !py::isinstance<py::sequence>(value))
        fail(ErrorCode::invalid_argument,
             std::string(what) + ": column \"" + col.name + "\" must be a numeric array or a sequence of str");
      const auto seq = py::reinterpret_borrow<py::sequence>(value);
      col.text.reserve(seq.size());
      size_t row = 0;
      for (const auto& cell : seq) {
        ++row;
        if (cell.is_none()) {
          col.text.emplace_back();
        } else if (py::isinstance<py::str>(cell)) {
          col.text.push_back(cell.cast<std::string>());
        } else {
          fail(ErrorCode::invalid_argument, std::string(what) + " row " + std::to_string(row) + ": column \"" +
                                                col.name + "\" must hold text, got " +
                                                std::string(py::str(py::type::handle_of(cell).attr("__name__"))));
        }
      }
    }
    const size_t n = col.is_numeric ? col.numbers.size() : col.text.size();
    if (first) {
      rows = n;
      first = false;
    } else if (n != rows) {
      fail(ErrorCode::invalid_argument, std::string(what) + ": column \"" + col.name + "\" has " + std::to_string(n) +
                                            " rows, expected " + std::to_string(rows));
    }
    table.columns.push_back(std::move(col));
  }
  return table;
}

// Hands a vector's buffer to numpy without copying; the capsule owns it.
template <typename T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* owner = new std::vector<T>(std::move(values));
  py::capsule capsule(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owner->size())}, {static_cast<py::ssize_t>(sizeof(T))}, owner->data(),
                        capsule);
}

py::list to_list(const std::vector<std::string>& values) {
  py::list out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = py::str(values[i]);
  return out;
}

py::dict table_to_py(Table&& table) {
  py::dict out;
  for (auto& col : table.columns) {
    if (col.is_numeric) {
      out[py::str(col.name)] = to_numpy(std::move(col.numbers));
    } else {
      out[py::str(col.name)] = to_list(col.text);
    }
  }
  return out;
}

// Builds result columns row by row: one numeric vector or string vector per
// field, in the order fields are first added.
class Columns {
 public:
  void num(std::string_view name, double v) { slot(name, Kind::number).numbers.push_back(v); }
  void integer(std::string_view name, int64_t v) { slot(name, Kind::integer).integers.push_back(v); }
  void flag(std::string_view name, bool v) { slot(name, Kind::flag).flags.push_back(v); }
  void text(std::string_view name, std::string v) { slot(name, Kind::text).text.push_back(std::move(v)); }

  // Declares a column up front so an empty result still has it.
  void declare_num(std::string_view name) { slot(name, Kind::number); }
  void declare_integer(std::string_view name) { slot(name, Kind::integer); }
  void declare_flag(std::string_view name) { slot(name, Kind::flag); }
  void declare_text(std::string_view name) { slot(name, Kind::text); }

  py::dict to_py() {
    py::dict out;
    for (auto& c : cols_) {
      switch (c.kind) {
        case Kind::number:
          out[py::str(c.name)] = to_numpy(std::move(c.numbers));
          break;
        case Kind::integer:
          out[py::str(c.name)] = to_numpy(std::move(c.integers));
          break;
        case Kind::flag: {
          py::array_t<bool> arr(static_cast<py::ssize_t>(c.flags.size()));
          auto m = arr.mutable_unchecked<1>();
          for (size_t i = 0; i < c.flags.size(); ++i) m(static_cast<py::ssize_t>(i)) = c.flags[i];
          out[py::str(c.name)] = arr;
          break;
        }
        case Kind::text:
          out[py::str(c.name)] = to_list(c.text);
          break;
      }
    }
    return out;
  }

 private:
  enum class Kind { number, integer, flag, text };
  struct Col {
    std::string name;
    Kind kind = Kind::number;
    std::vector<double> numbers;
    std::vector<int64_t> integers;
    std::vector<bool> flags;
    std::vector<std::string> text;
  };
  Col& slot(std::string_view name, Kind kind) {
    // Rows add their fields in the same order, so the column after the last
    // one used is nearly always the one wanted: one comparison per cell.
    if (!cols_.empty()) {
      const size_t next = (last_ + 1) % cols_.size();
      if (cols_[next].name == name) return cols_[last_ = next];
    }
    // Few columns (< 60): a linear scan keeps first-seen order without a map.
    for (size_t i = 0; i < cols_.size(); ++i)
      if (cols_[i].name == name) return cols_[last_ = i];
    cols_.push_back(Col{std::string(name), kind, {}, {}, {}, {}});
    last_ = cols_.size() - 1;
    return cols_.back();
  }
  std::vector<Col> cols_;
  size_t last_ = 0;
};

// ---- Enumerations ---------------------------------------------------------

caseload::Level parse_level(const std::string& s) {
  if (s == "team") return caseload::Level::team;
  if (s == "service_area") return caseload::Level::service_area;
  if (s == "organisation" || s == "organization") return caseload::Level::organisation;
  fail(ErrorCode::invalid_argument,
       "rollup: level must be \"team\", \"service_area\" or \"organisation\", got \"" + s + "\"");
}

const char* line_kind_name(caseload::BreakdownLine::Kind k) {
  using K = caseload::BreakdownLine::Kind;
  switch (k) {
    case K::case_base:
      return "case_base";
    case K::factor_add:
      return "factor_add";
    case K::factor_multiply:
      return "factor_multiply";
    case K::task:
      return "task";
    case K::share:
      return "share";
    case K::reduction:
      return "reduction";
    case K::role_cap:
      return "role_cap";
    case K::capacity:
      return "capacity";
  }
  return "unknown";
}

std::optional<Date> opt_date(const std::optional<std::string>& s, const char* what) {
  if (!s || s->empty()) return std::nullopt;
  return Date::parse(*s, what);
}

py::object date_or_none(const std::optional<Date>& d) {
  if (!d) return py::none();
  return py::str(d->to_string());
}

// ---- Results as columns ---------------------------------------------------

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

void add_load(Columns& c, const caseload::WorkerLoad& w, const std::string& prefix = "") {
  auto key = [&](const char* name) { return prefix + name; };
  if (prefix.empty()) {
    c.text("worker_id", w.worker_id);
    c.text("team", w.team);
    c.text("service_area", w.service_area);
    c.text("role", w.role);
    c.flag("case_holding", w.case_holding);
    c.flag("is_asye", w.is_asye);
    c.num("fte", w.fte);
    c.num("available_hours", w.available_hours);
  }
  c.num(key("cases"), w.cases);
  c.num(key("points"), w.points);
  c.num(key("capacity"), w.capacity);
  c.num(key("utilisation"), w.utilisation);
  c.num(key("headroom"), w.headroom);
  c.text(key("band"), caseload::band_name(w.band));
  c.flag(key("over_case_benchmark"), w.over_case_benchmark);
  c.flag(key("asye_protected"), w.asye_protected);
  if (prefix.empty()) c.text("asye_breaches", join(w.asye_breaches, "; "));
}

py::dict loads_to_py(const std::vector<caseload::WorkerLoad>& loads) {
  Columns c;
  for (const char* t : {"worker_id", "team", "service_area", "role"}) c.declare_text(t);
  c.declare_flag("case_holding");
  c.declare_flag("is_asye");
  for (const char* t : {"fte", "available_hours", "cases", "points", "capacity", "utilisation", "headroom"})
    c.declare_num(t);
  c.declare_text("band");
  c.declare_flag("over_case_benchmark");
  c.declare_flag("asye_protected");
  c.declare_text("asye_breaches");
  for (const auto& w : loads) add_load(c, w);
  return c.to_py();
}

py::dict load_to_dict(const caseload::WorkerLoad& w) {
  return py::dict("worker_id"_a = w.worker_id, "team"_a = w.team, "service_area"_a = w.service_area, "role"_a = w.role,
                  "case_holding"_a = w.case_holding, "is_asye"_a = w.is_asye, "fte"_a = w.fte,
                  "available_hours"_a = w.available_hours, "cases"_a = w.cases, "points"_a = w.points,
                  "capacity"_a = w.capacity, "utilisation"_a = w.utilisation, "headroom"_a = w.headroom,
                  "band"_a = caseload::band_name(w.band), "over_case_benchmark"_a = w.over_case_benchmark,
                  "asye_protected"_a = w.asye_protected, "asye_breaches"_a = to_list(w.asye_breaches));
}

void add_distribution(Columns& c, const std::string& prefix, const caseload::Distribution& d) {
  c.num(prefix + "_p10", d.p10);
  c.num(prefix + "_p50", d.p50);
  c.num(prefix + "_p90", d.p90);
  c.num(prefix + "_max", d.max);
  c.num(prefix + "_mean", d.mean);
  c.integer(prefix + "_n", d.n);
}

py::dict rollups_to_py(const std::vector<caseload::Rollup>& rollups) {
  Columns c;
  c.declare_text("level");
  c.declare_text("group");
  for (const auto& r : rollups) {
    c.text("level", caseload::level_name(r.level));
    c.text("group", r.group);
    c.integer("workers", r.workers);
    c.integer("case_holding_workers", r.case_holding_workers);
    c.num("case_holding_fte", r.case_holding_fte);
    c.num("cases", r.cases);
    c.num("points", r.points);
    c.num("capacity", r.capacity);
    c.num("utilisation", r.utilisation);
    c.num("mean_cases_per_fte", r.mean_cases_per_fte);
    c.num("median_cases_per_fte", r.median_cases_per_fte);
    add_distribution(c, "utilisation", r.utilisation_distribution);
    add_distribution(c, "cases", r.cases_distribution);
    c.integer("green", r.band_counts[0]);
    c.integer("amber", r.band_counts[1]);
    c.integer("red", r.band_counts[2]);
    c.integer("excessive", r.band_counts[3]);
    c.num("share_green", r.band_shares[0]);
    c.num("share_amber", r.band_shares[1]);
    c.num("share_red", r.band_shares[2]);
    c.num("share_excessive", r.band_shares[3]);
    c.integer("over_case_benchmark", r.over_case_benchmark);
    c.num("share_over_case_benchmark", r.share_over_case_benchmark);
    c.num("gini_utilisation", r.gini_utilisation);
    c.num("jain_index", r.jain_index);
    c.integer("unallocated_cases", r.unallocated_cases);
    c.num("unallocated_points", r.unallocated_points);
    c.num("unallocated_mean_age_days", r.unallocated_mean_age_days);
    c.num("unallocated_max_age_days", r.unallocated_max_age_days);
    c.integer("asye_workers", r.asye_workers);
    c.integer("asye_protected", r.asye_protected);
    c.num("asye_compliance", r.asye_compliance);
    c.num("non_case_holding_points", r.non_case_holding_points);
    c.num("non_case_holding_capacity", r.non_case_holding_capacity);
  }
  return c.to_py();
}

py::dict history_to_py(const caseload::ExceedanceHistory& h) {
  Columns e;
  for (const char* t : {"worker_id", "team", "service_area", "start", "end"}) e.declare_text(t);
  e.declare_integer("snapshots");
  e.declare_integer("length_days");
  e.declare_num("peak");
  e.declare_flag("ongoing");
  for (const auto& ep : h.episodes) {
    e.text("worker_id", ep.worker_id);
    e.text("team", ep.team);
    e.text("service_area", ep.service_area);
    e.text("start", ep.start.to_string());
    e.text("end", ep.end.to_string());
    e.integer("snapshots", ep.snapshots);
    e.integer("length_days", ep.length_days);
    e.num("peak", ep.peak);
    e.flag("ongoing", ep.ongoing);
  }
  Columns s;
  s.declare_text("level");
  s.declare_text("group");
  for (const char* t : {"workers_observed", "workers_with_episode"}) s.declare_integer(t);
  s.declare_num("share_with_episode");
  for (const char* t : {"episodes", "snapshots_over"}) s.declare_integer(t);
  s.declare_num("mean_episode_days");
  s.declare_integer("longest_episode_days");
  s.declare_num("peak");
  for (const auto& su : h.summaries) {
    s.text("level", caseload::level_name(su.level));
    s.text("group", su.group);
    s.integer("workers_observed", su.workers_observed);
    s.integer("workers_with_episode", su.workers_with_episode);
    s.num("share_with_episode", su.share_with_episode);
    s.integer("episodes", su.episodes);
    s.integer("snapshots_over", su.snapshots_over);
    s.num("mean_episode_days", su.mean_episode_days);
    s.integer("longest_episode_days", su.longest_episode_days);
    s.num("peak", su.peak);
  }
  py::object threshold = h.rule.threshold ? py::object(py::float_(*h.rule.threshold)) : py::object(py::none());
  return py::dict("from"_a = h.from.to_string(), "to"_a = h.to.to_string(), "threshold"_a = threshold,
                  "min_consecutive"_a = h.rule.min_consecutive, "max_gap_days"_a = h.rule.max_gap_days,
                  "episodes"_a = e.to_py(), "summaries"_a = s.to_py());
}

caseload::ExceedanceRule make_rule(std::optional<double> threshold, int32_t min_consecutive, int32_t max_gap_days) {
  caseload::ExceedanceRule rule;
  rule.threshold = threshold;
  rule.min_consecutive = min_consecutive;
  rule.max_gap_days = max_gap_days;
  return rule;
}

// ---- Scheme ---------------------------------------------------------------

const char* capacity_kind_name(caseload::CapacityPolicy::Kind k) {
  return k == caseload::CapacityPolicy::Kind::hours ? "hours" : "points_per_fte";
}

py::dict thresholds_dict(const caseload::ServiceAreaRule& a) {
  return py::dict("name"_a = a.name, "green_below"_a = a.thresholds.green_below, "amber_to"_a = a.thresholds.amber_to,
                  "excessive_above"_a = a.thresholds.excessive_above, "safe_caseload_cases"_a = a.safe_caseload_cases,
                  "source"_a = a.source);
}

py::list scheme_versions(const caseload::WeightingScheme& s) {
  py::list out;
  for (const auto& v : s.versions()) {
    py::list case_types, factors, tasks, roles, areas;
    for (const auto& r : v.case_types)
      case_types.append(py::dict("name"_a = r.name, "base_points"_a = r.base_points,
                                 "asye_cowork_only"_a = r.asye_cowork_only, "source"_a = r.source));
    for (const auto& r : v.factors)
      factors.append(py::dict("name"_a = r.name,
                              "kind"_a = r.kind == caseload::FactorRule::Kind::add ? "add" : "multiply",
                              "value"_a = r.value, "source"_a = r.source));
    for (const auto& r : v.tasks)
      tasks.append(py::dict("name"_a = r.name, "points"_a = r.points, "source"_a = r.source));
    for (const auto& r : v.roles) {
      py::object max_cases = r.max_cases ? py::object(py::float_(*r.max_cases)) : py::object(py::none());
      roles.append(py::dict("name"_a = r.name, "capacity_cap"_a = r.capacity_cap, "case_holding"_a = r.case_holding,
                            "is_asye"_a = r.is_asye, "max_cases"_a = max_cases, "source"_a = r.source));
    }
    for (const auto& a : v.service_areas) areas.append(thresholds_dict(a));
    py::dict capacity("kind"_a = capacity_kind_name(v.capacity.kind), "target_points"_a = v.capacity.target_points,
                      "standard_hours"_a = v.capacity.standard_hours, "round_down"_a = v.capacity.round_down,
                      "source"_a = v.capacity.source);
    out.append(py::dict("version"_a = v.version, "effective_from"_a = v.effective_from.to_string(),
                        "effective_to"_a = date_or_none(v.effective_to), "capacity"_a = capacity,
                        "case_types"_a = case_types, "factors"_a = factors, "tasks"_a = tasks, "roles"_a = roles,
                        "service_areas"_a = areas, "default_service_area"_a = thresholds_dict(v.default_service_area)));
  }
  return out;
}

// ---- Model ----------------------------------------------------------------

// The core allows concurrent const calls but no call overlapping a mutation.
// The GIL is released during long calls, so Python threads could overlap;
// this lock restores the core's contract. It is always taken after the GIL
// is released, never while holding it, so the two cannot deadlock.
struct Model {
  caseload::Caseload core;
  mutable std::shared_mutex mu;

  explicit Model(caseload::Caseload&& c) : core(std::move(c)) {}
};

std::shared_ptr<Model> make_model(const caseload::WeightingScheme& scheme, const py::dict& workers,
                                  const py::dict& cases, const std::string& as_of) {
  Table wt = table_from_py(workers, "workers");
  Table ct = table_from_py(cases, "cases");
  py::gil_scoped_release release;
  const Date date = Date::parse(as_of, "as_of");
  auto w = caseload::workers_from_table(std::move(wt));
  auto c = caseload::cases_from_table(std::move(ct));
  return std::make_shared<Model>(caseload::Caseload(scheme, std::move(w), std::move(c), date));
}

caseload::Change make_change(const std::string& kind, const py::object& new_case, const std::string& case_id,
                             const std::string& to_worker) {
  caseload::Change change;
  if (kind == "add_case") {
    change.kind = caseload::Change::Kind::add_case;
    if (!py::isinstance<py::dict>(new_case)) fail(ErrorCode::invalid_argument, "add_case: new case must be a table");
    Table t = table_from_py(new_case.cast<py::dict>(), "new case");
    if (t.rows() != 1) fail(ErrorCode::invalid_argument, "add_case: exactly one new case is required");
    auto cases = caseload::cases_from_table(t);
    change.new_case = std::move(cases.at(0));
  } else if (kind == "remove_case") {
    change.kind = caseload::Change::Kind::remove_case;
    change.case_id = case_id;
  } else if (kind == "move_case") {
    change.kind = caseload::Change::Kind::move_case;
    change.case_id = case_id;
    change.to_worker = to_worker;
  } else {
    fail(ErrorCode::invalid_argument, "change: kind must be add_case, remove_case or move_case, got \"" + kind + "\"");
  }
  return change;
}

py::dict preview_to_py(const caseload::ImpactPreview& p) {
  Columns c;
  c.declare_text("worker_id");
  for (const auto& w : p.workers) {
    c.text("worker_id", w.worker_id);
    c.text("team", w.before.team);
    add_load(c, w.before, "before_");
    add_load(c, w.after, "after_");
  }
  return c.to_py();
}

// ---- Health check ---------------------------------------------------------

struct HealthCheckResult {
  caseload::HealthCheck hc;
};

caseload::HealthCheckOptions make_options(const py::dict& o) {
  caseload::HealthCheckOptions opt;
  for (const auto& item : o) {
    const auto key = item.first.cast<std::string>();
    const py::handle v = item.second;
    if (v.is_none()) continue;
    if (key == "organisation")
      opt.organisation = v.cast<std::string>();
    else if (key == "history_days")
      opt.history_days = v.cast<int32_t>();
    else if (key == "overtime_tolerance_hours")
      opt.overtime_tolerance_hours = v.cast<double>();
    else if (key == "threshold")
      opt.exceedance.threshold = v.cast<double>();
    else if (key == "min_consecutive")
      opt.exceedance.min_consecutive = v.cast<int32_t>();
    else if (key == "max_gap_days")
      opt.exceedance.max_gap_days = v.cast<int32_t>();
    else
      fail(ErrorCode::invalid_argument, "health_check: unknown option \"" + key + "\"");
  }
  return opt;
}

py::dict rollup_to_dict(const caseload::Rollup& r) {
  // One row of the columnar form, unwrapped to scalars.
  py::dict cols = rollups_to_py({r});
  py::dict out;
  for (const auto& item : cols) {
    const auto col = py::reinterpret_borrow<py::object>(item.second);
    py::object first = col.attr("__getitem__")(0);
    if (py::isinstance<py::array>(col)) first = first.attr("item")();  // numpy scalar -> Python scalar
    out[item.first] = first;
  }
  return out;
}

py::dict health_summary(const caseload::HealthCheck& hc) {
  py::dict out("organisation"_a = hc.organisation, "as_of"_a = hc.as_of.to_string(), "scheme_name"_a = hc.scheme_name,
               "scheme_version"_a = hc.scheme_version, "rollup"_a = rollup_to_dict(hc.organisation_rollup));
  if (hc.reported_hours) {
    const auto& r = *hc.reported_hours;
    out["reported_hours"] = py::dict(
        "respondents"_a = r.respondents, "mean_reported_hours"_a = r.mean_reported_hours,
        "mean_contracted_hours"_a = r.mean_contracted_hours, "mean_excess_hours"_a = r.mean_excess_hours,
        "share_over_contracted"_a = r.share_over_contracted, "mean_expected_new_cases"_a = r.mean_expected_new_cases,
        "expected_new_cases_respondents"_a = r.expected_new_cases_respondents);
  } else {
    out["reported_hours"] = py::none();
  }
  return out;
}

py::dict timeline_to_py(const std::vector<caseload::HistoryPoint>& tl) {
  Columns c;
  c.declare_text("date");
  c.declare_num("utilisation");
  c.declare_integer("workers_over");
  c.declare_integer("workers");
  for (const auto& p : tl) {
    c.text("date", p.date.to_string());
    c.num("utilisation", p.utilisation);
    c.integer("workers_over", p.workers_over);
    c.integer("workers", p.workers);
  }
  return c.to_py();
}

}  // namespace

// For module_allocation.cpp: calls f(core model, ctx) for a _core.Model under
// the model's read lock, with the GIL released (f must not touch Python).
void with_core_model(const py::handle& model, void (*f)(const caseload::Caseload&, void*), void* ctx) {
  const Model& self = model.cast<const Model&>();
  py::gil_scoped_release release;
  std::shared_lock lock(self.mu);
  f(self.core, ctx);
}

PYBIND11_MODULE(_core, m) {
  m.doc() = "caseload._core: private compiled core of the caseload package. Use the `caseload` package instead.";
  void register_league(py::module_&);
  register_league(m);  // module_league.cpp
  void register_projection(py::module_&);
  register_projection(m);  // module_projection.cpp
  void register_allocation(py::module_&);
  register_allocation(m);  // module_allocation.cpp
  void register_forecast(py::module_&);
  register_forecast(m);  // module_forecast.cpp

  // caseload.CaseloadError is defined in Python (caseload/_errors.py) so
  // users catch one class whichever layer raised it.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      py::object cls = py::module_::import("caseload._errors").attr("CaseloadError");
      py::object exc = cls(caseload::error_code_name(e.code()), e.what());
      PyErr_SetObject(cls.ptr(), exc.ptr());
    } catch (const std::bad_alloc&) {
      py::object cls = py::module_::import("caseload._errors").attr("CaseloadError");
      py::object exc = cls("out_of_memory", "out of memory");
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });

  m.def(
      "version", [] { return std::string(caseload::version()); }, "Run-time version of the C++ library.");
  m.def(
      "is_text_column",
      [](const py::object& cells) {
        // True when every cell is str or missing, i.e. the column can cross
        // as is; the Python layer encodes anything else (lists, dates) first.
        const std::optional<ObjectCells> objects = object_cells(cells);
        if (!objects) return false;
        for (size_t i = 0; i < objects->size; ++i)
          if (!PyUnicode_Check((*objects)[i]) && !is_missing_cell((*objects)[i])) return false;
        return true;
      },
      "cells"_a, "Whether a list or numpy object array holds only str and missing cells.");
  m.def("version_number", &caseload::version_number, "major * 10000 + minor * 100 + patch.");

  // ---- Scheme ----
  py::class_<caseload::WeightingScheme>(m, "Scheme", "A validated, versioned weighting scheme (immutable).")
      .def_static("default", &caseload::WeightingScheme::default_scheme, "The documented default scheme.")
      .def_static(
          "from_json",
          [](const std::string& text) {
            py::gil_scoped_release release;
            return caseload::WeightingScheme::from_json(text);
          },
          "text"_a, "Parses and validates a scheme from JSON text.")
      .def("to_json", &caseload::WeightingScheme::to_json, "JSON text that from_json() reads back identically.")
      .def_property_readonly("name", &caseload::WeightingScheme::name, "Scheme name.")
      .def_property_readonly("versions", &scheme_versions, "Every version's rules as a list of dicts.")
      .def(
          "version_at",
          [](const caseload::WeightingScheme& s, const std::string& date) {
            return s.at(Date::parse(date, "date")).version;
          },
          "date"_a, "Name of the version in force on a date.");

  // ---- Tables and files ----
  m.def(
      "read_workers_csv",
      [](const std::string& path) {
        Table t;
        {
          py::gil_scoped_release release;
          t = caseload::workers_to_table(caseload::workers_from_csv(caseload::read_file(path)));
        }
        return table_to_py(std::move(t));
      },
      "path"_a, "Reads and validates workers.csv; returns normalised columns.");
  m.def(
      "read_cases_csv",
      [](const std::string& path) {
        Table t;
        {
          py::gil_scoped_release release;
          t = caseload::cases_to_table(caseload::cases_from_csv(caseload::read_file(path)));
        }
        return table_to_py(std::move(t));
      },
      "path"_a, "Reads and validates cases.csv; returns normalised columns.");
  m.def(
      "read_snapshots_csv",
      [](const std::string& path) {
        Table t;
        {
          py::gil_scoped_release release;
          t = caseload::snapshots_to_table(caseload::snapshots_from_csv(caseload::read_file(path)));
        }
        return table_to_py(std::move(t));
      },
      "path"_a, "Reads and validates snapshots.csv; returns normalised columns.");
  m.def(
      "read_text_file", [](const std::string& path) { return caseload::read_file(path); }, "path"_a,
      "Reads a whole file (within the default limits).");
  m.def(
      "write_text_file",
      [](const std::string& path, const std::string& contents) { caseload::write_file(path, contents); }, "path"_a,
      "contents"_a, "Writes a whole file atomically.");
  m.def(
      "normalize_workers",
      [](const py::dict& cols) {
        Table t = table_from_py(cols, "workers");
        {
          py::gil_scoped_release release;
          t = caseload::workers_to_table(caseload::workers_from_table(t));
        }
        return table_to_py(std::move(t));
      },
      "columns"_a, "Validates worker columns and returns them in the core's normal form.");
  m.def(
      "normalize_cases",
      [](const py::dict& cols) {
        Table t = table_from_py(cols, "cases");
        {
          py::gil_scoped_release release;
          t = caseload::cases_to_table(caseload::cases_from_table(t));
        }
        return table_to_py(std::move(t));
      },
      "columns"_a, "Validates case columns and returns them in the core's normal form.");
  m.def(
      "normalize_snapshots",
      [](const py::dict& cols) {
        Table t = table_from_py(cols, "snapshots");
        {
          py::gil_scoped_release release;
          t = caseload::snapshots_to_table(caseload::snapshots_from_table(t));
        }
        return table_to_py(std::move(t));
      },
      "columns"_a, "Validates snapshot columns and returns them in the core's normal form.");
  m.def(
      "to_csv",
      [](const std::string& kind, const py::dict& cols) {
        Table t = table_from_py(cols, kind.c_str());
        py::gil_scoped_release release;
        if (kind == "workers") return caseload::workers_to_csv(caseload::workers_from_table(t));
        if (kind == "cases") return caseload::cases_to_csv(caseload::cases_from_table(t));
        if (kind == "snapshots") return caseload::snapshots_to_csv(caseload::snapshots_from_table(t));
        fail(ErrorCode::invalid_argument, "to_csv: kind must be workers, cases or snapshots, got \"" + kind + "\"");
      },
      "kind"_a, "columns"_a, "Validates columns and writes them as CSV text.");

  // ---- Model ----
  py::class_<Model, std::shared_ptr<Model>>(m, "Model", "A scheme, workers and cases evaluated on an as-of date.")
      .def(py::init(&make_model), "scheme"_a, "workers"_a, "cases"_a, "as_of"_a)
      .def_property_readonly("as_of",
                             [](const Model& self) {
                               std::shared_lock lock(self.mu);
                               return self.core.as_of().to_string();
                             })
      .def_property_readonly("scheme",
                             [](const Model& self) {
                               std::shared_lock lock(self.mu);
                               return self.core.scheme();
                             })
      .def_property_readonly("scheme_version",
                             [](const Model& self) {
                               std::shared_lock lock(self.mu);
                               return self.core.scheme_version().version;
                             })
      .def("worker_count",
           [](const Model& self) {
             std::shared_lock lock(self.mu);
             return self.core.workers().size();
           })
      .def("case_count",
           [](const Model& self) {
             std::shared_lock lock(self.mu);
             return self.core.cases().size();
           })
      .def(
          "workers",
          [](const Model& self) {
            Table t;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              t = caseload::workers_to_table(self.core.workers());
            }
            return table_to_py(std::move(t));
          },
          "The worker records as columns.")
      .def(
          "cases",
          [](const Model& self) {
            Table t;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              t = caseload::cases_to_table(self.core.cases());
            }
            return table_to_py(std::move(t));
          },
          "The case records as columns.")
      .def(
          "worker_loads",
          [](const Model& self) {
            std::vector<caseload::WorkerLoad> loads;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              loads = self.core.worker_loads();
            }
            return loads_to_py(loads);
          },
          "Every worker's figures as columns, in input order.")
      .def(
          "worker_load",
          [](const Model& self, const std::string& id) {
            caseload::WorkerLoad load;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              load = self.core.worker_load(id);
            }
            return load_to_dict(load);
          },
          "worker_id"_a, "One worker's figures as a dict.")
      .def(
          "breakdown",
          [](const Model& self, const std::string& id) {
            caseload::WorkerBreakdown b;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              b = self.core.breakdown(id);
            }
            Columns c;
            for (const char* t : {"kind", "case_id", "item", "rule"}) c.declare_text(t);
            c.declare_num("value");
            c.declare_num("running_total");
            for (const auto& l : b.lines) {
              c.text("kind", line_kind_name(l.kind));
              c.text("case_id", l.case_id);
              c.text("item", l.item);
              c.text("rule", l.rule);
              c.num("value", l.value);
              c.num("running_total", l.running_total);
            }
            return py::dict("load"_a = load_to_dict(b.load), "scheme_version"_a = b.scheme_version,
                            "lines"_a = c.to_py());
          },
          "worker_id"_a, "Line-by-line breakdown of one worker.")
      .def(
          "case_points",
          [](const Model& self, const std::string& id) {
            py::gil_scoped_release release;
            std::shared_lock lock(self.mu);
            return self.core.case_points(id);
          },
          "case_id"_a, "Points of one case before co-working shares.")
      .def(
          "rollup",
          [](const Model& self, const std::string& level) {
            const caseload::Level lv = parse_level(level);
            std::vector<caseload::Rollup> r;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              r = self.core.rollup(lv);
            }
            return rollups_to_py(r);
          },
          "level"_a, "Roll-ups at a level as columns, sorted by group.")
      .def(
          "preview",
          [](const Model& self, const std::string& kind, const py::object& new_case, const std::string& case_id,
             const std::string& to_worker) {
            const caseload::Change change = make_change(kind, new_case, case_id, to_worker);
            caseload::ImpactPreview p;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              p = self.core.preview(change);
            }
            return preview_to_py(p);
          },
          "kind"_a, "new_case"_a = py::none(), "case_id"_a = "", "to_worker"_a = "",
          "Before/after of a change, as columns; the model is unchanged.")
      .def(
          "apply",
          [](Model& self, const std::string& kind, const py::object& new_case, const std::string& case_id,
             const std::string& to_worker) {
            const caseload::Change change = make_change(kind, new_case, case_id, to_worker);
            py::gil_scoped_release release;
            std::unique_lock lock(self.mu);
            self.core.apply(change);
          },
          "kind"_a, "new_case"_a = py::none(), "case_id"_a = "", "to_worker"_a = "",
          "Applies a change (all-or-nothing).")
      .def(
          "upsert",
          [](Model& self, const py::dict& workers, const py::dict& cases) {
            Table wt = table_from_py(workers, "workers");
            Table ct = table_from_py(cases, "cases");
            py::gil_scoped_release release;
            // An empty dict means "no records of this kind", not a table lacking its columns.
            std::vector<caseload::Worker> w;
            std::vector<caseload::Case> c;
            if (!wt.columns.empty()) w = caseload::workers_from_table(std::move(wt));
            if (!ct.columns.empty()) c = caseload::cases_from_table(std::move(ct));
            std::unique_lock lock(self.mu);
            self.core.upsert(w, c);
          },
          "workers"_a, "cases"_a, "Adds or replaces workers and cases (all-or-nothing).")
      .def(
          "set_as_of",
          [](Model& self, const std::string& as_of) {
            const Date d = Date::parse(as_of, "as_of");
            py::gil_scoped_release release;
            std::unique_lock lock(self.mu);
            self.core.set_as_of(d);
          },
          "as_of"_a, "Re-evaluates on another date.")
      .def(
          "snapshot",
          [](const Model& self) {
            Table t;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              t = caseload::snapshots_to_table(self.core.snapshot());
            }
            return table_to_py(std::move(t));
          },
          "Today's snapshot rows as columns.")
      .def(
          "exceedance_history",
          [](const Model& self, const py::dict& snapshots, std::optional<double> threshold, int32_t min_consecutive,
             int32_t max_gap_days, std::optional<std::string> from, std::optional<std::string> to) {
            Table st = table_from_py(snapshots, "snapshots");
            caseload::ExceedanceHistory h;
            {
              py::gil_scoped_release release;
              const auto snaps = caseload::snapshots_from_table(std::move(st));
              const auto rule = make_rule(threshold, min_consecutive, max_gap_days);
              const auto f = opt_date(from, "start");
              const auto t = opt_date(to, "end");
              std::shared_lock lock(self.mu);
              h = caseload::exceedance_history(self.core.scheme(), self.core.workers(), snaps, rule, f, t);
            }
            return history_to_py(h);
          },
          "snapshots"_a, "threshold"_a = py::none(), "min_consecutive"_a = 4, "max_gap_days"_a = 7,
          "start"_a = py::none(), "end"_a = py::none(), "Exceedance episodes of this model's workers.")
      .def(
          "health_check",
          [](const Model& self, const py::object& snapshots, const py::dict& options) {
            const caseload::HealthCheckOptions opt = make_options(options);
            std::optional<Table> st;
            if (!snapshots.is_none()) st = table_from_py(snapshots.cast<py::dict>(), "snapshots");
            py::gil_scoped_release release;
            std::optional<std::vector<caseload::Snapshot>> snaps;
            if (st) snaps = caseload::snapshots_from_table(std::move(*st));
            std::shared_lock lock(self.mu);
            return HealthCheckResult{caseload::health_check(self.core, snaps ? &*snaps : nullptr, opt)};
          },
          "snapshots"_a = py::none(), "options"_a = py::dict(), "Builds the published health check.");

  m.def(
      "exceedance_history",
      [](const caseload::WeightingScheme& scheme, const py::dict& workers, const py::dict& snapshots,
         std::optional<double> threshold, int32_t min_consecutive, int32_t max_gap_days,
         std::optional<std::string> from, std::optional<std::string> to) {
        Table wt = table_from_py(workers, "workers");
        Table st = table_from_py(snapshots, "snapshots");
        caseload::ExceedanceHistory h;
        {
          py::gil_scoped_release release;
          const auto w =
              wt.columns.empty() ? std::vector<caseload::Worker>{} : caseload::workers_from_table(std::move(wt));
          const auto s = caseload::snapshots_from_table(std::move(st));
          h = caseload::exceedance_history(scheme, w, s, make_rule(threshold, min_consecutive, max_gap_days),
                                           opt_date(from, "start"), opt_date(to, "end"));
        }
        return history_to_py(h);
      },
      "scheme"_a, "workers"_a, "snapshots"_a, "threshold"_a = py::none(), "min_consecutive"_a = 4, "max_gap_days"_a = 7,
      "start"_a = py::none(), "end"_a = py::none(), "Exceedance episodes from dated snapshots.");

  // ---- Health check ----
  py::class_<HealthCheckResult>(m, "HealthCheck", "A built health check.")
      .def(
          "to_json",
          [](const HealthCheckResult& self) {
            py::gil_scoped_release release;
            return caseload::health_check_to_json(self.hc);
          },
          "JSON document.")
      .def(
          "to_csv",
          [](const HealthCheckResult& self) {
            py::gil_scoped_release release;
            return caseload::health_check_to_csv(self.hc);
          },
          "Long-format CSV: level,group,metric,value.")
      .def(
          "to_html",
          [](const HealthCheckResult& self) {
            py::gil_scoped_release release;
            return caseload::health_check_to_html(self.hc);
          },
          "Self-contained HTML page.")
      .def(
          "summary", [](const HealthCheckResult& self) { return health_summary(self.hc); },
          "Headline figures as a dict.")
      .def("teams", [](const HealthCheckResult& self) { return rollups_to_py(self.hc.teams); })
      .def("service_areas", [](const HealthCheckResult& self) { return rollups_to_py(self.hc.service_areas); })
      .def("workers", [](const HealthCheckResult& self) { return loads_to_py(self.hc.workers); })
      .def("timeline", [](const HealthCheckResult& self) { return timeline_to_py(self.hc.timeline); })
      .def("history", [](const HealthCheckResult& self) -> py::object {
        if (!self.hc.history) return py::none();
        return history_to_py(*self.hc.history);
      });

  // ---- Synthetic authority and JSON API ----
  m.def(
      "synthetic_authority",
      [](uint64_t seed, int32_t workers, const std::string& as_of, int32_t history_weeks, double caseload_pressure) {
        caseload::SyntheticOptions opt;
        opt.seed = seed;
        opt.workers = workers;
        opt.as_of = Date::parse(as_of, "as_of");
        opt.history_weeks = history_weeks;
        opt.caseload_pressure = caseload_pressure;
        Table w, c, s;
        std::string date;
        {
          py::gil_scoped_release release;
          auto a = caseload::synthetic_authority(opt);
          w = caseload::workers_to_table(a.workers);
          c = caseload::cases_to_table(a.cases);
          s = caseload::snapshots_to_table(a.snapshots);
          date = a.as_of.to_string();
        }
        return py::dict("workers"_a = table_to_py(std::move(w)), "cases"_a = table_to_py(std::move(c)),
                        "snapshots"_a = table_to_py(std::move(s)), "as_of"_a = date);
      },
      "seed"_a = 1, "workers"_a = 180, "as_of"_a = "2024-03-31", "history_weeks"_a = 60, "caseload_pressure"_a = 1.0,
      "A seeded synthetic local authority as tables.");
  m.def(
      "synthetic_authority_csv",
      [](uint64_t seed, int32_t workers, const std::string& as_of, int32_t history_weeks) {
        caseload::SyntheticOptions opt;
        opt.seed = seed;
        opt.workers = workers;
        opt.as_of = Date::parse(as_of, "as_of");
        opt.history_weeks = history_weeks;
        py::gil_scoped_release release;
        auto a = caseload::synthetic_authority(opt);
        return std::make_tuple(caseload::workers_to_csv(a.workers), caseload::cases_to_csv(a.cases),
                               caseload::snapshots_to_csv(a.snapshots));
      },
      "seed"_a = 1, "workers"_a = 180, "as_of"_a = "2024-03-31", "history_weeks"_a = 60,
      "A seeded synthetic local authority as (workers, cases, snapshots) CSV text.");
  m.def(
      "run_json_request",
      [](const std::string& request) {
        py::gil_scoped_release release;
        return caseload::run_json_request(request);
      },
      "request"_a, "Runs one JSON API request and returns the response JSON.");
}
