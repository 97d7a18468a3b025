"""DataFrames <-> the core's tables: encodings and round trips."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import caseload
from caseload import _core
from caseload._frames import frame_to_columns

from conftest import AS_OF, tiny_cases, tiny_workers


def normalised(kind, frame):
    fn = {"workers": _core.normalize_workers, "cases": _core.normalize_cases, "snapshots": _core.normalize_snapshots}
    return pd.DataFrame(fn[kind](frame_to_columns(frame, kind)))


def test_python_lists_become_csv_encodings(model):
    w = model.worker_records().set_index("id")
    assert w.loc["W1", "skills"] == "welsh;court"
    assert w.loc["W2", "skills"] == ""
    assert w.loc["W3", "reductions"] == "asye_development:10%::"
    assert w.loc["W1", "start_date"] == "2015-01-05"  # Timestamp -> date text
    assert w.loc["W2", "agency"] == "true"  # bool column -> true/false
    c = model.case_records().set_index("id")
    assert c.loc["C2", "factors"] == "court;complex"
    assert c.loc["C3", "allocations"] == "W1:0.5;W2:0.5"  # [(w, share), ...]
    assert c.loc["C5", "allocations"] == "W3"  # {w: 1.0}; the core writes a whole share as the bare id
    assert c.loc["C6", "allocations"] == ""  # [] = unallocated
    assert c.loc["C4", "tasks"] == "report:2024-04-30"


@pytest.mark.parametrize("kind,make", [("workers", tiny_workers), ("cases", tiny_cases)])
def test_round_trip_through_core_is_stable(kind, make):
    once = normalised(kind, make())
    twice = normalised(kind, once)
    pd.testing.assert_frame_equal(once, twice)
    assert list(once["id"]) == list(make()["id"])


def test_workers_round_trip_csv(tmp_path, model):
    records = model.worker_records()
    path = tmp_path / "workers.csv"
    path.write_text(caseload.to_csv("workers", records))
    back = caseload.read_workers_csv(path)
    pd.testing.assert_frame_equal(records, back)


def test_cases_round_trip_csv(tmp_path, model):
    records = model.case_records()
    path = tmp_path / "cases.csv"
    path.write_text(caseload.to_csv("cases", records))
    pd.testing.assert_frame_equal(records, caseload.read_cases_csv(path))


def test_numeric_columns_cross_as_float64():
    cols = frame_to_columns(tiny_workers(), "workers")
    assert isinstance(cols["contracted_hours"], np.ndarray)
    assert cols["contracted_hours"].dtype == np.float64
    assert cols["id"] == ["W1", "W2", "W3"]


def test_integer_and_object_numeric_columns_are_accepted(scheme):
    w = tiny_workers()
    w["contracted_hours"] = pd.Series([37, 18, 37], dtype="int64")
    a = caseload.Caseload(scheme, workers=w, cases=tiny_cases(), as_of=AS_OF).loads()
    w["contracted_hours"] = pd.Series([37, 18.5, None], dtype=object)
    with pytest.raises(caseload.CaseloadError, match=r'worker "W3"\): contracted_hours is required'):
        caseload.Caseload(scheme, workers=w, cases=tiny_cases(), as_of=AS_OF)
    # 18 h of 37 is 18/37 FTE: capacity 100 * 18 / 37.
    assert a.loc[1, "capacity"] == pytest.approx(100 * 18 / 37)


def test_records_as_list_of_dicts(scheme):
    workers = tiny_workers().to_dict("records")
    cases = tiny_cases().to_dict("records")
    a = caseload.Caseload(scheme, workers=workers, cases=cases, as_of=AS_OF).loads()
    b = caseload.Caseload(scheme, workers=tiny_workers(), cases=tiny_cases(), as_of=AS_OF).loads()
    pd.testing.assert_frame_equal(a, b)


def test_id_as_index_is_accepted(scheme):
    w = tiny_workers().set_index("id")
    m = caseload.Caseload(scheme, workers=w, cases=tiny_cases(), as_of=AS_OF)
    assert list(m.loads()["worker_id"]) == ["W1", "W2", "W3"]


def test_separators_in_names_are_escaped(scheme):
    w = tiny_workers()
    w.at[0, "skills"] = ["sign language; BSL", "a:b"]
    m = caseload.Caseload(scheme, workers=w, cases=tiny_cases(), as_of=AS_OF)
    assert m.worker_records().loc[0, "skills"] == "sign language\\; BSL;a\\:b"


@pytest.mark.parametrize("as_of", ["2024-03-31", dt.date(2024, 3, 31), dt.datetime(2024, 3, 31, 17, 5),
                                   pd.Timestamp("2024-03-31"), np.datetime64("2024-03-31")])
def test_as_of_accepts_date_types(scheme, as_of):
    m = caseload.Caseload(scheme, workers=tiny_workers(), cases=tiny_cases(), as_of=as_of)
    assert m.as_of == dt.date(2024, 3, 31)


def test_as_of_none_is_today(scheme):
    m = caseload.Caseload(scheme, workers=tiny_workers(), cases=tiny_cases())
    assert m.as_of == dt.date.today()


def test_bad_cell_type_names_record_and_field(scheme):
    c = tiny_cases()
    c.at[1, "allocations"] = [("W1", 0.5, "extra")]
    with pytest.raises(caseload.CaseloadError, match=r'case "C2" \(row 2\): allocations'):
        caseload.Caseload(scheme, workers=tiny_workers(), cases=c, as_of=AS_OF)


def test_read_snapshots_csv(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("date,worker_id,utilisation\n2024-01-07,W1,1.2\n2024-01-14,W1,0.9\n")
    s = caseload.read_snapshots_csv(p)
    assert list(s["worker_id"]) == ["W1", "W1"]
    assert s["utilisation"].tolist() == [1.2, 0.9]
