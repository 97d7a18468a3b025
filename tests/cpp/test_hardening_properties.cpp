// Hardening properties over many seeded random models (docs/hardening.md):
//  - round trips lose nothing: scheme, workers, cases and snapshots exported
//    to JSON (and the tables to CSV and Table) read back field for field
//    equal, and the re-imported model computes bit-identical figures;
//  - determinism: the same JSON request gives byte-identical output on every
//    run and on any number of threads at once;
//  - failure atomicity: a batch with one bad record anywhere in it leaves the
//    model exactly as it was.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "caseload/caseload.h"
#include "caseload/caseload.hpp"

namespace caseload {
namespace {

// ---- Field-for-field equality (test-local: the records stay plain structs) ----
// Doubles compare by bit pattern through memcmp-free equality: == plus the
// sign of zero, since the writers must not turn -0 into 0 either.
bool same(double a, double b) {
  return a == b && std::signbit(a) == std::signbit(b);
}
bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

bool equal(const Reduction& a, const Reduction& b) {
  return a.reason == b.reason && same(a.percent, b.percent) && same(a.hours, b.hours) && a.start == b.start &&
         a.end == b.end;
}
bool equal(const Worker& a, const Worker& b) {
  if (a.reductions.size() != b.reductions.size()) return false;
  for (size_t i = 0; i < a.reductions.size(); ++i)
    if (!equal(a.reductions[i], b.reductions[i])) return false;
  return a.id == b.id && a.team == b.team && a.service_area == b.service_area && a.role == b.role &&
         same(a.contracted_hours, b.contracted_hours) && a.experience_level == b.experience_level &&
         same(a.experience_years, b.experience_years) && a.skills == b.skills && a.start_date == b.start_date &&
         a.agency == b.agency && same(a.reported_weekly_hours, b.reported_weekly_hours) &&
         same(a.expected_new_cases, b.expected_new_cases);
}
bool equal(const Case& a, const Case& b) {
  if (a.allocations.size() != b.allocations.size() || a.tasks.size() != b.tasks.size()) return false;
  for (size_t i = 0; i < a.allocations.size(); ++i)
    if (a.allocations[i].worker_id != b.allocations[i].worker_id ||
        !same(a.allocations[i].share, b.allocations[i].share))
      return false;
  for (size_t i = 0; i < a.tasks.size(); ++i) {
    const Task &x = a.tasks[i], &y = b.tasks[i];
    if (x.type != y.type || !same(x.points, y.points) || x.created != y.created || x.due != y.due ||
        x.completed != y.completed)
      return false;
  }
  return a.id == b.id && a.family_id == b.family_id && a.case_type == b.case_type && a.factors == b.factors &&
         a.opened == b.opened && a.team == b.team;
}
bool equal(const Snapshot& a, const Snapshot& b) {
  return a.date == b.date && a.worker_id == b.worker_id && same(a.utilisation, b.utilisation) &&
         same(a.cases, b.cases) && same(a.points, b.points) && same(a.capacity, b.capacity) && a.team == b.team &&
         a.service_area == b.service_area;
}
template <class T>
::testing::AssertionResult all_equal(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << a.size() << " vs " << b.size() << " records";
  for (size_t i = 0; i < a.size(); ++i)
    if (!equal(a[i], b[i])) return ::testing::AssertionFailure() << "record " << i << " differs";
  return ::testing::AssertionSuccess();
}

// Every computed figure as exact text (%a), so equal text = bit-identical.
std::string figures(const Caseload& m) {
  std::string s;
  char buf[48];
  const auto add = [&](double v) {
    std::snprintf(buf, sizeof buf, "%a,", v);
    s += buf;
  };
  for (const WorkerLoad& w : m.worker_loads()) {
    s += w.worker_id + ':';
    for (double v : {w.fte, w.available_hours, w.cases, w.points, w.capacity, w.utilisation, w.headroom}) add(v);
    s += std::to_string(static_cast<int>(w.band)) + (w.asye_protected ? 'p' : 'u') + '\n';
  }
  for (Level level : {Level::team, Level::service_area, Level::organisation})
    for (const Rollup& r : m.rollup(level)) {
      s += r.group + ':';
      for (double v : {r.points, r.capacity, r.utilisation, r.gini_utilisation, r.unallocated_points}) add(v);
    }
  return s;
}

// ---- A seeded generator of awkward but valid models ----
// Starts from the synthetic authority (valid by construction) and replaces
// free text with text that stresses the encodings (CSV quotes, list
// separators, backslashes, UTF-8, line breaks) and numbers with arbitrary
// doubles in their valid ranges, keeping references (allocations) consistent.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  std::string text(bool allow_empty) {
    static const char* const pieces[] = {"a",    "Team", " ",  ",", "\"", ";",  ":",    "\\",  "\n",
                                         "\r\n", "é",    "中", "😀", "'",  "\t", "null", "1e3", "  x  "};
    const int n = static_cast<int>(pick(allow_empty ? 0 : 1, 5));
    std::string s;
    for (int i = 0; i < n; ++i) s += pieces[pick(0, std::size(pieces) - 1)];
    return s;
  }
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  size_t pick(size_t lo, size_t hi) { return std::uniform_int_distribution<size_t>(lo, hi)(rng_); }
  bool coin() { return pick(0, 1) == 1; }

  SyntheticAuthority authority() {
    SyntheticOptions o;
    o.seed = pick(1, 1u << 30);
    o.workers = static_cast<int32_t>(pick(10, 40));
    o.history_weeks = static_cast<int32_t>(pick(0, 8));
    SyntheticAuthority a = synthetic_authority(o);
    std::map<std::string, std::string> renamed;
    for (Worker& w : a.workers) {
      const std::string id = w.id + text(true);
      renamed[w.id] = id;
      w.id = id;
      w.team = "T" + text(true);
      w.experience_level = text(true);
      for (auto& s : w.skills) s = "s" + text(true);
      w.contracted_hours = uniform(8, 60);
      w.experience_years = coin() ? 0.0 : uniform(0, 40);
      if (coin()) w.reported_weekly_hours = uniform(0, 80);
      if (coin()) w.expected_new_cases = std::floor(uniform(0, 9));
      for (auto& r : w.reductions) {
        r.reason = "r" + text(true);
        if (r.percent) r.percent = uniform(0.5, 30);
        if (r.hours) r.hours = uniform(0.5, 5);
      }
    }
    for (Case& c : a.cases) {
      c.id += text(true);
      c.family_id = coin() ? std::string() : "F" + text(true);
      c.team = c.allocations.empty() || coin() ? "T" + text(true) : std::string();
      for (auto& al : c.allocations) al.worker_id = renamed.at(al.worker_id);
      if (c.allocations.size() == 2) {
        const double x = uniform(0.05, 0.95);
        c.allocations[0].share = x;
        c.allocations[1].share = 1 - x;  // sums to 1 within 1e-9
      }
      for (auto& t : c.tasks)
        if (coin()) t.points = uniform(0, 10);
    }
    for (Snapshot& s : a.snapshots) {
      s.worker_id = renamed.count(s.worker_id) ? renamed.at(s.worker_id) : s.worker_id;
      s.utilisation = uniform(0, 2);
      if (s.points) s.points = uniform(0, 150);
      if (!s.team.empty()) s.team = "T" + text(true);
    }
    return a;
  }

 private:
  std::mt19937_64 rng_;
};

constexpr int kModels = 24;

TEST(HardeningRoundTrip, RecordsSurviveJsonCsvAndTablesFieldForField) {
  for (int seed = 1; seed <= kModels; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Generator g(seed);
    const SyntheticAuthority a = g.authority();
    EXPECT_TRUE(all_equal(workers_from_json(workers_to_json(a.workers)), a.workers));
    EXPECT_TRUE(all_equal(cases_from_json(cases_to_json(a.cases)), a.cases));
    EXPECT_TRUE(all_equal(snapshots_from_json(snapshots_to_json(a.snapshots)), a.snapshots));
    EXPECT_TRUE(all_equal(workers_from_csv(workers_to_csv(a.workers)), a.workers));
    EXPECT_TRUE(all_equal(cases_from_csv(cases_to_csv(a.cases)), a.cases));
    EXPECT_TRUE(all_equal(snapshots_from_csv(snapshots_to_csv(a.snapshots)), a.snapshots));
    EXPECT_TRUE(all_equal(workers_from_table(workers_to_table(a.workers)), a.workers));
    EXPECT_TRUE(all_equal(cases_from_table(cases_to_table(a.cases)), a.cases));
    EXPECT_TRUE(all_equal(snapshots_from_table(snapshots_to_table(a.snapshots)), a.snapshots));
  }
}

TEST(HardeningRoundTrip, ExportedModelReimportsToIdenticalFigures) {
  for (int seed = 1; seed <= kModels; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Generator g(1000 + seed);
    const SyntheticAuthority a = g.authority();
    const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
    // Export everything the model holds, import it, and compare.
    const std::string scheme_json = model.scheme().to_json();
    const Caseload again(WeightingScheme::from_json(scheme_json), workers_from_json(workers_to_json(model.workers())),
                         cases_from_json(cases_to_json(model.cases())), model.as_of());
    EXPECT_EQ(again.scheme().to_json(), scheme_json);
    EXPECT_TRUE(all_equal(again.workers(), model.workers()));
    EXPECT_TRUE(all_equal(again.cases(), model.cases()));
    EXPECT_EQ(figures(again), figures(model));
    // The same through the C API's whole-model export.
    caseload_model* c = nullptr;
    const std::string as_of = a.as_of.to_string();
    ASSERT_EQ(caseload_model_create_json(&c, nullptr, workers_to_json(a.workers).c_str(),
                                         cases_to_json(a.cases).c_str(), as_of.c_str()),
              CASELOAD_OK)
        << caseload_last_error();
    char* exported = nullptr;
    ASSERT_EQ(caseload_model_to_json(&exported, c), CASELOAD_OK);
    const std::string text = exported;
    caseload_string_free(exported);
    caseload_model_free(c);
    const std::string request = R"({"op":"worker_loads",)" + text.substr(1);  // the export is a valid request body
    EXPECT_EQ(run_json_request(request),
              run_json_request(R"({"op":"worker_loads","as_of":")" + as_of + R"(","workers":)" +
                               workers_to_json(a.workers) + R"(,"cases":)" + cases_to_json(a.cases) + "}"));
  }
}

// ---- Determinism ----

std::string io_quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else if (ch < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", ch);
      out += buf;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out + '"';
}

TEST(HardeningDeterminism, JsonRequestsAreByteIdenticalAcrossRunsAndThreads) {
  Generator g(77);
  const SyntheticAuthority a = g.authority();
  const std::string body = R"("as_of":")" + a.as_of.to_string() + R"(","workers":)" + workers_to_json(a.workers) +
                           R"(,"cases":)" + cases_to_json(a.cases);
  const std::string snaps = R"(,"snapshots":)" + snapshots_to_json(a.snapshots);
  const std::vector<std::string> requests = {
      "{\"op\":\"worker_loads\"," + body + "}",
      "{\"op\":\"rollup\",\"level\":\"team\"," + body + "}",
      "{\"op\":\"breakdown\",\"worker_id\":" + io_quote(a.workers[0].id) + "," + body + "}",
      "{\"op\":\"validate\"," + body + snaps + "}",
      "{\"op\":\"health_check\"," + body + snaps + "}",
      "{\"op\":\"health_check\",\"format\":\"csv\"," + body + snaps + "}",
      "{\"op\":\"health_check\",\"format\":\"html\"," + body + snaps + "}",
      "{\"op\":\"exceedance_history\",\"workers\":" + workers_to_json(a.workers) + snaps + "}",
  };
  std::vector<std::string> expected;
  for (const auto& r : requests) expected.push_back(run_json_request(r));
  for (size_t i = 0; i < requests.size(); ++i) EXPECT_EQ(run_json_request(requests[i]), expected[i]) << i;
  for (int threads : {2, 4, 8}) {
    std::vector<std::vector<std::string>> got(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (size_t i = 0; i < requests.size(); ++i)
          got[t].push_back(run_json_request(requests[(i + t) % requests.size()]));
      });
    for (auto& th : pool) th.join();
    for (int t = 0; t < threads; ++t)
      for (size_t i = 0; i < requests.size(); ++i)
        EXPECT_EQ(got[t][i], expected[(i + t) % requests.size()]) << threads << " threads, request " << i;
  }
}

TEST(HardeningDeterminism, ForecastsAndGapSolvesDoNotDependOnThreads) {
  std::vector<Series> series;
  for (int k = 0; k < 5; ++k) {
    Series s;
    for (int t = 0; t < 30; ++t) s.y.push_back(10 + k + (t % 4) + (t * 3 + k) % 7);
    series.push_back(s);
  }
  ForecastOptions o;
  o.horizon = 4;
  o.n_paths = 200;
  o.n_threads = 1;
  const auto one = forecast(series, o);
  for (int threads : {2, 3, 8}) {
    o.n_threads = threads;
    const auto many = forecast(series, o);
    ASSERT_EQ(many.size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) {
      EXPECT_EQ(many[i].model, one[i].model);
      EXPECT_EQ(many[i].mean, one[i].mean) << threads << " threads, series " << i;
      EXPECT_EQ(many[i].lo, one[i].lo);
      EXPECT_EQ(many[i].hi, one[i].hi);
    }
  }
  GapInstance gap;
  gap.agents = 3;
  gap.items = 10;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 10; ++j) {
      gap.cost.push_back((i * 5 + j * 11) % 17);
      gap.weight.push_back(1 + (i + j) % 4);
    }
  gap.capacity = {9, 9, 9};
  GapOptions go;
  go.work_limit = 1'000'000;
  const GapResult first = solve_gap(gap, go);
  std::vector<GapResult> results(4);
  std::vector<std::thread> pool;
  for (auto& r : results) pool.emplace_back([&] { r = solve_gap(gap, go); });
  for (auto& th : pool) th.join();
  for (const auto& r : results) {
    EXPECT_EQ(r.assignment, first.assignment);
    EXPECT_EQ(r.objective, first.objective);
    EXPECT_EQ(r.status, first.status);
  }
}

// ---- Failure atomicity ----

TEST(HardeningAtomicity, BatchWithOneBadRecordAnywhereChangesNothing) {
  Generator g(5);
  const SyntheticAuthority a = g.authority();
  Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  const std::string workers_before = workers_to_json(model.workers()), cases_before = cases_to_json(model.cases());
  const std::string figures_before = figures(model);
  for (int trial = 0; trial < 30; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    // A batch of good updates (existing and new records) with one bad one.
    std::vector<Worker> workers(a.workers.begin(), a.workers.begin() + 5);
    for (auto& w : workers) w.contracted_hours = g.uniform(10, 40);
    Worker fresh = a.workers[0];
    fresh.id = "NEW-" + std::to_string(trial);
    workers.push_back(fresh);
    std::vector<Case> cases(a.cases.begin(), a.cases.begin() + 5);
    for (auto& c : cases) c.allocations = {{a.workers[g.pick(0, a.workers.size() - 1)].id, 1.0}};
    const size_t bad_at = g.pick(0, workers.size() + cases.size() - 1);
    const int how = static_cast<int>(g.pick(0, 3));
    if (bad_at < workers.size()) {
      Worker& w = workers[bad_at];
      if (how == 0) w.contracted_hours = -0.2;
      if (how == 1) w.role = "wizard";
      if (how == 2) w.reductions.push_back({"sick", 150.0, std::nullopt, std::nullopt, std::nullopt});
      if (how == 3) workers.push_back(w);  // same id twice in one batch
    } else {
      Case& c = cases[bad_at - workers.size()];
      if (how == 0) c.case_type = "nope";
      if (how == 1) c.allocations = {{"NOBODY", 1.0}};
      if (how == 2) c.allocations = {{a.workers[0].id, 0.5}};  // shares sum to 0.5
      if (how == 3) cases.push_back(c);
    }
    EXPECT_THROW(model.upsert(workers, cases), Error);
    ASSERT_EQ(workers_to_json(model.workers()), workers_before);
    ASSERT_EQ(cases_to_json(model.cases()), cases_before);
    ASSERT_EQ(figures(model), figures_before);
  }
}

TEST(HardeningAtomicity, CApiFailedUpsertAndApplyChangeNothing) {
  caseload_model* m = nullptr;
  const std::string workers = R"([{"id":"W1","team":"A","role":"social_worker","contracted_hours":37},)"
                              R"({"id":"W2","team":"A","role":"social_worker","contracted_hours":30}])";
  const std::string cases = R"([{"id":"C1","case_type":"child_in_need","open_date":"2024-01-10",)"
                            R"("allocations":[{"worker_id":"W1"}]}])";
  ASSERT_EQ(caseload_model_create_json(&m, nullptr, workers.c_str(), cases.c_str(), "2024-03-31"), CASELOAD_OK);
  const auto dump = [&] {
    char* out = nullptr;
    EXPECT_EQ(caseload_model_to_json(&out, m), CASELOAD_OK);
    std::string s = out;
    caseload_string_free(out);
    return s;
  };
  const std::string before = dump();
  // Good worker, then a bad one; good case, then a case for an unknown worker.
  EXPECT_EQ(caseload_model_upsert_json(m,
                                       R"([{"id":"W1","team":"B","role":"social_worker","contracted_hours":20},)"
                                       R"({"id":"W3","team":"A","role":"social_worker","contracted_hours":99}])",
                                       nullptr),
            CASELOAD_EINVALID);
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(
      caseload_model_upsert_json(m, nullptr,
                                 R"([{"id":"C2","case_type":"child_in_need","open_date":"2024-01-10","team":"A"},)"
                                 R"({"id":"C3","case_type":"child_in_need","open_date":"2024-01-10",)"
                                 R"("allocations":[{"worker_id":"W9"}]}])"),
      CASELOAD_ENOTFOUND);
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(caseload_model_upsert_json(m, R"([{"id":"W1","team":"B","role":"social_worker","contracted_hours":20}])",
                                       R"([{"id":"C2","case_type":"child_in_need","open_date":"2024-01-10"},{)"),
            CASELOAD_EPARSE);
  EXPECT_EQ(dump(), before);
  EXPECT_EQ(caseload_model_set_as_of(m, "2024-02-30"), CASELOAD_EPARSE);
  EXPECT_EQ(dump(), before);
  caseload_model_free(m);
}

}  // namespace
}  // namespace caseload
