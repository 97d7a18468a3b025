// Private: the one description of the capacity projection's options
// (base/options.hpp): the options, the supply settings, planned staffing
// changes, scenarios and team merges, one record per field. The JSON API,
// the Python keywords, the checks in project_capacity() and the docs' options
// table all come from these. Checks that need the model (a team exists, a
// worker leaves once) are the projection's own (projection_inputs.cpp).
#pragma once

#include <span>

#include "base/options.hpp"
#include "caseload/projection.hpp"

namespace caseload::projection_detail {

std::span<const options::Record<ProjectionOptions>> projection_option_records() noexcept;
std::span<const options::Record<SupplyOptions>> supply_option_records() noexcept;
std::span<const options::Record<StaffingChange>> staffing_change_records() noexcept;
std::span<const options::Record<Scenario>> scenario_records() noexcept;
std::span<const options::Record<TeamMerge>> team_merge_records() noexcept;

}  // namespace caseload::projection_detail
