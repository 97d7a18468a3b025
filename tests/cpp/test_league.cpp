// League table: hand-computed rankings, ties, missing data, standardisation,
// interval coverage by simulation, every validation error, the formats, the
// JSON API op and the C entry point.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "caseload/caseload.h"
#include "caseload/error.hpp"
#include "caseload/health_check.hpp"
#include "caseload/json_api.hpp"
#include "caseload/league.hpp"
#include "caseload/model.hpp"
#include "caseload/synthetic.hpp"
#include "base/json.hpp"

namespace caseload {
namespace {

PublishedFigures org(std::string name, double fte, double cases, double benchmark, double workers, double over,
                     double weeks, double asye_n, double asye_k, double rate) {
  PublishedFigures f;
  f.organisation = std::move(name);
  f.case_holding_fte = fte;
  f.cases = cases;
  f.stated_benchmark = benchmark;
  f.workers = workers;
  f.workers_over_benchmark = over;
  f.exceedance_weeks_past_year = weeks;
  f.asye_workers = asye_n;
  f.asye_protected = asye_k;
  f.vacancy_rate = f.agency_rate = f.turnover_rate = rate;
  return f;
}

// Three large organisations (narrow intervals) whose scores are computed by
// hand with the default weights (.25 ref, .15 target, .20 over, .10 weeks,
// .15 ASYE, .05 x 3 staffing):
//   A: caseload 12 -> ref 100*(1.5-12/16)=75; target 12/15=.8 -> 100*(1.25-.8)/.5=90; over 10% -> 90;
//      weeks 0 -> 100; ASYE 100% -> 100; rates 10% -> 100*(1-.2)=80 each.
//      .25*75+.15*90+.2*90+.1*100+.15*100+.05*80*3 = 18.75+13.5+18+10+15+12 = 87.25
//   B: caseload 16 -> 50; target 16/16=1 -> 50; over 30% -> 70; weeks 26 -> 50; ASYE 50%; rates 20% -> 60.
//      12.5+7.5+14+5+7.5+9 = 55.5
//   C: caseload 24 -> 0; target 24/20=1.2 -> 10; over 60% -> 40; weeks 52 -> 0; ASYE 20%; rates 30% -> 40.
//      0+1.5+8+0+3+6 = 18.5
std::vector<PublishedFigures> three() {
  return {org("C", 1000, 24000, 20, 1000, 600, 52, 1000, 200, 0.3),
          org("A", 1000, 12000, 15, 1000, 100, 0, 1000, 1000, 0.1),
          org("B", 1000, 16000, 16, 1000, 300, 26, 1000, 500, 0.2)};
}

TEST(League, HandComputedRanking) {
  const LeagueTable t = league_table(three());
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0].organisation, "A");
  EXPECT_EQ(t.rows[1].organisation, "B");
  EXPECT_EQ(t.rows[2].organisation, "C");
  EXPECT_NEAR(t.rows[0].score.value, 87.25, 1e-9);
  EXPECT_NEAR(t.rows[1].score.value, 55.5, 1e-9);
  EXPECT_NEAR(t.rows[2].score.value, 18.5, 1e-9);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.rows[i].rank, i + 1);
    EXPECT_FALSE(t.rows[i].tied);
    EXPECT_EQ(t.rows[i].rank_lo, i + 1);  // far apart: every draw agrees
    EXPECT_EQ(t.rows[i].rank_hi, i + 1);
    EXPECT_LE(t.rows[i].score.lo, t.rows[i].score.value + 1);
    EXPECT_GE(t.rows[i].score.hi, t.rows[i].score.value - 1);
    EXPECT_DOUBLE_EQ(t.rows[i].coverage, 1.0);
  }
  // 12000 cases on 1000 FTE; ratios 12/15 and 12/16.
  EXPECT_DOUBLE_EQ(t.rows[0].caseload_per_fte.value, 12);
  EXPECT_NEAR(t.rows[0].ratio_to_target.value, 0.8, 1e-12);
  EXPECT_NEAR(t.rows[0].ratio_to_reference.value, 0.75, 1e-12);
  EXPECT_LT(t.rows[0].caseload_per_fte.lo, 12);
  EXPECT_GT(t.rows[0].caseload_per_fte.hi, 12);
  EXPECT_FALSE(t.rows[0].standardised);  // no service-area rows
}

TEST(League, ReferenceAndWeightsAreConfigurable) {
  LeagueOptions o;
  o.reference_caseload = 12;  // A: 1.5 - 12/12 = .5 -> 50
  o.weights = LeagueWeights{1, 0, 0, 0, 0, 0, 0, 0, 0};
  const LeagueTable t = league_table(three(), o);
  EXPECT_EQ(t.rows[0].organisation, "A");
  EXPECT_NEAR(t.rows[0].score.value, 50, 1e-9);
  EXPECT_NEAR(t.rows[1].score.value, 100 * std::clamp(1.5 - 16.0 / 12, 0.0, 1.0), 1e-9);
  EXPECT_NEAR(t.rows[2].score.value, 0, 1e-9);
}

TEST(League, DeterministicForASeed) {
  LeagueOptions o;
  o.seed = 7;
  auto rows = three();
  rows.push_back(org("Small", 3, 50, 16, 4, 2, 10, 1, 1, 0.2));
  const std::string a = league_table_to_json(league_table(rows, o));
  const std::string b = league_table_to_json(league_table(rows, o));
  EXPECT_EQ(a, b);
  o.seed = 8;
  EXPECT_NE(a, league_table_to_json(league_table(rows, o)));
}

TEST(League, IdenticalOrganisationsTie) {
  auto rows = three();
  rows.push_back(org("B2", 1000, 16000, 16, 1000, 300, 26, 1000, 500, 0.2));
  const LeagueTable t = league_table(rows);
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[1].organisation, "B");  // equal scores: by name
  EXPECT_EQ(t.rows[2].organisation, "B2");
  EXPECT_EQ(t.rows[1].rank, 2);
  EXPECT_EQ(t.rows[2].rank, 2);
  EXPECT_TRUE(t.rows[1].tied);
  EXPECT_TRUE(t.rows[2].tied);
  EXPECT_EQ(t.rows[3].rank, 4);  // competition ranking: 1, 2, 2, 4
  EXPECT_FALSE(t.rows[0].tied);
}

TEST(League, SmallOrganisationsWithOverlappingIntervalsTie) {
  // Two tiny organisations, slightly different: their intervals overlap
  // almost completely, so they share a band; the large ones do not.
  auto rows = three();
  rows.push_back(org("Tiny1", 4, 60, 16, 4, 1, 20, 2, 1, 0.2));
  rows.push_back(org("Tiny2", 4, 64, 16, 4, 2, 20, 2, 1, 0.2));
  const LeagueTable t = league_table(rows);
  const LeagueRow* t1 = nullptr;
  const LeagueRow* t2 = nullptr;
  for (const auto& r : t.rows) {
    if (r.organisation == "Tiny1") t1 = &r;
    if (r.organisation == "Tiny2") t2 = &r;
  }
  ASSERT_TRUE(t1 && t2);
  EXPECT_NE(t1->score.value, t2->score.value);
  EXPECT_EQ(t1->rank, t2->rank);
  EXPECT_TRUE(t1->tied && t2->tied);
  EXPECT_LT(t1->rank_lo, t1->rank_hi);  // uncertain rank
  EXPECT_GT(t1->score.hi - t1->score.lo, 10);
  // Without draws there are no intervals: only equal scores tie.
  LeagueOptions o;
  o.draws = 0;
  const LeagueTable strict = league_table(rows, o);
  std::vector<int32_t> ranks;
  for (const auto& r : strict.rows) ranks.push_back(r.rank);
  EXPECT_EQ(ranks, (std::vector<int32_t>{1, 2, 3, 4, 5}));
}

TEST(League, MissingFiguresAreShownMissingAndRankingUsesWhatIsPublished) {
  auto rows = three();
  PublishedFigures f;  // caseload, share over and ASYE only: weight .25 + .20 + .15 = .6 >= .5
  f.organisation = "Partial";
  f.case_holding_fte = 1000;
  f.cases = 16000;  // ref 50
  f.workers = 1000;
  f.workers_over_benchmark = 500;  // 50
  f.asye_workers = 1000;
  f.asye_protected = 800;  // 80
  rows.push_back(f);
  PublishedFigures g;  // caseload only: .25 < .5 -> unranked
  g.organisation = "Sparse";
  g.average_caseload = 14;
  rows.push_back(g);
  const LeagueTable t = league_table(rows);
  ASSERT_EQ(t.rows.size(), 5u);
  // (.25*50 + .2*50 + .15*80) / .6 = (12.5 + 10 + 12) / .6 = 57.5
  const LeagueRow& p = t.rows[1];
  EXPECT_EQ(p.organisation, "Partial");
  EXPECT_NEAR(p.score.value, 57.5, 1e-9);
  EXPECT_NEAR(p.coverage, 0.6, 1e-12);
  EXPECT_TRUE(p.vacancy_rate.missing());
  EXPECT_TRUE(std::isnan(p.stated_benchmark));
  EXPECT_TRUE(p.ratio_to_target.missing());
  EXPECT_TRUE(std::isnan(p.exceedance_weeks));
  const LeagueRow& s = t.rows.back();
  EXPECT_EQ(s.organisation, "Sparse");
  EXPECT_EQ(s.rank, 0);
  EXPECT_DOUBLE_EQ(s.caseload_per_fte.value, 14);
  EXPECT_TRUE(std::isnan(s.caseload_per_fte.lo));  // no counts: no interval
  EXPECT_NEAR(s.coverage, 0.25, 1e-12);
  // Missing stays missing in every format.
  const std::string csv = league_table_to_csv(t);
  EXPECT_NE(csv.find("Sparse,,,,false"), std::string::npos) << csv;
  const json::Value j = json::parse(league_table_to_json(t));
  const json::Value& last = j.find("rows")->as_array().back();
  EXPECT_TRUE(last.find("rank")->is_null());
  EXPECT_TRUE(last.find("vacancy_rate")->find("value")->is_null());
  // Lowering min_coverage ranks it.
  LeagueOptions o;
  o.min_coverage = 0.2;
  const LeagueTable t2 = league_table(rows, o);
  for (const auto& r : t2.rows) EXPECT_GT(r.rank, 0) << r.organisation;
}

TEST(League, DerivedFiguresAreArithmeticNotImputation) {
  PublishedFigures f;
  f.organisation = "X";
  f.average_caseload = 15;
  f.case_holding_fte = 20;  // cases = 300
  f.share_over_benchmark = 0.25;
  f.workers = 20;  // 5 of 20
  const LeagueTable t = league_table({f}, LeagueOptions{.min_coverage = 0});
  EXPECT_DOUBLE_EQ(t.rows[0].cases, 300);
  EXPECT_DOUBLE_EQ(t.rows[0].share_over_benchmark.value, 0.25);
  EXPECT_FALSE(std::isnan(t.rows[0].share_over_benchmark.lo));
}

TEST(League, IndirectStandardisationRemovesServiceAreaMix) {
  // Areas X (light) and Y (heavy). P: X 10 FTE/100 cases, Y 10/300. Q: X 30/300, Y 10/300.
  // Pool: X 400/40 = 10, Y 600/20 = 30; overall 1000/60.
  // P expected 10*10 + 10*30 = 400 = observed -> ratio 1; Q expected 30*10 + 10*30 = 600 = observed -> 1.
  // Crude: P 400/20 = 20, Q 600/40 = 15.
  auto area = [](std::string o, std::string a, double fte, double cases) {
    PublishedFigures f;
    f.organisation = std::move(o);
    f.service_area = std::move(a);
    f.case_holding_fte = fte;
    f.cases = cases;
    return f;
  };
  const std::vector<PublishedFigures> rows = {area("P", "X", 10, 100), area("P", "Y", 10, 300), area("Q", "X", 30, 300),
                                              area("Q", "Y", 10, 300)};
  LeagueOptions o;
  o.min_coverage = 0;
  const LeagueTable t = league_table(rows, o);
  ASSERT_EQ(t.reference.size(), 2u);
  EXPECT_DOUBLE_EQ(t.reference[0].caseload_per_fte, 10);
  EXPECT_DOUBLE_EQ(t.reference[1].caseload_per_fte, 30);
  EXPECT_NEAR(t.pooled_caseload, 1000.0 / 60, 1e-12);
  for (const auto& r : t.rows) {
    EXPECT_TRUE(r.standardised);
    EXPECT_NEAR(r.standardised_ratio.value, 1, 1e-12);
    EXPECT_NEAR(r.adjusted_caseload.value, 1000.0 / 60, 1e-12);
    EXPECT_EQ(r.rank, 1);  // same adjusted caseload: a tie
    EXPECT_TRUE(r.tied);
  }
  EXPECT_NEAR(t.rows[0].caseload_per_fte.value, 20, 1e-12);  // P, crude, combined from areas
  EXPECT_NEAR(t.rows[0].expected_caseload, 20, 1e-12);       // 400 / 20 FTE
  // Without standardisation the crude caseloads decide: Q (15) above P (20).
  o.standardise = false;
  const LeagueTable crude = league_table(rows, o);
  EXPECT_EQ(crude.rows[0].organisation, "Q");
  EXPECT_FALSE(crude.rows[0].standardised);
  // Within one service area: only that area's rows, no standardisation.
  o.service_area = "Y";
  const LeagueTable y = league_table(rows, o);
  ASSERT_EQ(y.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(y.rows[0].caseload_per_fte.value, 30);
  EXPECT_EQ(y.rows[0].rank, 1);
  EXPECT_TRUE(y.rows[0].tied);
}

// ---- intervals

TEST(League, IntervalKnownValues) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.005), -2.5758293035489, 1e-11);
  // Wilson, 3 of 10 at 95%: (0.1078, 0.6032) (Newcombe 1998, table I).
  const Interval w = wilson_interval(3, 10, 95);
  EXPECT_NEAR(w.lo, 0.1078, 5e-5);
  EXPECT_NEAR(w.hi, 0.6032, 5e-5);
  EXPECT_EQ(wilson_interval(0, 10, 95).lo, 0);
  EXPECT_EQ(wilson_interval(10, 10, 95).hi, 1);
  // Exact Poisson 95% limits for x = 10: (4.795, 18.390); Byar is within 0.01.
  const Interval p = poisson_interval(10, 95);
  EXPECT_NEAR(p.lo, 4.795, 0.01);
  EXPECT_NEAR(p.hi, 18.390, 0.01);
  EXPECT_EQ(poisson_interval(0, 95).lo, 0);
  EXPECT_NEAR(poisson_interval(0, 95).hi, 3.689, 0.03);  // exact: -ln(0.025); Byar gives 3.668
}

TEST(League, WilsonCoverageBySimulation) {
  // Over 20,000 seeded binomial draws the 95% Wilson interval covers the
  // true share about 95% of the time (its known coverage for n = 40, p = .3
  // is ~0.94-0.96).
  std::mt19937_64 gen(12345);
  for (const auto& [p, n] : std::vector<std::pair<double, int>>{{0.3, 40}, {0.1, 25}, {0.5, 200}}) {
    std::binomial_distribution<int> bin(n, p);
    int covered = 0;
    const int trials = 20000;
    for (int i = 0; i < trials; ++i) {
      const Interval ci = wilson_interval(bin(gen), n, 95);
      covered += ci.lo <= p && p <= ci.hi ? 1 : 0;
    }
    const double coverage = static_cast<double>(covered) / trials;
    RecordProperty("wilson_coverage_p" + std::to_string(p) + "_n" + std::to_string(n), std::to_string(coverage));
    std::printf("Wilson 95%% coverage, p = %.2f, n = %d: %.4f\n", p, n, coverage);
    EXPECT_GT(coverage, 0.925);
    EXPECT_LT(coverage, 0.975);
  }
}

TEST(League, PoissonCoverageBySimulation) {
  std::mt19937_64 gen(54321);
  for (const double lambda : {5.0, 20.0, 300.0}) {
    std::poisson_distribution<int> pois(lambda);
    int covered = 0;
    const int trials = 20000;
    for (int i = 0; i < trials; ++i) {
      const Interval ci = poisson_interval(pois(gen), 95);
      covered += ci.lo <= lambda && lambda <= ci.hi ? 1 : 0;
    }
    const double coverage = static_cast<double>(covered) / trials;
    std::printf("Poisson (Byar) 95%% coverage, lambda = %.0f: %.4f\n", lambda, coverage);
    EXPECT_GT(coverage, 0.935);  // near-exact limits are conservative: at least nominal, up to ~0.98
    EXPECT_LT(coverage, 0.985);
  }
}

TEST(League, ScoreIntervalCoverageOfTheTrueScoreBySimulation) {
  // Draw an organisation's published counts from known true rates; the
  // bootstrap score interval should cover the true score about 95% of the
  // time (roughly: the Jeffreys draws are approximate).
  // Truth: caseload 16 on 20 FTE, over 30% of 25, ASYE 60% of 10.
  // True score with weights ref .25, over .20, ASYE .15 = (.25*50 + .2*70 + .15*60)/.6 = 59.1667
  std::mt19937_64 gen(777);
  std::poisson_distribution<int> cases(320);
  std::binomial_distribution<int> over(25, 0.3), asye(10, 0.6);
  const double truth = (0.25 * 50 + 0.2 * 70 + 0.15 * 60) / 0.6;
  int covered = 0;
  const int trials = 300;
  for (int i = 0; i < trials; ++i) {
    PublishedFigures f;
    f.organisation = "O";
    f.case_holding_fte = 20;
    f.cases = cases(gen);
    f.workers = 25;
    f.workers_over_benchmark = over(gen);
    f.asye_workers = 10;
    f.asye_protected = asye(gen);
    LeagueOptions o;
    o.draws = 400;
    o.seed = static_cast<uint64_t>(i);
    const LeagueTable t = league_table({f}, o);
    covered += t.rows[0].score.lo <= truth && truth <= t.rows[0].score.hi ? 1 : 0;
  }
  const double coverage = static_cast<double>(covered) / trials;
  std::printf("Bootstrap 95%% score interval coverage: %.4f\n", coverage);
  EXPECT_GT(coverage, 0.88);
  EXPECT_LT(coverage, 0.99);
}

// ---- validation

void expect_error(const std::vector<PublishedFigures>& rows, ErrorCode code, const std::string& message,
                  const LeagueOptions& o = {}) {
  try {
    (void)league_table(rows, o);
    FAIL() << "expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code);
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(League, ValidationErrorsNameOrganisationAndField) {
  auto one = [](auto edit) {
    PublishedFigures f = org("Northshire", 10, 160, 16, 10, 2, 4, 2, 1, 0.1);
    edit(f);
    return std::vector<PublishedFigures>{f};
  };
  expect_error(one([](PublishedFigures& f) { f.stated_benchmark = 0; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": stated_benchmark must be > 0, got 0");
  expect_error(one([](PublishedFigures& f) { f.cases = -3; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": cases must be >= 0, got -3");
  expect_error(one([](PublishedFigures& f) { f.workers = -1; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": workers must be >= 0, got -1");
  expect_error(one([](PublishedFigures& f) { f.vacancy_rate = 18.9; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": vacancy_rate must be a fraction in [0, 1] (18.9% is 0.189), got 18.9");
  expect_error(one([](PublishedFigures& f) { f.share_over_benchmark = 1.2; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": share_over_benchmark must be a fraction in [0, 1] (18.9% is 0.189), got "
               "1.2");
  expect_error(one([](PublishedFigures& f) { f.workers_over_benchmark = 11; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": workers_over_benchmark must be <= workers (10), got 11");
  expect_error(one([](PublishedFigures& f) { f.asye_protected = 3; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": asye_protected must be <= asye_workers (2), got 3");
  expect_error(one([](PublishedFigures& f) { f.exceedance_weeks_past_year = 60; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": exceedance_weeks_past_year must be at most 53, got 60");
  expect_error(one([](PublishedFigures& f) { f.average_caseload = 20; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": average_caseload must equal cases / case_holding_fte = 16, got 20");
  expect_error(one([](PublishedFigures& f) { f.share_over_benchmark = 0.5; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": share_over_benchmark must equal workers_over_benchmark / workers = 0.2, "
               "got 0.5");
  expect_error(one([](PublishedFigures& f) { f.case_holding_fte = 0; }), ErrorCode::invalid_argument,
               "organisation \"Northshire\": case_holding_fte must be > 0 when cases > 0, got 0");
  expect_error(one([](PublishedFigures& f) { f.cases = std::numeric_limits<double>::infinity(); }),
               ErrorCode::invalid_argument, "organisation \"Northshire\": cases must be finite, got inf");
  expect_error(one([](PublishedFigures& f) {
                 f.service_area = "Child Protection";
                 f.asye_compliance = -0.1;
               }),
               ErrorCode::invalid_argument,
               "organisation \"Northshire\", service_area \"Child Protection\": asye_compliance must be a fraction in "
               "[0, 1] (18.9% is 0.189), got -0.1");
  expect_error(one([](PublishedFigures& f) { f.organisation.clear(); }), ErrorCode::invalid_argument,
               "published figures row 1: organisation must not be empty");
  auto dup = one([](PublishedFigures&) {});
  dup.push_back(dup.front());
  expect_error(dup, ErrorCode::duplicate, "organisation \"Northshire\": duplicate row for service_area \"all\"");
  expect_error({}, ErrorCode::invalid_argument, "league table: no published figures given");
}

TEST(League, OptionErrors) {
  const auto rows = three();
  auto with = [](auto edit) {
    LeagueOptions o;
    edit(o);
    return o;
  };
  expect_error(rows, ErrorCode::invalid_argument, "league options: reference_caseload must be finite and > 0, got 0",
               with([](LeagueOptions& o) { o.reference_caseload = 0; }));
  expect_error(rows, ErrorCode::invalid_argument, "league options: level must be in [50, 99.9], got 100",
               with([](LeagueOptions& o) { o.level = 100; }));
  expect_error(rows, ErrorCode::invalid_argument, "league options: draws must be an integer in [0, 100000], got -1",
               with([](LeagueOptions& o) { o.draws = -1; }));
  expect_error(rows, ErrorCode::invalid_argument, "league options: min_coverage must be in [0, 1], got 2",
               with([](LeagueOptions& o) { o.min_coverage = 2; }));
  expect_error(rows, ErrorCode::invalid_argument, "league options: tie_overlap must be in [0, 1], got -0.5",
               with([](LeagueOptions& o) { o.tie_overlap = -0.5; }));
  expect_error(rows, ErrorCode::invalid_argument, "league options: weights: agency must be finite and >= 0, got -1",
               with([](LeagueOptions& o) { o.weights.agency = -1; }));
  expect_error(rows, ErrorCode::invalid_argument, "league options: weights must not all be zero",
               with([](LeagueOptions& o) { o.weights = LeagueWeights{0, 0, 0, 0, 0, 0, 0, 0, 0}; }));
  expect_error(rows, ErrorCode::not_found, "league options: service_area \"Nowhere\" is published by no organisation",
               with([](LeagueOptions& o) { o.service_area = "Nowhere"; }));
  EXPECT_THROW(wilson_interval(5, 4, 95), Error);
  EXPECT_THROW(poisson_interval(-1, 95), Error);
  EXPECT_THROW(normal_quantile(1.5), Error);
}

// ---- CSV and tables

TEST(League, CsvRoundTripAndMissingCells) {
  const std::string csv =
      "organisation,service_area,case_holding_fte,cases,stated_benchmark,benchmark_contractual,workers,"
      "workers_over_benchmark,vacancy_rate\r\n"
      "\"Ashford, Borough\",all,10,160,16,yes,10,2,0.1\r\n"
      "Brook,,20,,18,,NA,,\r\n";
  const auto rows = published_figures_from_csv(csv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].organisation, "Ashford, Borough");
  EXPECT_EQ(rows[0].benchmark_contractual, std::optional<bool>(true));
  EXPECT_DOUBLE_EQ(rows[0].vacancy_rate, 0.1);
  EXPECT_EQ(rows[1].service_area, "all");
  EXPECT_TRUE(std::isnan(rows[1].cases));
  EXPECT_TRUE(std::isnan(rows[1].workers));
  EXPECT_FALSE(rows[1].benchmark_contractual.has_value());
  EXPECT_TRUE(std::isnan(rows[1].asye_workers));  // absent column
  const auto back = published_figures_from_csv(published_figures_to_csv(rows));
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].organisation, rows[0].organisation);
  EXPECT_EQ(back[0].benchmark_contractual, rows[0].benchmark_contractual);
  EXPECT_DOUBLE_EQ(back[0].cases, 160);
  EXPECT_TRUE(std::isnan(back[1].cases));
}

TEST(League, CsvErrors) {
  auto err = [](const std::string& csv, ErrorCode code, const std::string& message) {
    try {
      (void)published_figures_from_csv(csv);
      FAIL() << message;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code);
      EXPECT_EQ(std::string(e.what()), message);
    }
  };
  err("organisation,cases\nX,abc\n", ErrorCode::parse,
      "row 1, organisation \"X\": cases must be a number, got \"abc\"");
  err("organisation,benchmark_contractual\nX,maybe\n", ErrorCode::parse,
      "row 1, organisation \"X\": benchmark_contractual must be true or false, got \"maybe\"");
  err("organisation,casez\nX,1\n", ErrorCode::invalid_argument,
      "published figures: unknown column \"casez\" (expected organisation, service_area, case_holding_fte, cases, "
      "average_caseload, stated_benchmark, benchmark_contractual, workers, workers_over_benchmark, "
      "share_over_benchmark, exceedance_weeks_past_year, vacancy_rate, agency_rate, turnover_rate, asye_workers, "
      "asye_protected, asye_compliance)");
  err("cases\n1\n", ErrorCode::invalid_argument, "published figures: column organisation is required");
  err("organisation,cases\nX,inf\n", ErrorCode::parse,
      "row 1, organisation \"X\": cases must be a number, got \"inf\"");
}

TEST(League, TableColumnsMatchCsv) {
  const LeagueTable t = league_table(three());
  const Table cols = league_table_to_table(t);
  EXPECT_EQ(cols.rows(), 3u);
  ASSERT_NE(cols.find("rank"), nullptr);
  EXPECT_TRUE(cols.find("rank")->is_numeric);
  EXPECT_EQ(cols.find("organisation")->text[0], "A");
  EXPECT_DOUBLE_EQ(cols.find("score")->numbers[1], 55.5);
  const std::string csv = league_table_to_csv(t);
  EXPECT_EQ(csv.substr(0, 40), "organisation,rank,rank_lo,rank_hi,tied,s");
  EXPECT_EQ(parse_csv(csv).rows(), 3u);
}

// ---- health checks in

TEST(League, HealthCheckExportsAsInput) {
  SyntheticOptions so;
  so.workers = 40;
  so.history_weeks = 56;
  const auto a = synthetic_authority(so);
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  HealthCheckOptions ho;
  ho.organisation = "Synth <&> \"Council\"";
  const HealthCheck hc = health_check(model, &a.snapshots, ho);
  std::string doc = health_check_to_json(hc);
  // What a health check cannot hold comes alongside it.
  doc.insert(1, "\"published\":{\"stated_benchmark\":18,\"benchmark_contractual\":true,\"vacancy_rate\":0.2},");
  const auto rows = published_figures_from_health_check(doc);
  ASSERT_EQ(rows.size(), 1 + hc.service_areas.size());
  const auto& all = rows.front();
  EXPECT_EQ(all.organisation, ho.organisation);
  EXPECT_EQ(all.service_area, "all");
  EXPECT_DOUBLE_EQ(all.case_holding_fte, hc.organisation_rollup.case_holding_fte);
  EXPECT_DOUBLE_EQ(all.cases, hc.organisation_rollup.cases);
  EXPECT_DOUBLE_EQ(all.workers_over_benchmark, static_cast<double>(hc.organisation_rollup.over_case_benchmark));
  EXPECT_DOUBLE_EQ(all.stated_benchmark, 18);
  EXPECT_DOUBLE_EQ(all.vacancy_rate, 0.2);
  EXPECT_TRUE(std::isnan(all.turnover_rate));
  double weeks = 0;
  for (const auto& p : hc.timeline)
    if (p.date.days > a.as_of.days - 365 && p.workers_over > 0) weeks += 1;
  EXPECT_DOUBLE_EQ(all.exceedance_weeks_past_year, weeks);
  EXPECT_EQ(rows[1].service_area, hc.service_areas[0].group);
  const LeagueTable t = league_table(rows);
  EXPECT_TRUE(t.rows[0].standardised);  // per-area rows present
  // Bad documents name where.
  EXPECT_THROW((void)published_figures_from_health_check("{\"organisation\":\"X\"}"), Error);
  try {
    (void)published_figures_from_health_check(
        "{\"organisation\":\"X\",\"organisation_rollup\":{},\"published\":{\"vacancy\":1}}");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("health check (organisation \"X\")"), std::string::npos) << e.what();
  }
}

// ---- HTML

// Every non-void element closes in order (a small well-formedness check).
bool balanced(const std::string& html) {
  std::vector<std::string> stack;
  size_t i = 0;
  const std::vector<std::string> void_tags = {"meta", "br", "hr", "img", "input", "link"};
  while ((i = html.find('<', i)) != std::string::npos) {
    if (html.compare(i, 9, "<!DOCTYPE") == 0) {
      i = html.find('>', i);
      continue;
    }
    if (html.compare(i, 8, "<script>") == 0) {
      i = html.find("</script>", i) + 9;
      continue;
    }
    if (html.compare(i, 7, "<style>") == 0) {
      i = html.find("</style>", i) + 8;
      continue;
    }
    const bool closing = html[i + 1] == '/';
    const size_t start = i + (closing ? 2 : 1);
    size_t end = start;
    while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
    const std::string name = html.substr(start, end - start);
    i = html.find('>', i);
    if (i == std::string::npos) return false;
    if (closing) {
      if (stack.empty() || stack.back() != name) return false;
      stack.pop_back();
    } else if (std::find(void_tags.begin(), void_tags.end(), name) == void_tags.end()) {
      stack.push_back(name);
    }
  }
  return stack.empty();
}

TEST(League, HtmlIsSelfContainedEscapedAndWellFormed) {
  auto rows = three();
  rows[0].organisation = "<script>alert(\"x\")</script> & Co";
  rows[1].benchmark_contractual = true;
  rows.push_back(org("Tiny", 2, 30, 16, 2, 1, 5, 1, 1, 0.2));
  PublishedFigures g;
  g.organisation = "Sparse";
  g.average_caseload = 14;
  rows.push_back(g);
  LeagueOptions o;
  o.title = "Employers <2024>";
  const std::string html = league_table_to_html(league_table(rows, o));
  EXPECT_TRUE(balanced(html));
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"), std::string::npos);
  EXPECT_NE(html.find("<title>Employers &lt;2024&gt;</title>"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // no external resources
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_NE(html.find("<details><summary>"), std::string::npos);
  EXPECT_NE(html.find("aria-sort=\"none\""), std::string::npos);
  EXPECT_NE(html.find("<button type=\"button\">Rank</button>"), std::string::npos);
  EXPECT_NE(html.find("lang=\"en\""), std::string::npos);
  EXPECT_NE(html.find("unranked"), std::string::npos);
  EXPECT_NE(html.find("not published"), std::string::npos);
  EXPECT_NE(html.find("contractually enforceable"), std::string::npos);
}

// ---- JSON API and C

TEST(League, JsonApiOpAndCFunction) {
  const std::string body =
      R"({"figures":[{"organisation":"A","case_holding_fte":1000,"cases":12000,"stated_benchmark":15,)"
      R"("workers":1000,"workers_over_benchmark":100,"exceedance_weeks_past_year":0,"asye_workers":1000,)"
      R"("asye_protected":1000,"vacancy_rate":0.1,"agency_rate":0.1,"turnover_rate":0.1,"benchmark_contractual":null}],)"
      R"("figures_csv":"organisation,case_holding_fte,cases,stated_benchmark,workers,workers_over_benchmark,exceedance_weeks_past_year,asye_workers,asye_protected,vacancy_rate,agency_rate,turnover_rate\nB,1000,16000,16,1000,300,26,1000,500,0.2,0.2,0.2\n",)"
      R"("options":{"seed":3,"draws":200}})";
  const json::Value r = json::parse(run_json_request(R"({"op":"league_table",)" + body.substr(1)));
  const json::Value& rows =
      r.find("result")->find("rows")->as_array().size() == 2 ? *r.find("result")->find("rows") : json::Value();
  ASSERT_TRUE(rows.is_array());
  EXPECT_EQ(rows.as_array()[0].find("organisation")->as_string(), "A");
  EXPECT_DOUBLE_EQ(rows.as_array()[0].find("score")->find("value")->as_number(), 87.25);
  EXPECT_DOUBLE_EQ(rows.as_array()[1].find("score")->find("value")->as_number(), 55.5);

  char* out = nullptr;
  ASSERT_EQ(caseload_league_table_json(&out, body.data(), body.size()), CASELOAD_OK);
  const json::Value direct = json::parse(out);
  caseload_string_free(out);
  EXPECT_EQ(json::dump(direct), json::dump(*r.find("result")));

  const std::string html_req = R"({"format":"html",)" + body.substr(1);
  ASSERT_EQ(caseload_league_table_json(&out, html_req.data(), html_req.size()), CASELOAD_OK);
  EXPECT_NE(std::string(out).find("<!DOCTYPE html>"), std::string::npos);
  caseload_string_free(out);

  const std::string bad = R"({"figures":[{"organisation":"N","stated_benchmark":0}]})";
  EXPECT_EQ(caseload_league_table_json(&out, bad.data(), bad.size()), CASELOAD_EINVALID);
  EXPECT_EQ(out, nullptr);
  EXPECT_STREQ(caseload_last_error(), "organisation \"N\": stated_benchmark must be > 0, got 0");
  const std::string unknown = R"({"figures":[{"organisation":"N","casez":1}]})";
  EXPECT_EQ(caseload_league_table_json(&out, unknown.data(), unknown.size()), CASELOAD_EINVALID);
  EXPECT_STREQ(caseload_last_error(), "figures[0]: unknown field \"casez\"");
  const std::string none = R"({"options":{}})";
  EXPECT_EQ(caseload_league_table_json(&out, none.data(), none.size()), CASELOAD_EPARSE);
  const std::string opt = R"({"figures":[],"options":{"draws":1.5}})";
  EXPECT_EQ(caseload_league_table_json(&out, opt.data(), opt.size()), CASELOAD_EINVALID);
  EXPECT_STREQ(caseload_last_error(), "request: options: draws must be an integer in [0, 100000], got 1.5");
  EXPECT_THROW((void)run_json_request(R"({"op":"league_table","format":"pdf","figures":[]})"), Error);
}

// ---- synthetic sample

TEST(League, SyntheticSampleIsVariedAndDeterministic) {
  const auto a = synthetic_league_sample(3, 8);
  const auto b = synthetic_league_sample(3, 8);
  EXPECT_EQ(published_figures_to_csv(a), published_figures_to_csv(b));
  int orgs = 0;
  double lo = 1e9, hi = 0;
  for (const auto& f : a) {
    if (f.service_area != "all") continue;
    ++orgs;
    lo = std::min(lo, f.cases / f.case_holding_fte);
    hi = std::max(hi, f.cases / f.case_holding_fte);
  }
  EXPECT_EQ(orgs, 8);
  EXPECT_GT(hi - lo, 2);  // caseload pressure varies
  const LeagueTable t = league_table(a);
  EXPECT_EQ(t.rows.size(), 8u);
  EXPECT_FALSE(t.reference.empty());
  EXPECT_THROW((void)synthetic_league_sample(1, 0), Error);
  SyntheticOptions bad;
  bad.caseload_pressure = 9;
  EXPECT_THROW((void)synthetic_authority(bad), Error);
}

}  // namespace
}  // namespace caseload
