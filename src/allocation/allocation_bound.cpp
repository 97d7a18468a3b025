// Allocation optimiser: upper bounds on stage 1 (docs/allocation.md). The
// LP relaxation of stage 1 is a max-flow problem with gains on the source
// arcs only, so its optimum is reached greedily (the feasible supplies form
// a polymatroid): a quick first bound. The reported bound is the smaller of
// that and a Lagrangian bound (each case's "at most once" constraint
// relaxed, leaving one exact knapsack per worker, base/knapsack.hpp), which
// counts whole cases per worker and is far tighter on an over-subscribed
// batch.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <utility>
#include <vector>

#include "allocation/allocation_internal.hpp"

namespace caseload::alloc {

namespace {

// Max flow with gains on source arcs only: cases grouped into classes of
// equal priority and equal eligible set, classes taken by decreasing
// priority, each pushed as far as augmenting paths allow.
class FlowBound {
 public:
  double compute(const Problem& P, const State& pinned_state) {
    const size_t m = P.w.size();
    // Room per worker after existing load and pins.
    std::vector<double> room(m, 0), slots(m, kInf);
    for (size_t wi = 0; wi < m; ++wi) {
      const WorkerInfo& k = P.w[wi];
      room[wi] = std::max(0.0, k.limit + 1e-9 * std::max(1.0, std::abs(k.limit)) - pinned_state.pts[wi]);
      if (std::isfinite(k.max_cases)) slots[wi] = std::floor(k.max_cases - pinned_state.cnt[wi] + 1e-9);
    }
    // A case is never split in a plan, so a pair whose case alone exceeds
    // the worker's room (or a worker with no case slot) cannot carry flow.
    std::vector<std::vector<int32_t>> usable(P.c.size());
    std::vector<int32_t> free;
    for (size_t i = 0; i < P.c.size(); ++i) {
      const CaseInfo& j = P.c[i];
      if (j.pinned >= 0 || !(j.points > 0)) continue;
      for (int32_t wi : j.elig)
        if (j.points <= room[wi] && slots[wi] >= 1) usable[i].push_back(wi);
      if (!usable[i].empty()) free.push_back(static_cast<int32_t>(i));
    }
    // Classes of equal priority and usable set, by priority descending.
    std::stable_sort(free.begin(), free.end(), [&](int32_t a, int32_t b) {
      if (P.c[a].priority != P.c[b].priority) return P.c[a].priority > P.c[b].priority;
      return usable[a] < usable[b];
    });
    struct Class {
      double priority, supply;
      const std::vector<int32_t>* elig;
    };
    std::vector<Class> classes;
    for (int32_t ci : free) {
      const CaseInfo& j = P.c[ci];
      if (!classes.empty() && classes.back().priority == j.priority && *classes.back().elig == usable[ci])
        classes.back().supply += j.points;
      else
        classes.push_back({j.priority, j.points, &usable[ci]});
    }
    // A worker's new load is a sum of whole cases, so its room can be
    // lowered to the largest subset sum of usable case points that fits
    // (points on a 0.01 grid; otherwise the room is left as it is).
    for (size_t wi = 0; wi < m; ++wi) {
      std::vector<int64_t> items;
      bool grid = true;
      for (int32_t ci : free) {
        if (!std::binary_search(usable[ci].begin(), usable[ci].end(), static_cast<int32_t>(wi))) continue;
        const double scaled = P.c[ci].points * 100;
        if (std::abs(scaled - std::round(scaled)) > 1e-6) grid = false;
        items.push_back(static_cast<int64_t>(std::llround(scaled)));
      }
      const double cap_scaled = std::floor(room[wi] * 100 + 1e-6);
      if (!grid || items.empty() || cap_scaled > 200000) continue;
      const auto R = static_cast<size_t>(cap_scaled);
      int64_t total = 0;
      for (int64_t x : items) total += x;
      if (total <= static_cast<int64_t>(R)) continue;  // everything fits: nothing to tighten
      std::vector<uint64_t> reach((R + 64) / 64, 0);
      reach[0] = 1;
      for (int64_t x : items) {
        const auto sh = static_cast<size_t>(x);
        if (sh > R || sh == 0) continue;
        // reach |= reach << sh, from the top word down so each item is used once.
        const size_t ws = sh / 64, bs = sh % 64;
        for (size_t k = reach.size(); k-- > ws;) {
          uint64_t v = reach[k - ws] << bs;
          if (bs && k - ws >= 1) v |= reach[k - ws - 1] >> (64 - bs);
          reach[k] |= v;
        }
        if ((R + 1) % 64) reach.back() &= (uint64_t{1} << ((R + 1) % 64)) - 1;
      }
      size_t best = 0;
      for (size_t k = reach.size(); k-- > 0;)
        if (reach[k]) {
          best = k * 64 + 63 - static_cast<size_t>(__builtin_clzll(reach[k]));
          break;
        }
      room[wi] = std::min(room[wi], static_cast<double>(best) / 100 + 1e-9);
    }
    // An ASYE's room is also at most the points of the largest cases its
    // case-count cap admits.
    for (size_t wi = 0; wi < m; ++wi) {
      if (!std::isfinite(slots[wi])) continue;
      std::vector<double> pts;
      for (int32_t ci : free)
        if (std::binary_search(usable[ci].begin(), usable[ci].end(), static_cast<int32_t>(wi)))
          pts.push_back(P.c[ci].points);
      std::sort(pts.begin(), pts.end(), std::greater<>());
      double top = 0;
      for (size_t x = 0; x < pts.size() && static_cast<double>(x) < slots[wi]; ++x) top += pts[x];
      room[wi] = slots[wi] <= 0 ? 0.0 : std::min(room[wi], top);
    }
    // Graph: node 0 = source (implicit), 1..K classes, K+1..K+m workers, K+m+1 sink.
    const int32_t K = static_cast<int32_t>(classes.size());
    n_ = K + static_cast<int32_t>(m) + 2;
    sink_ = n_ - 1;
    adj_.assign(n_, {});
    to_.clear(), cap_.clear();
    for (int32_t c = 0; c < K; ++c)
      for (int32_t wi : *classes[c].elig) add_edge(1 + c, 1 + K + wi, kInf);
    for (size_t wi = 0; wi < m; ++wi) add_edge(1 + K + static_cast<int32_t>(wi), sink_, room[wi]);
    double value = 0;
    for (int32_t c = 0; c < K; ++c) value += classes[c].priority * push(1 + c, classes[c].supply);
    return value;
  }

 private:
  void add_edge(int32_t a, int32_t b, double c) {
    adj_[a].push_back(static_cast<int32_t>(to_.size()));
    to_.push_back(b), cap_.push_back(c);
    adj_[b].push_back(static_cast<int32_t>(to_.size()));
    to_.push_back(a), cap_.push_back(0);
  }

  // Pushes up to `supply` from node `from` to the sink along augmenting
  // paths (BFS, shortest first); returns the amount pushed.
  double push(int32_t from, double supply) {
    double pushed = 0;
    const double eps = 1e-12 * std::max(1.0, supply);
    std::vector<int32_t> parent_edge(n_);
    std::vector<int32_t> queue;
    while (supply - pushed > eps) {
      std::fill(parent_edge.begin(), parent_edge.end(), -2);
      parent_edge[from] = -1;
      queue.assign(1, from);
      bool found = false;
      for (size_t q = 0; q < queue.size() && !found; ++q) {
        const int32_t v = queue[q];
        for (int32_t e : adj_[v]) {
          const int32_t t = to_[e];
          if (parent_edge[t] != -2 || cap_[e] <= eps) continue;
          parent_edge[t] = e;
          if (t == sink_) {
            found = true;
            break;
          }
          queue.push_back(t);
        }
      }
      if (!found) break;
      double f = supply - pushed;
      for (int32_t v = sink_; v != from; v = to_[parent_edge[v] ^ 1]) f = std::min(f, cap_[parent_edge[v]]);
      for (int32_t v = sink_; v != from; v = to_[parent_edge[v] ^ 1]) {
        cap_[parent_edge[v]] -= f;
        cap_[parent_edge[v] ^ 1] += f;
      }
      pushed += f;
    }
    return pushed;
  }

  int32_t n_ = 0, sink_ = 0;
  std::vector<std::vector<int32_t>> adj_;
  std::vector<int32_t> to_;
  std::vector<double> cap_;
};

// ---------------------------------------------------------------- Lagrangian bound

// One proximal bundle method (Lemarechal; Kiwiel 1990) per component of the
// Lagrangian dual: min f(x) over x >= 0, f convex, piecewise linear and known
// only through evaluations f(x_j) and subgradients g_j, each a cut
// f(x) >= a_j + g_j . x. The next trial point minimises the cutting-plane
// model plus a proximity term around the best point so far (the centre):
//   min_{x >= 0} max_j (a_j + g_j . x) + |x - centre|^2 / (2 t).
// The trial point becomes the centre (a serious step) when f falls by at
// least kDescent of the decrease the model predicted; otherwise its cut
// refines the model (a null step). A subgradient step uses the last
// subgradient only; the model keeps every cut, so each round of knapsacks
// counts for more (on the benchmark batch 24 bundle steps bring the dual
// to 945.776, 3000 subgradient steps to 945.778, 40 to 946.874). The bound's
// validity never depends on any of this: f(x) bounds the optimum for every
// x >= 0. All arithmetic is in a fixed order: deterministic.
class ProxBundle {
 public:
  /// Records f and a subgradient g at x and overwrites x with the next trial
  /// point. The first call also sets the first proximity weight from
  /// `scale`, an estimate of f(x) - min f (a Polyak step). Returns false,
  /// with x set to the centre, when the model predicts no further decrease.
  /// `tag` names the cut for for_each_weight().
  bool step(std::vector<double>& x, double f, const std::vector<double>& g, double scale, int32_t tag) {
    d_ = x.size();
    if (!started_) {
      started_ = true;
      double gg = 0;  // only the directions x >= 0 lets the step take
      for (size_t i = 0; i < d_; ++i)
        if (x[i] > 0 || g[i] < 0) gg += g[i] * g[i];
      t_ = gg > 0 ? scale / gg : 1.0;
      centre_ = x;
      fc_ = f;
    } else if (f <= fc_ - kDescent * pred_) {
      // Serious step; one that achieved most of the predicted decrease says
      // the model is good further out: a longer leash.
      if (fc_ - f >= kGood * pred_) t_ *= kGrow;
      centre_ = x;
      fc_ = f;
    } else if (f > fc_) {
      t_ *= kShrink;  // a null step where f even rose: a shorter leash
    }
    double a = f;
    for (size_t i = 0; i < d_; ++i) a -= g[i] * x[i];
    add_cut(a, g, tag);
    solve_qp();
    double model = -kInf;
    for (size_t j = 0; j < a_.size(); ++j) model = std::max(model, grad_[j]);
    pred_ = fc_ - model;
    if (!(pred_ > kTol * std::max(1.0, std::abs(fc_)))) {
      x = centre_;
      return false;
    }
    x = lam_;
    return true;
  }

  /// The decrease of f the model predicts at the trial point.
  [[nodiscard]] double predicted() const { return pred_; }

  /// Calls f(tag, weight) for each cut with a positive weight in the last
  /// trial point; the weights sum to 1.
  template <class F>
  void for_each_weight(F&& f) const {
    for (size_t j = 0; j < a_.size(); ++j)
      if (alpha_[j] > 0) f(tags_[j], alpha_[j]);
  }

 private:
  static constexpr double kDescent = 0.1, kGood = 0.8, kGrow = 2.0, kShrink = 0.7, kTol = 1e-9;
  static constexpr size_t kMaxCuts = 24;

  // Adds a cut; when full, first drops the cut of least weight in the last
  // trial point (the oldest among equals), which keeps the cuts it rests on.
  void add_cut(double a, const std::vector<double>& g, int32_t tag) {
    if (a_.size() >= kMaxCuts) {
      size_t drop = 0;
      for (size_t j = 1; j < a_.size(); ++j)
        if (alpha_[j] < alpha_[drop]) drop = j;
      const auto at = static_cast<std::ptrdiff_t>(drop);
      a_.erase(a_.begin() + at);
      tags_.erase(tags_.begin() + at);
      alpha_.erase(alpha_.begin() + at);
      G_.erase(G_.begin() + at * static_cast<std::ptrdiff_t>(d_),
               G_.begin() + (at + 1) * static_cast<std::ptrdiff_t>(d_));
      double sum = 0;
      for (double w : alpha_) sum += w;
      if (sum > 0)
        for (double& w : alpha_) w /= sum;
    }
    a_.push_back(a);
    tags_.push_back(tag);
    G_.insert(G_.end(), g.begin(), g.end());
    // A new cut starts with no weight (the first with all of it): the
    // previous weights stay feasible and start the next QP.
    alpha_.push_back(alpha_.empty() ? 1.0 : 0.0);
    if (alpha_.size() > 1 && !(std::accumulate(alpha_.begin(), alpha_.end(), 0.0) > 0)) alpha_.back() = 1.0;
  }

  // x(alpha) = max(0, centre - t G' alpha) into lam_, and each cut's value
  // there, a_j + g_j . x(alpha) (the gradient of the QP's dual), into grad_.
  void at(const std::vector<double>& alpha) {
    const size_t B = a_.size();
    lam_.assign(d_, 0);
    for (size_t j = 0; j < B; ++j)
      if (alpha[j] != 0)
        for (size_t i = 0; i < d_; ++i) lam_[i] += alpha[j] * G_[j * d_ + i];
    for (size_t i = 0; i < d_; ++i) lam_[i] = std::max(0.0, centre_[i] - t_ * lam_[i]);
    grad_.resize(B);
    for (size_t j = 0; j < B; ++j) {
      double v = a_[j];
      for (size_t i = 0; i < d_; ++i) v += G_[j * d_ + i] * lam_[i];
      grad_[j] = v;
    }
  }

  // The prox problem's dual is a maximisation over the cuts' weights alpha
  // on the unit simplex, with x(alpha) = max(0, centre - t G' alpha). For a
  // set F of coordinates left free (the others at 0) it is the quadratic
  // programme
  //   max_alpha  b . alpha - alpha' H alpha / 2,
  //   b_j = a_j + sum_{i in F} g_ji centre_i,  H_jk = t sum_{i in F} g_ji g_ki,
  // solved by a primal active-set method from the previous weights. Then F
  // is recomputed from x(alpha) and the QP solved again until F is stable:
  // at that point the dual's gradient is this QP's, so alpha is optimal for
  // the clamped problem too. A ridge of 1e-10 of the largest diagonal keeps
  // H positive definite when cuts are affinely dependent. Any weights give
  // a valid trial point, so the caps on the loops cost convergence speed,
  // never validity. (Accelerated projected gradient on the same dual needed
  // some 200 iterations a QP for a 1e-3 duality gap: 3 ms a call.)
  void solve_qp() {
    const size_t B = a_.size();
    at(alpha_);
    free_.resize(d_);
    for (size_t i = 0; i < d_; ++i) free_[i] = lam_[i] > 0 ? 1 : 0;
    for (int round = 0; round < kRounds; ++round) {
      H_.assign(B * B, 0);
      b_.assign(B, 0);
      for (size_t j = 0; j < B; ++j) {
        double v = a_[j];
        for (size_t i = 0; i < d_; ++i)
          if (free_[i]) v += G_[j * d_ + i] * centre_[i];
        b_[j] = v;
        for (size_t k = 0; k <= j; ++k) {
          double q = 0;
          for (size_t i = 0; i < d_; ++i)
            if (free_[i]) q += G_[j * d_ + i] * G_[k * d_ + i];
          H_[j * B + k] = H_[k * B + j] = t_ * q;
        }
      }
      double diag = 0;
      for (size_t j = 0; j < B; ++j) diag = std::max(diag, H_[j * B + j]);
      if (diag > 0) {
        for (size_t j = 0; j < B; ++j) H_[j * B + j] += 1e-10 * diag;
        simplex_qp(B);
      } else {
        // Nothing free: all weight on the highest cut at x = 0.
        size_t top = 0;
        for (size_t j = 1; j < B; ++j)
          if (b_[j] > b_[top]) top = j;
        std::fill(alpha_.begin(), alpha_.end(), 0.0);
        alpha_[top] = 1;
      }
      at(alpha_);
      bool same = true;
      for (size_t i = 0; i < d_; ++i) {
        const char f = lam_[i] > 0 ? 1 : 0;
        if (f != free_[i]) same = false, free_[i] = f;
      }
      if (same) break;
    }
  }

  // max b . alpha - alpha' H alpha / 2 over the unit simplex from the
  // feasible alpha_ (Nocedal & Wright, algorithm 16.3, with the support of
  // alpha as the working set's complement).
  void simplex_qp(size_t B) {
    for (int iter = 0; iter < 4 * static_cast<int>(B) + 10; ++iter) {
      S_.clear();
      for (size_t j = 0; j < B; ++j)
        if (alpha_[j] > 0) S_.push_back(j);
      // The optimum on the support: H beta = b - mu 1 with sum beta = 1,
      // through a Cholesky factor of H restricted to it.
      const size_t s = S_.size();
      L_.assign(s * s, 0);
      for (size_t p = 0; p < s; ++p)
        for (size_t q = 0; q <= p; ++q) {
          double v = H_[S_[p] * B + S_[q]];
          for (size_t r = 0; r < q; ++r) v -= L_[p * s + r] * L_[q * s + r];
          if (p != q) {
            L_[p * s + q] = v / L_[q * s + q];
          } else if (v > 0) {
            L_[p * s + p] = std::sqrt(v);
          } else {
            return;  // lost definiteness to rounding: keep the weights so far
          }
        }
      const auto solve = [&](std::vector<double>& v) {
        for (size_t p = 0; p < s; ++p) {
          for (size_t r = 0; r < p; ++r) v[p] -= L_[p * s + r] * v[r];
          v[p] /= L_[p * s + p];
        }
        for (size_t p = s; p-- > 0;) {
          for (size_t r = p + 1; r < s; ++r) v[p] -= L_[r * s + p] * v[r];
          v[p] /= L_[p * s + p];
        }
      };
      u_.assign(s, 0), w_.assign(s, 1);
      for (size_t p = 0; p < s; ++p) u_[p] = b_[S_[p]];
      solve(u_);  // H^-1 b
      solve(w_);  // H^-1 1
      double su = 0, sw = 0;
      for (size_t p = 0; p < s; ++p) su += u_[p], sw += w_[p];
      const double mu = (su - 1) / sw;
      // beta = H^-1 (b - mu 1); step towards it until a weight reaches 0,
      // which then leaves the support.
      double tau = 1;
      size_t block = s;
      for (size_t p = 0; p < s; ++p) {
        const double beta = u_[p] - mu * w_[p], cur = alpha_[S_[p]];
        if (beta < 0 && cur / (cur - beta) < tau) tau = cur / (cur - beta), block = p;
      }
      for (size_t p = 0; p < s; ++p) {
        const double beta = u_[p] - mu * w_[p];
        alpha_[S_[p]] = p == block ? 0.0 : std::max(0.0, alpha_[S_[p]] + tau * (beta - alpha_[S_[p]]));
      }
      if (block < s) continue;
      // Optimal on the support: the cut outside it that most violates
      // b_j - (H alpha)_j <= mu enters, if any.
      double worst = 1e-12 * std::max(1.0, std::abs(mu));
      size_t add = B;
      for (size_t j = 0; j < B; ++j) {
        if (alpha_[j] > 0) continue;
        double v = b_[j] - mu;
        for (size_t p = 0; p < s; ++p) v -= H_[j * B + S_[p]] * alpha_[S_[p]];
        if (v > worst) worst = v, add = j;
      }
      if (add == B) return;
      // A hair of weight puts it in the support; the next step on the
      // support sets its weight.
      alpha_[add] = std::numeric_limits<double>::min();
    }
  }

  static constexpr int kRounds = 8;
  bool started_ = false;
  size_t d_ = 0;
  double t_ = 1, fc_ = kInf, pred_ = 0;
  std::vector<double> centre_, a_, G_, alpha_;  // G_: one row of d_ per cut
  std::vector<int32_t> tags_;
  std::vector<double> lam_, grad_, H_, b_, L_, u_, w_;
  std::vector<char> free_;
  std::vector<size_t> S_;
};

// Relaxing "each case at most once" with multipliers lambda >= 0 leaves one
// independent 0/1 knapsack per worker (items: its usable cases, value
// priority x points - lambda, weight points, capacity its room, at most its
// free case slots):
//   L(lambda) = sum_j lambda_j + sum_i KP_i(lambda) >= stage 1's optimum
// for every lambda >= 0. Cases of equal priority, points and usable workers
// are interchangeable, so they share one constraint "at most |class| of
// these" and one multiplier (by symmetry the best multipliers are equal
// anyway); within a worker's knapsack, classes of equal points and reduced
// value merge into one item with a multiplicity. That removes the symmetric
// branches that make a plain branch and bound slow on a batch with many
// look-alike referrals.
//
// Each knapsack is solved exactly by depth-first branch and bound on the
// real-valued points (no rounding to a grid, so no validity caveat); one that
// exceeds its node allowance contributes its LP (Dantzig) bound instead,
// still an upper bound (its selection then makes an inexact cut for the
// bundle method: slower convergence, never an invalid bound). Multipliers
// start from the flow relaxation's price of a point and follow a proximal
// bundle method per component (ProxBundle): deterministic. Unlike the max-flow bound, which may split a case across
// the last points of a worker's room, this counts whole cases per worker,
// which is where the flow bound loses most in an over-subscribed batch.
class LagrangeBound {
 public:
  using Result = LagrangeResult;

  // `repair` turns the relaxed selection (case -> worker, -1 = none; a case
  // may be wanted by several workers, only the first keeps it) into a plan
  // and returns its value on the free cases, which becomes the new target
  // when higher (a Lagrangian heuristic).
  template <class Repair, class PlanAt>
  Result compute(const Problem& P, const State& pinned_state, double target, int64_t work_limit, Repair&& repair,
                 PlanAt&& plan_at) {
    Result res;
    const size_t m = P.w.size(), n = P.c.size();
    room_.assign(m, 0);
    slots_.assign(m, kInf);
    for (size_t wi = 0; wi < m; ++wi) {
      const WorkerInfo& k = P.w[wi];
      room_[wi] = std::max(0.0, k.limit + 1e-9 * std::max(1.0, std::abs(k.limit)) - pinned_state.pts[wi]);
      if (std::isfinite(k.max_cases)) slots_[wi] = std::floor(k.max_cases - pinned_state.cnt[wi] + 1e-9);
    }
    // Classes of interchangeable cases, in a deterministic order.
    std::vector<std::pair<std::vector<int32_t>, int32_t>> keyed;  // (usable workers, case)
    for (size_t i = 0; i < n; ++i) {
      const CaseInfo& j = P.c[i];
      if (j.pinned >= 0 || !(j.points > 0)) continue;
      std::vector<int32_t> use;
      for (int32_t wi : j.elig)
        if (j.points <= room_[wi] && slots_[wi] >= 1) use.push_back(wi);
      if (!use.empty()) keyed.emplace_back(std::move(use), static_cast<int32_t>(i));
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      const CaseInfo &x = P.c[a.second], &y = P.c[b.second];
      if (x.priority != y.priority) return x.priority > y.priority;
      if (x.points != y.points) return x.points > y.points;
      return a.first < b.first;
    });
    cls_.clear();
    for (size_t t = 0; t < keyed.size(); ++t) {
      const CaseInfo& j = P.c[keyed[t].second];
      if (t > 0 && keyed[t - 1].first == keyed[t].first && P.c[keyed[t - 1].second].priority == j.priority &&
          P.c[keyed[t - 1].second].points == j.points) {
        cls_.back().mult += 1;
        cls_.back().cases.push_back(keyed[t].second);
        continue;
      }
      cls_.push_back({j.value, j.points, j.priority, 1, keyed[t].first, {keyed[t].second}});
    }
    const size_t K = cls_.size();
    items_.assign(m, {});
    last_.assign(m, {});
    r_prev_.assign(m, {});
    value_prev_.assign(m, 0);
    solved_.assign(m, 0);
    for (size_t c = 0; c < K; ++c)
      for (int32_t wi : cls_[c].workers) items_[wi].push_back(static_cast<int32_t>(c));
    // Components of the class-worker graph (typically one per service area)
    // are independent problems, each with its own Lagrangian dual and its
    // own bundle method; the reported bound sums each component's best
    // value, which is at most the best value of the whole.
    comp_.resize(m);
    std::iota(comp_.begin(), comp_.end(), 0);
    const auto root = [&](int32_t x) {
      while (comp_[x] != x) x = comp_[x] = comp_[comp_[x]];
      return x;
    };
    for (const auto& c : cls_)
      for (int32_t wi : c.workers) {
        const int32_t a = root(c.workers.front()), b = root(wi);
        if (a != b) comp_[std::max(a, b)] = std::min(a, b);
      }
    for (size_t wi = 0; wi < m; ++wi) comp_[wi] = root(static_cast<int32_t>(wi));
    // Each component's classes, components in order of their first class.
    std::vector<int32_t> roots;
    std::vector<std::vector<int32_t>> comp_cls;
    std::vector<int32_t> slot(m, -1);  // representative worker -> index in roots
    for (size_t c = 0; c < K; ++c) {
      const int32_t k = comp_[cls_[c].workers.front()];
      if (slot[k] < 0) {
        slot[k] = static_cast<int32_t>(roots.size());
        roots.push_back(k);
        comp_cls.emplace_back();
      }
      comp_cls[slot[k]].push_back(static_cast<int32_t>(c));
    }
    const size_t C = roots.size();
    std::vector<double> comp_L(m), comp_best(m, kInf), comp_target(m, 0.0);
    std::vector<ProxBundle> bundles(C);
    std::vector<char> comp_done(C, 0);

    // Initial price of a point: the priority of the class that runs out of
    // room when cases are poured in by priority (the flow bound's order).
    double total_room = 0;
    for (size_t wi = 0; wi < m; ++wi)
      if (!items_[wi].empty()) total_room += room_[wi];
    double price = 0, poured = 0;
    for (const auto& c : cls_) {
      poured += c.points * c.mult;
      if (poured > total_room) {
        price = c.priority;
        break;
      }
    }
    std::vector<double> lambda(K), g(K), x, sub;
    for (size_t c = 0; c < K; ++c) lambda[c] = std::max(0.0, (cls_[c].priority - price) * cls_[c].points);

    int repairs = 0;
    std::vector<int32_t> proposal, last_proposal;
    std::vector<std::vector<Pick>> selections;  // iteration -> its knapsacks' selections
    std::map<std::pair<int32_t, int32_t>, double> copies;
    std::vector<std::pair<double, std::pair<int32_t, int32_t>>> by_weight;
    const double tol = 1e-9 * std::max(1.0, std::abs(target));
    for (int iter = 0; iter < kMaxIterations; ++iter) {
      double L = 0;
      std::fill(comp_L.begin(), comp_L.end(), 0.0);
      for (size_t c = 0; c < K; ++c) {
        L += lambda[c] * cls_[c].mult;
        comp_L[comp_[cls_[c].workers.front()]] += lambda[c] * cls_[c].mult;
        g[c] = cls_[c].mult;
      }
      picks_.clear();
      for (size_t wi = 0; wi < m; ++wi) {
        if (items_[wi].empty()) continue;
        const double v = knapsack(static_cast<int32_t>(wi), lambda, g);
        L += v;
        comp_L[comp_[wi]] += v;
        res.work += static_cast<int64_t>(items_[wi].size()) + nodes_;
      }
      selections.push_back(picks_);
      res.bound = std::min(res.bound, L);
      double by_comp = 0;
      for (int32_t k : roots) {
        comp_best[k] = std::min(comp_best[k], comp_L[k]);
        by_comp += comp_best[k];
      }
      res.bound = std::min(res.bound, by_comp);
      if (iter == 0) {
        // The plan's value in each component: the first proximity weight
        // is the Polyak step towards it.
        const std::vector<int32_t>& at = plan_at();
        for (size_t ci = 0; ci < n; ++ci)
          if (at[ci] >= 0 && P.c[ci].pinned < 0) comp_target[comp_[at[ci]]] += P.c[ci].value;
      }
      // Bundle steps per component; a converged one stays at its centre,
      // where its knapsacks are not solved again.
      bool moving = false;
      double predicted = 0;
      for (size_t b = 0; b < C; ++b) {
        if (comp_done[b]) continue;
        const int32_t k = roots[b];
        const auto& cl = comp_cls[b];
        x.resize(cl.size()), sub.resize(cl.size());
        for (size_t t = 0; t < cl.size(); ++t) x[t] = lambda[cl[t]], sub[t] = g[cl[t]];
        const double scale = std::max(comp_L[k] - comp_target[k], 1e-6 * std::max(1.0, std::abs(comp_L[k])));
        if (!bundles[b].step(x, comp_L[k], sub, scale, iter))
          comp_done[b] = 1;
        else
          predicted += bundles[b].predicted();
        moving = moving || !comp_done[b];
        for (size_t t = 0; t < cl.size(); ++t) lambda[cl[t]] = x[t];
      }
      // Lagrangian heuristic. The prox point's weights on the cuts, applied
      // to the knapsack selections that made them, estimate the primal
      // solution of the relaxation (fractional copies of a class per
      // worker): the most weighted pairs are proposed first, each rounded
      // to whole cases. The raw selection at one multiplier vector, where
      // the knapsacks tie near the optimum, repairs into worse plans.
      if (iter >= kRepairFrom && repairs < kMaxRepairs) {
        copies.clear();
        for (size_t b = 0; b < C; ++b)
          bundles[b].for_each_weight([&](int32_t it, double w) {
            for (const Pick& pk : selections[it])
              if (comp_[pk.wi] == roots[b]) copies[{pk.c, pk.wi}] += w * pk.q;
          });
        by_weight.clear();
        for (const auto& [key, v] : copies) by_weight.emplace_back(v, key);
        std::stable_sort(by_weight.begin(), by_weight.end(),
                         [](const auto& u, const auto& v) { return u.first > v.first; });
        proposal.assign(n, -1);
        for (const auto& [v, key] : by_weight) {
          auto q = static_cast<int32_t>(std::floor(v + 0.5));
          for (int32_t ci : cls_[key.first].cases)
            if (q > 0 && proposal[ci] < 0) {
              proposal[ci] = key.second;
              --q;
            }
        }
        // The same proposal repairs into the same plan (the repair draws no
        // random numbers).
        if (proposal != last_proposal) {
          ++repairs;
          target = std::max(target, repair(proposal));
          last_proposal = proposal;
        }
      }
      if (!moving || res.bound <= target + tol || res.work >= std::min(work_limit, kWorkCap)) break;
      // Converged for reporting purposes: the components' models predict
      // a decrease of less than kFlat of the remaining gap. (The rule of
      // the subgradient steps, less than 1% of the gap in the last 10
      // steps, let the bundle method run on 0.5 ms for 0.001% of the bound;
      // over the last 5 steps it stopped the small hand batch during its
      // first null steps, at the flow bound.)
      if (predicted < kFlat * (res.bound - target)) break;
    }
    // Summation order differs from the plan's: a hair of slack keeps the
    // bound valid under rounding.
    if (std::isfinite(res.bound)) res.bound += 1e-9 * std::max(1.0, std::abs(res.bound));
    return res;
  }

 private:
  struct Class {
    double value, points, priority;
    int32_t mult;
    std::vector<int32_t> workers;
    std::vector<int32_t> cases;  // ascending index
  };

  // Worker wi's knapsack under `lambda` (exact, or its LP bound past the
  // node allowance); subtracts the chosen counts from g, the subgradient.
  double knapsack(int32_t wi, const std::vector<double>& lambda, std::vector<double>& g) {
    // Unchanged reduced values (every multiplier of the worker's classes
    // stayed, typically at zero): the previous exact answer is still exact.
    std::vector<double>& r_prev = r_prev_[wi];
    bool same = solved_[wi] && r_prev.size() == items_[wi].size();
    for (size_t t = 0; t < items_[wi].size(); ++t) {
      const int32_t c = items_[wi][t];
      const double r = std::max(0.0, cls_[c].value - lambda[c]);
      if (same && r_prev[t] != r) same = false;
      if (!same) {
        r_prev.resize(items_[wi].size());
        r_prev[t] = r;
      }
    }
    if (same) {
      nodes_ = 0;
      for (const auto& [c, q] : last_[wi]) {
        g[c] -= q;
        picks_.push_back({wi, c, q});
      }
      return value_prev_[wi];
    }
    ks_.clear();
    for (int32_t c : items_[wi]) {
      const double r = cls_[c].value - lambda[c];
      if (r > 1e-12) ks_.add(r, cls_[c].points, cls_[c].mult, c);
    }
    // The previous step's selection stays feasible (dropping the classes
    // whose reduced value is no longer positive): a starting incumbent.
    double known = 0;
    for (const auto& [c, q] : last_[wi]) known += q * std::max(0.0, cls_[c].value - lambda[c]);
    const double v = ks_.solve(room_[wi], slots_[wi], kNodeLimit, known);
    nodes_ = ks_.nodes();
    solved_[wi] = ks_.exact();
    value_prev_[wi] = v;
    last_[wi].clear();
    ks_.for_each_taken([&](int32_t c, int32_t q) {
      g[c] -= q;
      picks_.push_back({wi, c, q});
      last_[wi].emplace_back(c, q);
    });
    return v;
  }

  static constexpr int kMaxIterations = 300;
  // Knapsack effort allowance (work units): about 12 bundle steps on a
  // 500 x 150 batch, many more on small ones, where steps are cheap. On the
  // 200 x 50 benchmark batch the convergence rule (kFlat) stops first,
  // after about 25 steps.
  static constexpr int64_t kWorkCap = 180000;
  static constexpr int kRepairFrom = 5, kMaxRepairs = 40;
  static constexpr double kFlat = 0.002;
  static constexpr int64_t kNodeLimit = 20000;
  std::vector<double> room_, slots_;
  std::vector<Class> cls_;
  std::vector<int32_t> comp_;                // worker -> representative worker of its component
  std::vector<std::vector<int32_t>> items_;  // worker -> usable classes
  knapsack::BranchAndBound ks_;
  std::vector<std::vector<std::pair<int32_t, int32_t>>> last_;  // worker -> previous (class, copies)
  struct Pick {
    int32_t wi, c, q;
  };
  std::vector<Pick> picks_;                  // this iteration's knapsack selections
  std::vector<std::vector<double>> r_prev_;  // worker -> reduced values at its last solve
  std::vector<double> value_prev_;           // worker -> value of its last solve
  std::vector<char> solved_;                 // worker -> last solve exact (and r_prev_ complete)
  int64_t nodes_ = 0;                        // nodes of the last knapsack call
};

}  // namespace

double flow_bound(const Problem& P, const State& pinned_state) {
  return FlowBound().compute(P, pinned_state);
}

LagrangeResult lagrangian_bound(const Problem& P, const State& pinned_state, double target, int64_t work_limit,
                                const std::function<double(const std::vector<int32_t>&)>& repair,
                                const std::function<const std::vector<int32_t>&()>& plan_at) {
  return LagrangeBound().compute(P, pinned_state, target, work_limit, repair, plan_at);
}

}  // namespace caseload::alloc
