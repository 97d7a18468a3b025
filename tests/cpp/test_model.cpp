// Caseload: per-worker figures, breakdowns, capacity policies, ASYE
// protection, versioned schemes and every validation error.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "caseload/model.hpp"
#include "error_of.hpp"
#include "model_fixture.hpp"

namespace {

using namespace caseload;
using namespace caseload::fixture;

TEST(Names, BandAndLevel) {
  EXPECT_STREQ(band_name(Band::green), "green");
  EXPECT_STREQ(band_name(Band::amber), "amber");
  EXPECT_STREQ(band_name(Band::red), "red");
  EXPECT_STREQ(band_name(Band::excessive), "excessive");
  EXPECT_STREQ(level_name(Level::team), "team");
  EXPECT_STREQ(level_name(Level::service_area), "service_area");
  EXPECT_STREQ(level_name(Level::organisation), "organisation");
}

TEST(Model, CasePointsKnownAnswers) {
  const Caseload m = known_model();
  EXPECT_EQ(m.scheme_version().version, "2024.1");
  EXPECT_DOUBLE_EQ(m.case_points("C1"), 10.5);  // (4 + 3) * 1.5
  EXPECT_DOUBLE_EQ(m.case_points("C2"), 11.0);  // 8 + 3
  EXPECT_DOUBLE_EQ(m.case_points("C3"), 10.0);  // 6 + open task 4
  EXPECT_DOUBLE_EQ(m.case_points("C4"), 4.0);   // completed and overdue tasks do not count
  EXPECT_DOUBLE_EQ(m.case_points("C5"), 12.0);  // 8 * 1.5
  EXPECT_DOUBLE_EQ(m.case_points("C6"), 4.0);   // unallocated still has points
  try {
    (void)m.case_points("C99");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_STREQ(e.what(), "case \"C99\": not found");
  }
}

TEST(Model, WorkerLoadsKnownAnswers) {
  const Caseload m = known_model();
  const auto& loads = m.worker_loads();
  ASSERT_EQ(loads.size(), 3u);

  // A: capacity 20 * 37 / 37 = 20; points 10.5 + 11 * 0.5 = 16; u = 0.8 (green,
  // < 0.85); headroom 20 * 1.0 - 16 = 4; 2 cases / 1 FTE = 2, not above 2.
  const WorkerLoad& a = loads[0];
  EXPECT_EQ(a.worker_id, "A");
  EXPECT_EQ(a.team, "T1");
  EXPECT_EQ(a.service_area, "children");
  EXPECT_EQ(a.role, "sw");
  EXPECT_TRUE(a.case_holding);
  EXPECT_FALSE(a.is_asye);
  EXPECT_DOUBLE_EQ(a.fte, 1.0);
  EXPECT_DOUBLE_EQ(a.available_hours, 37.0);
  EXPECT_EQ(a.cases, 2);
  EXPECT_DOUBLE_EQ(a.points, 16.0);
  EXPECT_DOUBLE_EQ(a.capacity, 20.0);
  EXPECT_DOUBLE_EQ(a.utilisation, 0.8);
  EXPECT_DOUBLE_EQ(a.headroom, 4.0);
  EXPECT_EQ(a.band, Band::green);
  EXPECT_FALSE(a.over_case_benchmark);
  EXPECT_TRUE(a.asye_protected);
  EXPECT_TRUE(a.asye_breaches.empty());

  // B (ASYE): available 37 - 3.7 (10%) = 33.3 h; capacity 20 * 33.3 / 37 = 18,
  // x 0.9 cap = 16.2; points 5.5 + 10 = 15.5; u = 15.5 / 16.2 = 0.95679 (amber);
  // headroom 16.2 - 15.5 = 0.7. Protected: u <= 1, 2 <= 3 cases, cp co-worked.
  const WorkerLoad& b = loads[1];
  EXPECT_EQ(b.worker_id, "B");
  EXPECT_TRUE(b.is_asye);
  EXPECT_NEAR(b.available_hours, 33.3, 1e-12);
  EXPECT_NEAR(b.capacity, 16.2, 1e-12);
  EXPECT_DOUBLE_EQ(b.points, 15.5);
  EXPECT_NEAR(b.utilisation, 15.5 / 16.2, 1e-12);
  EXPECT_NEAR(b.headroom, 0.7, 1e-12);
  EXPECT_EQ(b.band, Band::amber);
  EXPECT_EQ(b.cases, 2);
  EXPECT_TRUE(b.asye_protected);
  EXPECT_TRUE(b.asye_breaches.empty());

  // C: 18.5 h (0.5 FTE) less 3.7 h = 14.8 h; capacity 20 * 14.8 / 37 = 8;
  // points 4 + 12 = 16; u = 2 (excessive, > 1.1); headroom 8 - 16 = -8;
  // 2 cases / 0.5 FTE = 4 > 2: over the benchmark.
  const WorkerLoad& c = loads[2];
  EXPECT_DOUBLE_EQ(c.fte, 0.5);
  EXPECT_NEAR(c.available_hours, 14.8, 1e-12);
  EXPECT_NEAR(c.capacity, 8.0, 1e-12);
  EXPECT_DOUBLE_EQ(c.points, 16.0);
  EXPECT_NEAR(c.utilisation, 2.0, 1e-12);
  EXPECT_NEAR(c.headroom, -8.0, 1e-12);
  EXPECT_EQ(c.band, Band::excessive);
  EXPECT_TRUE(c.over_case_benchmark);

  // Invariant: utilisation == points / capacity for every worker.
  for (const WorkerLoad& l : loads) EXPECT_DOUBLE_EQ(l.utilisation, l.points / l.capacity) << l.worker_id;
  EXPECT_EQ(&m.worker_load("B"), &loads[1]);
  EXPECT_THROW((void)m.worker_load("Z"), Error);
}

TEST(Model, BandBoundaries) {
  // A with one cin case (4 points) and capacity 20 * h / 37: choose h so that
  // u hits each threshold exactly. u = 4 / (20 h / 37) = 7.4 / h.
  auto band_for = [](double hours) {
    Worker a = make_worker("A", "T1", "sw", hours);
    Caseload m(test_scheme(), {a}, {make_case("C1", "cin", {{"A", 1.0}})}, known_as_of());
    return m.worker_loads()[0];
  };
  // h = 37: u = 0.2 green. h = 7.4: u = 1 exactly -> amber (amber_to inclusive).
  EXPECT_EQ(band_for(37).band, Band::green);
  EXPECT_EQ(band_for(7.4).band, Band::amber);
  EXPECT_DOUBLE_EQ(band_for(7.4).utilisation, 1.0);
  // h = 8: u = 0.925 amber; h = 7: u = 1.0571 red; h = 6.4: u = 1.15625 excessive.
  EXPECT_EQ(band_for(8).band, Band::amber);
  EXPECT_EQ(band_for(7).band, Band::red);
  EXPECT_EQ(band_for(6.4).band, Band::excessive);
}

TEST(Model, BreakdownLinesExplainEveryPoint) {
  const Caseload m = known_model();
  const WorkerBreakdown bd = m.breakdown("A");
  EXPECT_EQ(bd.scheme_version, "2024.1");
  EXPECT_DOUBLE_EQ(bd.load.points, m.worker_load("A").points);
  ASSERT_EQ(bd.lines.size(), 7u);
  using K = BreakdownLine::Kind;
  // C1: base 4 -> +3 court = 7 -> x1.5 complex = 10.5
  EXPECT_EQ(bd.lines[0].kind, K::case_base);
  EXPECT_EQ(bd.lines[0].case_id, "C1");
  EXPECT_EQ(bd.lines[0].item, "cin");
  EXPECT_EQ(bd.lines[0].rule, "case type cin: 4 points (scheme 2024.1)");
  EXPECT_DOUBLE_EQ(bd.lines[0].running_total, 4);
  EXPECT_EQ(bd.lines[1].kind, K::factor_add);
  EXPECT_EQ(bd.lines[1].rule, "factor court: +3 points (scheme 2024.1)");
  EXPECT_DOUBLE_EQ(bd.lines[1].value, 3);
  EXPECT_DOUBLE_EQ(bd.lines[1].running_total, 7);
  EXPECT_EQ(bd.lines[2].kind, K::factor_multiply);
  EXPECT_EQ(bd.lines[2].rule, "factor complex: x1.5 (scheme 2024.1)");
  EXPECT_DOUBLE_EQ(bd.lines[2].running_total, 10.5);
  // C2: base 8 -> +3 = 11 -> share 0.5 = 5.5
  EXPECT_EQ(bd.lines[3].case_id, "C2");
  EXPECT_DOUBLE_EQ(bd.lines[4].running_total, 11);
  EXPECT_EQ(bd.lines[5].kind, K::share);
  EXPECT_EQ(bd.lines[5].rule, "co-worked: share 0.5 of 11 points");
  EXPECT_DOUBLE_EQ(bd.lines[5].value, 0.5);
  EXPECT_DOUBLE_EQ(bd.lines[5].running_total, 5.5);
  // Capacity: 20 points per 37 h, nothing else applies to A.
  EXPECT_EQ(bd.lines[6].kind, K::capacity);
  EXPECT_EQ(bd.lines[6].case_id, "");
  EXPECT_EQ(bd.lines[6].rule, "capacity: 20 points per 37 h; 37 contracted h (scheme 2024.1)");
  EXPECT_DOUBLE_EQ(bd.lines[6].running_total, 20);
}

TEST(Model, BreakdownOfReductionTaskAndCap) {
  const Caseload m = known_model();
  const WorkerBreakdown bd = m.breakdown("B");
  using K = BreakdownLine::Kind;
  bool saw_task = false, saw_reduction = false, saw_cap = false;
  for (const BreakdownLine& l : bd.lines) {
    if (l.kind == K::task) {
      saw_task = true;
      EXPECT_EQ(l.case_id, "C3");
      EXPECT_EQ(l.rule, "task court_report: +4 points (scheme 2024.1), open until 2024-04-30");
      EXPECT_DOUBLE_EQ(l.running_total, 10);  // lac 6 + 4
    }
    if (l.kind == K::reduction) {
      saw_reduction = true;
      EXPECT_EQ(l.item, "asye_development");
      EXPECT_EQ(l.rule, "reduction asye_development: 10% of 37 h = 3.7 h");
      EXPECT_NEAR(l.value, 3.7, 1e-12);
      EXPECT_NEAR(l.running_total, 18, 1e-12);  // 20 * 33.3 / 37
    }
    if (l.kind == K::role_cap) {
      saw_cap = true;
      EXPECT_EQ(l.rule, "role asye: capacity x0.9 (scheme 2024.1)");
      EXPECT_NEAR(l.running_total, 16.2, 1e-12);
    }
  }
  EXPECT_TRUE(saw_task && saw_reduction && saw_cap);
  // The sum of per-case contributions (last line of each case) is the load.
  EXPECT_THROW((void)m.breakdown("nobody"), Error);
}

TEST(Model, PointsPerFteWithRoundDownMatchesHmppsStyle) {
  // target 2176 per 37 h; 10% reduction: 2176 * 1 * (33.3 / 37) = 1958.4,
  // floored to 1958.
  SchemeVersion v = test_version_1();
  v.capacity.kind = CapacityPolicy::Kind::points_per_fte;
  v.capacity.target_points = 2176;
  v.capacity.round_down = true;
  Worker a = make_worker("A", "T1", "sw");
  a.reductions.push_back({"training", 10.0, std::nullopt, std::nullopt, std::nullopt});
  Caseload m(WeightingScheme("hmpps", {v}), {a}, {}, known_as_of());
  EXPECT_DOUBLE_EQ(m.worker_loads()[0].capacity, 1958);
  EXPECT_EQ(m.worker_loads()[0].utilisation, 0);
  const auto lines = m.breakdown("A").lines;
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rule, "capacity rounded down to whole points (scheme 2024.1)");
}

TEST(Model, ReductionsOnlyApplyInTheirDateRange) {
  Worker a = make_worker("A", "T1", "sw");
  a.reductions.push_back({"sick", 100.0, std::nullopt, ymd(2024, 4, 1), ymd(2024, 4, 30)});
  Caseload m(test_scheme(), {a}, {make_case("C1", "cin", {{"A", 1.0}})}, known_as_of());
  EXPECT_DOUBLE_EQ(m.worker_loads()[0].capacity, 20);  // 31 March: not yet
  m.set_as_of(ymd(2024, 4, 15));
  // 100% reduction: capacity 0 with 4 points held -> utilisation +inf.
  EXPECT_DOUBLE_EQ(m.worker_loads()[0].available_hours, 0);
  EXPECT_DOUBLE_EQ(m.worker_loads()[0].capacity, 0);
  EXPECT_EQ(m.worker_loads()[0].utilisation, std::numeric_limits<double>::infinity());
  EXPECT_EQ(m.worker_loads()[0].band, Band::excessive);
  m.set_as_of(ymd(2024, 5, 1));  // end is inclusive: 30 April was the last day
  EXPECT_DOUBLE_EQ(m.worker_loads()[0].capacity, 20);
}

TEST(Model, ZeroCapacityWithoutPointsIsZeroUtilisation) {
  Worker a = make_worker("A", "T1", "sw");
  a.reductions.push_back({"sick", 100.0, std::nullopt, std::nullopt, std::nullopt});
  Caseload m(test_scheme(), {a}, {}, known_as_of());
  EXPECT_EQ(m.worker_loads()[0].utilisation, 0);
}

TEST(Model, AsyeBreachesAreListed) {
  // B (ASYE, capacity 20 * 0.9 = 18, max 3 cases) holds alone: cp C1 (8),
  // cp C2 (8), cin C3 (4), cin C4 (4) = 24 points, 4 cases.
  // Breaches: u = 24 / 18 = 1.333 > 1; 4 > 3 cases; C1 and C2 held alone.
  Worker b = make_worker("B", "T1", "asye");
  std::vector<Case> cases = {make_case("C1", "cp", {{"B", 1.0}}), make_case("C2", "cp", {{"B", 1.0}}),
                             make_case("C3", "cin", {{"B", 1.0}}), make_case("C4", "cin", {{"B", 1.0}})};
  Caseload m(test_scheme(), {b}, cases, known_as_of());
  const WorkerLoad& l = m.worker_loads()[0];
  EXPECT_FALSE(l.asye_protected);
  ASSERT_EQ(l.asye_breaches.size(), 4u);
  EXPECT_EQ(l.asye_breaches[0], "points 24 above protected capacity 18 (utilisation 133.3%)");
  EXPECT_EQ(l.asye_breaches[1], "holds 4 cases, above the protected maximum of 3");
  EXPECT_EQ(l.asye_breaches[2],
            "holds case \"C1\" (cp) without a co-worker; it may be held only jointly with an experienced worker");
  EXPECT_NE(l.asye_breaches[3].find("\"C2\""), std::string::npos);
}

TEST(Model, NonCaseHoldingRoleIsNeverOverBenchmark) {
  Worker tm = make_worker("M", "T1", "tm", 3.7);  // 0.1 FTE with 3 cases = 30 per FTE
  std::vector<Case> cases = {make_case("C1", "cin", {{"M", 1.0}}), make_case("C2", "cin", {{"M", 1.0}}),
                             make_case("C3", "cin", {{"M", 1.0}})};
  Caseload m(test_scheme(), {tm}, cases, known_as_of());
  EXPECT_FALSE(m.worker_loads()[0].case_holding);
  EXPECT_FALSE(m.worker_loads()[0].over_case_benchmark);
}

TEST(Model, UnknownServiceAreaUsesDefaultThresholds) {
  // default: bands 0.85/1.0/1.1, 16 cases per FTE. 0.9 utilisation -> amber.
  Worker a = make_worker("A", "T1", "sw");
  a.service_area = "adults";
  Case c = make_case("C1", "cin", {{"A", 1.0}}, {"complex"});  // 6 points
  a.contracted_hours = 37.0 * 6.0 / 18.0;                      // capacity 20 * 6 / 18 = 6.667 = 6 / 0.9
  Caseload m(test_scheme(), {a}, {c}, known_as_of());
  EXPECT_NEAR(m.worker_loads()[0].utilisation, 0.9, 1e-12);
  EXPECT_EQ(m.worker_loads()[0].band, Band::amber);
  EXPECT_FALSE(m.worker_loads()[0].over_case_benchmark);  // 1 case / 0.33 FTE = 3 < 16
}

TEST(Model, VersionedSchemeChangesPointsWithAsOf) {
  Caseload m = known_model();
  EXPECT_DOUBLE_EQ(m.case_points("C2"), 11);
  // From 2024-07-01 cp is worth 10: C2 = 10 + 3 = 13, C5 = 10 * 1.5 = 15; C3's
  // court report was due 2024-04-30 so C3 = 6.
  m.set_as_of(ymd(2024, 7, 15));
  EXPECT_EQ(m.as_of(), ymd(2024, 7, 15));
  EXPECT_EQ(m.scheme_version().version, "2024.2");
  EXPECT_DOUBLE_EQ(m.case_points("C2"), 13);
  EXPECT_DOUBLE_EQ(m.case_points("C5"), 15);
  EXPECT_DOUBLE_EQ(m.case_points("C3"), 6);
  EXPECT_DOUBLE_EQ(m.worker_load("A").points, 10.5 + 6.5);
  EXPECT_EQ(m.breakdown("A").lines[3].rule, "case type cp: 10 points (scheme 2024.2)");
}

TEST(Model, SetAsOfFailureChangesNothing) {
  Caseload m = known_model();
  const std::vector<WorkerLoad> before = m.worker_loads();
  try {
    m.set_as_of(ymd(2023, 12, 1));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_STREQ(e.what(), "scheme \"test\": no version in force on 2023-12-01");
  }
  // Before the cases were opened.
  try {
    m.set_as_of(ymd(2024, 1, 5));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "case \"C1\": opened 2024-01-10 is after as_of 2024-01-05");
  }
  EXPECT_EQ(m.as_of(), known_as_of());
  ASSERT_EQ(m.worker_loads().size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(m.worker_loads()[i].points, before[i].points);
}

TEST(Model, SnapshotHasOneRowPerWorker) {
  const Caseload m = known_model();
  const auto snaps = m.snapshot();
  ASSERT_EQ(snaps.size(), 3u);
  EXPECT_EQ(snaps[2].worker_id, "C");
  EXPECT_EQ(snaps[2].date, known_as_of());
  EXPECT_NEAR(snaps[2].utilisation, 2.0, 1e-12);
  EXPECT_EQ(snaps[2].cases, 2.0);
  EXPECT_EQ(snaps[2].points, 16.0);
  EXPECT_NEAR(*snaps[2].capacity, 8.0, 1e-12);
  EXPECT_EQ(snaps[2].team, "T2");
  EXPECT_EQ(snaps[2].service_area, "children");
}

TEST(Model, CopyAndMoveKeepFigures) {
  Caseload m = known_model();
  Caseload copy = m;
  m.set_as_of(ymd(2024, 7, 15));
  EXPECT_EQ(copy.scheme_version().version, "2024.1");  // independent state
  EXPECT_DOUBLE_EQ(copy.case_points("C2"), 11);
  Caseload moved = std::move(copy);
  EXPECT_DOUBLE_EQ(moved.worker_load("A").points, 16);
  copy = moved;  // assign into a moved-from object
  EXPECT_DOUBLE_EQ(copy.worker_load("C").points, 16);
}

// --- validation -------------------------------------------------------------

struct Expect {
  ErrorCode code;
  std::string message;
};

Expect construct_error(const std::function<void(std::vector<Worker>&, std::vector<Case>&)>& mutate) {
  auto workers = known_workers();
  auto cases = known_cases();
  mutate(workers, cases);
  try {
    Caseload m(test_scheme(), workers, cases, known_as_of());
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  return {ErrorCode::ok, ""};
}

#define EXPECT_MODEL_ERROR(mutation, expected_code, expected_message)                     \
  do {                                                                                    \
    const Expect got = construct_error([](std::vector<Worker>& w, std::vector<Case>& c) { \
      (void)w;                                                                            \
      (void)c;                                                                            \
      mutation;                                                                           \
    });                                                                                   \
    EXPECT_EQ(got.message, expected_message);                                             \
    EXPECT_EQ(got.code, expected_code) << got.message;                                    \
  } while (0)

TEST(ModelValidation, KnownModelIsValid) {
  EXPECT_MODEL_ERROR({}, ErrorCode::ok, "");
}

TEST(ModelValidation, Workers) {
  const auto bad = ErrorCode::invalid_argument;
  EXPECT_MODEL_ERROR(w[0].id.clear(), bad, "worker at index 0: id must not be empty");
  EXPECT_MODEL_ERROR(w[1].id = "A", ErrorCode::duplicate, "worker \"A\": duplicate id");
  EXPECT_MODEL_ERROR(w[0].team.clear(), bad, "worker \"A\": team must not be empty");
  EXPECT_MODEL_ERROR(w[0].role = "boss", ErrorCode::not_found, "worker \"A\": unknown role \"boss\" (scheme 2024.1)");
  EXPECT_MODEL_ERROR(w[0].contracted_hours = -0.2, bad, "worker \"A\": contracted_hours must be in (0, 60], got -0.2");
  EXPECT_MODEL_ERROR(w[0].contracted_hours = 0, bad, "worker \"A\": contracted_hours must be in (0, 60], got 0");
  EXPECT_MODEL_ERROR(w[0].contracted_hours = 60.5, bad, "worker \"A\": contracted_hours must be in (0, 60], got 60.5");
  EXPECT_MODEL_ERROR(w[0].contracted_hours = std::nan(""), bad,
                     "worker \"A\": contracted_hours must be in (0, 60], got nan");
  EXPECT_MODEL_ERROR(w[0].experience_years = -1, bad, "worker \"A\": experience_years must be >= 0, got -1");
  EXPECT_MODEL_ERROR(w[0].reported_weekly_hours = -3, bad, "worker \"A\": reported_weekly_hours must be >= 0, got -3");
  EXPECT_MODEL_ERROR(w[0].expected_new_cases = std::numeric_limits<double>::infinity(), bad,
                     "worker \"A\": expected_new_cases must be >= 0, got inf");
}

TEST(ModelValidation, Reductions) {
  const auto bad = ErrorCode::invalid_argument;
  EXPECT_MODEL_ERROR(w[1].reductions[0].hours = 2, bad,
                     "worker \"B\": reduction 0 (\"asye_development\"): exactly one of percent and hours must be set");
  EXPECT_MODEL_ERROR(w[1].reductions[0].percent.reset(), bad,
                     "worker \"B\": reduction 0 (\"asye_development\"): exactly one of percent and hours must be set");
  EXPECT_MODEL_ERROR(w[1].reductions[0].percent = 120, bad,
                     "worker \"B\": reduction 0 (\"asye_development\"): percent must be in (0, 100], got 120");
  EXPECT_MODEL_ERROR(w[1].reductions[0].percent = 0, bad,
                     "worker \"B\": reduction 0 (\"asye_development\"): percent must be in (0, 100], got 0");
  EXPECT_MODEL_ERROR(w[2].reductions[0].hours = 20, bad,
                     "worker \"C\": reduction 0 (\"union\"): hours must be in (0, 18.5], got 20");
  EXPECT_MODEL_ERROR(w[2].reductions[0].end = ymd(2023, 12, 31), bad,
                     "worker \"C\": reduction 0 (\"union\"): end 2023-12-31 is before start 2024-01-01");
  // B has 10% open-ended; another 95% active on as_of makes 105%.
  EXPECT_MODEL_ERROR(w[1].reductions.push_back({"sick", 95.0, std::nullopt, std::nullopt, std::nullopt}), bad,
                     "worker \"B\": active reductions on 2024-03-31 total 105% of contracted hours, more than 100%");
  // The same reduction outside as_of does not count toward the total.
  EXPECT_MODEL_ERROR(w[1].reductions.push_back({"sick", 95.0, std::nullopt, ymd(2024, 5, 1), std::nullopt}),
                     ErrorCode::ok, "");
  // Hours convert via contracted hours: C has 3.7 of 18.5 h (20%) + 80% = 100%: allowed.
  EXPECT_MODEL_ERROR(w[2].reductions.push_back({"phased", 80.0, std::nullopt, std::nullopt, std::nullopt}),
                     ErrorCode::ok, "");
}

TEST(ModelValidation, Cases) {
  const auto bad = ErrorCode::invalid_argument;
  EXPECT_MODEL_ERROR(c[0].id.clear(), bad, "case at index 0: id must not be empty");
  EXPECT_MODEL_ERROR(c[1].id = "C1", ErrorCode::duplicate, "case \"C1\": duplicate id");
  EXPECT_MODEL_ERROR(c[0].case_type = "x", ErrorCode::not_found,
                     "case \"C1\": unknown case_type \"x\" (scheme 2024.1)");
  EXPECT_MODEL_ERROR(c[0].factors.push_back("y"), ErrorCode::not_found,
                     "case \"C1\": unknown factor \"y\" (scheme 2024.1)");
  EXPECT_MODEL_ERROR(c[0].factors.push_back("court"), ErrorCode::duplicate,
                     "case \"C1\": factor \"court\" is listed twice");
  EXPECT_MODEL_ERROR(c[2].tasks[0].type = "nope", ErrorCode::not_found,
                     "case \"C3\": task 0 (\"nope\"): unknown task type \"nope\" (scheme 2024.1)");
  EXPECT_MODEL_ERROR(c[2].tasks[0].points = -1, bad,
                     "case \"C3\": task 0 (\"court_report\"): points must be in [0, 1e+06], got -1");
  // Regression (defect 10): 1e300 points gave infinite loads and null output.
  EXPECT_MODEL_ERROR(c[2].tasks[0].points = 1e300, bad,
                     "case \"C3\": task 0 (\"court_report\"): points must be in [0, 1e+06], got 1e+300");
  EXPECT_MODEL_ERROR(c[2].tasks[0].due = ymd(2024, 2, 1), bad,
                     "case \"C3\": task 0 (\"court_report\"): due 2024-02-01 is before created 2024-03-01");
  EXPECT_MODEL_ERROR(c[0].opened = ymd(2024, 4, 1), bad, "case \"C1\": opened 2024-04-01 is after as_of 2024-03-31");
  EXPECT_MODEL_ERROR(c[5].team.clear(), bad, "case \"C6\": team is required when the case is unallocated");
  EXPECT_MODEL_ERROR(c[0].allocations = (std::vector<Allocation>{{"A", 0.5}, {"B", 0.25}, {"C", 0.25}}), bad,
                     "case \"C1\": at most 2 allocations (co-working), got 3");
  EXPECT_MODEL_ERROR(c[2].allocations[0].worker_id = "W99", ErrorCode::not_found,
                     "case \"C3\": allocated to unknown worker \"W99\"");
  EXPECT_MODEL_ERROR(c[1].allocations[1].worker_id = "A", ErrorCode::duplicate,
                     "case \"C2\": worker \"A\" is allocated twice");
  EXPECT_MODEL_ERROR(c[0].allocations[0].share = 1.5, bad,
                     "case \"C1\": share of worker \"A\" must be in (0, 1], got 1.5");
  EXPECT_MODEL_ERROR(c[0].allocations[0].share = 0, bad, "case \"C1\": share of worker \"A\" must be in (0, 1], got 0");
  EXPECT_MODEL_ERROR(c[1].allocations[1].share = 0.25, bad, "case \"C2\": allocation shares must sum to 1, got 0.75");
}

// Regression (defect 10): each multiplier is at most 100, but a case listing
// many of them could still overflow; their product is bounded per case.
TEST(ModelValidation, ProductOfMultipliersIsBounded) {
  SchemeVersion v = test_version_1();
  for (const char* name : {"m1", "m2", "m3", "m4"}) v.factors.push_back({name, FactorRule::Kind::multiply, 100, ""});
  const WeightingScheme scheme("s", {v});
  auto cases = known_cases();
  cases[3].factors = {"m1", "m2", "m3"};  // 1e6: the bound, accepted
  const Caseload ok(scheme, known_workers(), cases, known_as_of());
  EXPECT_TRUE(std::isfinite(ok.case_points("C4")));
  cases[3].factors = {"m1", "m2", "m3", "m4"};
  try {
    Caseload m(scheme, known_workers(), cases, known_as_of());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(std::string(e.what()),
              "case \"C4\": factors: the product of the multiplying factors must be <= 1e+06, got 1e+08");
  }
}

TEST(ModelValidation, TaskWithPointsNeedsNoRuleAndCaseTypeMustBeInForceVersion) {
  // A task of an unknown type with given points counts those points.
  auto cases = known_cases();
  cases[0].tasks.push_back({"home_visit", 2.5, std::nullopt, std::nullopt, false});
  Caseload m(test_scheme(), known_workers(), cases, known_as_of());
  EXPECT_DOUBLE_EQ(m.case_points("C1"), 13.0);  // 10.5 + 2.5

  // A case type that exists only from version 2024.2 is unknown before it.
  SchemeVersion v2 = test_version_2();
  v2.case_types.push_back({"leaving_care", 5, false, ""});
  WeightingScheme s("test", {test_version_1(), v2});
  std::vector<Case> lc = {make_case("L1", "leaving_care", {{"A", 1.0}})};
  EXPECT_NO_THROW(Caseload(s, known_workers(), lc, ymd(2024, 7, 1)));
  try {
    Caseload bad(s, known_workers(), lc, ymd(2024, 6, 30));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "case \"L1\": unknown case_type \"leaving_care\" (scheme 2024.1)");
  }
}

// The Table&& readers (used by the Python layer, which hands over the table
// it built) move text out instead of copying it; they must read exactly what
// the const& readers read, escapes and errors included.
Table text_table(std::vector<std::pair<std::string, std::vector<std::string>>> columns) {
  Table t;
  for (auto& [name, cells] : columns) {
    Column c;
    c.name = name;
    c.text = std::move(cells);
    t.columns.push_back(std::move(c));
  }
  return t;
}

TEST(TableReaders, MovingReadEqualsCopyingRead) {
  const Table cases = text_table({{"id", {"C1", "C2"}},
                                  {"case_type", {"cin", "cp"}},
                                  {"open_date", {"2024-01-10", "2024-02-01"}},
                                  {"factors", {"court;complex", ""}},
                                  // "W\:1" is worker "W:1" (escaped ':'), share 0.5.
                                  {"allocations", {"A", "W\\:1:0.5;B:0.5"}},
                                  {"tasks", {"court_report:2024-04-30::2024-03-01", "visit::2.5::done"}}});
  const auto copied = cases_from_table(cases);
  auto moved = cases_from_table(Table(cases));
  ASSERT_EQ(moved.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(moved[i].id, copied[i].id);
    EXPECT_EQ(moved[i].factors, copied[i].factors);
    EXPECT_EQ(moved[i].opened, copied[i].opened);
    ASSERT_EQ(moved[i].allocations.size(), copied[i].allocations.size());
    ASSERT_EQ(moved[i].tasks.size(), copied[i].tasks.size());
  }
  EXPECT_EQ(moved[0].factors, (std::vector<std::string>{"court", "complex"}));
  EXPECT_EQ(moved[1].allocations[0].worker_id, "W:1");
  EXPECT_DOUBLE_EQ(moved[1].allocations[0].share, 0.5);
  EXPECT_EQ(moved[0].tasks[0].due, ymd(2024, 4, 30));
  EXPECT_EQ(moved[0].tasks[0].created, ymd(2024, 3, 1));
  EXPECT_EQ(moved[1].tasks[0].points, 2.5);
  EXPECT_TRUE(moved[1].tasks[0].completed);

  const Table snaps = text_table({{"date", {"2024-03-24", "2024-03-31"}},
                                  {"worker_id", {"A", "A"}},
                                  {"utilisation", {"1.2", "0.9"}},
                                  {"team", {"Assessment North and South", ""}}});
  const auto s = snapshots_from_table(Table(snaps));
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].team, "Assessment North and South");  // longer than the small-string buffer
  EXPECT_EQ(s[1].team, "");
  EXPECT_EQ(s[1].date, ymd(2024, 3, 31));
}

TEST(TableReaders, ErrorsStillNameTheRowAndRecord) {
  // The row context is formatted only when a message needs it.
  Table bad_date =
      text_table({{"id", {"C1", "C2"}}, {"case_type", {"cin", "cin"}}, {"open_date", {"2024-01-10", "2024-02-30"}}});
  EXPECT_EQ(error_of([&] { (void)cases_from_table(std::move(bad_date)); }, ErrorCode::parse),
            "row 2 (case \"C2\"): open_date must be a date YYYY-MM-DD, got \"2024-02-30\"");
  Table bad_task = text_table(
      {{"id", {"C1"}}, {"case_type", {"cin"}}, {"open_date", {"2024-01-10"}}, {"tasks", {"visit:2024-13-01"}}});
  EXPECT_EQ(error_of([&] { (void)cases_from_table(std::move(bad_task)); }, ErrorCode::parse),
            "row 1 (case \"C1\"): tasks due must be a date YYYY-MM-DD, got \"2024-13-01\"");
  Table missing = text_table({{"date", {"2024-03-31"}}, {"worker_id", {""}}, {"utilisation", {"1"}}});
  EXPECT_EQ(error_of([&] { (void)snapshots_from_table(std::move(missing)); }, ErrorCode::parse),
            "row 1: worker_id is required");
  Table too_many =
      text_table({{"id", {"C1"}}, {"case_type", {"cin"}}, {"open_date", {"2024-01-10"}}, {"allocations", {"A:0.5:x"}}});
  EXPECT_NE(error_of([&] { (void)cases_from_table(std::move(too_many)); }, ErrorCode::parse)
                .find("row 1 (case \"C1\"): allocations item \"A:0.5:x\": must be worker_id or worker_id:share"),
            std::string::npos);
}

}  // namespace
