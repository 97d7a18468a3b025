// The league table's options and component weights, one record each (see
// league_options.hpp).
#include "league/league_options.hpp"

#include <array>

namespace caseload::league {

namespace {

using options::kNonNegative;
using options::Range;
using options::Record;

constexpr Range kShare{0, 1, false, false};

constexpr std::array<Record<LeagueWeights>, 9> kWeights{{
    {"caseload_vs_reference", &LeagueWeights::caseload_vs_reference, kNonNegative,
     "weight of cases per FTE against the common reference caseload"},
    {"caseload_vs_target", &LeagueWeights::caseload_vs_target, kNonNegative,
     "weight of cases per FTE against the employer's own stated benchmark"},
    {"share_over_benchmark", &LeagueWeights::share_over_benchmark, kNonNegative,
     "weight of the share of workers over the safe benchmark"},
    {"exceedance", &LeagueWeights::exceedance, kNonNegative, "weight of weeks over the safe level in the past year"},
    {"asye_protection", &LeagueWeights::asye_protection, kNonNegative,
     "weight of the share of ASYEs with a protected caseload"},
    {"vacancy", &LeagueWeights::vacancy, kNonNegative, "weight of the vacancy rate"},
    {"agency", &LeagueWeights::agency, kNonNegative, "weight of the agency worker rate"},
    {"turnover", &LeagueWeights::turnover, kNonNegative, "weight of the turnover rate"},
    {"contractual", &LeagueWeights::contractual, kNonNegative,
     "weight of a contractually enforceable caseload target (100 if there is one, 0 if not)"},
}};

std::span<const Record<LeagueWeights>> weight_records() noexcept {
  return kWeights;
}

constexpr std::array<Record<LeagueOptions>, 10> kOptions{{
    {"reference_caseload", &LeagueOptions::reference_caseload, options::kPositive,
     "common reference caseload, cases per case-holding FTE (England's average, 16.0)"},
    {"level", &LeagueOptions::level, Range{50, 99.9, false, false}, "interval level in percent"},
    {"seed", &LeagueOptions::seed, Range{0, options::kMaxExactInteger, false, true},
     "bootstrap seed; the same seed gives the same table"},
    {"draws", &LeagueOptions::draws, Range{0, 100000, false, true},
     "parametric bootstrap draws (0: ranks without ranges)"},
    {"service_area",
     &LeagueOptions::service_area,
     {},
     "compare organisations within this one service area only (empty: all)"},
    {"standardise",
     &LeagueOptions::standardise,
     {},
     "indirectly standardise caseloads by service-area mix where organisations publish per-area figures"},
    {"weights",
     options::group<LeagueOptions, LeagueWeights, &LeagueOptions::weights, &weight_records>(),
     {},
     "weights of the score's components (each >= 0, not all 0)"},
    {"min_coverage", &LeagueOptions::min_coverage, kShare,
     "share of the total weight an organisation's published components must carry for it to be ranked"},
    {"tie_overlap", &LeagueOptions::tie_overlap, kShare,
     "overlap of two score intervals, as a share of the narrower, at which two organisations share a rank"},
    {"title", &LeagueOptions::title, {}, "title of the table"},
}};

}  // namespace

std::span<const Record<LeagueOptions>> league_option_records() noexcept {
  return kOptions;
}
std::span<const Record<LeagueWeights>> league_weight_records() noexcept {
  return kWeights;
}

}  // namespace caseload::league
