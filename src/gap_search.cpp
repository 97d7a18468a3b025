// GAP primal heuristics: regret greedy, shift descent and tabu search.
#include <algorithm>
#include <cmath>

#include "gap_internal.hpp"

namespace caseload::gap_detail {

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

void greedy_heuristics(const Problem& p, Incumbent& inc, Budget& budget) {
  const size_t cells = static_cast<size_t>(p.m) * p.n;
  double sum_c = 0, sum_a = 0;
  for (size_t k = 0; k < cells; ++k) {
    sum_c += std::fabs(p.c[k]);
    sum_a += p.a[k];
  }
  const double scale = sum_a > 0 ? sum_c / sum_a : 1.0;
  // Martello-Toth's measures adapted to minimisation: cost, weight, weight
  // relative to capacity, and cost plus priced weight.
  for (int measure = 0; measure < 4 && !budget.exhausted(); ++measure) {
    std::vector<double> f(cells);
    for (int i = 0; i < p.m; ++i)
      for (int j = 0; j < p.n; ++j) {
        const size_t k = static_cast<size_t>(i) * p.n + j;
        switch (measure) {
          case 0:
            f[k] = p.c[k];
            break;
          case 1:
            f[k] = p.a[k];
            break;
          case 2:
            f[k] = p.b[i] > 0 ? p.a[k] / p.b[i] : p.a[k];
            break;
          default:
            f[k] = p.c[k] + scale * p.a[k];
            break;
        }
      }
    std::vector<int> asg(p.n, -1);
    std::vector<double> load(p.m, 0.0);
    if (!regret_complete(p, f, asg, load, budget)) continue;
    shift_descent(p, asg, budget);
    inc.offer(p, asg);
  }
}

namespace {

// Search state of the tabu search: an assignment that may overload agents.
struct State {
  std::vector<int> asg;
  std::vector<double> load, exc;
  double cost = 0;
  int violated = 0;  // agents over capacity (beyond tolerance)
};

}  // namespace

void useful_pairs(const Problem& p, const std::vector<double>& pair_lb, double ub, std::vector<uint8_t>& useful) {
  useful.assign(static_cast<size_t>(p.m) * p.n, 0);
  for (size_t k = 0; k < useful.size(); ++k)
    useful[k] = p.allowed[k] && (pair_lb.empty() || ub == kInf || p.tighten(pair_lb[k]) <= ub - p.min_improvement());
}

void tabu_search(const Problem& p, const std::vector<double>& pair_lb, std::vector<int> start, double stop_at,
                 Incumbent& inc, Budget& budget, Rng& rng) {
  const int m = p.m, n = p.n;
  const auto excess = [&](int i, double l) { return l > p.b[i] + p.tol[i] ? l - p.b[i] : 0.0; };
  State s;
  const auto reset = [&](const std::vector<int>& asg) {
    s.asg = asg;
    s.load.assign(m, 0.0);
    s.cost = 0;
    for (int j = 0; j < n; ++j) {
      s.load[s.asg[j]] += p.weight(s.asg[j], j);
      s.cost += p.cost(s.asg[j], j);
    }
    s.exc.assign(m, 0.0);
    s.violated = 0;
    for (int i = 0; i < m; ++i) {
      s.exc[i] = excess(i, s.load[i]);
      s.violated += s.exc[i] > 0;
    }
  };
  reset(start);

  double sum_c = 0, sum_a = 0;
  for (size_t k = 0; k < p.c.size(); ++k) {
    sum_c += std::fabs(p.c[k]);
    sum_a += p.a[k];
  }
  const double base_alpha = sum_a > 0 && sum_c > 0 ? sum_c / sum_a : 1.0;
  double alpha = base_alpha;
  const double min_imp = p.min_improvement();
  const auto done = [&] { return inc.cost <= stop_at + 1e-9 * std::max(1.0, std::fabs(stop_at)); };

  std::vector<int64_t> tabu_until(static_cast<size_t>(m) * n, 0);
  std::vector<uint8_t> useful;
  useful_pairs(p, pair_lb, inc.cost, useful);
  std::vector<double> cur_c(n), cur_a(n), col_c(m), col_a(m);
  const int tenure_min = 5 + n / 40, tenure_spread = 5 + n / 20;
  const int64_t restart_after = 2000 + 20 * static_cast<int64_t>(n);
  int64_t iter = 0, last_improve = 0;
  const int64_t iter_work = static_cast<int64_t>(n) * m + static_cast<int64_t>(n) * (n - 1) / 2 + 1;

  while (!budget.exhausted() && !done()) {
    ++iter;
    for (int j = 0; j < n; ++j) {
      cur_c[j] = p.cost(s.asg[j], j);
      cur_a[j] = p.weight(s.asg[j], j);
    }
    // Best admissible move: type 0 = shift (j -> k), 1 = swap (j <-> l).
    double best_df = kInf;
    int best_type = -1, best_j = -1, best_x = -1;
    const auto admissible = [&](bool tabu, double dc, int new_violated) {
      // Aspiration: a tabu move is fine if it yields a new best feasible solution.
      return !tabu || (new_violated == 0 && s.cost + dc < inc.cost - min_imp);
    };
    for (int j = 0; j < n; ++j) {
      const int i = s.asg[j];
      const double exc_i_after = excess(i, s.load[i] - cur_a[j]);
      const double d_i = exc_i_after - s.exc[i];
      const int viol_base = s.violated - (s.exc[i] > 0) + (exc_i_after > 0);
      for (int k = 0; k < m; ++k) {
        if (k == i || !useful[static_cast<size_t>(k) * n + j]) continue;
        const double exc_k_after = excess(k, s.load[k] + p.weight(k, j));
        const double dc = p.cost(k, j) - cur_c[j];
        const double df = dc + alpha * (d_i + exc_k_after - s.exc[k]);
        if (df >= best_df) continue;
        const bool tabu = tabu_until[static_cast<size_t>(k) * n + j] > iter;
        if (!admissible(tabu, dc, viol_base - (s.exc[k] > 0) + (exc_k_after > 0))) continue;
        best_df = df;
        best_type = 0;
        best_j = j;
        best_x = k;
      }
    }
    for (int j = 0; j < n; ++j) {
      const int i = s.asg[j];
      for (int k = 0; k < m; ++k) {
        col_c[k] = p.cost(k, j);
        col_a[k] = p.weight(k, j);
      }
      const double* ci = &p.c[static_cast<size_t>(i) * n];
      const double* ai = &p.a[static_cast<size_t>(i) * n];
      const double li = s.load[i] - cur_a[j], exc_i = s.exc[i], cj = cur_c[j];
      for (int l = j + 1; l < n; ++l) {
        const int k = s.asg[l];
        if (k == i) continue;
        const double dc = col_c[k] + ci[l] - cj - cur_c[l];
        const double nli = li + ai[l], nlk = s.load[k] - cur_a[l] + col_a[k];
        const double ei = excess(i, nli), ek = excess(k, nlk);
        const double df = dc + alpha * (ei - exc_i + ek - s.exc[k]);
        if (df >= best_df || !useful[static_cast<size_t>(k) * n + j] || !useful[static_cast<size_t>(i) * n + l])
          continue;
        const bool tabu =
            tabu_until[static_cast<size_t>(k) * n + j] > iter || tabu_until[static_cast<size_t>(i) * n + l] > iter;
        if (!admissible(tabu, dc, s.violated - (exc_i > 0) - (s.exc[k] > 0) + (ei > 0) + (ek > 0))) continue;
        best_df = df;
        best_type = 1;
        best_j = j;
        best_x = l;
      }
    }
    budget.spend(iter_work);

    if (best_type >= 0) {
      const auto move = [&](int j, int to) {
        const int from = s.asg[j];
        tabu_until[static_cast<size_t>(from) * n + j] = iter + tenure_min + rng.below(tenure_spread);
        s.load[from] -= p.weight(from, j);
        s.load[to] += p.weight(to, j);
        s.cost += p.cost(to, j) - p.cost(from, j);
        s.asg[j] = to;
        for (int a : {from, to}) {
          s.violated -= s.exc[a] > 0;
          s.exc[a] = excess(a, s.load[a]);
          s.violated += s.exc[a] > 0;
        }
      };
      if (best_type == 0) {
        move(best_j, best_x);
      } else {
        const int i = s.asg[best_j], k = s.asg[best_x];
        move(best_j, k);
        move(best_x, i);
      }
      if (s.violated == 0 && s.cost < inc.cost - min_imp && inc.offer(p, s.asg)) {
        last_improve = iter;
        reset(s.asg);  // clears drift in the incremental loads
        useful_pairs(p, pair_lb, inc.cost, useful);
      }
      // Strategic oscillation: price capacity up while infeasible, down while feasible.
      alpha = s.violated > 0 ? std::min(alpha * 1.1, base_alpha * 1e4) : std::max(alpha / 1.1, base_alpha * 1e-3);
    }
    if (best_type < 0 || iter - last_improve > restart_after) {
      // Diversify: restart from the incumbent with a few random shifts.
      std::vector<int> asg = inc.cost < kInf ? inc.assignment : s.asg;
      const int kicks = std::max(2, n / 15);
      for (int q = 0; q < kicks; ++q) {
        const int j = rng.below(n);
        const int k = rng.below(m);
        if (useful[static_cast<size_t>(k) * n + j]) asg[j] = k;
      }
      reset(asg);
      std::fill(tabu_until.begin(), tabu_until.end(), 0);
      last_improve = iter;
      alpha = base_alpha;
    }
  }
}

}  // namespace caseload::gap_detail
