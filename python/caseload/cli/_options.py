"""CLI flags made from the core's option records (one name per option everywhere).

Each option of a capability (``caseload.option_records``) becomes ``--name-with-dashes``, with
its type, its documented default and range in the help, and None as the parsed default so that an option
left out takes the core's default. Ranges are checked by the core, with the same messages as everywhere.
"""

from __future__ import annotations

import argparse
from typing import Any, Dict, Iterable, Mapping

from .._names import option_records

__all__ = ["add_option_flags", "option_values"]

_TYPES = {"number": float, "optional number": float, "integer": int, "text": str}


def _range(r: Mapping[str, Any]) -> str:
    lo, hi = r.get("min"), r.get("max")
    if lo is None and hi is None:
        return ""
    left = "(" if r.get("min_exclusive") else "["
    right = ")" if r.get("max_exclusive") else "]"
    each = " each" if r["type"] == "list of numbers" else ""
    return f";{each} in {left}{lo if lo is not None else '-inf'}, {hi if hi is not None else 'inf'}{right}"


def add_option_flags(parser: argparse.ArgumentParser, capability: str, skip: Iterable[str] = (),
                     aliases: Mapping[str, str] = {}) -> None:
    """Adds one flag per option record of `capability`; `aliases` maps an option to an old flag kept working.

    Nested options (objects and lists of records) have no flag: they are given in a JSON request.
    """
    for r in option_records(capability):
        name, kind = r["name"], r["type"]
        if name in skip:
            continue
        flags = ["--" + name.replace("_", "-")] + ([aliases[name]] if name in aliases else [])
        default = r["default"]
        if isinstance(default, list):
            default = " ".join(f"{x:g}" if isinstance(x, float) else str(x) for x in default) or "none"
        doc = f"{r['doc']} (default: {'none' if default is None else default}{_range(r)})"
        if r.get("choices"):
            doc += f"; one of {r['choices'].replace('|', ', ')}"
        if kind == "boolean":
            parser.add_argument(*flags, dest=name, default=None, action=argparse.BooleanOptionalAction, help=doc)
        elif kind == "list of text":
            parser.add_argument(*flags, dest=name, default=None, nargs="+", metavar="VALUE", help=doc)
        elif kind == "list of numbers":
            parser.add_argument(*flags, dest=name, default=None, nargs="+", type=float, metavar="X", help=doc)
        elif kind in _TYPES:
            parser.add_argument(*flags, dest=name, default=None, type=_TYPES[kind], metavar=name.upper(), help=doc)


def option_values(args: argparse.Namespace, capability: str) -> Dict[str, Any]:
    """The options given on the command line, by their one name (left-out ones are not included)."""
    return {r["name"]: getattr(args, r["name"]) for r in option_records(capability)
            if getattr(args, r["name"], None) is not None}
