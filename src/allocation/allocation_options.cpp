// The allocation and rebalancing options, one record each (see
// allocation_options.hpp). Ranges and defaults here are the only ones: the
// structs' member initialisers are the defaults, these the rules.
#include "allocation/allocation_options.hpp"

#include <array>

namespace caseload::alloc {

namespace {

using options::kMaxExactInteger;
using options::kNonNegative;
using options::kPositive;
using options::Range;
using options::Record;

constexpr Range kWorkUnits{0, 9e18, false, true};
constexpr Range kSeed{0, kMaxExactInteger, false, true};

constexpr std::array<Record<AllocationOptions>, 11> kAllocation{{
    {"utilisation_cap", &AllocationOptions::utilisation_cap, kPositive,
     "safe utilisation cap as a fraction of capacity (1.0 = 100%); unset = each service area's top of amber"},
    {"experience_levels",
     &AllocationOptions::experience_levels,
     {},
     "experience levels from least to most experienced"},
    {"continuity_weight", &AllocationOptions::continuity_weight, kNonNegative,
     "weight of keeping siblings and a previous worker together (soft score)"},
    {"skills_weight", &AllocationOptions::skills_weight, kNonNegative,
     "weight of the share of a case's desired skills the worker has (soft score)"},
    {"preference_weight", &AllocationOptions::preference_weight, kNonNegative,
     "weight of the manager's preference score (soft score)"},
    {"fairness_tolerance", &AllocationOptions::fairness_tolerance, kNonNegative,
     "utilisation a soft preference may cost above the fairest choice (0.05 = 5 percentage points)"},
    {"seed", &AllocationOptions::seed, kSeed, "random seed; the same seed and work_limit give the same plan"},
    {"work_limit", &AllocationOptions::work_limit, kWorkUnits,
     "deterministic effort budget in work units (about one per move or candidate evaluated)"},
    {"time_limit_seconds", &AllocationOptions::time_limit_seconds, kPositive,
     "wall-clock limit in seconds; unset = none (a limit makes the plan machine-dependent)"},
    {"warm_start", &AllocationOptions::warm_start, {}, "previous plan, case id -> worker id, used as a starting point"},
    {"explain", &AllocationOptions::explain, {}, "build per-worker verdicts and explanation text"},
}};

constexpr std::array<Record<RebalanceOptions>, 5> kRebalance{{
    {"utilisation_cap", &RebalanceOptions::utilisation_cap, kPositive,
     "safe utilisation cap as a fraction of capacity; unset = each service area's top of amber"},
    {"move_cost", &RebalanceOptions::move_cost, kNonNegative,
     "points of overload a move must relieve to be worth making"},
    {"max_moves", &RebalanceOptions::max_moves, Range{0, 1e9, false, true}, "most moves to propose"},
    {"scope", &RebalanceOptions::scope, {}, "where a case may go", "team|service_area|any"},
    {"work_limit", &RebalanceOptions::work_limit, kWorkUnits, "deterministic effort budget in work units"},
}};

}  // namespace

std::span<const Record<AllocationOptions>> allocation_option_records() noexcept {
  return kAllocation;
}
std::span<const Record<RebalanceOptions>> rebalance_option_records() noexcept {
  return kRebalance;
}

}  // namespace caseload::alloc
