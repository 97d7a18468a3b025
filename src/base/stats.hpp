// Private numeric helpers shared by the model, roll-ups and exceedance
// history: nearest-rank percentiles, fairness indices and number text for
// error messages and breakdown lines.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "caseload/model.hpp"

namespace caseload::detail {

/// Shortest text that reads back as the same double ("0.2", not
/// "0.20000000000000001"), so messages quote the value the user wrote.
inline std::string num(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

/// num() of `v` rounded to 6 decimals, for figures that are sums of
/// doubles (12.600000000000001 shows as 12.6).
inline std::string approx(double v) {
  if (!std::isfinite(v)) return num(v);
  return num(std::round(v * 1e6) / 1e6);
}

/// Nearest-rank quantile of ascending `sorted` (non-empty): the
/// ceil(fraction * n)-th smallest value, clamped to the first and last. The
/// product is taken less a relative 1e-12 so that a rank that is a whole
/// number in decimal is not pushed up by binary rounding (0.9 * 10 is
/// 9.000000000000002 in doubles, and must pick the 9th value, not the 10th).
/// The one percentile rule: the model's distributions (p10/p50/p90) and the
/// projection's quantiles both call it.
inline double nearest_rank(const std::vector<double>& sorted, double fraction) {
  const auto n = static_cast<double>(sorted.size());
  const double exact = fraction * n;
  const double rank = std::ceil(exact - 1e-12 * std::max(1.0, std::fabs(exact)));
  // `!(rank >= 1)` also catches NaN, whose conversion to an integer is undefined.
  const auto k = static_cast<int64_t>(!(rank >= 1.0) ? 1.0 : std::min(rank, n));
  return sorted[static_cast<size_t>(k - 1)];
}

/// Nearest-rank percentile: nearest_rank(sorted, pct / 100).
inline double nearest_rank(const std::vector<double>& sorted, int pct) {
  return nearest_rank(sorted, pct / 100.0);
}

/// Distribution of `values` (sorted in place). All zero when empty.
inline Distribution distribution(std::vector<double>& values) {
  Distribution d;
  d.n = static_cast<int64_t>(values.size());
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  d.p10 = nearest_rank(values, 10);
  d.p50 = nearest_rank(values, 50);
  d.p90 = nearest_rank(values, 90);
  d.max = values.back();
  double sum = 0;
  for (double v : values) sum += v;
  d.mean = sum / static_cast<double>(values.size());
  return d;
}

/// Gini coefficient of non-negative, ascending `sorted`:
/// sum_i (2i - n - 1) x_i / (n sum x), i = 1..n. 0 when empty or all zero.
inline double gini_sorted(const std::vector<double>& sorted) {
  const auto n = static_cast<double>(sorted.size());
  double sum = 0, weighted = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    sum += sorted[i];
    weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * sorted[i];
  }
  if (sorted.empty() || sum <= 0) return 0;
  return weighted / (n * sum);
}

/// Jain's fairness index (sum x)^2 / (n sum x^2). 1 when empty or all zero
/// (an all-idle group is perfectly even).
inline double jain(const std::vector<double>& values) {
  double sum = 0, sq = 0;
  for (double v : values) {
    sum += v;
    sq += v * v;
  }
  if (values.empty() || sq <= 0) return 1;
  return sum * sum / (static_cast<double>(values.size()) * sq);
}

}  // namespace caseload::detail
