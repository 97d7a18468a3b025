// Python values to JSON for the option records; see py_json.hpp.
#include "py_json.hpp"

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

}  // namespace

json::Value json_of(const py::handle& value, std::string_view where) {
  if (value.is_none()) return json::Value();
  if (is_boolean(value)) return json::Value(value.cast<bool>());
  if (py::isinstance<py::str>(value)) return json::Value(value.cast<std::string>());
  if (py::hasattr(value, "items")) {  // a dict or any mapping
    json::Object out;
    for (const auto& item : py::reinterpret_borrow<py::object>(value).attr("items")()) {
      const auto pair = py::reinterpret_borrow<py::tuple>(item);
      if (!py::isinstance<py::str>(pair[0]))
        throw Error(ErrorCode::invalid_argument, std::string(where) + ": keys must be str, got " + type_name(pair[0]));
      if (pair[1].is_none()) continue;
      const auto key = pair[0].cast<std::string>();
      out.emplace_back(key, json_of(pair[1], std::string(where) + ": " + key));
    }
    return json::Value(std::move(out));
  }
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    json::Array out;
    for (const auto& item : py::reinterpret_borrow<py::sequence>(value)) out.push_back(json_of(item, where));
    return json::Value(std::move(out));
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
