"""``caseload league-table``: ranks employers by their published figures or health checks
(docs/league_table.md)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from .._errors import CaseloadError
from ..league import league_table
from ._options import add_option_flags, option_values

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
    # One flag per league option, from the core's records (--no-standardise as before; weights only in Python).
    add_option_flags(p, "league", skip=("weights",))
    p.set_defaults(func=_cmd_league_table)


def _cmd_league_table(args: argparse.Namespace) -> int:
    ext = os.path.splitext(args.out)[1].lower()
    if ext not in (".html", ".htm", ".json", ".csv"):
        raise CaseloadError("invalid_argument", f"{args.out}: --out must end in .html, .json or .csv")
    t = league_table(args.inputs, **option_values(args, "league"))
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    path = t.save(args.out)
    tab = t.table
    print(f"Wrote {os.path.abspath(path)}: {len(tab)} organisations, {int(tab['rank'].notna().sum())} ranked")
    return 0
