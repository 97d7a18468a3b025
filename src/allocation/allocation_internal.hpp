// Private helpers shared by the allocation sources. Not API.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "caseload/scheme.hpp"

namespace caseload::alloc {

/// `"W17"` quoted as JSON, cut to 64 bytes, for messages.
std::string quoted(std::string_view s);
/// A number with up to `digits` decimals, trailing zeros dropped ("6.7", "100").
std::string num(double v, int digits = 2);
/// A fraction as a whole percentage ("104%"); "inf%" never appears: +inf prints "over capacity (no capacity)".
std::string pct(double fraction);

/// Utilisation of `points` on `capacity` (+inf when capacity is 0 and points > 0).
inline double utilisation(double points, double capacity) {
  if (capacity > 0) return points / capacity;
  return points > 0 ? HUGE_VAL : 0.0;
}

Band band_of(double utilisation, const Thresholds& t);

/// Stops a search by work units (deterministic) or, when set, by wall time.
class Budget {
 public:
  Budget(int64_t work_limit, std::optional<double> time_limit_seconds)
      : limit_(work_limit), time_limit_(time_limit_seconds), start_(std::chrono::steady_clock::now()) {}
  /// Adds `units` of work; true while the budget lasts.
  bool spend(int64_t units) {
    work_ += units;
    if (work_ >= limit_) return false;
    if (time_limit_ && (work_ >> 12) != (checked_ >> 12)) {
      checked_ = work_;
      if (seconds() >= *time_limit_) {
        timed_out_ = true;
        return false;
      }
    }
    return !timed_out_;
  }
  [[nodiscard]] bool left() const { return work_ < limit_ && !timed_out_; }
  [[nodiscard]] int64_t work() const { return work_; }
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  int64_t limit_;
  std::optional<double> time_limit_;
  std::chrono::steady_clock::time_point start_;
  int64_t work_ = 0;
  int64_t checked_ = 0;
  bool timed_out_ = false;
};

/// Validates a utilisation cap option; `where` names the call.
void check_cap(const std::optional<double>& cap, std::string_view where);

}  // namespace caseload::alloc
