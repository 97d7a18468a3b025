#!/usr/bin/env python3
"""Regenerates the bundled sample authority (python/caseload/data/sample/*.csv).

The sample is the C++ generator's authority for caseload.datasets.SAMPLE_OPTIONS
(seed 1, 180 workers, as of 2024-03-31, 60 weeks of history), written by the
core's CSV writers. Run after changing the generator:

    python scripts/make_sample_data.py
"""

from __future__ import annotations

import json
import pathlib

from caseload import _core
from caseload.datasets import SAMPLE_OPTIONS

OUT = pathlib.Path(__file__).resolve().parent.parent / "python" / "caseload" / "data" / "sample"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    o = SAMPLE_OPTIONS
    workers, cases, snapshots = _core.synthetic_authority_csv(o["seed"], o["workers"], o["as_of"], o["history_weeks"])
    for name, text in (("workers", workers), ("cases", cases), ("snapshots", snapshots)):
        (OUT / f"{name}.csv").write_text(text, encoding="utf-8", newline="")
    (OUT / "meta.json").write_text(json.dumps(dict(o, generator="caseload synthetic_authority"), indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
