"""``caseload forecast``: forecasts the series of a long-format CSV (docs/forecasting.md)."""

from __future__ import annotations

from typing import NoReturn

import numpy as np
import pandas as pd

from .. import _core
from .._errors import CaseloadError
from ..forecast import forecast
from .._save import write_text
from ._options import add_option_flags, option_values

__all__ = ["add_parser"]


def _fail(message: str) -> NoReturn:
    raise CaseloadError("invalid_argument", message)


def _cmd_forecast(args) -> int:
    try:
        df = pd.read_csv(args.input)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        _fail(f"{args.input}: cannot read CSV ({e})")
    if "ds" in df.columns and not pd.api.types.is_integer_dtype(df["ds"]):
        df["ds"] = pd.to_datetime(df["ds"], errors="coerce")
        if df["ds"].isna().any():
            i = int(np.argmax(df["ds"].isna().to_numpy()))
            _fail(f"{args.input}: line {i + 2}: ds must be a date or an integer period")
    options = option_values(args, "forecast")
    if options.get("n_threads") == -1:  # --n-jobs -1, its old spelling of "all cores"
        options["n_threads"] = 0
    fc = forecast(df, freq=args.freq, fill=args.fill, **options)
    if not pd.api.types.is_integer_dtype(fc["ds"]):
        fc["ds"] = fc["ds"].dt.strftime("%Y-%m-%d")
    # unique_id is input text going to a spreadsheet: the core's formula rule
    # (a leading ' before = + - @ ...), applied cell by cell; numeric ids stay numbers.
    if not pd.api.types.is_numeric_dtype(fc["unique_id"]):
        fc["unique_id"] = [_core.spreadsheet_safe(v) if isinstance(v, str) else v for v in fc["unique_id"]]
    write_text(args.out, fc.to_csv(index=False, lineterminator="\n"))
    if not args.quiet:
        n_series = fc["unique_id"].nunique()
        print(f"Wrote {len(fc)} rows ({n_series} series x {len(fc) // max(n_series, 1)} periods) to {args.out}")
    return 0


def add_parser(sub) -> None:
    """Registers ``forecast`` on the ``caseload`` command's sub-parsers."""
    p = sub.add_parser("forecast", help="forecast series from a long-format CSV (unique_id, ds, y)")
    p.add_argument("--in", dest="input", required=True, help="CSV with columns unique_id, ds (date or integer), y")
    # One flag per option record (--horizon, --levels, --n-threads, ...); --h, --level and --n-jobs
    # are the old spellings, kept working. season_length left out is inferred from the dates, and the
    # intervals are always calibrated.
    add_option_flags(p, "forecast", skip=("calibrate",),
                     aliases={"horizon": "--h", "levels": "--level", "n_threads": "--n-jobs"})
    p.add_argument("--freq", help="D, W, M, Q or Y (default: inferred from the dates)")
    p.add_argument("--fill", choices=["error", "zero"], default="error", help="missing periods: error or count as 0")
    p.add_argument("--out", required=True, help="output CSV: unique_id, ds, mean, lo-L, hi-L")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print a summary line")
    p.set_defaults(func=_cmd_forecast)
