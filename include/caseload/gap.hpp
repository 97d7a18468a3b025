// General Generalized Assignment Problem (GAP) engine: the optimisation core
// behind case allocation. m agents (workers), n items (cases); item j costs
// cost[i][j] and uses weight[i][j] of agent i's capacity[i]; every item goes
// to exactly one agent, no agent exceeds its capacity, total cost is minimised.
//
// The solver is deterministic: the same instance, options and seed give the
// same result on every machine and thread count, because its effort is counted
// in work units (operations), not seconds. Only `time_limit_seconds` (off by
// default) makes the result depend on the machine's speed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/execution.hpp"
#include "caseload/export.hpp"

namespace caseload {

/// A GAP instance. Matrices are row-major, agents x items:
/// cost[i * items + j] is the cost of giving item j to agent i.
struct CASELOAD_API GapInstance {
  int32_t agents = 0;
  int32_t items = 0;
  std::vector<double> cost;      ///< agents x items, finite (any sign)
  std::vector<double> weight;    ///< agents x items, finite and >= 0
  std::vector<double> capacity;  ///< agents, finite and >= 0

  /// Throws caseload::Error (invalid_argument) naming the first bad field,
  /// e.g. `gap: weight[2][17] must be finite and >= 0, got nan`.
  void validate() const;
};

/// Parses the OR-Library text format (whitespace-separated numbers):
/// `m n`, then m rows of n costs, m rows of n weights, then m capacities.
/// Throws caseload::Error (parse) naming the line and field of the problem,
/// e.g. `gap: line 3, field 7: expected a number, got "x"`; the parsed
/// instance is validated before it is returned.
CASELOAD_API GapInstance parse_orlibrary_gap(std::string_view text);

/// Reads and parses a file; Error(io) when it cannot be read. Parse errors
/// name the file: `gap file "gap1-0": line 3, field 7: ...`.
CASELOAD_API GapInstance read_orlibrary_gap(const std::string& path);

struct GapOptions {
  /// Seed of the search's pseudo-random choices (tabu tenures, restarts).
  uint64_t seed = 0;
  /// Optional wall-clock limit, finite and >= 0 (solve_gap throws
  /// invalid_argument otherwise). Off by default; when set, results may
  /// depend on machine speed and load.
  std::optional<double> time_limit_seconds;
  /// Deterministic effort budget in work units (roughly one unit per move
  /// evaluated, of about equal CPU cost in every phase). The default takes
  /// at most about 0.65 s on the 200-item OR-Library instances on one 2020s
  /// core; the solver stops earlier when it proves optimality.
  int64_t work_limit = 200'000'000;
  /// Optional initial assignment (item -> agent), size `items` or empty.
  /// It need not be feasible; pinned items override it.
  std::vector<int32_t> warm_start;
  /// (item, agent) pairs: the item must go to that agent.
  std::vector<std::pair<int32_t, int32_t>> pinned;
  /// Cooperative cancellation (execution.hpp), checked between search
  /// steps; not an option record (never read from JSON). Null = not
  /// cancellable.
  const Cancel* cancel = nullptr;
};

struct GapResult {
  /// item -> agent; empty when no feasible assignment was found.
  std::vector<int32_t> assignment;
  /// Total cost of `assignment`; +infinity when it is empty.
  double objective = 0;
  /// A valid lower bound on the optimum (never above it); +infinity when
  /// the instance is proven infeasible.
  double bound = 0;
  bool feasible = false;  ///< `assignment` respects every capacity and pin
  bool optimal = false;   ///< objective proven optimal (bound reached)
  double seconds = 0;     ///< wall time, for reporting only
  int64_t work = 0;       ///< work units spent
  /// "optimal", "feasible" (not proven optimal), "infeasible" (proven), or
  /// "unknown" (no feasible assignment found, infeasibility not proven).
  std::string status;
};

/// Solves the instance. Throws caseload::Error (invalid_argument) when the
/// instance or options are malformed (pin or warm-start indices out of range,
/// an item pinned to two agents, negative work limit).
CASELOAD_API GapResult solve_gap(const GapInstance& instance, const GapOptions& options = {});

}  // namespace caseload
