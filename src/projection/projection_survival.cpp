// Case durations for the projection: the Kaplan-Meier estimator, the
// documented default curves per case type and conditional sampling.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/projection.hpp"
#include "projection/projection_internal.hpp"
#include "base/stats.hpp"

namespace caseload {

namespace projection_detail {

double Curve::at(double x) const {
  if (x <= 0) return 1;
  const size_t n = t.size();
  if (x >= t[n - 1]) {
    if (s[n - 1] <= 0) return 0;
    return s[n - 1] * std::exp(-(x - t[n - 1]) / tail_mean);
  }
  // First point with t > x.
  const size_t i = static_cast<size_t>(std::upper_bound(t.begin(), t.end(), x) - t.begin());
  if (step) return s[i - 1];
  const double f = (x - t[i - 1]) / (t[i] - t[i - 1]);
  return s[i - 1] + f * (s[i] - s[i - 1]);
}

double Curve::residual(double age, double u) const {
  age = std::max(0.0, age);
  const double sa = at(age);
  if (sa <= 1e-12) return -tail_mean * std::log(u);
  const double target = u * sa;
  const size_t n = t.size();
  if (target < s[n - 1]) {
    // In the exponential tail (only when s.back() > 0).
    const double x = t[n - 1] + tail_mean * std::log(s[n - 1] / target);
    return std::max(0.0, x - age);
  }
  // First index with s[i] <= target (s is non-increasing).
  const size_t i =
      static_cast<size_t>(std::partition_point(s.begin(), s.end(), [&](double v) { return v > target; }) - s.begin());
  double x = 0;
  if (step || i == 0) {
    x = t[i];
  } else {
    const double ds = s[i - 1] - s[i];
    x = ds > 0 ? t[i - 1] + (t[i] - t[i - 1]) * (s[i - 1] - target) / ds : t[i];
  }
  return std::max(0.0, x - age);
}

void Curve::finish() {
  double area = 0;
  for (size_t i = 1; i < t.size(); ++i) {
    const double dt = t[i] - t[i - 1];
    area += step ? s[i - 1] * dt : 0.5 * (s[i - 1] + s[i]) * dt;
  }
  mean = area + s.back() * tail_mean;
}

namespace {

// A histogram of durations (bin edges in days, shares in any unit) as a
// piecewise-linear survival curve.
Curve histogram(std::vector<double> edges, std::vector<double> shares) {
  Curve c;
  const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
  c.t.push_back(0);
  c.s.push_back(1);
  double cum = 0;
  if (edges.front() > 0) {  // no case closes before the first edge
    c.t.push_back(edges.front());
    c.s.push_back(1);
  }
  for (size_t i = 0; i < shares.size(); ++i) {
    cum += shares[i];
    c.t.push_back(edges[i + 1]);
    c.s.push_back(std::max(0.0, 1 - cum / total));
  }
  c.s.back() = 0;
  c.tail_mean = 91;  // only for cases already older than the histogram's support
  c.finish();
  return c;
}

}  // namespace

// Sources and assumptions are tabulated in docs/projection.md.
Curve default_curve(const std::string& type) {
  if (type == "child_protection")  // DfE CP plans ending in 2025 by length
    return histogram({0, 91, 182, 365, 730, 1095}, {15.9, 11.0, 43.5, 25.2, 4.4});
  if (type == "child_in_need")  // DfE: about half of CIN episodes end within 3 months
    return histogram({0, 91, 182, 365, 730, 1460}, {50, 20, 18, 9, 3});
  if (type == "assessment") return histogram({5, 63}, {1});  // 45 working days
  if (type == "pre_proceedings") return histogram({30, 200}, {1});
  if (type == "care_proceedings") return histogram({60, 182, 330}, {55, 45});  // 26-week target, often longer
  if (type == "looked_after")  // mean ~ 83,630 / 33,620 a year = 2.5 years (Little's law, DfE 2024)
    return histogram({0, 182, 365, 730, 1460, 2920, 5800}, {12, 12, 24, 28, 18, 6});
  if (type == "care_leaver") return histogram({30, 1800}, {1});
  if (type == "disabled_children") return histogram({90, 2200}, {1});
  if (type == "adult_assessment") return histogram({5, 60}, {1});
  if (type == "adult_review") return histogram({120, 1800}, {1});
  if (type == "adult_safeguarding") return histogram({5, 100}, {1});
  return histogram({0, 91, 182, 365, 730}, {30, 25, 30, 15});  // any other type: a generic assumption
}

Curve curve_from_km(const KaplanMeier& km) {
  Curve c;
  c.step = true;
  c.t.push_back(0);
  c.s.push_back(1);
  for (size_t i = 0; i < km.time.size(); ++i) {
    if (km.time[i] <= 0) {  // closed on the day it opened
      c.s[0] = km.survival[i];
      continue;
    }
    c.t.push_back(km.time[i]);
    c.s.push_back(km.survival[i]);
  }
  const double t_last = c.t.back(), s_last = c.s.back();
  // Beyond the last event, close at the hazard of the curve's last third
  // (from 2/3 of the last event time on): censored long cases neither stay
  // open for ever nor all close at once. The average hazard since 0 would
  // understate it for durations whose hazard rises with age (a fixed
  // review period, a plan reaching its end), and lengthen the tail.
  c.tail_mean = std::max(30.0, t_last);
  if (s_last > 0 && s_last < 1 && t_last > 0) {
    const double t_a = t_last * 2 / 3, s_a = c.at(t_a);
    c.tail_mean = s_a > s_last ? (t_last - t_a) / std::log(s_a / s_last) : t_last / -std::log(s_last);
  }
  c.finish();
  return c;
}

KaplanMeier kaplan_meier_delayed(const std::vector<double>& durations, const std::vector<bool>& closed,
                                 const std::vector<double>& entry) {
  // At risk at t: entered before t (entry < t) and not yet gone (duration >= t).
  std::vector<double> entries(entry), exits(durations), events;
  for (double& e : entries)
    if (e <= 0) e = -1;  // at risk from opening, including a closure on day 0
  for (size_t i = 0; i < durations.size(); ++i)
    if (closed[i]) events.push_back(durations[i]);
  std::sort(entries.begin(), entries.end());
  std::sort(exits.begin(), exits.end());
  std::sort(events.begin(), events.end());
  KaplanMeier km;
  km.n = static_cast<int64_t>(durations.size());
  double s = 1;
  size_t i = 0;
  while (i < events.size()) {
    const double t = events[i];
    size_t j = i;
    while (j < events.size() && events[j] == t) ++j;
    const auto entered = static_cast<double>(std::lower_bound(entries.begin(), entries.end(), t) - entries.begin());
    const auto gone = static_cast<double>(std::lower_bound(exits.begin(), exits.end(), t) - exits.begin());
    const double at_risk = entered - gone, d = static_cast<double>(j - i);
    if (at_risk > 0) {
      s *= std::max(0.0, 1 - d / at_risk);
      km.time.push_back(t);
      km.survival.push_back(s);
      km.events += static_cast<int64_t>(d);
    }
    i = j;
  }
  return km;
}

}  // namespace projection_detail

KaplanMeier kaplan_meier(const std::vector<double>& durations, const std::vector<bool>& closed) {
  if (durations.size() != closed.size())
    throw Error(ErrorCode::invalid_argument, "kaplan_meier: durations and closed differ in length (" +
                                                 std::to_string(durations.size()) + " and " +
                                                 std::to_string(closed.size()) + ")");
  for (size_t i = 0; i < durations.size(); ++i) {
    if (!std::isfinite(durations[i]) || durations[i] < 0)
      throw Error(ErrorCode::invalid_argument, "kaplan_meier: durations[" + std::to_string(i) +
                                                   "] must be finite and >= 0, got " + detail::num(durations[i]));
  }
  std::vector<size_t> order(durations.size());
  std::iota(order.begin(), order.end(), size_t{0});
  // Events before censorings at the same time: a case censored on day t was
  // still at risk on day t (the usual convention).
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (durations[a] != durations[b]) return durations[a] < durations[b];
    return closed[a] && !closed[b];
  });
  KaplanMeier km;
  km.n = static_cast<int64_t>(durations.size());
  double s = 1;
  auto at_risk = static_cast<double>(durations.size());
  size_t i = 0;
  while (i < order.size()) {
    const double t = durations[order[i]];
    double events = 0, leaving = 0;
    while (i < order.size() && durations[order[i]] == t) {
      events += closed[order[i]] ? 1 : 0;
      leaving += 1;
      ++i;
    }
    if (events > 0) {
      s *= 1 - events / at_risk;
      km.time.push_back(t);
      km.survival.push_back(s);
      km.events += static_cast<int64_t>(events);
    }
    at_risk -= leaving;
  }
  return km;
}

}  // namespace caseload
