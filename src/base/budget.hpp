// Private: the effort budget of the searches (the GAP solver, the allocation
// optimiser and its rebalancing). Effort is counted in work units that the
// code spends as it works, so a run stops at the same point on every machine;
// an optional wall-clock deadline, off by default, is the only thing that
// makes a result depend on the machine's speed. Not API.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "caseload/execution.hpp"

namespace caseload::work {

class Budget {
 public:
  using Clock = std::chrono::steady_clock;
  /// Default spacing of clock readings, in work units.
  static constexpr int64_t kClockEvery = 4096;
  /// Longer time limits than this (about 31 years) mean no deadline: the
  /// clock's duration type could not hold them.
  static constexpr double kMaxSeconds = 1e9;

  /// `limit` work units; `seconds`, when set, a wall-clock limit from now.
  /// Callers reject non-finite and negative limits where they validate their
  /// options; here NaN or a negative value is a deadline already past and
  /// anything over kMaxSeconds (+inf included) none, so nothing overflows.
  /// The clock is read at most once per `clock_every` units spent, so it is
  /// never a hot path.
  /// `cancel`, when set, is read on the same spacing as the clock (and on
  /// the first check): a requested token exhausts the budget and sets
  /// cancelled(), so the search stops where it stands and the caller throws.
  Budget(int64_t limit, std::optional<double> seconds, int64_t clock_every = kClockEvery,
         const Cancel* cancel = nullptr)
      : limit_(limit),
        phase_end_(limit),
        clock_every_(clock_every > 0 ? clock_every : 1),
        start_(Clock::now()),
        cancel_(cancel) {
    if (seconds) {
      const double s = *seconds >= 0 ? *seconds : 0.0;  // NaN too
      if (s <= kMaxSeconds)
        deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    }
  }

  void spend(int64_t units) { used_ += units; }
  /// True once the units spent reach the limit (or the phase end), or the
  /// deadline has passed.
  bool exhausted() {
    if (used_ >= phase_end_ || timed_out_ || cancelled_) return true;
    if (cancel_ != nullptr && used_ >= next_cancel_check_) {
      next_cancel_check_ = used_ + clock_every_;
      if (cancel_->requested()) {
        cancelled_ = true;
        return true;
      }
    }
    if (deadline_ && used_ >= next_clock_check_) {
      next_clock_check_ = used_ + clock_every_;
      if (Clock::now() >= *deadline_) {
        timed_out_ = true;
        return true;
      }
    }
    return false;
  }
  /// !exhausted(): the search may go on.
  bool left() { return !exhausted(); }

  int64_t used() const { return used_; }
  int64_t limit() const { return limit_; }
  int64_t remaining() const { return used_ >= limit_ ? 0 : limit_ - used_; }
  /// The deadline was found passed.
  bool timed_out() const { return timed_out_; }
  /// The cancel token was found requested.
  bool cancelled() const { return cancelled_; }
  const Cancel* cancel() const { return cancel_; }

  /// A phase: a sub-budget ending at `end` units (never past the limit).
  void set_phase_end(int64_t end) { phase_end_ = end < limit_ ? end : limit_; }
  void clear_phase() { phase_end_ = limit_; }
  /// What is left before the current phase ends.
  int64_t phase_remaining() const { return used_ >= phase_end_ ? 0 : phase_end_ - used_; }

  /// Wall time since the budget was made.
  double elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  /// Seconds to the deadline (at least 0), for a sub-budget; none without one.
  std::optional<double> seconds_left() const {
    if (!deadline_) return std::nullopt;
    if (timed_out_) return 0.0;
    const double left = std::chrono::duration<double>(*deadline_ - Clock::now()).count();
    return left > 0 ? left : 0.0;
  }

 private:
  int64_t used_ = 0;
  int64_t limit_;
  int64_t phase_end_;
  int64_t clock_every_;
  int64_t next_clock_check_ = 0;
  bool timed_out_ = false;
  Clock::time_point start_;
  std::optional<Clock::time_point> deadline_;
  const Cancel* cancel_ = nullptr;
  int64_t next_cancel_check_ = 0;
  bool cancelled_ = false;
};

}  // namespace caseload::work
