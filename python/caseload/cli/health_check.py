"""``caseload health-check``: a health check from CSV files, and the summary the demo prints too."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, List

import pandas as pd

from .. import read_cases_csv, read_snapshots_csv, read_workers_csv
from .._errors import CaseloadError
from ..health import HealthCheck
from ..model import Caseload
from ..scheme import Scheme

__all__ = ["add_parser", "print_summary", "write_reports"]


def _pct(x: float) -> str:
    return f"{x:.0%}" if pd.notna(x) and x != float("inf") else "n/a"


def print_summary(hc: HealthCheck, out=None) -> None:
    # sys.stdout at call time, not at import: the command's safe console.
    out = sys.stdout if out is None else out
    s = hc.summary
    r = s["rollup"]
    w = out.write
    w(f"{s['organisation']}: caseload health check as of {s['as_of']} (scheme {s['scheme_name']} {s['scheme_version']})\n\n")
    w("Organisation\n")
    rows = [
        ("workers (case-holding FTE)", f"{r['workers']} ({r['case_holding_fte']:.1f})"),
        ("cases held", f"{r['cases']:.0f}"),
        ("cases per case-holding FTE", f"mean {r['mean_cases_per_fte']:.1f}, median {r['median_cases_per_fte']:.1f}"),
        (
            "cases per worker p10 / p50 / p90 / max",
            f"{r['cases_p10']:.0f} / {r['cases_p50']:.0f} / {r['cases_p90']:.0f} / {r['cases_max']:.0f}",
        ),
        ("utilisation (sum points / sum capacity)", _pct(r["utilisation"])),
        (
            "bands green / amber / red / excessive",
            f"{r['green']} / {r['amber']} / {r['red']} / {r['excessive']}",
        ),
        ("over the safe case benchmark", f"{r['over_case_benchmark']} workers ({_pct(r['share_over_case_benchmark'])})"),
        ("ASYEs with a protected caseload", f"{r['asye_protected']} of {r['asye_workers']}"),
        (
            "unallocated cases",
            f"{r['unallocated_cases']} (mean age {r['unallocated_mean_age_days']:.0f} days)",
        ),
    ]
    rh = s.get("reported_hours")
    if rh:
        rows.append(
            (
                "reported weekly hours",
                f"{rh['mean_reported_hours']:.1f} vs {rh['mean_contracted_hours']:.1f} contracted "
                f"({_pct(rh['share_over_contracted'])} over, {rh['respondents']} respondents)",
            )
        )
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        w(f"  {k:<{width}}  {v}\n")

    teams = hc.teams
    if len(teams):
        w("\nTeams\n")
        t = pd.DataFrame(
            {
                "team": teams["group"],
                "workers": teams["workers"],
                "cases": teams["cases"].round(0).astype("int64"),
                "cases/FTE": teams["mean_cases_per_fte"].round(1),
                "utilisation": [_pct(x) for x in teams["utilisation"]],
                "red+excessive": teams["red"] + teams["excessive"],
                "unallocated": teams["unallocated_cases"],
            }
        )
        w(t.to_string(index=False) + "\n")

    h = hc.history
    if h is not None:
        org = h.organisation
        w(f"\nOver the safe level, {h.start} to {h.end} ({h._rule_text()})\n")
        if org:
            w(
                f"  {org['workers_with_episode']} of {org['workers_observed']} workers "
                f"({_pct(org['share_with_episode'])}) had at least one episode; {org['episodes']} episodes, "
                f"longest {org['longest_episode_days']} days, peak {_pct(org['peak'])}\n"
            )
        if len(h.episodes):
            ep = h.episodes.sort_values(["length_days", "peak"], ascending=False).head(10)
            shown = pd.DataFrame(
                {
                    "worker": ep["worker_id"],
                    "team": ep["team"],
                    "from": ep["start"].dt.strftime("%Y-%m-%d"),
                    "to": ep["end"].dt.strftime("%Y-%m-%d"),
                    "weeks": ep["snapshots"],
                    "peak": [_pct(x) for x in ep["peak"]],
                    "ongoing": ep["ongoing"].map({True: "yes", False: ""}),
                }
            )
            w("  longest episodes:\n")
            w("\n".join("  " + line for line in shown.to_string(index=False).splitlines()) + "\n")
        else:
            w("  nobody was over the safe level for long enough to count as an episode\n")


def write_reports(hc: HealthCheck, out_dir: str) -> List[str]:
    os.makedirs(out_dir, exist_ok=True)
    return [hc.save(os.path.join(out_dir, f"health_check{ext}")) for ext in (".html", ".json", ".csv")]


def _cmd_health_check(args: argparse.Namespace) -> int:
    ext = os.path.splitext(args.out)[1].lower()
    if ext not in (".html", ".htm", ".json", ".csv"):
        raise CaseloadError("invalid_argument", f"{args.out}: --out must end in .html, .json or .csv")
    scheme = Scheme.from_json(args.scheme) if args.scheme else Scheme.default()
    workers = read_workers_csv(args.workers)
    cases = read_cases_csv(args.cases)
    snapshots = read_snapshots_csv(args.snapshots) if args.snapshots else None
    model = Caseload(scheme, workers=workers, cases=cases, as_of=args.as_of)
    hc = model.health_check(snapshots=snapshots, organisation=args.organisation, history_days=args.history_days)
    if not args.quiet:
        print_summary(hc)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    path = hc.save(args.out)
    print(f"Wrote {os.path.abspath(path)}")
    return 0


def add_parser(sub: Any) -> None:
    """Registers ``health-check`` on the ``caseload`` command's sub-parsers."""
    h = sub.add_parser("health-check", help="build a health check from CSV files")
    h.add_argument("--workers", required=True, help="workers.csv")
    h.add_argument("--cases", required=True, help="cases.csv")
    h.add_argument("--scheme", help="weighting scheme JSON (default: the built-in default scheme)")
    h.add_argument("--snapshots", help="snapshots.csv (weekly history; adds exceedance history)")
    h.add_argument("--as-of", dest="as_of", help="evaluation date YYYY-MM-DD (default: today)")
    h.add_argument("--organisation", default="Organisation", help="name printed on the report")
    h.add_argument("--history-days", dest="history_days", type=int, default=365, help="exceedance window (days)")
    h.add_argument("--out", required=True, help="report path; format by extension: .html, .json or .csv")
    h.add_argument("-q", "--quiet", action="store_true", help="do not print the summary")
    h.set_defaults(func=_cmd_health_check)
