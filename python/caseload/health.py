"""The published health check (employer standard 3)."""

from __future__ import annotations

import html
import os
from typing import Any, Dict, Optional, Union

import pandas as pd

from . import _core
from ._frames import columns_to_frame
from ._save import save_by_extension
from .history import ExceedanceHistory

__all__ = ["HealthCheck"]


def _pct(x: Any) -> str:
    try:
        return f"{float(x):.0%}"
    except (TypeError, ValueError):
        return "-"


class HealthCheck:
    """A health check built by :meth:`caseload.Caseload.health_check`.

    Holds average caseloads, their distribution, the share over benchmark,
    ASYE protection, unallocated work, reported hours and, when snapshots
    were given, the exceedance history. Publish it with :meth:`save` (HTML,
    JSON or CSV) or read the figures from :attr:`summary`, :attr:`teams`,
    :attr:`service_areas`, :attr:`workers`, :attr:`timeline` and :attr:`history`.
    """

    def __init__(self, core: "_core.HealthCheck") -> None:
        """Wraps the core's health check; use :meth:`caseload.Caseload.health_check`."""
        self._core = core
        self._summary: Optional[Dict[str, Any]] = None

    @property
    def summary(self) -> Dict[str, Any]:
        """Headline figures: organisation, as_of, scheme, the organisation roll-up and reported hours."""
        if self._summary is None:
            self._summary = self._core.summary()
        return self._summary

    @property
    def teams(self) -> pd.DataFrame:
        """Team roll-ups, sorted by team."""
        return columns_to_frame(self._core.teams())

    @property
    def service_areas(self) -> pd.DataFrame:
        """Service-area roll-ups, sorted by service area."""
        return columns_to_frame(self._core.service_areas())

    @property
    def workers(self) -> pd.DataFrame:
        """Per-worker figures on the as-of date."""
        return columns_to_frame(self._core.workers())

    @property
    def timeline(self) -> pd.DataFrame:
        """Weekly organisation utilisation and workers over (empty without snapshots)."""
        return columns_to_frame(self._core.timeline(), dates=("date",))

    @property
    def history(self) -> Optional[ExceedanceHistory]:
        """Exceedance history over the window, or None when no snapshots were given."""
        h = self._core.history()
        return None if h is None else ExceedanceHistory(h)

    def to_json(self) -> str:
        """The JSON document (docs/health_check.md), stable key order."""
        return self._core.to_json()

    def to_csv(self) -> str:
        """Long-format CSV: level,group,metric,value."""
        return self._core.to_csv()

    def to_html(self) -> str:
        """A self-contained HTML page with inline CSS and SVG charts."""
        return self._core.to_html()

    def save(self, path: Union[str, os.PathLike]) -> str:
        """Writes the report; the format follows the extension (.html/.htm, .json, .csv).

        Returns the path written. Raises CaseloadError for another extension
        or when the file cannot be written.
        """
        return save_by_extension(path, {".html": self.to_html, ".json": self.to_json, ".csv": self.to_csv})

    def __repr__(self) -> str:
        s = self.summary
        r = s["rollup"]
        return (
            f"<caseload.HealthCheck {s['organisation']!r} as of {s['as_of']}: {r['workers']} workers, "
            f"{r['cases']:.0f} cases, {r['mean_cases_per_fte']:.1f} cases per FTE, "
            f"utilisation {_pct(r['utilisation'])}>"
        )

    def _repr_html_(self) -> str:
        s = self.summary
        r = s["rollup"]
        rows = [
            ("Workers (case-holding FTE)", f"{r['workers']} ({r['case_holding_fte']:.1f})"),
            ("Cases held", f"{r['cases']:.0f}"),
            ("Mean / median cases per FTE", f"{r['mean_cases_per_fte']:.1f} / {r['median_cases_per_fte']:.1f}"),
            ("Utilisation of case holders (sum points / sum capacity)", _pct(r["utilisation"])),
            ("Over case benchmark", f"{r['over_case_benchmark']} ({_pct(r['share_over_case_benchmark'])})"),
            ("Bands green / amber / red / excessive", f"{r['green']} / {r['amber']} / {r['red']} / {r['excessive']}"),
            ("ASYE protected", f"{r['asye_protected']} of {r['asye_workers']}"),
            ("Unallocated cases", f"{r['unallocated_cases']}"),
        ]
        if r.get("non_case_holding_points", 0) > 0:
            rows.insert(4, ("Points held by non-case-holding roles", f"{r['non_case_holding_points']:.0f}"))
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
        title = (
            f"<p><b>Health check</b> {html.escape(str(s['organisation']))}, as of {s['as_of']} "
            f"(scheme {html.escape(str(s['scheme_name']))} {html.escape(str(s['scheme_version']))})</p>"
        )
        return title + f"<table>{body}</table>"
