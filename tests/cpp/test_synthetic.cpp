// The synthetic authority: deterministic, valid for the default scheme for
// any seed, and calibrated to the DfE figures in docs/sample_authority.md.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "caseload/model.hpp"
#include "caseload/synthetic.hpp"

namespace caseload {
namespace {

std::string serialise(const SyntheticAuthority& a) {
  return workers_to_json(a.workers) + cases_to_json(a.cases) + snapshots_to_json(a.snapshots) + a.as_of.to_string();
}

SyntheticOptions small(uint64_t seed) {
  SyntheticOptions o;
  o.seed = seed;
  o.workers = 120;
  o.history_weeks = 12;
  return o;
}

TEST(Synthetic, SameOptionsGiveIdenticalOutput) {
  SyntheticOptions o;
  o.seed = 42;
  const std::string first = serialise(synthetic_authority(o));
  const std::string second = serialise(synthetic_authority(o));
  EXPECT_EQ(first, second);
  o.seed = 43;
  EXPECT_NE(first, serialise(synthetic_authority(o)));
}

TEST(Synthetic, HeadcountIsExactAndTeamsAreRealistic) {
  const SyntheticAuthority a = synthetic_authority();
  ASSERT_EQ(a.workers.size(), 180u);
  std::map<std::string, int> team_size, managers;
  std::set<std::string> areas;
  for (const auto& w : a.workers) {
    ++team_size[w.team];
    managers[w.team] += w.role == "team_manager";
    areas.insert(w.service_area);
  }
  // 180 / 12 = 15 teams.
  EXPECT_EQ(team_size.size(), 15u);
  for (const auto& [team, n] : team_size) {
    EXPECT_GE(n, 8) << team;
    EXPECT_LE(n, 14) << team;
    EXPECT_EQ(managers[team], 1) << team;
  }
  EXPECT_EQ(areas, (std::set<std::string>{"assessment", "children_in_need", "child_protection", "looked_after",
                                          "disabled_children", "adults"}));
}

TEST(Synthetic, ValidForTheDefaultSchemeAcrossFiftySeeds) {
  const WeightingScheme scheme = WeightingScheme::default_scheme();
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    const SyntheticAuthority a = synthetic_authority(small(seed));
    ASSERT_NO_THROW({
      const Caseload model(scheme, a.workers, a.cases, a.as_of);
      (void)exceedance_history(scheme, a.workers, a.snapshots);
    }) << "seed "
       << seed;
  }
}

TEST(Synthetic, RecordsAreInternallyConsistent) {
  const SyntheticAuthority a = synthetic_authority();
  std::map<std::string, const Worker*> by_id;
  for (const auto& w : a.workers) by_id[w.id] = &w;
  int unallocated = 0, cowork_only_by_asye = 0, cowork_only_by_asye_jointly = 0;
  for (const auto& c : a.cases) {
    EXPECT_LE(c.opened, a.as_of) << c.id;
    if (c.allocations.empty()) {
      ++unallocated;
      EXPECT_FALSE(c.team.empty()) << c.id;  // an unallocated case stays with a team
      continue;
    }
    double shares = 0;
    for (const auto& al : c.allocations) {
      ASSERT_TRUE(by_id.count(al.worker_id)) << c.id;
      shares += al.share;
    }
    EXPECT_DOUBLE_EQ(shares, 1.0) << c.id;
    const bool court_type =
        c.case_type == "child_protection" || c.case_type == "pre_proceedings" || c.case_type == "care_proceedings";
    for (const auto& al : c.allocations) {
      if (by_id[al.worker_id]->role == "asye" && court_type) {
        ++cowork_only_by_asye;
        cowork_only_by_asye_jointly += c.allocations.size() == 2;
      }
    }
  }
  // 2-4% of cases wait for allocation.
  EXPECT_GE(unallocated, static_cast<int>(0.015 * a.cases.size()));
  EXPECT_LE(unallocated, static_cast<int>(0.045 * a.cases.size()));
  // ASYEs mostly hold co-work-only cases jointly.
  ASSERT_GT(cowork_only_by_asye, 0);
  EXPECT_GE(cowork_only_by_asye_jointly, 0.8 * cowork_only_by_asye);

  for (const auto& w : a.workers) {
    if (w.role != "asye") continue;
    ASSERT_FALSE(w.reductions.empty()) << w.id;
    EXPECT_EQ(w.reductions[0].reason, "ASYE development time");
    EXPECT_EQ(w.reductions[0].percent.value_or(0), 10);
    EXPECT_TRUE(w.reductions[0].active_on(a.as_of)) << w.id;
  }
}

TEST(Synthetic, LastSnapshotAgreesWithTheModel) {
  const SyntheticAuthority a = synthetic_authority(small(7));
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  ASSERT_FALSE(a.snapshots.empty());
  EXPECT_EQ(a.snapshots.back().date, a.as_of);
  for (size_t i = 1; i < a.snapshots.size(); ++i) ASSERT_LE(a.snapshots[i - 1].date, a.snapshots[i].date);
  int checked = 0;
  for (const auto& s : a.snapshots) {
    if (s.date != a.as_of) continue;
    const WorkerLoad& l = model.worker_load(s.worker_id);
    EXPECT_NEAR(s.utilisation, l.utilisation, 1e-4) << s.worker_id;
    EXPECT_EQ(s.cases.value_or(-1), l.cases) << s.worker_id;
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

// Calibration targets (docs/sample_authority.md), over seeds 1..20 of the
// default 180-worker authority.
TEST(Synthetic, CalibratedToDfEFigures) {
  const WeightingScheme scheme = WeightingScheme::default_scheme();
  double sum_mean_cases = 0, sum_org_util = 0, sum_over_100 = 0, sum_over_110 = 0, sum_with_episode = 0;
  double case_points = 0, allocated_cases = 0;
  int64_t episodes = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SyntheticOptions o;
    o.seed = seed;
    const SyntheticAuthority a = synthetic_authority(o);
    const Caseload model(scheme, a.workers, a.cases, a.as_of);
    const Rollup org = model.rollup(Level::organisation).at(0);
    EXPECT_GE(org.mean_cases_per_fte, 14) << "seed " << seed;
    EXPECT_LE(org.mean_cases_per_fte, 18) << "seed " << seed;
    sum_mean_cases += org.mean_cases_per_fte;
    sum_org_util += org.utilisation;
    EXPECT_GE(org.utilisation, 0.95) << "seed " << seed;
    EXPECT_LE(org.utilisation, 1.20) << "seed " << seed;
    for (const auto& c : a.cases) {
      if (c.allocations.empty()) continue;
      case_points += model.case_points(c.id);
      allocated_cases += 1;
    }
    double holders = 0, over_100 = 0, over_110 = 0;
    for (const auto& l : model.worker_loads()) {
      if (!l.case_holding || l.capacity <= 0) continue;
      holders += 1;
      over_100 += l.utilisation > 1.0;
      over_110 += l.utilisation > 1.1;
    }
    sum_over_100 += over_100 / holders;
    sum_over_110 += over_110 / holders;

    int asye = 0, agency = 0, reported = 0;
    for (const auto& w : a.workers) {
      asye += w.role == "asye";
      agency += w.agency;
      reported += w.reported_weekly_hours.has_value();
    }
    const double n = static_cast<double>(a.workers.size());
    EXPECT_GE(asye / n, 0.07) << "seed " << seed;
    EXPECT_LE(asye / n, 0.13) << "seed " << seed;
    EXPECT_GE(agency / n, 0.15) << "seed " << seed;
    EXPECT_LE(agency / n, 0.18) << "seed " << seed;
    EXPECT_GE(reported / n, 0.45) << "seed " << seed;
    EXPECT_LE(reported / n, 0.75) << "seed " << seed;
    // Some workers are over 20 cases per FTE: the spread behind the average.
    EXPECT_GT(org.cases_distribution.p90, org.cases_distribution.p50) << "seed " << seed;
    const ExceedanceHistory history = exceedance_history(scheme, a.workers, a.snapshots);
    episodes += static_cast<int64_t>(history.episodes.size());
    sum_with_episode += history.summaries.at(0).share_with_episode;
  }
  // DfE average caseload 16.0 per case-holding FTE (measured 15.9).
  EXPECT_NEAR(sum_mean_cases / 20, 16.0, 0.5);
  // The default scheme's calibration: the mean allocated case of this mix,
  // with its factors and open tasks, weighs 100 / 16 = 6.25 points
  // (docs/default_scheme.md#calibration; measured 6.249 when case ages were
  // uniform on an unbiased duration). With equilibrium ages (younger
  // assessments: 5.0% instead of 2.9% are in the write-up fortnight, days
  // 49-63, that carries the single_assessment task) it measures 6.291.
  EXPECT_NEAR(case_points / allocated_cases, 6.25, 0.05);
  // 16 cases of 6.25 points fill 100 points per FTE. Utilisation is over case
  // holders only (not managers' capacity): they carry 98.0 points per
  // case-holding FTE against 90.5 points of capacity per FTE (role caps ASYE
  // 0.9 and advanced practitioner 0.8, reductions), 98.0 / 90.5 = 108%
  // (measured 108.3%, seeds 103.1-116.6%).
  EXPECT_GE(sum_org_util / 20, 1.03);
  EXPECT_LE(sum_org_util / 20, 1.13);
  // Measured 59% of case holders over 100% and 44% over 110%
  // (docs/sample_authority.md explains why not fewer at this average).
  EXPECT_GE(sum_over_100 / 20, 0.45);
  EXPECT_LE(sum_over_100 / 20, 0.70);
  EXPECT_GE(sum_over_110 / 20, 0.30);
  EXPECT_LE(sum_over_110 / 20, 0.55);
  EXPECT_LT(sum_over_110, sum_over_100);
  EXPECT_GT(episodes, 20);  // multi-week exceedance episodes exist
  // Measured 56% of case holders with an episode in the year.
  EXPECT_GE(sum_with_episode / 20, 0.40);
  EXPECT_LE(sum_with_episode / 20, 0.65);
}

// Open cases are a steady stock: a case open today has a length-biased
// duration and a uniform position within it, so ages have density
// S(a) / E[D] and mean E[D^2] / (2 E[D]) (docs/sample_authority.md).
//  assessment, D uniform on (5, 63): E[D] = 34, E[D^2] = (63^3 - 5^3) / (3 * 58)
//    = 1436.33, mean age 1436.33 / 68 = 21.12 days.
//  child_protection, DfE plan lengths (bins 0-91-182-365-730-1095 days, shares
//    15.9, 11.0, 43.5, 25.2, 4.4%, uniform within a bin): E[D] = sum p (a + b) / 2
//    = 319.34, E[D^2] = sum p (a^2 + ab + b^2) / 3 = 151,779, mean age 237.6 days.
// Ages are whole days (truncated: about 0.5 lower). Allocated cases only: the
// unallocated ones are recent referrals by design. Siblings share an age, so
// the tolerance is a few standard errors of the clustered mean.
TEST(Synthetic, OpenCaseAgesFollowTheEquilibriumOfTheDurationCurves) {
  double sum_a = 0, n_a = 0, sum_cp = 0, n_cp = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    SyntheticOptions o;
    o.seed = seed;
    o.history_weeks = 0;
    const SyntheticAuthority a = synthetic_authority(o);
    for (const auto& c : a.cases) {
      if (c.allocations.empty()) continue;
      const double age = days_between(c.opened, a.as_of);
      if (c.case_type == "assessment") {
        sum_a += age;
        n_a += 1;
      } else if (c.case_type == "child_protection") {
        sum_cp += age;
        n_cp += 1;
      }
    }
  }
  ASSERT_GT(n_a, 1000);
  ASSERT_GT(n_cp, 1000);
  EXPECT_NEAR(sum_a / n_a, 21.12 - 0.5, 1.2);
  EXPECT_NEAR(sum_cp / n_cp, 237.6 - 0.5, 15);
}

// The durations table is an extract of every case closed in the window
// plus the authority's open cases (censored), each exactly once.
TEST(Synthetic, HistoryHoldsClosuresInTheWindowAndTheOpenCasesOnce) {
  SyntheticOptions o = small(4);
  o.history_weeks = 0;
  const SyntheticAuthority a = synthetic_authority(o);
  const SyntheticHistory h = synthetic_history(a, 4, 24, 0.0);
  const Date window = Date::from_ymd(2022, 4, 1);  // 24 months ending March 2024
  std::set<std::string> open;
  int64_t closed = 0, opened_before_window = 0;
  for (const auto& d : h.durations) {
    if (!d.closed) {
      EXPECT_TRUE(open.insert(d.case_id).second) << d.case_id;
      continue;
    }
    ++closed;
    EXPECT_GE(*d.closed, window) << d.case_id;
    EXPECT_LE(*d.closed, a.as_of) << d.case_id;
    EXPECT_GE(*d.closed, d.opened) << d.case_id;
    opened_before_window += d.opened < window;
  }
  EXPECT_EQ(open.size(), a.cases.size());
  for (const auto& c : a.cases) EXPECT_TRUE(open.count(c.id)) << c.id;
  EXPECT_GT(closed, 1000);
  EXPECT_GT(opened_before_window, 50);  // long cases that closed in the window
  std::set<std::string> teams;
  for (const auto& r : h.referrals) {
    EXPECT_GE(r.period, window);
    teams.insert(r.team);
  }
  EXPECT_EQ(h.referrals.size(), 24 * teams.size());
}

TEST(Synthetic, NoHistoryWhenNoWeeksRequested) {
  SyntheticOptions o = small(3);
  o.history_weeks = 0;
  EXPECT_TRUE(synthetic_authority(o).snapshots.empty());
}

TEST(Synthetic, RejectsBadOptionsNamingTheField) {
  auto expect_error = [](SyntheticOptions o, const std::string& field) {
    try {
      (void)synthetic_authority(o);
      ADD_FAILURE() << "no error for " << field;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  SyntheticOptions o;
  o.workers = 9;
  expect_error(o, "workers");
  o = {};
  o.workers = 100001;
  expect_error(o, "workers");
  o = {};
  o.history_weeks = -1;
  expect_error(o, "history_weeks");
  o = {};
  o.history_weeks = 521;
  expect_error(o, "history_weeks");
  o = {};
  o.workers = 100000;
  o.history_weeks = 60;  // 6 million rows
  expect_error(o, "history_weeks");
  o = {};
  o.as_of = Date::from_ymd(2000, 1, 1);  // before the default scheme's first version
  expect_error(o, "as_of");
}

}  // namespace
}  // namespace caseload
