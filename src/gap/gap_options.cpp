// The GAP solver's options, one record each (see gap_options.hpp).
#include "gap/gap_options.hpp"

#include <array>

namespace caseload::gap_detail {

namespace {

using options::Range;
using options::Record;

constexpr std::array<Record<GapOptions>, 3> kOptions{{
    {"seed", &GapOptions::seed, Range{0, options::kMaxExactInteger, false, true},
     "seed of the search's pseudo-random choices; the same seed and work_limit give the same answer"},
    {"time_limit_seconds", &GapOptions::time_limit_seconds, options::kNonNegative,
     "wall-clock limit in seconds; unset = none (a limit makes the answer machine-dependent)"},
    {"work_limit", &GapOptions::work_limit, Range{0, 9e18, false, true},
     "deterministic effort budget in work units (about one per move evaluated)"},
}};

}  // namespace

std::span<const Record<GapOptions>> gap_option_records() noexcept {
  return kOptions;
}

}  // namespace caseload::gap_detail
