"""Weighting schemes: how many points cases, factors and tasks are worth."""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, List, Mapping, Optional, Union

import pandas as pd

from . import _core
from ._errors import CaseloadError
from ._frames import date_text

__all__ = ["Scheme"]


class Scheme:
    """A validated, versioned weighting scheme (immutable).

    Build one with :meth:`Scheme.default` (the documented default scheme,
    every number cited in docs/default_scheme.md) or :meth:`Scheme.from_json`
    (your own scheme, format in docs/scheme_format.md).
    """

    __slots__ = ("_core",)

    def __init__(self, core: "_core.Scheme") -> None:
        """Wraps a compiled scheme; use :meth:`default` or :meth:`from_json` instead."""
        if not isinstance(core, _core.Scheme):
            raise CaseloadError(
                "invalid_argument", "Scheme() takes a compiled scheme; use Scheme.default() or Scheme.from_json()"
            )
        self._core = core

    @classmethod
    def default(cls) -> "Scheme":
        """The default scheme shipped with caseload (data/default_scheme.json)."""
        return cls(_core.Scheme.default())

    @classmethod
    def from_json(cls, source: Union[str, os.PathLike, Mapping[str, Any]]) -> "Scheme":
        """Parses and validates a scheme.

        Args:
            source: a path to a JSON file, JSON text, or a dict in the JSON
                format of docs/scheme_format.md.

        Raises:
            CaseloadError: malformed JSON, unknown keys, out-of-range numbers,
                overlapping versions; the message names the version, rule and field.
        """
        if isinstance(source, Mapping):
            try:
                text = json.dumps(source, allow_nan=False)
            except (TypeError, ValueError) as e:
                raise CaseloadError("invalid_argument", f"scheme: cannot be written as JSON: {e}") from None
        elif isinstance(source, os.PathLike):
            text = _core.read_text_file(os.fspath(source))
        elif isinstance(source, str):
            # JSON text starts with "{" (after blanks); anything else is a path.
            text = source if source.lstrip().startswith("{") else _core.read_text_file(source)
        else:
            raise CaseloadError(
                "invalid_argument", f"scheme: expected a path, JSON text or dict, got {type(source).__name__}"
            )
        return cls(_core.Scheme.from_json(text))

    @classmethod
    def coerce(cls, scheme: Union["Scheme", str, os.PathLike, Mapping[str, Any], None]) -> "Scheme":
        """A Scheme as is; None -> the default scheme; anything else -> from_json()."""
        if scheme is None:
            return cls.default()
        if isinstance(scheme, Scheme):
            return scheme
        return cls.from_json(scheme)

    def to_json(self) -> str:
        """JSON text that :meth:`from_json` reads back into an identical scheme."""
        return self._core.to_json()

    def to_dict(self) -> Dict[str, Any]:
        """The scheme as a dict (the parsed :meth:`to_json`)."""
        return json.loads(self.to_json())

    @property
    def name(self) -> str:
        """The scheme's name."""
        return self._core.name

    @property
    def versions(self) -> pd.DataFrame:
        """One row per version: dates in force, capacity policy and rule counts."""
        rows = []
        for v in self._core.versions:
            cap = v["capacity"]
            rows.append(
                {
                    "version": v["version"],
                    "effective_from": v["effective_from"],
                    "effective_to": v["effective_to"],
                    "capacity_kind": cap["kind"],
                    "target_points": cap["target_points"],
                    "standard_hours": cap["standard_hours"],
                    "round_down": cap["round_down"],
                    "case_types": len(v["case_types"]),
                    "factors": len(v["factors"]),
                    "tasks": len(v["tasks"]),
                    "roles": len(v["roles"]),
                    "service_areas": len(v["service_areas"]),
                }
            )
        return pd.DataFrame(rows)

    def rules(self, kind: str, version: Optional[str] = None) -> pd.DataFrame:
        """The rules of one kind in one version as a DataFrame.

        Args:
            kind: "case_types", "factors", "tasks", "roles" or "service_areas".
            version: a version label; None = the latest version.
        """
        allowed = ("case_types", "factors", "tasks", "roles", "service_areas")
        if kind not in allowed:
            raise CaseloadError("invalid_argument", f"rules: kind must be one of {', '.join(allowed)}, got {kind!r}")
        versions: List[Dict[str, Any]] = self._core.versions
        if not versions:
            return pd.DataFrame()
        if version is None:
            chosen = versions[-1]
        else:
            matches = [v for v in versions if v["version"] == version]
            if not matches:
                raise CaseloadError("not_found", f'scheme "{self.name}": no version "{version}"')
            chosen = matches[0]
        rows = list(chosen[kind])
        if kind == "service_areas":
            rows.append(chosen["default_service_area"])
        return pd.DataFrame(rows)

    def version_at(self, date: Any) -> str:
        """Label of the version in force on a date; CaseloadError(not_found) when none is."""
        return self._core.version_at(date_text(date))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scheme) and self.to_json() == other.to_json()

    def __hash__(self) -> int:
        return hash(self.to_json())

    def __repr__(self) -> str:
        labels = ", ".join(f"{v['version']} from {v['effective_from']}" for v in self._core.versions)
        return f"<caseload.Scheme {self.name!r}: {labels}>"

    def _repr_html_(self) -> str:
        return f"<p><b>Scheme</b> {html.escape(self.name)}</p>" + self.versions.to_html(index=False)
