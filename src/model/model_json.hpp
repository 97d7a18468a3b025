// Private: json::Value conversions of the model's result types, shared by
// health_check_to_json, the JSON API and the C API. Not API.
//
// Conventions (docs/json_api.md): dates are "YYYY-MM-DD", bands and levels
// are their names, a non-finite number (utilisation of a worker with zero
// capacity but some points) is null, and keys appear in a fixed order so
// the same result always serialises to the same bytes.
#pragma once

#include <string_view>

#include "caseload/health_check.hpp"
#include "caseload/model.hpp"
#include "base/json.hpp"

namespace caseload::serialize {

/// A number, or null when it is NaN or infinite.
json::Value number(double v);
json::Value date(Date d);

const char* breakdown_kind_name(BreakdownLine::Kind kind) noexcept;

json::Value to_json(const WorkerLoad& w);
json::Value to_json(const BreakdownLine& line);
json::Value to_json(const WorkerBreakdown& b);
json::Value to_json(const Distribution& d);
json::Value to_json(const Rollup& r);
json::Value to_json(const ExceedanceRule& r);
json::Value to_json(const ExceedanceEpisode& e);
json::Value to_json(const ExceedanceSummary& s);
json::Value to_json(const ExceedanceHistory& h);
json::Value to_json(const ImpactPreview& p);
json::Value to_json(const ReportedHours& r);
json::Value to_json(const HistoryPoint& p);
json::Value to_json(const HealthCheck& hc);

}  // namespace caseload::serialize
