// GAP lower bounds (Lagrangian relaxation of the assignment constraints) and
// the exact depth-first branch and bound built on them.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "base/knapsack.hpp"
#include "gap/gap_internal.hpp"

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
    weight_.clear();
    double total_w = 0;
    for (int j = 0; j < p_.n; ++j) {
      const double pr = u[j] - p_.cost(i, j);
      if (pr > 0 && p_.fits(i, j)) {
        items_.push_back(j);
        profit_.push_back(pr);
        weight_.push_back(p_.weight(i, j));
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
      out.value = dp_.solve(weight_.data(), profit_.data(), items_.size(), static_cast<size_t>(icap));
      budget.spend(cells);
      used_dp_ = true;
      dp_.for_each_chosen([&](size_t q) { out.chosen.push_back(items_[q]); });
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
      return std::min(out.value, pr + dp_.last_row()[static_cast<size_t>(rest)]);
    }
    return out.value;  // forcing only shrinks the feasible set; no cheap sharper bound
  }

  /// After solve(): the DP value for every capacity, or empty when that solve
  /// did not use the DP.
  std::vector<double> table() const {
    return used_dp_ ? std::vector<double>(dp_.last_row(), dp_.last_row() + dp_.width()) : std::vector<double>{};
  }

  /// Agent i's weights are integers and its capacity small enough for the DP.
  bool integral(int i) const { return integral_[i] != 0; }

 private:
  const Problem& p_;
  bool used_dp_ = false, all_fit_ = false;
  std::vector<uint8_t> integral_;
  std::vector<int> items_, order_;
  std::vector<double> profit_, weight_;
  knapsack::IntegerDP dp_;
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

// Depth-first branch and bound with the Lagrangian bound at every node, at
// the root's multipliers u: a node that has fixed some items is bounded by
//   fixed cost + sum_{free j} u_j - sum_i KP_i,
// where KP_i is agent i's knapsack over the free items it may still take
// (pairs the root's pair bounds exclude at the incumbent's value are left
// out, which only lowers KP_i) at its residual capacity. Each KP_i is solved
// exactly by dynamic programming when the agent's weights are integers, else
// bounded by its LP. Only the knapsacks a branching step touches are solved
// again: the receiving agent's (less room) and those that had chosen the
// item (it leaves their item set, once for all children); removing an item
// an optimal knapsack did not use leaves its value unchanged. Before the
// receiving agent's knapsack is solved, two cheap upper bounds on it are
// tried, its DP table's value at the smaller capacity and its LP bound: a
// child already cut by them costs no dynamic programme.
//
// Compared with the root-capped Dantzig bounds this node bound is far
// sharper on tight instances: from an incumbent one above the best known
// value it finds chu1997 b10200's 2827 and c10200's 2806 (see docs/gap.md).
class BranchAndBound {
 public:
  BranchAndBound(const Problem& p, const LagrangeResult& lr, Incumbent& inc, Budget& budget)
      : p_(p),
        u_(lr.u),
        pair_lb_(lr.pair_lb),
        inc_(inc),
        budget_(budget),
        solver_(p),
        asg_(p.n, -1),
        resid_(p.b),
        knap_(p.m) {
    for (int i = 0; i < p.m; ++i) resid_[i] += p.tol[i];
    refresh_useful();
    // Per agent, the items worth taking in the relaxation (u_j > c_ij), by
    // decreasing profit density, for the LP bounds.
    order_.resize(p.m);
    for (int i = 0; i < p.m; ++i) {
      for (int j = 0; j < p.n; ++j)
        if (u_[j] - p.cost(i, j) > 0) order_[i].push_back(j);
      const auto density = [&](int j) {
        const double w = p.weight(i, j);
        return w > 0 ? (u_[j] - p.cost(i, j)) / w : kInf;
      };
      std::stable_sort(order_[i].begin(), order_[i].end(), [&](int x, int y) { return density(x) > density(y); });
    }
    for (int i = 0; i < p.m; ++i) solve(i, knap_[i]);
  }

  bool run() {
    dfs(0, 0.0);
    return !aborted_;
  }

 private:
  // An agent's knapsack at a node: its value (exact, or the LP bound), the
  // items of the solution (the LP's support, fractional item included, when
  // not exact) and, when solved by dynamic programming, the value at every
  // smaller capacity over the same items.
  struct Knap {
    double value = 0;
    std::vector<uint8_t> chosen;  // n entries
    std::vector<double> table;    // empty when not solved by DP
  };
  struct Child {
    int agent;
    double bound;
    size_t knap;  // the receiving agent's knapsack: Frame::kids[knap]
  };
  struct Frame {
    std::vector<std::pair<int, Knap>> removed;  // agents that had chosen the item, re-solved without it
    std::vector<std::pair<int, Knap>> kids;     // each child's changed knapsacks
    std::vector<Child> children;
    size_t n_removed = 0, n_kids = 0;
  };

  // Work units: one per DP cell, node row or LP step, divided by
  // kUnitsPerWork so that a unit costs about as much time as one of the tabu
  // search's (a vectorised DP cell is far cheaper than a move evaluation;
  // measured on chu1997 c10200: 2.9e9 raw units per CPU second here against
  // 3.3e8 tabu units).
  static constexpr int64_t kUnitsPerWork = 8;
  // Larger knapsacks are bounded by their LP (the DP keeps every row: 8 MB).
  static constexpr int64_t kMaxCells = 1'000'000;
  // Doubles all stored DP tables may take (64 MB).
  static constexpr size_t kTableAllowance = 8'000'000;
  void charge(int64_t units) {
    pending_ += units;
    budget_.spend(pending_ / kUnitsPerWork);
    pending_ %= kUnitsPerWork;
  }

  bool usable(int i, int j) const { return useful_[static_cast<size_t>(i) * p_.n + j] && p_.weight(i, j) <= resid_[i]; }
  bool chosen(int i, int j) const { return knap_[i].chosen[j] != 0; }

  void refresh_useful() {
    useful_pairs(p_, pair_lb_, inc_.cost, useful_);
    useful_cost_ = inc_.cost;
    charge(static_cast<int64_t>(p_.n) * p_.m);
  }

  // Agent i's knapsack over the free items it may take, at its residual room:
  // exact by dynamic programming when possible, else the LP bound.
  void solve(int i, Knap& out) {
    items_.clear();
    profit_.clear();
    weight_.clear();
    out.chosen.assign(static_cast<size_t>(p_.n), 0);
    out.table.clear();
    double total_w = 0, total_p = 0;
    for (int j = 0; j < p_.n; ++j) {
      const double pr = u_[j] - p_.cost(i, j);
      if (asg_[j] < 0 && pr > 0 && usable(i, j)) {
        items_.push_back(j);
        profit_.push_back(pr);
        weight_.push_back(p_.weight(i, j));
        total_w += p_.weight(i, j);
        total_p += pr;
      }
    }
    const int64_t work = p_.n;
    if (total_w <= resid_[i]) {
      out.value = total_p;
      for (int j : items_) out.chosen[j] = 1;
      charge(work);
      return;
    }
    const int64_t cap = static_cast<int64_t>(std::floor(resid_[i]));
    const int64_t cells = static_cast<int64_t>(items_.size()) * (cap + 1);
    if (!solver_.integral(i) || cells > kMaxCells) {
      out.value = lp_bound(i, out.chosen.data());
      charge(work + static_cast<int64_t>(order_[i].size()));
      return;
    }
    // The vectorised DP with every row kept (base/knapsack.hpp).
    const size_t width = static_cast<size_t>(cap + 1);
    out.value = dp_.solve(weight_.data(), profit_.data(), items_.size(), static_cast<size_t>(cap));
    const double* last = dp_.last_row();
    // Tables only serve the cheap child test: stored while their memory
    // stays within kTableAllowance (a buffer that must grow counts in full).
    const size_t grow = out.table.capacity() >= width ? 0 : width;
    if (grow <= table_allowance_) {
      table_allowance_ -= grow;
      out.table.assign(last, last + width);
    }
    dp_.for_each_chosen([&](size_t q) { out.chosen[items_[q]] = 1; });
    charge(work + cells);
  }

  // Dantzig's bound on agent i's knapsack over the free usable items; marks
  // the LP's support (fractional item included) in `ch` when given.
  double lp_bound(int i, uint8_t* ch) {
    double room = resid_[i], value = 0;
    for (int j : order_[i]) {
      if (asg_[j] >= 0 || !usable(i, j)) continue;
      const double w = p_.weight(i, j), pr = u_[j] - p_.cost(i, j);
      if (ch) ch[j] = 1;
      if (w <= room) {
        room -= w;
        value += pr;
      } else {
        value += pr * room / w;
        break;
      }
    }
    return value;
  }

  bool cut(double bound) const { return inc_.cost < kInf && p_.tighten(bound) > inc_.cost - p_.min_improvement(); }

  void dfs(int depth, double fixed) {
    if (aborted_) return;
    if (budget_.exhausted()) {
      aborted_ = true;
      return;
    }
    if (inc_.cost < useful_cost_) refresh_useful();
    // Cheapest-usable-agent bound and branching choice in one pass: forced
    // items first, then items the relaxation gets wrong (taken by no
    // knapsack or by several: branching on them moves the bound), each by
    // largest regret, then fewest usable agents.
    double simple = fixed, lagr = fixed;
    int pick = -1, pick_count = 0, pick_key = 3;
    double pick_regret = -1;
    bool relaxed_is_assignment = true;
    for (int j = 0; j < p_.n; ++j) {
      if (asg_[j] >= 0) continue;
      lagr += u_[j];
      double best = kInf, second = kInf;
      int count = 0, chosen_by = 0;
      for (int i = 0; i < p_.m; ++i) {
        chosen_by += chosen(i, j);
        if (!usable(i, j)) continue;
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
      relaxed_is_assignment = relaxed_is_assignment && chosen_by == 1;
      simple += best;
      const double regret = second == kInf ? kInf : second - best;
      const int key = count == 1 ? 0 : (chosen_by != 1 ? 1 : 2);
      if (pick < 0 || key < pick_key ||
          (key == pick_key && (regret > pick_regret || (regret == pick_regret && count < pick_count)))) {
        pick = j;
        pick_key = key;
        pick_count = count;
        pick_regret = regret;
      }
    }
    charge(static_cast<int64_t>(p_.n) * p_.m);
    if (pick < 0) {  // every item is placed
      inc_.offer(p_, asg_);
      return;
    }
    for (int i = 0; i < p_.m; ++i) lagr -= knap_[i].value;
    if (cut(std::max(simple, lagr))) return;
    if (relaxed_is_assignment) {
      // The knapsacks pick every free item exactly once. If that assignment
      // fits, its cost is the node's Lagrangian bound (exact knapsacks), so
      // nothing below this node can beat it. An LP knapsack's support may
      // hold a fractional item: then the assignment is only offered.
      completion_ = asg_;
      for (int i = 0; i < p_.m; ++i)
        for (int j = 0; j < p_.n; ++j)
          if (completion_[j] < 0 && chosen(i, j)) completion_[j] = i;
      charge(static_cast<int64_t>(p_.n) * p_.m);
      if (is_feasible(p_, completion_)) {
        inc_.offer(p_, completion_);
        const double bound = std::max(simple, lagr);
        if (total_cost(p_, completion_) <= bound + 1e-9 * std::max(1.0, std::fabs(bound))) return;
      }
    }

    if (frames_.size() <= static_cast<size_t>(depth)) frames_.resize(static_cast<size_t>(depth) + 1);
    Frame& f = frames_[depth];  // no reference survives the recursion below
    f.children.clear();
    f.n_removed = f.n_kids = 0;
    // Knapsacks that had chosen the item lose it in every child but the one
    // giving it to them: solve them once without it.
    asg_[pick] = p_.m;  // excluded from every item set while solving
    double removed_drop = 0;
    for (int k = 0; k < p_.m; ++k) {
      if (!chosen(k, pick)) continue;
      if (f.removed.size() <= f.n_removed) f.removed.resize(f.n_removed + 1);
      f.removed[f.n_removed].first = k;
      solve(k, f.removed[f.n_removed].second);
      removed_drop += knap_[k].value - f.removed[f.n_removed].second.value;
      ++f.n_removed;
    }
    asg_[pick] = -1;
    // Bound every child, then visit the most promising first.
    for (int i = 0; i < p_.m; ++i) {
      if (!usable(i, pick)) continue;
      const double w = p_.weight(i, pick);
      double bound = lagr + p_.cost(i, pick) - u_[pick] + removed_drop;
      const Knap* as_removed = nullptr;  // agent i's entry among the removed, if any
      for (size_t q = 0; q < f.n_removed; ++q)
        if (f.removed[q].first == i) as_removed = &f.removed[q].second;
      if (as_removed) bound -= knap_[i].value - as_removed->value;  // replaced by the receiving solve below
      // Cheap test first: agent i's knapsack with less room is at most its
      // value at that capacity over the node's items, and its LP bound.
      asg_[pick] = i;
      resid_[i] -= w;
      const Knap& base = as_removed ? *as_removed : knap_[i];
      double ub = base.value;
      if (!base.table.empty()) {
        const double room = std::floor(resid_[i]);
        ub = std::min(ub, room < 0 ? 0.0 : base.table[std::min(static_cast<size_t>(room), base.table.size() - 1)]);
      }
      ub = std::min(ub, lp_bound(i, nullptr));
      charge(static_cast<int64_t>(order_[i].size()));
      if (!cut(bound + knap_[i].value - ub)) {
        if (f.kids.size() <= f.n_kids) f.kids.resize(f.n_kids + 1);
        Knap& mine = f.kids[f.n_kids].second;
        f.kids[f.n_kids].first = i;
        solve(i, mine);
        bound += knap_[i].value - mine.value;
        if (!cut(bound)) {
          f.children.push_back({i, bound, f.n_kids});
          ++f.n_kids;
        }
      }
      resid_[i] += w;
      asg_[pick] = -1;
      if (budget_.exhausted()) {
        aborted_ = true;
        return;
      }
    }
    std::stable_sort(f.children.begin(), f.children.end(),
                     [](const Child& x, const Child& y) { return x.bound < y.bound; });
    for (size_t c = 0; c < frames_[depth].children.size(); ++c) {
      // frames_ may grow (and move) during the recursion: index, don't hold references.
      const Child child = frames_[depth].children[c];
      if (cut(child.bound)) continue;  // the incumbent improved meanwhile
      const int i = child.agent;
      // Swapping the child's knapsacks in and, after the subtree (which
      // leaves knap_ as it found it), out again restores both sides.
      const auto exchange = [&] {
        Frame& fr = frames_[depth];
        for (size_t q = 0; q < fr.n_removed; ++q)
          if (fr.removed[q].first != i) std::swap(knap_[fr.removed[q].first], fr.removed[q].second);
        std::swap(knap_[i], fr.kids[child.knap].second);
      };
      exchange();
      asg_[pick] = i;
      resid_[i] -= p_.weight(i, pick);
      dfs(depth + 1, fixed + p_.cost(i, pick));
      resid_[i] += p_.weight(i, pick);
      asg_[pick] = -1;
      exchange();
      if (aborted_) return;
    }
  }

  const Problem& p_;
  const std::vector<double>& u_;
  const std::vector<double>& pair_lb_;
  Incumbent& inc_;
  Budget& budget_;
  KnapsackSolver solver_;
  std::vector<uint8_t> useful_;
  double useful_cost_ = kInf;
  std::vector<int> asg_, completion_;
  std::vector<double> resid_;
  std::vector<Knap> knap_;
  std::vector<std::vector<int>> order_;
  std::vector<Frame> frames_;
  std::vector<int> items_;
  std::vector<double> profit_, weight_;
  knapsack::IntegerDP dp_;
  int64_t pending_ = 0;
  size_t table_allowance_ = kTableAllowance;
  bool aborted_ = false;
};

}  // namespace

bool branch_and_bound(const Problem& p, const LagrangeResult& lr, double root_bound, Incumbent& inc, Budget& budget) {
  if (inc.cost < kInf && root_bound > inc.cost - p.min_improvement()) return true;
  // Each node keeps up to two knapsacks per agent (with an n-byte item row
  // each), and the tree is up to n deep: beyond 256 MB of rows in the worst
  // case (e.g. 800 agents and 400 items) the tree is not tried at all.
  const double rows = (1.0 + 2.0 * p.n) * p.m * p.n;
  if (rows > 2.56e8) return false;
  BranchAndBound bb(p, lr, inc, budget);
  return bb.run();
}

}  // namespace caseload::gap_detail
