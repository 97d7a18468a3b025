// Forecasting throughput on synthetic monthly referral counts (no data files
// needed; the M3 accuracy evaluation is benchmarks/tools/m3_eval.cpp).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "caseload/forecast.hpp"

namespace {

// Deterministic monthly counts: level 40, trend, yearly season, LCG noise.
std::vector<caseload::Series> make_batch(int count, int length) {
  std::vector<caseload::Series> out;
  for (int i = 0; i < count; ++i) {
    caseload::Series s{"team" + std::to_string(i), {}};
    uint32_t x = 12345u + 7919u * static_cast<uint32_t>(i);
    for (int t = 0; t < length; ++t) {
      x = x * 1664525u + 1013904223u;
      const double u = static_cast<double>(x >> 8) / 16777216.0;
      s.y.push_back(std::round(40 + 0.1 * t + 6 * std::sin(6.283185307179586 * (t % 12) / 12.0) + 12 * u));
    }
    out.push_back(std::move(s));
  }
  return out;
}

void run(benchmark::State& state, const char* model) {
  const auto batch = make_batch(static_cast<int>(state.range(0)), 72);
  caseload::ForecastOptions o;
  o.horizon = 12;
  o.season_length = 12;
  o.model = model;
  o.count_data = true;
  o.n_threads = 1;
  for (auto _ : state) benchmark::DoNotOptimize(caseload::forecast(batch, o));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_ForecastSeasonalNaive(benchmark::State& s) {
  run(s, "seasonal_naive");
}
void BM_ForecastTheta(benchmark::State& s) {
  run(s, "theta");
}
void BM_ForecastEts(benchmark::State& s) {
  run(s, "ets");
}
void BM_ForecastAuto(benchmark::State& s) {
  run(s, "auto");
}

BENCHMARK(BM_ForecastSeasonalNaive)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastTheta)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastEts)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastAuto)->Arg(20)->Unit(benchmark::kMillisecond);

}  // namespace
