// The knapsack kernels (base/knapsack.hpp).
#include "base/knapsack.hpp"

#include <algorithm>
#include <cmath>

namespace caseload::knapsack {

double IntegerDP::solve(const double* weight, const double* profit, size_t count, size_t cap) {
  count_ = count;
  width_ = cap + 1;
  w_.resize(count);
  rows_.resize((count + 1) * width_);
  std::fill(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(width_), 0.0);
  for (size_t q = 0; q < count; ++q) {
    const size_t w = static_cast<size_t>(weight[q]);
    const double pr = profit[q];
    w_[q] = w;
    const double* __restrict cur = &rows_[q * width_];
    double* __restrict nxt = &rows_[(q + 1) * width_];
    const size_t split = std::min(w, width_);
    for (size_t c = 0; c < split; ++c) nxt[c] = cur[c];
    for (size_t c = split; c < width_; ++c) nxt[c] = std::max(cur[c], cur[c - w] + pr);
  }
  return last_row()[cap];
}

double BranchAndBound::solve(double cap, double slots, int64_t node_limit, double known) {
  // Density order; ties by weight, value, then tag: deterministic.
  std::sort(in_.begin(), in_.end(), [](const In& a, const In& b) {
    const double da = a.r * b.p, db = b.r * a.p;
    if (da != db) return da > db;
    if (a.p != b.p) return a.p < b.p;
    if (a.r != b.r) return a.r > b.r;
    return a.tag < b.tag;
  });
  it_.clear();
  for (size_t t = 0; t < in_.size(); ++t) {
    if (!it_.empty() && it_.back().r == in_[t].r && it_.back().p == in_[t].p) {
      it_.back().mult += in_[t].mult;
      it_.back().count += 1;
    } else {
      it_.push_back({in_[t].r, in_[t].p, in_[t].mult, static_cast<int32_t>(t), 1});
    }
  }
  const size_t k = it_.size();
  pw_.assign(k + 1, 0);
  pv_.assign(k + 1, 0);
  dens_.resize(k);
  inv_p_.resize(k);
  for (size_t x = 0; x < k; ++x) {
    dens_[x] = it_[x].r / it_[x].p;
    inv_p_[x] = 1 / it_[x].p;
    pw_[x + 1] = pw_[x] + it_[x].p * it_[x].mult;
    pv_[x + 1] = pv_[x] + it_[x].r * it_[x].mult;
  }
  best_ = known > 0 ? known * (1 - 1e-9) - 1e-12 : 0.0;
  nodes_ = 0;
  limit_ = node_limit;
  aborted_ = false;
  slots_ = slots;
  take_.assign(k, 0);
  take_best_.assign(k, 0);
  size_t y0 = 0;
  const double root = dantzig(0, cap, y0);
  dfs(0, cap, 0, 0);
  value_ = aborted_ ? std::max(best_, root) : best_;
  return value_;
}

double BranchAndBound::dantzig(size_t x, double c, size_t& y) const {
  const size_t k = it_.size();
  const double target = pw_[x] + c;
  // Largest y in [x - 1, k] with pw_[y] <= target (x - 1 only when
  // pw_[x] > target, which rounding in c can cause).
  auto h = static_cast<std::ptrdiff_t>(std::clamp(y, x, k));
  const auto lo = static_cast<std::ptrdiff_t>(x);
  while (h >= lo && pw_[static_cast<size_t>(h)] > target) --h;
  while (static_cast<size_t>(h + 1) <= k && pw_[static_cast<size_t>(h + 1)] <= target) ++h;
  y = static_cast<size_t>(h);
  double v = pv_[y] - pv_[x];
  // Density times room rather than value times room over weight: one
  // division less per node, and a bound that differs in the last bits only
  // (the cut test has a 1e-12 relative margin).
  if (y < k) v += dens_[y] * std::max(0.0, c - (pw_[y] - pw_[x]));
  return v;
}

bool BranchAndBound::dfs(size_t x, double c, double v, double cnt, size_t y) {
  if (aborted_) return false;
  if (++nodes_ > limit_) {
    aborted_ = true;
    return false;
  }
  if (v > best_) {
    best_ = v;
    take_best_ = take_;
  }
  if (x == it_.size() || cnt >= slots_) return false;
  if (v + dantzig(x, c, y) <= best_ + 1e-12 * std::max(1.0, best_)) return true;
  // Most copies first (the greedy choice), down to none.
  const double fit = std::floor(c * inv_p_[x] + 1e-12);
  const auto most = static_cast<int32_t>(std::min({static_cast<double>(it_[x].mult), fit, slots_ - cnt}));
  for (int32_t q = most; q >= 0; --q) {
    if (q > 0 && it_[x].p * q > c) continue;  // rounding in `fit`
    take_[x] = q;
    if (dfs(x + 1, c - it_[x].p * q, v + it_[x].r * q, cnt + q, y)) {
      // Item x is at least as dense as every later one, so a child with
      // fewer copies has an LP bound no higher: it would be cut too. They
      // are counted as visited, which keeps the work units (and so where
      // the Lagrangian bound stops) as they were.
      nodes_ += q;
      if (nodes_ > limit_) {
        nodes_ = limit_ + 1;
        aborted_ = true;
      }
      break;
    }
    if (aborted_) break;
  }
  take_[x] = 0;
  return false;
}

}  // namespace caseload::knapsack
