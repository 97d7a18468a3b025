// Private building blocks of the GAP solver (src/gap/*.cpp). Not installed.
//
// The files depend one way, each only on those above it:
//   gap_common.cpp   Problem, feasibility, the incumbent, regret completion,
//                    shift descent, useful pairs (and this header's inline
//                    SearchState)
//   gap_search.cpp   greedy constructions and the tabu search
//   gap_bound.cpp    the Lagrangian bound and the branch and bound
//                    (knapsacks by base/knapsack.hpp)
//   gap_lns.cpp      large neighbourhood search (the bound and the tree on
//                    sub-problems)
//   gap.cpp          instances, OR-Library parsing and the driver, solve_gap
// gap_search.cpp and gap_bound.cpp do not use each other.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "base/budget.hpp"
#include "base/random.hpp"

namespace caseload::gap_detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

/// The instance left after pinned items are removed: only free items, with
/// capacities reduced by the pinned load. Matrices are agent-major (i * n + j).
struct Problem {
  int m = 0;
  int n = 0;
  std::vector<double> c, a, b;
  std::vector<double> tol;       ///< per-agent feasibility tolerance on load
  std::vector<uint8_t> allowed;  ///< a[i][j] fits agent i's capacity on its own
  bool integral_costs = false;   ///< every cost is an integer: bounds may be rounded up
  double cost(int i, int j) const { return c[static_cast<size_t>(i) * n + j]; }
  double weight(int i, int j) const { return a[static_cast<size_t>(i) * n + j]; }
  bool fits(int i, int j) const { return allowed[static_cast<size_t>(i) * n + j] != 0; }
  /// Smallest objective decrease worth searching for (1 with integer costs).
  double min_improvement() const { return integral_costs ? 1.0 - 1e-9 : 1e-9; }
  /// Rounds a lower bound up to the next attainable objective value.
  double tighten(double bound) const;
};

/// Deterministic effort accounting with an optional deadline (base/budget.hpp).
using Budget = work::Budget;
/// The solver's clock readings are this many work units apart (about 0.6 ms).
inline constexpr int64_t kClockEvery = 200'000;

/// The search's random choices (tabu tenures, restarts, neighbourhood
/// subsets): splitmix64 from the seed, salted (random::SplitMix64).
struct Rng : random::SplitMix64 {
  explicit Rng(uint64_t seed) : SplitMix64(seed ^ 0x9E3779B97F4A7C15ULL) {}
};

/// Best feasible assignment found so far.
struct Incumbent {
  std::vector<int> assignment;
  double cost = kInf;
  bool found() const { return !assignment.empty() || cost < kInf; }
  /// Checks feasibility from scratch and keeps `asg` if it is cheaper.
  bool offer(const Problem& p, const std::vector<int>& asg);
};

/// A complete assignment that may overload agents, with the caches the local
/// search needs to price a move in O(1): per-agent loads, the items each agent
/// holds (for swap enumeration), and per-agent penalty weights. The penalised
/// objective is cost + sum_i weight_i * excess_i, excess_i = load_i - b_i when
/// load_i exceeds b_i + tol_i (else 0). Header-only so tests can check every
/// incremental quantity against a recomputation from scratch.
class SearchState {
 public:
  explicit SearchState(const Problem& p) : p_(&p), w_(p.m, 1.0) {}

  void reset(const std::vector<int>& asg) {
    const Problem& p = *p_;
    asg_ = asg;
    load_.assign(p.m, 0.0);
    members_.assign(p.m, {});
    pos_.assign(p.n, 0);
    cost_ = 0;
    for (int j = 0; j < p.n; ++j) {
      const int i = asg_[j];
      load_[i] += p.weight(i, j);
      cost_ += p.cost(i, j);
      pos_[j] = static_cast<int>(members_[i].size());
      members_[i].push_back(j);
    }
    violated_ = 0;
    for (int i = 0; i < p.m; ++i) violated_ += excess(i, load_[i]) > 0;
  }

  // Branch-free: near capacity the comparison is unpredictable and a
  // mispredicted branch cost more than the arithmetic in the move loops.
  double excess(int i, double load) const {
    return static_cast<double>(load > p_->b[i] + p_->tol[i]) * (load - p_->b[i]);
  }
  /// Change of the penalised objective if item j moves to agent k (k != asg[j]).
  double shift_delta(int j, int k) const {
    const Problem& p = *p_;
    const int i = asg_[j];
    return p.cost(k, j) - p.cost(i, j) + w_[i] * (excess(i, load_[i] - p.weight(i, j)) - excess(i, load_[i])) +
           w_[k] * (excess(k, load_[k] + p.weight(k, j)) - excess(k, load_[k]));
  }
  /// Change of the penalised objective if items j and l (on different agents) trade agents.
  double swap_delta(int j, int l) const {
    const Problem& p = *p_;
    const int i = asg_[j], k = asg_[l];
    const double ni = load_[i] - p.weight(i, j) + p.weight(i, l), nk = load_[k] - p.weight(k, l) + p.weight(k, j);
    return p.cost(k, j) + p.cost(i, l) - p.cost(i, j) - p.cost(k, l) + w_[i] * (excess(i, ni) - excess(i, load_[i])) +
           w_[k] * (excess(k, nk) - excess(k, load_[k]));
  }
  /// Change of the penalised objective for the ejection chain "item j moves to
  /// agent k, which ejects its item l to agent h" (asg[l] == k != asg[j],
  /// h != k; h == asg[j] makes it a swap).
  double chain_delta(int j, int k, int l, int h) const {
    const Problem& p = *p_;
    const int i = asg_[j];
    const double dc = p.cost(k, j) - p.cost(i, j) + p.cost(h, l) - p.cost(k, l);
    const double nk = load_[k] + p.weight(k, j) - p.weight(k, l);
    double ni = load_[i] - p.weight(i, j), pen = w_[k] * (excess(k, nk) - excess(k, load_[k]));
    if (h == i) {
      ni += p.weight(i, l);
    } else {
      pen += w_[h] * (excess(h, load_[h] + p.weight(h, l)) - excess(h, load_[h]));
    }
    return dc + pen + w_[i] * (excess(i, ni) - excess(i, load_[i]));
  }
  /// The chain "j -> k, l -> h" split in two for h outside {asg[j], k}:
  /// chain_delta(j, k, l, h) == ejection_delta(j, k, l) + insertion_delta(l, h).
  /// Only h's load depends on h, so the search caches each item's best
  /// insertion once per iteration and prices every chain in O(1).
  double ejection_delta(int j, int k, int l) const {
    const Problem& p = *p_;
    const int i = asg_[j];
    return p.cost(k, j) - p.cost(i, j) - p.cost(k, l) +
           w_[i] * (excess(i, load_[i] - p.weight(i, j)) - excess(i, load_[i])) +
           w_[k] * (excess(k, load_[k] + p.weight(k, j) - p.weight(k, l)) - excess(k, load_[k]));
  }
  /// Cost and penalty change on agent h alone when item l (not on h) is added to it.
  double insertion_delta(int l, int h) const {
    const Problem& p = *p_;
    return p.cost(h, l) + w_[h] * (excess(h, load_[h] + p.weight(h, l)) - excess(h, load_[h]));
  }
  int violated_after_chain(int j, int k, int l, int h) const {
    const Problem& p = *p_;
    const int i = asg_[j];
    const double nk = load_[k] + p.weight(k, j) - p.weight(k, l);
    double ni = load_[i] - p.weight(i, j);
    int v = violated_ - over(i, load_[i]) - over(k, load_[k]) + over(k, nk);
    if (h == i) {
      ni += p.weight(i, l);
    } else {
      v += over(h, load_[h] + p.weight(h, l)) - over(h, load_[h]);
    }
    return v + over(i, ni);
  }
  double chain_cost_delta(int j, int k, int l, int h) const {
    return p_->cost(k, j) - p_->cost(asg_[j], j) + p_->cost(h, l) - p_->cost(k, l);
  }
  /// Number of overloaded agents after item j moves to k, and after j, l swap.
  int violated_after_shift(int j, int k) const {
    const Problem& p = *p_;
    const int i = asg_[j];
    return violated_ - over(i, load_[i]) - over(k, load_[k]) + over(i, load_[i] - p.weight(i, j)) +
           over(k, load_[k] + p.weight(k, j));
  }
  int violated_after_swap(int j, int l) const {
    const Problem& p = *p_;
    const int i = asg_[j], k = asg_[l];
    return violated_ - over(i, load_[i]) - over(k, load_[k]) + over(i, load_[i] - p.weight(i, j) + p.weight(i, l)) +
           over(k, load_[k] - p.weight(k, l) + p.weight(k, j));
  }
  double shift_cost_delta(int j, int k) const { return p_->cost(k, j) - p_->cost(asg_[j], j); }
  double swap_cost_delta(int j, int l) const {
    const int i = asg_[j], k = asg_[l];
    return p_->cost(k, j) + p_->cost(i, l) - p_->cost(i, j) - p_->cost(k, l);
  }

  void shift(int j, int k) {
    const Problem& p = *p_;
    const int i = asg_[j];
    violated_ -= over(i, load_[i]) + over(k, load_[k]);
    load_[i] -= p.weight(i, j);
    load_[k] += p.weight(k, j);
    violated_ += over(i, load_[i]) + over(k, load_[k]);
    cost_ += p.cost(k, j) - p.cost(i, j);
    // Swap-remove j from agent i's list, append it to agent k's.
    auto& from = members_[i];
    const int last = from.back();
    from[pos_[j]] = last;
    pos_[last] = pos_[j];
    from.pop_back();
    pos_[j] = static_cast<int>(members_[k].size());
    members_[k].push_back(j);
    asg_[j] = k;
  }
  void swap(int j, int l) {
    const int i = asg_[j], k = asg_[l];
    shift(j, k);
    shift(l, i);
  }

  /// Penalised objective from the caches.
  double penalised() const {
    double v = cost_;
    for (int i = 0; i < p_->m; ++i) v += w_[i] * excess(i, load_[i]);
    return v;
  }

  const std::vector<int>& assignment() const { return asg_; }
  int agent(int j) const { return asg_[j]; }
  double load(int i) const { return load_[i]; }
  double cost() const { return cost_; }
  int violated() const { return violated_; }
  bool overloaded(int i) const { return over(i, load_[i]) != 0; }
  const std::vector<int>& members(int i) const { return members_[i]; }
  double weight_of(int i) const { return w_[i]; }
  void set_weight(int i, double w) { w_[i] = w; }

 private:
  int over(int i, double load) const { return load > p_->b[i] + p_->tol[i] ? 1 : 0; }

  const Problem* p_;
  std::vector<int> asg_;
  std::vector<double> load_;
  std::vector<double> w_;
  std::vector<std::vector<int>> members_;
  std::vector<int> pos_;  ///< index of item j in members_[asg_[j]]
  double cost_ = 0;
  int violated_ = 0;
};

// ---------------------------------------------------------------- gap_common.cpp

/// Total cost and feasibility of a complete assignment.
bool is_feasible(const Problem& p, const std::vector<int>& asg);
double total_cost(const Problem& p, const std::vector<int>& asg);

/// Completes a partial assignment (-1 = unassigned; `load` holds the loads of
/// the assigned items) by regret greedy on desirability `f` (m x n, lower is
/// better): repeatedly assigns the item whose best and second-best fitting
/// agents differ most. Returns false when some item fits no agent.
bool regret_complete(const Problem& p, const std::vector<double>& f, std::vector<int>& asg, std::vector<double>& load,
                     Budget& budget);

/// First-improvement descent on feasible shift moves; keeps feasibility.
void shift_descent(const Problem& p, std::vector<int>& asg, Budget& budget);

/// Marks the pairs that may still appear in a solution cheaper than `ub`.
void useful_pairs(const Problem& p, const std::vector<double>& pair_lb, double ub, std::vector<uint8_t>& useful);

// ---------------------------------------------------------------- gap_search.cpp

/// Regret greedy constructions (several desirability measures), each followed
/// by a shift descent. Offers every feasible result to `inc`.
void greedy_heuristics(const Problem& p, Incumbent& inc, Budget& budget);

/// When the tabu search hands over to the branch and bound: once it has used
/// `after_work` units of the budget and the incumbent leaves at most
/// `max_useful_pairs` (agent, item) pairs that can appear in a better
/// solution. The default never yields.
struct TabuYield {
  int64_t after_work = std::numeric_limits<int64_t>::max();
  int64_t max_useful_pairs = -1;
};

/// Tabu search over shifts and length-2 ejection chains (swaps included) with
/// an adaptive price on capacity excess and path-relinking restarts from an
/// elite pool. Starts from `start` (any complete assignment of allowed agents) and
/// stops at the budget's phase end or when `inc` reaches `stop_at`.
/// `pair_lb` (see LagrangeResult, may be empty) excludes moves onto pairs that
/// cannot be part of an improving solution. Returns early as `yield` says.
void tabu_search(const Problem& p, const std::vector<double>& pair_lb, std::vector<int> start, double stop_at,
                 Incumbent& inc, Budget& budget, Rng& rng, const TabuYield& yield = {});

// ---------------------------------------------------------------- gap_bound.cpp

struct LagrangeResult {
  double bound = -kInf;     ///< valid lower bound (already tightened)
  std::vector<double> u;    ///< multipliers of the best bound found
  bool infeasible = false;  ///< the relaxation proved the problem infeasible
  /// m x n (or empty): a lower bound (not tightened) on every assignment
  /// that gives item j to agent i. Pairs whose bound reaches the incumbent
  /// cannot appear in any improving solution.
  std::vector<double> pair_lb;
  /// Per agent (empty when its knapsack was not solved by DP): the exact
  /// knapsack value at multipliers `u` over all items, for every integer
  /// capacity 0..floor(b_i + tol_i). A search-tree node leaves an agent a
  /// subset of the items and less room, so the entry at its residual capacity
  /// still bounds the agent's knapsack there, often below the LP bound.
  std::vector<std::vector<double>> kp_table;
};

/// Lagrangian relaxation of the assignment constraints, solved by
/// subgradient optimisation; knapsack subproblems are solved exactly by
/// dynamic programming when weights are integers and small, otherwise bounded
/// by their LP relaxation. Feeds repaired relaxed solutions to `inc`.
LagrangeResult lagrangian_bound(const Problem& p, Incumbent& inc, Budget& budget);

/// Depth-first branch and bound. Returns true when the whole tree was
/// explored (so `inc` is optimal, or the problem is infeasible if empty).
/// Uses the multipliers, pair bounds and knapsack tables of `lr`.
bool branch_and_bound(const Problem& p, const LagrangeResult& lr, double root_bound, Incumbent& inc, Budget& budget);

// ---------------------------------------------------------------- gap_lns.cpp

/// Large neighbourhood search: repeatedly frees a random 40% of the items,
/// keeps the rest where the incumbent has them, and improves the freed
/// items' assignment with the Lagrangian bound and the branch and bound on
/// that sub-problem (a few million work units each), until the budget's
/// phase ends. Returns true when the incumbent improved.
bool large_neighbourhood_search(const Problem& p, Incumbent& inc, Budget& budget, Rng& rng);

}  // namespace caseload::gap_detail
