// A seeded generator of a realistic synthetic local authority, calibrated
// to the DfE children's social work workforce figures (see docs/sample_authority.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caseload/date.hpp"
#include "caseload/export.hpp"
#include "caseload/projection.hpp"
#include "caseload/records.hpp"

namespace caseload {

struct SyntheticOptions {
  uint64_t seed = 1;
  int32_t workers = 180;  ///< approximate headcount, 10..100000
  Date as_of = Date::from_ymd(2024, 3, 31);
  int32_t history_weeks = 60;  ///< weekly snapshots before as_of, 0..520
  // Knobs for varied authorities (league-table samples). The defaults
  // reproduce the calibrated authority exactly.
  double caseload_pressure = 1.0;   ///< multiplies experienced workers' cases per FTE, 0.25..4
  double agency_share = 0.165;      ///< share of workers from agencies, 0..0.6
  double asye_share = 0.10;         ///< share of workers in their ASYE, 0..0.5
  double asye_breach_share = 0.05;  ///< ASYEs given more cases than the cap, 0..1
};

struct SyntheticAuthority {
  std::vector<Worker> workers;
  std::vector<Case> cases;          ///< open cases on as_of
  std::vector<Snapshot> snapshots;  ///< weekly, oldest first
  Date as_of;
};

/// Same options, same authority, on every platform (own PRNG, no std
/// distributions).
CASELOAD_API SyntheticAuthority synthetic_authority(const SyntheticOptions& options = {});

/// Referral history and case durations consistent with a synthetic
/// authority, for the capacity projection's demo and calibration
/// (docs/projection.md): monthly referrals per team for `months` months
/// ending with as_of's month (Poisson around each team's steady-state rate,
/// with the August dip and busier July and September, scaled by
/// `seasonality`: 0 = none, 1 = as documented), and one duration row
/// per simulated case (closed when it ended by as_of) plus the authority's
/// open cases (censored). Same inputs, same history.
struct SyntheticHistory {
  std::vector<ReferralCount> referrals;
  std::vector<CaseDuration> durations;
};
CASELOAD_API SyntheticHistory synthetic_history(const SyntheticAuthority& authority, uint64_t seed, int32_t months = 36,
                                                double seasonality = 1.0);
/// {"referrals":[{"team","period","count"}],"closed_cases":[{"case_id","case_type","opened","closed"}]}
CASELOAD_API std::string synthetic_history_to_json(const SyntheticHistory& history);

}  // namespace caseload
