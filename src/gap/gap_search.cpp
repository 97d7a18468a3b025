// GAP primal heuristics: the greedy constructions and the tabu search.
#include <algorithm>
#include <cmath>

#include "gap/gap_internal.hpp"

namespace caseload::gap_detail {

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

// Tuning constants of the tabu search (chosen on the chu1997 set).
// Tuning constants of the tabu search, chosen on the chu1997 c and d sets
// (each compared on all twelve instances at the default budget).
constexpr int kCandidates = 3;                              // agents per item considered by ejection chains
constexpr int kEliteSize = 10;                              // distinct solutions kept for path relinking
constexpr int64_t kRestartBase = 300, kRestartPerItem = 3;  // stagnation before a restart
constexpr double kPenaltyStep = 1.1;                        // multiplicative step of the capacity price
// Work units per eight move evaluations. Branch-free, cached move pricing
// made an evaluation about 2.7 times cheaper than the unit the rest of the
// solver is calibrated to (measured: the default budget stays under about
// 0.85 s of CPU on every chu1997 instance).
constexpr int64_t kUnitsPerEightEvals = 3;

// Ejection-chain candidates: the few most promising useful agents per item, ranked by
// the Lagrangian pair bound (the cheapest any solution using the pair can be)
// or, without one, by cost. Good GAP solutions use almost only such pairs, and
// restricting chains to them keeps a length-2 chain neighbourhood at about
// n * K * (n / m) * K evaluations instead of O(n^2 m).
struct Candidates {
  std::vector<std::vector<int>> agents;  // per item
  std::vector<uint8_t> mask;             // m x n
};

Candidates make_candidates(const Problem& p, const std::vector<double>& pair_lb, const std::vector<uint8_t>& useful,
                           int per_item) {
  Candidates c;
  c.agents.resize(p.n);
  c.mask.assign(static_cast<size_t>(p.m) * p.n, 0);
  for (int j = 0; j < p.n; ++j) {
    auto& list = c.agents[j];
    for (int i = 0; i < p.m; ++i)
      if (useful[static_cast<size_t>(i) * p.n + j]) list.push_back(i);
    const auto key = [&](int i) {
      const size_t k = static_cast<size_t>(i) * p.n + j;
      return pair_lb.empty() ? p.c[k] : pair_lb[k];
    };
    std::stable_sort(list.begin(), list.end(), [&](int x, int y) { return key(x) < key(y); });
    if (static_cast<int>(list.size()) > per_item) list.resize(per_item);
    for (int i : list) c.mask[static_cast<size_t>(i) * p.n + j] = 1;
  }
  return c;
}

}  // namespace

void tabu_search(const Problem& p, const std::vector<double>& pair_lb, std::vector<int> start, double stop_at,
                 Incumbent& inc, Budget& budget, Rng& rng, const TabuYield& yield) {
  const int m = p.m, n = p.n;
  SearchState s(p);
  s.reset(start);

  double sum_c = 0, sum_a = 0;
  for (size_t k = 0; k < p.c.size(); ++k) {
    sum_c += std::fabs(p.c[k]);
    sum_a += p.a[k];
  }
  const double base_w = sum_a > 0 && sum_c > 0 ? sum_c / sum_a : 1.0;
  const double w_min = base_w * 1e-3, w_max = base_w * 1e4;
  for (int i = 0; i < m; ++i) s.set_weight(i, base_w);
  const double min_imp = p.min_improvement();
  const auto done = [&] { return inc.cost <= stop_at + 1e-9 * std::max(1.0, std::fabs(stop_at)); };

  std::vector<int64_t> tabu_until(static_cast<size_t>(m) * n, 0);
  std::vector<uint8_t> useful;
  useful_pairs(p, pair_lb, inc.cost, useful);
  const int per_item = std::min(m, kCandidates);
  Candidates cand = make_candidates(p, pair_lb, useful, per_item);
  budget.spend(static_cast<int64_t>(n) * m * 4);
  // Per item, its useful agents: the shift loop visits only these.
  std::vector<std::vector<int>> useful_agents(n);
  int64_t n_useful = 0;
  const auto list_useful = [&] {
    n_useful = 0;
    for (int j = 0; j < n; ++j) {
      useful_agents[j].clear();
      for (int k = 0; k < m; ++k)
        if (useful[static_cast<size_t>(k) * n + j]) useful_agents[j].push_back(k);
      n_useful += static_cast<int64_t>(useful_agents[j].size());
    }
  };
  list_useful();
  // Short tenures: with chains moving two items per iteration, longer ones
  // (n / 40 and up) measurably blocked the search on the d instances.
  const int tenure_min = 1, tenure_spread = 3 + n / 40;
  const int64_t restart_after = kRestartBase + kRestartPerItem * static_cast<int64_t>(n);
  // Elite pool: the best distinct feasible solutions of past search segments.
  std::vector<std::pair<double, std::vector<int>>> elite;
  const auto add_elite = [&](double c, const std::vector<int>& asg) {
    for (const auto& e : elite)
      if (e.second == asg) return;
    if (static_cast<int>(elite.size()) >= kEliteSize && c >= elite.back().first) return;
    if (static_cast<int>(elite.size()) >= kEliteSize) elite.pop_back();
    auto at = std::upper_bound(elite.begin(), elite.end(), c, [](double v, const auto& e) { return v < e.first; });
    elite.insert(at, {c, asg});
  };
  if (inc.cost < kInf) add_elite(inc.cost, inc.assignment);
  double seg_cost = kInf;
  std::vector<int> seg_best;
  int64_t iter = 0, last_improve = 0;
  std::vector<double> ex(m), ins1(n), ins2(n);
  std::vector<int> insh1(n), insh2(n);

  const auto yields = [&] { return budget.used() >= yield.after_work && n_useful <= yield.max_useful_pairs; };
  while (!budget.exhausted() && !done() && !yields()) {
    ++iter;
    // Best admissible move: type 0 = shift (j -> x), 1 = chain (j -> agent of x, x -> h).
    double best_df = kInf;
    int best_type = -1, best_j = -1, best_x = -1, best_h = -1;
    const auto admissible = [&](bool tabu, double dc, int new_violated) {
      // Aspiration: a tabu move is fine if it yields a new best feasible solution.
      return !tabu || (new_violated == 0 && s.cost() + dc < inc.cost - min_imp);
    };
    // Per-iteration caches: each agent's current excess, and for each item l
    // the two cheapest non-tabu ways to insert it into one of its candidate
    // agents (cost plus penalty change on that agent). A chain "j -> k, l -> h"
    // with h outside {i, k} changes only h's load by l's weight, so its h part
    // is exactly that insertion value, and a chain is priced in O(1) instead
    // of once per candidate h.
    for (int i = 0; i < m; ++i) ex[i] = s.excess(i, s.load(i));
    for (int l = 0; l < n; ++l) {
      const int k = s.agent(l);
      double b1 = kInf, b2 = kInf;
      int h1 = -1, h2 = -1;
      for (int h : cand.agents[l]) {
        if (h == k || tabu_until[static_cast<size_t>(h) * n + l] > iter) continue;
        const double v = s.insertion_delta(l, h);
        if (v < b1) {
          b2 = b1;
          h2 = h1;
          b1 = v;
          h1 = h;
        } else if (v < b2) {
          b2 = v;
          h2 = h;
        }
      }
      ins1[l] = b1;
      ins2[l] = b2;
      insh1[l] = h1;
      insh2[l] = h2;
    }
    int64_t evals = static_cast<int64_t>(n) * per_item;
    for (int j = 0; j < n; ++j) {
      const int i = s.agent(j);
      const double out_i = -p.cost(i, j) + s.weight_of(i) * (s.excess(i, s.load(i) - p.weight(i, j)) - ex[i]);
      for (int k : useful_agents[j]) {
        if (k == i) continue;
        const double df = out_i + p.cost(k, j) + s.weight_of(k) * (s.excess(k, s.load(k) + p.weight(k, j)) - ex[k]);
        if (df >= best_df) continue;
        const bool tabu = tabu_until[static_cast<size_t>(k) * n + j] > iter;
        if (tabu && !admissible(tabu, s.shift_cost_delta(j, k), s.violated_after_shift(j, k))) continue;
        best_df = df;
        best_type = 0;
        best_j = j;
        best_x = k;
      }
    }
    evals += n_useful + n;
    // Ejection chains of length 2: j moves to a candidate agent k, which
    // passes one of its items l on to one of l's candidates h, or back to
    // j's agent (a swap).
    for (int j = 0; j < n; ++j) {
      const int i = s.agent(j);
      const double load_i = s.load(i) - p.weight(i, j), w_i = s.weight_of(i);
      const double out_i = -p.cost(i, j) + w_i * (s.excess(i, load_i) - ex[i]);
      for (int k : cand.agents[j]) {
        if (k == i) continue;
        const bool tabu_j = tabu_until[static_cast<size_t>(k) * n + j] > iter;
        evals += 2;  // the (j, k) set-up, which dominates when agents hold few items
        const double load_k = s.load(k) + p.weight(k, j), w_k = s.weight_of(k);
        const double into_k = out_i + p.cost(k, j) - w_k * ex[k];
        const double* ak = &p.a[static_cast<size_t>(k) * n];
        const double* ck = &p.c[static_cast<size_t>(k) * n];
        for (int l : s.members(k)) {
          evals += 2;  // about twice a shift's price in CPU time (calibrated)
          // == s.ejection_delta(j, k, l), with the j and k parts hoisted.
          const double base = into_k + w_k * s.excess(k, load_k - ak[l]) - ck[l];
          // Chain onto l's best insertion agent other than i.
          const int h = insh1[l] != i ? insh1[l] : insh2[l];
          if (h >= 0) {
            const double df = base + (insh1[l] != i ? ins1[l] : ins2[l]);
            if (df < best_df &&
                (!tabu_j || admissible(true, s.chain_cost_delta(j, k, l, h), s.violated_after_chain(j, k, l, h)))) {
              best_df = df;
              best_type = 1;
              best_j = j;
              best_x = l;
              best_h = h;
            }
          }
          // Swap: l goes back to j's agent i, whose load then changes by both items.
          if (useful[static_cast<size_t>(i) * n + l]) {
            const double df =
                base - out_i - p.cost(i, j) + p.cost(i, l) + w_i * (s.excess(i, load_i + p.weight(i, l)) - ex[i]);
            if (df < best_df) {
              const bool tabu = tabu_j || tabu_until[static_cast<size_t>(i) * n + l] > iter;
              if (!tabu || admissible(true, s.chain_cost_delta(j, k, l, i), s.violated_after_chain(j, k, l, i))) {
                best_df = df;
                best_type = 1;
                best_j = j;
                best_x = l;
                best_h = i;
              }
            }
          }
        }
      }
    }
    budget.spend(evals * kUnitsPerEightEvals / 8 + 1);

    if (best_type >= 0) {
      const auto mark = [&](int j) {
        tabu_until[static_cast<size_t>(s.agent(j)) * n + j] = iter + tenure_min + rng.below(tenure_spread);
      };
      mark(best_j);
      if (best_type == 0) {
        s.shift(best_j, best_x);
      } else {
        mark(best_x);
        const int k = s.agent(best_x);
        s.shift(best_j, k);
        s.shift(best_x, best_h);
      }
      if (s.violated() == 0 && s.cost() < inc.cost - min_imp && inc.offer(p, s.assignment())) {
        last_improve = iter;
        s.reset(s.assignment());  // clears drift in the incremental loads
        useful_pairs(p, pair_lb, inc.cost, useful);
        cand = make_candidates(p, pair_lb, useful, per_item);
        list_useful();
        budget.spend(static_cast<int64_t>(n) * m * 4);
      }
      // Strategic oscillation: raise the price of capacity while the current
      // solution is infeasible, lower it while feasible. One price for all
      // agents: per-agent prices (raised only on overloaded agents) were
      // measured worse here (d20100 +2.5% vs +1.4% with the rest unchanged).
      const double w = s.violated() > 0 ? std::min(s.weight_of(0) * kPenaltyStep, w_max)
                                        : std::max(s.weight_of(0) / kPenaltyStep, w_min);
      for (int i = 0; i < m; ++i) s.set_weight(i, w);
    }
    if (s.violated() == 0 && s.cost() < seg_cost - min_imp) {
      seg_cost = s.cost();
      seg_best = s.assignment();
    }
    if (best_type < 0 || iter - last_improve > restart_after) {
      if (seg_cost < kInf) add_elite(seg_cost, seg_best);
      seg_cost = kInf;
      if (elite.size() >= 2) {
        // Path relinking: walk from one elite solution towards another,
        // greedily taking the best move onto the guide's agent, and restart
        // half-way: the region between good solutions is where better
        // ones tend to be.
        const int ia = rng.below(static_cast<int>(elite.size()));
        int ib = rng.below(static_cast<int>(elite.size()) - 1);
        if (ib >= ia) ++ib;
        const std::vector<int>& guide = elite[ib].second;
        s.reset(elite[ia].second);
        std::vector<int> diff;
        for (int j = 0; j < n; ++j)
          if (s.agent(j) != guide[j] && useful[static_cast<size_t>(guide[j]) * n + j]) diff.push_back(j);
        const int steps = static_cast<int>(diff.size()) / 4 + rng.below(static_cast<int>(diff.size()) / 2 + 1);
        for (int step = 0; step < steps && !diff.empty(); ++step) {
          size_t pick = 0;
          double pick_df = kInf;
          for (size_t q = 0; q < diff.size(); ++q) {
            const double df = s.shift_delta(diff[q], guide[diff[q]]);
            if (df < pick_df) {
              pick_df = df;
              pick = q;
            }
          }
          budget.spend(static_cast<int64_t>(diff.size()));
          s.shift(diff[pick], guide[diff[pick]]);
          diff[pick] = diff.back();
          diff.pop_back();
        }
      } else {
        // Diversify: restart from the incumbent with a few random shifts.
        std::vector<int> asg = inc.cost < kInf ? inc.assignment : s.assignment();
        const int kicks = std::max(2, n / 15);
        for (int q = 0; q < kicks; ++q) {
          const int j = rng.below(n);
          const int k = rng.below(m);
          if (useful[static_cast<size_t>(k) * n + j]) asg[j] = k;
        }
        s.reset(asg);
      }
      std::fill(tabu_until.begin(), tabu_until.end(), 0);
      last_improve = iter;
      for (int i = 0; i < m; ++i) s.set_weight(i, base_w);
    }
  }
}

}  // namespace caseload::gap_detail
