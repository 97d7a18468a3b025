// Private: the one description of the health check's options and of the
// exceedance rule (base/options.hpp), from which the JSON API, the Python
// keywords, the checks in health_check() and exceedance_history() and the
// docs' options table come. The C structs are checked by the same records.
#pragma once

#include <span>

#include "base/options.hpp"
#include "caseload/health_check.hpp"
#include "caseload/model.hpp"

namespace caseload::model_detail {

std::span<const options::Record<ExceedanceRule>> exceedance_rule_records() noexcept;
std::span<const options::Record<HealthCheckOptions>> health_check_option_records() noexcept;

}  // namespace caseload::model_detail
