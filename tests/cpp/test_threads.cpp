// The library's one thread helper (base/threads.hpp): fallback when a thread
// cannot start, the process-wide cap, error order, and cooperative
// cancellation of the forecast, the projection, the allocation and the GAP
// solver.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "base/threads.hpp"
#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "caseload/execution.hpp"
#include "caseload/forecast.hpp"
#include "caseload/gap.hpp"
#include "caseload/io.hpp"
#include "caseload/model.hpp"
#include "caseload/projection.hpp"
#include "caseload/synthetic.hpp"

namespace {

using namespace caseload;

// Restores the process-wide cap and the test hook whatever a test does.
struct ThreadSettings {
  uint32_t cap = max_threads();
  ~ThreadSettings() {
    set_max_threads(cap);
    threads::fail_next_thread_starts_for_testing(0);
  }
};

std::vector<Series> series_batch() {
  std::vector<Series> s;
  for (int i = 0; i < 12; ++i) {
    Series x{"s" + std::to_string(i), {}};
    for (int t = 0; t < 40; ++t) x.y.push_back(20 + (t * 7 + i * 3) % 11 + 0.5 * t);
    s.push_back(std::move(x));
  }
  return s;
}

ForecastOptions forecast_options(int32_t n_threads) {
  ForecastOptions o;
  o.horizon = 6;
  o.season_length = 4;
  o.n_paths = 100;
  o.n_threads = n_threads;
  return o;
}

void expect_same(const std::vector<SeriesForecast>& a, const std::vector<SeriesForecast>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].model, b[i].model);
    EXPECT_EQ(a[i].mean, b[i].mean);
    EXPECT_EQ(a[i].lo, b[i].lo);
    EXPECT_EQ(a[i].hi, b[i].hi);
  }
}

Caseload synthetic_model(int32_t workers) {
  SyntheticOptions so;
  so.workers = workers;
  so.history_weeks = 0;
  const SyntheticAuthority a = synthetic_authority(so);
  return Caseload(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
}

template <class F>
ErrorCode code_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::ok;
}

TEST(Threads, EveryBlockRunsOnceWhenNoThreadCanStart) {
  ThreadSettings keep;
  threads::fail_next_thread_starts_for_testing(1000);
  std::vector<std::atomic<int>> runs(100);
  threads::run_blocks(runs.size(), 8, nullptr, "test", [&](size_t b) { runs[b].fetch_add(1); });
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
  EXPECT_EQ(threads::running_threads(), 0u);
}

TEST(Threads, SomeStartsFailingStillRunsEveryBlockOnce) {
  ThreadSettings keep;
  threads::fail_next_thread_starts_for_testing(2);  // the first two of seven fail, the rest start
  std::vector<std::atomic<int>> runs(200);
  threads::run_blocks(runs.size(), 8, nullptr, "test", [&](size_t b) { runs[b].fetch_add(1); });
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
}

TEST(Threads, LowestFailingBlockIsRethrownOnTheCaller) {
  for (int32_t n_threads : {1, 4}) {
    try {
      threads::run_blocks(64, n_threads, nullptr, "test", [&](size_t b) {
        if (b == 17 || b == 40) throw std::runtime_error("block " + std::to_string(b));
      });
      ADD_FAILURE() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "block 17") << n_threads;
    }
  }
}

TEST(Threads, ProcessWideCapBoundsTheLibrarysThreads) {
  ThreadSettings keep;
  set_max_threads(3);
  EXPECT_EQ(max_threads(), 3u);
  std::atomic<uint32_t> peak{0};
  threads::run_blocks(64, 16, nullptr, "test", [&](size_t) {
    uint32_t seen = threads::running_threads(), old = peak.load();
    while (seen > old && !peak.compare_exchange_weak(old, seen)) {
    }
    std::this_thread::yield();
  });
  EXPECT_LE(peak.load(), 3u);
  EXPECT_EQ(threads::running_threads(), 0u);  // released when the call ends
  set_max_threads(0);                         // no thread at all: the caller does everything
  std::vector<std::thread::id> ids(32);
  threads::run_blocks(ids.size(), 8, nullptr, "test", [&](size_t b) { ids[b] = std::this_thread::get_id(); });
  for (const auto& id : ids) EXPECT_EQ(id, std::this_thread::get_id());
}

// Defect 2: a failed thread start used to call std::terminate in the
// projection. Now the work runs on fewer threads, with identical results.
TEST(Threads, FailedStartsGiveIdenticalForecastsAndProjections) {
  ThreadSettings keep;
  const auto series = series_batch();
  const auto serial = forecast(series, forecast_options(1));
  threads::fail_next_thread_starts_for_testing(1000);
  expect_same(forecast(series, forecast_options(8)), serial);

  const Caseload model = synthetic_model(40);
  ProjectionOptions o;
  o.n_paths = 100;
  o.seed = 3;
  o.n_threads = 1;
  const std::string one = projection_to_json(project_capacity(model, {}, {}, o));
  o.n_threads = 6;
  threads::fail_next_thread_starts_for_testing(1000);
  EXPECT_EQ(projection_to_json(project_capacity(model, {}, {}, o)), one);
  threads::fail_next_thread_starts_for_testing(3);
  EXPECT_EQ(projection_to_json(project_capacity(model, {}, {}, o)), one);
  set_max_threads(1);
  EXPECT_EQ(projection_to_json(project_capacity(model, {}, {}, o)), one);
}

TEST(Cancel, RequestedBeforeTheCallCancelsEveryLongCall) {
  Cancel token;
  token.request();
  auto fo = forecast_options(2);
  fo.cancel = &token;
  EXPECT_EQ(code_of([&] { forecast(series_batch(), fo); }), ErrorCode::cancelled);
  fo.n_threads = 1;
  EXPECT_EQ(code_of([&] { forecast({}, fo); }), ErrorCode::cancelled);  // even with nothing to do

  const Caseload model = synthetic_model(20);
  const std::string before = cases_to_json(model.cases()) + workers_to_json(model.workers());
  ProjectionOptions po;
  po.n_paths = 100;
  po.cancel = &token;
  EXPECT_EQ(code_of([&] { project_capacity(model, {}, {}, po); }), ErrorCode::cancelled);

  AllocationOptions ao;
  ao.cancel = &token;
  EXPECT_EQ(code_of([&] { allocate(model, synthetic_incoming(model, 10, 1), ao); }), ErrorCode::cancelled);
  EXPECT_EQ(cases_to_json(model.cases()) + workers_to_json(model.workers()), before);  // nothing changed

  GapInstance g;
  g.agents = 2;
  g.items = 2;
  g.cost = {1, 2, 2, 1};
  g.weight = {1, 1, 1, 1};
  g.capacity = {1, 1};
  GapOptions go;
  go.cancel = &token;
  EXPECT_EQ(code_of([&] { solve_gap(g, go); }), ErrorCode::cancelled);
  try {
    solve_gap(g, go);
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "gap: cancelled by the caller's token");
  }

  // Reset, the same token lets the calls run.
  token.reset();
  EXPECT_EQ(solve_gap(g, go).assignment, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(forecast(series_batch(), fo).size(), 12u);
}

TEST(Cancel, AnotherThreadStopsALongProjection) {
  const Caseload model = synthetic_model(200);
  ProjectionOptions o;
  o.n_paths = 100000;  // the maximum: minutes of work on one thread
  o.n_threads = 2;
  Scenario s;
  s.name = "more";
  s.referral_factor = 1.1;
  o.scenarios = {s, s, s};
  o.scenarios[1].name = "b";
  o.scenarios[2].name = "c";
  Cancel token;
  o.cancel = &token;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    token.request();
  });
  const ErrorCode code = code_of([&] { project_capacity(model, {}, {}, o); });
  canceller.join();
  EXPECT_EQ(code, ErrorCode::cancelled);
  EXPECT_EQ(threads::running_threads(), 0u);
}

TEST(Cancel, AnotherThreadStopsALongGapSearch) {
  // 10 agents x 200 items with a large work limit: the search runs long
  // unless it proves optimality, which random costs make unlikely early.
  GapInstance g;
  g.agents = 10;
  g.items = 200;
  uint64_t x = 12345;
  auto next = [&] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(x >> 40) / 16777216.0;
  };
  for (int k = 0; k < 2000; ++k) g.cost.push_back(10 + std::floor(40 * next()));
  for (int k = 0; k < 2000; ++k) g.weight.push_back(5 + std::floor(20 * next()));
  g.capacity.assign(10, 0.8 * 200 * 15 / 10);
  GapOptions o;
  o.work_limit = int64_t{1} << 50;
  Cancel token;
  o.cancel = &token;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    token.request();
  });
  const ErrorCode code = code_of([&] { solve_gap(g, o); });
  canceller.join();
  EXPECT_EQ(code, ErrorCode::cancelled);
}

}  // namespace
