// Private: the capacity projection as JSON (request parts in, result out),
// shared by the JSON API, the C API and the Python binding. Not API.
// Format: docs/projection.md.
#pragma once

#include <string>
#include <vector>

#include "base/json.hpp"
#include "caseload/model.hpp"
#include "caseload/projection.hpp"

namespace caseload::projection_json {

/// [{"team":..,"period":"YYYY-MM[-DD]","count":..}, ...]; null/absent = none.
std::vector<ReferralCount> referrals_from_value(const json::Value* v);
/// [{"case_id":..,"case_type":..,"opened":..,"closed":..|null}, ...]; null/absent = none.
std::vector<CaseDuration> closed_cases_from_value(const json::Value* v);
/// The "options" object; null/absent = defaults.
ProjectionOptions options_from_value(const json::Value* v);

json::Value to_value(const CapacityProjection& p);

/// Runs a projection from a request object's referrals, closed_cases and
/// options on `model`. format "json" (default) returns the result object,
/// "html" the HTML section as a string.
/// `cancel` is the caller's token (execution.hpp), null = none.
json::Value run(const Caseload& model, const json::Value& request, const Cancel* cancel = nullptr);

}  // namespace caseload::projection_json
