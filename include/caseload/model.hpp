// The weighted caseload model: per-worker load, breakdowns, roll-ups,
// exceedance history and impact previews.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/date.hpp"
#include "caseload/export.hpp"
#include "caseload/records.hpp"
#include "caseload/scheme.hpp"

namespace caseload {

/// Utilisation band (see Thresholds).
enum class Band : int { green = 0, amber = 1, red = 2, excessive = 3 };
CASELOAD_API const char* band_name(Band band) noexcept;  ///< "green", ...

/// One line of a worker's breakdown: a case, a factor, a task, a co-working
/// share, a reduction or a cap, with the points or hours it contributed and
/// the scheme rule that gave them, so a worker can check their own figure.
struct BreakdownLine {
  enum class Kind { case_base, factor_add, factor_multiply, task, share, reduction, role_cap, capacity };
  Kind kind;
  std::string case_id;       ///< empty for capacity lines
  std::string item;          ///< case type, factor, task type, reduction reason, role
  std::string rule;          ///< human-readable rule, e.g. "factor court_proceedings: x1.5 (scheme 2024.1)"
  double value = 0;          ///< points (case lines), hours (reduction) or fraction (cap)
  double running_total = 0;  ///< the case's points (or capacity) after this line
};

/// A worker's figures on the model's as-of date.
struct WorkerLoad {
  std::string worker_id, team, service_area, role;
  bool case_holding = true;
  bool is_asye = false;
  double fte = 0;              ///< contracted_hours / standard_hours
  double available_hours = 0;  ///< contracted hours less active reductions, hours per week
  double cases = 0;            ///< cases held (a co-worked case counts 1 for each worker)
  double points = 0;           ///< weighted load, points (co-worked cases by share)
  double capacity = 0;         ///< available capacity, points
  double utilisation = 0;      ///< points / capacity; +inf when capacity is 0 and points > 0
  double headroom = 0;         ///< capacity * amber_to - points, points (negative = over)
  Band band = Band::green;
  bool over_case_benchmark = false;  ///< cases per FTE above the service area's safe benchmark
  /// ASYE only: true when the protected caseload holds (utilisation within
  /// capacity, case count within max_cases, no co-work-only case held alone).
  bool asye_protected = true;
  std::vector<std::string> asye_breaches;  ///< why not, one line each
};

/// Breakdown of one worker: every case, task and reduction line.
struct WorkerBreakdown {
  WorkerLoad load;
  std::string scheme_version;
  std::vector<BreakdownLine> lines;
};

/// Percentiles of a distribution (nearest-rank on sorted values).
struct Distribution {
  double p10 = 0, p50 = 0, p90 = 0, max = 0, mean = 0;
  int64_t n = 0;
};

/// Roll-up level.
enum class Level : int { team = 0, service_area = 1, organisation = 2 };
CASELOAD_API const char* level_name(Level level) noexcept;  ///< "team", ...

/// Figures for one team, service area or the whole organisation.
struct Rollup {
  Level level = Level::organisation;
  std::string group;    ///< team or service area name; "organisation" for the whole
  int64_t workers = 0;  ///< all workers
  int64_t case_holding_workers = 0;
  double case_holding_fte = 0;
  double cases = 0;  ///< distinct allocated cases held in the group (by any worker)
  /// Points and capacity of case-holding workers only: a team manager's or
  /// family support worker's capacity is not available for cases, so
  /// counting it would read group utilisation low (DfE caseload averages
  /// likewise count case-holding FTE only).
  double points = 0;
  double capacity = 0;
  double utilisation = 0;         ///< points / capacity (case holders), not a mean of percentages
  double mean_cases_per_fte = 0;  ///< mean of each case-holding worker's cases / fte (workers with fte > 0)
  double median_cases_per_fte = 0;
  Distribution utilisation_distribution;  ///< over case-holding workers with finite utilisation
  Distribution cases_distribution;        ///< case counts of case-holding workers
  int64_t band_counts[4] = {0, 0, 0, 0};  ///< indexed by Band; case-holding workers only
  double band_shares[4] = {0, 0, 0, 0};   ///< of case-holding workers
  int64_t over_case_benchmark = 0;
  double share_over_case_benchmark = 0;
  /// Fairness: Gini coefficient of utilisation over case-holding workers
  /// (0 = perfectly even load, 1 = one worker holds everything).
  double gini_utilisation = 0;
  /// Jain's fairness index of utilisation, in (0, 1] (1 = even).
  double jain_index = 1;
  /// Unallocated cases belong to the case's team; at service-area level, to
  /// the service area most of that team's workers are in (ties: the smaller
  /// name), or "unknown" when the team has no workers.
  int64_t unallocated_cases = 0;
  double unallocated_points = 0;
  double unallocated_mean_age_days = 0;
  double unallocated_max_age_days = 0;
  int64_t asye_workers = 0;
  int64_t asye_protected = 0;
  double asye_compliance = 1;  ///< asye_protected / asye_workers (1 when no ASYEs)
  /// Points held by workers whose role is not case-holding (cases allocated
  /// to a manager, say) and those workers' capacity. Outside `points`,
  /// `capacity` and `utilisation`; points + non_case_holding_points is every
  /// worker's points.
  double non_case_holding_points = 0;
  double non_case_holding_capacity = 0;
};

/// Persistence rule for exceedance history: a worker is in an episode when
/// their utilisation is above `threshold` in at least `min_consecutive`
/// consecutive snapshots. Snapshots further apart than `max_gap_days` break
/// a run (a missing week is not assumed to be over or under).
struct ExceedanceRule {
  std::optional<double> threshold;  ///< fraction; default: the service area's excessive_above
  int32_t min_consecutive = 4;
  int32_t max_gap_days = 7;
};

/// One period over the safe level for one worker.
struct ExceedanceEpisode {
  std::string worker_id, team, service_area;
  Date start, end;          ///< first and last snapshot over the threshold
  int32_t snapshots = 0;    ///< consecutive snapshots over
  int32_t length_days = 0;  ///< end - start + 1
  double peak = 0;          ///< highest utilisation in the episode
  bool ongoing = false;     ///< still over at the last snapshot
};

/// Exceedance answer for one group: who was over, how often, how long.
struct ExceedanceSummary {
  Level level = Level::organisation;
  std::string group;
  int64_t workers_observed = 0;
  int64_t workers_with_episode = 0;
  double share_with_episode = 0;
  int64_t episodes = 0;
  int64_t snapshots_over = 0;  ///< worker-snapshots inside episodes
  double mean_episode_days = 0;
  int32_t longest_episode_days = 0;
  double peak = 0;
};

struct ExceedanceHistory {
  Date from, to;  ///< window of snapshots considered
  ExceedanceRule rule;
  std::vector<ExceedanceEpisode> episodes;   ///< ordered by worker id, then start
  std::vector<ExceedanceSummary> summaries;  ///< organisation, then service areas, then teams (sorted)
};

/// Computes exceedance episodes from dated snapshots in [from, to]
/// (defaults: the whole range). `workers` supplies team and service area
/// for snapshots that lack them and thresholds come from `scheme` at each
/// snapshot's date. Throws Error naming the snapshot row and field on bad
/// input (NaN utilisation, unknown worker without team, duplicate
/// worker/date). Utilisation +inf (capacity 0 with points, as snapshot()
/// reports it) is accepted and is over any threshold. Over means strictly
/// above the threshold. Each episode takes its team and service area from
/// its first snapshot; a summary counts a worker as observed in every group
/// their snapshots in the window name.
CASELOAD_API ExceedanceHistory exceedance_history(const WeightingScheme& scheme, const std::vector<Worker>& workers,
                                                  const std::vector<Snapshot>& snapshots,
                                                  const ExceedanceRule& rule = {},
                                                  std::optional<Date> from = std::nullopt,
                                                  std::optional<Date> to = std::nullopt);

/// A change to preview: add a case, remove a case, or move a case (all of
/// its allocations) to another worker.
struct Change {
  enum class Kind { add_case, remove_case, move_case };
  Kind kind = Kind::add_case;
  Case new_case;          ///< add_case
  std::string case_id;    ///< remove_case, move_case
  std::string to_worker;  ///< move_case
};

struct WorkerImpact {
  std::string worker_id;
  WorkerLoad before, after;
};

/// Before/after for every affected worker; the model is not changed.
struct ImpactPreview {
  std::vector<WorkerImpact> workers;
};

/// The model: a scheme, workers and cases, evaluated on an as-of date.
/// Construction validates everything and throws Error naming the first bad
/// record and field (a factor listed twice on one case is an error, as is
/// more than 100% of contracted hours in reductions active on as_of). Mutating methods are all-or-nothing: when they
/// throw, the model is unchanged. Const methods may be called concurrently from many threads; a mutating call must not
/// overlap any other call on the same object (docs/thread_safety.md).
class CASELOAD_API Caseload {
 public:
  Caseload(WeightingScheme scheme, std::vector<Worker> workers, std::vector<Case> cases, Date as_of);
  ~Caseload();
  Caseload(const Caseload&);
  Caseload& operator=(const Caseload&);
  /// A moved-from Caseload may only be destroyed, copied or assigned to.
  Caseload(Caseload&&) noexcept;
  Caseload& operator=(Caseload&&) noexcept;

  [[nodiscard]] const WeightingScheme& scheme() const noexcept;
  [[nodiscard]] const SchemeVersion& scheme_version() const noexcept;  ///< in force on as_of
  [[nodiscard]] Date as_of() const noexcept;
  [[nodiscard]] const std::vector<Worker>& workers() const noexcept;
  [[nodiscard]] const std::vector<Case>& cases() const noexcept;

  /// Every worker's figures, in input order.
  [[nodiscard]] const std::vector<WorkerLoad>& worker_loads() const noexcept;
  /// The figures of one worker; throws Error(not_found).
  [[nodiscard]] const WorkerLoad& worker_load(std::string_view worker_id) const;
  /// Line-by-line breakdown of one worker; throws Error(not_found).
  [[nodiscard]] WorkerBreakdown breakdown(std::string_view worker_id) const;
  /// Points of one case under the scheme, before co-working shares.
  [[nodiscard]] double case_points(std::string_view case_id) const;

  /// Roll-ups at a level, sorted by group name (one row for organisation).
  [[nodiscard]] std::vector<Rollup> rollup(Level level) const;

  /// Before/after of a change without applying it. Throws Error when the
  /// change is invalid (unknown case or worker, bad new case).
  [[nodiscard]] ImpactPreview preview(const Change& change) const;
  /// Applies a change (all-or-nothing).
  void apply(const Change& change);
  /// Adds or replaces workers and cases in one batch (all-or-nothing).
  /// Replaced records keep their position; new ones are appended in the
  /// order given. An id given twice in one batch is an error.
  void upsert(const std::vector<Worker>& workers, const std::vector<Case>& cases);
  /// Re-evaluates on another date (scheme version, reductions, tasks).
  void set_as_of(Date as_of);

  /// Today's snapshot rows (one per worker), for appending to history.
  [[nodiscard]] std::vector<Snapshot> snapshot() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace caseload
