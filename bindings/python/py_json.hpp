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
/// With `record_cell` (a list cell of a record table, e.g. a case's tasks),
/// every missing marker (None, NaN, pandas.NA, NaT) is null and a date
/// (datetime.date or datetime, pandas.Timestamp, numpy.datetime64) is its
/// "YYYY-MM-DD" text, as a DataFrame's cells hold them.
caseload::json::Value json_of(const pybind11::handle& value, std::string_view where, bool record_cell = false);

/// Runs the records' description (options::describe) of a capability's
/// options: "allocation", "rebalance", "league".
std::string describe_options(std::string_view capability);

}  // namespace caseload_py
