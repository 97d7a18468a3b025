// Private: the one description of the league table's options and weights
// (base/options.hpp). The JSON API, the Python keywords and the checks in
// league_table() all come from these.
#pragma once

#include <span>

#include "base/options.hpp"
#include "caseload/league.hpp"

namespace caseload::league {

std::span<const options::Record<LeagueOptions>> league_option_records() noexcept;
std::span<const options::Record<LeagueWeights>> league_weight_records() noexcept;

}  // namespace caseload::league
