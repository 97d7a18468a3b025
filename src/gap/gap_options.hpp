// Private: the one description of the GAP solver's options
// (base/options.hpp), from which solve_gap()'s checks, the C struct's
// validation and the Python keywords come. `warm_start` and `pinned` are
// per-instance data (sized by the instance), checked by solve_gap() itself.
#pragma once

#include <span>

#include "base/options.hpp"
#include "caseload/gap.hpp"

namespace caseload::gap_detail {

std::span<const options::Record<GapOptions>> gap_option_records() noexcept;

}  // namespace caseload::gap_detail
