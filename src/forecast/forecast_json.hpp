// Forecast requests as JSON values, shared by forecast_json() and the JSON
// API's "forecast" op. Not API.
#pragma once

#include <string_view>

#include "base/json.hpp"
#include "caseload/execution.hpp"

namespace caseload::fc {

/// `req` holds "series" and optional "options" (other keys are the caller's
/// business: it rejects unknown ones); `where` prefixes error messages.
/// Returns {"forecasts": [...]}.
/// `cancel` is the caller's token (execution.hpp), null = none.
json::Value forecast_request(const json::Value& req, std::string_view where, const Cancel* cancel = nullptr);

/// forecast_json() with a cancel token: the C API's caseload_forecast_json(_ex).
std::string forecast_json_text(std::string_view request, const Cancel* cancel);

}  // namespace caseload::fc
