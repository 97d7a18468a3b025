// Thread stress test (docs/thread_safety.md). Many threads use the public
// C++, C and JSON APIs at once, the way an embedding server would:
//  - const reads of one shared Caseload and one shared C model handle;
//  - each thread building and updating models of its own (C++ and C);
//  - JSON API requests, health checks, GAP solves and forecasts (forecast()
//    itself starts threads, so pools nest);
//  - one thread rewriting the process-wide default limits (same values) and
//    the library's thread cap (2 or 256: results must not change), and
//    every thread provoking errors to check that the last error is per thread;
//  - capacity projections (their own pools, bounded by the cap) and forecasts
//    given a Cancel token that another thread requests meanwhile (the answer
//    is the reference or Error(cancelled), nothing else).
// Every result must equal the one computed single-threaded beforehand, and
// under ThreadSanitizer (the `tsan` preset) no data race may be reported.
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "caseload/caseload.h"
#include "caseload/caseload.hpp"
#include "caseload/forecast.hpp"
#include "caseload/gap.hpp"
#include "caseload/projection.hpp"

namespace {

using namespace caseload;

std::atomic<int> g_failures{0};

void expect(bool ok, const char* what, int thread) {
  if (!ok && g_failures.fetch_add(1) < 20) std::fprintf(stderr, "thread %d: mismatch in %s\n", thread, what);
}

// Exact text of every figure (%a is exact for doubles), so equal text means
// bit-identical results.
void add(std::string& out, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a,", v);
  out += buf;
}

std::string loads_text(const Caseload& m) {
  std::string s;
  for (const WorkerLoad& w : m.worker_loads()) {
    s += w.worker_id + ':';
    for (double v : {w.fte, w.available_hours, w.cases, w.points, w.capacity, w.utilisation, w.headroom}) add(s, v);
    s += std::to_string(static_cast<int>(w.band)) + (w.asye_protected ? "p" : "u") + ';';
  }
  return s;
}

std::string rollup_text(const Caseload& m) {
  std::string s;
  for (Level level : {Level::team, Level::service_area, Level::organisation})
    for (const Rollup& r : m.rollup(level)) {
      s += r.group + ':';
      for (double v : {r.cases, r.points, r.capacity, r.utilisation, r.mean_cases_per_fte, r.gini_utilisation,
                       r.jain_index, r.unallocated_points, r.asye_compliance})
        add(s, v);
    }
  return s;
}

std::string preview_text(const ImpactPreview& p) {
  std::string s;
  for (const WorkerImpact& w : p.workers) {
    s += w.worker_id + ':';
    add(s, w.before.points);
    add(s, w.after.points);
  }
  return s;
}

std::string take(char* p) {
  std::string s = p != nullptr ? p : "<null>";
  caseload_string_free(p);
  return s;
}

struct Fixture {
  SyntheticAuthority authority;
  std::string workers_json, cases_json, request;
  Change move, add_case;
  std::vector<Worker> upsert_workers;
  GapInstance gap;
  std::vector<Series> series;
  ForecastOptions forecast_options;
};

Fixture make_fixture() {
  Fixture f;
  SyntheticOptions o;
  o.seed = 7;
  o.workers = 40;
  o.history_weeks = 16;
  f.authority = synthetic_authority(o);
  f.workers_json = workers_to_json(f.authority.workers);
  f.cases_json = cases_to_json(f.authority.cases);
  f.request = R"({"op":"rollup","level":"team","as_of":")" + f.authority.as_of.to_string() + R"(","workers":)" +
              f.workers_json + R"(,"cases":)" + f.cases_json + "}";
  // Move the first allocated case to the last worker; add a case to worker 0.
  for (const Case& c : f.authority.cases)
    if (!c.allocations.empty()) {
      f.move.kind = Change::Kind::move_case;
      f.move.case_id = c.id;
      f.move.to_worker = f.authority.workers.back().id;
      f.add_case.new_case = c;
      break;
    }
  f.add_case.kind = Change::Kind::add_case;
  f.add_case.new_case.id = "STRESS-NEW";
  f.add_case.new_case.allocations = {{f.authority.workers.front().id, 1.0}};
  Worker w = f.authority.workers[1];
  w.contracted_hours = 20;
  f.upsert_workers = {w};

  f.gap.agents = 4;
  f.gap.items = 14;
  for (int i = 0; i < f.gap.agents; ++i)
    for (int j = 0; j < f.gap.items; ++j) {
      f.gap.cost.push_back((i * 7 + j * 13) % 20 + 1);
      f.gap.weight.push_back((i + 2 * j) % 5 + 1);
    }
  f.gap.capacity.assign(f.gap.agents, 14);

  for (int k = 0; k < 3; ++k) {
    Series s;
    s.id = "T" + std::to_string(k);
    for (int t = 0; t < 40; ++t) s.y.push_back(20 + 5 * k + (t % 12 < 6 ? 3 : -2) + (t * 7 + k) % 5);
    f.series.push_back(s);
  }
  f.forecast_options.horizon = 6;
  f.forecast_options.season_length = 12;
  f.forecast_options.n_paths = 200;
  f.forecast_options.count_data = true;
  f.forecast_options.n_threads = 1;
  return f;
}

std::string forecast_text(const std::vector<SeriesForecast>& fc) {
  std::string s;
  for (const SeriesForecast& f : fc) {
    s += f.id + f.model + ':';
    for (double v : f.mean) add(s, v);
    for (const auto& lo : f.lo)
      for (double v : lo) add(s, v);
    for (const auto& hi : f.hi)
      for (double v : hi) add(s, v);
  }
  return s;
}

std::string gap_text(const GapResult& r) {
  std::string s = r.status + ':';
  add(s, r.objective);
  for (int32_t a : r.assignment) s += std::to_string(a) + ',';
  return s;
}

GapOptions gap_options() {
  GapOptions o;
  o.seed = 3;
  o.work_limit = 2'000'000;
  return o;
}

// The updates every thread repeats on a model of its own.
void update(Caseload& m, const Fixture& f) {
  m.apply(f.move);
  m.apply(f.add_case);
  m.upsert(f.upsert_workers, {});
}

}  // namespace

int main(int argc, char** argv) {
  const int threads = argc > 1 ? std::atoi(argv[1]) : 8;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 6;
  const Fixture f = make_fixture();
  const auto& A = f.authority;

  // ---- Single-threaded reference results ----
  const Caseload shared(WeightingScheme::default_scheme(), A.workers, A.cases, A.as_of);
  const std::string ref_loads = loads_text(shared), ref_rollup = rollup_text(shared);
  const std::string ref_preview = preview_text(shared.preview(f.move));
  const std::string ref_breakdown_rule = shared.breakdown(A.workers[0].id).lines.empty()
                                             ? std::string()
                                             : shared.breakdown(A.workers[0].id).lines.back().rule;
  Caseload updated = shared;
  update(updated, f);
  const std::string ref_updated = loads_text(updated);
  const std::string ref_health = health_check_to_json(health_check(shared, &A.snapshots));
  const std::string ref_request = run_json_request(f.request);
  const std::string ref_gap = gap_text(solve_gap(f.gap, gap_options()));
  const std::string ref_forecast = forecast_text(forecast(f.series, f.forecast_options));
  ProjectionOptions projection_options;
  projection_options.n_paths = 64;
  projection_options.n_threads = 1;
  const std::string ref_projection = projection_to_json(project_capacity(shared, {}, {}, projection_options));
  const std::string as_of = A.as_of.to_string();

  caseload_model* shared_c = nullptr;
  if (caseload_model_create_json(&shared_c, nullptr, f.workers_json.c_str(), f.cases_json.c_str(), as_of.c_str()) !=
      0) {
    std::fprintf(stderr, "setup: %s\n", caseload_last_error());
    return 1;
  }
  char* rollup_c = nullptr;
  caseload_model_rollup_json(&rollup_c, shared_c, CASELOAD_LEVEL_TEAM);
  const std::string ref_rollup_c = take(rollup_c);
  const std::string change_c =
      R"({"kind":"move_case","case_id":")" + f.move.case_id + R"(","to_worker":")" + f.move.to_worker + R"("})";
  const std::string bad_worker = R"([{"id":"W17","team":"A","role":"social_worker","contracted_hours":-0.2}])";
  const std::string bad_message = R"(worker "W17": contracted_hours must be in (0, 60], got -0.2)";

  // ---- Many threads at once ----
  std::atomic<long> operations{0};
  std::atomic<bool> stop_limits{false};
  std::thread limits_writer([&] {
    const Limits same = default_limits();
    const uint32_t cap = max_threads();
    for (uint32_t i = 0; !stop_limits.load(); ++i) {
      set_default_limits(same);
      set_max_threads(i % 2 ? 2 : cap);
      std::this_thread::yield();
    }
    set_max_threads(cap);
  });
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int round = 0; round < rounds; ++round) {
        switch ((t + round) % 8) {
          case 0: {  // concurrent const reads of one shared model
            expect(loads_text(shared) == ref_loads, "shared loads", t);
            expect(rollup_text(shared) == ref_rollup, "shared rollup", t);
            expect(preview_text(shared.preview(f.move)) == ref_preview, "shared preview", t);
            const auto b = shared.breakdown(A.workers[0].id);
            expect((b.lines.empty() ? std::string() : b.lines.back().rule) == ref_breakdown_rule, "breakdown", t);
            break;
          }
          case 1: {  // a model of one's own, built and updated (copy + from scratch)
            Caseload mine(WeightingScheme::default_scheme(), A.workers, A.cases, A.as_of);
            update(mine, f);
            expect(loads_text(mine) == ref_updated, "own model updates", t);
            Caseload copy = shared;
            update(copy, f);
            expect(loads_text(copy) == ref_updated, "copied model updates", t);
            break;
          }
          case 2: {  // C API: shared handle reads, own handle updates, thread-local errors
            char* out = nullptr;
            expect(caseload_model_rollup_json(&out, shared_c, CASELOAD_LEVEL_TEAM) == 0, "C rollup rc", t);
            expect(take(out) == ref_rollup_c, "C shared rollup", t);
            caseload_worker_load w = CASELOAD_WORKER_LOAD_INIT;
            expect(caseload_worker_load_get(&w, shared_c, 0) == 0 && w.worker_id == A.workers[0].id, "C load", t);
            caseload_model* mine = nullptr;
            expect(caseload_model_create_json(&mine, nullptr, f.workers_json.c_str(), f.cases_json.c_str(),
                                              as_of.c_str()) == 0,
                   "C create", t);
            expect(caseload_model_apply_json(mine, change_c.c_str()) == 0, "C apply", t);
            caseload_model* bad = nullptr;
            expect(
                caseload_model_create_json(&bad, nullptr, bad_worker.c_str(), "[]", as_of.c_str()) == CASELOAD_EINVALID,
                "C error code", t);
            std::this_thread::yield();  // let other threads succeed in between
            expect(bad == nullptr && bad_message == caseload_last_error(), "thread-local last error", t);
            caseload_model_free(mine);
            break;
          }
          case 3:  // JSON API
            expect(run_json_request(f.request) == ref_request, "JSON request", t);
            break;
          case 4:  // health check on the shared model
            expect(health_check_to_json(health_check(shared, &A.snapshots)) == ref_health, "health check", t);
            break;
          case 5:  // GAP solver
            expect(gap_text(solve_gap(f.gap, gap_options())) == ref_gap, "GAP solve", t);
            break;
          case 6: {  // forecasting with its own inner pool
            ForecastOptions o = f.forecast_options;
            o.n_threads = 1 + t % 3;
            expect(forecast_text(forecast(f.series, o)) == ref_forecast, "forecast", t);
            break;
          }
          case 7: {  // projection with its own pool; a forecast cancelled from another thread
            ProjectionOptions po = projection_options;
            po.n_threads = 1 + t % 3;
            expect(projection_to_json(project_capacity(shared, {}, {}, po)) == ref_projection, "projection", t);
            Cancel token;
            ForecastOptions o = f.forecast_options;
            o.n_threads = 2;
            o.cancel = &token;
            std::thread canceller([&token] { token.request(); });
            try {
              expect(forecast_text(forecast(f.series, o)) == ref_forecast, "cancellable forecast", t);
            } catch (const Error& e) {
              expect(e.code() == ErrorCode::cancelled, "cancelled forecast code", t);
            }
            canceller.join();
            break;
          }
        }
        operations.fetch_add(1);
      }
    });
  for (auto& th : pool) th.join();
  stop_limits.store(true);
  limits_writer.join();
  caseload_model_free(shared_c);

  std::printf("thread_stress: %d threads x %d rounds = %ld operations, %d mismatches\n", threads, rounds,
              operations.load(), g_failures.load());
  return g_failures.load() == 0 ? 0 : 1;
}
