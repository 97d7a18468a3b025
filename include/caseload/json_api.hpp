// Whole requests as JSON in, JSON out: the integration path for vendors in
// C#, Java or Go (the C API's caseload_request_json is a thin wrapper).
#pragma once

#include <string>
#include <string_view>

#include "caseload/export.hpp"
#include "caseload/io.hpp"

namespace caseload {

/// Runs one request (format in docs/json_api.md), e.g.
/// {"op":"worker_loads","scheme":{...}|null,"workers":[...],"cases":[...],"as_of":"2024-03-31"}.
/// Ops: "worker_loads", "breakdown", "rollup", "exceedance_history",
/// "preview", "health_check", "validate", "version", "project_capacity"
/// (docs/projection.md).
/// Returns the response JSON; throws Error on bad requests.
CASELOAD_API std::string run_json_request(std::string_view request, const Limits& limits = default_limits());

}  // namespace caseload
