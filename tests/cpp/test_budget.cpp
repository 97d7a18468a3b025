// The searches' effort budget (src/base/budget.hpp): work units, phases and
// the optional wall-clock deadline, with known answers.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <thread>

#include "base/budget.hpp"

namespace {

using caseload::work::Budget;

TEST(Budget, SpendingPastTheLimitStops) {
  Budget b(100, std::nullopt);
  EXPECT_FALSE(b.exhausted());
  b.spend(99);
  EXPECT_FALSE(b.exhausted());
  EXPECT_TRUE(b.left());
  EXPECT_EQ(b.remaining(), 1);
  b.spend(5);
  EXPECT_TRUE(b.exhausted());
  EXPECT_FALSE(b.left());
  EXPECT_EQ(b.used(), 104);
  EXPECT_EQ(b.remaining(), 0);
  EXPECT_FALSE(b.timed_out());
  EXPECT_EQ(b.seconds_left(), std::nullopt);
}

TEST(Budget, ZeroWorkIsExhaustedAtOnce) {
  Budget b(0, std::nullopt);
  EXPECT_TRUE(b.exhausted());
}

TEST(Budget, PhaseEndsBeforeTheLimit) {
  Budget b(1000, std::nullopt);
  b.spend(100);
  b.set_phase_end(b.used() + 50);
  EXPECT_EQ(b.phase_remaining(), 50);
  b.spend(50);
  EXPECT_TRUE(b.exhausted());
  EXPECT_EQ(b.remaining(), 850);
  b.clear_phase();
  EXPECT_FALSE(b.exhausted());
  EXPECT_EQ(b.phase_remaining(), 850);
  b.set_phase_end(5000);  // never past the overall limit
  EXPECT_EQ(b.phase_remaining(), 850);
}

TEST(Budget, DeadlineInThePastStops) {
  for (const double seconds : {0.0, -1.0, std::nan("")}) {  // NaN and negative: already past
    Budget b(std::numeric_limits<int64_t>::max(), seconds);
    EXPECT_TRUE(b.exhausted()) << seconds;
    EXPECT_TRUE(b.timed_out()) << seconds;
    EXPECT_EQ(b.seconds_left(), 0.0) << seconds;
  }
}

TEST(Budget, DeadlinePassingDuringTheRunStops) {
  Budget b(std::numeric_limits<int64_t>::max(), 0.01, 1);
  EXPECT_FALSE(b.timed_out());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  b.spend(1);
  EXPECT_TRUE(b.exhausted());
  EXPECT_TRUE(b.timed_out());
  EXPECT_GE(b.elapsed_seconds(), 0.01);
}

// The clock is read only once `clock_every` units were spent since the last
// reading: a deadline that passed in between is noticed at the next one.
TEST(Budget, ClockIsReadOnlyEveryClockEveryUnits) {
  Budget b(std::numeric_limits<int64_t>::max(), 0.2, 1000);
  EXPECT_FALSE(b.exhausted());  // reads the clock at 0 units: 0.2 s left
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  b.spend(999);
  EXPECT_FALSE(b.exhausted());  // no reading before 1000 units
  b.spend(1);
  EXPECT_TRUE(b.exhausted());
  EXPECT_TRUE(b.timed_out());
}

TEST(Budget, VeryLongOrInfiniteLimitsMeanNoDeadline) {
  for (const double seconds : {std::numeric_limits<double>::infinity(), 1e300, 2e9}) {
    Budget b(10, seconds, 1);
    EXPECT_EQ(b.seconds_left(), std::nullopt) << seconds;
    EXPECT_FALSE(b.exhausted()) << seconds;
    b.spend(10);
    EXPECT_TRUE(b.exhausted()) << seconds;
    EXPECT_FALSE(b.timed_out()) << seconds;
  }
  Budget b(10, 3600.0);
  ASSERT_TRUE(b.seconds_left().has_value());
  EXPECT_GT(*b.seconds_left(), 3500.0);
}

}  // namespace
