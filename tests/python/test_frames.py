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


# ---- the bulk path: object arrays and datetime64 straight into the core ------


def test_raw_columns_are_the_frames_own_arrays():
    w = tiny_workers()[["id", "team", "service_area", "role", "contracted_hours"]].astype({"id": "str"})
    cols = frame_to_columns(w, "workers", raw=True)
    assert isinstance(cols["id"], np.ndarray) and cols["id"].dtype == object
    assert np.shares_memory(cols["id"], w["id"].array._ndarray)  # no copy of a str column
    assert frame_to_columns(w, "workers")["id"] == ["W1", "W2", "W3"]  # lists for the other readers


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, pd.NaT])
def test_missing_text_cells_in_bulk_equal_empty_text(scheme, missing):
    # The core reads None, NaN, pandas.NA and NaT in a text column as "", so
    # the model equals the one built from "" cells.
    c = tiny_cases()
    c["family_id"] = c["family_id"].astype(object)
    c.at[3, "family_id"] = missing
    m = caseload.Caseload(scheme, workers=tiny_workers(), cases=c, as_of=AS_OF)
    expected = tiny_cases()
    expected.at[3, "family_id"] = ""
    e = caseload.Caseload(scheme, workers=tiny_workers(), cases=expected, as_of=AS_OF)
    pd.testing.assert_frame_equal(m.case_records(), e.case_records())
    assert m.case_records().loc[3, "family_id"] == ""


def test_datetime64_dates_cross_in_bulk(scheme):
    # open_date 2024-01-01 ... as datetime64[ns] (and one as NaT for a worker's
    # optional start_date) give the same records as the text dates.
    c = tiny_cases()
    c["open_date"] = pd.to_datetime(c["open_date"])
    w = tiny_workers()
    w["start_date"] = pd.to_datetime(pd.Series(["2015-01-05", None, "2023-09-01"]))
    assert frame_to_columns(c, "cases", raw=True)["open_date"].dtype.kind == "M"
    m = caseload.Caseload(scheme, workers=w, cases=c, as_of=AS_OF)
    e = caseload.Caseload(scheme, workers=tiny_workers(), cases=tiny_cases(), as_of=AS_OF)
    pd.testing.assert_frame_equal(m.case_records(), e.case_records())
    pd.testing.assert_frame_equal(m.worker_records(), e.worker_records())
    assert list(m.worker_records()["start_date"]) == ["2015-01-05", "", "2023-09-01"]
    # A datetime64 the core cannot hold as YYYY-MM-DD is rejected by the core's
    # date parser, naming the record and the field.
    c = tiny_cases()
    c["open_date"] = np.array(["2024-01-01", "10000-01-01", "2024-03-01", "2024-03-01", "2024-03-10", "2024-03-21"],
                              dtype="datetime64[D]")
    with pytest.raises(caseload.CaseloadError, match=r'row 2 \(case "C2"\): open_date must be a date'):
        caseload.Caseload(scheme, workers=tiny_workers(), cases=c, as_of=AS_OF)
    # A bad date given as text still names the record and the field.
    c = tiny_cases()
    c.at[1, "open_date"] = "2024-02-30"
    with pytest.raises(caseload.CaseloadError, match=r'row 2 \(case "C2"\): open_date must be a date YYYY-MM-DD'):
        caseload.Caseload(scheme, workers=tiny_workers(), cases=c, as_of=AS_OF)


def test_non_text_cell_in_an_object_array_names_the_row(scheme):
    # Straight into the core (the package would encode the int first).
    workers = {"id": np.array(["W1", 5], dtype=object), "team": ["A", "A"], "role": ["sw", "sw"],
               "contracted_hours": np.array([37.0, 37.0])}
    with pytest.raises(caseload.CaseloadError, match=r'workers row 2: column "id" must hold text, got int'):
        _core.Model(scheme._core, workers, {}, AS_OF)
    assert _core.is_text_column(np.array(["a", None, np.nan, pd.NA], dtype=object))
    assert not _core.is_text_column(np.array(["a", 5], dtype=object))
    assert not _core.is_text_column(np.array([1.0, 2.0]))  # not an object array


def test_non_ascii_text_crosses_in_bulk(scheme):
    # ASCII cells are read in place; others through their UTF-8 form.
    w = tiny_workers()
    w["team"] = pd.Series(["Équipe Nord", "Équipe Nord", "Øst"], dtype="str")
    m = caseload.Caseload(scheme, workers=w, cases=tiny_cases(), as_of=AS_OF)
    assert list(m.loads()["team"]) == ["Équipe Nord", "Équipe Nord", "Øst"]
    # Sorted by UTF-8 bytes; team B holds the unallocated case C6.
    assert list(m.rollup("team")["group"]) == ["B", "Équipe Nord", "Øst"]


def test_categorical_text_columns_cross_in_bulk(scheme):
    # A categorical column of names (with a missing cell) reads as its text.
    w = tiny_workers()
    w["team"] = w["team"].astype("category")
    c = tiny_cases()
    c["team"] = pd.Categorical(["", None, "", "", "", "B"])
    assert isinstance(frame_to_columns(w, "workers", raw=True)["team"], np.ndarray)
    m = caseload.Caseload(scheme, workers=w, cases=c, as_of=AS_OF)
    e = caseload.Caseload(scheme, workers=tiny_workers(), cases=tiny_cases(), as_of=AS_OF)
    pd.testing.assert_frame_equal(m.loads(), e.loads())
    pd.testing.assert_frame_equal(m.case_records(), e.case_records())
