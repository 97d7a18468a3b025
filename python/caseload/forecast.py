"""Demand forecasting in the long format (statsforecast's convention).

>>> import pandas as pd, caseload
>>> df = pd.DataFrame({"unique_id": "T1", "ds": pd.date_range("2023-01-01", periods=24, freq="MS"),
...                    "y": [3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8, 7] * 2})
>>> fc = caseload.forecast(df, horizon=3, model="seasonal_naive")
>>> list(fc.columns)
['unique_id', 'ds', 'mean', 'lo-80', 'hi-80', 'lo-95', 'hi-95']

Every figure comes from the C++ core (include/caseload/forecast.hpp,
docs/forecasting.md); this module checks and reshapes the frame.
"""

from __future__ import annotations

import os
import sys
import json
from typing import Any, NoReturn, Optional, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._errors import CaseloadError
from ._names import one_names

__all__ = ["forecast"]

# Period units the forecaster understands: name -> default season length.
_SEASON = {"D": 7, "W": 52, "M": 12, "Q": 4, "Y": 1}
_CHUNK = 512  # series per core call when a progress bar is shown
_PROGRESS_MIN = 2000  # batches at least this long get a progress bar (when interactive)


def _fail(message: str) -> NoReturn:
    raise CaseloadError("invalid_argument", message)


def _unit_of_freq(freq: str) -> str:
    """Maps a pandas frequency alias (M, MS, ME, W, W-MON, D, Q, QS-OCT, Y, YS, A...) to D/W/M/Q/Y."""
    code = str(freq).upper().split("-")[0].lstrip("0123456789")
    if code == "D":
        return "D"
    if code == "W":
        return "W"
    if code in ("M", "MS", "ME", "BM", "BMS", "BME"):
        return "M"
    if code in ("Q", "QS", "QE", "BQ", "BQS", "BQE"):
        return "Q"
    if code in ("Y", "YS", "YE", "A", "AS", "BA", "BY", "BYS", "BYE"):
        return "Y"
    _fail(f"forecast: freq must be daily, weekly, monthly, quarterly or yearly (D, W, M, Q, Y), got {freq!r}")


def _infer_unit(days: np.ndarray) -> str:
    """The period unit from the typical spacing (in days) of consecutive dates."""
    if days.size == 0:
        _fail("forecast: cannot infer freq from series with one value each; pass freq")
    d = float(np.median(days))
    for unit, lo, hi in (("D", 0.5, 1.5), ("W", 6.5, 7.5), ("M", 27.5, 31.5), ("Q", 88.5, 92.5), ("Y", 364.5, 366.5)):
        if lo <= d <= hi:
            return unit
    _fail(f"forecast: cannot infer freq (median spacing {d:g} days); pass freq, e.g. freq='W'")


def _period_numbers(ds: pd.Series, unit: str):
    """Period numbers and the step between consecutive periods.

    Daily and weekly dates are nanosecond counts with a step of one day or one
    week (so a series must keep its weekday and time of day); monthly,
    quarterly and yearly dates are calendar period numbers with step 1 (any
    day within the period).
    """
    if unit in ("D", "W"):
        ns = ds.to_numpy(dtype="datetime64[ns]").astype(np.int64)
        return ns, 86_400 * 10**9 * (1 if unit == "D" else 7)
    years = ds.dt.year.to_numpy(dtype=np.int64)
    months = ds.dt.month.to_numpy(dtype=np.int64)
    if unit == "M":
        return years * 12 + months - 1, 1
    if unit == "Q":
        return years * 4 + (months - 1) // 3, 1
    return years, 1


def _future_dates(last: pd.Timestamp, unit: str, h: int) -> list:
    k = np.arange(1, h + 1)
    if unit == "D":
        return list(last + pd.to_timedelta(k, unit="D"))
    if unit == "W":
        return list(last + pd.to_timedelta(7 * k, unit="D"))
    months = {"M": 1, "Q": 3, "Y": 12}[unit]
    return [last + pd.DateOffset(months=int(months * i)) for i in k]


def _progress_wanted(progress: Optional[bool], n: int) -> bool:
    if progress is not None:
        return bool(progress)
    if n < _PROGRESS_MIN:
        return False
    try:
        interactive = sys.stderr.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive or os.environ.get("CI"):
        return False
    try:
        import tqdm  # noqa: F401
    except ImportError:
        return False
    return True


# Keywords renamed so every option has its record's name (option_records("forecast")),
# kept working for one release: statsforecast's spellings h, level and n_jobs
# (n_jobs=-1, "all cores", is n_threads=0).
_RENAMED = {"h": "horizon", "level": "levels", "n_jobs": "n_threads"}


def forecast(
    df: pd.DataFrame,
    horizon: Optional[int] = None,
    *,
    season_length: Optional[int] = None,
    freq: Optional[str] = None,
    levels: Optional[Sequence[float]] = None,
    model: str = "auto",
    seed: int = 0,
    n_threads: Optional[int] = None,
    fill: str = "error",
    count_data: Optional[bool] = None,
    n_paths: int = 1000,
    progress: Optional[bool] = None,
    **old_names: Any,
) -> pd.DataFrame:
    """Forecasts every series in a long-format frame ``horizon`` periods ahead.

    Args:
        df: columns ``unique_id``, ``ds`` and ``y``, one row per series and
            period, each series' dates in increasing order. ``ds`` holds
            timestamps, or integer period numbers (then ``season_length`` is
            required).
        horizon: periods ahead, 1..520 (``h=`` is its old name).
        season_length: 12 for monthly data, 52 weekly, 7 daily, 4 quarterly,
            1 for none; inferred from ``freq`` when omitted.
        freq: ``"D"``, ``"W"`` (any anchor, e.g. ``"W-MON"``), ``"M"``/``"MS"``,
            ``"Q"``, ``"Y"``; inferred from the median spacing of the dates
            when omitted. Ignored for integer ``ds``.
        levels: central interval levels in percent, each in (0, 100); default
            (80, 95) (``level=`` is its old name).
        model: ``"auto"`` (median combination of ETS, Theta, optimised
            Theta and damped ETS; SBA for intermittent series), ``"ets"``,
            ``"ets:AAdM"`` etc.,
            ``"theta"``, ``"otm"`` (optimised Theta), ``"stm"`` (standard
            Theta model), ``"seasonal_naive"``, ``"naive"``, ``"croston"``,
            ``"sba"``, ``"tsb"`` (docs/forecasting.md).
        seed: random stream key; with the series' position it fixes every
            simulated path, whatever ``n_threads``.
        n_threads: worker threads; 0 (default) for all cores. Results do not
            depend on it (``n_jobs=`` is its old name, -1 meaning all cores).
        fill: ``"error"`` (default): a missing period is an error;
            ``"zero"``: missing periods are inserted with y = 0 (for counts
            such as referrals, where no row means none happened).
        count_data: treat y as counts (non-negative integers: simulated
            paths and bounds are integers, never negative). Default: true
            when every y is a non-negative integer.
        n_paths: simulated sample paths per series.
        progress: show a tqdm progress bar; default only on long batches when
            stderr is a terminal and tqdm is installed.

    Every option is read by the core's option records, as the JSON API's
    are: ``caseload.option_records("forecast")`` lists them.

    Returns:
        A DataFrame with ``unique_id``, ``ds`` (the next ``horizon`` periods),
        ``mean``, then ``lo-L`` and ``hi-L`` for each level L, in input
        series order. ``result.attrs["models"]`` maps each unique_id to the
        model used.

    Raises:
        CaseloadError: on missing columns, NaN, unsorted or duplicate dates,
            missing periods (with ``fill="error"``), too-short series, or bad
            options, naming the series or the option.
    """
    unknown = sorted(set(old_names) - set(_RENAMED))
    if unknown:
        raise TypeError(f"forecast() got an unexpected keyword argument {unknown[0]!r}")
    if isinstance(old_names.get("n_jobs"), (int, np.integer)) and old_names["n_jobs"] == -1:
        old_names["n_jobs"] = 0  # statsforecast's "all cores"
    named = one_names(dict(old_names, horizon=horizon, levels=levels, n_threads=n_threads), _RENAMED, "forecast")
    levels = named.get("levels")
    if levels is None:
        levels = (80, 95)
    elif isinstance(levels, (int, float, np.integer, np.floating)):
        levels = (levels,)
    if named.get("horizon") is None:
        _fail("forecast: horizon is required (periods ahead, 1..520)")
    # Read by the core's records now, so a bad option is reported before any frame work.
    options = json.loads(_core.read_options("forecast", {
        "horizon": named["horizon"], "levels": levels if isinstance(levels, str) else list(levels), "model": model, "seed": seed, "n_paths": n_paths,
        "n_threads": named.get("n_threads"), "calibrate": True}, "forecast"))
    h = int(options["horizon"])
    levels = options["levels"]
    if not isinstance(df, pd.DataFrame):
        _fail(f"forecast: df must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in ("unique_id", "ds", "y") if c not in df.columns]
    if missing:
        _fail(f"forecast: df is missing column(s) {', '.join(missing)} (long format: unique_id, ds, y)")
    if fill not in ("error", "zero"):
        _fail(f"forecast: fill must be 'error' or 'zero', got {fill!r}")

    ids_col = df["unique_id"]
    y_all = pd.to_numeric(df["y"], errors="coerce").to_numpy(dtype=float)
    bad_y = ~np.isfinite(y_all)
    if bad_y.any():
        i = int(np.argmax(bad_y))
        _fail(f'series "{ids_col.iloc[i]}": y must be a finite number, got {df["y"].iloc[i]!r} at ds {df["ds"].iloc[i]}')

    ds = df["ds"]
    integer_ds = pd.api.types.is_integer_dtype(ds)
    if integer_ds:
        if season_length is None:
            _fail("forecast: season_length is required when ds holds integer periods")
        unit = None
    else:
        try:
            ds = pd.to_datetime(ds)
        except (ValueError, TypeError) as e:
            _fail(f"forecast: ds must hold timestamps or integer periods ({e})")
        if ds.isna().any():
            i = int(np.argmax(ds.isna().to_numpy()))
            _fail(f'series "{ids_col.iloc[i]}": ds is missing at row {i}')

    # Series in order of first appearance; rows of one series keep their order.
    codes, uniques = pd.factorize(ids_col, sort=False)
    if (codes < 0).any():
        _fail(f"forecast: unique_id is missing at row {int(np.argmax(codes < 0))}")
    order = np.argsort(codes, kind="stable")
    codes_s = codes[order]
    y_s = y_all[order]
    starts = np.flatnonzero(np.r_[True, codes_s[1:] != codes_s[:-1]]) if len(codes_s) else np.array([], dtype=int)
    ds_s = ds.iloc[order].reset_index(drop=True)

    if not integer_ds:
        if freq is not None:
            unit = _unit_of_freq(freq)
        else:
            ns = ds_s.to_numpy(dtype="datetime64[ns]").astype(np.int64)
            same = codes_s[1:] == codes_s[:-1]
            spacing = np.diff(ns)[same] / 86_400e9
            unit = _infer_unit(spacing[spacing > 0])  # duplicates are reported below
        if season_length is None:
            season_length = _SEASON[unit]
        periods, step = _period_numbers(ds_s, unit)
    else:
        periods, step = ds_s.to_numpy(dtype=np.int64), 1

    # Dates within each series: strictly increasing, one period apart.
    diffs = np.diff(periods)
    same = codes_s[1:] == codes_s[:-1]
    where = np.flatnonzero(same & (diffs <= 0))
    if where.size:
        i = where[0] + 1
        what = "duplicate" if diffs[i - 1] == 0 else "unsorted (dates must increase)"
        _fail(f'series "{uniques[codes_s[i]]}": ds {ds_s.iloc[i]} is {what}; previous row has ds {ds_s.iloc[i - 1]}')
    if unit in ("D", "W"):
        off_grid = np.flatnonzero(same & (diffs % step != 0))
        if off_grid.size:
            i = off_grid[0] + 1
            _fail(f'series "{uniques[codes_s[i]]}": ds {ds_s.iloc[i]} is not a whole number of '
                  f'{"days" if unit == "D" else "weeks"} after {ds_s.iloc[i - 1]}')
    gaps = np.where(same, diffs // step, 1)
    holes = np.flatnonzero(gaps > 1)
    if holes.size and fill == "error":
        i = holes[0] + 1
        _fail(f'series "{uniques[codes_s[i]]}": {int(gaps[i - 1]) - 1} period(s) missing between ds '
              f'{ds_s.iloc[i - 1]} and {ds_s.iloc[i]}; pass fill="zero" to count missing periods as 0')

    # Position of every row in its series once the gaps are filled.
    n_rows = len(y_s)
    ends = np.r_[starts[1:], n_rows] if n_rows else starts
    pos = np.ones(n_rows, dtype=np.int64)
    if n_rows:
        pos[1:] = gaps
        pos[starts] = 0
        seg = np.repeat(np.arange(len(starts)), ends - starts)
        pos = np.cumsum(pos)
        pos -= pos[starts][seg]
    lengths = (pos[ends - 1] + 1) if n_rows else np.array([], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(lengths)].astype(np.int64)
    y = np.zeros(int(offsets[-1]), dtype=float)
    if n_rows:
        y[offsets[seg] + pos] = y_s

    if count_data is None:
        count_data = bool(y.size) and bool(np.all((y >= 0) & (y == np.floor(y))))
    ids = [str(u) for u in uniques]
    call = dict(options, season_length=season_length, count_data=bool(count_data))
    n_series = len(ids)
    if _progress_wanted(progress, n_series):
        from tqdm.auto import tqdm

        parts = []
        with tqdm(total=n_series, unit="series", desc="forecast") as bar:
            for a in range(0, n_series, _CHUNK):
                b = min(n_series, a + _CHUNK)
                parts.append(_core.forecast(ids[a:b], y, offsets[a:b + 1].copy(), call, first_index=a))
                bar.update(b - a)
        res = {
            "mean": np.concatenate([p["mean"] for p in parts]) if parts else np.zeros((0, h)),
            "lo": np.concatenate([p["lo"] for p in parts], axis=1) if parts else np.zeros((len(levels), 0, h)),
            "hi": np.concatenate([p["hi"] for p in parts], axis=1) if parts else np.zeros((len(levels), 0, h)),
            "model": [m for p in parts for m in p["model"]],
        }
    else:
        res = _core.forecast(ids, y, offsets, call, first_index=0)

    # Future ds per series.
    if integer_ds:
        last = ds_s.to_numpy(dtype=np.int64)[ends - 1] if n_rows else np.array([], dtype=np.int64)
        future = (last[:, None] + np.arange(1, h + 1)[None, :]).ravel()
    else:
        last_dates = ds_s.iloc[ends - 1] if n_rows else []
        future = [d for last in last_dates for d in _future_dates(pd.Timestamp(last), unit, int(h))]
    out = pd.DataFrame({"unique_id": np.repeat(np.asarray(uniques, dtype=object), h), "ds": future,
                        "mean": res["mean"].reshape(-1)})
    for k, lv in enumerate(levels):
        name = f"{lv:g}"
        out[f"lo-{name}"] = res["lo"][k].reshape(-1)
        out[f"hi-{name}"] = res["hi"][k].reshape(-1)
    if not integer_ds:
        out["ds"] = pd.to_datetime(out["ds"])
    out.attrs["models"] = dict(zip(ids, res["model"]))
    return out
