"""``caseload allocate`` and the demo's allocation of a week's referrals (docs/allocation.md)."""

from __future__ import annotations

import argparse
import io
import os
from typing import Any, TextIO

import pandas as pd

from .. import _core
from .._errors import CaseloadError
from ..allocation import AllocationPlan, allocate, synthetic_incoming
from ._options import add_option_flags, option_values
from .._save import write_text

__all__ = ["add_parser", "demo_allocation"]


def _print_plan(plan: AllocationPlan, out: TextIO) -> None:
    o = plan.objective
    un = plan.assignments[plan.assignments["worker_id"].isna()]
    out.write(
        f"Allocated {o['allocated_cases']} of {len(plan)} incoming cases ({o['allocated_points']:.1f} points); "
        f"{len(un)} left with the team manager.\n"
        f"Priority-weighted work {o['value']:.1f} of an upper bound {plan.bound:.1f} (gap {plan.gap:.2%}); "
        f"highest load given cases {o['max_utilisation']:.0%}.\n"
    )
    for _, r in un.head(5).iterrows():
        out.write(f"  {r['case_id']}: {r['reason']}: {r['explanation'][:160]}\n")


def _cmd_allocate(args: argparse.Namespace) -> int:
    from .. import Caseload, Scheme, read_cases_csv, read_workers_csv

    ext = os.path.splitext(args.out)[1].lower()
    if ext not in (".html", ".htm", ".json", ".csv"):
        raise CaseloadError("invalid_argument", f"{args.out}: --out must end in .csv, .json or .html")
    scheme = Scheme.from_json(args.scheme) if args.scheme else Scheme.default()
    model = Caseload(scheme, workers=read_workers_csv(args.workers), cases=read_cases_csv(args.cases),
                     as_of=args.as_of)
    text = _core.read_incoming_csv(args.incoming)  # validated and normalised by the core
    incoming = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for col in ("priority", "min_experience_years"):
        incoming[col] = pd.to_numeric(incoming[col])
    plan = allocate(model, incoming, **option_values(args, "allocation"))
    if not args.quiet:
        import sys

        _print_plan(plan, sys.stdout)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    plan.save(args.out)
    print(f"Wrote {os.path.abspath(args.out)}")
    return 0


def add_parser(sub: Any) -> None:
    """Adds the `allocate` subcommand to the CLI's subparsers."""
    a = sub.add_parser("allocate", help="allocate incoming cases safely and fairly, with reasons")
    a.add_argument("--workers", required=True, help="workers.csv")
    a.add_argument("--cases", required=True, help="cases.csv (the current caseload)")
    a.add_argument("--incoming", required=True, help="incoming.csv (unallocated cases + allocation rules)")
    a.add_argument("--scheme", help="weighting scheme JSON (default: the built-in default scheme)")
    a.add_argument("--as-of", dest="as_of", help="evaluation date YYYY-MM-DD (default: today)")
    # One flag per allocation option, from the core's records (--cap and --time-limit are the old names).
    add_option_flags(a, "allocation", skip=("warm_start",),
                     aliases={"utilisation_cap": "--cap", "time_limit_seconds": "--time-limit"})
    a.add_argument("--out", required=True, help="plan path; format by extension: .csv, .json or .html")
    a.add_argument("-q", "--quiet", action="store_true", help="do not print the summary")
    a.set_defaults(func=_cmd_allocate)


def demo_allocation(model: Any, out_dir: str, out: TextIO, seed: int = 1, count: int = 40) -> str:
    """Allocates a seeded week of ~40 referrals on the sample authority; writes plan.html and plan.csv."""
    incoming = synthetic_incoming(model, count, seed)
    plan = allocate(model, incoming, seed=0)
    out.write("\nA week's incoming referrals (synthetic, seeded):\n")
    _print_plan(plan, out)
    html_path = os.path.join(out_dir, "plan.html")
    plan.save(html_path)
    plan.save(os.path.join(out_dir, "plan.csv"))
    write_text(os.path.join(out_dir, "incoming.csv"), incoming.to_csv(index=False, lineterminator="\n"))
    return html_path
