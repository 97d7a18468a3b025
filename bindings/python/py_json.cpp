// Python values to JSON for the option records; see py_json.hpp.
#include "py_json.hpp"

#include "module_internal.hpp"

#include <optional>
#include <string>

#include "api/options_catalogue.hpp"
#include "caseload/error.hpp"

namespace py = pybind11;

namespace caseload_py {

using caseload::Error;
using caseload::ErrorCode;
namespace json = caseload::json;

namespace {

std::string type_name(const py::handle& v) {
  return py::str(py::type::of(v).attr("__name__")).cast<std::string>();
}

bool is_boolean(const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return true;
  const std::string name = type_name(v);  // numpy.bool_ (numpy 1) or numpy.bool (numpy 2)
  return (name == "bool_" || name == "bool") && py::hasattr(v, "dtype");
}

// A date-like value as "YYYY-MM-DD" (the local date of a datetime, as
// _frames.date_text takes it); nullopt when `v` is no date. NaT is missing.
std::optional<std::string> date_text(const py::handle& v) {
  if (type_name(v) == "datetime64" && py::hasattr(v, "dtype")) {
    std::string text = py::str(v.attr("astype")("datetime64[D]"));
    if (text == "NaT") return std::string();
    return text;
  }
  const py::module_ datetime = py::module_::import("datetime");
  if (py::isinstance(v, datetime.attr("datetime"))) return py::str(v.attr("date")().attr("isoformat")());
  if (py::isinstance(v, datetime.attr("date"))) return py::str(v.attr("isoformat")());
  return std::nullopt;
}

}  // namespace

json::Value json_of(const py::handle& value, std::string_view where, bool record_cell) {
  // The common types are told apart by C checks first (a list cell is read
  // per row); attribute lookups and type names only for the rest.
  if (value.is_none() || (record_cell && is_missing_cell(value.ptr()))) return json::Value();
  if (PyBool_Check(value.ptr())) return json::Value(value.ptr() == Py_True);
  if (py::isinstance<py::str>(value)) return json::Value(value.cast<std::string>());
  if (PyFloat_Check(value.ptr())) return json::Value(PyFloat_AS_DOUBLE(value.ptr()));  // and numpy float64
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    json::Array out;
    for (const auto& item : py::reinterpret_borrow<py::sequence>(value))
      out.push_back(json_of(item, where, record_cell));
    return json::Value(std::move(out));
  }
  if (PyDict_Check(value.ptr()) || py::hasattr(value, "items")) {  // a dict or any mapping
    json::Object out;
    for (const auto& item : py::reinterpret_borrow<py::object>(value).attr("items")()) {
      const auto pair = py::reinterpret_borrow<py::tuple>(item);
      if (!py::isinstance<py::str>(pair[0]))
        throw Error(ErrorCode::invalid_argument, std::string(where) + ": keys must be str, got " + type_name(pair[0]));
      if (pair[1].is_none() || (record_cell && is_missing_cell(pair[1].ptr()))) continue;
      const auto key = pair[0].cast<std::string>();
      out.emplace_back(key, json_of(pair[1], std::string(where) + ": " + key, record_cell));
    }
    return json::Value(std::move(out));
  }
  if (is_boolean(value)) return json::Value(value.cast<bool>());  // numpy bool
  if (record_cell && py::isinstance<py::array>(value))            // e.g. skills as a numpy array of str
    return json_of(value.attr("tolist")(), where, record_cell);
  if (record_cell) {
    if (const auto date = date_text(value)) return date->empty() ? json::Value() : json::Value(*date);
  }
  // int, float and numpy numbers, through Python's float(): JSON numbers are
  // doubles, and an integer above 2^53 is then caught by the range check.
  if (py::hasattr(value, "__float__"))
    return json::Value(py::float_(py::reinterpret_borrow<py::object>(value)).cast<double>());
  throw Error(ErrorCode::invalid_argument, std::string(where) + ": unsupported value of type " + type_name(value));
}

std::string describe_options(std::string_view capability) {
  return json::dump(caseload::options::describe_capability(capability));
}

}  // namespace caseload_py
