"""League table of employers: published caseload figures compared fairly and with uncertainty.

>>> import caseload
>>> figures = caseload.league.sample(n=20)                # synthetic published figures
>>> table = caseload.league_table(figures, seed=1)
>>> table.table.head()                                   # doctest: +SKIP
>>> table.save("league_table.html")                      # doctest: +SKIP

Definitions (measures, standardisation, intervals, the tie rule) are in
docs/league_table.md; every figure is computed by the C++ core.
"""

from __future__ import annotations

import html as _html
import io
import json
import os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import CaseloadError
from ._frames import _cell_text, _is_missing
from ._save import save_by_extension

__all__ = ["LeagueTable", "league_table", "sample"]

PathLike = Union[str, "os.PathLike[str]"]


Figures = Union[str, Dict[str, Any]]  # CSV text (a file's) or columns (a DataFrame's)


def _frame_columns(frame: pd.DataFrame) -> Dict[str, Any]:
    """Published figures as the core's columns: numeric columns as float64 arrays (NaN = not published), the rest
    as text ("" = missing, booleans "true"/"false"). The core's reader gives each column its meaning, as it does
    for a CSV file's."""
    out: Dict[str, Any] = {}
    for i, name in enumerate(frame.columns):
        key = str(name)
        if key in out:
            raise CaseloadError("invalid_argument", f'published figures: column "{key}" appears twice')
        s = frame.iloc[:, i]
        if pd.api.types.is_bool_dtype(s.dtype):
            out[key] = ["" if _is_missing(x) else ("true" if x else "false") for x in s.tolist()]
        elif s.dtype in (np.float64, np.int64, np.int32, np.int16, np.int8, np.uint32, np.uint16, np.uint8) or (
            isinstance(s.dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(s.dtype)
        ):
            out[key] = s.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            # Text and mixed cells cross as their text, as a CSV file holds
            # them (and so do numbers of other dtypes: float32, uint64).
            out[key] = [_cell_text(x) for x in s.tolist()]
    return out


def _rows(items: List[Any]) -> bool:
    """Whether a list holds published-figure rows (dicts), not health-check exports."""
    return bool(items) and all(isinstance(d, Mapping) and "organisation_rollup" not in d for d in items)


def _read_json_file(path: str) -> Tuple[List[Figures], List[Any]]:
    """A .json file: its text goes to the core, whose JSON reader (with its limits) takes a health-check export,
    an array of them, or an array of published-figure rows."""
    with open(path, "r", encoding="utf-8") as f:
        return [], [(path, f.read())]  # the path names the file in the core's errors


def _collect(data: Any) -> Tuple[List[Figures], List[str]]:
    """(published figures as CSV texts or columns, in input order; health_check_json_texts) from any accepted
    input."""
    if isinstance(data, pd.DataFrame):
        return [_frame_columns(data)], []
    if isinstance(data, Mapping):  # one health-check export as a dict
        return [], [json.dumps(data)]
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if n.lower().endswith((".json", ".csv")))
            if not names:
                raise CaseloadError("invalid_argument", f"{path}: no .json or .csv files in the directory")
            csvs: List[Figures] = []
            hcs: List[Any] = []
            for n in names:
                c, h = _collect(os.path.join(path, n))
                csvs += c
                hcs += h
            return csvs, hcs
        if not os.path.exists(path):
            raise CaseloadError("io", f"{path}: no such file or directory")
        if path.lower().endswith(".csv"):
            with open(path, "r", encoding="utf-8") as f:
                return [f.read()], []
        if path.lower().endswith(".json"):
            return _read_json_file(path)
        raise CaseloadError("invalid_argument", f"{path}: expected a directory, a .csv or a .json file")
    if isinstance(data, Iterable) and not isinstance(data, (bytes, bytearray)):
        items = list(data)
        if _rows(items):  # published-figure rows as dicts: one table
            return [_frame_columns(pd.DataFrame(items))], []
        csvs, hcs = [], []
        for item in items:
            c, h = _collect(item)
            csvs += c
            hcs += h
        return csvs, hcs
    raise CaseloadError(
        "invalid_argument",
        "league_table: data must be a DataFrame of published figures, a health-check dict, a path "
        f"(directory, .csv or .json) or a list of those; got {type(data).__name__}",
    )


class LeagueTable:
    """A ranked league table built by :func:`league_table`.

    :attr:`table` is the ranked table as a DataFrame (best first, unranked
    organisations last); :meth:`to_html`, :meth:`to_json`, :meth:`to_csv`
    and :meth:`save` publish it.
    """

    def __init__(self, core: "_core.LeagueTable") -> None:
        self._core = core
        self._table: Optional[pd.DataFrame] = None

    @property
    def table(self) -> pd.DataFrame:
        """One row per organisation: rank (NaN = unranked), rank range, score and every measure with its interval."""
        if self._table is None:
            df = pd.DataFrame(self._core.columns())
            for col in ("tied", "standardised"):
                df[col] = df[col] == "true"
            df["benchmark_contractual"] = df["benchmark_contractual"].map({"true": True, "false": False, "": None})
            for col in ("rank", "rank_lo", "rank_hi"):
                df[col] = df[col].astype("Int64")
            self._table = df
        return self._table.copy()

    def to_html(self) -> str:
        """The self-contained, sortable HTML page."""
        return self._core.to_html()

    def to_json(self) -> str:
        """The JSON document (docs/league_table.md)."""
        return self._core.to_json()

    def to_csv(self) -> str:
        """CSV, one line per organisation (same columns as :attr:`table`)."""
        return self._core.to_csv()

    def save(self, path: PathLike) -> str:
        """Writes the table; the format follows the extension (.html/.htm, .json, .csv), atomically. Returns the
        path."""
        return save_by_extension(path, {".html": self.to_html, ".json": self.to_json, ".csv": self.to_csv})

    def _summary(self) -> pd.DataFrame:
        t = self.table
        rank = [
            ("=" if tied else "") + str(r) if pd.notna(r) else "unranked" for r, tied in zip(t["rank"], t["tied"])
        ]
        rng = [f"{a}-{b}" if pd.notna(a) else "" for a, b in zip(t["rank_lo"], t["rank_hi"])]
        return pd.DataFrame(
            {
                "rank": rank,
                "range": rng,
                "organisation": t["organisation"],
                "score": t["score"].round(1),
                "cases/FTE": t["caseload_per_fte"].round(1),
                "target": t["stated_benchmark"],
                "over": t["share_over_benchmark"].round(2),
            }
        )

    def __repr__(self) -> str:
        t = self.table
        ranked = int(t["rank"].notna().sum())
        head = self._summary().head(10).to_string(index=False)
        more = f"\n... {len(t) - 10} more" if len(t) > 10 else ""
        return (
            f"<LeagueTable {self._core.title!r}: {len(t)} organisations, {ranked} ranked, "
            f"{self._core.level:g}% intervals, {self._core.draws} draws>\n{head}{more}"
        )

    def _repr_html_(self) -> str:
        # A plain table for notebooks (the full page carries page-wide styles).
        return f"<p><strong>{_html.escape(self._core.title)}</strong></p>" + self._summary().to_html(
            index=False, na_rep="n/p", escape=True
        )


def league_table(
    data: Any,
    *,
    reference_caseload: float = 16,
    level: float = 95,
    seed: int = 0,
    draws: int = 1000,
    service_area: Optional[str] = None,
    standardise: bool = True,
    weights: Optional[Mapping[str, float]] = None,
    min_coverage: float = 0.5,
    tie_overlap: float = 0.5,
    title: Optional[str] = None,
) -> LeagueTable:
    """Ranks employers by their published caseload figures, with intervals and rank ranges.

    Args:
        data: a DataFrame of published figures (columns as in docs/league_table.md:
            organisation, service_area, case_holding_fte, cases, average_caseload,
            stated_benchmark, benchmark_contractual, workers, workers_over_benchmark,
            share_over_benchmark, exceedance_weeks_past_year, vacancy_rate, agency_rate,
            turnover_rate, asye_workers, asye_protected, asye_compliance; NaN = not
            published), or a list of rows (dicts) with those columns; or health-check JSON
            exports (dicts or paths); or a directory of .json/.csv files; or a list of any of
            these.
        reference_caseload: common reference, cases per case-holding FTE (default 16.0,
            the DfE average for England, 2023).
        level: interval level in percent.
        seed: bootstrap seed (same seed, same table).
        draws: bootstrap draws for score intervals and rank ranges.
        service_area: compare only this service area's rows.
        standardise: adjust caseloads for service-area mix (indirect standardisation).
        weights: composite weights by component (caseload_vs_reference, caseload_vs_target,
            share_over_benchmark, exceedance, asye_protection, vacancy, agency, turnover,
            contractual); unspecified components keep their defaults.
        min_coverage: share of the weight an organisation's figures must cover to be ranked.
        tie_overlap: interval overlap (fraction of the narrower) that makes a shared rank.
        title: page title.

    Raises:
        CaseloadError: naming the organisation and field, e.g.
            ``organisation "Northshire": stated_benchmark must be > 0, got 0``.
    """
    csvs, hcs = _collect(data)
    options: Dict[str, Any] = {
        "reference_caseload": float(reference_caseload),
        "level": float(level),
        "seed": int(seed),
        "draws": int(draws),
        "service_area": service_area,
        "standardise": bool(standardise),
        "min_coverage": float(min_coverage),
        "tie_overlap": float(tie_overlap),
        "title": title,
        "weights": dict(weights) if weights is not None else None,
    }
    if int(seed) < 0:
        raise CaseloadError("invalid_argument", f"league_table: seed must be >= 0, got {seed}")
    return LeagueTable(_core.league_table(csvs, hcs, options))


def sample(seed: int = 0, n: int = 150) -> pd.DataFrame:
    """Published figures of `n` synthetic authorities (an "all" row and one row per service area each)."""
    text = _core.synthetic_league_sample_csv(int(seed), int(n))
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""], dtype={"organisation": str, "service_area": str})
