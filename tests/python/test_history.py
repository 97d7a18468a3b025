"""Exceedance history from hand-made snapshots."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import caseload

from conftest import TINY_SCHEME, tiny_workers

WEEKS = ["2024-01-07", "2024-01-14", "2024-01-21", "2024-01-28", "2024-02-04"]


def snapshots():
    rows = []
    # W1: over 110% (cin's excessive level) for 4 weeks running, then under: one episode.
    for d, u in zip(WEEKS, [1.2, 1.3, 1.15, 1.25, 0.9]):
        rows.append({"date": d, "worker_id": "W1", "utilisation": u})
    # W2: over for only 3 weeks: no episode with min_consecutive=4.
    for d, u in zip(WEEKS, [1.2, 1.2, 1.2, 0.5, 0.5]):
        rows.append({"date": d, "worker_id": "W2", "utilisation": u})
    # W3: over every time, but 2024-01-21 is missing, so the 14-day gap breaks the run.
    for d in ["2024-01-07", "2024-01-14", "2024-01-28", "2024-02-04"]:
        rows.append({"date": d, "worker_id": "W3", "utilisation": 1.5})
    return pd.DataFrame(rows)


def test_episodes_known_answers(model):
    h = model.exceedance_history(snapshots(), min_consecutive=4)
    assert list(h.episodes["worker_id"]) == ["W1"]
    ep = h.episodes.iloc[0]
    assert ep["start"] == pd.Timestamp("2024-01-07") and ep["end"] == pd.Timestamp("2024-01-28")
    assert ep["snapshots"] == 4
    assert ep["length_days"] == 22  # 7 Jan .. 28 Jan inclusive
    assert ep["peak"] == pytest.approx(1.3)
    assert not ep["ongoing"]
    org = h.organisation
    assert org["workers_observed"] == 3 and org["workers_with_episode"] == 1
    assert (h.start, h.end) == (dt.date(2024, 1, 7), dt.date(2024, 2, 4))
    assert "1 episodes" in repr(h) and "<table" in h._repr_html_()
    assert h.summary["level"].iloc[0] == "organisation"


def test_rule_parameters(model):
    # Two weeks in a row is enough: W2 (3 weeks) and W3 (2 + 2 weeks around the gap) now count.
    h = model.exceedance_history(snapshots(), min_consecutive=2)
    assert h.episodes["worker_id"].tolist() == ["W1", "W2", "W3", "W3"]
    # A 14-day gap allowed: W3's run is unbroken (4 snapshots).
    h = model.exceedance_history(snapshots(), min_consecutive=4, max_gap_days=14)
    assert h.episodes["worker_id"].tolist() == ["W1", "W3"]
    # A higher threshold: only W3 (150%) and W1's weeks above 1.2.
    h = model.exceedance_history(snapshots(), threshold=1.4, min_consecutive=2, max_gap_days=14)
    assert h.episodes["worker_id"].tolist() == ["W3"]
    assert h.threshold == pytest.approx(1.4)


def test_window(model):
    h = model.exceedance_history(snapshots(), min_consecutive=4, start="2024-01-14", end=dt.date(2024, 2, 4))
    assert h.episodes.empty  # W1 has only 3 weeks over inside the window
    assert h.start == dt.date(2024, 1, 14)


def test_module_function_without_model():
    h = caseload.exceedance_history(TINY_SCHEME, tiny_workers(), snapshots(), min_consecutive=4)
    assert h.episodes["worker_id"].tolist() == ["W1"]
    assert h.episodes["team"].tolist() == ["A"]  # from the worker records


def test_bad_snapshot_names_row(model):
    s = snapshots()
    s.loc[2, "utilisation"] = float("nan")
    with pytest.raises(caseload.CaseloadError, match="utilisation"):
        model.exceedance_history(s)
    s = snapshots()
    s.loc[1, "date"] = s.loc[0, "date"]  # W1 twice on one date
    with pytest.raises(caseload.CaseloadError, match="W1"):
        model.exceedance_history(s)
