// Allocation optimiser: safe, fair, explained allocation of a batch of
// incoming cases to the workers of a Caseload, with an upper bound on the
// best achievable priority-weighted work and the optimality gap; top-k
// suggestions for one case; rebalancing of existing cases. Design, rules and
// the bound: docs/allocation.md.
//
// Deterministic: the same model, batch, options and seed give the same plan
// on every machine; effort is counted in work units. Only the optional time
// limit makes a result depend on the machine's speed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/execution.hpp"
#include "caseload/export.hpp"
#include "caseload/io.hpp"
#include "caseload/model.hpp"
#include "caseload/records.hpp"

namespace caseload {

/// A manager's preference for giving a case to a worker (any finite score;
/// positive = prefer, negative = rather not). A soft preference only.
struct WorkerPreference {
  std::string worker_id;
  double score = 0;
};

/// One incoming (unallocated) case and the rules for allocating it.
struct IncomingCase {
  /// The case; `allocations` must be empty. Its points come from the scheme
  /// exactly as for a held case (type, factors, open tasks on as_of).
  Case record;
  /// Priority or risk weight, finite and > 0. The objective's first stage
  /// maximises the sum of priority x points over allocated cases.
  double priority = 1;
  double min_experience_years = 0;  ///< hard: worker.experience_years >= this
  /// Hard, when not empty: the worker's experience_level must be at or above
  /// this one in AllocationOptions::experience_levels.
  std::string min_experience_level;
  std::vector<std::string> required_skills;  ///< hard: the worker has every one
  std::vector<std::string> desired_skills;   ///< soft: share of these the worker has
  std::string required_team;                 ///< hard, when not empty
  std::string required_service_area;         ///< hard, when not empty
  /// Soft: family continuity with a named previous worker (in addition to
  /// any worker who holds a case of the same family_id).
  std::string previous_worker;
  std::vector<std::string> excluded_workers;  ///< hard: conflicts of interest
  /// Hard, when not empty: the manager has decided. A pin that breaks a hard
  /// rule (exclusion, eligibility, safe capacity, ASYE protection) is an
  /// error naming the case, the worker and the rule.
  std::string pinned_worker;
  std::vector<WorkerPreference> preferences;  ///< soft: manager-supplied scores
};

struct AllocationOptions {
  /// Safe capacity as a fraction of each worker's capacity: no worker's
  /// utilisation may exceed it after allocation. Default (nullopt): the
  /// "red threshold" of the worker's service area, i.e. the top of amber
  /// (Thresholds::amber_to, 100% in the default scheme): allocation never
  /// takes a worker into red. Must be finite and > 0 when set.
  std::optional<double> utilisation_cap;
  /// Experience levels from least to most experienced; a worker whose level
  /// is not listed meets no level requirement. A case requiring a level not
  /// listed is an error.
  std::vector<std::string> experience_levels{"newly_qualified", "early_career", "experienced", "senior"};
  /// Weights of the soft preferences (stage 3), each >= 0: the soft score of
  /// giving case j to worker w is
  ///   continuity_weight * [w holds a sibling case or is the previous worker,
  ///                        or gets a sibling from the same batch in the plan]
  /// + skills_weight * (share of j's desired skills that w has)
  /// + preference_weight * (manager's score for w, 0 when none).
  double continuity_weight = 1.0;
  double skills_weight = 0.5;
  double preference_weight = 1.0;
  /// Fairness tolerance, in utilisation (0.05 = 5 percentage points): a
  /// soft preference may move a case to a worker who ends at most this much
  /// above the fairest choice, and never above the plan's stage-2 maximum
  /// plus this much. 0 = strictly lexicographic (soft preferences only break
  /// exact ties).
  double fairness_tolerance = 0.05;
  uint64_t seed = 0;
  /// Deterministic effort budget (roughly one unit per move or candidate
  /// evaluated). The solver stops earlier when stage 1 meets its bound and
  /// no fairness move is left.
  int64_t work_limit = 2'000'000;
  std::optional<double> time_limit_seconds;  ///< off by default
  /// Previous plan: (case id, worker id) pairs used as the starting point
  /// where they are still valid (entries naming unknown cases or workers, or
  /// no longer feasible, are ignored).
  std::vector<std::pair<std::string, std::string>> warm_start;
  /// Build per-worker verdicts and explanation text (the costly part of a
  /// plan for large batches). Objective and reasons are the same either way.
  bool explain = true;
  /// Cooperative cancellation (execution.hpp), checked between search
  /// steps; not an option record (never read from JSON). Null = not
  /// cancellable.
  const Cancel* cancel = nullptr;
};

/// How one worker stands for one case.
struct WorkerVerdict {
  enum class Status { chosen, eligible, full, excluded };
  std::string worker_id;
  Status status = Status::excluded;
  /// Why, in words, e.g. `lacks skill "court"`, `ASYE: case type
  /// "child_protection" is co-work only`, `full: 97.5 of 100 points used,
  /// the case needs 6.7 (cap 100%)`, `eligible: would be at 88%`.
  std::string reason;
  /// Utilisation the worker would have with this case added to the plan's
  /// other allocations (NaN when excluded).
  double utilisation_if_given = 0;
};
CASELOAD_API const char* verdict_status_name(WorkerVerdict::Status status) noexcept;

/// The decision for one incoming case.
struct CaseDecision {
  enum class Reason {
    allocated,              ///< given to `worker_id` by the optimiser
    pinned,                 ///< given to `worker_id` by the manager's pin
    no_eligible_worker,     ///< every worker is excluded by a hard rule
    eligible_workers_full,  ///< eligible workers exist but none had room even before this batch
    displaced,              ///< an eligible worker had room, but it went to the cases in `displaced_by`
  };
  std::string case_id;
  std::string worker_id;  ///< empty when unallocated (stays with the team manager)
  Reason reason = Reason::allocated;
  double points = 0;
  double priority = 1;
  double soft_score = 0;                  ///< soft score of the chosen worker (0 when unallocated)
  std::string runner_up;                  ///< the best other eligible worker, or empty
  std::string explanation;                ///< one paragraph (empty unless options.explain)
  std::vector<std::string> displaced_by;  ///< incoming cases (by id) that took the room
  std::vector<WorkerVerdict> workers;     ///< every worker, model order (empty unless options.explain)
};
CASELOAD_API const char* decision_reason_name(CaseDecision::Reason reason) noexcept;

/// A worker's figures before and after the plan.
struct WorkerChange {
  std::string worker_id, team, service_area, role;
  bool is_asye = false;
  bool case_holding = true;
  double capacity = 0;  ///< points
  double cap = 1;       ///< safe utilisation cap applied (fraction)
  double points_before = 0, points_after = 0;
  double cases_before = 0, cases_after = 0;
  double utilisation_before = 0, utilisation_after = 0;  ///< +inf when capacity is 0 and points > 0
  Band band_before = Band::green, band_after = Band::green;
  std::vector<std::string> new_cases;  ///< incoming (allocate) or moved-in (rebalance) case ids
};

/// The objective, stage by stage (higher value and soft score are better,
/// lower utilisation figures are better).
struct AllocationObjective {
  double value = 0;  ///< stage 1: sum of priority x points over allocated cases
  double allocated_points = 0;
  int64_t allocated_cases = 0;
  double max_utilisation = 0;  ///< stage 2: highest utilisation after, over workers given cases (0 if none)
  double spread = 0;           ///< stage 2: population std dev of utilisation after, case-holding workers with capacity
  double soft_score = 0;       ///< stage 3: sum of the allocated cases' soft scores
};

struct AllocationPlan {
  std::vector<CaseDecision> cases;    ///< input order
  std::vector<WorkerChange> workers;  ///< model order
  AllocationObjective objective;
  /// Upper bound on stage 1's value over every plan obeying the hard rules
  /// (the smaller of the LP relaxation, a max-flow computation, and a
  /// Lagrangian bound with exact per-worker knapsacks; docs/allocation.md).
  double bound = 0;
  double gap = 0;        ///< (bound - value) / bound; 0 when bound is 0
  bool optimal = false;  ///< stage 1 proven optimal (value meets the bound)
  int64_t work = 0;      ///< work units spent
  double seconds = 0;    ///< wall time, for reporting only
  uint64_t seed = 0;
};

/// Allocates `incoming` to the model's workers. Throws Error naming the
/// record and field on bad input: a case id already in the model or given
/// twice (duplicate), an allocated incoming case, priority not finite and
/// > 0, an unknown worker in a pin or preference (not_found), a pin breaking
/// a hard rule, bad options. The model is not changed.
CASELOAD_API AllocationPlan allocate(const Caseload& model, const std::vector<IncomingCase>& incoming,
                                     const AllocationOptions& options = {});

/// One worker's standing for a single case, for a manager who allocates by hand.
struct Suggestion {
  std::string worker_id;
  double utilisation_before = 0, utilisation_after = 0;
  double soft_score = 0;
  std::string explanation;
};

/// The top-k eligible workers with room for `incoming`, best first (the
/// ranking the optimiser's construction uses: utilisation after, less
/// fairness_tolerance x soft score clamped to [0, 1]; ties by model order).
/// Fewer than k when fewer qualify. Throws as allocate().
CASELOAD_API std::vector<Suggestion> suggest(const Caseload& model, const IncomingCase& incoming, int32_t k = 3,
                                             const AllocationOptions& options = {});

struct RebalanceOptions {
  std::optional<double> utilisation_cap;  ///< as AllocationOptions::utilisation_cap
  /// Cost of one move, in points of overload relieved: a move is made only
  /// when it relieves more than this (minimal disruption). >= 0.
  double move_cost = 1.0;
  int32_t max_moves = 50;  ///< >= 0
  /// Where a case may go: "team" (default: within the worker's team),
  /// "service_area", or "any".
  std::string scope = "team";
  int64_t work_limit = 50'000'000;
};

struct CaseMove {
  std::string case_id, from_worker, to_worker;
  double points = 0;    ///< the case's points on the giving worker (its share)
  double relieved = 0;  ///< overload removed from the giving worker, points
  std::string reason;
};

struct RebalancePlan {
  std::vector<CaseMove> moves;        ///< in the order chosen
  std::vector<WorkerChange> workers;  ///< only workers that give or receive, model order
  double overload_before = 0;         ///< sum over workers of points above their safe capacity
  double overload_after = 0;
  double cost = 0;                                      ///< move_cost x moves
  int64_t overloaded_before = 0, overloaded_after = 0;  ///< workers above their safe capacity
  int64_t work = 0;
  double seconds = 0;
};

/// Moves existing single-worker cases from workers above their safe capacity
/// to workers with room, greedily by the overload each move relieves net of
/// move_cost, never taking the receiver above its cap, never breaking ASYE
/// protection, and at most max_moves moves. The model is not changed; apply
/// the moves with Caseload::apply (Change::move_case).
CASELOAD_API RebalancePlan rebalance(const Caseload& model, const RebalanceOptions& options = {});

// ---- Incoming cases as records (CSV/JSON/tables) -----------------------------
// Columns: the case columns of cases.csv (id, family_id, case_type, factors,
// open_date, team, tasks; allocations must be empty or absent) plus
// priority, min_experience_years, min_experience_level, required_skills,
// desired_skills, required_team, required_service_area, previous_worker,
// excluded_workers, pinned_worker, preferences. Lists are ";"-separated;
// preferences "W1:0.5;W2:-1". Errors name the incoming case.
CASELOAD_API std::vector<IncomingCase> incoming_from_table(const Table& table, const Limits& limits = default_limits());
CASELOAD_API std::vector<IncomingCase> incoming_from_csv(std::string_view csv, const Limits& limits = default_limits());
CASELOAD_API std::vector<IncomingCase> incoming_from_json(std::string_view json,
                                                          const Limits& limits = default_limits());
CASELOAD_API std::string incoming_to_csv(const std::vector<IncomingCase>& incoming);

/// The plan as JSON (docs/allocation.md), CSV (one row per incoming case:
/// case_id,worker_id,reason,runner_up,points,priority,explanation) and a
/// self-contained HTML page (the plan table and before/after loads).
CASELOAD_API std::string allocation_plan_to_json(const AllocationPlan& plan);
CASELOAD_API std::string allocation_plan_to_csv(const AllocationPlan& plan);
CASELOAD_API std::string allocation_plan_to_html(const AllocationPlan& plan,
                                                 std::string_view title = "Allocation plan");
CASELOAD_API std::string rebalance_plan_to_json(const RebalancePlan& plan);
CASELOAD_API std::string suggestions_to_json(const std::vector<Suggestion>& suggestions);

/// A seeded week of incoming referrals for the model's workers (about
/// `count` cases, some siblings, some with skills or experience rules, a few
/// exclusions and one pin), for demos and benchmarks. Same inputs, same batch.
CASELOAD_API std::vector<IncomingCase> synthetic_incoming(const Caseload& model, int32_t count = 40, uint64_t seed = 1);

}  // namespace caseload
