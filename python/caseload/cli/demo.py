"""``caseload demo``: the bundled sample authority's health check, with the forecast section
(docs/projection.md), a week's referrals allocated (docs/allocation.md) and 150 employers
compared (docs/league_table.md)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..datasets import sample_authority
from ..league import league_table, sample as league_sample
from ..model import Caseload
from ..scheme import Scheme
from .allocate import demo_allocation
from .health_check import print_summary, write_reports
from .projection import demo_forecast

__all__ = ["add_parser"]


def _cmd_demo(args: argparse.Namespace) -> int:
    a = sample_authority()
    model = Caseload(Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)
    hc = model.health_check(snapshots=a.snapshots, organisation=args.organisation)
    print_summary(hc)
    paths = write_reports(hc, args.out)
    demo_forecast(model, paths[0], a.as_of)
    plan_path = demo_allocation(model, args.out, sys.stdout)
    print(f"Wrote {os.path.abspath(plan_path)} (the allocation plan)")
    league = league_table(league_sample(n=150))
    league_path = os.path.join(args.out, "league_table.html")
    league.save(league_path)
    print(f"\nLeague table of 150 synthetic employers (ranks with ranges; '=' marks a tie):\n{league!r}")
    print(f"Wrote {os.path.abspath(league_path)} (the league table)")
    print(f"\nWrote {os.path.abspath(paths[0])} (open it in a browser)")
    print(f"  and {os.path.abspath(paths[1])}, {os.path.abspath(paths[2])}")
    return 0


def add_parser(sub: Any) -> None:
    """Registers ``demo`` on the ``caseload`` command's sub-parsers."""
    d = sub.add_parser("demo", help="run on the bundled sample authority and write a health check")
    d.add_argument("--out", default="caseload-demo", help="output directory (default: ./caseload-demo)")
    d.add_argument("--organisation", default="Sample Authority (synthetic)", help="name printed on the report")
    d.set_defaults(func=_cmd_demo)
