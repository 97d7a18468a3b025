// Private: the one description of the GAP solver's options
// (base/options.hpp), from which solve_gap()'s checks, the C struct's
// validation and the Python keywords come. `warm_start` and `pinned` are
// per-instance data (sized by the instance), checked by solve_gap() itself.
#pragma once

#include <cstdint>
#include <span>

#include "base/options.hpp"
#include "caseload/gap.hpp"

namespace caseload::gap_detail {

std::span<const options::Record<GapOptions>> gap_option_records() noexcept;

/// Largest agents * items of an instance (the parser's, the C API's and
/// GapInstance::validate()'s bound): 50 M cells, 800 MB of costs and weights.
inline constexpr uint64_t kMaxGapCells = 50'000'000;
/// Largest |cost|, weight and capacity. Sums of up to kMaxGapCells such
/// numbers, and products of a Lagrangian multiplier with a weight, stay far
/// inside a double: without the bound, costs of 9e307 summed to infinity and
/// a feasible instance was reported infeasible.
inline constexpr double kMaxGapMagnitude = 1e15;
/// Throws Error(limit_exceeded) naming agents, items and the bound when
/// agents * items > kMaxGapCells. Needs no allocation, so the C API calls it
/// before copying the caller's arrays.
void check_gap_size(int64_t agents, int64_t items);

}  // namespace caseload::gap_detail
