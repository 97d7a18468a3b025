// Forecast requests as JSON values, shared by forecast_json() and the JSON
// API's "forecast" op. Not API.
#pragma once

#include <string_view>

#include "base/json.hpp"

namespace caseload::fc {

/// `req` holds "series" and optional "options" (other keys are the caller's
/// business: it rejects unknown ones); `where` prefixes error messages.
/// Returns {"forecasts": [...]}.
json::Value forecast_request(const json::Value& req, std::string_view where);

}  // namespace caseload::fc
