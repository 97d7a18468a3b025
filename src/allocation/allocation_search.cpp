// Allocation optimiser: the search (docs/allocation.md). Construction in
// priority order, the stage-1 moves (insert, eject-insert, swap-in, exact
// per-worker repacking, exchanges, seeded ruin and recreate), stage 2
// (min max utilisation) and stage 3 (soft preferences). Stages 2 and 3
// never change the set of allocated cases, so they cannot lower stage 1.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "allocation/allocation_internal.hpp"

namespace caseload::alloc {

Solver::Solver(const Problem& p, Budget& budget) : P(p), budget_(budget), rng_(p.opt->seed ^ kSeedSalt) {
  const size_t m = P.w.size();
  eps_.resize(m);
  for (size_t i = 0; i < m; ++i) eps_[i] = 1e-9 * std::max(1.0, std::abs(P.w[i].limit));
  stuck_at_.assign(P.c.size(), UINT64_MAX);
  failed_at_.assign(P.c.size(), UINT64_MAX);
}

State Solver::empty_state() const {
  State s;
  s.at.assign(P.c.size(), -1);
  s.pts.resize(P.w.size());
  s.cnt.resize(P.w.size());
  s.held.resize(P.w.size());
  s.version = ++versions_;
  for (size_t i = 0; i < P.w.size(); ++i) {
    s.pts[i] = P.w[i].points0;
    s.cnt[i] = P.w[i].cases0;
  }
  return s;
}

// Cases in stage-1 order: priority (density) first, then larger points, then input order.
std::vector<int32_t> Solver::priority_order() const {
  std::vector<int32_t> order(P.c.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    if (P.c[a].priority != P.c[b].priority) return P.c[a].priority > P.c[b].priority;
    return P.c[a].points > P.c[b].points;
  });
  return order;
}

// Pins first, then every other case in priority order to its best fitting
// worker (fairness key, or best fit when `pack`).
void Solver::construct(State& s, const std::vector<int32_t>& order, bool pack) {
  for (int32_t ci : order) {
    if (s.at[ci] >= 0 || P.c[ci].pinned >= 0) continue;
    insert_best(s, ci, pack);
  }
}

bool Solver::insert_best(State& s, int32_t ci, bool pack) {
  const CaseInfo& j = P.c[ci];
  int32_t best = -1;
  double best_key = kInf;
  for (size_t e = 0; e < j.elig.size(); ++e) {
    const int32_t wi = j.elig[e];
    if (!fits(s, wi, j.points)) continue;
    const double k = pack ? (P.w[wi].limit - s.pts[wi] - j.points) / std::max(P.w[wi].capacity, 1e-9) : key(s, ci, e);
    if (k < best_key) {
      best_key = k;
      best = wi;
    }
  }
  budget_.spend(static_cast<int64_t>(j.elig.size()) + 1);
  if (best < 0) return false;
  assign(s, ci, best);
  return true;
}

// One pass of stage-1 moves for every unallocated case; true if the value rose.
bool Solver::improve_value(State& s, const std::vector<int32_t>& order) {
  bool improved = false;
  for (int32_t ci : order) {
    if (!budget_.left()) break;
    if (s.at[ci] >= 0 || P.c[ci].pinned >= 0 || failed_at_[ci] == s.version) continue;
    const uint64_t seen = s.version;
    if (insert_best(s, ci, false) || eject_insert(s, ci) || swap_in(s, ci))
      improved = true;
    else if (s.version == seen)  // no trial move either: the same state fails the same way
      failed_at_[ci] = seen;
  }
  return improved;
}

// Make room for ci on an eligible worker by moving one of that worker's
// incoming cases to another worker with room.
bool Solver::eject_insert(State& s, int32_t ci) {
  const CaseInfo& j = P.c[ci];
  for (int32_t wi : j.elig) {
    if (s.cnt[wi] + 1 > P.w[wi].max_cases + 1e-9 && s.held[wi].empty()) continue;
    const double need = s.pts[wi] + j.points - P.w[wi].limit - eps_[wi];
    // A copy (into a reused buffer): the moves below reorder held[wi].
    held_copy_.assign(s.held[wi].begin(), s.held[wi].end());
    for (int32_t k : held_copy_) {
      budget_.spend(1);
      if (P.c[k].pinned >= 0 || P.c[k].points < need || stuck_at_[k] == s.version) continue;
      // Count constraint: moving k out frees one case slot on wi.
      const uint64_t seen = s.version;
      for (int32_t w2 : P.c[k].elig) {
        if (w2 == wi || !fits(s, w2, P.c[k].points)) continue;
        budget_.spend(1);
        unassign(s, k);
        assign(s, k, w2);
        if (fits(s, wi, j.points)) {
          assign(s, ci, wi);
          return true;
        }
        unassign(s, k);
        assign(s, k, wi);
      }
      if (s.version == seen) stuck_at_[k] = seen;  // no other worker had room for k
    }
    if (!budget_.left()) return false;
  }
  return false;
}

// Replace one or two incoming cases of lower total value on an eligible
// worker by ci; the replaced cases become unallocated (and are retried).
bool Solver::swap_in(State& s, int32_t ci) {
  const CaseInfo& j = P.c[ci];
  int32_t best_w = -1, best_a = -1, best_b = -1;
  double best_loss = j.value - 1e-9 * std::max(1.0, j.value);
  for (int32_t wi : j.elig) {
    const auto& h = s.held[wi];
    // Removing at least one case frees the case slot the newcomer needs.
    const double room = P.w[wi].limit + eps_[wi] - s.pts[wi];
    for (size_t x = 0; x < h.size(); ++x) {
      const CaseInfo& a = P.c[h[x]];
      if (a.pinned >= 0) continue;
      budget_.spend(1);
      if (a.value < best_loss && room + a.points >= j.points) {
        best_loss = a.value;
        best_w = wi, best_a = h[x], best_b = -1;
      }
      for (size_t y = x + 1; y < h.size(); ++y) {
        const CaseInfo& b = P.c[h[y]];
        if (b.pinned >= 0) continue;
        budget_.spend(1);
        if (a.value + b.value < best_loss && room + a.points + b.points >= j.points) {
          best_loss = a.value + b.value;
          best_w = wi, best_a = h[x], best_b = h[y];
        }
      }
    }
  }
  if (best_w < 0) return false;
  unassign(s, best_a);
  if (best_b >= 0) unassign(s, best_b);
  assign(s, ci, best_w);
  // The displaced cases may still fit elsewhere.
  insert_best(s, best_a, false);
  if (best_b >= 0) insert_best(s, best_b, false);
  return true;
}

// Re-packs each worker exactly: its movable incoming cases and the
// unallocated cases it may take form one knapsack on its room (maximum
// priority-weighted points, within its case slots). The cases it drops
// are offered to the other workers. Only strict gains are applied.
bool Solver::repack(State& s) {
  bool improved = false;
  for (size_t w = 0; w < P.w.size() && budget_.left(); ++w) {
    const auto wi = static_cast<int32_t>(w);
    const WorkerInfo& k = P.w[wi];
    double own_pts = 0, own_cnt = 0, own_val = 0;
    ks_.clear();
    for (int32_t ci : s.held[wi])
      if (P.c[ci].pinned < 0) {
        own_pts += P.c[ci].points, own_cnt += 1, own_val += P.c[ci].value;
        ks_.add(P.c[ci].value, P.c[ci].points, 1, ci);
      }
    const double cap = k.limit + eps_[wi] - (s.pts[wi] - own_pts);
    const double slots = std::isfinite(k.max_cases) ? std::floor(k.max_cases - (s.cnt[wi] - own_cnt) + 1e-9) : kInf;
    if (!(cap > 0) || slots < 1) continue;
    bool any = false;
    for (size_t i = 0; i < P.c.size(); ++i) {
      const CaseInfo& j = P.c[i];
      if (s.at[i] >= 0 || j.pinned >= 0 || !(j.points > 0) || j.points > cap) continue;
      if (!std::binary_search(j.elig.begin(), j.elig.end(), wi)) continue;
      ks_.add(j.value, j.points, 1, static_cast<int32_t>(i));
      any = true;
    }
    budget_.spend(static_cast<int64_t>(P.c.size()));
    if (!any) continue;  // everything it holds already fits: nothing to gain
    ks_.solve(cap, slots, kRepackNodes);
    budget_.spend(ks_.nodes());
    if (!(ks_.best() > own_val + 1e-9 * std::max(1.0, own_val))) continue;
    dropped_.clear();
    const auto held = s.held[wi];
    for (int32_t ci : held)
      if (P.c[ci].pinned < 0) {
        unassign(s, ci);
        dropped_.push_back(ci);
      }
    ks_.for_each_taken([&](int32_t ci, int32_t) { assign(s, ci, wi); });
    for (int32_t ci : dropped_)
      if (s.at[ci] < 0) insert_best(s, ci, false);
    improved = true;
  }
  return improved;
}

// An exchange the single moves miss: unallocated ci goes to wi, optionally
// in place of a lower-value case a (then offered elsewhere), after wi's
// case b moves to another worker w2, alone, in trade for a smaller case m
// of w2 that fits on wi, or in place of a case of w2 worth less than the
// gain (then offered elsewhere). It frees the missing points, or the case
// slot when wi's case count is full. On a tightly packed batch the last
// points of room are scattered: this gathers them where a larger case
// fits. First strict gain, in stage-1 order; cases equal in points, value
// and eligibility are tried once.
bool Solver::exchange_in(State& s, const std::vector<int32_t>& order) {
  tried_.clear();
  for (int32_t ci : order) {
    if (!budget_.left()) return false;
    const CaseInfo& j = P.c[ci];
    if (s.at[ci] >= 0 || j.pinned >= 0 || !(j.points > 0)) continue;
    bool seen = false;
    for (int32_t t : tried_)
      if (P.c[t].points == j.points && P.c[t].value == j.value && P.c[t].elig == j.elig) {
        seen = true;
        break;
      }
    if (seen) continue;
    tried_.push_back(ci);
    for (int32_t wi : j.elig) {
      const auto& h = s.held[wi];
      const double lim = P.w[wi].limit + eps_[wi];
      // x == h.size(): nothing dropped.
      for (size_t x = 0; x <= h.size(); ++x) {
        const int32_t a = x < h.size() ? h[x] : -1;
        if (a >= 0 && (P.c[a].pinned >= 0 || !(P.c[a].value < j.value - 1e-9 * std::max(1.0, j.value)))) continue;
        // Without a free case slot, b must leave without a mate.
        const bool slot = s.cnt[wi] - (a >= 0 ? 1 : 0) + 1 <= P.w[wi].max_cases + 1e-9;
        const double need = s.pts[wi] - (a >= 0 ? P.c[a].points : 0.0) + j.points - lim;
        const double gain = j.value - (a >= 0 ? P.c[a].value : 0.0);
        if (need <= 0 && slot) continue;  // a plain insert or swap-in: stage 1's job
        for (int32_t b : h) {
          if (b == a || P.c[b].pinned >= 0 || P.c[b].points < need) continue;
          const double pb = P.c[b].points;
          for (int32_t w2 : P.c[b].elig) {
            if (w2 == wi) continue;
            budget_.spend(1);
            const double slack2 = P.w[w2].limit + eps_[w2] - s.pts[w2];
            int32_t mate = -2;  // -1: b moves alone; >= 0: swapped with this case
            int32_t drop = -1;  // else: b takes the place of this lower-value case of w2
            if (pb <= slack2 && s.cnt[w2] + 1 <= P.w[w2].max_cases + 1e-9) {
              mate = -1;
            } else {
              for (int32_t m : s.held[w2]) {
                const double pm = P.c[m].points;
                budget_.spend(1);
                if (P.c[m].pinned >= 0 || pb - pm > slack2) continue;
                if (slot && pb - pm >= need && std::binary_search(P.c[m].elig.begin(), P.c[m].elig.end(), wi)) {
                  mate = m;
                  break;
                }
                if (drop < 0 && P.c[m].value < gain - 1e-9 * std::max(1.0, j.value)) drop = m;
              }
            }
            if (mate == -2 && drop < 0) continue;
            if (a >= 0) unassign(s, a);
            unassign(s, b);
            if (mate >= 0) {
              unassign(s, mate);
              assign(s, mate, wi);
            } else if (mate == -2) {
              unassign(s, drop);
            }
            assign(s, b, w2);
            assign(s, ci, wi);
            if (a >= 0) insert_best(s, a, false);
            if (mate == -2) insert_best(s, drop, false);
            return true;
          }
        }
      }
    }
  }
  return false;
}

void Solver::stage1(State& s, const std::vector<int32_t>& order) {
  while (budget_.left() && improve_value(s, order)) {
  }
}

// Seeded ruin and recreate: free the incoming cases of a few workers and
// rebuild; keep the result only when stage 1's value rises.
void Solver::ruin_recreate(State& s, const std::vector<int32_t>& order, double bound) {
  int stale = 0;
  const double tol = 1e-9 * std::max(1.0, bound);
  std::vector<int32_t> holders, shuffled;
  State trial;
  while (budget_.left() && stale < 5 && s.value < bound - tol) {
    holders.clear();
    for (size_t wi = 0; wi < P.w.size(); ++wi)
      for (int32_t k : s.held[wi])
        if (P.c[k].pinned < 0) {
          holders.push_back(static_cast<int32_t>(wi));
          break;
        }
    if (holders.empty()) break;
    trial = s;  // copy-assignment into the reused trial keeps its buffers
    const int r = 1 + static_cast<int>(rng_.below(3));
    for (int t = 0; t < r; ++t) {
      const int32_t wi = holders[rng_.below(holders.size())];
      const auto h = trial.held[wi];
      for (int32_t k : h)
        if (P.c[k].pinned < 0) unassign(trial, k);
    }
    // Same priority classes, shuffled within a class.
    shuffled = order;
    for (size_t a = 0; a < shuffled.size();) {
      size_t b = a + 1;
      while (b < shuffled.size() && P.c[shuffled[b]].priority == P.c[shuffled[a]].priority) ++b;
      for (size_t x = b - 1; x > a; --x) std::swap(shuffled[x], shuffled[a + rng_.below(x - a + 1)]);
      a = b;
    }
    construct(trial, shuffled, rng_.below(2) == 0);
    stage1(trial, shuffled);
    if (trial.value > s.value + tol) {
      std::swap(s, trial);
      stale = 0;
    } else {
      ++stale;
    }
  }
}

// Stage 2: move an incoming case from a worker to another whose new
// utilisation stays below the first's old one (the sorted utilisation
// vector falls lexicographically, so this terminates).
void Solver::stage2(State& s) {
  std::vector<int32_t> ws;
  for (;;) {
    if (!budget_.left()) return;
    ws.clear();
    for (size_t wi = 0; wi < P.w.size(); ++wi)
      if (!s.held[wi].empty()) ws.push_back(static_cast<int32_t>(wi));
    std::stable_sort(ws.begin(), ws.end(), [&](int32_t a, int32_t b) { return u(s, a) > u(s, b); });
    bool moved = false;
    for (int32_t wi : ws) {
      const double uw = u(s, wi);
      int32_t best_k = -1, best_w = -1;
      double best_max = kInf, best_key = kInf;
      for (int32_t k : s.held[wi]) {
        const CaseInfo& j = P.c[k];
        if (j.pinned >= 0 || !(j.points > 0)) continue;
        const double u_from = u(s, wi, -j.points);
        for (size_t e = 0; e < j.elig.size(); ++e) {
          const int32_t w2 = j.elig[e];
          if (w2 == wi || !fits(s, w2, j.points)) continue;
          const double u_to = u(s, w2, j.points);
          if (u_to >= uw - 1e-12) continue;  // must lower the pair's maximum
          const double mx = std::max(u_from, u_to);
          const double kk = key(s, k, e);
          if (best_k < 0 || mx < best_max - 1e-12 || (mx <= best_max + 1e-12 && kk < best_key)) {
            best_max = mx;
            best_key = kk;
            best_k = k, best_w = w2;
          }
        }
        budget_.spend(static_cast<int64_t>(j.elig.size()));
      }
      if (best_k >= 0) {
        unassign(s, best_k);
        assign(s, best_k, best_w);
        moved = true;
        break;
      }
    }
    if (!moved) return;
  }
}

double Solver::max_receiving(const State& s) const {
  double mx = 0;
  for (size_t wi = 0; wi < P.w.size(); ++wi)
    if (!s.held[wi].empty()) mx = std::max(mx, u(s, static_cast<int32_t>(wi)));
  return mx;
}

// Stage 3: raise the plan's soft score by moves that keep the plan within
// the fairness tolerance of stage 2. A move is judged by its whole effect:
// the case's own score and, for a family arriving together, its siblings'
// (two siblings meeting on one worker both gain continuity). Every
// accepted move raises the plan's total soft score, so this terminates.
void Solver::stage3(State& s) {
  const double tol = P.opt->fairness_tolerance;
  const double ceiling = max_receiving(s) + tol + 1e-12;
  bool moved = true;
  while (moved && budget_.left()) {
    moved = false;
    for (size_t i = 0; i < P.c.size(); ++i) {
      const auto ci = static_cast<int32_t>(i);
      const int32_t wi = s.at[ci];
      const CaseInfo& j = P.c[ci];
      if (wi < 0 || j.pinned >= 0) continue;
      const bool family = !j.batch_siblings.empty();
      const double cur = family ? family_soft(s, ci) : j.soft[elig_pos(ci, wi)];
      int32_t best_w = -1;
      double best_gain = 1e-9, best_u = kInf;
      for (size_t e = 0; e < j.elig.size(); ++e) {
        const int32_t w2 = j.elig[e];
        if (w2 == wi || !fits(s, w2, j.points)) continue;
        if (!family && j.soft[e] - cur < best_gain - 1e-12) continue;
        const double u_to = u(s, w2, j.points);
        if (u_to > std::max(u(s, wi), u(s, w2)) + tol + 1e-12 || u_to > ceiling) continue;
        double gain = j.soft[e] - cur;
        if (family) {
          s.at[ci] = w2;  // only `at` matters to family_soft
          gain = family_soft(s, ci) - cur;
          s.at[ci] = wi;
        }
        if (gain > best_gain + 1e-12 || (gain >= best_gain - 1e-12 && u_to < best_u)) {
          best_gain = gain;
          best_u = u_to;
          best_w = w2;
        }
      }
      budget_.spend(static_cast<int64_t>(j.elig.size() * (1 + j.batch_siblings.size())));
      if (best_w >= 0) {
        unassign(s, ci);
        assign(s, ci, best_w);
        moved = true;
      }
    }
  }
}

}  // namespace caseload::alloc
