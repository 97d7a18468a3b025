"""One Python boundary: the core publishes the record tables' schema, encodes list cells given as Python values,
and reads published figures from columns exactly as from CSV."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import caseload
from caseload import CaseloadError, _core, _frames

from conftest import AS_OF, tiny_cases, tiny_workers

KINDS = ("workers", "cases", "snapshots")
NORMALIZE = {"workers": _core.normalize_workers, "cases": _core.normalize_cases, "snapshots": _core.normalize_snapshots}
SAMPLE = {"number": 1.0, "text": "x", "date": "2024-01-01", "list": "", "boolean": "true"}


def _one_row(kind, columns):
    return {c["name"]: ([SAMPLE[c["type"]]] if c["type"] != "number" else np.array([1.0])) for c in columns}


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_what_the_core_reads(kind):
    schema = _core.record_schema(kind)
    assert {c["type"] for c in schema} <= set(SAMPLE)
    assert all(c["doc"] for c in schema)
    # The normal form has exactly the schema's columns, in order.
    assert list(NORMALIZE[kind](_one_row(kind, schema))) == [c["name"] for c in schema]
    for c in schema:
        without = _one_row(kind, [d for d in schema if d is not c])
        if c["required"]:
            with pytest.raises(CaseloadError, match=f'missing required column "{c["name"]}"'):
                NORMALIZE[kind](without)
        else:
            assert len(NORMALIZE[kind](without)[schema[0]["name"]]) == 1
    with pytest.raises(CaseloadError, match="not_a_column"):
        NORMALIZE[kind]({**_one_row(kind, schema), "not_a_column": ["x"]})


def test_frames_derive_their_columns_from_the_schema():
    for kind in KINDS:
        schema = _core.record_schema(kind)
        assert _frames._EMPTY[kind] == tuple(c["name"] for c in schema if c["required"])
        assert _frames._NUMERIC[kind] == {c["name"] for c in schema if c["type"] == "number"}
        assert _frames._DATES[kind] == {c["name"] for c in schema if c["type"] == "date"}
    assert _frames._LISTS["workers"] == {"skills", "reductions"}
    assert _frames._LISTS["cases"] == {"factors", "allocations", "tasks"}
    with pytest.raises(CaseloadError, match='unknown kind "staff"'):
        _core.record_schema("staff")


def test_list_cells_as_python_values_give_the_model_of_their_text(scheme):
    w, c = tiny_workers(), tiny_cases()
    w.at[1, "reductions"] = [("union", "3.7h", dt.date(2024, 1, 1), None)]
    c.at[3, "tasks"] = [{"type": "report", "due": dt.date(2024, 4, 30), "points": np.int64(6)}, ("report", "2024-05-02")]
    c.at[4, "allocations"] = [{"worker_id": "W3", "share": 0.5}, ["W2", 0.5]]
    values = caseload.Caseload(scheme, workers=w, cases=c, as_of=AS_OF)
    text_w, text_c = w.copy(), c.copy()
    text_w["skills"] = ["welsh;court", "", "urdu"]
    text_w["reductions"] = ["", "union:3.7h:2024-01-01:", "asye_development:10%::"]
    text_c["factors"] = ["", "court;complex", "", "", "", ""]
    text_c["allocations"] = ["W1", "W1", "W1:0.5;W2:0.5", "W2", "W3:0.5;W2:0.5", ""]
    text_c["tasks"] = ["", "", "", "report:2024-04-30:6;report:2024-05-02", "", ""]
    text = caseload.Caseload(scheme, workers=text_w, cases=text_c, as_of=AS_OF)
    pd.testing.assert_frame_equal(values.worker_records(), text.worker_records())
    pd.testing.assert_frame_equal(values.case_records(), text.case_records())
    pd.testing.assert_frame_equal(values.loads(), text.loads())
    # Records as dicts, and the raw=False path the other readers take, agree.
    as_dicts = caseload.Caseload(scheme, workers=w.to_dict("records"), cases=c.to_dict("records"), as_of=AS_OF)
    pd.testing.assert_frame_equal(as_dicts.case_records(), text.case_records())
    assert _frames.frame_to_columns(c, "cases")["allocations"] == list(text_c["allocations"])


@pytest.mark.parametrize(
    "kind, field, value, message",
    [
        ("workers", "reductions", [{"reason": "cpd"}], r'worker "W1" \(row 1\): reductions\[0\]: exactly one of percent'),
        ("workers", "reductions", [{"reason": "cpd", "percent": 5, "colour": "red"}],
         r'worker "W1" \(row 1\): reductions\[0\].*"colour"'),
        ("workers", "skills", [1, 2], r'worker "W1" \(row 1\): skills\[0\] must be a string, got number'),
        ("workers", "skills", [{1, 2}], r'worker "W1" \(row 1\): skills: unsupported value of type set'),
        ("cases", "allocations", [("W1", 0.5, "extra")], r'case "C1" \(row 1\): allocations\[0\] must be'),
        ("cases", "allocations", {"W1": "half"}, r'case "C1" \(row 1\): allocations: the share of "W1" must be a number'),
        ("cases", "tasks", [{"type": "report", "due": "30/04/2024"}], r'case "C1" \(row 1\): tasks\[0\]: due'),
    ],
)
def test_bad_list_cell_names_record_and_field(scheme, kind, field, value, message):
    w, c = tiny_workers(), tiny_cases()
    frame = w if kind == "workers" else c
    frame[field] = frame[field].astype(object)
    frame.at[0, field] = value
    with pytest.raises(CaseloadError, match=message):
        caseload.Caseload(scheme, workers=w, cases=c, as_of=AS_OF)


def test_bad_list_cell_without_id_names_the_row():
    with pytest.raises(CaseloadError, match=r"^case row 2: tasks\[0\]: type must be a string"):
        _core.encode_list_cells("cases", "tasks", ["", [{"type": 3}]], [None, np.nan])
    assert _core.encode_list_cells("cases", "factors", ["a;b", None, np.nan, ["c", "d:e"]]) == ["a;b", "", "", "c;d\\:e"]


# ---- published figures: a DataFrame crosses as columns, read as a CSV file is ---------------------------------


def _figures():
    return pd.DataFrame(
        {
            "organisation": ["C", "A", "B", "Sparse"],
            "service_area": ["children", None, "adults", ""],
            "case_holding_fte": [1000.0, 1000.0, 1000.0, np.nan],
            "cases": pd.Series([24000, 12000, 16000, None], dtype="Int64"),
            "average_caseload": [np.nan, np.nan, np.nan, 14.0],
            "stated_benchmark": [20, 15, 16, None],
            "benchmark_contractual": [True, False, None, "no"],
            "workers": [1000, 1000, 1000, np.nan],
            "workers_over_benchmark": [600, 100, 300, np.nan],
            "exceedance_weeks_past_year": ["52", 0, "n/a", None],
            "vacancy_rate": [0.3, 0.1, 0.2, np.nan],
            "asye_workers": np.array([1000, 1000, 1000, 0], dtype=np.int32),
            "asye_protected": [200, 1000, 500, 0],
        }
    )


def test_league_dataframe_and_its_csv_file_give_the_same_table(tmp_path):
    frame = _figures()
    path = tmp_path / "figures.csv"
    frame.to_csv(path, index=False)
    from_file = caseload.league_table(str(path), seed=2, draws=200)
    from_frame = caseload.league_table(frame, seed=2, draws=200)
    assert from_frame.to_json() == from_file.to_json()
    # A list of row dicts is the same table.
    rows = caseload.league_table(frame.to_dict("records"), seed=2, draws=200)
    assert rows.to_json() == from_file.to_json()
    from caseload.league import _collect

    sources, _ = _collect(frame)
    assert isinstance(sources[0], dict) and sources[0]["case_holding_fte"].dtype == np.float64


def test_league_numeric_organisation_codes_are_names(tmp_path):
    frame = _figures().iloc[:3].copy()
    frame["organisation"] = [301, 302, 303]
    path = tmp_path / "codes.csv"
    frame.to_csv(path, index=False)
    a = caseload.league_table(frame, seed=1, draws=100)
    assert a.to_json() == caseload.league_table(str(path), seed=1, draws=100).to_json()
    assert sorted(a.table["organisation"]) == ["301", "302", "303"]


def test_league_bad_cells_name_row_organisation_and_field():
    frame = _figures()
    frame.loc[1, "vacancy_rate"] = np.inf
    with pytest.raises(CaseloadError, match=r'row 2, organisation "A".*: vacancy_rate must be finite'):
        caseload.league_table(frame)
    frame = _figures().astype({"workers": object})
    frame.at[0, "workers"] = "lots"
    with pytest.raises(CaseloadError, match=r'row 1, organisation "C".*workers must be a number, got "lots"'):
        caseload.league_table(frame)
