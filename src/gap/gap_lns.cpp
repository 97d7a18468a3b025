// GAP large neighbourhood search: the exact solver on random sub-problems.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "gap/gap_internal.hpp"

namespace caseload::gap_detail {

namespace {

// Sub-problem size and effort per round, chosen on chu1997 type d (100-item
// instances: 30% of the items found nothing, 40% did best; 3M units for 40
// items on 5 agents, scaled with the sub-problem).
constexpr double kFreeShare = 0.4;
constexpr int64_t kUnitsPerFreePair = 15'000;

}  // namespace

bool large_neighbourhood_search(const Problem& p, Incumbent& inc, Budget& budget, Rng& rng) {
  if (!inc.found() || p.n < 2) return false;
  const int m = p.m, n = p.n;
  const int k = std::clamp(static_cast<int>(std::lround(kFreeShare * n)), 2, n);
  const int64_t round_units = kUnitsPerFreePair * static_cast<int64_t>(k) * m;
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::vector<uint8_t> is_free(n);
  std::vector<int> sub_asg(k), asg;
  bool improved = false;
  Problem sub;
  sub.m = m;
  sub.n = k;
  sub.integral_costs = p.integral_costs;
  sub.tol = p.tol;
  sub.c.resize(static_cast<size_t>(m) * k);
  sub.a.resize(sub.c.size());
  sub.allowed.resize(sub.c.size());
  while (!budget.exhausted()) {
    // k items drawn uniformly (a partial Fisher-Yates shuffle), kept in
    // index order so the sub-problem does not depend on the draw order.
    for (int q = 0; q < k; ++q) std::swap(perm[q], perm[q + rng.below(n - q)]);
    std::vector<int> items(perm.begin(), perm.begin() + k);
    std::sort(items.begin(), items.end());
    std::fill(is_free.begin(), is_free.end(), uint8_t{0});
    for (int j : items) is_free[j] = 1;
    // Everything else stays where the incumbent has it: its load is taken
    // off the capacities.
    asg = inc.assignment;
    sub.b = p.b;
    for (int j = 0; j < n; ++j)
      if (!is_free[j]) sub.b[asg[j]] -= p.weight(asg[j], j);
    for (int i = 0; i < m; ++i)
      for (int q = 0; q < k; ++q) {
        const size_t from = static_cast<size_t>(i) * n + items[q], to = static_cast<size_t>(i) * k + q;
        sub.c[to] = p.c[from];
        sub.a[to] = p.a[from];
        sub.allowed[to] = p.allowed[from] && p.a[from] <= sub.b[i] + sub.tol[i];
      }
    for (int q = 0; q < k; ++q) sub_asg[q] = asg[items[q]];
    budget.spend(static_cast<int64_t>(m) * (n + k));
    Incumbent sub_inc;
    sub_inc.offer(sub, sub_asg);
    const double before = sub_inc.cost;
    // The caller's deadline, if any, holds inside the round too.
    Budget sub_budget(std::min(round_units, budget.phase_remaining()), budget.seconds_left(), kClockEvery,
                      budget.cancel());
    const LagrangeResult lr = lagrangian_bound(sub, sub_inc, sub_budget);
    if (sub_inc.cost >= lr.bound + sub.min_improvement() && !sub_budget.exhausted())
      branch_and_bound(sub, lr, lr.bound, sub_inc, sub_budget);
    budget.spend(sub_budget.used());
    if (sub_inc.cost < before - sub.min_improvement()) {
      for (int q = 0; q < k; ++q) asg[items[q]] = sub_inc.assignment[q];
      improved = inc.offer(p, asg) || improved;
    }
  }
  return improved;
}

}  // namespace caseload::gap_detail
