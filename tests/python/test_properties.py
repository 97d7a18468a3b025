"""Hypothesis properties on random small models: the roll-ups add up."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caseload

from conftest import TINY_SCHEME

SCHEME = caseload.Scheme.from_json(TINY_SCHEME)


@st.composite
def small_models(draw):
    n_workers = draw(st.integers(1, 6))
    workers = []
    for i in range(n_workers):
        reductions = []
        if draw(st.booleans()):
            reductions.append({"reason": "cpd", "percent": draw(st.floats(1, 99))})
        workers.append(
            {
                "id": f"W{i}",
                "team": draw(st.sampled_from(["A", "B", "C"])),
                "service_area": draw(st.sampled_from(["cin", "other"])),
                "role": draw(st.sampled_from(["sw", "sw", "asye", "tm"])),
                "contracted_hours": draw(st.floats(1, 60, allow_nan=False)),
                "reductions": reductions,
            }
        )
    cases = []
    for j in range(draw(st.integers(0, 15))):
        mode = draw(st.sampled_from(["one", "one", "two", "none"]))
        if mode == "one":
            alloc = [(f"W{draw(st.integers(0, n_workers - 1))}", 1.0)]
        elif mode == "two" and n_workers >= 2:
            a, b = draw(st.lists(st.integers(0, n_workers - 1), min_size=2, max_size=2, unique=True))
            alloc = [(f"W{a}", 0.5), (f"W{b}", 0.5)]
        else:
            alloc = []
        cases.append(
            {
                "id": f"C{j}",
                "case_type": draw(st.sampled_from(["cin", "cp"])),
                "factors": draw(st.lists(st.sampled_from(["court", "complex"]), unique=True, max_size=2)),
                "open_date": "2024-01-01",
                "team": "A",
                "allocations": alloc,
            }
        )
    return workers, cases


def _model(workers, cases):
    try:
        return caseload.Caseload(SCHEME, workers=workers, cases=cases, as_of="2024-03-31")
    except caseload.CaseloadError as e:
        # Every generated model is valid (an ASYE holding a co-work-only case alone is
        # reported as a breach, not rejected), so any error is a bug.
        pytest.fail(f"valid random model rejected: {e}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_models())
def test_organisation_utilisation_is_sum_points_over_sum_capacity(data):
    m = _model(*data)
    loads = m.loads()
    # Case holders only; the manager role "tm" is reported apart.
    holders, others = loads[loads["case_holding"]], loads[~loads["case_holding"]]
    org = m.rollup("organisation").iloc[0]
    assert org["points"] == pytest.approx(holders["points"].sum(), abs=1e-9)
    assert org["capacity"] == pytest.approx(holders["capacity"].sum(), abs=1e-9)
    assert org["non_case_holding_points"] == pytest.approx(others["points"].sum(), abs=1e-9)
    assert org["non_case_holding_capacity"] == pytest.approx(others["capacity"].sum(), abs=1e-9)
    if org["capacity"] > 0:
        assert org["utilisation"] == pytest.approx(holders["points"].sum() / holders["capacity"].sum())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_models())
def test_rollup_points_sum_to_worker_points(data):
    m = _model(*data)
    total = m.loads()["points"].sum()
    for level in ("team", "service_area"):
        r = m.rollup(level)
        assert r["points"].sum() + r["non_case_holding_points"].sum() == pytest.approx(total, abs=1e-9)
        assert r["workers"].sum() == len(data[0])
    # Every allocated case's points are shared out in full.
    allocated = sum(m.case_points(c["id"]) for c in data[1] if c["allocations"])
    assert total == pytest.approx(allocated, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(small_models(), st.data())
def test_preview_matches_apply(data, draw):
    workers, cases = data
    allocated = [c["id"] for c in cases if c["allocations"]]
    if not allocated:
        return
    cid = draw.draw(st.sampled_from(allocated))
    to = draw.draw(st.sampled_from([w["id"] for w in workers]))
    m = _model(workers, cases)
    before = m.loads()
    try:
        p = m.preview_move(cid, to)
    except caseload.CaseloadError:
        pd.testing.assert_frame_equal(m.loads(), before)
        return
    pd.testing.assert_frame_equal(m.loads(), before)
    m.apply_move(cid, to)
    after = m.loads().set_index("worker_id")
    for row in p.frame.itertuples():
        assert after.loc[row.worker_id, "points"] == pytest.approx(row.after_points)
        assert not math.isnan(row.before_points)
