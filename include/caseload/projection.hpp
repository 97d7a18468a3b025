// caseload: capacity and caseload projection.
//
// Joint Monte Carlo paths of demand (referrals from the demand forecast),
// open caseload (existing cases close by the conditional survival of their
// type and age; new cases open and close the same way, the M_t/G/infinity
// view) and supply (turnover, hiring, agency cover, sickness, reductions,
// ASYE progression, planned changes), so that team, service-area and
// organisation figures come from the same paths and are coherent. See
// docs/projection.md for the model, its defaults and their sources, and the
// measured calibration of the breach probabilities.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/date.hpp"
#include "caseload/execution.hpp"
#include "caseload/export.hpp"
#include "caseload/model.hpp"

namespace caseload {

/// One case's duration record: closed cases are events, open ones
/// (closed absent) are censored at the model's as-of date.
struct CaseDuration {
  std::string case_id;  ///< names the row in errors; may be empty
  std::string case_type;
  Date opened;
  std::optional<Date> closed;  ///< >= opened
};

/// Referrals that became cases for one team in one calendar month. Rows
/// of one team must be in increasing, consecutive months (any day of the
/// month names it); the last month is the one before the first projected.
struct ReferralCount {
  std::string team;
  Date period;
  double count = 0;  ///< non-negative integer
};

/// A change a manager plans: a new starter on a date, or a leaver.
struct StaffingChange {
  enum class Kind { join, leave };
  Kind kind = Kind::join;
  Date date;
  std::string team;                    ///< join: the team joined (must exist); leave: optional check
  std::string worker_id;               ///< leave: the worker leaving (must exist); join: optional name
  std::string role = "social_worker";  ///< join: must name a role in the scheme
  double contracted_hours = 37;        ///< join: (0, 60]
  bool agency = false;                 ///< join
};

/// How the workforce moves. Defaults and sources in docs/projection.md.
struct SupplyOptions {
  double annual_turnover = 0.159;       ///< DfE 2023 turnover; monthly hazard 1-(1-x)^(1/12), [0, 1)
  double fill_rate = 0.8;               ///< share of leavers replaced by a permanent starter, [0, 1]
  int32_t hiring_lead_months = 3;       ///< months from leaving to the replacement starting, [0, 24]
  double new_starter_asye_share = 0.3;  ///< replacements who are newly qualified, [0, 1]
  double agency_cover = 0.5;            ///< share of vacancies covered by agency until filled, [0, 1]
  int32_t agency_lead_months = 1;       ///< months before agency cover starts, [0, 24]
  double sickness_absence = 0.032;      ///< share of time lost (DfE 2023: 3.2%), [0, 1)
  /// Share of the lost time in whole-month absences (the rest is spread
  /// evenly over every worker-month), [0, 1].
  double long_term_sickness_share = 0.4;
  int32_t asye_months = 12;  ///< an ASYE becomes a social worker this long after starting, [1, 60]
};

/// Teams projected as one group (capacity and workload pooled).
struct TeamMerge {
  std::string into;                ///< the merged group's name
  std::vector<std::string> teams;  ///< at least two existing teams
};

/// A what-if run, compared side by side with the baseline. Every scenario
/// uses the same random numbers (common random numbers), so differences
/// come from the change, not from noise.
struct Scenario {
  std::string name;                         ///< unique, non-empty, not "baseline"
  double referral_factor = 1;               ///< multiplies new cases, [0, 10]
  int32_t referral_from_month = 1;          ///< first month affected (1-based), inclusive
  int32_t referral_to_month = 12;           ///< last month affected, inclusive
  std::vector<std::string> referral_teams;  ///< empty = every team
  int32_t agency_workers = 0;               ///< extra full-time agency workers, [0, 1000]
  std::string agency_team;                  ///< required when agency_workers > 0
  int32_t agency_from_month = 1;
  int32_t agency_months = 3;               ///< [1, 120]
  std::optional<double> sickness_absence;  ///< replaces SupplyOptions::sickness_absence
  std::optional<double> annual_turnover;   ///< replaces SupplyOptions::annual_turnover
  /// Extra capacity per team in FTE (deterministic: not subject to
  /// turnover or sickness), e.g. to check a required-FTE figure.
  std::vector<std::pair<std::string, double>> added_fte;
  std::vector<TeamMerge> merges;
  std::vector<StaffingChange> staffing;  ///< in addition to ProjectionOptions::staffing
};

struct ProjectionOptions {
  int32_t horizon = 12;    ///< months, [1, 12]
  int32_t n_paths = 1000;  ///< joint Monte Carlo paths, [10, 100000]
  uint64_t seed = 0;
  /// Risk level for required FTE: the smallest added FTE with P(breach) <= alpha, (0, 1).
  double alpha = 0.1;
  /// Breach = utilisation strictly above this. Default: the group's service
  /// area's amber_to (the organisation uses the default service area's).
  std::optional<double> safe_level;
  std::vector<double> quantiles = {0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95};  ///< each in (0, 1), increasing
  SupplyOptions supply;
  std::vector<StaffingChange> staffing;  ///< planned changes, applied in every scenario
  std::vector<Scenario> scenarios;       ///< the baseline is always run first
  std::string forecast_model = "auto";   ///< ForecastOptions::model for the referral series
  int32_t n_threads = 0;                 ///< 0 = hardware concurrency. Results never depend on it.
  /// Cooperative cancellation (execution.hpp), checked between blocks of 32
  /// paths and between series of the referral forecast; not an option
  /// record (never read from JSON). Null = not cancellable.
  const Cancel* cancel = nullptr;
};

/// Survival of one case type, as used by the projection.
struct SurvivalSummary {
  std::string case_type;
  std::string source;      ///< "kaplan_meier" (from the durations given) or "default" (docs/projection.md)
  int64_t n = 0;           ///< cases in the estimate (0 for defaults)
  int64_t events = 0;      ///< closed among them
  double median_days = 0;  ///< S(median) = 0.5 (in the tail assumption when the estimate stays above 0.5)
  double mean_days = 0;    ///< mean duration including the tail assumption
};

/// Kaplan-Meier estimate: survival[i] = S(time[i]) just after time[i], at
/// the distinct event times (ties: events before censorings at the same time).
struct KaplanMeier {
  std::vector<double> time;
  std::vector<double> survival;
  int64_t n = 0, events = 0;
};
/// Durations in days (>= 0, finite); closed[i] false = censored.
CASELOAD_API KaplanMeier kaplan_meier(const std::vector<double>& durations, const std::vector<bool>& closed);

/// One group in one projected month.
struct GroupMonth {
  int32_t month = 0;  ///< 1..horizon
  Date date;          ///< end of the month (as_of + round(month * 30.4375) days)
  double expected_open_cases = 0;
  double expected_new_cases = 0;    ///< opened during the month
  double expected_workload = 0;     ///< points, allocated and unallocated
  double expected_capacity = 0;     ///< points
  double expected_fte = 0;          ///< contracted FTE in post (agency included)
  double expected_utilisation = 0;  ///< mean over paths of workload / capacity (paths with 0 capacity count as +inf in
                                    ///< quantiles and breaches, not in the mean)
  std::vector<double> utilisation_quantiles;  ///< at ProjectionOptions::quantiles
  double p_breach = 0;                        ///< P(utilisation > safe level) this month
  double p_any_breach = 0;                    ///< P(any month 1..this one breached)
  double required_fte = 0;                    ///< added FTE for P(breach) <= alpha this month (0 when already)
  /// Expected workload points by case type, sorted by case type.
  std::vector<std::pair<std::string, double>> workload_by_case_type;
};

struct GroupProjection {
  Level level = Level::team;
  std::string group;
  double safe_level = 1;
  /// On as_of: the model's roll-up utilisation (points held by case holders
  /// over their capacity), the same figure as Caseload::rollup. The months
  /// ahead also carry the group's unallocated cases and any cases a manager
  /// holds, since the case holders will have to take them on.
  double current_utilisation = 0;
  double current_fte = 0;
  int64_t case_holding_workers = 0;  ///< on as_of
  /// The health-check question: new cases expected next month, in total and
  /// per case-holding worker.
  double expected_new_cases_next_month = 0;
  double expected_new_cases_per_worker = 0;
  double required_fte = 0;  ///< max over months
  std::vector<GroupMonth> months;
};

struct ScenarioProjection {
  std::string name;  ///< "baseline" first
  /// Organisation, then service areas, then teams (each sorted by name).
  std::vector<GroupProjection> groups;
};

/// Where a team's new cases come from.
struct TeamDemand {
  std::string team;
  std::string source;       ///< "forecast" or "steady_state" (no referral history)
  std::string model;        ///< forecast model used, or "poisson"
  double monthly_rate = 0;  ///< steady-state rate, or the forecast's mean over the horizon
};

struct CapacityProjection {
  Date as_of;
  int32_t horizon = 0, n_paths = 0;
  uint64_t seed = 0;
  double alpha = 0;
  std::vector<double> quantiles;
  std::vector<SurvivalSummary> survival;  ///< per case type, sorted
  std::vector<TeamDemand> demand;         ///< per team, sorted
  std::vector<ScenarioProjection> scenarios;
};

/// Runs the projection. Validates everything first and throws Error naming
/// the record and field, e.g. `referrals[3] (team "North"): count must be a
/// non-negative integer, got -1` or `staffing[0]: team "X" is not a team of
/// the model`. Output is bit-identical for any n_threads.
CASELOAD_API CapacityProjection project_capacity(const Caseload& model, const std::vector<ReferralCount>& referrals,
                                                 const std::vector<CaseDuration>& closed_cases,
                                                 const ProjectionOptions& options = {});

/// A self-contained HTML <section> (inline SVG) with the baseline's
/// utilisation fan chart against the safe band, breach probabilities by team
/// and expected new cases next month, for the health check page.
CASELOAD_API std::string projection_section_html(const CapacityProjection& projection);

/// JSON document of a projection (format in docs/projection.md).
CASELOAD_API std::string projection_to_json(const CapacityProjection& projection);

/// JSON in, JSON out on a model: `request_json` is
/// {"referrals":[..],"closed_cases":[..],"options":{..}} (each optional; the
/// JSON API's project_capacity members without the model). When
/// `section_html` is not null it receives projection_section_html() of the
/// same run. For bindings.
CASELOAD_API std::string project_capacity_json(const Caseload& model, std::string_view request_json,
                                               std::string* section_html = nullptr);

}  // namespace caseload
