// The shared part of caseload._core's bindings (the module_*.cpp files):
// error translation, tables crossing as dicts of columns, result columns built
// row by row, and the _core.Model whose lock orders Python threads around the
// core. Each capability's file includes this and registers its own functions.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/caseload.hpp"

namespace py = pybind11;

namespace caseload_py {

using caseload::Date;
using caseload::Error;
using caseload::ErrorCode;
using caseload::Table;

[[noreturn]] inline void fail(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

// caseload::Error (and std::bad_alloc) raise caseload.CaseloadError.
void register_error_translation();

// ---- Tables (module_internal.cpp) ------------------------------------------

// A missing cell of a text column: None, a float NaN, pandas.NA or NaT.
bool is_missing_cell(PyObject* cell);

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

// The cells of a list or numpy object array; nullopt for anything else.
std::optional<ObjectCells> object_cells(py::handle value);

// A dict of columns as a Table; `what` names the table in error messages.
Table table_from_py(const py::dict& columns, const char* what);

// Hands a vector's buffer to numpy without copying; the capsule owns it.
template <typename T>
py::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* owner = new std::vector<T>(std::move(values));
  py::capsule capsule(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(owner->size())}, {static_cast<py::ssize_t>(sizeof(T))}, owner->data(),
                        capsule);
}

py::list to_list(const std::vector<std::string>& values);

// Numeric columns as numpy float64 arrays, text columns as lists of str.
py::dict table_to_py(Table&& table);

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

// "" or nothing is no date; anything else must be "YYYY-MM-DD".
std::optional<Date> opt_date(const std::optional<std::string>& s, const char* what);

py::object date_or_none(const std::optional<Date>& d);

// ---- Results that more than one capability returns -------------------------

py::dict loads_to_py(const std::vector<caseload::WorkerLoad>& loads);  // module_model.cpp
py::dict rollups_to_py(const std::vector<caseload::Rollup>& rollups);  // module_model.cpp
py::dict history_to_py(const caseload::ExceedanceHistory& h);          // module_history.cpp

// ---- Model -----------------------------------------------------------------

// The core allows concurrent const calls but no call overlapping a mutation.
// The GIL is released during long calls, so Python threads could overlap;
// this lock restores the core's contract. It is always taken after the GIL
// is released, never while holding it, so the two cannot deadlock.
struct Model {
  caseload::Caseload core;
  mutable std::shared_mutex mu;

  explicit Model(caseload::Caseload&& c) : core(std::move(c)) {}
};

using ModelClass = py::class_<Model, std::shared_ptr<Model>>;

}  // namespace caseload_py

// Each capability registers its own functions and classes; module.cpp's
// PYBIND11_MODULE calls these in a fixed order. pybind11 writes a class's
// Python name into a signature only once the class is registered, so the order
// is part of the module's docstrings and must not change.
void register_league(py::module_& m);      // module_league.cpp
void register_projection(py::module_& m);  // module_projection.cpp
void register_allocation(py::module_& m);  // module_allocation.cpp
void register_forecast(py::module_& m);    // module_forecast.cpp
// module_model.cpp: Scheme, the record tables in and out, and Model (returned
// for the capabilities that add their own methods to it).
caseload_py::ModelClass register_model(py::module_& m);
void register_history(py::module_& m, caseload_py::ModelClass& model);       // module_history.cpp
void register_health_check(py::module_& m, caseload_py::ModelClass& model);  // module_health_check.cpp
void register_samples(py::module_& m);                                       // module_samples.cpp
void register_records(py::module_& m);                                       // module_records.cpp

// For module_allocation.cpp and module_projection.cpp: calls f(core model, ctx) for a _core.Model under
// the model's read lock, with the GIL released (f must not touch Python).
void with_core_model(const py::handle& model, void (*f)(const caseload::Caseload&, void*), void* ctx);
