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

// Weekly referral counts per team: two years (104 weeks) of history, team
// sizes from a handful of referrals a week (often zero: intermittent) to
// about 30, a yearly cycle and Poisson noise (inversion of an LCG uniform),
// all determined by the team index.
std::vector<caseload::Series> make_weekly_teams(int count) {
  std::vector<caseload::Series> out;
  out.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    caseload::Series s{"team" + std::to_string(i), std::vector<double>(104)};
    uint32_t x = 2463534242u + 2654435761u * static_cast<uint32_t>(i);
    const double level = 0.5 + static_cast<double>(i % 60);  // 0.5 .. 59.5 a week
    const double amp = 0.15 * static_cast<double>(i % 3);
    for (int t = 0; t < 104; ++t) {
      const double lambda = level * (1 + amp * std::sin(6.283185307179586 * t / 52.0)) * (1 + 0.002 * t);
      x = x * 1664525u + 1013904223u;
      double u = (static_cast<double>(x >> 8) + 0.5) / 16777216.0;
      // Poisson by inversion of the CDF.
      double p = std::exp(-lambda), cdf = p;
      int k = 0;
      while (u > cdf && k < 1000) {
        p *= lambda / ++k;
        cdf += p;
      }
      s.y[static_cast<size_t>(t)] = k;
    }
    out.push_back(std::move(s));
  }
  return out;
}

// The target: 10,000 weekly team series, 12 weeks ahead, default
// model and options (1,000 paths, calibration), two threads, under 5 s.
void BM_ForecastWeeklyTeams(benchmark::State& state) {
  const auto batch = make_weekly_teams(static_cast<int>(state.range(0)));
  caseload::ForecastOptions o;
  o.horizon = 12;
  o.season_length = 52;
  o.count_data = true;
  o.n_threads = 2;
  for (auto _ : state) benchmark::DoNotOptimize(caseload::forecast(batch, o));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_ForecastSeasonalNaive(benchmark::State& s) {
  run(s, "seasonal_naive");
}
void BM_ForecastTheta(benchmark::State& s) {
  run(s, "theta");
}
void BM_ForecastOtm(benchmark::State& s) {
  run(s, "otm");
}
void BM_ForecastEts(benchmark::State& s) {
  run(s, "ets");
}
void BM_ForecastAuto(benchmark::State& s) {
  run(s, "auto");
}

BENCHMARK(BM_ForecastSeasonalNaive)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastTheta)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastOtm)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastEts)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastAuto)->Arg(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ForecastWeeklyTeams)->Arg(1000)->Arg(10000)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
