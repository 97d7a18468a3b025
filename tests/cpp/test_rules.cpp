// The rules core (src/model/rules.hpp): band, utilisation, reduction hours,
// capacity and the one percentile rule, by hand; and the places that used to
// restate them (the model's loads and roll-ups, the capacity projection's
// "now") agreeing with it.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "base/stats.hpp"
#include "caseload/allocation.hpp"
#include "caseload/model.hpp"
#include "caseload/projection.hpp"
#include "caseload/synthetic.hpp"
#include "model/rules.hpp"

namespace caseload {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Rules, UtilisationOfPointsOverCapacity) {
  EXPECT_DOUBLE_EQ(rules::utilisation(50, 100), 0.5);
  EXPECT_DOUBLE_EQ(rules::utilisation(0, 100), 0.0);
  // No capacity: any work is infinitely over it, none is 0.
  EXPECT_EQ(rules::utilisation(1, 0), kInf);
  EXPECT_EQ(rules::utilisation(0, 0), 0.0);
  EXPECT_EQ(rules::utilisation(1, -3), kInf);
  EXPECT_EQ(rules::utilisation(1, kNaN), kInf);
}

TEST(Rules, BandBoundariesNaNAndInfinity) {
  const Thresholds t{0.85, 1.0, 1.1};
  EXPECT_EQ(rules::band_of(0.0, t), Band::green);
  EXPECT_EQ(rules::band_of(0.8499, t), Band::green);
  EXPECT_EQ(rules::band_of(0.85, t), Band::amber);  // green is strictly below
  EXPECT_EQ(rules::band_of(1.0, t), Band::amber);   // amber up to and including
  EXPECT_EQ(rules::band_of(1.0000001, t), Band::red);
  EXPECT_EQ(rules::band_of(1.1, t), Band::red);  // red up to and including
  EXPECT_EQ(rules::band_of(1.1000001, t), Band::excessive);
  EXPECT_EQ(rules::band_of(kInf, t), Band::excessive);
  EXPECT_EQ(rules::band_of(kNaN, t), Band::excessive);  // unknown is never safe
  EXPECT_EQ(rules::band_of(-kInf, t), Band::green);
}

TEST(Rules, ReductionHoursAndCapacityByHand) {
  Worker w;
  w.contracted_hours = 30;
  w.reductions = {{"training", 10.0, std::nullopt, std::nullopt, std::nullopt},  // 10% of 30 h = 3 h
                  {"union", std::nullopt, 2.0, Date::from_ymd(2024, 1, 1), Date::from_ymd(2024, 1, 31)}};
  EXPECT_DOUBLE_EQ(rules::reduction_hours(w.reductions[0], 30), 3.0);
  EXPECT_DOUBLE_EQ(rules::reduction_hours_on(w, Date::from_ymd(2024, 1, 15)), 5.0);
  EXPECT_DOUBLE_EQ(rules::reduction_hours_on(w, Date::from_ymd(2024, 2, 1)), 3.0);  // the union time ended

  CapacityPolicy hours;  // 100 points per 37 h
  // 27 available hours of 30, ASYE cap 0.9: 100 * 27 / 37 * 0.9 = 65.675... points.
  const rules::CapacitySteps s = rules::capacity_steps(hours, 30, 27, 0.9);
  EXPECT_NEAR(s.before_role_cap, 2700.0 / 37, 1e-12);
  EXPECT_NEAR(s.after_role_cap, 2700.0 / 37 * 0.9, 1e-12);
  EXPECT_EQ(s.points, s.after_role_cap);
  CapacityPolicy floored = hours;
  floored.round_down = true;
  EXPECT_EQ(rules::capacity_points(floored, 30, 27, 0.9), 65.0);
  // Points per FTE gives the same capacity (FTE x the available share).
  CapacityPolicy per_fte = hours;
  per_fte.kind = CapacityPolicy::Kind::points_per_fte;
  EXPECT_NEAR(rules::capacity_points(per_fte, 30, 27, 0.9), s.points, 1e-12);
}

// The one percentile rule agrees with exact integer arithmetic,
// ceil(pct * n / 100), for every percentile and size up to 2,000.
TEST(Rules, NearestRankMatchesIntegerArithmetic) {
  for (int64_t n = 1; n <= 2000; ++n) {
    std::vector<double> sorted(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) sorted[static_cast<size_t>(i)] = static_cast<double>(i + 1);
    for (int pct = 0; pct <= 100; ++pct) {
      const int64_t rank = std::max<int64_t>(1, (pct * n + 99) / 100);
      ASSERT_EQ(detail::nearest_rank(sorted, pct), static_cast<double>(rank)) << "n " << n << " pct " << pct;
    }
  }
  const std::vector<double> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(detail::nearest_rank(ten, 0.9), 9.0);  // 0.9 * 10 is 9.000000000000002 in doubles
  EXPECT_EQ(detail::nearest_rank(ten, 0.95), 10.0);
  EXPECT_EQ(detail::nearest_rank(ten, 0.0), 1.0);
}

// The model's loads and roll-ups use the rules core: every worker's
// utilisation and band, and every roll-up's utilisation, recomputed here from
// the rules agree exactly.
TEST(Rules, ModelLoadsAndRollupsFollowTheRules) {
  const SyntheticAuthority a = synthetic_authority(SyntheticOptions{});
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  const SchemeVersion& v = model.scheme_version();
  for (const WorkerLoad& l : model.worker_loads()) {
    EXPECT_EQ(l.utilisation, rules::utilisation(l.points, l.capacity)) << l.worker_id;
    EXPECT_EQ(l.band, rules::band_of(l.utilisation, v.service_area(l.service_area).thresholds)) << l.worker_id;
  }
  for (const Level level : {Level::team, Level::service_area, Level::organisation})
    for (const Rollup& r : model.rollup(level))
      EXPECT_EQ(r.utilisation, rules::utilisation(r.points, r.capacity)) << r.group;
}

// The allocation optimiser bands a worker as the model does: with nothing to
// allocate, every worker's band after the plan is the model's band, and both
// are the rules core's band of the utilisation (the sample authority has
// workers in every band, and one with no capacity left who holds cases).
TEST(Rules, AllocationBandsAgreeWithTheModel) {
  const SyntheticAuthority a = synthetic_authority(SyntheticOptions{});
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  const AllocationPlan plan = allocate(model, {}, AllocationOptions{});
  const SchemeVersion& v = model.scheme_version();
  std::array<int, 4> seen{};
  size_t checked = 0;
  for (const WorkerChange& w : plan.workers) {
    const WorkerLoad* l = nullptr;
    for (const WorkerLoad& x : model.worker_loads())
      if (x.worker_id == w.worker_id) l = &x;
    ASSERT_NE(l, nullptr) << w.worker_id;
    EXPECT_EQ(w.band_before, l->band) << w.worker_id;
    EXPECT_EQ(w.band_after, l->band) << w.worker_id;
    EXPECT_EQ(w.band_after, rules::band_of(w.utilisation_after, v.service_area(l->service_area).thresholds));
    ++seen[static_cast<size_t>(l->band)];
    ++checked;
  }
  EXPECT_GT(checked, 100u);
  for (const int n : seen) EXPECT_GT(n, 0);  // every band is exercised
}

// "Now" in the capacity projection is the model's roll-up, for every team and
// the organisation, on the sample authority (which has unallocated cases and
// managers who hold cases: the two things an earlier count added to "now").
TEST(Rules, ProjectionNowEqualsTheModelsRollup) {
  const SyntheticAuthority a = synthetic_authority(SyntheticOptions{});
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  ProjectionOptions o;
  o.n_paths = 50;
  o.horizon = 2;
  o.seed = 3;
  const CapacityProjection p = project_capacity(model, {}, {}, o);
  const ScenarioProjection& base = p.scenarios.at(0);
  int64_t teams = 0, unallocated = 0;
  for (const Level level : {Level::team, Level::organisation}) {
    for (const Rollup& r : model.rollup(level)) {
      const std::string name = level == Level::organisation ? std::string("organisation") : r.group;
      bool found = false;
      for (const GroupProjection& g : base.groups) {
        if (g.level != level || g.group != name) continue;
        found = true;
        EXPECT_NEAR(g.current_utilisation, r.utilisation, 1e-12 * r.utilisation) << r.group;
      }
      EXPECT_TRUE(found) << r.group;
      if (level == Level::team) ++teams;
      if (level == Level::organisation) unallocated = r.unallocated_cases;
    }
  }
  EXPECT_GT(teams, 5);
  EXPECT_GT(unallocated, 0);  // the case that used to disagree is present
}

}  // namespace
}  // namespace caseload
