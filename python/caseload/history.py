"""Exceedance history: who was over the safe level, how often, for how long."""

from __future__ import annotations

import datetime as _dt
import html
from typing import Any, Mapping, Optional

import pandas as pd

from . import _core
from ._frames import FrameLike, columns_to_frame, frame_to_columns, optional_text
from .scheme import Scheme

__all__ = ["ExceedanceHistory", "exceedance_history"]


class ExceedanceHistory:
    """Episodes over the safe level, from dated snapshots.

    A worker is in an episode when their utilisation is above the threshold
    (by default their service area's ``excessive_above``) in at least
    ``min_consecutive`` consecutive snapshots; snapshots more than
    ``max_gap_days`` apart break a run.

    Attributes:
        episodes: one row per episode (worker_id, team, service_area, start,
            end, snapshots, length_days, peak, ongoing), ordered by worker and start.
        summary: one row per group (organisation, then service areas, then
            teams): workers observed, workers with an episode, share, episodes,
            mean and longest episode in days, peak utilisation.
        start, end: the window of snapshots considered.
        threshold, min_consecutive, max_gap_days: the persistence rule.
    """

    def __init__(self, result: Mapping[str, Any]) -> None:
        """Wraps the core's result; use :meth:`caseload.Caseload.exceedance_history`."""
        self.episodes: pd.DataFrame = columns_to_frame(result["episodes"], dates=("start", "end"))
        self.summary: pd.DataFrame = columns_to_frame(result["summaries"])
        self.start: _dt.date = _dt.date.fromisoformat(result["from"])
        self.end: _dt.date = _dt.date.fromisoformat(result["to"])
        self.threshold: Optional[float] = result["threshold"]
        self.min_consecutive: int = result["min_consecutive"]
        self.max_gap_days: int = result["max_gap_days"]

    @property
    def organisation(self) -> Mapping[str, Any]:
        """The organisation row of :attr:`summary` as a dict (empty when there were no snapshots)."""
        rows = self.summary[self.summary["level"] == "organisation"]
        return rows.iloc[0].to_dict() if len(rows) else {}

    def _rule_text(self) -> str:
        over = "the service area's excessive level" if self.threshold is None else f"{self.threshold:.0%}"
        return f"over {over} for {self.min_consecutive}+ consecutive snapshots (gap <= {self.max_gap_days} days)"

    def __repr__(self) -> str:
        org = self.organisation
        who = (
            f"{org.get('workers_with_episode', 0)} of {org.get('workers_observed', 0)} workers"
            if org
            else "no workers observed"
        )
        return (
            f"<caseload.ExceedanceHistory {self.start}..{self.end}: {len(self.episodes)} episodes, "
            f"{who} {self._rule_text()}>"
        )

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>Exceedance history</b> {self.start} to {self.end}: {len(self.episodes)} episodes "
            f"({html.escape(self._rule_text())})</p>"
        )
        return head + self.summary.to_html(index=False, float_format=lambda x: f"{x:.3g}")


def exceedance_history(
    scheme: Any,
    workers: FrameLike,
    snapshots: FrameLike,
    threshold: Optional[float] = None,
    min_consecutive: int = 4,
    max_gap_days: int = 7,
    start: Any = None,
    end: Any = None,
) -> ExceedanceHistory:
    """Exceedance episodes from dated snapshots, without building a model.

    Args:
        scheme: a :class:`Scheme` (or anything :meth:`Scheme.from_json` takes; None = default).
            Thresholds come from the version in force at each snapshot's date.
        workers: worker records supplying team and service area for snapshots lacking them
            (may be None when every snapshot carries them).
        snapshots: date, worker_id, utilisation[, cases, points, capacity, team, service_area].
        threshold: utilisation fraction (1.1 = 110%); None = each service area's excessive level.
        min_consecutive: snapshots in a row needed for an episode.
        max_gap_days: snapshots further apart break a run.
        start, end: window of snapshot dates (default: all).
    """
    s = Scheme.coerce(scheme)
    wcols = frame_to_columns(workers, "workers") if workers is not None else {}
    result = _core.exceedance_history(
        s._core,
        wcols,
        frame_to_columns(snapshots, "snapshots"),
        rule={"threshold": threshold, "min_consecutive": min_consecutive, "max_gap_days": max_gap_days},
        start=optional_text(start, "start"),
        end=optional_text(end, "end"),
    )
    return ExceedanceHistory(result)
