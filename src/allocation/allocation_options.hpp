// Private: the one description of the allocation and rebalancing options
// (base/options.hpp). The JSON API, the Python keywords, the C structs' checks,
// the CLI flags and docs/allocation.md's options table all come from these.
#pragma once

#include <span>

#include "base/options.hpp"
#include "caseload/allocation.hpp"

namespace caseload::alloc {

std::span<const options::Record<AllocationOptions>> allocation_option_records() noexcept;
std::span<const options::Record<RebalanceOptions>> rebalance_option_records() noexcept;

/// suggest()'s k, workers to rank: whole, [0, 1,000,000] (more than any
/// employer has; a bound so that a huge k is an error, not a huge answer).
inline constexpr options::Range kSuggestCount{0, 1'000'000, false, true};

}  // namespace caseload::alloc
