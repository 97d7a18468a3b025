// Shared pieces of the GAP solver (src/gap/*.cpp): bounds rounding,
// feasibility, the incumbent, and the steps both the primal heuristics
// (gap_search.cpp) and the bounds (gap_bound.cpp) build on: regret-greedy
// completion, shift descent and the pairs an improving solution may use.
// Everything else depends on this file, and it on nothing else of the
// solver's. Internal: nothing here is exported.
#include <algorithm>
#include <cmath>

#include "gap/gap_internal.hpp"

namespace caseload::gap_detail {

double Problem::tighten(double bound) const {
  if (!std::isfinite(bound)) return bound;
  // Floating-point sums in the bound carry rounding error far below this
  // margin; shaving it keeps the bound valid.
  const double margin = 1e-9 * std::max(1.0, std::fabs(bound));
  if (integral_costs) return std::ceil(bound - std::max(margin, 1e-6));
  return bound - margin;
}

bool is_feasible(const Problem& p, const std::vector<int>& asg) {
  if (asg.size() != static_cast<size_t>(p.n)) return false;
  std::vector<double> load(p.m, 0.0);
  for (int j = 0; j < p.n; ++j) {
    if (asg[j] < 0 || asg[j] >= p.m) return false;
    load[asg[j]] += p.weight(asg[j], j);
  }
  for (int i = 0; i < p.m; ++i)
    if (load[i] > p.b[i] + p.tol[i]) return false;
  return true;
}

double total_cost(const Problem& p, const std::vector<int>& asg) {
  double s = 0;
  for (int j = 0; j < p.n; ++j) s += p.cost(asg[j], j);
  return s;
}

bool Incumbent::offer(const Problem& p, const std::vector<int>& asg) {
  if (!is_feasible(p, asg)) return false;
  const double v = total_cost(p, asg);
  if (v < cost - 1e-12 * std::max(1.0, std::fabs(v))) {
    cost = v;
    assignment = asg;
    return true;
  }
  return false;
}

bool regret_complete(const Problem& p, const std::vector<double>& f, std::vector<int>& asg, std::vector<double>& load,
                     Budget& budget) {
  const int m = p.m, n = p.n;
  std::vector<int> open;
  for (int j = 0; j < n; ++j)
    if (asg[j] < 0) open.push_back(j);
  while (!open.empty()) {
    int pick = -1, pick_agent = -1;
    double pick_regret = -kInf;
    for (size_t q = 0; q < open.size(); ++q) {
      const int j = open[q];
      double best = kInf, second = kInf;
      int best_agent = -1;
      for (int i = 0; i < m; ++i) {
        if (load[i] + p.weight(i, j) > p.b[i] + p.tol[i]) continue;
        const double v = f[static_cast<size_t>(i) * n + j];
        if (v < best) {
          second = best;
          best = v;
          best_agent = i;
        } else if (v < second) {
          second = v;
        }
      }
      if (best_agent < 0) return false;
      // An item with a single fitting agent must take it now.
      const double regret = second == kInf ? kInf : second - best;
      if (regret > pick_regret) {
        pick_regret = regret;
        pick = static_cast<int>(q);
        pick_agent = best_agent;
      }
    }
    budget.spend(static_cast<int64_t>(open.size()) * m);
    const int j = open[pick];
    asg[j] = pick_agent;
    load[pick_agent] += p.weight(pick_agent, j);
    open.erase(open.begin() + pick);
  }
  return true;
}

void shift_descent(const Problem& p, std::vector<int>& asg, Budget& budget) {
  std::vector<double> load(p.m, 0.0);
  for (int j = 0; j < p.n; ++j) load[asg[j]] += p.weight(asg[j], j);
  bool improved = true;
  while (improved && !budget.exhausted()) {
    improved = false;
    for (int j = 0; j < p.n; ++j) {
      const int cur = asg[j];
      int best = cur;
      for (int i = 0; i < p.m; ++i)
        if (i != cur && p.cost(i, j) < p.cost(best, j) && load[i] + p.weight(i, j) <= p.b[i] + p.tol[i]) best = i;
      if (best != cur) {
        load[cur] -= p.weight(cur, j);
        load[best] += p.weight(best, j);
        asg[j] = best;
        improved = true;
      }
    }
    budget.spend(static_cast<int64_t>(p.n) * p.m);
  }
}

void useful_pairs(const Problem& p, const std::vector<double>& pair_lb, double ub, std::vector<uint8_t>& useful) {
  useful.assign(static_cast<size_t>(p.m) * p.n, 0);
  for (size_t k = 0; k < useful.size(); ++k)
    useful[k] = p.allowed[k] && (pair_lb.empty() || ub == kInf || p.tighten(pair_lb[k]) <= ub - p.min_improvement());
}

}  // namespace caseload::gap_detail
