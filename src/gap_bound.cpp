// GAP lower bounds (Lagrangian relaxation of the assignment constraints) and
// the exact depth-first branch and bound built on them.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "gap_internal.hpp"

namespace caseload::gap_detail {

namespace {

// One agent's knapsack: maximise sum of profit over chosen items subject to
// the agent's capacity. `value` is an upper bound on the optimum (exact for
// the DP, Dantzig's LP bound otherwise); `chosen` is a feasible integer
// solution; `frac_item`/`frac` is the LP's fractional item, if any.
struct KnapsackSolution {
  double value = 0;
  std::vector<int> chosen;
  int frac_item = -1;
  double frac = 0;
};

class KnapsackSolver {
 public:
  explicit KnapsackSolver(const Problem& p) : p_(p) {
    integral_.resize(p.m);
    for (int i = 0; i < p.m; ++i) {
      bool ok = p.b[i] <= 1e7;
      for (int j = 0; j < p.n && ok; ++j)
        if (p.fits(i, j) && p.weight(i, j) != std::floor(p.weight(i, j))) ok = false;
      integral_[i] = ok;
    }
  }

  // profit[j] = u[j] - c[i][j]; only items that fit and have positive profit matter.
  void solve(int i, const std::vector<double>& u, KnapsackSolution& out, Budget& budget, bool exact) {
    out.value = 0;
    out.chosen.clear();
    out.frac_item = -1;
    out.frac = 0;
    items_.clear();
    profit_.clear();
    double total_w = 0;
    for (int j = 0; j < p_.n; ++j) {
      const double pr = u[j] - p_.cost(i, j);
      if (pr > 0 && p_.fits(i, j)) {
        items_.push_back(j);
        profit_.push_back(pr);
        total_w += p_.weight(i, j);
      }
    }
    budget.spend(p_.n);
    const double cap = p_.b[i] + p_.tol[i];
    used_dp_ = false;
    if (total_w <= cap) {  // everything profitable fits
      for (size_t q = 0; q < items_.size(); ++q) out.value += profit_[q];
      out.chosen = items_;
      return;
    }
    const int64_t icap = static_cast<int64_t>(std::floor(cap));
    const int64_t cells = static_cast<int64_t>(items_.size()) * (icap + 1);
    if (exact && integral_[i] && cells <= 4'000'000) {
      dp_.assign(static_cast<size_t>(icap + 1), 0.0);
      take_.assign(static_cast<size_t>(cells), 0);
      for (size_t q = 0; q < items_.size(); ++q) {
        const int64_t w = static_cast<int64_t>(p_.weight(i, items_[q]));
        const double pr = profit_[q];
        uint8_t* tk = &take_[q * static_cast<size_t>(icap + 1)];
        for (int64_t c = icap; c >= w; --c) {
          const double v = dp_[c - w] + pr;
          if (v > dp_[c]) {
            dp_[c] = v;
            tk[c] = 1;
          }
        }
      }
      budget.spend(cells);
      used_dp_ = true;
      out.value = dp_[icap];
      int64_t c = icap;
      for (size_t q = items_.size(); q-- > 0;) {
        if (take_[q * static_cast<size_t>(icap + 1) + c]) {
          out.chosen.push_back(items_[q]);
          c -= static_cast<int64_t>(p_.weight(i, items_[q]));
        }
      }
      std::reverse(out.chosen.begin(), out.chosen.end());
      return;
    }
    all_fit_ = false;
    // Dantzig bound: greedy by profit density, the first item that does not
    // fit taken fractionally.
    order_.resize(items_.size());
    std::iota(order_.begin(), order_.end(), 0);
    const auto density = [&](int q) {
      const double w = p_.weight(i, items_[q]);
      return w > 0 ? profit_[q] / w : kInf;
    };
    std::stable_sort(order_.begin(), order_.end(), [&](int x, int y) { return density(x) > density(y); });
    budget.spend(static_cast<int64_t>(items_.size()) * 8);
    double room = cap;
    for (int q : order_) {
      const double w = p_.weight(i, items_[q]);
      if (w <= room) {
        room -= w;
        out.value += profit_[q];
        out.chosen.push_back(items_[q]);
      } else {
        out.frac_item = items_[q];
        out.frac = room / w;
        out.value += profit_[q] * out.frac;
        break;
      }
    }
  }

  // After solve(i, u, out, ...): an upper bound on agent i's knapsack value
  // when item j is forced in (never above out.value).
  double forced_value(int i, int j, const std::vector<double>& u, const KnapsackSolution& out) const {
    const double pr = u[j] - p_.cost(i, j);
    if (all_fit_) return out.value + std::min(pr, 0.0);
    if (used_dp_) {
      const double rest = std::floor(p_.b[i] + p_.tol[i]) - p_.weight(i, j);
      if (rest < 0) return -kInf;
      return std::min(out.value, pr + dp_[static_cast<size_t>(rest)]);
    }
    return out.value;  // forcing only shrinks the feasible set; no cheap sharper bound
  }

  /// After solve(): the DP value for every capacity, or empty when that solve
  /// did not use the DP.
  std::vector<double> table() const { return used_dp_ ? dp_ : std::vector<double>{}; }

 private:
  const Problem& p_;
  bool used_dp_ = false, all_fit_ = false;
  std::vector<uint8_t> integral_;
  std::vector<int> items_, order_;
  std::vector<double> profit_, dp_;
  std::vector<uint8_t> take_;
};

// Turns the knapsack solutions into an assignment: an item chosen by several
// agents stays with the cheapest, unchosen items are placed by regret greedy.
void lagrangian_heuristic(const Problem& p, const std::vector<KnapsackSolution>& ks, Incumbent& inc, Budget& budget) {
  std::vector<int> asg(p.n, -1);
  for (int i = 0; i < p.m; ++i)
    for (int j : ks[i].chosen)
      if (asg[j] < 0 || p.cost(i, j) < p.cost(asg[j], j)) asg[j] = i;
  std::vector<double> load(p.m, 0.0);
  for (int j = 0; j < p.n; ++j)
    if (asg[j] >= 0) load[asg[j]] += p.weight(asg[j], j);
  if (!regret_complete(p, p.c, asg, load, budget)) return;
  shift_descent(p, asg, budget);
  inc.offer(p, asg);
}

LagrangeResult finish(LagrangeResult& r, Budget& budget) {
  budget.clear_phase();
  return std::move(r);
}

}  // namespace

LagrangeResult lagrangian_bound(const Problem& p, Incumbent& inc, Budget& budget) {
  const int m = p.m, n = p.n;
  LagrangeResult r;
  std::vector<double> u(n);
  double fallback_ub = 0;  // cost of the dearest assignment, when no incumbent exists
  for (int j = 0; j < n; ++j) {
    double lo = kInf, hi = -kInf;
    for (int i = 0; i < m; ++i)
      if (p.fits(i, j)) {
        lo = std::min(lo, p.cost(i, j));
        hi = std::max(hi, p.cost(i, j));
      }
    u[j] = lo;  // all profits <= 0: L(u) is the "cheapest agent" bound
    fallback_ub += hi;
  }
  r.u = u;
  double trivial = 0;
  for (int j = 0; j < n; ++j) trivial += u[j];
  r.bound = p.tighten(trivial);  // valid even if the budget allows no iteration
  KnapsackSolver solver(p);
  std::vector<KnapsackSolution> ks(m);
  std::vector<double> g(n);
  const double scale = std::max(1.0, std::fabs(fallback_ub));
  // The subgradient phase may use at most a quarter of the budget. A first
  // pass bounds the knapsacks by their LP relaxation (cheap; converges to the
  // LP bound of the GAP), a second pass solves them exactly from the best
  // multipliers found, which closes part of the remaining integrality gap.
  budget.set_phase_end(budget.used() + budget.remaining() / 4);
  for (int pass = 0; pass < 2; ++pass) {
    const bool exact = pass == 1;
    double lambda = exact ? 0.5 : 2.0;
    int stall = 0;
    const int max_iter = exact ? 150 : 400;
    if (exact) u = r.u;
    double pass_best = -kInf;
    for (int it = 0; it < max_iter && !budget.exhausted(); ++it) {
      double L = 0;
      for (int j = 0; j < n; ++j) {
        L += u[j];
        g[j] = 1.0;
      }
      for (int i = 0; i < m; ++i) {
        solver.solve(i, u, ks[i], budget, exact);
        L -= ks[i].value;
        for (int j : ks[i].chosen) g[j] -= 1.0;
        if (ks[i].frac_item >= 0) g[ks[i].frac_item] -= ks[i].frac;
      }
      const double Lt = p.tighten(L);
      if (Lt > r.bound + 1e-12 * scale) {
        r.bound = Lt;
        r.u = u;
      }
      if (L > pass_best + 1e-9 * scale) {
        pass_best = L;
        stall = 0;
      } else if (++stall >= (exact ? 8 : 15)) {
        lambda /= 2;
        stall = 0;
      }
      if (it % 5 == 0 || stall == 0) lagrangian_heuristic(p, ks, inc, budget);
      if (inc.cost <= r.bound + 1e-9 * scale) return finish(r, budget);
      if (lambda < (exact ? 1e-3 : 5e-3)) break;
      double norm = 0;
      for (int j = 0; j < n; ++j) norm += g[j] * g[j];
      if (norm < 1e-18) break;  // the relaxed solution is an assignment: L is optimal for this u
      const double ub = inc.cost < kInf ? inc.cost : fallback_ub;
      const double t = lambda * std::max(ub - L, 1e-6 * scale) / norm;
      for (int j = 0; j < n; ++j) u[j] += t * g[j];
      budget.spend(n);
    }
  }
  // Bounds on solutions that give item j to agent i, from the best
  // multipliers: L(u) + KP_i - KP_i(j forced in). They cost one more exact
  // iteration and pay for themselves many times over (they fix most pairs),
  // so they get a budget of their own beyond the subgradient phase's.
  budget.set_phase_end(budget.used() + budget.remaining() / 8);
  if (!budget.exhausted()) {
    double L = 0;
    for (int j = 0; j < n; ++j) L += r.u[j];
    for (int i = 0; i < m; ++i) {
      solver.solve(i, r.u, ks[i], budget, true);
      L -= ks[i].value;
    }
    r.pair_lb.assign(static_cast<size_t>(m) * n, L);
    r.kp_table.resize(m);
    for (int i = 0; i < m; ++i) {
      solver.solve(i, r.u, ks[i], budget, true);  // restores agent i's DP table
      r.kp_table[i] = solver.table();
      for (int j = 0; j < n; ++j)
        if (p.fits(i, j))
          r.pair_lb[static_cast<size_t>(i) * n + j] = L + ks[i].value - solver.forced_value(i, j, r.u, ks[i]);
    }
  }
  return finish(r, budget);
}

namespace {

class BranchAndBound {
 public:
  BranchAndBound(const Problem& p, const LagrangeResult& lr, Incumbent& inc, Budget& budget)
      : p_(p),
        u_(lr.u),
        pair_lb_(lr.pair_lb),
        kp_table_(lr.kp_table),
        inc_(inc),
        budget_(budget),
        asg_(p.n, -1),
        resid_(p.b) {
    const std::vector<double>& u = lr.u;
    useful_pairs(p, lr.pair_lb, inc.cost, useful_);
    useful_cost_ = inc.cost;
    // Per agent, the items worth taking in the relaxation (u_j > c_ij), by
    // decreasing profit density, for Dantzig bounds at every node.
    order_.resize(p.m);
    for (int i = 0; i < p.m; ++i) {
      for (int j = 0; j < p.n; ++j)
        if (u[j] - p.cost(i, j) > 0) order_[i].push_back(j);
      const auto density = [&](int j) {
        const double w = p.weight(i, j);
        return w > 0 ? (u[j] - p.cost(i, j)) / w : kInf;
      };
      std::stable_sort(order_[i].begin(), order_[i].end(), [&](int x, int y) { return density(x) > density(y); });
    }
    for (int i = 0; i < p.m; ++i) resid_[i] += p.tol[i];
  }

  bool run() {
    dfs(0, 0.0);
    return !aborted_;
  }

 private:
  void dfs(int depth, double fixed) {
    if (aborted_) return;
    if (budget_.exhausted()) {
      aborted_ = true;
      return;
    }
    if (depth == p_.n) {
      inc_.offer(p_, asg_);
      return;
    }
    if (inc_.cost < useful_cost_) {
      useful_pairs(p_, pair_lb_, inc_.cost, useful_);
      useful_cost_ = inc_.cost;
      budget_.spend(static_cast<int64_t>(p_.n) * p_.m);
    }
    // Cheapest-fitting-agent bound and branching choice in one pass: branch
    // on the item with the fewest fitting agents, then the largest regret.
    double simple = fixed, lagr = fixed;
    int pick = -1, pick_count = 0;
    double pick_regret = -1;
    for (int j = 0; j < p_.n; ++j) {
      if (asg_[j] >= 0) continue;
      lagr += u_[j];
      double best = kInf, second = kInf;
      int count = 0;
      for (int i = 0; i < p_.m; ++i) {
        if (p_.weight(i, j) > resid_[i] || !useful_[static_cast<size_t>(i) * p_.n + j]) continue;
        ++count;
        const double v = p_.cost(i, j);
        if (v < best) {
          second = best;
          best = v;
        } else if (v < second) {
          second = v;
        }
      }
      if (count == 0) return;  // some item fits nowhere
      simple += best;
      const double regret = second == kInf ? kInf : second - best;
      if (pick < 0 || count < pick_count || (count == pick_count && regret > pick_regret)) {
        pick = j;
        pick_count = count;
        pick_regret = regret;
      }
    }
    int64_t work = static_cast<int64_t>(p_.n) * p_.m;
    for (int i = 0; i < p_.m; ++i) {
      double room = resid_[i], value = 0;
      for (int j : order_[i]) {
        if (asg_[j] >= 0) continue;
        const double w = p_.weight(i, j), pr = u_[j] - p_.cost(i, j);
        if (w <= room) {
          room -= w;
          value += pr;
        } else {
          value += pr * room / w;
          break;
        }
      }
      // The root's exact knapsack over all items at this residual capacity
      // also bounds the node's knapsack (a subset of the items, no more room).
      if (!kp_table_.empty() && !kp_table_[i].empty()) {
        const std::vector<double>& t = kp_table_[i];
        const double room_int = std::floor(resid_[i]);
        const size_t c = room_int <= 0 ? 0 : std::min(static_cast<size_t>(room_int), t.size() - 1);
        value = std::min(value, t[c]);
      }
      lagr -= value;
      work += static_cast<int64_t>(order_[i].size());
    }
    budget_.spend(work);
    const double bound = std::max(simple, lagr);
    if (inc_.cost < kInf && p_.tighten(bound) > inc_.cost - p_.min_improvement()) return;
    // Agents by increasing cost.
    std::vector<int> agents;
    for (int i = 0; i < p_.m; ++i)
      if (p_.weight(i, pick) <= resid_[i] && useful_[static_cast<size_t>(i) * p_.n + pick]) agents.push_back(i);
    std::stable_sort(agents.begin(), agents.end(), [&](int x, int y) { return p_.cost(x, pick) < p_.cost(y, pick); });
    for (int i : agents) {
      asg_[pick] = i;
      resid_[i] -= p_.weight(i, pick);
      dfs(depth + 1, fixed + p_.cost(i, pick));
      resid_[i] += p_.weight(i, pick);
      asg_[pick] = -1;
      if (aborted_) return;
    }
  }

  const Problem& p_;
  const std::vector<double>& u_;
  const std::vector<double>& pair_lb_;
  const std::vector<std::vector<double>>& kp_table_;
  std::vector<uint8_t> useful_;
  double useful_cost_;
  Incumbent& inc_;
  Budget& budget_;
  std::vector<int> asg_;
  std::vector<double> resid_;
  std::vector<std::vector<int>> order_;
  bool aborted_ = false;
};

}  // namespace

bool branch_and_bound(const Problem& p, const LagrangeResult& lr, double root_bound, Incumbent& inc, Budget& budget) {
  if (inc.cost < kInf && root_bound > inc.cost - p.min_improvement()) return true;
  BranchAndBound bb(p, lr, inc, budget);
  return bb.run();
}

}  // namespace caseload::gap_detail
