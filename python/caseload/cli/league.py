"""``caseload league-table``: ranks employers by their published figures or health checks
(docs/league_table.md)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from .._errors import CaseloadError
from ..league import league_table

__all__ = ["add_parser"]


def add_parser(sub: Any) -> None:
    """Registers ``league-table`` on the ``caseload`` command's sub-parsers."""
    p = sub.add_parser("league-table", help="rank employers by their published caseload figures or health checks")
    p.add_argument(
        "--in",
        dest="inputs",
        action="append",
        required=True,
        help="a directory of health-check .json / published-figures .csv files, or one such file (repeatable)",
    )
    p.add_argument("--out", required=True, help="output path; format by extension: .html, .json or .csv")
    p.add_argument("--reference-caseload", type=float, default=16.0, help="common reference caseload (default 16)")
    p.add_argument("--level", type=float, default=95.0, help="interval level in percent (default 95)")
    p.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    p.add_argument("--draws", type=int, default=1000, help="bootstrap draws (default 1000)")
    p.add_argument("--service-area", help="compare within this service area only")
    p.add_argument("--no-standardise", action="store_true", help="do not adjust for service-area mix")
    p.add_argument("--title", help="page title")
    p.set_defaults(func=_cmd_league_table)


def _cmd_league_table(args: argparse.Namespace) -> int:
    ext = os.path.splitext(args.out)[1].lower()
    if ext not in (".html", ".htm", ".json", ".csv"):
        raise CaseloadError("invalid_argument", f"{args.out}: --out must end in .html, .json or .csv")
    t = league_table(
        args.inputs,
        reference_caseload=args.reference_caseload,
        level=args.level,
        seed=args.seed,
        draws=args.draws,
        service_area=args.service_area,
        standardise=not args.no_standardise,
        title=args.title,
    )
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    path = t.save(args.out)
    tab = t.table
    print(f"Wrote {os.path.abspath(path)}: {len(tab)} organisations, {int(tab['rank'].notna().sum())} ranked")
    return 0
