"""Capacity and caseload projection: demand, open cases and staffing ahead, with breach probabilities.

Every figure comes from the C++ core's joint Monte Carlo paths
(docs/projection.md); this module translates DataFrames to the core's JSON
and the result back to DataFrames and plots.

>>> import caseload
>>> a = caseload.datasets.sample_authority()
>>> model = caseload.Caseload(caseload.Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)
>>> p = caseload.project_capacity(model, horizon=6, n_paths=200)  # doctest: +SKIP
>>> p.breach.head()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._errors import CaseloadError
from ._names import one_names

__all__ = ["CapacityProjection", "project_capacity", "synthetic_history"]


def _period_text(v: Any, where: str) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date)):
        return f"{v.year:04d}-{v.month:02d}"
    if isinstance(v, pd.Period):
        return f"{v.year:04d}-{v.month:02d}"
    raise CaseloadError("invalid_argument", f"{where}: period must be a date or 'YYYY-MM' text, got {type(v).__name__}")


def _date_text(v: Any, where: str) -> Optional[str]:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, str):
        return v or None
    if isinstance(v, (pd.Timestamp, _dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    raise CaseloadError("invalid_argument", f"{where}: expected a date, got {type(v).__name__}")


def _referrals(df: Any) -> Optional[List[Dict[str, Any]]]:
    if df is None:
        return None
    if not isinstance(df, pd.DataFrame):
        raise CaseloadError("invalid_argument", f"referrals_df: expected a DataFrame, got {type(df).__name__}")
    cols = set(df.columns)
    if {"team", "period", "count"} <= cols:
        team, period, count = df["team"], df["period"], df["count"]
    elif {"unique_id", "ds", "y"} <= cols:  # statsforecast's long format
        team, period, count = df["unique_id"], df["ds"], df["y"]
    else:
        raise CaseloadError(
            "invalid_argument",
            f"referrals_df: needs columns team, period, count (or unique_id, ds, y), got {sorted(map(str, cols))}",
        )
    out = []
    for i, (t, p, c) in enumerate(zip(team, period, count)):
        where = f"referrals[{i}]"
        try:
            cf = float(c)
        except (TypeError, ValueError):
            raise CaseloadError("invalid_argument", f"{where}: count must be a number, got {c!r}") from None
        if math.isnan(cf):
            # JSON has no NaN: pass a marker the core reports in its own words.
            raise CaseloadError("invalid_argument", f"{where} (team \"{t}\"): count must be a non-negative integer, got nan")
        out.append({"team": str(t), "period": _period_text(p, where), "count": cf})
    return out


def _closed_cases(df: Any) -> Optional[List[Dict[str, Any]]]:
    if df is None:
        return None
    if not isinstance(df, pd.DataFrame):
        raise CaseloadError("invalid_argument", f"closed_cases: expected a DataFrame, got {type(df).__name__}")
    missing = {"case_type", "opened"} - set(df.columns)
    if missing:
        raise CaseloadError("invalid_argument", f"closed_cases: missing columns {sorted(missing)}")
    ids = df["case_id"] if "case_id" in df.columns else [""] * len(df)
    closed = df["closed"] if "closed" in df.columns else [None] * len(df)
    out = []
    for i, (cid, t, o, c) in enumerate(zip(ids, df["case_type"], df["opened"], closed)):
        where = f"closed_cases[{i}]"
        row = {"case_id": "" if cid is None else str(cid), "case_type": str(t), "opened": _date_text(o, where)}
        if row["opened"] is None:
            raise CaseloadError("invalid_argument", f"{where}: opened is required")
        row["closed"] = _date_text(c, where)
        out.append(row)
    return out


def _core_model(model: Any) -> Any:
    core = getattr(model, "_core", None)
    if core is None or not isinstance(core, _core.Model):
        raise CaseloadError("invalid_argument", f"model: expected a caseload.Caseload, got {type(model).__name__}")
    return core


class CapacityProjection:
    """The result of :func:`project_capacity`.

    DataFrames (one row per scenario, level, group and month unless noted):

    - ``utilisation``: expected utilisation and its quantiles (``q05`` ... ``q95``), the fan chart's data
    - ``breach``: P(breach) this month and P(any breach by this month)
    - ``required_fte``: added FTE for P(breach) <= alpha, per month and (``month`` 0) over the horizon
    - ``new_cases``: expected new cases next month, in total and per case-holding worker (one row per group)
    - ``months``: every monthly figure (open cases, new cases, workload, capacity, FTE, ...)
    - ``survival``: the duration curve used per case type (Kaplan-Meier or default)
    - ``demand``: where each team's new cases come from (forecast model or steady state)
    """

    def __init__(self, result: Mapping[str, Any], section_html: str) -> None:
        self.raw = result
        self.section_html = section_html
        self.as_of = _dt.date.fromisoformat(result["as_of"])
        self.horizon = int(result["horizon"])
        self.n_paths = int(result["n_paths"])
        self.alpha = float(result["alpha"])
        self.quantiles = [float(q) for q in result["quantiles"]]
        qnames = [f"q{round(q * 100):02d}" for q in self.quantiles]
        rows, groups = [], []
        for s in result["scenarios"]:
            for g in s["groups"]:
                groups.append(
                    {
                        "scenario": s["name"],
                        "level": g["level"],
                        "group": g["group"],
                        "safe_level": g["safe_level"],
                        "current_utilisation": g["current_utilisation"],
                        "current_fte": g["current_fte"],
                        "case_holding_workers": g["case_holding_workers"],
                        "expected_new_cases_next_month": g["expected_new_cases_next_month"],
                        "expected_new_cases_per_worker": g["expected_new_cases_per_worker"],
                        "required_fte": g["required_fte"],
                    }
                )
                for m in g["months"]:
                    row = {
                        "scenario": s["name"],
                        "level": g["level"],
                        "group": g["group"],
                        "month": m["month"],
                        "date": pd.Timestamp(m["date"]),
                        "safe_level": g["safe_level"],
                    }
                    for k in (
                        "expected_open_cases",
                        "expected_new_cases",
                        "expected_workload",
                        "expected_capacity",
                        "expected_fte",
                        "expected_utilisation",
                        "p_breach",
                        "p_any_breach",
                        "required_fte",
                    ):
                        row[k] = float("nan") if m[k] is None else m[k]
                    for name, v in zip(qnames, m["utilisation_quantiles"]):
                        row[name] = float("inf") if v is None else v
                    rows.append(row)
        self.months = pd.DataFrame(rows)
        self.groups = pd.DataFrame(groups)
        key = ["scenario", "level", "group", "month", "date"]
        self.utilisation = self.months[key + ["safe_level", "expected_utilisation"] + qnames]
        self.breach = self.months[key + ["p_breach", "p_any_breach"]]
        over = self.groups[["scenario", "level", "group", "required_fte"]].assign(month=0)
        self.required_fte = pd.concat(
            [over, self.months[["scenario", "level", "group", "month", "required_fte"]]], ignore_index=True
        ).sort_values(["scenario", "level", "group", "month"], kind="stable", ignore_index=True)
        self.new_cases = self.groups[
            ["scenario", "level", "group", "case_holding_workers", "expected_new_cases_next_month",
             "expected_new_cases_per_worker"]
        ]
        self.survival = pd.DataFrame(result["survival"])
        self.demand = pd.DataFrame(result["demand"])

    @property
    def scenarios(self) -> List[str]:
        """Scenario names, the baseline first."""
        return [s["name"] for s in self.raw["scenarios"]]

    def compare(self, level: str = "organisation") -> pd.DataFrame:
        """Scenarios side by side at the horizon: expected utilisation, P(any breach), required FTE."""
        last = self.months[(self.months["level"] == level) & (self.months["month"] == self.horizon)]
        req = self.groups[self.groups["level"] == level][["scenario", "group", "required_fte"]]
        req = req.rename(columns={"required_fte": "required_fte_over_horizon"})
        out = last[["scenario", "group", "expected_utilisation", "p_breach", "p_any_breach", "required_fte"]].merge(
            req, on=["scenario", "group"]
        )
        return out.reset_index(drop=True)

    def plot(self, group: str = "organisation", scenario: Optional[str] = None, ax: Any = None, level: Optional[str] = None):
        """Fan chart of a group's projected utilisation against the safe level (matplotlib).

        ``scenario`` None = every scenario (the baseline as a fan, the others as median lines).
        Returns the matplotlib Axes.
        """
        import matplotlib.pyplot as plt

        m = self.months[self.months["group"] == group]
        if level is not None:
            m = m[m["level"] == level]
        if m.empty:
            raise CaseloadError("not_found", f"plot: group {group!r} is not in the projection")
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 4))
        names = [scenario] if scenario else self.scenarios
        qn = [f"q{round(q * 100):02d}" for q in self.quantiles]
        g0 = self.groups[(self.groups["group"] == group) & (self.groups["scenario"] == names[0])].iloc[0]
        for i, name in enumerate(names):
            d = m[m["scenario"] == name].sort_values("month")
            if d.empty:
                continue
            x = [0] + list(d["month"])
            if i == 0:
                for k in range(len(qn) // 2):
                    lo, hi = qn[k], qn[-1 - k]
                    ax.fill_between(
                        x,
                        [g0["current_utilisation"]] + list(d[lo]),
                        [g0["current_utilisation"]] + list(d[hi]),
                        alpha=0.15 + 0.15 * k,
                        color="#1f4e79",
                        linewidth=0,
                        label=f"{lo}-{hi}",
                    )
            med = "q50" if "q50" in d else "expected_utilisation"
            ax.plot(x, [g0["current_utilisation"]] + list(d[med]), label=f"{name} (median)", lw=2)
        safe = float(g0["safe_level"])
        ax.axhline(safe, color="#2f7d3b", ls="--", lw=1.2, label=f"safe level {safe:.0%}")
        ax.set_xlabel("months ahead")
        ax.set_ylabel("utilisation")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_title(f"{group}: projected utilisation from {self.as_of}")
        ax.legend(fontsize=8, loc="best")
        return ax

    def to_json(self) -> str:
        """The core's JSON result (docs/projection.md)."""
        return json.dumps(self.raw)

    def __repr__(self) -> str:
        org = self.groups[(self.groups["level"] == "organisation") & (self.groups["scenario"] == "baseline")]
        last = self.months[
            (self.months["level"] == "organisation")
            & (self.months["scenario"] == "baseline")
            & (self.months["month"] == self.horizon)
        ]
        if org.empty or last.empty:
            return f"<caseload.CapacityProjection from {self.as_of}, {self.horizon} months>"
        return (
            f"<caseload.CapacityProjection from {self.as_of}, {self.horizon} months, {self.n_paths} paths: "
            f"organisation utilisation {org.iloc[0]['current_utilisation']:.0%} now, "
            f"{last.iloc[0]['expected_utilisation']:.0%} expected; P(any breach) {last.iloc[0]['p_any_breach']:.0%}; "
            f"required FTE at alpha {self.alpha:g}: {org.iloc[0]['required_fte']:.1f}>"
        )

    def _repr_html_(self) -> str:
        return self.section_html


def project_capacity(
    model: Any,
    referrals_df: Optional[pd.DataFrame] = None,
    closed_cases: Optional[pd.DataFrame] = None,
    *,
    horizon: int = 12,
    scenarios: Optional[Sequence[Mapping[str, Any]]] = None,
    n_paths: int = 1000,
    seed: int = 0,
    alpha: float = 0.1,
    safe_level: Optional[float] = None,
    quantiles: Optional[Iterable[float]] = None,
    supply: Optional[Mapping[str, Any]] = None,
    staffing: Optional[Sequence[Mapping[str, Any]]] = None,
    forecast_model: str = "auto",
    n_threads: Optional[int] = None,
    **old_names: Any,
) -> CapacityProjection:
    """Projects demand, open caseload and staffing ``horizon`` months ahead (docs/projection.md).

    Args:
        model: a :class:`caseload.Caseload`.
        referrals_df: monthly new cases per team, columns ``team, period, count`` (or statsforecast's
            ``unique_id, ds, y``); teams without history get their steady-state rate.
        closed_cases: case durations, columns ``case_type, opened, closed`` (``closed`` empty for open
            cases, which are censored) and optionally ``case_id``; without it, documented default curves.
        horizon: months, 1-12.
        scenarios: what-if specs compared with the baseline, e.g. ``{"name": "spike", "referral_factor": 1.2}``,
            ``{"name": "agency", "agency_workers": 2, "agency_team": "North", "agency_months": 3}``,
            ``{"name": "sick", "sickness_absence": 0.06}``, ``{"name": "merge", "merges": [{"into": "N+S",
            "teams": ["North", "South"]}]}``, ``{"name": "+2", "added_fte": {"North": 2}}``.
        n_paths: joint Monte Carlo paths, 10-100000.
        seed: random seed; results are identical for any ``n_threads``.
        alpha: risk level for required FTE.
        safe_level: breach threshold (default: each service area's amber_to).
        supply: turnover, hiring, agency and sickness settings (``annual_turnover``, ``fill_rate``, ...).
        staffing: planned changes, e.g. ``{"kind": "join", "date": "2024-06-01", "team": "North"}``,
            ``{"kind": "leave", "date": "2024-05-10", "worker_id": "W0007"}``.
        n_threads: worker threads, 0 (default) = all cores (``n_jobs=`` is its old name, -1 meaning all cores).

    Every option is read by the core's option records, as the JSON API's are:
    ``caseload.option_records("projection")`` lists them with their ranges.

    Raises:
        CaseloadError: naming the record and field, e.g. ``staffing[0]: team "X" is not a team of the model``.
    """
    unknown = sorted(set(old_names) - {"n_jobs"})
    if unknown:
        raise TypeError(f"project_capacity() got an unexpected keyword argument {unknown[0]!r}")
    if isinstance(old_names.get("n_jobs"), (int, np.integer)) and old_names["n_jobs"] < 0:
        old_names["n_jobs"] = 0  # "all cores"
    n_threads = one_names(dict(old_names, n_threads=n_threads), {"n_jobs": "n_threads"}, "project_capacity")["n_threads"]
    if n_threads is None:
        n_threads = 0
    options: Dict[str, Any] = {
        "horizon": horizon,
        "n_paths": n_paths,
        "seed": seed,
        "alpha": alpha,
        "forecast_model": forecast_model,
        "n_threads": n_threads,
    }
    if safe_level is not None:
        options["safe_level"] = safe_level
    if quantiles is not None:
        options["quantiles"] = list(quantiles)
    if supply:
        options["supply"] = dict(supply)
    if staffing:
        options["staffing"] = [dict(s) for s in staffing]
    if scenarios:
        options["scenarios"] = [dict(s) for s in scenarios]
    request = {"referrals": _referrals(referrals_df), "closed_cases": _closed_cases(closed_cases), "options": options}
    core = _core_model(model)
    try:
        text = json.dumps(request, allow_nan=False, default=_json_default)
    except ValueError as e:
        raise CaseloadError("invalid_argument", f"project_capacity: {e}") from None
    result, html = _core.project_capacity(core, text)
    return CapacityProjection(json.loads(result), html)


def _json_default(v: Any) -> Any:
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    if isinstance(v, (_dt.date, pd.Timestamp)):
        return _date_text(v, "value")
    raise TypeError(f"cannot encode {type(v).__name__}")


def synthetic_history(seed: int = 1, workers: int = 180, as_of: Any = "2024-03-31", months: int = 36):
    """Referral history and case durations consistent with ``datasets.synthetic_authority`` (same seed).

    Returns ``(referrals, closed_cases)`` DataFrames ready for :func:`project_capacity`: monthly
    referrals per team with the August dip and busier July and September, and one duration row per
    simulated case (``closed`` empty for open cases).
    """
    from ._frames import as_of_text

    doc = json.loads(_core.synthetic_history(seed, workers, as_of_text(as_of), months))
    refs = pd.DataFrame(doc["referrals"])
    closed = pd.DataFrame(doc["closed_cases"])
    return refs, closed
