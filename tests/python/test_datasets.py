"""The synthetic generator and the bundled sample."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import caseload
from caseload import datasets


def test_synthetic_is_deterministic():
    a = datasets.synthetic_authority(seed=7, workers=30, history_weeks=8)
    b = datasets.synthetic_authority(seed=7, workers=30, history_weeks=8)
    c = datasets.synthetic_authority(seed=8, workers=30, history_weeks=8)
    pd.testing.assert_frame_equal(a.workers, b.workers)
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.snapshots, b.snapshots)
    assert not a.cases.equals(c.cases)
    assert a.as_of == dt.date(2024, 3, 31)
    assert "30 workers" in repr(a) or "workers" in repr(a)


def test_synthetic_feeds_a_model():
    a = datasets.synthetic_authority(seed=3, workers=25, history_weeks=6)
    m = caseload.Caseload(None, workers=a.workers, cases=a.cases, as_of=a.as_of)
    assert len(m.loads()) == len(a.workers)
    h = m.exceedance_history(a.snapshots)
    assert h.organisation["workers_observed"] > 0


def test_synthetic_rejects_bad_options():
    with pytest.raises(caseload.CaseloadError):
        datasets.synthetic_authority(workers="many")
    with pytest.raises(caseload.CaseloadError):
        datasets.synthetic_authority(workers=3)  # below the generator's minimum of 10


def test_sample_is_the_seed_1_authority(sample):
    # The bundled CSVs are exactly what scripts/make_sample_data.py writes.
    # When the generator changes on purpose, rerun the script and commit the CSVs.
    opts = datasets.SAMPLE_OPTIONS
    fresh = datasets.synthetic_authority(**opts)
    stale = "bundled sample differs from the generator: run scripts/make_sample_data.py"
    assert sample.as_of == fresh.as_of
    for kind in ("workers", "cases", "snapshots"):
        assert caseload.to_csv(kind, getattr(sample, kind)) == caseload.to_csv(kind, getattr(fresh, kind)), stale


def test_sample_paths_exist():
    import os

    for path in datasets.sample_paths().values():
        assert os.path.exists(path)


def test_authority_repr(sample):
    assert "180 workers" in repr(sample)
    assert "<table" in sample._repr_html_()
