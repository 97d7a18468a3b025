"""The issue-2 figure from Python: every worker's load, all roll-ups and the
exceedance history for an authority of 1,500 workers, ~25,000 open cases and
52 weekly snapshots, starting from pandas DataFrames.

Compare with the C++ benchmark BM_LoadsRollupsHistory (same data: seed 7):
    build/release/benchmarks/caseload_bench --benchmark_filter=LoadsRollupsHistory
Run:
    python benchmarks/python/bench_model.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import caseload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    # Same authority as the C++ benchmark (seed 7, caseload pressure 1.25: ~25,000 cases).
    a = caseload.datasets.synthetic_authority(
        seed=7, workers=1500, as_of="2024-03-31", history_weeks=52, caseload_pressure=1.25
    )
    scheme = caseload.Scheme.default()
    print(f"caseload {caseload.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{len(a.workers)} workers, {len(a.cases)} open cases, {len(a.snapshots)} snapshot rows")

    def run() -> None:
        model = caseload.Caseload(scheme, workers=a.workers, cases=a.cases, as_of=a.as_of)
        model.loads()
        for level in ("team", "service_area", "organisation"):
            model.rollup(by=level)
        model.exceedance_history(a.snapshots)

    run()  # warm-up: imports, first-touch allocations
    times, cpu = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    # CPU time as well as wall time: on a shared machine wall time includes
    # waiting for a core; compare CPU with Google Benchmark's CPU column.
    print(
        f"loads + roll-ups + exceedance history from DataFrames: median {1e3 * statistics.median(times):.1f} ms "
        f"wall, {1e3 * statistics.median(cpu):.1f} ms CPU; min {1e3 * min(times):.1f} ms wall, "
        f"{1e3 * min(cpu):.1f} ms CPU over {args.repeats} runs"
    )


if __name__ == "__main__":
    main()
