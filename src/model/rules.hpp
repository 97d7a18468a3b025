// Private: the rules of a safe workload, in one place. The model, the
// allocation optimiser, the capacity projection, the health check and the
// league table call these and never restate them (docs/architecture.md).
//
// Units: points (the scheme's weighted workload), hours per week, FTE as
// contracted hours over the scheme's standard hours.
#pragma once

#include <cmath>
#include <limits>

#include "caseload/model.hpp"
#include "caseload/records.hpp"
#include "caseload/scheme.hpp"

namespace caseload::rules {

/// Documented ranges of the points a scheme or a record may give
/// (docs/scheme_format.md). They keep every figure finite: without them a
/// task worth 1e300 points, a target of 1e-320 points or a product of large
/// multipliers overflowed to infinity, and reports said null or "inf".
/// Any points value: a case type's base_points, an added factor, a task's
/// points (in the scheme or on a case), in [0, kMaxPoints].
constexpr double kMaxPoints = 1e6;
/// A capacity's target_points, in [kMinTargetPoints, kMaxPoints]: far below
/// any real scheme (the default's is 100), far above the smallest double.
constexpr double kMinTargetPoints = 0.01;
/// A multiplying factor's value, in (0, kMaxMultiplier], and the product of
/// one case's multiplying factors, at most kMaxPoints.
constexpr double kMaxMultiplier = 100;

/// Utilisation of `points` on `capacity` (a fraction: 1.0 is the safe
/// capacity). With no capacity (zero, negative or NaN) any work at all is
/// infinitely over it, and no work is 0: a worker on full-time leave who
/// still holds a case is over, one who holds nothing is not.
inline double utilisation(double points, double capacity) noexcept {
  if (capacity > 0) return points / capacity;
  return points > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

/// Band of a utilisation under a service area's thresholds: green below
/// `green_below`, amber up to and including `amber_to`, red up to and
/// including `excessive_above`, excessive above. An unknown (NaN)
/// utilisation is excessive: a figure that cannot be computed is never
/// reported as safe.
inline Band band_of(double utilisation, const Thresholds& t) noexcept {
  if (utilisation < t.green_below) return Band::green;
  if (utilisation <= t.amber_to) return Band::amber;
  if (utilisation <= t.excessive_above) return Band::red;
  return Band::excessive;  // also NaN, for which every comparison above is false
}

/// Hours per week one reduction takes: a percentage of the contracted
/// hours, or hours.
inline double reduction_hours(const Reduction& r, double contracted_hours) noexcept {
  return r.percent ? *r.percent / 100.0 * contracted_hours : r.hours.value_or(0);
}

/// Hours per week of a worker's reductions in force on `date`.
inline double reduction_hours_on(const Worker& w, Date date) noexcept {
  double hours = 0;
  for (const Reduction& r : w.reductions)
    if (r.active_on(date)) hours += reduction_hours(r, w.contracted_hours);
  return hours;
}

/// Capacity in points of a worker with `available_hours` of their
/// `contracted_hours` left after reductions, before the role's cap.
inline double capacity_before_role_cap(const CapacityPolicy& policy, double contracted_hours,
                                       double available_hours) noexcept {
  if (policy.kind == CapacityPolicy::Kind::hours) return policy.target_points * available_hours / policy.standard_hours;
  return policy.target_points * (contracted_hours / policy.standard_hours) * (available_hours / contracted_hours);
}

/// The steps from available hours to capacity in points, so a breakdown can
/// show each: the capacity before the role's cap; times the role's
/// `capacity_cap` (this is where ASYE protection is applied, once: an ASYE's
/// protected caseload is the role cap, not a second reduction); floored to
/// whole points when the scheme says so.
struct CapacitySteps {
  double before_role_cap = 0;
  double after_role_cap = 0;
  double points = 0;  ///< the capacity
};

inline CapacitySteps capacity_steps(const CapacityPolicy& policy, double contracted_hours, double available_hours,
                                    double role_cap) noexcept {
  CapacitySteps s;
  s.before_role_cap = capacity_before_role_cap(policy, contracted_hours, available_hours);
  s.after_role_cap = s.before_role_cap * role_cap;
  s.points = policy.round_down ? std::floor(s.after_role_cap) : s.after_role_cap;
  return s;
}

/// Capacity in points (capacity_steps(...).points).
inline double capacity_points(const CapacityPolicy& policy, double contracted_hours, double available_hours,
                              double role_cap) noexcept {
  return capacity_steps(policy, contracted_hours, available_hours, role_cap).points;
}

}  // namespace caseload::rules
