"""Translation between pandas DataFrames and the core's columnar tables.

A table crosses to the C++ core as a dict of column name -> numpy float64
array (numeric columns, NaN = missing) or list of str (text columns, "" =
missing). The columns of each record table and their types come from the
core (``_core.record_schema``), and list-valued cells given as Python lists
or dicts (skills, factors, allocations, tasks, reductions) are encoded by
the core (``_core.encode_list_cells``) with the rules its readers decode
(docs/records_format.md); dates become "YYYY-MM-DD". Nothing here validates
a value's meaning: that is the core's job, and its errors name the record
and the field.

For the model's own readers (``raw=True``) a column that already holds only
text goes over as the frame's object array and a tz-naive datetime64 column
as is: the core reads them in one pass, so DataFrame input costs little more
than the core's own work (docs/benchmarks.md, issue 2).
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import CaseloadError

Columns = Dict[str, Union[np.ndarray, List[str]]]  # numeric, datetime64 or object (str) arrays, or lists of str
FrameLike = Union[pd.DataFrame, Mapping[str, Any], Iterable[Mapping[str, Any]], None]

# The core's column schema of each record table: name, type (number, text,
# date, list or boolean), required and doc.
_SCHEMA: Dict[str, List[Dict[str, Any]]] = {kind: _core.record_schema(kind) for kind in ("workers", "cases", "snapshots")}


def _columns_of(kind: str, *types: str) -> FrozenSet[str]:
    return frozenset(c["name"] for c in _SCHEMA[kind] if c["type"] in types)


# The required columns make an empty table of each kind (a table with no
# columns at all would be reported by the core as missing them).
_EMPTY = {kind: tuple(c["name"] for c in cols if c["required"]) for kind, cols in _SCHEMA.items()}
_NUMERIC = {kind: _columns_of(kind, "number") for kind in _SCHEMA}
_DATES = {kind: _columns_of(kind, "date") for kind in _SCHEMA}
_LISTS = {kind: _columns_of(kind, "list") for kind in _SCHEMA}


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
    label = kind[:-1]  # worker, case, snapshot, as the core names them
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
            # Encoded fields and dates given as text pass through unchanged:
            # the core reads them as they are.
            out[name] = text
        elif name in _LISTS[kind]:
            # Lists and dicts are encoded by the core, by the rules its readers
            # decode; its errors name the record (by id) and the field.
            ids = df["id"].tolist() if "id" in df.columns else None
            out[name] = _core.encode_list_cells(kind, name, series.tolist(), ids)
        elif pd.api.types.is_bool_dtype(series.dtype) and name not in _NUMERIC[kind]:
            out[name] = ["true" if bool(v) else "false" for v in series.tolist()]
        elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
            out[name] = series.to_numpy(dtype=np.float64, na_value=np.nan)
        elif raw and pd.api.types.is_datetime64_dtype(series.dtype):
            # tz-naive: the core reads datetime64 as dates in bulk (NaT = missing).
            out[name] = series.to_numpy()
        elif pd.api.types.is_datetime64_any_dtype(series.dtype):
            out[name] = [date_text(v) for v in series.tolist()]  # tz-aware: the local date of each cell
        elif name in _NUMERIC[kind] and all(
            _is_missing(v) or (isinstance(v, numbers.Real) and not isinstance(v, bool)) for v in series.tolist()
        ):
            out[name] = np.array([np.nan if _is_missing(v) else float(v) for v in series.tolist()], dtype=np.float64)
        else:
            cells: List[str] = []
            for i, v in enumerate(series.tolist()):
                try:
                    cells.append(date_text(v, name) if name in _DATES[kind] else _cell_text(v))
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
        if isinstance(v, numbers.Real) and not isinstance(v, bool) and k in _NUMERIC[kind]:
            df[k] = pd.Series([float(v)], dtype=np.float64)
    return frame_to_columns(df, kind)


def optional_text(x: Optional[Any], what: str) -> Optional[str]:
    """A date-like value as "YYYY-MM-DD" text, or None when absent or empty."""
    if x is None:
        return None
    text = date_text(x, what)
    return text or None
