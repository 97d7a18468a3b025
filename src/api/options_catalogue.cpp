// Every capability's option records by name (see options_catalogue.hpp).
#include "api/options_catalogue.hpp"

#include <string>

#include "allocation/allocation_options.hpp"
#include "base/options.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "forecast/forecast_options.hpp"
#include "gap/gap_options.hpp"
#include "league/league_options.hpp"
#include "model/health_check_options.hpp"
#include "projection/projection_options.hpp"

namespace caseload::options {

namespace {

// Calls f(records) with the capability's records.
template <class F>
json::Value with_records(std::string_view capability, F&& f) {
  if (capability == "allocation") return f(alloc::allocation_option_records());
  if (capability == "rebalance") return f(alloc::rebalance_option_records());
  if (capability == "league") return f(league::league_option_records());
  if (capability == "projection") return f(projection_detail::projection_option_records());
  if (capability == "forecast") return f(fc::forecast_option_records());
  if (capability == "gap") return f(gap_detail::gap_option_records());
  if (capability == "health_check") return f(model_detail::health_check_option_records());
  if (capability == "exceedance") return f(model_detail::exceedance_rule_records());
  std::string msg = "option records: unknown capability ";
  msg += text::quoted(capability);
  throw Error(ErrorCode::invalid_argument, msg + " (expected one of: " + std::string(kCapabilities) + ")");
}

}  // namespace

json::Value describe_capability(std::string_view capability) {
  return with_records(capability, [](auto records) { return describe(records); });
}

json::Value normalise(std::string_view capability, const json::Value& value, std::string_view where) {
  return with_records(capability, [&](auto records) {
    using S = typename decltype(records)::element_type::Struct;
    if (!value.is_null() && !value.is_object())
      throw Error(ErrorCode::parse, std::string(where) + " must be an object, got " + value.type_name());
    return to_json<S>(read_json<S>(&value, records, where), records);
  });
}

}  // namespace caseload::options
