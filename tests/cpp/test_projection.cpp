// Capacity projection: known answers (Kaplan-Meier by hand, Little's law,
// turnover decay), invariants (coherent roll-ups, determinism across thread
// counts, monotone breach probability, required FTE achieving alpha,
// scenarios) and error paths naming the record and field.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/json_api.hpp"
#include "caseload/model.hpp"
#include "caseload/projection.hpp"
#include "caseload/scheme.hpp"
#include "caseload/synthetic.hpp"

namespace caseload {
namespace {

Date ymd(int y, int m, int d) {
  return Date::from_ymd(y, m, d);
}

const Date kAsOf = ymd(2024, 3, 31);

Worker sw(const std::string& id, const std::string& team) {
  Worker w;
  w.id = id;
  w.team = team;
  w.service_area = "children_in_need";
  w.role = "social_worker";
  w.contracted_hours = 37;
  return w;
}

Case cin(const std::string& id, const std::string& worker, Date opened) {
  Case c;
  c.id = id;
  c.case_type = "child_in_need";
  c.opened = opened;
  c.allocations = {{worker, 1.0}};
  return c;
}

// Team North: 5 social workers (capacity 5 x 100 = 500 points) holding 90
// child-in-need cases aged 0..445 days (about 0.92 of capacity under the
// default scheme). Team South: 3 workers, 30 cases (about 0.51).
Caseload loaded_model() {
  std::vector<Worker> workers;
  for (int i = 0; i < 5; ++i) workers.push_back(sw("N" + std::to_string(i), "North"));
  for (int i = 0; i < 3; ++i) workers.push_back(sw("S" + std::to_string(i), "South"));
  std::vector<Case> cases;
  for (int i = 0; i < 90; ++i)
    cases.push_back(cin("CN" + std::to_string(i), "N" + std::to_string(i % 5), Date{kAsOf.days - 5 * i}));
  for (int i = 0; i < 30; ++i)
    cases.push_back(cin("CS" + std::to_string(i), "S" + std::to_string(i % 3), Date{kAsOf.days - 11 * i}));
  return Caseload(WeightingScheme::default_scheme(), workers, cases, kAsOf);
}

const GroupProjection& group(const ScenarioProjection& s, Level level, const std::string& name) {
  for (const auto& g : s.groups)
    if (g.level == level && g.group == name) return g;
  throw std::runtime_error("no group " + name);
}

ProjectionOptions quick(int32_t paths = 400) {
  ProjectionOptions o;
  o.n_paths = paths;
  o.seed = 7;
  o.n_threads = 2;
  return o;
}

template <class F>
void expect_error(F&& f, ErrorCode code, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "no error; expected: " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

TEST(KaplanMeier, HandComputedWithCensoring) {
  // Durations 1 2 2+ 3 4+ 5 (+ = censored, still open).
  //  t=1: 6 at risk, 1 closes -> S = 5/6
  //  t=2: 5 at risk (the censored 2 still counts), 1 closes -> S = 5/6 * 4/5 = 2/3
  //  t=3: 3 at risk, 1 closes -> S = 2/3 * 2/3 = 4/9
  //  t=4: censored only, no step; t=5: 1 at risk, 1 closes -> S = 0
  const KaplanMeier km = kaplan_meier({2, 1, 2, 3, 4, 5}, {false, true, true, true, false, true});
  ASSERT_EQ(km.time.size(), 4u);
  EXPECT_EQ(km.time, (std::vector<double>{1, 2, 3, 5}));
  EXPECT_NEAR(km.survival[0], 5.0 / 6, 1e-12);
  EXPECT_NEAR(km.survival[1], 2.0 / 3, 1e-12);
  EXPECT_NEAR(km.survival[2], 4.0 / 9, 1e-12);
  EXPECT_NEAR(km.survival[3], 0.0, 1e-12);
  EXPECT_EQ(km.n, 6);
  EXPECT_EQ(km.events, 4);
}

TEST(KaplanMeier, RejectsBadDurations) {
  expect_error(
      [] {
        (void)kaplan_meier({1, std::nan("")}, {true, true});
      },
      ErrorCode::invalid_argument, "durations[1] must be finite and >= 0, got nan");
  expect_error([] { (void)kaplan_meier({1}, {true, false}); }, ErrorCode::invalid_argument, "differ in length");
}

// Little's law: 30 new cases a month whose durations are spread evenly over
// (0, 121.75] days (mean 60.875 days = 2 months). After 12 months (far
// beyond the longest duration) the expected number open is
// lambda * E[D] = 30 / 30.4375 per day * 60.875 days = 60.
TEST(Projection, LittlesLawInSteadyState) {
  std::vector<Worker> workers;
  for (int i = 0; i < 10; ++i) workers.push_back(sw("W" + std::to_string(i), "North"));
  const Caseload model(WeightingScheme::default_scheme(), workers, {}, kAsOf);
  std::vector<ReferralCount> referrals;
  for (int m = 0; m < 24; ++m) referrals.push_back({"North", ymd(2022 + (m + 3) / 12, (m + 3) % 12 + 1, 1), 30});
  std::vector<CaseDuration> closed;
  for (int i = 0; i < 400; ++i) {
    const auto days = static_cast<int32_t>(std::lround(121.75 * (i + 0.5) / 400));
    closed.push_back({"K" + std::to_string(i), "child_in_need", ymd(2023, 6, 1), Date{ymd(2023, 6, 1).days + days}});
  }
  ProjectionOptions o = quick(2000);
  o.forecast_model = "naive";  // a constant series: exactly 30 a month on every path
  const CapacityProjection p = project_capacity(model, referrals, closed, o);
  ASSERT_EQ(p.survival.size(), 11u);
  const auto& north = group(p.scenarios[0], Level::team, "North");
  EXPECT_NEAR(north.months[0].expected_new_cases, 30, 1e-9);
  // Open cases are (nearly) binomial-Poisson with variance ~60: the mean of
  // 2000 paths has sd ~0.17; integer-day durations shift E[D] by < 0.01 days.
  EXPECT_NEAR(north.months[11].expected_open_cases, 60.0, 1.0);
  EXPECT_NEAR(north.months[6].expected_open_cases, 60.0, 1.0);
  // Every new case is a child-in-need case (the only type in the durations
  // table) worth the scheme's base points (no cases held to average over).
  const double base = model.scheme_version().find_case_type("child_in_need")->base_points;
  EXPECT_NEAR(north.months[11].expected_workload, base * north.months[11].expected_open_cases, 1e-6);
  for (const auto& s : p.survival) {
    if (s.case_type == "child_in_need") {
      EXPECT_EQ(s.source, "kaplan_meier");
      EXPECT_EQ(s.events, 400);
      EXPECT_NEAR(s.mean_days, 60.875, 0.05);
    } else {
      EXPECT_EQ(s.source, "default");
    }
  }
}

// Without hiring, agency or sickness, each worker stays with probability
// (1 - h) a month, h = 1 - (1 - 0.5)^(1/12), so E[FTE at t] = 10 * 0.5^(t/12):
// 7.071 at 6 months, 5 at 12.
TEST(Projection, SupplyDecaysWithTheTurnoverHazard) {
  std::vector<Worker> workers;
  for (int i = 0; i < 10; ++i) workers.push_back(sw("W" + std::to_string(i), "North"));
  const Caseload model(WeightingScheme::default_scheme(), workers, {}, kAsOf);
  ProjectionOptions o = quick(4000);
  o.supply.annual_turnover = 0.5;
  o.supply.fill_rate = 0;
  o.supply.agency_cover = 0;
  o.supply.sickness_absence = 0;
  const CapacityProjection p = project_capacity(model, {}, {}, o);
  const auto& north = group(p.scenarios[0], Level::team, "North");
  // sd of the mean over 4000 paths <= sqrt(10 * 0.25 / 4000) = 0.025.
  EXPECT_NEAR(north.months[5].expected_fte, 10 * std::pow(0.5, 0.5), 0.1);
  EXPECT_NEAR(north.months[11].expected_fte, 5.0, 0.1);
  EXPECT_NEAR(north.months[11].expected_capacity, 500.0, 10.0);  // 100 points per FTE, no reductions
  // With full hiring and no lead time the establishment holds.
  o.supply.fill_rate = 1;
  o.supply.hiring_lead_months = 0;
  o.supply.new_starter_asye_share = 0;
  const CapacityProjection full = project_capacity(model, {}, {}, o);
  EXPECT_NEAR(group(full.scenarios[0], Level::team, "North").months[11].expected_fte, 10.0, 1e-9);
}

// Whole-month sickness is a prevalence, and absences already recorded are
// part of it. Ten workers, one absent all year (a 100% reduction): with
// sickness 0.3, all of it in whole months, the other nine are drawn absent
// with p = (0.3 - 0.1) / (1 - 0.1) = 2/9, so E[capacity] = 9 x 100 x 7/9 =
// 700 = 1000 x (1 - 0.3): the workforce loses 30%, not the recorded 10%
// plus 30% of the rest (630). sd of one path 100 sqrt(9 x 2/9 x 7/9) = 125,
// of the mean over 4000 paths 2. With two recorded absent (20%) and
// sickness 0.1 nobody else is drawn: capacity exactly 800.
TEST(Projection, RecordedAbsencesArePartOfTheSicknessRate) {
  std::vector<Worker> workers;
  for (int i = 0; i < 10; ++i) workers.push_back(sw("W" + std::to_string(i), "North"));
  Reduction off;
  off.reason = "Long-term sickness";
  off.percent = 100;
  off.start = ymd(2024, 1, 1);
  off.end = ymd(2025, 12, 31);
  workers[0].reductions = {off};
  ProjectionOptions o = quick(4000);
  o.supply.annual_turnover = 0;
  o.supply.long_term_sickness_share = 1;
  o.supply.sickness_absence = 0.3;
  const CapacityProjection p =
      project_capacity(Caseload(WeightingScheme::default_scheme(), workers, {}, kAsOf), {}, {}, o);
  for (const auto& m : group(p.scenarios[0], Level::team, "North").months)
    EXPECT_NEAR(m.expected_capacity, 700, 8) << m.month;
  workers[1].reductions = {off};
  o.supply.sickness_absence = 0.1;
  const CapacityProjection q =
      project_capacity(Caseload(WeightingScheme::default_scheme(), workers, {}, kAsOf), {}, {}, o);
  for (const auto& m : group(q.scenarios[0], Level::team, "North").months)
    EXPECT_NEAR(m.expected_capacity, 800, 1e-9) << m.month;
}

TEST(Projection, StartsFromTodaysRollupAndRollsUpCoherently) {
  const Caseload model = loaded_model();
  const CapacityProjection p = project_capacity(model, {}, {}, quick());
  const auto& base = p.scenarios[0];
  for (const auto& r : model.rollup(Level::team))
    EXPECT_NEAR(group(base, Level::team, r.group).current_utilisation, r.utilisation, 1e-12) << r.group;
  const auto& org = group(base, Level::organisation, "organisation");
  const auto& area = group(base, Level::service_area, "children_in_need");
  const auto& north = group(base, Level::team, "North");
  const auto& south = group(base, Level::team, "South");
  EXPECT_NEAR(org.current_utilisation, model.rollup(Level::organisation)[0].utilisation, 1e-12);
  for (size_t m = 0; m < 12; ++m) {
    EXPECT_NEAR(org.months[m].expected_workload, north.months[m].expected_workload + south.months[m].expected_workload,
                1e-9 * org.months[m].expected_workload);
    EXPECT_NEAR(org.months[m].expected_capacity, north.months[m].expected_capacity + south.months[m].expected_capacity,
                1e-9 * org.months[m].expected_capacity);
    EXPECT_EQ(area.months[m].p_breach, org.months[m].p_breach);  // one service area = the organisation
    EXPECT_GE(org.months[m].p_any_breach, org.months[m].p_breach);
    if (m > 0) EXPECT_GE(org.months[m].p_any_breach, org.months[m - 1].p_any_breach);
    const auto& q = org.months[m].utilisation_quantiles;
    for (size_t k = 1; k < q.size(); ++k) EXPECT_LE(q[k - 1], q[k]);
  }
  // Default steady state: arrivals replace closures, so new cases next month
  // are the stock over the mean duration: 90 / (E[D] in months).
  double mean_days = 0;
  for (const auto& s : p.survival)
    if (s.case_type == "child_in_need") mean_days = s.mean_days;
  EXPECT_NEAR(north.months[0].expected_new_cases, 90 / (mean_days / 30.4375), 1.0);
  EXPECT_NEAR(north.expected_new_cases_per_worker, north.expected_new_cases_next_month / 5, 1e-12);
  EXPECT_EQ(p.demand[0].source, "steady_state");
}

TEST(Projection, IdenticalForAnyThreadCount) {
  SyntheticOptions so;
  so.workers = 60;
  so.history_weeks = 0;
  const SyntheticAuthority a = synthetic_authority(so);
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  ProjectionOptions o = quick(150);
  Scenario spike;
  spike.name = "spike";
  spike.referral_factor = 1.2;
  o.scenarios = {spike};
  std::string first;
  for (const int32_t threads : {1, 2, 3, 8}) {
    o.n_threads = threads;
    const std::string json = projection_to_json(project_capacity(model, {}, {}, o));
    if (first.empty())
      first = json;
    else
      EXPECT_EQ(json, first) << threads << " threads";
  }
  o.seed = 8;
  EXPECT_NE(projection_to_json(project_capacity(model, {}, {}, o)), first);
}

TEST(Projection, BreachFallsWithAddedFteAndRequiredFteAchievesAlpha) {
  const Caseload model = loaded_model();
  ProjectionOptions o = quick(500);
  o.alpha = 0.1;
  const CapacityProjection p = project_capacity(model, {}, {}, o);
  const auto& north = group(p.scenarios[0], Level::team, "North");
  const double required = north.months[5].required_fte;
  ASSERT_GT(north.months[5].p_breach, o.alpha) << "the fixture should be at risk";
  ASSERT_GT(required, 0.01);
  // Added FTE shift capacity only, on the same paths (common random numbers).
  const double added[] = {0, 0.25, 0.5, 1, 2, 4};
  for (const double x : added) {
    Scenario s;
    s.name = "plus " + std::to_string(x);
    s.added_fte = {{"North", x}};
    o.scenarios.push_back(s);
  }
  Scenario at;
  at.name = "at required";
  at.added_fte = {{"North", required + 1e-9}};
  Scenario below;
  below.name = "just below";
  below.added_fte = {{"North", required - 0.01}};
  o.scenarios.push_back(at);
  o.scenarios.push_back(below);
  const CapacityProjection q = project_capacity(model, {}, {}, o);
  double previous = 2;
  for (size_t i = 0; i < std::size(added); ++i) {
    const double pb = group(q.scenarios[1 + i], Level::team, "North").months[5].p_breach;
    EXPECT_LE(pb, previous) << added[i];
    previous = pb;
  }
  EXPECT_EQ(group(q.scenarios[1], Level::team, "North").months[5].p_breach, north.months[5].p_breach);
  EXPECT_LE(group(q.scenarios[7], Level::team, "North").months[5].p_breach, o.alpha);
  EXPECT_GT(group(q.scenarios[8], Level::team, "North").months[5].p_breach, o.alpha);
}

// Required FTE by hand, with nothing random: 100 child-in-need cases opened
// today that all run 1,000 days (every closed case in the table did, so the
// curve and all its bootstrap replicates say so), no referrals, no turnover,
// no sickness. Workload W = 100 x p points and capacity 5 x 100 = 500 on
// every path, so P(breach) is 0 or 1 and the FTE needed at safe level s is
// W / (s x 100 points per FTE); the added FTE is that minus the 5 in post.
TEST(Projection, RequiredFteByHandWhenNothingVaries) {
  std::vector<Worker> workers;
  for (int i = 0; i < 5; ++i) workers.push_back(sw("N" + std::to_string(i), "North"));
  std::vector<Case> cases;
  for (int i = 0; i < 100; ++i) cases.push_back(cin("C" + std::to_string(i), "N" + std::to_string(i % 5), kAsOf));
  const Caseload model(WeightingScheme::default_scheme(), workers, cases, kAsOf);
  std::vector<CaseDuration> closed;
  for (int i = 0; i < 10; ++i)
    closed.push_back({"K" + std::to_string(i), "child_in_need", ymd(2020, 1, 1), Date{ymd(2020, 1, 1).days + 1000}});
  std::vector<ReferralCount> referrals;
  for (int m = 0; m < 24; ++m) referrals.push_back({"North", ymd(2022 + (m + 3) / 12, (m + 3) % 12 + 1, 1), 0});
  ProjectionOptions o = quick(200);
  o.forecast_model = "naive";
  o.safe_level = 0.8;
  o.alpha = 0.05;
  o.supply.annual_turnover = 0;
  o.supply.sickness_absence = 0;
  const CapacityProjection p = project_capacity(model, referrals, closed, o);
  const double points = model.case_points("C0");
  const double workload = 100 * points;          // 511 at 5.11 points a case
  const double needed = workload / (0.8 * 100);  // 6.39 FTE
  const auto& north = group(p.scenarios[0], Level::team, "North");
  for (const auto& m : north.months) {
    EXPECT_NEAR(m.expected_new_cases, 0, 1e-12) << m.month;
    EXPECT_NEAR(m.expected_workload, workload, 1e-9) << m.month;
    EXPECT_NEAR(m.expected_capacity, 500, 1e-9) << m.month;
    EXPECT_EQ(m.p_breach, 1.0) << m.month;  // 511 / 500 > 0.8 on every path
    EXPECT_NEAR(m.required_fte, needed - 5, 1e-9) << m.month;
  }
  EXPECT_NEAR(north.required_fte, needed - 5, 1e-9);
  // With that many FTE added the breach goes (P = 0 <= alpha); it is on the
  // boundary, so a hair below keeps every path in breach.
  Scenario at, below;
  at.name = "at";
  at.added_fte = {{"North", needed - 5 + 1e-9}};
  below.name = "below";
  below.added_fte = {{"North", needed - 5 - 1e-6}};
  o.scenarios = {at, below};
  const CapacityProjection q = project_capacity(model, referrals, closed, o);
  EXPECT_EQ(group(q.scenarios[1], Level::team, "North").months[11].p_breach, 0.0);
  EXPECT_EQ(group(q.scenarios[2], Level::team, "North").months[11].p_breach, 1.0);
  // Shown in every output: JSON per month and the HTML table by month.
  EXPECT_NE(projection_to_json(p).find("\"required_fte\":"), std::string::npos);
  EXPECT_NE(projection_section_html(p).find("Required FTE by month"), std::string::npos);
}

// The bootstrap of the duration curves draws from (seed, replicate, type)
// only: with an estimated durations table the output is still identical for
// any thread count.
TEST(Projection, BootstrappedCurvesIdenticalForAnyThreadCount) {
  SyntheticOptions so;
  so.workers = 48;
  so.history_weeks = 0;
  const SyntheticAuthority a = synthetic_authority(so);
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  const SyntheticHistory h = synthetic_history(a, 2, 24, 0.0);
  ProjectionOptions o = quick(120);
  o.horizon = 6;
  std::string first;
  for (const int32_t threads : {1, 2, 5}) {
    o.n_threads = threads;
    const CapacityProjection p = project_capacity(model, h.referrals, h.durations, o);
    bool estimated = false;
    for (const auto& s : p.survival) estimated = estimated || s.source == "kaplan_meier";
    EXPECT_TRUE(estimated);
    const std::string json = projection_to_json(p);
    if (first.empty())
      first = json;
    else
      EXPECT_EQ(json, first) << threads << " threads";
  }
}

TEST(Projection, ScenariosMoveTheRiskTheRightWay) {
  const Caseload model = loaded_model();
  ProjectionOptions o = quick(400);
  Scenario spike;
  spike.name = "referral spike +20%";
  spike.referral_factor = 1.2;
  Scenario agency;
  agency.name = "two agency workers for three months";
  agency.agency_workers = 2;
  agency.agency_team = "North";
  agency.agency_months = 3;
  Scenario sick;
  sick.name = "sickness up";
  sick.sickness_absence = 0.10;
  Scenario merge;
  merge.name = "merge";
  merge.merges = {{"North and South", {"North", "South"}}};
  o.scenarios = {spike, agency, sick, merge};
  const CapacityProjection p = project_capacity(model, {}, {}, o);
  ASSERT_EQ(p.scenarios.size(), 5u);
  const auto& base = group(p.scenarios[0], Level::team, "North");
  const auto& up = group(p.scenarios[1], Level::team, "North");
  EXPECT_GT(up.months[0].expected_new_cases, base.months[0].expected_new_cases * 1.1);
  EXPECT_GT(up.months[11].p_any_breach, base.months[11].p_any_breach);
  for (size_t m = 0; m < 12; ++m) EXPECT_GE(up.months[m].p_breach, base.months[m].p_breach) << m;
  const auto& ag = group(p.scenarios[2], Level::team, "North");
  EXPECT_NEAR(ag.months[0].expected_fte - base.months[0].expected_fte, 2.0, 1e-9);
  EXPECT_LE(ag.months[1].p_breach, base.months[1].p_breach);
  EXPECT_NEAR(ag.months[5].expected_fte, base.months[5].expected_fte, 1e-9);  // the cover has ended
  const auto& sk = group(p.scenarios[3], Level::team, "North");
  EXPECT_LT(sk.months[6].expected_capacity, base.months[6].expected_capacity);
  EXPECT_GE(sk.months[11].p_any_breach, base.months[11].p_any_breach);
  const auto& merged = group(p.scenarios[4], Level::team, "North and South");
  const auto& south = group(p.scenarios[0], Level::team, "South");
  EXPECT_NEAR(merged.months[3].expected_workload, base.months[3].expected_workload + south.months[3].expected_workload,
              1e-6);
  EXPECT_LT(merged.months[3].p_breach, base.months[3].p_breach);  // pooled with the lighter team
}

TEST(Projection, PlannedStartersAndLeavers) {
  const Caseload model = loaded_model();
  ProjectionOptions o = quick(200);
  o.supply.annual_turnover = 0;
  o.supply.sickness_absence = 0;
  StaffingChange join;
  join.kind = StaffingChange::Kind::join;
  join.date = ymd(2024, 6, 15);  // ends in month 3 (2024-07-01 is day 91 = round(3 * 30.4375))
  join.team = "South";
  StaffingChange leave;
  leave.kind = StaffingChange::Kind::leave;
  leave.date = ymd(2024, 5, 10);  // month 2 (ends 2024-05-31)
  leave.worker_id = "N0";
  o.staffing = {join, leave};
  o.supply.fill_rate = 0;
  o.supply.agency_cover = 0;
  const CapacityProjection p = project_capacity(model, {}, {}, o);
  const auto& north = group(p.scenarios[0], Level::team, "North");
  const auto& south = group(p.scenarios[0], Level::team, "South");
  EXPECT_NEAR(north.months[0].expected_fte, 5, 1e-12);
  EXPECT_NEAR(north.months[1].expected_fte, 4, 1e-12);
  EXPECT_NEAR(south.months[1].expected_fte, 3, 1e-12);
  EXPECT_NEAR(south.months[2].expected_fte, 4, 1e-12);
  EXPECT_NEAR(south.months[2].expected_capacity, 400, 1e-9);
}

TEST(Projection, ReferralHistoryDrivesArrivals) {
  const Caseload model = loaded_model();
  std::vector<ReferralCount> referrals;
  for (int m = 0; m < 24; ++m) referrals.push_back({"North", ymd(2022 + (m + 3) / 12, (m + 3) % 12 + 1, 1), 40});
  ProjectionOptions o = quick(200);
  o.forecast_model = "naive";
  const CapacityProjection p = project_capacity(model, referrals, {}, o);
  EXPECT_NEAR(group(p.scenarios[0], Level::team, "North").months[0].expected_new_cases, 40, 1e-9);
  EXPECT_EQ(p.demand[0].team, "North");
  EXPECT_EQ(p.demand[0].source, "forecast");
  EXPECT_EQ(p.demand[1].source, "steady_state");
}

TEST(Projection, ErrorsNameTheRecordAndField) {
  const Caseload model = loaded_model();
  auto run = [&](std::vector<ReferralCount> r, std::vector<CaseDuration> c, ProjectionOptions o) {
    (void)project_capacity(model, r, c, o);
  };
  const Date jan = ymd(2024, 1, 1), feb = ymd(2024, 2, 1), mar = ymd(2024, 3, 1);
  expect_error(
      [&] {
        run({{"North", jan, 3}, {"North", feb, std::nan("")}, {"North", mar, 1}}, {}, quick());
      },
      ErrorCode::invalid_argument, "referrals[1] (team \"North\"): count must be a non-negative integer, got nan");
  expect_error(
      [&] {
        run({{"North", jan, -1}}, {}, quick());
      },
      ErrorCode::invalid_argument, "referrals[0] (team \"North\"): count must be a non-negative integer, got -1");
  expect_error(
      [&] {
        run({{"North", feb, 1}, {"North", jan, 1}}, {}, quick());
      },
      ErrorCode::invalid_argument,
      "referrals[1] (team \"North\"): period 2024-01 is before the previous row's 2024-02");
  expect_error(
      [&] {
        run({{"North", jan, 1}, {"North", ymd(2024, 1, 20), 1}}, {}, quick());
      },
      ErrorCode::duplicate, "referrals[1] (team \"North\"): period 2024-01 is given twice");
  expect_error(
      [&] {
        run({{"North", jan, 1}, {"North", mar, 1}}, {}, quick());
      },
      ErrorCode::invalid_argument, "months 2024-02 to 2024-02 are missing");
  expect_error(
      [&] {
        run({{"Nowhere", jan, 1}}, {}, quick());
      },
      ErrorCode::not_found, "referrals[0] (team \"Nowhere\"): team \"Nowhere\" is not a team of the model");
  expect_error(
      [&] {
        run({{"North", jan, 1}, {"North", feb, 1}}, {}, quick());
      },
      ErrorCode::invalid_argument, "at least 3 months are needed, got 2");
  expect_error(
      [&] {
        run({}, {{"C9", "child_in_need", feb, jan}}, quick());
      },
      ErrorCode::invalid_argument, "closed_cases[0] (case \"C9\"): closed (2024-01-01) is before opened (2024-02-01)");
  expect_error(
      [&] {
        run({}, {{"", "nonsense", jan, std::nullopt}}, quick());
      },
      ErrorCode::not_found, "closed_cases[0]: case_type \"nonsense\" is not a case type of the scheme");
  ProjectionOptions o = quick();
  o.horizon = 13;
  expect_error([&] { run({}, {}, o); }, ErrorCode::invalid_argument,
               "options: horizon must be an integer in [1, 12], got 13");
  o = quick();
  o.supply.annual_turnover = std::nan("");
  expect_error([&] { run({}, {}, o); }, ErrorCode::invalid_argument,
               "options: supply: annual_turnover must be in [0, 1), got nan");
  o = quick();
  StaffingChange join;
  join.date = ymd(2024, 5, 1);
  join.team = "Nowhere";
  o.staffing = {join};
  expect_error([&] { run({}, {}, o); }, ErrorCode::not_found,
               "options: staffing[0]: team \"Nowhere\" is not a team of the model");
  o.staffing[0].team = "North";
  o.staffing[0].date = ymd(2024, 3, 1);
  expect_error([&] { run({}, {}, o); }, ErrorCode::invalid_argument,
               "options: staffing[0]: date must be after as_of (2024-03-31), got 2024-03-01");
  o = quick();
  StaffingChange leave;
  leave.kind = StaffingChange::Kind::leave;
  leave.date = ymd(2024, 5, 1);
  leave.worker_id = "N1";
  o.staffing = {leave, leave};
  expect_error([&] { run({}, {}, o); }, ErrorCode::duplicate, "options: staffing[1]: worker \"N1\" leaves twice");
  o = quick();
  Scenario s;
  s.name = "bad";
  s.agency_workers = 2;
  s.agency_team = "Atlantis";
  o.scenarios = {s};
  expect_error([&] { run({}, {}, o); }, ErrorCode::not_found,
               "options: scenarios[0] (\"bad\"): agency_team \"Atlantis\" is not a team of the model");
  // A failed call changes nothing: the model still works.
  EXPECT_NO_THROW(run({}, {}, quick(20)));
}

TEST(Projection, HtmlSectionAndJson) {
  const Caseload model = loaded_model();
  ProjectionOptions o = quick(100);
  Scenario spike;
  spike.name = "spike <&>";
  spike.referral_factor = 1.2;
  o.scenarios = {spike};
  const CapacityProjection p = project_capacity(model, {}, {}, o);
  const std::string html = projection_section_html(p);
  EXPECT_NE(html.find("<section id=\"forecast\">"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find(">North</th>"), std::string::npos);
  EXPECT_NE(html.find("spike &lt;&amp;&gt;"), std::string::npos);
  const std::string json = projection_to_json(p);
  EXPECT_NE(json.find("\"name\":\"baseline\""), std::string::npos);
  EXPECT_NE(json.find("\"p_any_breach\""), std::string::npos);
}

}  // namespace
}  // namespace caseload

namespace caseload {
namespace {

TEST(ProjectionJsonApi, RunsAndRejectsBadRequests) {
  const std::string base =
      R"({"op":"project_capacity","as_of":"2024-03-31",)"
      R"("workers":[{"id":"W1","team":"T","service_area":"children_in_need","role":"social_worker","contracted_hours":37}],)"
      R"("cases":[{"id":"C1","case_type":"child_in_need","open_date":"2024-01-05",)"
      R"("allocations":[{"worker_id":"W1","share":1}]}],)";
  const std::string ok = run_json_request(
      base + R"("referrals":[{"team":"T","period":"2024-01","count":3},{"team":"T","period":"2024-02","count":4},)"
             R"({"team":"T","period":"2024-03","count":2}],)"
             R"("options":{"horizon":3,"n_paths":50,"scenarios":[{"name":"spike","referral_factor":1.2}]}})");
  EXPECT_NE(ok.find("\"op\":\"project_capacity\""), std::string::npos);
  EXPECT_NE(ok.find("\"name\":\"spike\""), std::string::npos);
  const std::string html = run_json_request(base + R"("format":"html","options":{"horizon":2,"n_paths":20}})");
  EXPECT_NE(html.find("forecast"), std::string::npos);
  try {
    (void)run_json_request(base + R"("options":{"staffing":[{"kind":"join","date":"2024-05-01","team":"X"}]}})");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_NE(std::string(e.what()).find("staffing[0]: team \"X\" is not a team of the model"), std::string::npos)
        << e.what();
  }
  try {
    (void)run_json_request(base + R"("options":{"horizons":3}})");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("horizons"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace caseload

#include "caseload/caseload.h"

namespace caseload {
namespace {

TEST(ProjectionCApi, ModelAndWholeRequest) {
  const char* workers =
      R"([{"id":"W1","team":"T","service_area":"children_in_need","role":"social_worker","contracted_hours":37}])";
  const char* cases =
      R"([{"id":"C1","case_type":"child_in_need","open_date":"2024-01-05","allocations":[{"worker_id":"W1","share":1}]}])";
  caseload_model* model = nullptr;
  ASSERT_EQ(caseload_model_create_json(&model, nullptr, workers, cases, "2024-03-31"), CASELOAD_OK)
      << caseload_last_error();
  char* out = nullptr;
  ASSERT_EQ(caseload_model_project_capacity_json(&out, model, R"({"options":{"horizon":2,"n_paths":20}})"), CASELOAD_OK)
      << caseload_last_error();
  EXPECT_NE(std::string(out).find("\"scenarios\""), std::string::npos);
  caseload_string_free(out);
  out = nullptr;
  EXPECT_EQ(caseload_model_project_capacity_json(&out, model, R"({"options":{"horizon":0}})"), CASELOAD_EINVALID);
  EXPECT_EQ(out, nullptr);
  EXPECT_STREQ(caseload_last_error(), "options: horizon must be an integer in [1, 12], got 0");
  EXPECT_EQ(caseload_model_project_capacity_json(&out, nullptr, nullptr), CASELOAD_EINVALID);

  const std::string req = std::string(R"({"as_of":"2024-03-31","workers":)") + workers + R"(,"cases":)" + cases +
                          R"(,"options":{"horizon":1,"n_paths":10}})";
  ASSERT_EQ(caseload_project_capacity_json(&out, req.data(), req.size()), CASELOAD_OK) << caseload_last_error();
  EXPECT_EQ(std::string(out).rfind("{\"as_of\":\"2024-03-31\"", 0), 0u) << out;
  caseload_string_free(out);
  const std::string wrong = R"({"op":"rollup"})";
  EXPECT_EQ(caseload_project_capacity_json(&out, wrong.data(), wrong.size()), CASELOAD_EINVALID);
  caseload_model_free(model);
}

}  // namespace
}  // namespace caseload

#include "caseload/health_check.hpp"

namespace caseload {
namespace {

TEST(ProjectionHealthCheck, SectionAppearsInThePage) {
  std::vector<Worker> workers = {sw("A", "North")};
  std::vector<Case> cases = {cin("C1", "A", ymd(2024, 1, 10))};
  const Caseload model(WeightingScheme::default_scheme(), workers, cases, kAsOf);
  HealthCheck hc = health_check(model);
  const std::string without = health_check_to_html(hc);
  EXPECT_EQ(without.find("id=\"forecast\""), std::string::npos);
  hc.extra_sections_html = projection_section_html(project_capacity(model, {}, {}, quick(20)));
  const std::string with = health_check_to_html(hc);
  const auto at = with.find("<section id=\"forecast\">");
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(at, with.find("</main>"));
}

}  // namespace
}  // namespace caseload
