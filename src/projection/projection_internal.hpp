// Private pieces of the capacity projection shared by its source files:
// survival curves, the counter-based random numbers and validation helpers.
// Not API.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "caseload/projection.hpp"

namespace caseload::projection_detail {

/// Average days in a month (365.25 / 12): month m of the projection ends
/// round(m * kDaysPerMonth) days after as_of.
constexpr double kDaysPerMonth = 30.4375;

inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Counter-based random numbers: the stream of (seed, path, stream, a, b)
/// is a pure function of those keys, so a path's numbers do not depend on
/// which thread runs it or on what other paths drew, and a scenario that
/// changes one part of the model (more referrals) leaves every other draw
/// unchanged (common random numbers).
class CounterRng {
 public:
  CounterRng(uint64_t seed, uint64_t path, uint64_t stream, uint64_t a = 0, uint64_t b = 0) {
    uint64_t h = mix64(seed + 0x9E3779B97F4A7C15ull);
    h = mix64(h ^ (path + 0x632BE59BD9B4E019ull));
    h = mix64(h ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull));
    h = mix64(h ^ (a * 0xAEF17502108EF2D9ull + 0x1B03738712FAD5C9ull));
    key_ = mix64(h ^ (b * 0x9FB21C651E98DF25ull + 0x4F1BBCDCBFA53E0Bull));
  }
  uint64_t next() { return mix64(key_ + 0x9E3779B97F4A7C15ull * ++counter_); }
  /// Uniform in (0, 1): never 0, so logs and conditional targets are safe.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  /// Poisson(mean): inversion for small means, a rounded normal for large
  /// ones (mean >= 60, where the error is far below Monte Carlo noise).
  int64_t poisson(double mean);
  double normal();

 private:
  uint64_t key_ = 0;
  uint64_t counter_ = 0;
};

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
