// caseload._core: a thin pybind11 layer over the C++ core.
//
// Everything crosses as plain Python values: tables as dicts of column name ->
// numpy float64 array (numeric) or list of str (text), records of results as
// dicts of scalars, dates as "YYYY-MM-DD" text. The friendly API (DataFrames,
// reprs, CLI) lives in python/caseload; no figure is computed here or there,
// only in the core.
//
// Each capability registers its own functions and classes from its own file
// (module_<capability>.cpp); the shared conversions are in module_internal.hpp.
#include <cstddef>
#include <optional>
#include <string>

#include "base/text.hpp"
#include "module_internal.hpp"

using namespace pybind11::literals;
using namespace caseload_py;

PYBIND11_MODULE(_core, m) {
  m.doc() = "caseload._core: private compiled core of the caseload package. Use the `caseload` package instead.";
  register_league(m);
  register_projection(m);
  register_allocation(m);
  register_forecast(m);
  register_error_translation();

  m.def(
      "version", [] { return std::string(caseload::version()); }, "Run-time version of the C++ library.");
  m.def(
      "is_text_column",
      [](const py::object& cells) {
        // True when every cell is str or missing, i.e. the column can cross
        // as is; other cells (lists and dicts, dates) are encoded by the core
        // first (encode_list_cells, module_records.cpp) or turned into dates.
        const std::optional<ObjectCells> objects = object_cells(cells);
        if (!objects) return false;
        for (size_t i = 0; i < objects->size; ++i)
          if (!PyUnicode_Check((*objects)[i]) && !is_missing_cell((*objects)[i])) return false;
        return true;
      },
      "cells"_a, "Whether a list or numpy object array holds only str and missing cells.");
  m.def("version_number", &caseload::version_number, "major * 10000 + minor * 100 + patch.");
  // The core's text rules, so the Python layer applies them without
  // restating them (docs/hardening.md, "Text in outputs").
  m.def(
      "spreadsheet_safe", [](const std::string& s) { return caseload::text::spreadsheet_safe(s); }, "text"_a,
      "A report-CSV text cell safe from spreadsheet formula injection: a leading ' before = + - @ tab or CR, "
      "numbers unchanged.");
  m.def(
      "terminal_safe", [](const std::string& s) { return caseload::text::terminal_safe(s); }, "text"_a,
      "Text for a console: control characters other than newline escaped.");

  ModelClass model = register_model(m);
  register_history(m, model);
  register_health_check(m, model);
  register_samples(m);
  register_records(m);
  m.def(
      "run_json_request",
      [](const std::string& request) {
        py::gil_scoped_release release;
        return caseload::run_json_request(request);
      },
      "request"_a, "Runs one JSON API request and returns the response JSON.");
}
