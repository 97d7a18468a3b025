// Roll-ups: known answers for the 3-worker model and invariants on a larger
// generated one.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "caseload/model.hpp"
#include "model_fixture.hpp"

namespace {

using namespace caseload;
using namespace caseload::fixture;

// Worker figures (see test_model.cpp): A 16/20 = 0.8, B 15.5/16.2 = 0.956790,
// C 16/8 = 2.0; FTE 1, 1, 0.5; cases 2, 2, 2.
constexpr double kUtilB = 15.5 / 16.2;

TEST(Rollup, OrganisationKnownAnswers) {
  const Caseload m = known_model();
  const auto rows = m.rollup(Level::organisation);
  ASSERT_EQ(rows.size(), 1u);
  const Rollup& r = rows[0];
  EXPECT_EQ(r.level, Level::organisation);
  EXPECT_EQ(r.group, "organisation");
  EXPECT_EQ(r.workers, 3);
  EXPECT_EQ(r.case_holding_workers, 3);
  EXPECT_DOUBLE_EQ(r.case_holding_fte, 2.5);
  EXPECT_EQ(r.cases, 5);                           // C1..C5; co-worked C2 counts once
  EXPECT_DOUBLE_EQ(r.points, 47.5);                // 16 + 15.5 + 16
  EXPECT_NEAR(r.capacity, 44.2, 1e-12);            // 20 + 16.2 + 8
  EXPECT_NEAR(r.utilisation, 47.5 / 44.2, 1e-12);  // 1.0747, not the mean of percentages

  // Sorted utilisation [0.8, 0.9568, 2.0], n = 3; nearest rank ceil(q n):
  // p10 -> 1st, p50 -> 2nd, p90 -> 3rd.
  const Distribution& u = r.utilisation_distribution;
  EXPECT_EQ(u.n, 3);
  EXPECT_DOUBLE_EQ(u.p10, 0.8);
  EXPECT_NEAR(u.p50, kUtilB, 1e-12);
  EXPECT_NEAR(u.p90, 2.0, 1e-12);
  EXPECT_NEAR(u.max, 2.0, 1e-12);
  EXPECT_NEAR(u.mean, (0.8 + kUtilB + 2.0) / 3, 1e-12);  // 1.25226

  EXPECT_EQ(r.cases_distribution.n, 3);
  EXPECT_DOUBLE_EQ(r.cases_distribution.p10, 2);
  EXPECT_DOUBLE_EQ(r.cases_distribution.max, 2);
  EXPECT_DOUBLE_EQ(r.cases_distribution.mean, 2);
  // Cases per FTE: A 2, B 2, C 4 -> mean 8/3, median (2nd of 3) 2.
  EXPECT_NEAR(r.mean_cases_per_fte, 8.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.median_cases_per_fte, 2);

  EXPECT_EQ(r.band_counts[0], 1);  // A green
  EXPECT_EQ(r.band_counts[1], 1);  // B amber
  EXPECT_EQ(r.band_counts[2], 0);
  EXPECT_EQ(r.band_counts[3], 1);  // C excessive
  EXPECT_NEAR(r.band_shares[3], 1.0 / 3.0, 1e-12);
  EXPECT_EQ(r.over_case_benchmark, 1);  // C: 4 per FTE > 2
  EXPECT_NEAR(r.share_over_case_benchmark, 1.0 / 3.0, 1e-12);

  // Gini: weights (2i - n - 1) = -2, 0, 2 -> (2 * 2.0 - 2 * 0.8) / (3 * 3.756790)
  //      = 2.4 / 11.270370 = 0.212948.
  EXPECT_NEAR(r.gini_utilisation, 2.4 / (3 * (0.8 + kUtilB + 2.0)), 1e-12);
  EXPECT_NEAR(r.gini_utilisation, 0.212948, 1e-6);
  // Jain: 3.756790^2 / (3 * (0.64 + 0.915447 + 4)) = 14.11347 / 16.66634 = 0.846825.
  EXPECT_NEAR(r.jain_index, 0.846825, 1e-6);

  // C6: 4 points, opened 2024-03-01, 30 days before 2024-03-31.
  EXPECT_EQ(r.unallocated_cases, 1);
  EXPECT_DOUBLE_EQ(r.unallocated_points, 4);
  EXPECT_DOUBLE_EQ(r.unallocated_mean_age_days, 30);
  EXPECT_DOUBLE_EQ(r.unallocated_max_age_days, 30);
  EXPECT_EQ(r.asye_workers, 1);
  EXPECT_EQ(r.asye_protected, 1);
  EXPECT_DOUBLE_EQ(r.asye_compliance, 1);
}

TEST(Rollup, TeamsKnownAnswers) {
  const Caseload m = known_model();
  const auto rows = m.rollup(Level::team);
  ASSERT_EQ(rows.size(), 2u);
  const Rollup& t1 = rows[0];
  EXPECT_EQ(t1.level, Level::team);
  EXPECT_EQ(t1.group, "T1");
  EXPECT_EQ(t1.workers, 2);
  EXPECT_EQ(t1.cases, 3);  // C1, C2 (A and B both in T1: once), C3
  EXPECT_DOUBLE_EQ(t1.points, 31.5);
  EXPECT_NEAR(t1.capacity, 36.2, 1e-12);
  EXPECT_EQ(t1.unallocated_cases, 0);
  EXPECT_EQ(t1.unallocated_mean_age_days, 0);
  // Two values [0.8, 0.9568]: p10 -> rank 1, p50 -> rank 1, p90 -> rank 2.
  EXPECT_DOUBLE_EQ(t1.utilisation_distribution.p50, 0.8);
  EXPECT_NEAR(t1.utilisation_distribution.p90, kUtilB, 1e-12);
  const Rollup& t2 = rows[1];
  EXPECT_EQ(t2.group, "T2");
  EXPECT_EQ(t2.workers, 1);
  EXPECT_EQ(t2.cases, 2);
  EXPECT_NEAR(t2.utilisation, 2.0, 1e-12);
  EXPECT_EQ(t2.unallocated_cases, 1);  // C6 belongs to its team T2
  EXPECT_DOUBLE_EQ(t2.unallocated_points, 4);
  EXPECT_EQ(t2.asye_workers, 0);
  EXPECT_DOUBLE_EQ(t2.asye_compliance, 1);
  EXPECT_DOUBLE_EQ(t2.gini_utilisation, 0);  // one worker: perfectly even
  EXPECT_DOUBLE_EQ(t2.jain_index, 1);
}

TEST(Rollup, CoWorkAcrossTeamsCountsOncePerTeam) {
  // Move B to T2: C2 (A in T1, B in T2) then counts in both teams, once in
  // the organisation.
  auto workers = known_workers();
  workers[1].team = "T2";
  Caseload m(test_scheme(), workers, known_cases(), known_as_of());
  const auto teams = m.rollup(Level::team);
  EXPECT_EQ(teams[0].cases, 2);  // T1: C1, C2
  EXPECT_EQ(teams[1].cases, 4);  // T2: C2, C3, C4, C5
  EXPECT_EQ(m.rollup(Level::organisation)[0].cases, 5);
}

TEST(Rollup, ServiceAreaOfUnallocatedCases) {
  // Team T2's workers: C (children) and D, E (adults) -> the majority is
  // adults, so C6 (team T2) goes to adults. C7's team T9 has no workers:
  // "unknown".
  auto workers = known_workers();
  Worker d = make_worker("D", "T2", "sw");
  d.service_area = "adults";
  Worker e = d;
  e.id = "E";
  workers.push_back(d);
  workers.push_back(e);
  auto cases = known_cases();
  Case c7 = make_case("C7", "lac", {});
  c7.team = "T9";
  cases.push_back(c7);
  Caseload m(test_scheme(), workers, cases, known_as_of());
  const auto areas = m.rollup(Level::service_area);
  ASSERT_EQ(areas.size(), 3u);
  EXPECT_EQ(areas[0].group, "adults");
  EXPECT_EQ(areas[0].unallocated_cases, 1);
  EXPECT_EQ(areas[1].group, "children");
  EXPECT_EQ(areas[1].unallocated_cases, 0);
  EXPECT_EQ(areas[2].group, "unknown");
  EXPECT_EQ(areas[2].workers, 0);
  EXPECT_EQ(areas[2].unallocated_cases, 1);
  EXPECT_DOUBLE_EQ(areas[2].unallocated_points, 6);
  // Team roll-up gets a row for T9 although nobody works there.
  const auto teams = m.rollup(Level::team);
  ASSERT_EQ(teams.size(), 3u);
  EXPECT_EQ(teams[2].group, "T9");
  EXPECT_EQ(teams[2].unallocated_cases, 1);
  EXPECT_EQ(teams[2].utilisation, 0);
}

TEST(Rollup, AsyeComplianceAndNonCaseHolding) {
  // Two ASYEs: one protected, one holding a cp case alone. A team manager is
  // counted in workers but not in the case-holding figures, points, capacity
  // or utilisation; the cin case he holds is reported apart.
  Worker b1 = make_worker("B1", "T1", "asye");
  Worker b2 = make_worker("B2", "T1", "asye");
  Worker tm = make_worker("M", "T1", "tm");
  std::vector<Case> cases = {make_case("C1", "cin", {{"B1", 1.0}}), make_case("C2", "cp", {{"B2", 1.0}}),
                             make_case("C3", "cin", {{"M", 1.0}})};
  Caseload m(test_scheme(), {b1, b2, tm}, cases, known_as_of());
  const Rollup r = m.rollup(Level::organisation)[0];
  EXPECT_EQ(r.asye_workers, 2);
  EXPECT_EQ(r.asye_protected, 1);
  EXPECT_DOUBLE_EQ(r.asye_compliance, 0.5);
  EXPECT_EQ(r.workers, 3);
  EXPECT_EQ(r.case_holding_workers, 2);
  EXPECT_DOUBLE_EQ(r.case_holding_fte, 2);
  EXPECT_EQ(r.cases, 3);
  EXPECT_EQ(r.utilisation_distribution.n, 2);
  EXPECT_DOUBLE_EQ(r.capacity, 18 + 18);  // ASYE cap 0.9 x 20; the manager's 20 is apart
  EXPECT_DOUBLE_EQ(r.points, 4 + 8);
  EXPECT_DOUBLE_EQ(r.utilisation, 12.0 / 36.0);
  EXPECT_DOUBLE_EQ(r.non_case_holding_points, 4);
  EXPECT_DOUBLE_EQ(r.non_case_holding_capacity, 20);
}

TEST(Rollup, UtilisationIsOverCaseHoldersOnly) {
  // Capacity is 20 points per 37 h. Team T1: P (sw, 37 h, capacity 20) holds
  // three lac cases, 3 x 6 = 18 points; Q (sw, 55.5 h, capacity 30) holds
  // three cp cases in court, 3 x (8 + 3) = 33 points; the manager M (tm,
  // 18.5 h, capacity 10) holds nothing. Utilisation (18 + 33) / (20 + 30) =
  // 51 / 50 = 1.02, not 51 / 60 = 0.85 with the manager's capacity.
  std::vector<Worker> workers = {make_worker("P", "T1", "sw"), make_worker("Q", "T1", "sw", 55.5),
                                 make_worker("M", "T1", "tm", 18.5)};
  std::vector<Case> cases;
  for (int i = 0; i < 3; ++i) {
    cases.push_back(make_case("L" + std::to_string(i), "lac", {{"P", 1.0}}));
    cases.push_back(make_case("K" + std::to_string(i), "cp", {{"Q", 1.0}}, {"court"}));
  }
  Caseload m(test_scheme(), workers, cases, known_as_of());
  for (Level level : {Level::team, Level::service_area, Level::organisation}) {
    const auto rows = m.rollup(level);
    ASSERT_EQ(rows.size(), 1u);
    const Rollup& r = rows[0];
    EXPECT_EQ(r.workers, 3);
    EXPECT_EQ(r.case_holding_workers, 2);
    EXPECT_DOUBLE_EQ(r.points, 51);
    EXPECT_DOUBLE_EQ(r.capacity, 50);
    EXPECT_DOUBLE_EQ(r.utilisation, 1.02);
    EXPECT_DOUBLE_EQ(r.non_case_holding_points, 0);
    EXPECT_DOUBLE_EQ(r.non_case_holding_capacity, 10);
  }
  // A cin case (4 points) given to the manager shows apart; the case holders'
  // utilisation stays 1.02 and the group counts 7 distinct cases.
  m.apply(Change{Change::Kind::add_case, make_case("X", "cin", {{"M", 1.0}}), "", ""});
  const Rollup r = m.rollup(Level::team)[0];
  EXPECT_DOUBLE_EQ(r.utilisation, 1.02);
  EXPECT_DOUBLE_EQ(r.non_case_holding_points, 4);
  EXPECT_EQ(r.cases, 7);
}

TEST(Rollup, ZeroCapacityWorkerIsLeftOutOfTheDistributionOnly) {
  Worker a = make_worker("A", "T1", "sw");
  Worker s = make_worker("S", "T1", "sw");
  s.reductions.push_back({"sick", 100.0, std::nullopt, std::nullopt, std::nullopt});
  std::vector<Case> cases = {make_case("C1", "cin", {{"A", 1.0}}), make_case("C2", "cin", {{"S", 1.0}})};
  Caseload m(test_scheme(), {a, s}, cases, known_as_of());
  const Rollup r = m.rollup(Level::organisation)[0];
  EXPECT_EQ(r.utilisation_distribution.n, 1);  // S has +inf utilisation
  EXPECT_DOUBLE_EQ(r.utilisation, 8.0 / 20.0);
  EXPECT_EQ(r.band_counts[static_cast<int>(Band::excessive)], 1);
}

TEST(Rollup, EmptyModel) {
  Caseload m(test_scheme(), {}, {}, known_as_of());
  const auto rows = m.rollup(Level::organisation);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].workers, 0);
  EXPECT_EQ(rows[0].utilisation, 0);
  EXPECT_EQ(rows[0].jain_index, 1);
  EXPECT_TRUE(m.rollup(Level::team).empty());
}

// A deterministic mid-sized model: 60 workers in 6 teams and 2 service
// areas, 400 cases, some co-worked, some unallocated.
Caseload generated_model() {
  std::vector<Worker> workers;
  const char* roles[] = {"sw", "sw", "asye", "tm"};
  for (int i = 0; i < 60; ++i) {
    Worker w = make_worker("W" + std::to_string(i), "T" + std::to_string(i % 6), roles[i % 4], 18.5 + (i % 5) * 4.625);
    w.service_area = i % 6 < 3 ? "children" : "adults";
    if (i % 7 == 0) w.reductions.push_back({"cpd", 5.0 + i % 3, std::nullopt, std::nullopt, std::nullopt});
    workers.push_back(w);
  }
  std::vector<Case> cases;
  const char* types[] = {"cin", "lac", "cin", "cp"};
  for (int i = 0; i < 400; ++i) {
    const int w1 = (i * 37) % 60, w2 = (i * 37 + 11) % 60;
    std::vector<Allocation> alloc;
    if (i % 13 == 0) {
      alloc = {};
    } else if (i % 5 == 0) {
      alloc = {{"W" + std::to_string(w1), 0.6}, {"W" + std::to_string(w2), 0.4}};
    } else {
      alloc = {{"W" + std::to_string(w1), 1.0}};
    }
    Case c = make_case("K" + std::to_string(i), types[i % 4], alloc);
    if (i % 3 == 0) c.factors.push_back("court");
    if (i % 4 == 1) c.factors.push_back("complex");
    c.team = "T" + std::to_string(i % 7);  // T6 has no workers
    c.opened = ymd(2024, 1, 1 + i % 28);
    cases.push_back(c);
  }
  return Caseload(test_scheme(), workers, cases, known_as_of());
}

TEST(RollupInvariants, SumsAndRatiosAgree) {
  const Caseload m = generated_model();
  // Sums over case-holding workers (roles sw, asye) and over the others (tm).
  double worker_points = 0, worker_capacity = 0, other_points = 0, other_capacity = 0;
  for (const WorkerLoad& l : m.worker_loads()) {
    (l.case_holding ? worker_points : other_points) += l.points;
    (l.case_holding ? worker_capacity : other_capacity) += l.capacity;
    if (l.capacity > 0) EXPECT_DOUBLE_EQ(l.utilisation, l.points / l.capacity);
  }
  ASSERT_GT(other_points, 0);  // the generated model gives tm workers cases
  ASSERT_GT(other_capacity, 0);
  double allocated_points = 0, unallocated_points = 0;
  int64_t unallocated = 0, allocated = 0;
  for (const Case& c : m.cases()) {
    (c.allocations.empty() ? unallocated_points : allocated_points) += m.case_points(c.id);
    (c.allocations.empty() ? unallocated : allocated) += 1;
  }
  const Rollup org = m.rollup(Level::organisation)[0];
  EXPECT_NEAR(org.points, worker_points, 1e-9);
  EXPECT_NEAR(org.non_case_holding_points, other_points, 1e-9);
  EXPECT_NEAR(org.points + org.non_case_holding_points, allocated_points, 1e-9);  // shares sum to 1
  EXPECT_NEAR(org.capacity, worker_capacity, 1e-9);
  EXPECT_NEAR(org.non_case_holding_capacity, other_capacity, 1e-9);
  EXPECT_DOUBLE_EQ(org.utilisation, org.points / org.capacity);
  EXPECT_EQ(org.cases, static_cast<double>(allocated));
  EXPECT_EQ(org.unallocated_cases, unallocated);
  EXPECT_NEAR(org.unallocated_points, unallocated_points, 1e-9);

  for (Level level : {Level::team, Level::service_area}) {
    const auto rows = m.rollup(level);
    double points = 0, capacity = 0, cases = 0, other_p = 0, other_c = 0;
    int64_t workers = 0, unalloc = 0, bands = 0, holding = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i > 0) EXPECT_LT(rows[i - 1].group, rows[i].group);
      const Rollup& r = rows[i];
      EXPECT_EQ(r.level, level);
      points += r.points;
      capacity += r.capacity;
      other_p += r.non_case_holding_points;
      other_c += r.non_case_holding_capacity;
      cases += r.cases;
      workers += r.workers;
      unalloc += r.unallocated_cases;
      holding += r.case_holding_workers;
      for (int64_t b : r.band_counts) bands += b;
      if (r.capacity > 0) EXPECT_DOUBLE_EQ(r.utilisation, r.points / r.capacity);
      const Distribution& d = r.utilisation_distribution;
      if (d.n > 0) {
        EXPECT_LE(d.p10, d.p50);
        EXPECT_LE(d.p50, d.p90);
        EXPECT_LE(d.p90, d.max);
        EXPECT_GE(r.gini_utilisation, 0);
        EXPECT_LT(r.gini_utilisation, 1);
        EXPECT_GT(r.jain_index, 0);
        EXPECT_LE(r.jain_index, 1 + 1e-12);
      }
    }
    EXPECT_NEAR(points, org.points, 1e-9);
    EXPECT_NEAR(capacity, org.capacity, 1e-9);
    EXPECT_NEAR(other_p, org.non_case_holding_points, 1e-9);
    EXPECT_NEAR(other_c, org.non_case_holding_capacity, 1e-9);
    EXPECT_GE(cases, org.cases);  // cross-group co-working counts in each group
    EXPECT_EQ(workers, org.workers);
    EXPECT_EQ(unalloc, org.unallocated_cases);
    EXPECT_EQ(holding, org.case_holding_workers);
    EXPECT_EQ(bands, org.case_holding_workers);
  }
  EXPECT_EQ(m.rollup(Level::team).size(), 7u);  // T0..T5 plus T6 (unallocated only)
}

TEST(RollupInvariants, DeterministicAcrossCopies) {
  const Caseload m = generated_model();
  const Caseload copy = m;
  const auto a = m.rollup(Level::team), b = copy.rollup(Level::team);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].group, b[i].group);
    EXPECT_EQ(a[i].points, b[i].points);
    EXPECT_EQ(a[i].gini_utilisation, b[i].gini_utilisation);
  }
}

}  // namespace
