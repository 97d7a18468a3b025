// Weighted caseload model at authority scale: 1,500 workers, ~25,000 open
// cases, 52 weekly snapshots (issue target: everything under 50 ms on one core).
// The sample generator gives ~20,600 cases for 1,500 workers at the DfE
// average; a caseload pressure of 1.25 brings it to the issue's ~25,000.
#include <benchmark/benchmark.h>

#include <caseload/caseload.hpp>

namespace {

using namespace caseload;

const SyntheticAuthority& large_authority() {
  static const SyntheticAuthority a = [] {
    SyntheticOptions o;
    o.seed = 7;
    o.workers = 1500;
    o.history_weeks = 52;
    o.caseload_pressure = 1.25;
    return synthetic_authority(o);
  }();
  return a;
}

void BM_ModelBuild(benchmark::State& state) {
  const auto& a = large_authority();
  const auto scheme = WeightingScheme::default_scheme();
  for (auto _ : state) {
    Caseload model(scheme, a.workers, a.cases, a.as_of);
    benchmark::DoNotOptimize(model.worker_loads().data());
  }
  state.counters["workers"] = static_cast<double>(a.workers.size());
  state.counters["cases"] = static_cast<double>(a.cases.size());
}
BENCHMARK(BM_ModelBuild)->Unit(benchmark::kMillisecond);

void BM_Rollups(benchmark::State& state) {
  const auto& a = large_authority();
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  for (auto _ : state) {
    for (Level level : {Level::team, Level::service_area, Level::organisation}) {
      auto r = model.rollup(level);
      benchmark::DoNotOptimize(r.data());
    }
  }
}
BENCHMARK(BM_Rollups)->Unit(benchmark::kMillisecond);

void BM_ExceedanceHistory(benchmark::State& state) {
  const auto& a = large_authority();
  const auto scheme = WeightingScheme::default_scheme();
  for (auto _ : state) {
    auto h = exceedance_history(scheme, a.workers, a.snapshots);
    benchmark::DoNotOptimize(h.episodes.data());
  }
  state.counters["snapshot_rows"] = static_cast<double>(a.snapshots.size());
}
BENCHMARK(BM_ExceedanceHistory)->Unit(benchmark::kMillisecond);

// The end-to-end figure: every worker's load, all roll-ups and the
// exceedance history, starting from validated records.
void BM_LoadsRollupsHistory(benchmark::State& state) {
  const auto& a = large_authority();
  const auto scheme = WeightingScheme::default_scheme();
  for (auto _ : state) {
    Caseload model(scheme, a.workers, a.cases, a.as_of);
    for (Level level : {Level::team, Level::service_area, Level::organisation}) {
      auto r = model.rollup(level);
      benchmark::DoNotOptimize(r.data());
    }
    auto h = exceedance_history(scheme, a.workers, a.snapshots);
    benchmark::DoNotOptimize(h.episodes.data());
  }
}
BENCHMARK(BM_LoadsRollupsHistory)->Unit(benchmark::kMillisecond);

// The same starting from text tables (what the Python layer hands over, or
// parse_csv() gives): table parsing and validation, then as above. The
// tables are copied outside the timed region and handed over (Table&&).
void BM_LoadsRollupsHistoryFromTables(benchmark::State& state) {
  const auto& a = large_authority();
  const auto scheme = WeightingScheme::default_scheme();
  const Table workers = workers_to_table(a.workers), cases = cases_to_table(a.cases),
              snapshots = snapshots_to_table(a.snapshots);
  for (auto _ : state) {
    state.PauseTiming();
    Table w = workers, c = cases, s = snapshots;
    state.ResumeTiming();
    Caseload model(scheme, workers_from_table(std::move(w)), cases_from_table(std::move(c)), a.as_of);
    for (Level level : {Level::team, Level::service_area, Level::organisation}) {
      auto r = model.rollup(level);
      benchmark::DoNotOptimize(r.data());
    }
    auto h = exceedance_history(scheme, model.workers(), snapshots_from_table(std::move(s)));
    benchmark::DoNotOptimize(h.episodes.data());
  }
}
BENCHMARK(BM_LoadsRollupsHistoryFromTables)->Unit(benchmark::kMillisecond);

void BM_HealthCheckHtml(benchmark::State& state) {
  const auto& a = large_authority();
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  for (auto _ : state) {
    auto hc = health_check(model, &a.snapshots);
    auto html = health_check_to_html(hc);
    benchmark::DoNotOptimize(html.data());
  }
}
BENCHMARK(BM_HealthCheckHtml)->Unit(benchmark::kMillisecond);

void BM_Preview(benchmark::State& state) {
  const auto& a = large_authority();
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  Change change;
  change.kind = Change::Kind::move_case;
  for (const auto& c : a.cases) {
    if (!c.allocations.empty()) {
      change.case_id = c.id;
      break;
    }
  }
  change.to_worker = a.workers.back().id;
  for (auto _ : state) {
    auto p = model.preview(change);
    benchmark::DoNotOptimize(p.workers.data());
  }
}
BENCHMARK(BM_Preview)->Unit(benchmark::kMicrosecond);

}  // namespace
