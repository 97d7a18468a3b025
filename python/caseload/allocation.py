"""Allocation of incoming cases, suggestions, rebalancing, and the general GAP solver.

Every decision is made by the C++ core (docs/allocation.md, docs/gap.md);
this module translates DataFrames and presents the results.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import CaseloadError
from ._names import one_names, option_records
from ._save import save_by_extension
from ._frames import FrameLike, frame_to_columns, to_frame

__all__ = ["AllocationPlan", "GapResult", "Rebalance", "allocate", "option_records", "read_orlibrary_gap", "solve_gap"]

# An incoming case's own list fields: lists of names, and preferences as a dict worker_id -> score.
# Cells given as lists or dicts are encoded by the core, by the rules its readers decode.
_INCOMING_LISTS = ("required_skills", "desired_skills", "excluded_workers", "preferences")


def _incoming_columns(incoming: FrameLike) -> Dict[str, Any]:
    df = to_frame(incoming, "cases")
    if len(df) == 0:
        return {}  # an empty batch
    df = df.copy()
    ids = df["id"].tolist() if "id" in df.columns else None
    for name in _INCOMING_LISTS:
        if name in df.columns and df[name].dtype == object:
            df[name] = _core.encode_list_cells("incoming", name, df[name].tolist(), ids)
    return frame_to_columns(df, "cases")


# Old keyword names, kept working for one release with a DeprecationWarning:
# every option now has one name, the core's (option_records()).
_RENAMED = {"cap": "utilisation_cap", "time_limit": "time_limit_seconds"}


def _one_names(options: Dict[str, Any], where: str) -> Dict[str, Any]:
    return one_names(options, _RENAMED, where)


def _options(options: Dict[str, Any], where: str) -> Dict[str, Any]:
    o = _one_names(dict(options), where)
    v = o.get("warm_start")
    if v is not None:
        # The core reads a previous plan as case id -> worker id.
        if isinstance(v, AllocationPlan):
            o["warm_start"] = {c: w for c, w in zip(v.assignments["case_id"], v.assignments["worker_id"]) if w}
        elif isinstance(v, Mapping):
            o["warm_start"] = {c: w for c, w in v.items() if w}
        else:
            o["warm_start"] = {c: w for c, w in (tuple(p) for p in v) if w}
    return o


def _pct(x: float) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:.0%}"


class AllocationPlan:
    """The result of :func:`allocate`.

    Attributes:
        assignments: one row per incoming case (input order): case_id,
            worker_id (None when it stays with the team manager), reason
            ("allocated", "pinned", "no_eligible_worker",
            "eligible_workers_full", "displaced"), runner_up, explanation,
            points, priority, soft_score, displaced_by.
        workers: one row per worker: utilisation/points/cases before and
            after, cap, bands, new_cases.
        objective: dict: value (sum of priority x points allocated),
            allocated_points, allocated_cases, max_utilisation, spread, soft_score.
        bound: upper bound on the value (LP relaxation); gap: (bound - value) / bound.
        optimal, seconds, work, seed.
    """

    def __init__(self, handle: Any) -> None:
        self._h = handle
        s = handle.summary()
        a = pd.DataFrame(handle.decisions())
        for col in ("worker_id", "runner_up"):
            a[col] = a[col].astype(object).where(a[col] != "", None)
        a["displaced_by"] = [x.split(";") if x else [] for x in a["displaced_by"]]
        self.assignments: pd.DataFrame = a[
            ["case_id", "worker_id", "reason", "runner_up", "explanation", "points", "priority", "soft_score",
             "displaced_by"]
        ]
        self.workers: pd.DataFrame = pd.DataFrame(handle.workers())
        self.workers["new_cases"] = [x.split(";") if x else [] for x in self.workers["new_cases"]]
        self.objective: Dict[str, float] = {
            k: s[k] for k in ("value", "allocated_points", "allocated_cases", "max_utilisation", "spread", "soft_score")
        }
        self.bound: float = s["bound"]
        self.gap: float = s["gap"]
        self.optimal: bool = s["optimal"]
        self.seconds: float = s["seconds"]
        self.work: int = s["work"]
        self.seed: int = s["seed"]

    @property
    def assignment(self) -> Dict[str, Optional[str]]:
        """case_id -> worker_id (None when unallocated)."""
        return dict(zip(self.assignments["case_id"], self.assignments["worker_id"]))

    def verdicts(self) -> pd.DataFrame:
        """Every (case, worker) pair: status (chosen, eligible, full, excluded) and reason."""
        return pd.DataFrame(self._h.verdicts())

    def to_json(self) -> str:
        """The plan as JSON: every decision with its reasons, the workers' before/after and the objective."""
        return self._h.to_json()

    def to_csv(self) -> str:
        """One CSV row per incoming case: case_id, worker_id, reason, runner_up, points, priority, explanation."""
        return self._h.to_csv()

    def to_html(self, title: str = "Allocation plan") -> str:
        """A self-contained HTML page: the plan and the before/after loads."""
        return self._h.to_html(title)

    def save(self, path: Union[str, os.PathLike]) -> str:
        """Writes .html, .json or .csv by the file's extension, atomically; returns the path."""
        return save_by_extension(path, {".html": self.to_html, ".json": self.to_json, ".csv": self.to_csv})

    def __len__(self) -> int:
        return len(self.assignments)

    def __repr__(self) -> str:
        o = self.objective
        un = int(self.assignments["worker_id"].isna().sum())
        return (
            f"<caseload.AllocationPlan {o['allocated_cases']} of {len(self)} cases allocated, {un} unallocated; "
            f"value {o['value']:.4g} (bound {self.bound:.4g}, gap {self.gap:.2%}); "
            f"max utilisation {_pct(o['max_utilisation'])}>"
        )

    def _repr_html_(self) -> str:
        o = self.objective
        head = (
            f"<p><b>{o['allocated_cases']}</b> of {len(self)} cases allocated; priority-weighted work "
            f"<b>{o['value']:.4g}</b> (bound {self.bound:.4g}, gap {self.gap:.2%}); highest load given cases "
            f"{_pct(o['max_utilisation'])}.</p>"
        )
        plan = self.assignments[["case_id", "worker_id", "reason", "runner_up", "points", "priority", "explanation"]]
        w = self.workers[(self.workers["new_cases"].map(len) > 0)]
        loads = w[["worker_id", "team", "role", "utilisation_before", "utilisation_after", "cap", "new_cases"]].copy()
        for c in ("utilisation_before", "utilisation_after", "cap"):
            loads[c] = loads[c].map(_pct)
        loads["new_cases"] = loads["new_cases"].map(", ".join)
        return (
            head
            + plan.to_html(index=False, na_rep="—")
            + "<p><b>Before / after</b> (workers given cases)</p>"
            + loads.to_html(index=False)
        )


def allocate(
    model: Any,
    incoming: FrameLike,
    *,
    utilisation_cap: Optional[float] = None,
    seed: int = 0,
    work_limit: Optional[int] = None,
    time_limit_seconds: Optional[float] = None,
    **options: Any,
) -> AllocationPlan:
    """Allocates a batch of incoming (unallocated) cases to the model's workers.

    Args:
        model: a :class:`caseload.Caseload`.
        incoming: DataFrame (or records) with the case columns (id,
            family_id, case_type, factors, open_date, team, tasks) and,
            optionally: priority, min_experience_years,
            min_experience_level, required_skills, desired_skills (lists or
            "a;b"), required_team, required_service_area, previous_worker,
            excluded_workers, pinned_worker, preferences (dict worker -> score).
        utilisation_cap: safe utilisation cap as a fraction; None = each
            worker's service-area amber_to (never into red).
        seed, work_limit, time_limit_seconds: search controls (deterministic
            for the same seed and work_limit; a time limit makes it
            machine-dependent). The old names cap= and time_limit= still work,
            with a DeprecationWarning.
        options: fairness_tolerance, continuity_weight, skills_weight,
            preference_weight, explain, experience_levels, warm_start (a
            previous AllocationPlan, a dict case -> worker, or pairs).

    Raises:
        CaseloadError: naming the case and field (NaN priority, unknown
            pinned worker, a pin that breaks a hard rule, ...).
    """
    core_model = getattr(model, "_core", None)
    if core_model is None:
        raise CaseloadError("invalid_argument", f"allocate: model must be a caseload.Caseload, got {type(model).__name__}")
    cols = _incoming_columns(incoming)
    options.update(utilisation_cap=utilisation_cap, seed=seed, work_limit=work_limit,
                   time_limit_seconds=time_limit_seconds)
    return AllocationPlan(_core.allocate(core_model, cols, _options(options, "allocate")))


def suggest(model: Any, case: Any, k: int = 3, **options: Any) -> pd.DataFrame:
    """Top-k workers for one case (a dict/Series of incoming-case fields, or
    the id of an unallocated case in the model), best first, with explanations."""
    if isinstance(case, str):
        cases = model.case_records()
        row = cases[cases["id"] == case]
        if len(row) == 0:
            raise CaseloadError("not_found", f"suggest: no case {case!r} in the model")
        rec = row.iloc[0].to_dict()
        rec.pop("allocations", None)
        case = rec
    if isinstance(case, pd.Series):
        case = case.to_dict()
    if not isinstance(case, Mapping):
        raise CaseloadError("invalid_argument", f"suggest: case must be a dict, Series or case id, got {type(case).__name__}")
    df = pd.DataFrame({key: pd.Series([v], dtype=object) for key, v in case.items()})
    for key in ("priority", "min_experience_years"):
        if key in df.columns:
            df[key] = pd.to_numeric(df[key])
    cols = _incoming_columns(df)
    opts = _options(options, "suggest")
    return pd.DataFrame(_core.suggest(model._core, cols, int(k), opts))


class Rebalance:
    """Moves proposed by :meth:`caseload.Caseload.rebalance` (not applied).

    Attributes:
        moves: case_id, from_worker, to_worker, points, relieved, reason.
        workers: before/after of every worker giving or receiving.
        overload_before, overload_after: points above safe capacity, summed.
        overloaded_before, overloaded_after: workers above their cap. cost: move_cost x moves.
    """

    def __init__(self, r: Mapping[str, Any]) -> None:
        self.moves = pd.DataFrame(r["moves"])
        self.workers = pd.DataFrame(r["workers"])
        for k in ("overload_before", "overload_after", "overloaded_before", "overloaded_after", "cost", "seconds"):
            setattr(self, k, r[k])
        self._json = r["json"]

    def to_json(self) -> str:
        """The proposed moves and the before/after figures as JSON."""
        return self._json

    def __repr__(self) -> str:
        return (
            f"<caseload.Rebalance {len(self.moves)} moves: overload {self.overload_before:.4g} -> "
            f"{self.overload_after:.4g} points, {self.overloaded_before} -> {self.overloaded_after} workers over cap>"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>" + self.moves.to_html(index=False)


def rebalance(model: Any, *, max_moves: int = 50, move_cost: float = 1.0, utilisation_cap: Optional[float] = None,
              scope: str = "team", work_limit: int = 50_000_000, **old_names: Any) -> Rebalance:
    """Proposes moves of existing single-worker cases off workers above their safe cap (see docs/allocation.md).

    At most `max_moves` moves, each relieving more than `move_cost` points of overload; receivers stay within
    their cap and ASYE rules; `scope` is "team", "service_area" or "any". The model is not changed.
    """
    options = _one_names(dict(old_names, utilisation_cap=utilisation_cap), "rebalance")
    options.update(max_moves=max_moves, move_cost=move_cost, scope=scope, work_limit=work_limit)
    return Rebalance(_core.rebalance(model._core, options))


def synthetic_incoming(model: Any, count: int = 40, seed: int = 1) -> pd.DataFrame:
    """A seeded week of incoming referrals for the model (for demos)."""
    import io

    text = _core.synthetic_incoming_csv(model._core, int(count), int(seed))
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).assign(
        priority=lambda d: pd.to_numeric(d["priority"]),
        min_experience_years=lambda d: pd.to_numeric(d["min_experience_years"]),
    )


# ---- General GAP --------------------------------------------------------------


class GapResult:
    """Result of :func:`solve_gap`.

    Attributes:
        assignment: numpy int array of length n, the agent of each item (-1 when none was found).
        objective: total cost (+inf when no feasible assignment was found).
        bound: a valid lower bound on the optimum. feasible, optimal, seconds, work, status.
    """

    def __init__(self, r: Mapping[str, Any]) -> None:
        self.assignment: np.ndarray = np.asarray(r["assignment"], dtype=np.int64)
        self.objective: float = r["objective"]
        self.bound: float = r["bound"]
        self.feasible: bool = r["feasible"]
        self.optimal: bool = r["optimal"]
        self.seconds: float = r["seconds"]
        self.work: int = r["work"]
        self.status: str = r["status"]

    def __repr__(self) -> str:
        return (
            f"<caseload.GapResult {self.status}: objective {self.objective:.6g}, bound {self.bound:.6g}, "
            f"{len(self.assignment)} items, {self.seconds:.3f} s>"
        )


def read_orlibrary_gap(path: Union[str, os.PathLike]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reads an OR-Library GAP file: (cost (m, n), weight (m, n), capacity (m,))."""
    return _core.read_orlibrary_gap(os.fspath(path))


def solve_gap(
    cost: Any,
    weight: Any,
    capacity: Any,
    *,
    time_limit_seconds: Optional[float] = None,
    work_limit: Optional[int] = None,
    seed: int = 0,
    **old_names: Any,
) -> GapResult:
    """Solves a Generalized Assignment Problem (minimise total cost; every
    item to exactly one agent; no agent over capacity).

    cost, weight: (m, n) arrays; capacity: (m,). Raises CaseloadError for
    mismatched shapes, NaN, negative weights or capacities, and for a time
    limit that is not finite and >= 0 (time_limit= is its old name).
    """
    named = _one_names(dict(old_names, time_limit_seconds=time_limit_seconds), "solve_gap")
    unknown = sorted(set(named) - {"time_limit_seconds"})
    if unknown:
        raise CaseloadError("invalid_argument", f"solve_gap: unknown option {unknown[0]!r}")
    options = {"time_limit_seconds": named.get("time_limit_seconds"), "work_limit": work_limit, "seed": seed}

    def arr(x: Any, name: str) -> np.ndarray:
        try:
            return np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise CaseloadError("invalid_argument", f"solve_gap: {name} must be numeric: {e}") from None

    c, w, b = arr(cost, "cost"), arr(weight, "weight"), arr(capacity, "capacity")
    if c.ndim != 2:
        raise CaseloadError("invalid_argument", f"solve_gap: cost must be 2-D (agents, items), got shape {c.shape}")
    return GapResult(_core.solve_gap(c, w, b, options))
