// Private pieces of the capacity projection shared by its source files:
// survival curves, the counter-based random numbers and validation helpers.
// Not API.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "base/random.hpp"
#include "caseload/projection.hpp"

namespace caseload::projection_detail {

/// Average days in a month (365.25 / 12): month m of the projection ends
/// round(m * kDaysPerMonth) days after as_of.
constexpr double kDaysPerMonth = 30.4375;

/// Counter-based random numbers keyed by (seed, path, stream, a, b)
/// (base/random.hpp): common random numbers across scenarios and threads.
using random::CounterRng;

/// A survival curve S(t), t in days since opening.
/// step: S drops at each time (Kaplan-Meier); otherwise S is linear between
/// the points (a histogram of durations). Beyond the last point S decays
/// exponentially with mean residual `tail_mean` when the last value is > 0.
struct Curve {
  std::vector<double> t, s;  // t[0] = 0, s[0] = 1, t increasing, s non-increasing
  bool step = false;
  double tail_mean = 91;  // days
  double mean = 0;        // days, including the tail

  [[nodiscard]] double at(double x) const;
  /// Residual life of a case aged `age` days: solves S(age + r) = u * S(age).
  /// A case older than the curve's support closes after an exponential
  /// residual with mean tail_mean.
  [[nodiscard]] double residual(double age, double u) const;
  void finish();  // computes mean
};

/// The documented default duration curve of a case type (docs/projection.md).
Curve default_curve(const std::string& case_type);
/// Kaplan-Meier with delayed entry (left truncation): row i is at risk only
/// from age entry[i] on. Cases opened before the durations table's window
/// are in it only because they survived into it; counting them at risk from
/// age 0 would overstate survival.
KaplanMeier kaplan_meier_delayed(const std::vector<double>& durations, const std::vector<bool>& closed,
                                 const std::vector<double>& entry);
/// A Kaplan-Meier curve with an exponential tail at its last hazard.
Curve curve_from_km(const KaplanMeier& km);

}  // namespace caseload::projection_detail
