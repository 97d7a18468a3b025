// The health check on a small hand-built authority: figures, JSON, CSV and
// the HTML page.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/health_check.hpp"
#include "caseload/model.hpp"
#include "base/json.hpp"

namespace caseload {
namespace {

const Date kAsOf = Date::from_ymd(2024, 3, 31);
const std::string kEvilTeam = "<script>alert(\"x, y\")</script>";

Worker worker(std::string id, std::string team, std::string area, std::string role, double hours) {
  Worker w;
  w.id = std::move(id);
  w.team = std::move(team);
  w.service_area = std::move(area);
  w.role = std::move(role);
  w.contracted_hours = hours;
  return w;
}

Case one_case(std::string id, std::string type, std::string worker_id, std::string team = {}) {
  Case c;
  c.id = std::move(id);
  c.case_type = std::move(type);
  c.opened = Date{kAsOf.days - 10};
  c.team = std::move(team);
  if (!worker_id.empty()) c.allocations = {{std::move(worker_id), 1.0}};
  return c;
}

// Default scheme 2023.1: child_in_need 5.11, child_protection 5.47,
// looked_after 5.47 points; capacity = 100 * available hours / 37 * role cap.
//   W1 social worker, 37 h: 5.11 + 5.11 + 5.47 = 15.69 points / 100 capacity
//   W2 ASYE, 37 h less 10%: 5.11 points / (100 * 33.3 / 37 * 0.9 = 81)
//   W3 social worker, 18.5 h: 5.47 points / 50 capacity
//   C6 unallocated (team Alpha).
// Organisation utilisation = (15.69 + 5.11 + 5.47) / (100 + 81 + 50) = 26.27 / 231.
Caseload small_model() {
  std::vector<Worker> workers = {worker("W1", "Alpha", "children_in_need", "social_worker", 37),
                                 worker("W2", "Alpha", "children_in_need", "asye", 37),
                                 worker("W3", kEvilTeam, "looked_after", "social_worker", 18.5)};
  Reduction asye;
  asye.reason = "ASYE development time";
  asye.percent = 10;
  workers[1].reductions.push_back(asye);
  workers[0].reported_weekly_hours = 42;  // 5 h over: beyond the 2 h tolerance
  workers[0].expected_new_cases = 3;
  workers[2].reported_weekly_hours = 19;  // 0.5 h over: within tolerance
  std::vector<Case> cases = {one_case("C1", "child_in_need", "W1"),    one_case("C2", "child_in_need", "W1"),
                             one_case("C3", "child_protection", "W1"), one_case("C4", "child_in_need", "W2"),
                             one_case("C5", "looked_after", "W3"),     one_case("C6", "child_in_need", "", "Alpha")};
  return Caseload(WeightingScheme::default_scheme(), workers, cases, kAsOf);
}

// W1 over 110% for five weekly snapshots ending on as_of; W3 under.
std::vector<Snapshot> small_history() {
  std::vector<Snapshot> rows;
  for (int k = 4; k >= 0; --k) {
    Snapshot a;
    a.date = Date{kAsOf.days - 7 * k};
    a.worker_id = "W1";
    a.utilisation = 1.2;
    a.points = 120;
    a.capacity = 100;
    rows.push_back(a);
    Snapshot b = a;
    b.worker_id = "W3";
    b.utilisation = 0.5;
    b.points = 25;
    b.capacity = 50;
    rows.push_back(b);
  }
  return rows;
}

TEST(HealthCheck, FiguresComeFromTheModel) {
  const Caseload model = small_model();
  const HealthCheck hc = health_check(model);
  EXPECT_EQ(hc.as_of, kAsOf);
  EXPECT_EQ(hc.scheme_version, "2023.1");
  EXPECT_NEAR(hc.organisation_rollup.utilisation, 26.27 / 231, 1e-9);
  EXPECT_EQ(hc.teams.size(), 2u);
  EXPECT_EQ(hc.service_areas.size(), 2u);
  EXPECT_EQ(hc.workers.size(), 3u);
  EXPECT_EQ(hc.organisation_rollup.unallocated_cases, 1);
  EXPECT_FALSE(hc.history.has_value());
  EXPECT_TRUE(hc.timeline.empty());

  ASSERT_TRUE(hc.reported_hours.has_value());
  const ReportedHours& r = *hc.reported_hours;
  EXPECT_EQ(r.respondents, 2);
  EXPECT_DOUBLE_EQ(r.mean_reported_hours, (42 + 19) / 2.0);
  EXPECT_DOUBLE_EQ(r.mean_contracted_hours, (37 + 18.5) / 2.0);
  EXPECT_DOUBLE_EQ(r.mean_excess_hours, (5 + 0.5) / 2.0);
  EXPECT_DOUBLE_EQ(r.share_over_contracted, 0.5);
  EXPECT_EQ(r.expected_new_cases_respondents, 1);
  EXPECT_DOUBLE_EQ(r.mean_expected_new_cases, 3);
}

TEST(HealthCheck, TimelineIsRatioOfSumsAndCountsWorkersOver) {
  const Caseload model = small_model();
  const auto history = small_history();
  const HealthCheck hc = health_check(model, &history);
  ASSERT_TRUE(hc.history.has_value());
  ASSERT_EQ(hc.timeline.size(), 5u);
  for (const auto& p : hc.timeline) {
    // (120 + 25) / (100 + 50), not the mean of 120% and 50%.
    EXPECT_DOUBLE_EQ(p.utilisation, 145.0 / 150.0);
    EXPECT_EQ(p.workers, 2);
    EXPECT_EQ(p.workers_over, 1);
  }
  EXPECT_EQ(hc.timeline.back().date, kAsOf);
  ASSERT_EQ(hc.history->episodes.size(), 1u);
  EXPECT_EQ(hc.history->episodes[0].worker_id, "W1");
  EXPECT_EQ(hc.history->episodes[0].length_days, 29);  // 4 weeks + 1 day, first to last snapshot

  // Without points and capacity the timeline falls back to the mean.
  auto bare = history;
  for (auto& s : bare) s.points.reset();
  const HealthCheck hc2 = health_check(model, &bare);
  EXPECT_DOUBLE_EQ(hc2.timeline[0].utilisation, (1.2 + 0.5) / 2);

  // The window: history_days = 7 keeps the last two snapshot dates.
  HealthCheckOptions o;
  o.history_days = 7;
  EXPECT_EQ(health_check(model, &history, o).timeline.size(), 2u);
}

TEST(HealthCheck, ManagersAreOutsideUtilisationAndTimeline) {
  // small_model() plus a team manager M (37 h, capacity 100) in Alpha holding
  // one child_in_need case (5.11 points). Organisation utilisation stays
  // 26.27 / 231 over the case holders; the manager's points and capacity are
  // reported apart. Her snapshot() rows (5.11 / 100) are left out of the
  // timeline, which stays (120 + 25) / (100 + 50).
  Caseload model = small_model();
  model.upsert({worker("M", "Alpha", "children_in_need", "team_manager", 37)}, {one_case("C7", "child_in_need", "M")});
  const Snapshot manager_today = model.snapshot().back();
  ASSERT_EQ(manager_today.worker_id, "M");
  auto history = small_history();
  for (int k = 4; k >= 0; --k) {
    Snapshot s = manager_today;
    s.date = Date{kAsOf.days - 7 * k};
    history.push_back(s);
  }
  const HealthCheck hc = health_check(model, &history);
  EXPECT_NEAR(hc.organisation_rollup.utilisation, 26.27 / 231, 1e-9);
  EXPECT_NEAR(hc.organisation_rollup.non_case_holding_points, 5.11, 1e-9);
  EXPECT_DOUBLE_EQ(hc.organisation_rollup.non_case_holding_capacity, 100);
  EXPECT_EQ(hc.organisation_rollup.workers, 4);
  ASSERT_EQ(hc.timeline.size(), 5u);
  for (const auto& p : hc.timeline) {
    EXPECT_DOUBLE_EQ(p.utilisation, 145.0 / 150.0);
    EXPECT_EQ(p.workers, 2);
  }
  ASSERT_TRUE(hc.history.has_value());
  EXPECT_EQ(hc.history->summaries.at(0).workers_observed, 2);  // W1 and W3, not M
  const std::string csv = health_check_to_csv(hc);
  EXPECT_NE(csv.find("organisation,organisation,non_case_holding_capacity,100\r\n"), std::string::npos);
  EXPECT_NE(csv.find("team,Alpha,non_case_holding_points,5.11"), std::string::npos);
  const std::string html = health_check_to_html(hc);
  EXPECT_NE(html.find("non-case-holding roles hold a further 5 points"), std::string::npos);
}

TEST(HealthCheck, RejectsBadOptions) {
  const Caseload model = small_model();
  HealthCheckOptions o;
  o.history_days = -1;
  try {
    (void)health_check(model, nullptr, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("history_days"), std::string::npos);
  }
  o = {};
  o.overtime_tolerance_hours = -1;
  EXPECT_THROW((void)health_check(model, nullptr, o), Error);
}

TEST(HealthCheck, JsonMatchesTheRollup) {
  const Caseload model = small_model();
  const auto history = small_history();
  const HealthCheck hc = health_check(model, &history);
  const json::Value doc = json::parse(health_check_to_json(hc));
  const Rollup org = model.rollup(Level::organisation).at(0);
  const json::Value* o = doc.find("organisation_rollup");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->find("utilisation")->as_number(), org.utilisation);
  EXPECT_EQ(o->find("cases")->as_number(), org.cases);
  EXPECT_EQ(o->find("mean_cases_per_fte")->as_number(), org.mean_cases_per_fte);
  EXPECT_EQ(o->find("band_counts")->find("green")->as_number(), static_cast<double>(org.band_counts[0]));
  EXPECT_EQ(doc.find("as_of")->as_string(), "2024-03-31");
  EXPECT_EQ(doc.find("teams")->as_array().size(), 2u);
  EXPECT_EQ(doc.find("timeline")->as_array().size(), 5u);
  EXPECT_EQ(doc.find("exceedance_history")->find("episodes")->as_array().size(), 1u);
  EXPECT_EQ(doc.find("workers")->as_array()[0].find("band")->as_string(), "green");
  // Stable: the same check serialises to the same bytes.
  EXPECT_EQ(health_check_to_json(hc), health_check_to_json(health_check(model, &history)));
}

TEST(HealthCheck, CsvIsLongFormatWithQuoting) {
  const Caseload model = small_model();
  const auto history = small_history();
  const std::string csv = health_check_to_csv(health_check(model, &history));
  EXPECT_EQ(csv.rfind("level,group,metric,value\r\n", 0), 0u);
  EXPECT_NE(csv.find("organisation,organisation,workers,3\r\n"), std::string::npos);
  EXPECT_NE(csv.find("organisation,organisation,unallocated_cases,1\r\n"), std::string::npos);
  EXPECT_NE(csv.find("organisation,organisation,reported_hours_respondents,2\r\n"), std::string::npos);
  EXPECT_NE(csv.find("organisation,organisation,exceedance_episodes,1\r\n"), std::string::npos);
  EXPECT_NE(csv.find("team,Alpha,cases,"), std::string::npos);
  EXPECT_NE(csv.find("date,2024-03-31,workers_over,1\r\n"), std::string::npos);
  // RFC 4180: a field with a quote or comma is quoted, quotes doubled.
  EXPECT_NE(csv.find("team,\"<script>alert(\"\"x, y\"\")</script>\",workers,1\r\n"), std::string::npos);
  // Every line has exactly 4 fields outside quotes.
  size_t start = 0;
  while (start < csv.size()) {
    const size_t end = csv.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    int commas = 0;
    bool quoted = false;
    for (size_t i = start; i < end; ++i) {
      if (csv[i] == '"') quoted = !quoted;
      if (csv[i] == ',' && !quoted) ++commas;
    }
    EXPECT_EQ(commas, 3) << csv.substr(start, end - start);
    start = end + 2;
  }
}

// Tag balance: every opened element is closed in order; void elements and
// self-closed SVG elements need no end tag.
bool well_formed(const std::string& html, std::string& why) {
  std::vector<std::string> stack;
  const std::vector<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link"};
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    if (html.compare(i, 2, "<!") == 0) {
      i = html.find('>', i);
      continue;
    }
    const bool closing = html.compare(i, 2, "</") == 0;
    size_t j = i + (closing ? 2 : 1);
    size_t k = j;
    while (k < html.size() && (std::isalnum(static_cast<unsigned char>(html[k])) || html[k] == '-')) ++k;
    const std::string name = html.substr(j, k - j);
    if (name.empty()) {
      why = "bare < at " + std::to_string(i);
      return false;
    }
    // Find the end of the tag, skipping quoted attribute values.
    char quote = 0;
    for (; k < html.size(); ++k) {
      if (quote) {
        if (html[k] == quote) quote = 0;
      } else if (html[k] == '"' || html[k] == '\'') {
        quote = html[k];
      } else if (html[k] == '>') {
        break;
      }
    }
    if (k >= html.size()) {
      why = "unterminated tag " + name;
      return false;
    }
    const bool self_closed = html[k - 1] == '/';
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        why = "unexpected </" + name + "> (open: " + (stack.empty() ? "none" : stack.back()) + ")";
        return false;
      }
      stack.pop_back();
    } else if (!self_closed && std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
      stack.push_back(name);
    }
    i = k + 1;
  }
  if (!stack.empty()) why = "unclosed <" + stack.back() + ">";
  return stack.empty();
}

size_t count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t i = s.find(needle); i != std::string::npos; i = s.find(needle, i + 1)) ++n;
  return n;
}

TEST(HealthCheck, HtmlIsWellFormedEscapedAndHasTheCharts) {
  const Caseload model = small_model();
  const auto history = small_history();
  HealthCheckOptions o;
  o.organisation = "Tees & Wear";
  const std::string html = health_check_to_html(health_check(model, &history, o));
  std::string why;
  EXPECT_TRUE(well_formed(html, why)) << why;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<title>Tees &amp; Wear — caseload health check as of 2024-03-31</title>"), std::string::npos);
  // Chart 1 (per worker), chart 2 (per team), chart 3 (timeline) and its
  // episodes panel.
  EXPECT_EQ(count(html, "<svg"), 4u);
  EXPECT_EQ(count(html, "<script"), 0u);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x, y&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(count(html, "http://") + count(html, "https://"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  for (const char* section : {"Headline figures", "Distribution", "Teams", "Load per worker", "Distribution per team",
                              "Exceedance history", "Reported hours"})
    EXPECT_NE(html.find(section), std::string::npos) << section;
  EXPECT_NE(html.find("version 2023.1"), std::string::npos);

  // Without snapshots: no timeline chart, still well formed.
  const std::string plain = health_check_to_html(health_check(model));
  EXPECT_TRUE(well_formed(plain, why)) << why;
  EXPECT_EQ(count(plain, "<svg"), 2u);
  EXPECT_NE(plain.find("No snapshots were supplied"), std::string::npos);
}

}  // namespace
}  // namespace caseload
