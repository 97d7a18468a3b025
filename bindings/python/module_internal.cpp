// caseload._core: the helpers every capability's bindings share (declared in
// module_internal.hpp): error translation, tables in and out as dicts of
// columns, and the read-locked access to a _core.Model for module_allocation.cpp.
#include "module_internal.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <new>

namespace caseload_py {

namespace {

[[noreturn]] void fail_cell(const char* what, size_t row, const std::string& column, PyObject* cell) {
  fail(ErrorCode::invalid_argument, std::string(what) + " row " + std::to_string(row + 1) + ": column \"" + column +
                                        "\" must hold text, got " + Py_TYPE(cell)->tp_name);
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

}  // namespace

void register_error_translation() {
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
}

// ---- Tables ----------------------------------------------------------------

// pandas' missing markers are recognised by type name so this module does
// not import pandas.
bool is_missing_cell(PyObject* cell) {
  if (cell == Py_None) return true;
  if (PyFloat_Check(cell)) return std::isnan(PyFloat_AS_DOUBLE(cell));
  const char* name = Py_TYPE(cell)->tp_name;
  return std::strcmp(name, "NAType") == 0 || std::strcmp(name, "NaTType") == 0;
}

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

std::optional<Date> opt_date(const std::optional<std::string>& s, const char* what) {
  if (!s || s->empty()) return std::nullopt;
  return Date::parse(*s, what);
}

py::object date_or_none(const std::optional<Date>& d) {
  if (!d) return py::none();
  return py::str(d->to_string());
}

}  // namespace caseload_py

// For module_allocation.cpp: calls f(core model, ctx) for a _core.Model under
// the model's read lock, with the GIL released (f must not touch Python).
void with_core_model(const py::handle& model, void (*f)(const caseload::Caseload&, void*), void* ctx) {
  const caseload_py::Model& self = model.cast<const caseload_py::Model&>();
  py::gil_scoped_release release;
  std::shared_lock lock(self.mu);
  f(self.core, ctx);
}
