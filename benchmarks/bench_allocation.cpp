// Allocation optimiser benchmarks (docs/benchmarks.md, "Allocation"):
//  - an interactive batch: 200 incoming referrals x ~50 case-holding workers
//    of a synthetic authority (realistic eligibility: service areas,
//    experience, skills, exclusions, a pin, ASYE rules);
//  - a whole-authority rebalance: ~20,000 cases x ~1,500 workers.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "caseload/allocation.hpp"
#include "caseload/synthetic.hpp"

namespace {

caseload::Caseload authority(int32_t workers) {
  caseload::SyntheticOptions o;
  o.workers = workers;
  o.history_weeks = 0;
  o.seed = 5;
  const auto a = caseload::synthetic_authority(o);
  return caseload::Caseload(caseload::WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
}

void BM_Allocate200x50(benchmark::State& state) {
  const caseload::Caseload model = authority(58);
  int64_t holding = 0;
  for (const auto& w : model.worker_loads()) holding += w.case_holding ? 1 : 0;
  // Referral seed 9 is the benchmark batch; 3 and 17 are two other weeks of
  // the same authority, reported for the gap (their optima by HiGHS are in
  // docs/allocation.md).
  const auto batch = caseload::synthetic_incoming(model, 200, static_cast<uint64_t>(state.range(1)));
  caseload::AllocationOptions o;
  o.explain = state.range(0) != 0;
  caseload::AllocationPlan plan;
  for (auto _ : state) {
    plan = caseload::allocate(model, batch, o);
    // A copy: DoNotOptimize on the member itself let GCC write a register
    // (a pointer) back into it, which is how the "objective" counter once
    // read 4.7e-310.
    double value = plan.objective.value;
    benchmark::DoNotOptimize(value);
  }
  state.counters["case_holding_workers"] = static_cast<double>(holding);
  state.counters["allocated"] = static_cast<double>(plan.objective.allocated_cases);
  const double objective = plan.objective.value;
  state.counters["objective"] = objective;
  state.counters["bound"] = plan.bound;
  state.counters["gap_pct"] = 100 * plan.gap;
  state.counters["work"] = static_cast<double>(plan.work);
}
BENCHMARK(BM_Allocate200x50)
    ->ArgNames({"explain", "seed"})
    ->Args({1, 9})
    ->Args({0, 9})
    ->Args({1, 3})
    ->Args({1, 17})
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly();

void BM_RebalanceAuthority(benchmark::State& state) {
  const caseload::Caseload model = authority(1500);
  caseload::RebalanceOptions o;
  o.scope = state.range(0) == 0 ? "team" : "any";
  o.max_moves = 2000;
  caseload::RebalancePlan plan;
  for (auto _ : state) {
    plan = caseload::rebalance(model, o);
    benchmark::DoNotOptimize(plan.overload_after);
  }
  state.counters["workers"] = static_cast<double>(model.workers().size());
  state.counters["cases"] = static_cast<double>(model.cases().size());
  state.counters["moves"] = static_cast<double>(plan.moves.size());
  state.counters["overload_before"] = plan.overload_before;
  state.counters["overload_after"] = plan.overload_after;
}
BENCHMARK(BM_RebalanceAuthority)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
