"""The weighted caseload model for pandas users."""

from __future__ import annotations

import datetime as _dt
import html
import os
from typing import Any, Dict, Mapping, Optional, Union

import pandas as pd

from . import _core
from ._errors import CaseloadError
from ._frames import FrameLike, as_of_text, columns_to_frame, frame_to_columns, optional_text, single_record
from .health import HealthCheck
from .history import ExceedanceHistory
from .scheme import Scheme

__all__ = ["Caseload", "Breakdown", "ImpactPreview"]

SchemeLike = Union[Scheme, str, os.PathLike, Mapping[str, Any], None]


def _check_id(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise CaseloadError("invalid_argument", f"{what} must be text, got {type(value).__name__}")
    return value


class Breakdown:
    """How one worker's figure is made: every case, factor, task, share, reduction and cap.

    Attributes:
        worker_id: the worker.
        load: the worker's figures (dict: cases, points, capacity, utilisation, band, ...).
        lines: one row per contribution (kind, case_id, item, rule, value, running_total).
        scheme_version: the scheme version that gave the rules.
    """

    def __init__(self, result: Mapping[str, Any]) -> None:
        """Wraps the core's result; use :meth:`Caseload.breakdown`."""
        self.load: Dict[str, Any] = dict(result["load"])
        self.worker_id: str = self.load["worker_id"]
        self.scheme_version: str = result["scheme_version"]
        self.lines: pd.DataFrame = columns_to_frame(result["lines"])

    def __repr__(self) -> str:
        l = self.load
        return (
            f"<caseload.Breakdown {self.worker_id}: {l['points']:.4g} points / {l['capacity']:.4g} capacity "
            f"= {l['utilisation']:.0%} ({l['band']}), {l['cases']:.0f} cases, {len(self.lines)} lines, "
            f"scheme {self.scheme_version}>"
        )

    def _repr_html_(self) -> str:
        l = self.load
        head = (
            f"<p><b>{html.escape(self.worker_id)}</b> ({html.escape(l['team'])}, {html.escape(l['role'])}): "
            f"{l['points']:.4g} points of {l['capacity']:.4g} capacity = <b>{l['utilisation']:.0%}</b> "
            f"({html.escape(l['band'])}); scheme {html.escape(self.scheme_version)}</p>"
        )
        return head + self.lines.to_html(index=False)


class ImpactPreview:
    """Before and after figures of every worker a change affects.

    Attributes:
        change: a description of the change.
        frame: one row per affected worker: worker_id, team, then before_* and
            after_* columns (cases, points, capacity, utilisation, headroom, band, ...).
    """

    def __init__(self, change: str, columns: Mapping[str, Any]) -> None:
        """Wraps the core's result; use :meth:`Caseload.preview_add` and friends."""
        self.change = change
        self.frame: pd.DataFrame = columns_to_frame(columns)

    @property
    def workers(self) -> list:
        """Ids of the affected workers."""
        return list(self.frame["worker_id"])

    def __len__(self) -> int:
        return len(self.frame)

    def __repr__(self) -> str:
        parts = [
            f"{r.worker_id} {r.before_utilisation:.0%}->{r.after_utilisation:.0%} ({r.before_band}->{r.after_band})"
            for r in self.frame.itertuples()
        ]
        return f"<caseload.ImpactPreview {self.change}: {', '.join(parts) or 'no worker affected'}>"

    def _repr_html_(self) -> str:
        cols = [
            c
            for c in (
                "worker_id",
                "team",
                "before_cases",
                "after_cases",
                "before_points",
                "after_points",
                "before_capacity",
                "after_capacity",
                "before_utilisation",
                "after_utilisation",
                "before_band",
                "after_band",
            )
            if c in self.frame
        ]
        return f"<p><b>Impact of</b> {html.escape(self.change)}</p>" + self.frame[cols].to_html(index=False)


class Caseload:
    """A weighting scheme, workers and cases, evaluated on an as-of date.

    Args:
        scheme: a :class:`Scheme`, or a path / JSON text / dict for
            :meth:`Scheme.from_json`; None = :meth:`Scheme.default`.
        workers: DataFrame (or list of dicts) with the worker columns of
            docs/records_format.md: id, team, service_area, role,
            contracted_hours, experience_level, experience_years, skills,
            start_date, agency, reductions, reported_weekly_hours,
            expected_new_cases. List-valued fields may be Python lists.
        cases: DataFrame (or list of dicts) with id, family_id, case_type,
            factors, open_date, team, allocations, tasks.
        as_of: the evaluation date (str, date, datetime, Timestamp); None = today.

    Raises:
        CaseloadError: the first bad record and field, e.g.
            ``worker "W17": contracted_hours must be in (0, 60], got -0.2``.

    Mutating methods (``apply_*``, :meth:`upsert`, :meth:`set_as_of`) are
    all-or-nothing: when they raise, the model is unchanged. The object may
    be read from several threads at once; long calls release the GIL.
    """

    def __init__(
        self,
        scheme: SchemeLike = None,
        workers: FrameLike = None,
        cases: FrameLike = None,
        as_of: Any = None,
    ) -> None:
        s = Scheme.coerce(scheme)
        self._core = _core.Model(
            s._core,
            frame_to_columns(workers, "workers", raw=True),
            frame_to_columns(cases, "cases", raw=True),
            as_of_text(as_of),
        )

    # ---- properties --------------------------------------------------------

    @property
    def scheme(self) -> Scheme:
        """The weighting scheme."""
        return Scheme(self._core.scheme)

    @property
    def scheme_version(self) -> str:
        """Label of the scheme version in force on the as-of date."""
        return self._core.scheme_version

    @property
    def as_of(self) -> _dt.date:
        """The evaluation date."""
        return _dt.date.fromisoformat(self._core.as_of)

    # ---- figures -----------------------------------------------------------

    def loads(self) -> pd.DataFrame:
        """One row per worker, in input order: worker_id, team, service_area, role,
        case_holding, is_asye, fte, available_hours (h/week), cases, points, capacity
        (points), utilisation (points / capacity), headroom (points), band,
        over_case_benchmark, asye_protected, asye_breaches."""
        return columns_to_frame(self._core.worker_loads())

    def workers(self) -> pd.DataFrame:
        """Same as :meth:`loads`: every worker's figures."""
        return self.loads()

    def worker_records(self) -> pd.DataFrame:
        """The worker records as the core holds them (CSV encodings, dates as text)."""
        return columns_to_frame(self._core.workers())

    def case_records(self) -> pd.DataFrame:
        """The case records as the core holds them (CSV encodings, dates as text)."""
        return columns_to_frame(self._core.cases())

    def load(self, worker_id: str) -> Dict[str, Any]:
        """One worker's figures as a dict; CaseloadError(not_found) for an unknown id."""
        return self._core.worker_load(_check_id(worker_id, "worker_id"))

    def case_points(self, case_id: str) -> float:
        """Points of one case under the scheme, before co-working shares."""
        return self._core.case_points(_check_id(case_id, "case_id"))

    def breakdown(self, worker_id: str) -> Breakdown:
        """Every case, factor, task, share, reduction and cap behind one worker's figure."""
        return Breakdown(self._core.breakdown(_check_id(worker_id, "worker_id")))

    def rollup(self, by: str = "team") -> pd.DataFrame:
        """Figures per team, service area or for the whole organisation.

        Args:
            by: "team", "service_area" or "organisation".

        Utilisation is sum(points) / sum(capacity) over case-holding workers
        only, not a mean of percentages; points held by non-case-holding roles
        (a case allocated to a manager) and their capacity are in
        non_case_holding_points and non_case_holding_capacity. The frame also
        holds cases per FTE (mean, median), distributions
        (p10/p50/p90/max/mean), band counts and shares, fairness (Gini, Jain),
        unallocated work and ASYE compliance. Rows are sorted by group.
        """
        return columns_to_frame(self._core.rollup(_check_id(by, "by")))

    def snapshot(self) -> pd.DataFrame:
        """Today's snapshot rows (date, worker_id, utilisation, ...), for appending to history."""
        return columns_to_frame(self._core.snapshot())

    def exceedance_history(
        self,
        snapshots: FrameLike,
        threshold: Optional[float] = None,
        min_consecutive: int = 4,
        max_gap_days: int = 7,
        start: Any = None,
        end: Any = None,
    ) -> ExceedanceHistory:
        """Who was over the safe level, how often and for how long.

        Args:
            snapshots: weekly rows date, worker_id, utilisation[, cases, points,
                capacity, team, service_area]; team and service area default
                to this model's worker records.
            threshold: utilisation fraction (1.1 = 110%); None = each service area's excessive level.
            min_consecutive: consecutive snapshots over the threshold that make an episode.
            max_gap_days: snapshots further apart break a run.
            start, end: window of snapshot dates (default: all).
        """
        result = self._core.exceedance_history(
            frame_to_columns(snapshots, "snapshots", raw=True),
            rule={"threshold": threshold, "min_consecutive": min_consecutive, "max_gap_days": max_gap_days},
            start=optional_text(start, "start"),
            end=optional_text(end, "end"),
        )
        return ExceedanceHistory(result)

    def health_check(
        self,
        snapshots: FrameLike = None,
        organisation: str = "Organisation",
        history_days: int = 365,
        threshold: Optional[float] = None,
        min_consecutive: int = 4,
        max_gap_days: int = 7,
        overtime_tolerance_hours: float = 2.0,
    ) -> HealthCheck:
        """Builds the published health check.

        Args:
            snapshots: optional weekly history; adds exceedance history and a timeline.
            organisation: name printed on the report.
            history_days: exceedance window ending at the as-of date.
            threshold, min_consecutive, max_gap_days: the exceedance persistence rule.
            overtime_tolerance_hours: reported hours beyond contracted by more than
                this count as working over contracted hours.
        """
        # The exceedance rule's keywords are its options' leaf names (option_records("exceedance"));
        # the core's records check every type and range.
        options = {
            "organisation": _check_id(organisation, "organisation"),
            "history_days": history_days,
            "exceedance": {"threshold": threshold, "min_consecutive": min_consecutive, "max_gap_days": max_gap_days},
            "overtime_tolerance_hours": overtime_tolerance_hours,
        }
        snaps = None if snapshots is None else frame_to_columns(snapshots, "snapshots", raw=True)
        return HealthCheck(self._core.health_check(snaps, options))

    # ---- changes -----------------------------------------------------------

    def preview_add(self, case: Union[Mapping[str, Any], pd.Series]) -> ImpactPreview:
        """Before/after of adding a case (a dict with the case columns); the model is unchanged."""
        cols = single_record(case, "cases")
        return ImpactPreview(f"add case {cols['id'][0] if 'id' in cols else '?'}", self._core.preview("add_case", cols))

    def preview_remove(self, case_id: str) -> ImpactPreview:
        """Before/after of removing a case; the model is unchanged."""
        cid = _check_id(case_id, "case_id")
        return ImpactPreview(f"remove case {cid}", self._core.preview("remove_case", case_id=cid))

    def preview_move(self, case_id: str, to_worker: str) -> ImpactPreview:
        """Before/after of moving a case (all its allocations) to another worker; the model is unchanged."""
        cid = _check_id(case_id, "case_id")
        wid = _check_id(to_worker, "to_worker")
        return ImpactPreview(f"move case {cid} to {wid}", self._core.preview("move_case", case_id=cid, to_worker=wid))

    def apply_add(self, case: Union[Mapping[str, Any], pd.Series]) -> None:
        """Adds a case (all-or-nothing)."""
        self._core.apply("add_case", single_record(case, "cases"))

    def apply_remove(self, case_id: str) -> None:
        """Removes a case (all-or-nothing)."""
        self._core.apply("remove_case", case_id=_check_id(case_id, "case_id"))

    def apply_move(self, case_id: str, to_worker: str) -> None:
        """Moves a case to another worker (all-or-nothing)."""
        self._core.apply("move_case", case_id=_check_id(case_id, "case_id"), to_worker=_check_id(to_worker, "to_worker"))

    def upsert(self, workers: FrameLike = None, cases: FrameLike = None) -> None:
        """Adds or replaces workers and cases (matched by id) in one all-or-nothing batch."""
        wcols = frame_to_columns(workers, "workers", raw=True) if workers is not None else {}
        ccols = frame_to_columns(cases, "cases", raw=True) if cases is not None else {}
        self._core.upsert(wcols, ccols)

    def set_as_of(self, as_of: Any) -> None:
        """Re-evaluates on another date (scheme version, reductions and tasks in force)."""
        self._core.set_as_of(as_of_text(as_of))

    # ---- presentation ------------------------------------------------------

    def suggest(self, case: Any, k: int = 3, **options: Any) -> pd.DataFrame:
        """Top-k workers for one incoming case (dict/Series, or the id of an unallocated case), best first,
        with utilisation before/after and an explanation (docs/allocation.md)."""
        from .allocation import suggest

        return suggest(self, case, k, **options)

    def rebalance(self, *, max_moves: int = 50, move_cost: float = 1.0, utilisation_cap: Optional[float] = None,
                  scope: str = "team", **old_names: Any) -> Any:
        """Proposes moves of existing cases off workers above their safe cap (not applied): a
        :class:`caseload.allocation.Rebalance` with .moves and .workers (docs/allocation.md)."""
        from .allocation import rebalance

        return rebalance(self, max_moves=max_moves, move_cost=move_cost, utilisation_cap=utilisation_cap, scope=scope,
                         **old_names)

    def plot_loads(self, ax: Any = None, sort: bool = True) -> Any:
        """Bar chart of every worker's utilisation, coloured by band (needs matplotlib).

        Returns the matplotlib Axes.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError:  # pragma: no cover - depends on the environment
            raise CaseloadError(
                "invalid_argument", "plot_loads needs matplotlib: pip install 'caseload[plot]'"
            ) from None
        df = self.loads()
        df = df[df["case_holding"]]
        if sort:
            df = df.sort_values("utilisation", ascending=False)
        colours = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "excessive": "#6a1b9a"}
        if ax is None:
            _, ax = plt.subplots(figsize=(10, 4))
        ax.bar(range(len(df)), df["utilisation"] * 100, color=[colours.get(b, "grey") for b in df["band"]], width=1.0)
        ax.axhline(100, color="black", linewidth=0.8, linestyle="--")
        ax.set_xlabel("case-holding workers")
        ax.set_ylabel("utilisation (% of capacity)")
        ax.set_title(f"Worker utilisation on {self.as_of}")
        ax.set_xticks([])
        return ax

    def __repr__(self) -> str:
        return (
            f"<caseload.Caseload as of {self.as_of}: {self._core.worker_count()} workers, "
            f"{self._core.case_count()} cases, scheme {self._core.scheme.name!r} {self.scheme_version}>"
        )

    def _repr_html_(self) -> str:
        org = self.rollup("organisation")
        cols = [
            "workers",
            "case_holding_fte",
            "cases",
            "points",
            "capacity",
            "utilisation",
            "mean_cases_per_fte",
            "green",
            "amber",
            "red",
            "excessive",
            "unallocated_cases",
            "asye_compliance",
        ]
        head = (
            f"<p><b>Caseload</b> as of {self.as_of}, scheme {html.escape(self._core.scheme.name)} "
            f"{html.escape(self.scheme_version)}</p>"
        )
        return head + org[[c for c in cols if c in org]].to_html(index=False, float_format=lambda x: f"{x:.3g}")
