"""``caseload forecast``: forecasts the series of a long-format CSV (docs/forecasting.md)."""

from __future__ import annotations

from typing import NoReturn

import numpy as np
import pandas as pd

from .._errors import CaseloadError
from ..forecast import forecast

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
    fc = forecast(
        df,
        args.h,
        season_length=args.season_length,
        freq=args.freq,
        level=tuple(args.level),
        model=args.model,
        seed=args.seed,
        n_jobs=args.n_jobs,
        fill=args.fill,
    )
    if not pd.api.types.is_integer_dtype(fc["ds"]):
        fc["ds"] = fc["ds"].dt.strftime("%Y-%m-%d")
    fc.to_csv(args.out, index=False)
    if not args.quiet:
        print(f"Wrote {len(fc)} rows ({fc['unique_id'].nunique()} series x {args.h} periods) to {args.out}")
    return 0


def add_parser(sub) -> None:
    """Registers ``forecast`` on the ``caseload`` command's sub-parsers."""
    p = sub.add_parser("forecast", help="forecast series from a long-format CSV (unique_id, ds, y)")
    p.add_argument("--in", dest="input", required=True, help="CSV with columns unique_id, ds (date or integer), y")
    p.add_argument("--h", type=int, required=True, help="periods ahead")
    p.add_argument("--season-length", dest="season_length", type=int, help="default: from the date spacing")
    p.add_argument("--freq", help="D, W, M, Q or Y (default: inferred from the dates)")
    p.add_argument("--level", type=float, nargs="+", default=[80, 95], help="interval levels (default 80 95)")
    p.add_argument("--model", default="auto", help="auto, ets, ets:XYZ, theta, otm, stm, seasonal_naive, naive, croston, sba, tsb")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--n-jobs", dest="n_jobs", type=int, default=-1, help="threads (default: all cores)")
    p.add_argument("--fill", choices=["error", "zero"], default="error", help="missing periods: error or count as 0")
    p.add_argument("--out", required=True, help="output CSV: unique_id, ds, mean, lo-L, hi-L")
    p.add_argument("-q", "--quiet", action="store_true", help="do not print a summary line")
    p.set_defaults(func=_cmd_forecast)
