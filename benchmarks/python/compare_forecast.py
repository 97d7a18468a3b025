"""Side-by-side forecasting benchmark on the M3 monthly series: caseload vs statsforecast.

    pip install statsforecast
    python benchmarks/python/compare_forecast.py [--n-jobs 2] [--limit N] [--skip-statsforecast] [--skip-caseload]

Data: $CASELOAD_SHARED_DATA/forecast/m3_monthly.json (CASELOAD_SHARED_DATA
defaults to ../shared/data relative to the repository root). 1,428 series,
horizon 18, season 12. Scores use the M4 competition's definitions:
sMAPE = mean over series of 200/h sum |y - f| / (|y| + |f|); MASE = mean
absolute error divided by the in-sample mean absolute seasonal difference
(lag 12). Coverage is the share of held-out values inside the 80% and 95%
intervals.
Both libraries get the same number of worker processes/threads; wall time
and the CPU time of this process plus its children are reported, because
the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

H, M = 18, 12


def data_path() -> Path:
    root = Path(__file__).resolve().parents[2]
    base = os.environ.get("CASELOAD_SHARED_DATA") or str(root.parent / "shared" / "data")
    return Path(base) / "forecast" / "m3_monthly.json"


def load(limit: int):
    path = data_path()
    if not path.exists():
        sys.exit(f"compare_forecast: {path} not found (set CASELOAD_SHARED_DATA to the shared data directory)")
    doc = json.loads(path.read_text())
    ids = list(doc)[: limit or None]
    train = {i: np.asarray(doc[i]["x"], dtype=float) for i in ids}
    test = {i: np.asarray(doc[i]["xx"], dtype=float) for i in ids}
    rows = []
    for i in ids:
        x = train[i]
        rows.append(pd.DataFrame({"unique_id": i, "ds": np.arange(1, len(x) + 1), "y": x}))
    return train, test, pd.concat(rows, ignore_index=True)


def cpu_seconds() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def score(name, fc: pd.DataFrame, col: str, lo: str, hi: str, train, test, wall, cpu):
    """lo and hi are format strings for the bound columns, e.g. "lo-{}"."""
    smape = mase = 0.0
    covered = {80: 0, 95: 0}
    points = 0
    groups = {k: g for k, g in fc.groupby("unique_id", sort=False)}
    for i, x in train.items():
        g = groups[i]
        f = g[col].to_numpy()
        y = test[i]
        scale = np.mean(np.abs(x[M:] - x[:-M]))
        smape += 200.0 * np.mean(np.abs(y - f) / (np.abs(y) + np.abs(f)))
        mase += np.mean(np.abs(y - f)) / scale
        for lev in covered:
            covered[lev] += int(np.sum((g[lo.format(lev)].to_numpy() <= y) & (y <= g[hi.format(lev)].to_numpy())))
        points += len(y)
    n = len(train)
    return {"model": name, "sMAPE": smape / n, "MASE": mase / n, "cov80": 100.0 * covered[80] / points,
            "cov95": 100.0 * covered[95] / points, "wall_s": wall, "cpu_s": cpu}


def timed(fn):
    w0, c0 = time.perf_counter(), cpu_seconds()
    out = fn()
    return out, time.perf_counter() - w0, cpu_seconds() - c0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="first N series only")
    ap.add_argument("--skip-statsforecast", action="store_true")
    ap.add_argument("--skip-caseload", action="store_true")
    ap.add_argument("--caseload-models", nargs="*", default=["auto", "ets", "theta", "otm", "seasonal_naive"])
    args = ap.parse_args()
    train, test, df = load(args.limit)
    print(f"{len(train)} M3 monthly series, horizon {H}, n_jobs {args.n_jobs}; {platform.platform()}, "
          f"{os.cpu_count()} logical CPUs, Python {platform.python_version()}", flush=True)
    results = []
    if not args.skip_statsforecast:
        import statsforecast
        from statsforecast import StatsForecast
        from statsforecast.models import AutoETS, AutoTheta, OptimizedTheta, SeasonalNaive

        # Warm-up on two series so numba compilation is not timed.
        warm = df[df.unique_id.isin(list(train)[:2])]
        models = (("AutoETS", AutoETS(season_length=M)), ("AutoTheta", AutoTheta(season_length=M)),
                  ("OptimizedTheta", OptimizedTheta(season_length=M)), ("SeasonalNaive", SeasonalNaive(season_length=M)))
        for _, model in models:
            StatsForecast(models=[model], freq=1, n_jobs=1).forecast(df=warm, h=H, level=[80, 95])
        for label, model in models:
            sf = StatsForecast(models=[model], freq=1, n_jobs=args.n_jobs)
            fc, wall, cpu = timed(lambda: sf.forecast(df=df, h=H, level=[80, 95]))
            fc = fc.reset_index() if "unique_id" not in fc.columns else fc
            r = score(f"statsforecast {label}", fc, label, label + "-lo-{}", label + "-hi-{}", train, test, wall, cpu)
            results.append(r)
            print(r, flush=True)
        print(f"statsforecast {statsforecast.__version__}", flush=True)
    if not args.skip_caseload:
        import caseload

        caseload.forecast(df[df.unique_id.isin(list(train)[:2])], horizon=H, season_length=M, n_threads=1)
        for model in args.caseload_models:
            fc, wall, cpu = timed(
                lambda: caseload.forecast(df, horizon=H, season_length=M, levels=(80, 95), model=model, n_threads=args.n_jobs))
            r = score(f"caseload {model}", fc, "mean", "lo-{}", "hi-{}", train, test, wall, cpu)
            results.append(r)
            print(r, flush=True)
        print(f"caseload {caseload.__version__}", flush=True)
    print()
    print("| model | sMAPE | MASE | 80% coverage | 95% coverage | wall s | CPU s |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['model']} | {r['sMAPE']:.3f} | {r['MASE']:.3f} | {r['cov80']:.1f}% | {r['cov95']:.1f}% | "
              f"{r['wall_s']:.1f} | {r['cpu_s']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
