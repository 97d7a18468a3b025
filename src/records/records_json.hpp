// Private: records <-> json::Value, shared by records_json.cpp (workers_from_json ...)
// and the JSON API, which receives records inside a larger request. Not API.
// Field names and encodings: docs/records_format.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "caseload/model.hpp"
#include "caseload/records.hpp"

namespace caseload::io {

/// `array` must be a JSON array of objects. `what` names the array in errors
/// about the array itself (e.g. "workers"); a record is named by its id
/// (`worker "W17"`) or, without a usable id, by position (`workers[3]`).
/// Checks types and formats only; throws Error(parse).
std::vector<Worker> workers_from_value(const json::Value& array, std::string_view what = "workers");
std::vector<Case> cases_from_value(const json::Value& array, std::string_view what = "cases");
std::vector<Snapshot> snapshots_from_value(const json::Value& array, std::string_view what = "snapshots");

/// A change to preview or apply: {"kind":"add_case","case":{...}},
/// {"kind":"remove_case","case_id":...} or {"kind":"move_case","case_id":...,
/// "to_worker":...}. `where` names it in errors (e.g. "request: change").
/// Shared by the JSON API and the C API so both accept exactly the same text.
Change change_from_value(const json::Value& v, std::string_view where);

/// One item of a list field, read from its JSON form; `where` names the item
/// in errors (e.g. `worker "W1" reductions[0]`). Shared with the cell
/// encoder (records/schema.hpp), so a list cell given as a value obeys
/// exactly the JSON records' rules.
std::vector<std::string> names_from(const json::Array& a, std::string_view key, const std::string& where);
Reduction reduction_from(const json::Value& v, const std::string& where);
Allocation allocation_from(const json::Value& v, const std::string& where);
Task task_from(const json::Value& v, const std::string& where);

json::Value to_value(const Worker& w);
json::Value to_value(const Case& c);
json::Value to_value(const Snapshot& s);
json::Value to_value(const std::vector<Worker>& workers);
json::Value to_value(const std::vector<Case>& cases);
json::Value to_value(const std::vector<Snapshot>& snapshots);

}  // namespace caseload::io
