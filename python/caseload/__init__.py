"""caseload: safe, weighted social-work caseloads.

pandas DataFrames in; DataFrames, HTML reports and plots out. Every figure
is computed by the C++ core (``caseload._core``); this package translates
and presents.

>>> import caseload
>>> a = caseload.datasets.sample_authority()
>>> model = caseload.Caseload(caseload.Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)
>>> model.rollup(by="team")  # doctest: +SKIP
"""

from __future__ import annotations

import json as _json
import os as _os
from typing import Any, Mapping, Union

import pandas as _pd

from . import _core
from ._errors import CaseloadError
from ._names import option_records
from .health import HealthCheck
from .history import ExceedanceHistory, exceedance_history
from .forecast import forecast
from .league import LeagueTable, league_table
from . import league  # noqa: E402
from .model import Breakdown, Caseload, ImpactPreview
from .projection import CapacityProjection, project_capacity
from .scheme import Scheme
from .allocation import AllocationPlan, GapResult, allocate, read_orlibrary_gap, solve_gap  # noqa: E402
from . import datasets  # noqa: E402  (needs the names above)

__version__ = "0.1.0"

__all__ = [
    "Breakdown",
    "Caseload",
    "CapacityProjection",
    "CaseloadError",
    "ExceedanceHistory",
    "HealthCheck",
    "LeagueTable",
    "ImpactPreview",
    "Scheme",
    "__version__",
    "core_version",
    "datasets",
    "exceedance_history",
    "forecast",
    "json_request",
    "league",
    "league_table",
    "option_records",
    "project_capacity",
    "read_cases_csv",
    "read_snapshots_csv",
    "read_workers_csv",
    "to_csv",
]

__all__ += ["AllocationPlan", "GapResult", "allocate", "read_orlibrary_gap", "solve_gap"]

def core_version() -> str:
    """Version of the compiled C++ core (should equal ``__version__``)."""
    return _core.version()


def read_workers_csv(path: Union[str, _os.PathLike]) -> _pd.DataFrame:
    """Reads and validates workers.csv with the core's CSV parser (docs/records_format.md).

    Raises CaseloadError naming the line or record and field on bad input.
    """
    return _pd.DataFrame(_core.read_workers_csv(_os.fspath(path)))


def read_cases_csv(path: Union[str, _os.PathLike]) -> _pd.DataFrame:
    """Reads and validates cases.csv with the core's CSV parser."""
    return _pd.DataFrame(_core.read_cases_csv(_os.fspath(path)))


def read_snapshots_csv(path: Union[str, _os.PathLike]) -> _pd.DataFrame:
    """Reads and validates snapshots.csv with the core's CSV parser."""
    return _pd.DataFrame(_core.read_snapshots_csv(_os.fspath(path)))


def to_csv(kind: str, frame: Any) -> str:
    """Validates records of `kind` ("workers", "cases" or "snapshots") and writes them as CSV text."""
    from ._frames import frame_to_columns

    if kind not in ("workers", "cases", "snapshots"):
        raise CaseloadError("invalid_argument", f"to_csv: kind must be workers, cases or snapshots, got {kind!r}")
    return _core.to_csv(kind, frame_to_columns(frame, kind))


def json_request(request: Union[str, Mapping[str, Any]]) -> Union[str, dict]:
    """Runs one JSON API request (docs/json_api.md).

    Text in, text out; a dict in, a dict out.
    """
    if isinstance(request, Mapping):
        return _json.loads(_core.run_json_request(_json.dumps(request)))
    if not isinstance(request, str):
        raise CaseloadError("invalid_argument", f"json_request: expected str or dict, got {type(request).__name__}")
    return _core.run_json_request(request)
