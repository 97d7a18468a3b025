"""Side by side, in one run: caseload.solve_gap vs HiGHS (MIP, given 10x our time) vs a greedy baseline.

Instances: the OR-Library GAP sets under $CASELOAD_SHARED_DATA/gap (default ../shared/data relative to the
repository root; best-known values from best_known.csv) and synthetic allocation batches (cases into workers,
worker-independent points, priority-weighted costs, a dummy "unallocated" agent), all as minimisation GAPs.

    pip install highspy
    python benchmarks/python/compare_gap.py [--sets cattrysse1994,chu1997,synthetic] [--limit N] [--out table.md]

Reports, per instance: objective and time of each method, gap to the best known (or to our bound), and
whether HiGHS proved optimality. Wall times on a shared machine are noisy; the work-limited result of
caseload is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from typing import Dict, List, Optional, Tuple

import numpy as np

import caseload

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def shared_data() -> str:
    d = os.environ.get("CASELOAD_SHARED_DATA") or os.path.join(ROOT, "..", "shared", "data")
    d = os.path.abspath(d)
    if not os.path.isdir(os.path.join(d, "gap")):
        sys.exit(f"compare_gap: no GAP data under {d}/gap; set CASELOAD_SHARED_DATA")
    return d


def best_known(data: str) -> Dict[str, float]:
    out: Dict[str, float] = {}
    with open(os.path.join(data, "gap", "best_known.csv"), newline="") as f:
        for row in csv.DictReader(f):
            path = row.get("Path", "")
            value = row.get("Best known solution value") or row.get("Optimum") or ""
            try:
                out[os.path.basename(path)] = float(value)
            except ValueError:
                pass
    return out


def greedy(c: np.ndarray, w: np.ndarray, b: np.ndarray) -> Tuple[float, float]:
    """Regret greedy (Martello-Toth style, desirability = -cost): items by largest regret, each to its
    cheapest agent with room. Returns (objective or inf, seconds)."""
    t = time.perf_counter()
    m, n = c.shape
    room = b.astype(float).copy()
    left = set(range(n))
    total = 0.0
    while left:
        best_j, best_i, best_regret = -1, -1, -np.inf
        for j in left:
            fit = [i for i in range(m) if w[i, j] <= room[i] + 1e-9]
            if not fit:
                return np.inf, time.perf_counter() - t
            costs = sorted((c[i, j], i) for i in fit)
            regret = (costs[1][0] - costs[0][0]) if len(costs) > 1 else np.inf
            if regret > best_regret:
                best_j, best_i, best_regret = j, costs[0][1], regret
        room[best_i] -= w[best_i, best_j]
        total += c[best_i, best_j]
        left.remove(best_j)
    return total, time.perf_counter() - t


def highs(c: np.ndarray, w: np.ndarray, b: np.ndarray, time_limit: float) -> Tuple[float, float, bool]:
    import highspy

    m, n = c.shape
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    for i in range(m):
        for j in range(n):
            h.addVar(0.0, 1.0)
    h.changeColsCost(m * n, np.arange(m * n, dtype=np.int32), c.reshape(-1).astype(float))
    h.changeColsIntegrality(m * n, np.arange(m * n, dtype=np.int32),
                            np.full(m * n, highspy.HighsVarType.kInteger))
    for j in range(n):  # each item exactly once
        idx = np.array([i * n + j for i in range(m)], dtype=np.int32)
        h.addRow(1.0, 1.0, m, idx, np.ones(m))
    for i in range(m):  # capacity
        idx = np.arange(i * n, (i + 1) * n, dtype=np.int32)
        h.addRow(-inf, float(b[i]), n, idx, w[i].astype(float))
    t = time.perf_counter()
    h.run()
    secs = time.perf_counter() - t
    status = h.getModelStatus()
    info = h.getInfo()
    obj = info.objective_function_value if info.primal_solution_status == 2 else np.inf
    return obj, secs, status == highspy.HighsModelStatus.kOptimal


def synthetic_batches(count: int, seed: int = 7) -> List[Tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """Allocation batches as GAPs: n cases into m workers plus a dummy agent (index m) that takes
    any case at cost 0; costs -priority*points; weights = points (dummy: 0); eligibility by random
    exclusion (an excluded pair gets a weight above the worker's room)."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        m, n = [(10, 40), (20, 80), (50, 200)][k % 3]
        points = rng.choice([3.27, 5.11, 5.47, 6.11, 6.7, 8.3, 10.0], size=n)
        prio = rng.choice([1.0, 2.0, 3.0], size=n, p=[0.5, 0.35, 0.15])
        room = rng.uniform(5, 25, size=m)
        c = np.zeros((m + 1, n))
        w = np.zeros((m + 1, n))
        c[:m] = -(prio * points)
        w[:m] = points
        excluded = rng.random((m, n)) < 0.5
        w[:m][excluded] = room.max() + 1
        b = np.concatenate([room, [0.0]])
        out.append((f"synthetic-{m}x{n}-{k}", np.round(c * 100), np.round(w * 100), np.round(b * 100)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="cattrysse1994,chu1997,synthetic")
    ap.add_argument("--limit", type=int, default=0, help="at most N instances per set (0 = all)")
    ap.add_argument("--highs-factor", type=float, default=10.0)
    ap.add_argument("--out", help="also write the markdown table here")
    args = ap.parse_args()
    data = shared_data()
    best = best_known(data)
    instances = []
    for s in args.sets.split(","):
        if s == "synthetic":
            batch = synthetic_batches(6)
            instances += [(s, *x) for x in (batch[: args.limit] if args.limit else batch)]
            continue
        d = os.path.join(data, "gap", s)
        names = sorted(os.listdir(d))
        if args.limit:
            names = names[: args.limit]
        for name in names:
            c, w, b = caseload.read_orlibrary_gap(os.path.join(d, name))
            instances.append((s, name, c, w, b))

    rows = ["| set | instance | m x n | best known | ours | ours s | ours gap % | HiGHS | HiGHS s | HiGHS opt | greedy | "
            "greedy s |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    wins = ties = losses = 0
    for s, name, c, w, b in instances:
        r = caseload.solve_gap(c, w, b, seed=0)
        ref = best.get(name)
        ref_txt = f"{ref:.0f}" if ref is not None else "-"
        # Gap to the best known value, else to our own bound.
        base = ref if ref is not None else r.bound
        gap = 100 * (r.objective - base) / abs(base) if np.isfinite(r.objective) and base else float("nan")
        hv, hs, hopt = highs(c, w, b, max(0.05, args.highs_factor * r.seconds))
        gv, gs = greedy(c, w, b)
        if np.isfinite(r.objective) and r.objective < hv - 1e-6:
            wins += 1
        elif np.isfinite(r.objective) and abs(r.objective - hv) <= 1e-6:
            ties += 1
        else:
            losses += 1
        rows.append(f"| {s} | {name} | {c.shape[0]}x{c.shape[1]} | {ref_txt} | {r.objective:.0f} | {r.seconds:.3f} | "
                    f"{gap:.3f} | {hv:.0f} | {hs:.3f} | {'yes' if hopt else 'no'} | {gv:.0f} | {gs:.3f} |")
        print(rows[-1], flush=True)
    summary = f"\nOurs vs HiGHS (10x our time): better on {wins}, equal on {ties}, worse on {losses} of {len(instances)}."
    print(summary)
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(rows) + "\n" + summary + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
