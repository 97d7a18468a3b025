// Private: allocation types <-> json::Value, shared by allocation_io.cpp, the
// JSON API ("allocate", "suggest", "rebalance") and the C API. Not API.
#pragma once

#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "caseload/allocation.hpp"

namespace caseload::alloc {

/// `array`: JSON array of incoming case objects (case fields + allocation
/// fields, docs/allocation.md). Errors name the case.
std::vector<IncomingCase> incoming_from_value(const json::Value& array, std::string_view what = "incoming");

/// The table text of an incoming case's list field (required_skills,
/// desired_skills, excluded_workers, preferences) given as a JSON value (an
/// array of names; an object worker id -> score; or its text), by the rules
/// the incoming readers decode. `who` names the case in errors.
std::string incoming_list_cell_text(std::string_view field, const json::Value& cell, const std::string& who);
/// Options object (null/absent = defaults); unknown keys are errors.
AllocationOptions allocation_options_from_value(const json::Value* v, std::string_view where);
RebalanceOptions rebalance_options_from_value(const json::Value* v, std::string_view where);

json::Value to_value(const AllocationPlan& plan);
json::Value to_value(const WorkerChange& w);
json::Value to_value(const RebalancePlan& plan);
json::Value to_value(const std::vector<Suggestion>& suggestions);

}  // namespace caseload::alloc
