"""The demo's forecast section (docs/projection.md): the sample authority projected 12 months ahead."""

from __future__ import annotations

import sys
from typing import Any

from ..datasets import SAMPLE_OPTIONS
from ..projection import CapacityProjection, project_capacity, synthetic_history
from .._save import write_text

__all__ = ["demo_forecast"]


def demo_forecast(model: Any, html_path: str, as_of: Any, out: Any = None) -> CapacityProjection:
    """The demo's forecast: projects the sample authority 12 months ahead from its synthetic
    referral history, prints a summary and adds the forecast section to the health check page."""
    w = (out or sys.stdout).write
    refs, closed = synthetic_history(SAMPLE_OPTIONS["seed"], SAMPLE_OPTIONS["workers"], as_of)
    teams = sorted(set(refs["team"]))
    scenarios = [
        {"name": "referral spike +20%", "referral_factor": 1.2},
        {"name": "sickness absence 6%", "sickness_absence": 0.06},
    ]
    if teams:
        scenarios.append(
            {"name": f"two agency workers in {teams[0]} for 3 months", "agency_workers": 2, "agency_team": teams[0],
             "agency_months": 3}
        )
    p = project_capacity(model, refs, closed, horizon=12, n_paths=1000, seed=1, scenarios=scenarios)
    w(f"\nForecast: next 12 months ({p.n_paths} joint paths of referrals, case closures and staffing)\n")
    cmp = p.compare()
    for _, r in cmp.iterrows():
        w(
            f"  {r['scenario']:<44} utilisation {r['expected_utilisation']:.0%} in 12 months, "
            f"P(any breach) {r['p_any_breach']:.0%}, required FTE {r['required_fte_over_horizon']:.1f}\n"
        )
    t = p.groups[(p.groups["scenario"] == "baseline") & (p.groups["level"] == "team")]
    last = p.months[(p.months["scenario"] == "baseline") & (p.months["level"] == "team") & (p.months["month"] == 12)]
    show = t.merge(last[["group", "p_any_breach"]], on="group").sort_values("p_any_breach", ascending=False).head(8)
    w("  teams most at risk (P(any breach) within 12 months, new cases expected next month):\n")
    for _, r in show.iterrows():
        w(
            f"    {r['group']:<30} {r['p_any_breach']:>4.0%}  new cases {r['expected_new_cases_next_month']:5.1f} "
            f"({r['expected_new_cases_per_worker']:.1f} per worker), required FTE {r['required_fte']:.1f}\n"
        )
    with open(html_path, encoding="utf-8") as f:
        html = f.read()
    if "</main>" in html and 'id="forecast"' not in html:
        html = html.replace("</main>", p.section_html + "</main>", 1)
        write_text(html_path, html)
    return p
