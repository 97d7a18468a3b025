// Shared pieces of the GAP solver (src/gap*.cpp): bounds rounding, the work
// budget, feasibility and the incumbent. Internal: nothing here is exported.
#include <algorithm>
#include <chrono>
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

Budget::Budget(int64_t limit, std::optional<double> seconds) : limit_(limit), phase_end_(limit) {
  if (seconds)
    deadline_ = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                       std::chrono::duration<double>(*seconds));
}

std::optional<double> Budget::seconds_left() const {
  if (!deadline_) return std::nullopt;
  if (timed_out_) return 0.0;
  const double left = std::chrono::duration<double>(*deadline_ - std::chrono::steady_clock::now()).count();
  return left > 0 ? left : 0.0;
}

bool Budget::exhausted() {
  if (used_ >= phase_end_ || timed_out_) return true;
  if (deadline_ && used_ >= next_clock_check_) {
    next_clock_check_ = used_ + 200'000;
    if (std::chrono::steady_clock::now() >= *deadline_) {
      timed_out_ = true;
      return true;
    }
  }
  return false;
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

}  // namespace caseload::gap_detail
