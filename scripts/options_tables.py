"""Writes the options tables in docs/ from the core's option records (one description of each option).

Each table sits between `<!-- options:CAPABILITY -->` and `<!-- /options -->` in a docs page; this script
rewrites what is between the markers from ``caseload.allocation.option_records(CAPABILITY)``. Run it after
changing an option; ``tests/python/test_docs_options.py`` fails while a table is out of date.

    python scripts/options_tables.py          # rewrite the tables
    python scripts/options_tables.py --check  # exit 1 if any table is out of date
"""

from __future__ import annotations

import os
import re
import sys
from typing import Any, Dict, List

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs")
MARKER = re.compile(r"(<!-- options:(\w+) -->\n)(.*?)(<!-- /options -->)", re.S)


def _value(v: Any) -> str:
    if v is None:
        return "unset"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}" if abs(v) >= 10_000 else str(int(v))
    if isinstance(v, list):
        return ", ".join(map(str, v)) if v else "(none)"
    if isinstance(v, dict):
        return "(none)" if not v else ", ".join(f"{k}: {x}" for k, x in v.items())
    return str(v)


def _range(r: Dict[str, Any]) -> str:
    if r.get("choices"):
        return " / ".join(f"`{c}`" for c in r["choices"].split("|"))
    lo, hi = r.get("min"), r.get("max")
    if lo is None and hi is None:
        return ""
    lo_s = _value(lo) if lo is not None else "-inf"
    unbounded = hi is None or hi >= 1e18  # the work budgets' 9e18 is "no upper bound" to a reader
    hi_s = "inf)" if unbounded else ("2^53" if hi == 2.0 ** 53 else _value(hi)) + "]"
    kind = "integer " if r.get("integer") else ""
    return f"{kind}{'(' if r.get('min_exclusive') else '['}{lo_s}, {hi_s}"


def table(records: List[Dict[str, Any]], prefix: str = "") -> List[str]:
    rows = []
    for r in records:
        if r["type"] == "options":
            rows.append(f"| `{prefix}{r['name']}` | options | | | {r['doc']} |")
            rows += table(r["options"], prefix + r["name"] + ".")
        else:
            rows.append(f"| `{prefix}{r['name']}` | {r['type']} | {_value(r['default'])} | {_range(r)} | {r['doc']} |")
    return rows


def render(capability: str) -> str:
    from caseload.allocation import option_records

    head = ["| option | type | default | range | meaning |", "| --- | --- | --- | --- | --- |"]
    return "\n".join(head + table(option_records(capability))) + "\n"


def update(check: bool) -> List[str]:
    stale = []
    for name in sorted(os.listdir(DOCS)):
        if not name.endswith(".md"):
            continue
        path = os.path.join(DOCS, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        new = MARKER.sub(lambda m: m.group(1) + render(m.group(2)) + m.group(4), text)
        if new != text:
            stale.append(name)
            if not check:
                tmp = path + ".tmp"
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(new)
                os.replace(tmp, path)
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    stale = update(check)
    if stale:
        print(("out of date: " if check else "rewrote: ") + ", ".join(stale))
    sys.exit(1 if check and stale else 0)
