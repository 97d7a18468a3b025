"""Bad input raises CaseloadError naming the record and field, and changes nothing."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import caseload
from caseload import CaseloadError

from conftest import AS_OF, TINY_SCHEME, tiny_cases, tiny_workers


def build(workers=None, cases=None, scheme=TINY_SCHEME):
    return caseload.Caseload(
        scheme,
        workers=tiny_workers() if workers is None else workers,
        cases=tiny_cases() if cases is None else cases,
        as_of=AS_OF,
    )


def test_bad_role():
    w = tiny_workers()
    w.loc[0, "role"] = "wizard"
    with pytest.raises(CaseloadError) as e:
        build(workers=w)
    assert e.value.code == "not_found"
    assert 'worker "W1"' in e.value.message and "role" in e.value.message and "wizard" in e.value.message


def test_nan_hours():
    w = tiny_workers()
    w.loc[1, "contracted_hours"] = np.nan
    with pytest.raises(CaseloadError, match=r'worker "W2"\): contracted_hours is required') as e:
        build(workers=w)
    assert e.value.code == "parse"


def test_hours_out_of_range():
    w = tiny_workers()
    w.loc[1, "contracted_hours"] = -0.2
    with pytest.raises(CaseloadError, match=r'worker "W2".*contracted_hours') as e:
        build(workers=w)
    assert e.value.code == "invalid_argument"


def test_duplicate_ids():
    w = tiny_workers()
    w.loc[1, "id"] = "W1"
    with pytest.raises(CaseloadError, match=r'worker "W1"') as e:
        build(workers=w)
    assert e.value.code == "duplicate"


def test_unknown_worker_in_allocation():
    c = tiny_cases()
    c.at[0, "allocations"] = "W9"
    with pytest.raises(CaseloadError, match=r'case "C1".*"W9"') as e:
        build(cases=c)
    assert e.value.code == "not_found"


def test_reduction_over_100_percent():
    w = tiny_workers()
    w.at[0, "reductions"] = [{"reason": "secondment", "percent": 120}]
    with pytest.raises(CaseloadError, match=r'worker "W1".*percent') as e:
        build(workers=w)
    assert e.value.code == "invalid_argument"


def test_unknown_column_is_an_error():
    w = tiny_workers().rename(columns={"contracted_hours": "contracted_hrs"})
    with pytest.raises(CaseloadError, match="contracted_hrs"):
        build(workers=w)


def test_malformed_scheme_json():
    with pytest.raises(CaseloadError) as e:
        caseload.Scheme.from_json('{"name": "x", "versions": [')
    assert e.value.code == "parse"
    assert "line 1" in e.value.message


def test_scheme_unknown_key_names_rule(scheme_dict):
    scheme_dict["versions"][0]["roles"][1]["max_case"] = 3
    with pytest.raises(CaseloadError, match=r'role "asye".*max_case'):
        caseload.Scheme.from_json(scheme_dict)


def test_scheme_out_of_range(scheme_dict):
    scheme_dict["versions"][0]["case_types"][0]["base_points"] = -1
    with pytest.raises(CaseloadError, match=r"cin.*base_points") as e:
        caseload.Scheme.from_json(scheme_dict)
    assert e.value.code == "invalid_argument"


def test_malformed_csv(tmp_path):
    p = tmp_path / "workers.csv"
    p.write_text("id,team,role,contracted_hours\nW1,A\n")
    with pytest.raises(CaseloadError, match="line 2") as e:
        caseload.read_workers_csv(p)
    assert e.value.code == "parse"


def test_bad_value_in_csv_names_row_and_field(tmp_path):
    p = tmp_path / "workers.csv"
    p.write_text("id,team,role,contracted_hours\nW1,A,sw,37\nW2,A,sw,lots\n")
    with pytest.raises(CaseloadError, match=r'row 2 \(worker "W2"\): contracted_hours must be a number'):
        caseload.read_workers_csv(p)


def test_missing_file():
    with pytest.raises(CaseloadError) as e:
        caseload.read_cases_csv("/nonexistent/cases.csv")
    assert e.value.code == "io"


def test_unknown_worker_lookups(model):
    with pytest.raises(CaseloadError, match='"W9"'):
        model.breakdown("W9")
    with pytest.raises(CaseloadError):
        model.load("W9")
    with pytest.raises(CaseloadError, match="level"):
        model.rollup(by="region")
    with pytest.raises(CaseloadError, match="worker_id must be text"):
        model.breakdown(1)


def test_failed_changes_leave_model_unchanged(model):
    before = model.loads()
    records = model.case_records()
    with pytest.raises(CaseloadError, match='"W9"'):
        model.apply_move("C1", "W9")
    with pytest.raises(CaseloadError, match='"C99"'):
        model.apply_remove("C99")
    with pytest.raises(CaseloadError):
        model.apply_add({"id": "C1", "case_type": "cin", "open_date": "2024-03-01", "allocations": "W1"})  # duplicate
    with pytest.raises(CaseloadError):
        model.apply_add({"id": "C8", "case_type": "nope", "open_date": "2024-03-01"})
    with pytest.raises(CaseloadError):
        # The first worker is fine, the second is bad: neither is applied.
        model.upsert(
            workers=[
                {"id": "W1", "team": "A", "service_area": "cin", "role": "sw", "contracted_hours": 10},
                {"id": "W8", "team": "A", "service_area": "cin", "role": "wizard", "contracted_hours": 37},
            ]
        )
    with pytest.raises(CaseloadError):
        model.set_as_of("2024-02-30")
    with pytest.raises(CaseloadError):
        model.preview_move("C1", "W9")
    pd.testing.assert_frame_equal(model.loads(), before)
    pd.testing.assert_frame_equal(model.case_records(), records)
    assert model.as_of.isoformat() == AS_OF


def test_error_attributes_and_pickle():
    e = CaseloadError("parse", 'worker "W1": bad')
    assert str(e) == 'worker "W1": bad' and e.code == "parse"
    again = pickle.loads(pickle.dumps(e))
    assert (again.code, again.message) == ("parse", 'worker "W1": bad')
    assert issubclass(CaseloadError, Exception)


def test_bad_as_of_type():
    with pytest.raises(CaseloadError, match="as_of"):
        caseload.Caseload(TINY_SCHEME, workers=tiny_workers(), cases=tiny_cases(), as_of=20240331)
