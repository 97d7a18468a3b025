"""Translation between pandas DataFrames and the core's columnar tables.

A table crosses to the C++ core as a dict of column name -> numpy float64
array (numeric columns, NaN = missing) or list of str (text columns, "" =
missing). List-valued fields (skills, factors, allocations, tasks,
reductions) are encoded with the CSV encodings of docs/records_format.md;
dates become "YYYY-MM-DD". Nothing here validates a value's meaning: that is
the core's job, and its errors name the record and the field.

For the model's own readers (``raw=True``) a column that already holds only
text goes over as the frame's object array and a tz-naive datetime64 column
as is: the core reads them in one pass, so DataFrame input costs little more
than the core's own work (docs/benchmarks.md, issue 2).
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import CaseloadError

Columns = Dict[str, Union[np.ndarray, List[str]]]  # numeric, datetime64 or object (str) arrays, or lists of str
FrameLike = Union[pd.DataFrame, Mapping[str, Any], Iterable[Mapping[str, Any]], None]

# Minimal columns of an empty table of each kind (a table with no columns at
# all would be reported by the core as missing its required columns).
_EMPTY = {
    "workers": ("id", "team", "service_area", "role", "contracted_hours"),
    "cases": ("id", "case_type", "open_date"),
    "snapshots": ("date", "worker_id", "utilisation"),
}
_NUMERIC = {
    "contracted_hours",
    "experience_years",
    "reported_weekly_hours",
    "expected_new_cases",
    "utilisation",
    "cases",
    "points",
    "capacity",
}
_DATES = {"start_date", "open_date", "date"}


# ---- scalars ---------------------------------------------------------------


def _is_missing(x: Any) -> bool:
    if x is None or x is pd.NaT:
        return True
    if isinstance(x, float) and math.isnan(x):
        return True
    try:
        return bool(pd.isna(x)) if np.isscalar(x) else False
    except (TypeError, ValueError):
        return False


def date_text(x: Any, what: str = "date") -> str:
    """"YYYY-MM-DD" for a str, date, datetime, numpy datetime64 or Timestamp; "" for missing."""
    if _is_missing(x):
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, np.datetime64):
        x = pd.Timestamp(x)
    if isinstance(x, _dt.datetime):  # includes pd.Timestamp; check before date (datetime is a date)
        return x.date().isoformat()
    if isinstance(x, _dt.date):
        return x.isoformat()
    raise CaseloadError("invalid_argument", f"{what} must be a date or 'YYYY-MM-DD' text, got {type(x).__name__}")


def as_of_text(x: Any) -> str:
    """The as-of date as text; None means today."""
    if x is None:
        return _dt.date.today().isoformat()
    text = date_text(x, "as_of")
    if not text:
        raise CaseloadError("invalid_argument", "as_of must be a date, got a missing value")
    return text


def _number_text(x: Any) -> str:
    if isinstance(x, bool):
        raise TypeError("bool")
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        return repr(float(x))
    if isinstance(x, str):
        return x
    raise TypeError(type(x).__name__)


# ---- list-valued fields ----------------------------------------------------


def _esc(s: Any) -> str:
    # A backslash escapes ';' (between items), ':' (between parts) and itself,
    # as in the core's CSV encoding, so any name round-trips.
    return str(s).replace("\\", "\\\\").replace(";", "\\;").replace(":", "\\:")


def _enc_names(v: Any) -> str:
    # skills, factors: ["a", "b"] -> "a;b"
    if isinstance(v, str):
        return v
    return ";".join(_esc(s) for s in v)


def _enc_allocation(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        share = item.get("share")
        worker = _esc(item["worker_id"])
        return worker if share is None else f"{worker}:{_number_text(share)}"
    worker, share = item
    return f"{_esc(worker)}:{_number_text(share)}"


def _enc_allocations(v: Any) -> str:
    # "W1" | "W1:0.5;W2:0.5" | ["W1"] | [("W1", 0.5), ("W2", 0.5)] | {"W1": 0.5, "W2": 0.5}
    # | ("W1", 0.5) | [{"worker_id": "W1", "share": 0.5}]
    if isinstance(v, str):
        return v
    if isinstance(v, Mapping) and "worker_id" not in v:
        return ";".join(f"{_esc(w)}:{_number_text(s)}" for w, s in v.items())
    if isinstance(v, Mapping):
        return _enc_allocation(v)
    if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str) and not isinstance(v[1], (str, tuple)):
        return _enc_allocation(v)
    return ";".join(_enc_allocation(a) for a in v)


def _enc_task(item: Any) -> str:
    # "type[:due[:points[:created[:done]]]]"; empty parts are absent
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        unknown = set(item) - {"type", "due", "points", "created", "completed"}
        if unknown:
            raise ValueError(f"unknown task key(s) {sorted(unknown)} (expected type, due, points, created, completed)")
        kind, due, points = item["type"], item.get("due"), item.get("points")
        created, completed = item.get("created"), bool(item.get("completed", False))
    else:
        kind, due, points, created = (list(item) + [None, None, None])[:4]
        completed = False
    parts = [
        _esc(kind),
        date_text(due, "task due"),
        "" if _is_missing(points) else _number_text(points),
        date_text(created, "task created"),
        "done" if completed else "",
    ]
    while len(parts) > 1 and not parts[-1]:
        parts.pop()
    return ":".join(parts)


def _enc_tasks(v: Any) -> str:
    if isinstance(v, (str, Mapping)):
        return _enc_task(v)
    return ";".join(_enc_task(t) for t in v)


def _enc_reduction(item: Any) -> str:
    # "reason:10%:start:end" or "reason:3.7h:start:end"
    if isinstance(item, str):
        return item
    if isinstance(item, Mapping):
        unknown = set(item) - {"reason", "percent", "hours", "start", "end"}
        if unknown:
            raise ValueError(f"unknown reduction key(s) {sorted(unknown)} (expected reason, percent, hours, start, end)")
        percent, hours = item.get("percent"), item.get("hours")
        if (percent is None) == (hours is None):
            raise ValueError("a reduction needs exactly one of percent and hours")
        amount = f"{_number_text(percent)}%" if percent is not None else f"{_number_text(hours)}h"
        reason, start, end = item.get("reason", ""), item.get("start"), item.get("end")
    else:
        reason, amount, start, end = (list(item) + [None, None])[:4]
        if not isinstance(amount, str):
            raise ValueError("a reduction tuple's amount must be text such as '10%' or '3.7h'")
    return f"{_esc(reason)}:{amount}:{date_text(start, 'reduction start')}:{date_text(end, 'reduction end')}"


def _enc_reductions(v: Any) -> str:
    if isinstance(v, (str, Mapping)):
        return _enc_reduction(v)
    return ";".join(_enc_reduction(r) for r in v)


_ENCODERS: Dict[str, Callable[[Any], str]] = {
    "skills": _enc_names,
    "factors": _enc_names,
    "allocations": _enc_allocations,
    "tasks": _enc_tasks,
    "reductions": _enc_reductions,
}


def _cell_text(x: Any) -> str:
    if _is_missing(x):
        return ""
    if isinstance(x, str):
        return x
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (_dt.date, np.datetime64)):
        return date_text(x)
    if isinstance(x, numbers.Real):
        return _number_text(x)
    return str(x)


# ---- frames <-> columns ----------------------------------------------------


def to_frame(data: FrameLike, kind: str) -> pd.DataFrame:
    """Accepts a DataFrame, a dict of columns, or an iterable of record dicts."""
    def empty() -> pd.DataFrame:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in _EMPTY[kind]})

    if data is None:
        return empty()
    if isinstance(data, pd.DataFrame):
        df = data
    elif isinstance(data, Mapping):
        df = pd.DataFrame(dict(data))
    else:
        df = pd.DataFrame(list(data))
    if len(df.columns) == 0 and len(df) == 0:  # [] or {}: no records, not a table missing its columns
        return empty()
    # An id held as the index (df.set_index("id")) is still the id column.
    index_name = "worker_id" if kind == "snapshots" else "id"
    if index_name not in df.columns and df.index.name == index_name:
        df = df.reset_index()
    return df


def _record_label(kind: str, df: pd.DataFrame, row: int) -> str:
    label = {"workers": "worker", "cases": "case", "snapshots": "snapshot"}[kind]
    if "id" in df.columns:
        ident = df["id"].iloc[row]
        if isinstance(ident, str) and ident:
            return f'{label} "{ident}" (row {row + 1})'
    return f"{label} row {row + 1}"


def _text_cells(series: pd.Series) -> Optional[np.ndarray]:
    """The cells of a column that holds only text (or missing values), else None.

    The common case (frames read from CSV, or returned by caseload itself)
    needs no per-cell translation: the column's object array (for pandas'
    str dtype, its own buffer, not a copy) goes to the core as is, which
    reads the strings in place and takes None, NaN, pandas.NA and NaT as
    missing. Checking that every cell is text is one pass in C++.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        # Categories taken by code in C: each cell is one of a few shared str
        # objects, which the core reads quickly. Checked below like any
        # object column (categories may be numbers).
        values = np.asarray(series.array, dtype=object)
        return values if values.ndim == 1 and _core.is_text_column(values) else None
    if series.dtype != object and not pd.api.types.is_string_dtype(series.dtype):
        return None
    values = np.asarray(series.array, dtype=object)
    if values.ndim != 1:
        return None
    # pandas' str dtype holds only text and its missing marker by
    # construction; an object column is checked (reading every cell's type
    # costs about as much as reading the cell later).
    if not isinstance(series.dtype, pd.StringDtype) and not _core.is_text_column(values):
        return None
    return values


def _as_text_list(cells: np.ndarray) -> List[str]:
    values = cells.tolist()
    missing = pd.isna(cells)
    if missing.any():
        values = ["" if m else v for v, m in zip(values, missing)]
    return values


def frame_to_columns(data: FrameLike, kind: str, raw: bool = False) -> Columns:
    """DataFrame (or records) -> the core's columns, for kind workers/cases/snapshots.

    With ``raw=False`` text columns are lists of str ("" = missing) and dates
    are text, which every table reader of ``_core`` accepts. ``raw=True``
    leaves text columns as the frame's own object arrays (missing cells as
    None, NaN, pandas.NA or NaT) and tz-naive datetime64 columns as they
    are: no per-cell Python work, for the readers in bindings/python/module.cpp
    (the model, history, health check and CSV writer).
    """
    df = to_frame(data, kind)
    out: Columns = {}
    for name in df.columns:
        if not isinstance(name, str):
            raise CaseloadError("invalid_argument", f"{kind}: column names must be text, got {name!r}")
        series = df[name]
        text = _text_cells(series)
        if text is not None and not raw:
            out[name] = _as_text_list(text)
        elif text is not None:
            # Encoded fields and dates given as text pass through unchanged,
            # exactly as the per-cell encoders below would leave them.
            out[name] = text
        elif name in _ENCODERS:
            enc = _ENCODERS[name]
            cells: List[str] = []
            for i, v in enumerate(series.tolist()):
                if _is_missing(v):
                    cells.append("")
                    continue
                try:
                    cells.append(enc(v))
                except CaseloadError:
                    raise
                except (TypeError, ValueError, KeyError, IndexError) as e:
                    raise CaseloadError(
                        "invalid_argument", f"{_record_label(kind, df, i)}: {name} cannot be encoded: {e}"
                    ) from None
            out[name] = cells
        elif pd.api.types.is_bool_dtype(series.dtype) and name not in _NUMERIC:
            out[name] = ["true" if bool(v) else "false" for v in series.tolist()]
        elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            out[name] = series.to_numpy(dtype=np.float64, na_value=np.nan)
        elif raw and pd.api.types.is_datetime64_dtype(series.dtype):
            # tz-naive: the core reads datetime64 as dates in bulk (NaT = missing).
            out[name] = series.to_numpy()
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[name] = [date_text(v) for v in series.tolist()]  # tz-aware: the local date of each cell
        elif name in _NUMERIC and all(
            _is_missing(v) or (isinstance(v, numbers.Real) and not isinstance(v, bool)) for v in series.tolist()
        ):
            out[name] = np.array([np.nan if _is_missing(v) else float(v) for v in series.tolist()], dtype=np.float64)
        else:
            cells = []
            for i, v in enumerate(series.tolist()):
                try:
                    cells.append(date_text(v, name) if name in _DATES else _cell_text(v))
                except CaseloadError as e:
                    raise CaseloadError(e.code, f"{_record_label(kind, df, i)}: {e.message}") from None
            out[name] = cells
    return out


def columns_to_frame(columns: Mapping[str, Any], dates: Iterable[str] = ()) -> pd.DataFrame:
    """The core's columns -> DataFrame; `dates` columns become datetime64."""
    df = pd.DataFrame(dict(columns))
    for name in dates:
        if name in df.columns:
            # The core writes exactly YYYY-MM-DD ("" = missing, read as NaT):
            # a fixed format spares pandas guessing it.
            df[name] = pd.to_datetime(df[name], format="%Y-%m-%d")
    return df


def single_record(record: Union[Mapping[str, Any], pd.Series, pd.DataFrame], kind: str) -> Columns:
    """One record (dict or Series) as a one-row table."""
    if isinstance(record, pd.DataFrame):
        if len(record) != 1:
            raise CaseloadError("invalid_argument", f"exactly one {kind[:-1]} is required, got {len(record)}")
        return frame_to_columns(record, kind)
    if isinstance(record, pd.Series):
        record = record.to_dict()
    if not isinstance(record, Mapping):
        raise CaseloadError("invalid_argument", f"a {kind[:-1]} must be a dict, got {type(record).__name__}")
    # Wrap each value so list-valued fields stay one cell.
    df = pd.DataFrame({k: pd.Series([v], dtype=object) for k, v in record.items()})
    for k, v in record.items():
        if isinstance(v, numbers.Real) and not isinstance(v, bool) and k in _NUMERIC:
            df[k] = pd.Series([float(v)], dtype=np.float64)
    return frame_to_columns(df, kind)


def optional_text(x: Optional[Any], what: str) -> Optional[str]:
    """A date-like value as "YYYY-MM-DD" text, or None when absent or empty."""
    if x is None:
        return None
    text = date_text(x, what)
    return text or None
