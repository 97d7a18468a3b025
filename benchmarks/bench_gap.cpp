// General GAP engine on the OR-Library sets (issue 3 targets: every
// cattrysse1994 instance at its optimum; chu1997 types a-c at the best known
// value and type d within 0.5%, each in at most 1 s on one core).
//
//   caseload_bench --benchmark_filter=BM_Gap           timings of one instance per type
//   caseload_bench --benchmark_filter=BM_GapTable      the full table (printed to stdout)
//
// Data: $CASELOAD_SHARED_DATA/gap, default <source dir>/../shared/data/gap.
#include <benchmark/benchmark.h>

#include <caseload/error.hpp>
#include <caseload/gap.hpp>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string gap_dir() {
  if (const char* env = std::getenv("CASELOAD_SHARED_DATA"); env && *env) return std::string(env) + "/gap";
  const std::filesystem::path src = std::filesystem::path(__FILE__).parent_path().parent_path();
  return (src / ".." / "shared" / "data" / "gap").lexically_normal().string();
}

struct Known {
  std::string path;
  double best = 0;
};

// Rows of best_known.csv: Path, ..., Best known solution value (column 8).
std::vector<Known> best_known() {
  std::vector<Known> rows;
  std::ifstream in(gap_dir() + "/best_known.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (f.size() >= 8) rows.push_back({f[0], std::stod(f[7])});
  }
  return rows;
}

void BM_Gap(benchmark::State& state, const char* rel) {
  const std::string path = gap_dir() + "/" + rel;
  caseload::GapInstance inst;
  try {
    inst = caseload::read_orlibrary_gap(path);
  } catch (const caseload::Error& e) {
    state.SkipWithError((std::string("GAP data missing (set CASELOAD_SHARED_DATA): ") + e.what()).c_str());
    return;
  }
  caseload::GapResult r;
  for (auto _ : state) {
    r = caseload::solve_gap(inst);
    benchmark::DoNotOptimize(r.objective);
  }
  state.counters["objective"] = r.objective;
  state.counters["bound"] = r.bound;
  state.counters["work"] = static_cast<double>(r.work);
}
BENCHMARK_CAPTURE(BM_Gap, cattrysse_gap12_0, "cattrysse1994/gap12-0")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_Gap, chu_a20200, "chu1997/a20200")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_Gap, chu_c10200, "chu1997/c10200")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_Gap, chu_d10200, "chu1997/d10200")->Unit(benchmark::kMillisecond)->Iterations(1);

// Solves every instance once and prints the markdown table kept in docs/gap.md.
void BM_GapTable(benchmark::State& state) {
  const auto rows = best_known();
  if (rows.empty()) {
    state.SkipWithError(
        ("GAP data missing: no best_known.csv under " + gap_dir() + " (set CASELOAD_SHARED_DATA)").c_str());
    return;
  }
  for (auto _ : state) {
    int at_best = 0;
    double total = 0, total_cpu = 0;
    // CPU seconds next to wall seconds: the shared machine's load inflates
    // wall time, process CPU time much less (the solver is single-threaded).
    std::printf("| instance | objective | best known | gap %% | bound | status | seconds | cpu s |\n");
    std::printf("|---|---:|---:|---:|---:|---|---:|---:|\n");
    for (const auto& row : rows) {
      const auto inst = caseload::read_orlibrary_gap(gap_dir() + "/" + row.path);
      const std::clock_t c0 = std::clock();
      const auto r = caseload::solve_gap(inst);
      const double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
      total_cpu += cpu;
      const double gap = 100.0 * (r.objective - row.best) / row.best;
      at_best += r.objective <= row.best;
      total += r.seconds;
      std::printf("| %s | %.0f | %.0f | %.3f | %.0f | %s | %.3f | %.3f |\n", row.path.c_str(), r.objective, row.best,
                  gap, r.bound, r.status.c_str(), r.seconds, cpu);
    }
    std::printf("\n%d of %zu at the best known value; %.2f s wall, %.2f s CPU in total\n", at_best, rows.size(), total,
                total_cpu);
    std::fflush(stdout);
  }
}
BENCHMARK(BM_GapTable)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
