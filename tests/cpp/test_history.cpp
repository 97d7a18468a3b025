// Exceedance history on hand-made weekly snapshot sequences.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/model.hpp"
#include "model_fixture.hpp"

namespace {

using namespace caseload;
using namespace caseload::fixture;

// Weekly snapshots for one worker starting on `first`.
std::vector<Snapshot> weekly(const std::string& worker, Date first, const std::vector<double>& utilisation) {
  std::vector<Snapshot> out;
  for (size_t k = 0; k < utilisation.size(); ++k) {
    Snapshot s;
    s.worker_id = worker;
    s.date = Date{first.days + static_cast<int32_t>(7 * k)};
    s.utilisation = utilisation[k];
    out.push_back(s);
  }
  return out;
}

void append(std::vector<Snapshot>& to, const std::vector<Snapshot>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// The children service area's excessive threshold is 1.1 until 2024-06-30.
const Date kJan7 = Date::from_ymd(2024, 1, 7);

ExceedanceHistory history(const std::vector<Snapshot>& snaps, const ExceedanceRule& rule = {},
                          std::optional<Date> from = std::nullopt, std::optional<Date> to = std::nullopt) {
  return exceedance_history(test_scheme(), known_workers(), snaps, rule, from, to);
}

TEST(History, ExactlyFourWeeksOverIsAnEpisode) {
  // Weeks 2-5 are above 1.1: start 2024-01-14, end 2024-02-04,
  // length 2024-02-04 - 2024-01-14 + 1 = 22 days, peak 1.3.
  const auto h = history(weekly("A", kJan7, {1.0, 1.2, 1.15, 1.3, 1.12, 0.9}));
  ASSERT_EQ(h.episodes.size(), 1u);
  const ExceedanceEpisode& e = h.episodes[0];
  EXPECT_EQ(e.worker_id, "A");
  EXPECT_EQ(e.team, "T1");  // from the worker record
  EXPECT_EQ(e.service_area, "children");
  EXPECT_EQ(e.start, ymd(2024, 1, 14));
  EXPECT_EQ(e.end, ymd(2024, 2, 4));
  EXPECT_EQ(e.snapshots, 4);
  EXPECT_EQ(e.length_days, 22);
  EXPECT_DOUBLE_EQ(e.peak, 1.3);
  EXPECT_FALSE(e.ongoing);   // back under at the last snapshot
  EXPECT_EQ(h.from, kJan7);  // default window: all snapshots
  EXPECT_EQ(h.to, ymd(2024, 2, 11));
}

TEST(History, ThreeWeeksOverIsNotAnEpisode) {
  const auto h = history(weekly("A", kJan7, {1.2, 1.2, 1.2, 0.5, 1.2}));
  EXPECT_TRUE(h.episodes.empty());
  ASSERT_FALSE(h.summaries.empty());
  EXPECT_EQ(h.summaries[0].workers_observed, 1);
  EXPECT_EQ(h.summaries[0].workers_with_episode, 0);
  EXPECT_EQ(h.summaries[0].snapshots_over, 0);
}

TEST(History, ExactlyAtTheThresholdIsNotOver) {
  EXPECT_TRUE(history(weekly("A", kJan7, {1.1, 1.1, 1.1, 1.1, 1.1})).episodes.empty());
}

TEST(History, OngoingWhenTheRunReachesTheLastSnapshot) {
  const auto h = history(weekly("A", kJan7, {0.5, 1.2, 1.2, 1.2, 1.25}));
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_TRUE(h.episodes[0].ongoing);
  EXPECT_EQ(h.episodes[0].start, ymd(2024, 1, 14));
  EXPECT_EQ(h.episodes[0].end, ymd(2024, 2, 4));
  EXPECT_DOUBLE_EQ(h.episodes[0].peak, 1.25);
}

TEST(History, AMissingWeekBreaksTheRun) {
  // 7, 14, (21 missing), 28 Jan, 4 Feb: two runs of 2 with the default 7-day gap.
  auto snaps = weekly("A", kJan7, {1.2, 1.2, 1.2, 1.2, 1.2});
  snaps.erase(snaps.begin() + 2);
  EXPECT_TRUE(history(snaps).episodes.empty());
  // Allowing a 14-day gap joins them: 4 snapshots, 7 Jan to 4 Feb = 29 days.
  ExceedanceRule rule;
  rule.max_gap_days = 14;
  const auto h = history(snaps, rule);
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_EQ(h.episodes[0].snapshots, 4);
  EXPECT_EQ(h.episodes[0].length_days, 29);
  EXPECT_TRUE(h.episodes[0].ongoing);
}

TEST(History, WindowLimitsTheSnapshotsConsidered) {
  // Eight weeks over, 7 Jan .. 25 Feb.
  const auto snaps = weekly("A", kJan7, std::vector<double>(8, 1.5));
  // 21 Jan .. 11 Feb: 4 snapshots -> an episode, ongoing at the window's end.
  auto h = history(snaps, {}, ymd(2024, 1, 21), ymd(2024, 2, 11));
  EXPECT_EQ(h.from, ymd(2024, 1, 21));
  EXPECT_EQ(h.to, ymd(2024, 2, 11));
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_EQ(h.episodes[0].start, ymd(2024, 1, 21));
  EXPECT_EQ(h.episodes[0].end, ymd(2024, 2, 11));
  EXPECT_TRUE(h.episodes[0].ongoing);
  // 21 Jan .. 4 Feb: 3 snapshots -> none.
  EXPECT_TRUE(history(snaps, {}, ymd(2024, 1, 21), ymd(2024, 2, 4)).episodes.empty());
  // Only `from`: 4 Feb .. 25 Feb is 4 snapshots.
  EXPECT_EQ(history(snaps, {}, ymd(2024, 2, 4)).episodes.size(), 1u);
  // A window with no snapshots: the worker is not observed.
  h = history(snaps, {}, ymd(2025, 1, 1), ymd(2025, 2, 1));
  EXPECT_TRUE(h.episodes.empty());
  EXPECT_EQ(h.summaries[0].workers_observed, 0);
}

TEST(History, ThresholdComesFromTheSchemeVersionAtEachDate) {
  // u = 1.2 every week from 9 Jun to 28 Jul. Until 30 Jun the threshold is
  // 1.1 (over); from 1 Jul it is 1.3 (not over). Over on 9, 16, 23, 30 Jun.
  const auto h = history(weekly("A", ymd(2024, 6, 9), std::vector<double>(8, 1.2)));
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_EQ(h.episodes[0].start, ymd(2024, 6, 9));
  EXPECT_EQ(h.episodes[0].end, ymd(2024, 6, 30));
  EXPECT_FALSE(h.episodes[0].ongoing);
}

TEST(History, RuleThresholdAndMinimumOverride) {
  ExceedanceRule rule;
  rule.threshold = 1.0;
  rule.min_consecutive = 2;
  const auto h = history(weekly("A", kJan7, {1.05, 1.01, 0.9, 1.02, 0.99}), rule);
  ASSERT_EQ(h.episodes.size(), 1u);  // the single week at 1.02 is too short
  EXPECT_EQ(h.episodes[0].snapshots, 2);
  EXPECT_EQ(h.rule.min_consecutive, 2);
}

TEST(History, SummariesAndOrdering) {
  // A (T1): episode of 4 weeks, 22 days, peak 1.4.
  // B (T1): never over.
  // C (T2): two episodes: 4 weeks (22 days, peak 1.2) and 5 weeks (29 days,
  //         peak 1.6, ongoing).
  // X (unknown worker, team T3 given, no service area): observed, never over.
  std::vector<Snapshot> snaps;
  append(snaps, weekly("C", kJan7, {1.2, 1.2, 1.2, 1.2, 0.5, 1.5, 1.5, 1.6, 1.5, 1.5}));
  append(snaps, weekly("B", kJan7, std::vector<double>(10, 0.7)));
  append(snaps, weekly("A", kJan7, {1.4, 1.2, 1.2, 1.2, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9}));
  auto x = weekly("X", kJan7, {0.3, 0.3});
  for (auto& s : x) s.team = "T3";
  append(snaps, x);
  std::reverse(snaps.begin(), snaps.end());  // input order must not matter

  const auto h = history(snaps);
  ASSERT_EQ(h.episodes.size(), 3u);
  EXPECT_EQ(h.episodes[0].worker_id, "A");
  EXPECT_EQ(h.episodes[1].worker_id, "C");
  EXPECT_EQ(h.episodes[1].start, kJan7);
  EXPECT_EQ(h.episodes[2].worker_id, "C");
  EXPECT_EQ(h.episodes[2].start, ymd(2024, 2, 11));
  EXPECT_EQ(h.episodes[2].snapshots, 5);
  EXPECT_EQ(h.episodes[2].length_days, 29);
  EXPECT_TRUE(h.episodes[2].ongoing);

  // organisation, service areas (children, unknown), teams (T1, T2, T3).
  ASSERT_EQ(h.summaries.size(), 6u);
  const ExceedanceSummary& org = h.summaries[0];
  EXPECT_EQ(org.level, Level::organisation);
  EXPECT_EQ(org.group, "organisation");
  EXPECT_EQ(org.workers_observed, 4);
  EXPECT_EQ(org.workers_with_episode, 2);
  EXPECT_DOUBLE_EQ(org.share_with_episode, 0.5);
  EXPECT_EQ(org.episodes, 3);
  EXPECT_EQ(org.snapshots_over, 4 + 4 + 5);
  EXPECT_DOUBLE_EQ(org.mean_episode_days, (22.0 + 22 + 29) / 3);
  EXPECT_EQ(org.longest_episode_days, 29);
  EXPECT_DOUBLE_EQ(org.peak, 1.6);
  EXPECT_EQ(h.summaries[1].group, "children");
  EXPECT_EQ(h.summaries[1].level, Level::service_area);
  EXPECT_EQ(h.summaries[1].workers_observed, 3);
  EXPECT_EQ(h.summaries[2].group, "unknown");
  EXPECT_EQ(h.summaries[2].workers_observed, 1);
  const ExceedanceSummary& t1 = h.summaries[3];
  EXPECT_EQ(t1.level, Level::team);
  EXPECT_EQ(t1.group, "T1");
  EXPECT_EQ(t1.workers_observed, 2);
  EXPECT_EQ(t1.workers_with_episode, 1);
  EXPECT_EQ(t1.episodes, 1);
  EXPECT_DOUBLE_EQ(t1.peak, 1.4);
  const ExceedanceSummary& t2 = h.summaries[4];
  EXPECT_EQ(t2.group, "T2");
  EXPECT_EQ(t2.workers_with_episode, 1);
  EXPECT_EQ(t2.episodes, 2);
  EXPECT_DOUBLE_EQ(t2.mean_episode_days, 25.5);
  EXPECT_EQ(h.summaries[5].group, "T3");
  EXPECT_EQ(h.summaries[5].episodes, 0);
  EXPECT_DOUBLE_EQ(h.summaries[5].share_with_episode, 0);
}

TEST(History, SnapshotTeamOverridesTheWorkerRecord) {
  auto snaps = weekly("A", kJan7, std::vector<double>(4, 1.5));
  for (auto& s : snaps) s.team = "Old team";
  const auto h = history(snaps);
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_EQ(h.episodes[0].team, "Old team");
}

TEST(History, EmptyInput) {
  const auto h = history({});
  EXPECT_TRUE(h.episodes.empty());
  ASSERT_EQ(h.summaries.size(), 1u);
  EXPECT_EQ(h.summaries[0].workers_observed, 0);
  EXPECT_EQ(h.summaries[0].share_with_episode, 0);
}

TEST(History, InfiniteUtilisationIsOver) {
  // A worker on 100% leave who still holds cases has utilisation +inf.
  const double inf = std::numeric_limits<double>::infinity();
  const auto h = history(weekly("A", kJan7, {inf, inf, inf, inf}));
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_EQ(h.episodes[0].peak, inf);
}

TEST(History, FromModelSnapshots) {
  // Four weekly snapshots of the known model: C is at 2.0 every week.
  Caseload m = known_model();
  std::vector<Snapshot> snaps;
  for (int k = 0; k < 4; ++k) {
    m.set_as_of(Date{known_as_of().days + 7 * k});
    append(snaps, m.snapshot());
  }
  const auto h = exceedance_history(m.scheme(), m.workers(), snaps);
  ASSERT_EQ(h.episodes.size(), 1u);
  EXPECT_EQ(h.episodes[0].worker_id, "C");
  EXPECT_EQ(h.episodes[0].team, "T2");
  EXPECT_TRUE(h.episodes[0].ongoing);
  EXPECT_NEAR(h.episodes[0].peak, 2.0, 1e-12);
}

void expect_history_error(const std::vector<Snapshot>& snaps, ErrorCode code, const std::string& message,
                          const ExceedanceRule& rule = {}, std::optional<Date> from = std::nullopt,
                          std::optional<Date> to = std::nullopt) {
  try {
    (void)history(snaps, rule, from, to);
    ADD_FAILURE() << "expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code);
    EXPECT_EQ(std::string(e.what()), message);
  }
}

TEST(HistoryValidation, BadSnapshots) {
  auto snaps = weekly("A", kJan7, {1.0, std::nan(""), 1.0});
  expect_history_error(snaps, ErrorCode::invalid_argument,
                       "snapshot at index 1 (worker \"A\" on 2024-01-14): utilisation must be >= 0, got nan");
  snaps = weekly("A", kJan7, {1.0, -0.1});
  expect_history_error(snaps, ErrorCode::invalid_argument,
                       "snapshot at index 1 (worker \"A\" on 2024-01-14): utilisation must be >= 0, got -0.1");
  snaps = weekly("A", kJan7, {1.0, 1.0, 1.0});
  snaps.push_back(snaps[1]);
  expect_history_error(snaps, ErrorCode::duplicate,
                       "snapshot at index 3 (worker \"A\" on 2024-01-14): duplicate of snapshot at index 1 (same "
                       "worker and date)");
  snaps = weekly("Z", kJan7, {1.0});
  expect_history_error(snaps, ErrorCode::not_found,
                       "snapshot at index 0 (worker \"Z\" on 2024-01-07): unknown worker and no team given");
  snaps = weekly("A", ymd(2023, 12, 24), {1.0});
  expect_history_error(snaps, ErrorCode::not_found,
                       "snapshot at index 0 (worker \"A\" on 2023-12-24): scheme \"test\": no version in force on "
                       "2023-12-24");
}

TEST(HistoryValidation, BadRuleOrWindow) {
  const auto snaps = weekly("A", kJan7, {1.0});
  ExceedanceRule rule;
  rule.min_consecutive = 0;
  expect_history_error(snaps, ErrorCode::invalid_argument,
                       "exceedance rule: min_consecutive must be an integer in [1, 100000], got 0", rule);
  rule = {};
  rule.max_gap_days = 0;
  expect_history_error(snaps, ErrorCode::invalid_argument,
                       "exceedance rule: max_gap_days must be an integer in [1, 100000], got 0", rule);
  rule = {};
  rule.threshold = std::nan("");
  expect_history_error(snaps, ErrorCode::invalid_argument,
                       "exceedance rule: threshold must be finite and >= 0, got nan", rule);
  expect_history_error(snaps, ErrorCode::invalid_argument, "exceedance window: to 2024-01-01 is before from 2024-02-01",
                       {}, ymd(2024, 2, 1), ymd(2024, 1, 1));
}

}  // namespace
