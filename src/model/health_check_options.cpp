// The health check's options and the exceedance rule, one record each (see
// health_check_options.hpp).
#include "model/health_check_options.hpp"

#include <array>

namespace caseload::model_detail {

namespace {

using options::Range;
using options::Record;

constexpr Range kDaysBetweenSnapshots{1, 100000, false, true};

constexpr std::array<Record<ExceedanceRule>, 3> kRule{{
    {"threshold", &ExceedanceRule::threshold, options::kNonNegative,
     "utilisation over which a week counts (1.1 = 110%); unset = each service area's top of the red band"},
    {"min_consecutive", &ExceedanceRule::min_consecutive, Range{1, 100000, false, true},
     "weekly snapshots in a row over the threshold that make an episode"},
    {"max_gap_days", &ExceedanceRule::max_gap_days, kDaysBetweenSnapshots,
     "days between two snapshots beyond which a run is broken (a missing week breaks it)"},
}};

std::span<const Record<ExceedanceRule>> rule_records() noexcept {
  return kRule;
}

constexpr std::array<Record<HealthCheckOptions>, 4> kOptions{{
    {"organisation", &HealthCheckOptions::organisation, {}, "name printed on the report"},
    {"exceedance",
     options::group<HealthCheckOptions, ExceedanceRule, &HealthCheckOptions::exceedance, &rule_records>(),
     {},
     "when a worker counts as over the safe level for long"},
    {"history_days", &HealthCheckOptions::history_days, Range{0, 36500, false, true},
     "exceedance window in days, ending at the as-of date"},
    {"overtime_tolerance_hours", &HealthCheckOptions::overtime_tolerance_hours, options::kNonNegative,
     "reported hours a week above contracted hours beyond which a worker counts as working over"},
}};

}  // namespace

std::span<const Record<ExceedanceRule>> exceedance_rule_records() noexcept {
  return kRule;
}
std::span<const Record<HealthCheckOptions>> health_check_option_records() noexcept {
  return kOptions;
}

}  // namespace caseload::model_detail
