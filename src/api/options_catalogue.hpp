// Private: every capability's option records by name, for the interfaces
// that take options as data (Python keywords, the C API's description, the
// docs' tables): one table here, so adding a capability's options is one
// line, not one per interface.
#pragma once

#include <string_view>

#include "base/json.hpp"

namespace caseload::options {

/// The capabilities with options: allocation, rebalance, league, projection,
/// forecast, gap, health_check, exceedance (the exceedance rule, also the
/// health check's "exceedance" group).
inline constexpr std::string_view kCapabilities =
    "allocation, rebalance, league, projection, forecast, gap, health_check, exceedance";

/// describe() of the capability's records. Error(invalid_argument) naming
/// the capabilities for an unknown name.
json::Value describe_capability(std::string_view capability);

/// Reads `value` (an options object; null = the defaults) with the
/// capability's records and returns the options as to_json writes them:
/// every option, defaults filled in. Errors name `where` and the option.
json::Value normalise(std::string_view capability, const json::Value& value, std::string_view where);

}  // namespace caseload::options
