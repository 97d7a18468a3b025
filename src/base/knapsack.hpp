// Private: the 0/1 knapsack kernels every solver in caseload uses (one place
// for them, as OR-Tools keeps one knapsack solver for all its callers).
// Not API.
//
// Two kernels, because the two kinds of knapsack in caseload need two
// algorithms:
//
//   IntegerDP          integer weights and capacity, one copy of each item:
//                      dynamic programming over capacities, every row kept.
//                      The GAP solver's Lagrangian bound and its branch and
//                      bound (src/gap/gap_bound.cpp) use it: they need the
//                      exact value at every smaller capacity too (the last
//                      row), which only the DP gives.
//   BranchAndBound     real-valued weights (case points, never rounded to a
//                      grid), items with multiplicities and a limit on the
//                      number of items taken: depth-first branch and bound
//                      with Dantzig bounds and a node allowance. The
//                      allocation optimiser's Lagrangian bound and its
//                      per-worker repacking use it; a DP would need a grid.
//
// Both maximise total profit subject to the capacity, take an item only
// where it strictly improves (so equal-valued selections resolve the same
// way on every run), and are deterministic.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace caseload::knapsack {

/// Exact 0/1 knapsack on integer weights by dynamic programming over the
/// capacities 0..cap, one row per item. Each row is a branch-free maximum of
/// the row before (row q+1 at c = max(row q at c, row q at c - w_q + p_q)),
/// which the compiler vectorises (an in-place row would alias) and which
/// does not mispredict near the optimum, where the comparison is a coin
/// toss. The selection is read back from where consecutive rows differ, so
/// no separate take table is kept. Cost: count * (cap + 1) cells.
class IntegerDP {
 public:
  /// Items q = 0..count-1 of weight `weight[q]` (a non-negative integer,
  /// held in a double) and profit `profit[q]` (> 0); capacity `cap`. Returns
  /// the optimum at capacity `cap`.
  double solve(const double* weight, const double* profit, size_t count, size_t cap);

  /// After solve(): the optimum at every capacity 0..cap over all the items
  /// (width() entries).
  [[nodiscard]] const double* last_row() const { return rows_.data() + count_ * width_; }
  [[nodiscard]] size_t width() const { return width_; }

  /// After solve(): calls f(q) for each item of the optimal selection at
  /// capacity cap, from the last item to the first. An item is in it where
  /// it strictly raised its row.
  template <class F>
  void for_each_chosen(F&& f) const {
    size_t c = width_ - 1;
    for (size_t q = count_; q-- > 0;)
      if (rows_[(q + 1) * width_ + c] != rows_[q * width_ + c]) {
        f(q);
        c -= w_[q];
      }
  }

 private:
  std::vector<double> rows_;
  std::vector<size_t> w_;
  size_t count_ = 0, width_ = 0;
};

/// Exact 0/1 knapsack with item multiplicities and a cardinality limit, by
/// depth-first branch and bound on real-valued weights (no grid). Items of
/// equal value and weight merge into one item with a multiplicity, which
/// removes the symmetric branches that make a plain branch and bound slow on
/// a batch of look-alike referrals. Past the node allowance the search stops
/// and value() is the root LP (Dantzig) bound, still an upper bound, while
/// the selection is the best found.
class BranchAndBound {
 public:
  void clear() { in_.clear(); }
  /// An item of value r > 0 and weight p > 0, `mult` copies, named by `tag`.
  void add(double r, double p, int32_t mult, int32_t tag) { in_.push_back({r, p, mult, tag}); }

  /// Solves for capacity `cap` and at most `slots` items; returns value().
  /// `known`: the value of a selection known to be feasible (0 if none);
  /// the search starts just below it, which prunes early and still finds a
  /// selection at least as good.
  double solve(double cap, double slots, int64_t node_limit, double known = 0);
  [[nodiscard]] double value() const { return value_; }  ///< exact, or an upper bound when !exact()
  [[nodiscard]] double best() const { return best_; }    ///< value of the selection
  [[nodiscard]] bool exact() const { return !aborted_; }
  [[nodiscard]] int64_t nodes() const { return nodes_; }
  /// Calls f(tag, copies) for the selection, copies spread over the merged
  /// items' tags in order.
  template <class F>
  void for_each_taken(F&& f) const {
    for (size_t x = 0; x < it_.size(); ++x) {
      int32_t left = take_best_[x];
      for (int32_t t = 0; t < it_[x].count && left > 0; ++t) {
        const In& i = in_[it_[x].first + t];
        const int32_t q = std::min(left, i.mult);
        f(i.tag, q);
        left -= q;
      }
    }
  }

 private:
  // LP bound of items x.. with capacity c (the cardinality limit is ignored,
  // which can only raise it).
  // `y` on entry: a guess of the critical item (the parent node's), which a
  // child's is usually at or just after; on return the critical item. The
  // walk from the guess finds the same index as a binary search from x.
  [[nodiscard]] double dantzig(size_t x, double c, size_t& y) const;
  // True when the node was cut by its LP bound.
  bool dfs(size_t x, double c, double v, double cnt, size_t y = 0);

  struct In {
    double r, p;
    int32_t mult, tag;
  };
  struct Item {
    double r, p;
    int32_t mult;
    int32_t first;  // into in_: the merged inputs
    int32_t count;
  };
  std::vector<In> in_;
  std::vector<Item> it_;
  std::vector<double> pw_, pv_, dens_, inv_p_;
  std::vector<int32_t> take_, take_best_;
  double best_ = 0, value_ = 0, slots_ = std::numeric_limits<double>::infinity();
  int64_t nodes_ = 0, limit_ = 0;
  bool aborted_ = false;
};

}  // namespace caseload::knapsack
