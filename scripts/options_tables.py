"""Writes the options tables in docs/ from the core's option records (one description of each option).

Each table sits between `<!-- options:CAPABILITY -->` and `<!-- /options -->` in a docs page; this script
rewrites what is between the markers from ``caseload.option_records(CAPABILITY)``. Run it after
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


def _value(v: Any, required: bool = False) -> str:
    if required:
        return ""
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
    rules = []
    lo, hi = r.get("min"), r.get("max")
    if lo is not None or hi is not None:
        lo_s = _value(lo) if lo is not None else "-inf"
        unbounded = hi is None or hi >= 1e18  # the work budgets' 9e18 is "no upper bound" to a reader
        close = ")" if unbounded or r.get("max_exclusive") else "]"
        hi_s = "inf" if unbounded else ("2^53" if hi == 2.0 ** 53 else _value(hi))
        kind = "integer " if r.get("integer") else ""
        each = "each " if r["type"] == "list of numbers" else ""
        rules.append(f"{each}{kind}{'(' if r.get('min_exclusive') else '['}{lo_s}, {hi_s}{close}")
    if r.get("choices"):
        rules.append(" / ".join(f"`{c}`" for c in r["choices"].split("|")))
    if r.get("required"):
        rules.append("required")
    if r.get("max_items"):
        rules.append(f"at most {_value(r['max_items'])}")
    if r.get("increasing"):
        rules.append("increasing")
    return ", ".join(rules)


def table(records: List[Dict[str, Any]], prefix: str = "") -> List[str]:
    rows = []
    for r in records:
        if "options" in r:  # nested: an object of options, or a list of records ("[]" in the path)
            many = r["type"].startswith("list of")
            rows.append(f"| `{prefix}{r['name']}` | {r['type']} | | {_range(r)} | {r['doc']} |")
            rows += table(r["options"], prefix + r["name"] + ("[]." if many else "."))
        else:
            rows.append(f"| `{prefix}{r['name']}` | {r['type']} | {_value(r['default'], r.get('required', False))} | {_range(r)} | {r['doc']} |")
    return rows


def render(capability: str) -> str:
    from caseload import option_records

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
