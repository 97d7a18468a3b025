// Private pieces of the capacity projection shared by its source files:
// survival curves, the counter-based random numbers and validation helpers.
// Not API.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <algorithm>
#include <optional>

#include "base/random.hpp"
#include "base/stats.hpp"
#include "base/text.hpp"
#include "base/threads.hpp"
#include "caseload/error.hpp"
#include "caseload/model.hpp"
#include "caseload/projection.hpp"
#include "caseload/scheme.hpp"

namespace caseload::projection_detail {

/// Average days in a month (365.25 / 12): month m of the projection ends
/// round(m * kDaysPerMonth) days after as_of.
constexpr double kDaysPerMonth = 30.4375;

/// Counter-based random numbers keyed by (seed, path, stream, a, b)
/// (base/random.hpp): common random numbers across scenarios and threads.
using random::CounterRng;

/// A survival curve S(t), t in days since opening.
/// step: S drops at each time (Kaplan-Meier); otherwise S is linear between
/// the points (a histogram of durations). Beyond the last point S decays
/// exponentially with mean residual `tail_mean` when the last value is > 0.
struct Curve {
  std::vector<double> t, s;  // t[0] = 0, s[0] = 1, t increasing, s non-increasing
  bool step = false;
  double tail_mean = 91;  // days
  double mean = 0;        // days, including the tail

  [[nodiscard]] double at(double x) const;
  /// Residual life of a case aged `age` days: solves S(age + r) = u * S(age).
  /// A case older than the curve's support closes after an exponential
  /// residual with mean tail_mean.
  [[nodiscard]] double residual(double age, double u) const;
  void finish();  // computes mean
};

/// The documented default duration curve of a case type (docs/projection.md).
Curve default_curve(const std::string& case_type);
/// Kaplan-Meier with delayed entry (left truncation): row i is at risk only
/// from age entry[i] on. Cases opened before the durations table's window
/// are in it only because they survived into it; counting them at risk from
/// age 0 would overstate survival.
KaplanMeier kaplan_meier_delayed(const std::vector<double>& durations, const std::vector<bool>& closed,
                                 const std::vector<double>& entry);
/// A Kaplan-Meier curve with an exponential tail at its last hazard.
Curve curve_from_km(const KaplanMeier& km);

}  // namespace caseload::projection_detail

// ---------------------------------------------------------------------------
// The projection's working types, shared by its source files: the inputs
// resolved from the model (projection_inputs.cpp), the simulated paths
// (projection_simulate.cpp) and the aggregation into groups (projection.cpp).

namespace caseload::projection_detail {

using detail::nearest_rank;
using detail::num;

// Random stream ids (never renumber: results would change).
enum Stream : uint64_t {
  kCaseClose = 1,
  kArrivalCount = 2,
  kArrival = 3,
  kLeave = 4,
  kHire = 5,
  kSick = 6,
  kSpikeRound = 7,
  kBootstrap = 8,
};

// Bootstrap replicates of the Kaplan-Meier curves: path p uses replicate
// p % kMaxReplicates (every path its own replicate up to this many paths).
// Each replicate costs one Kaplan-Meier estimate per case type; beyond a few
// hundred the spread of the curves is already well represented.
constexpr int32_t kMaxReplicates = 200;

constexpr int32_t kBlock = 32;            // paths per block (fixed: part of the summation order)
constexpr double kMaxCells = 60'000'000;  // n_paths * groups * horizon * 2 doubles kept

[[noreturn]] inline void invalid(const std::string& msg) {
  throw Error(ErrorCode::invalid_argument, msg);
}

using text::quoted;

inline int32_t month_key(Date d) {
  int y = 0, m = 0, day = 0;
  d.to_ymd(y, m, day);
  return y * 12 + (m - 1);
}

inline std::string month_text(int32_t key) {
  const int y = key / 12, m = key % 12 + 1;
  std::string s = std::to_string(y) + "-";
  if (m < 10) s += '0';
  return s + std::to_string(m);
}

// ---------------------------------------------------------------- the inputs, resolved

struct SimCase {
  int32_t type = 0;
  double age_days = 0;
  // (team index, points share, count share) for each team the case loads.
  std::vector<std::pair<int32_t, double>> points;  // team, points
  std::vector<std::pair<int32_t, double>> counts;  // team, share of one case
};

struct SimWorker {
  int32_t team = 0;
  double hours = 37;
  double cap = 1;                  // role cap
  double cap_after_asye = 1;       // role cap once the ASYE year ends
  std::optional<Date> asye_until;  // becomes a social worker after this date
  bool case_holding = true;
  const Worker* record = nullptr;  // reductions of existing workers
  int32_t join_month = 0;          // present from this month (0 = already)
  int32_t leave_month = 1 << 30;   // planned leaving month (absent from it)
  bool subject_to_turnover = true;
};

// A worker present from the start in `role`, before any ASYE dates.
inline SimWorker in_role(const RoleRule& role, int32_t team, double hours) {
  SimWorker s;
  s.team = team;
  s.hours = hours;
  s.cap = role.capacity_cap;
  s.cap_after_asye = role.capacity_cap;
  s.case_holding = role.case_holding;
  return s;
}

// Month lengths are the mean month (kDaysPerMonth), rounded to whole days.
inline Date months_after(Date d, double months) {
  return Date{d.days + static_cast<int32_t>(std::lround(months * kDaysPerMonth))};
}

struct TeamInfo {
  std::string name;
  std::string service_area;
  std::vector<double> type_mix;     // arrival probability by type
  std::vector<double> type_points;  // mean points of a new case by type
  double steady_rate = 0;           // cases per month
  int64_t case_holding_workers = 0;
};

struct Resolved {
  const Caseload* model = nullptr;
  Date as_of;
  int32_t horizon = 12, n_paths = 1000;
  std::vector<int32_t> month_day;  // month_day[m] = days from as_of to the end of month m (m = 0..H)
  std::vector<std::string> types;  // sorted case types
  std::vector<Curve> curves;       // by type: the point estimates
  // Kaplan-Meier inputs of the estimated types (empty for defaults), kept
  // for the bootstrap.
  struct KmRows {
    std::vector<double> d, entry;
    std::vector<bool> e;
  };
  std::vector<KmRows> km_rows;               // by type
  std::vector<std::vector<Curve>> replicas;  // [replicate][type]; empty when no curve is estimated
  std::vector<TeamInfo> teams;               // sorted by name
  std::vector<SimCase> cases;
  std::vector<SimWorker> workers;  // existing and planned starters
  // Demand: forecast paths per team (empty = steady state Poisson).
  std::vector<std::vector<std::vector<double>>> demand_paths;  // [team][path][month-1]
  std::vector<TeamDemand> demand;
  std::vector<SurvivalSummary> survival;
  std::vector<int32_t> opened_recently;  // type of each durations row opened in the year to as_of
  // Share of the existing workers with a recorded full-time absence (a
  // reduction of all their hours) at the end of month m, m = 1..H ([0] unused).
  std::vector<double> recorded_absent;
  CapacityPolicy capacity;  // the scheme version's, for rules::capacity_points
  double asye_cap = 0.9, sw_cap = 1.0;
  std::string asye_role;  // empty when the scheme has none
};

inline int32_t team_index(const Resolved& r, const std::string& name) {
  const auto it = std::lower_bound(r.teams.begin(), r.teams.end(), name,
                                   [](const TeamInfo& t, const std::string& n) { return t.name < n; });
  if (it == r.teams.end() || it->name != name) return -1;
  return static_cast<int32_t>(it - r.teams.begin());
}

// First month whose end is on or after `d` (1..H), or H + 1 when beyond.
inline int32_t month_of(const Resolved& r, Date d) {
  const int32_t offset = days_between(r.as_of, d);
  for (int32_t m = 1; m <= r.horizon; ++m)
    if (r.month_day[static_cast<size_t>(m)] >= offset) return m;
  return r.horizon + 1;
}

// ---------------------------------------------------------------- one scenario

struct ScenarioPlan {
  std::string name;
  std::vector<int32_t> group_of_team;  // team -> team-level group index
  std::vector<std::string> team_groups;
  std::vector<double> referral_factor;  // [team * H + (m-1)]
  std::vector<double> added_capacity;   // per team, points
  std::vector<double> added_fte;        // per team
  std::vector<SimWorker> workers;       // base workers + scenario staffing + agency
  double hazard = 0;
  double sickness = 0;
};

// Per-path figures, by team, month 1..H.
struct PathOut {
  std::vector<double> workload, capacity, fte, open, arrivals;  // [team * H + m-1]
  std::vector<double> by_type;                                  // [(team * T + type) * H + m-1]
};

/// Runs body(b) for every block b on up to n_threads threads (0 = hardware
/// concurrency) through the library's one thread helper (base/threads.hpp):
/// bounded by the process-wide cap, falls back to fewer threads when one
/// cannot start, checks `cancel` before each block, and rethrows the error
/// of the lowest failing block once every thread has stopped.
template <class F>
void parallel_blocks(int32_t n_blocks, int32_t n_threads, const Cancel* cancel, F&& body) {
  threads::run_blocks(static_cast<size_t>(std::max(0, n_blocks)), n_threads, cancel, "project_capacity",
                      [&](size_t b) { body(static_cast<int32_t>(b)); });
}

// projection_inputs.cpp: options and scenarios checked, the model resolved.
void validate_options(const ProjectionOptions& o);
void validate_staffing(const Resolved& r, const std::vector<StaffingChange>& changes, const std::string& what,
                       const SchemeVersion& v);
void validate_scenarios(const Resolved& r, const ProjectionOptions& o, const SchemeVersion& v);
void resolve_survival(Resolved& r, const std::vector<CaseDuration>& closed, const SchemeVersion& v);
int32_t type_index(const Resolved& r, const std::string& type);
void resolve_teams_and_cases(Resolved& r, const Caseload& model);
void resolve_workers(const Resolved& r, const Caseload& model, const std::vector<StaffingChange>& staffing,
                     std::vector<SimWorker>& out, const SupplyOptions& supply);
void resolve_demand(Resolved& r, const std::vector<ReferralCount>& referrals, const ProjectionOptions& o);

// projection_simulate.cpp: one scenario's plan, one path, the bootstrap replicas.
ScenarioPlan make_plan(const Resolved& r, const ProjectionOptions& o, const Scenario* s);
void simulate_path(const Resolved& r, const ScenarioPlan& plan, const SupplyOptions& supply, uint64_t seed, int32_t p,
                   PathOut& out);
void build_replicas(Resolved& r, uint64_t seed, int32_t n_threads, const Cancel* cancel);

}  // namespace caseload::projection_detail
