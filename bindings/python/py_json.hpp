// caseload._core: Python values to the core's JSON DOM, so an options dict
// from Python is read by the same option records (src/base/options.hpp) as
// the JSON API's "options" object: one parser, one set of names and checks.
#pragma once

#include <pybind11/pybind11.h>

#include <string_view>

#include "base/json.hpp"

namespace caseload_py {

/// None -> null; bool (and numpy bool) -> boolean; int, float and numpy
/// numbers -> number; str -> string; a mapping -> object (its keys must be
/// str); a list or tuple -> array. Anything else is Error(invalid_argument)
/// naming `where`. A dict's None values are dropped (None = the default).
caseload::json::Value json_of(const pybind11::handle& value, std::string_view where);

/// Runs the records' description (options::describe) of a capability's
/// options: "allocation", "rebalance", "league".
std::string describe_options(std::string_view capability);

}  // namespace caseload_py
