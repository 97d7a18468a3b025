"""Known answers on the tiny model, previews, changes and presentation."""

from __future__ import annotations

import pandas as pd
import pytest

import caseload

from conftest import AS_OF, tiny_cases, tiny_workers

# Hand computation (scheme in conftest: 100 points for 37 h, ASYE cap 0.9):
#   C1 cin                      = 10 points        -> W1
#   C2 cin + court, x complex   = (10 + 5) * 1.5 = 22.5 -> W1
#   C3 cp co-worked 0.5/0.5     = 20 -> 10 each to W1 and W2
#   C4 cin + report task (open) = 10 + 4 = 14     -> W2
#   C5 cin                      = 10              -> W3
#   C6 cin unallocated (team B) = 10
# W1: 10 + 22.5 + 10 = 42.5 points; 37 h -> capacity 100; 3 cases
# W2: 10 + 14 = 24 points; 18.5 h -> capacity 50; 2 cases; fte 0.5
# W3: 10 points; 37 h less 10% = 33.3 h -> 100 * 33.3/37 = 90, x 0.9 cap = 81
EXPECTED = {
    "W1": dict(points=42.5, capacity=100.0, cases=3, fte=1.0, available_hours=37.0, headroom=57.5),
    "W2": dict(points=24.0, capacity=50.0, cases=2, fte=0.5, available_hours=18.5, headroom=26.0),
    "W3": dict(points=10.0, capacity=81.0, cases=1, fte=1.0, available_hours=33.3, headroom=71.0),
}


def test_worker_loads_known_answers(model):
    loads = model.loads().set_index("worker_id")
    for wid, exp in EXPECTED.items():
        for field, value in exp.items():
            assert loads.loc[wid, field] == pytest.approx(value), (wid, field)
        assert loads.loc[wid, "utilisation"] == pytest.approx(exp["points"] / exp["capacity"])
    assert list(loads["band"]) == ["green", "green", "green"]
    # Safe benchmark 2 cases per FTE: W1 3/1 and W2 2/0.5 = 4 are over; W3 1/1 is not.
    assert list(loads["over_case_benchmark"]) == [True, True, False]
    assert list(loads["is_asye"]) == [False, False, True]
    assert model.workers().equals(model.loads())


def test_case_points(model):
    assert model.case_points("C2") == pytest.approx(22.5)  # (10 + 5) * 1.5
    assert model.case_points("C3") == pytest.approx(20.0)  # before shares


def test_rollups_known_answers(model):
    org = model.rollup("organisation").iloc[0]
    assert org["points"] == pytest.approx(76.5)  # 42.5 + 24 + 10
    assert org["capacity"] == pytest.approx(231.0)  # 100 + 50 + 81
    assert org["utilisation"] == pytest.approx(76.5 / 231.0)
    assert org["cases"] == 5  # C3 counts once
    assert org["unallocated_cases"] == 1
    assert org["unallocated_points"] == pytest.approx(10.0)
    assert org["case_holding_fte"] == pytest.approx(2.5)
    teams = model.rollup(by="team").set_index("group")
    assert list(teams.index) == ["A", "B"]
    assert teams.loc["A", "points"] == pytest.approx(66.5)
    assert teams.loc["A", "capacity"] == pytest.approx(150.0)
    assert teams.loc["A", "cases"] == 4  # C1..C4
    assert teams.loc["B", "unallocated_cases"] == 1  # C6 is team B's responsibility
    areas = model.rollup("service_area")
    assert list(areas["group"]) == ["cin"]
    assert (org["non_case_holding_points"], org["non_case_holding_capacity"]) == (0, 0)  # no manager here


def test_group_utilisation_is_over_case_holders(scheme):
    # 100 points per 37 h: S1 (7.4 h) has capacity 20, S2 (11.1 h) 30 and the
    # manager M (tm, not case-holding, 3.7 h) 10. S1 holds a cin case (10) with
    # a task given 8 points = 18; S2 a cp case in court (20 + 5 = 25) with an
    # 8-point task = 33. Team utilisation (18 + 33) / (20 + 30) = 51 / 50 =
    # 1.02, not 51 / 60 = 0.85 with the manager's capacity.
    workers = pd.DataFrame(
        {
            "id": ["S1", "S2", "M"],
            "team": ["A", "A", "A"],
            "service_area": ["cin"] * 3,
            "role": ["sw", "sw", "tm"],
            "contracted_hours": [7.4, 11.1, 3.7],
        }
    )
    cases = [
        {"id": "K1", "case_type": "cin", "open_date": "2024-01-01", "allocations": "S1",
         "tasks": [{"type": "report", "points": 8}]},
        {"id": "K2", "case_type": "cp", "open_date": "2024-01-01", "allocations": "S2", "factors": ["court"],
         "tasks": [{"type": "report", "points": 8}]},
    ]
    m = caseload.Caseload(scheme, workers=workers, cases=cases, as_of=AS_OF)
    for level in ("team", "service_area", "organisation"):
        r = m.rollup(level).iloc[0]
        assert r["points"] == pytest.approx(51)
        assert r["capacity"] == pytest.approx(50)
        assert r["utilisation"] == pytest.approx(1.02)
        assert r["non_case_holding_capacity"] == pytest.approx(10)
        assert r["non_case_holding_points"] == 0
        assert r["workers"] == 3 and r["case_holding_workers"] == 2
    # A cin case (10 points) given to the manager is reported apart; the case
    # holders' utilisation does not move.
    m.apply_add({"id": "K3", "case_type": "cin", "open_date": "2024-01-01", "allocations": "M"})
    r = m.rollup("team").iloc[0]
    assert r["utilisation"] == pytest.approx(1.02)
    assert r["non_case_holding_points"] == pytest.approx(10)
    hc = m.health_check()
    assert hc.summary["rollup"]["utilisation"] == pytest.approx(1.02)
    assert "Points held by non-case-holding roles</th><td>10<" in hc._repr_html_()
    assert "non-case-holding roles hold a further 10 points" in hc.to_html()


def test_breakdown_lines_explain_the_figure(model):
    b = model.breakdown("W1")
    assert b.worker_id == "W1"
    assert b.load["points"] == pytest.approx(42.5)
    assert b.scheme_version == "t1"
    c2 = b.lines[b.lines["case_id"] == "C2"]
    assert list(c2["kind"]) == ["case_base", "factor_add", "factor_multiply"]
    assert c2["running_total"].iloc[-1] == pytest.approx(22.5)
    share = b.lines[(b.lines["case_id"] == "C3") & (b.lines["kind"] == "share")]
    assert share["running_total"].iloc[0] == pytest.approx(10.0)
    assert "W1" in repr(b) and "<table" in b._repr_html_()


def test_preview_does_not_change_the_model(model):
    before = model.loads()
    p = model.preview_move("C1", to_worker="W2")
    pd.testing.assert_frame_equal(model.loads(), before)
    f = p.frame.set_index("worker_id")
    assert sorted(f.index) == ["W1", "W2"]
    # C1 (10 points) leaves W1 and joins W2.
    assert f.loc["W1", "after_points"] == pytest.approx(32.5)
    assert f.loc["W2", "after_points"] == pytest.approx(34.0)
    assert f.loc["W2", "before_points"] == pytest.approx(24.0)
    assert p.workers == list(p.frame["worker_id"])

    p = model.preview_remove("C4")
    assert p.frame.set_index("worker_id").loc["W2", "after_points"] == pytest.approx(10.0)
    new = {"id": "C9", "case_type": "cp", "open_date": "2024-03-30", "allocations": [("W1", 0.5), ("W3", 0.5)]}
    p = model.preview_add(new)
    f = p.frame.set_index("worker_id")
    assert f.loc["W3", "after_points"] == pytest.approx(20.0)  # 10 + 20 * 0.5
    pd.testing.assert_frame_equal(model.loads(), before)
    assert "C9" in repr(p) and "<table" in p._repr_html_()


def test_apply_changes(model):
    model.apply_move("C1", "W2")
    assert model.load("W2")["points"] == pytest.approx(34.0)
    model.apply_remove("C1")
    assert model.load("W2")["points"] == pytest.approx(24.0)
    model.apply_add({"id": "C9", "case_type": "cin", "open_date": "2024-03-30", "allocations": "W3"})
    assert model.load("W3")["points"] == pytest.approx(20.0)


def test_upsert_replaces_and_adds(model):
    model.upsert(workers=[{"id": "W2", "team": "A", "service_area": "cin", "role": "sw", "contracted_hours": 37}])
    assert model.load("W2")["capacity"] == pytest.approx(100.0)
    model.upsert(cases=[{"id": "C7", "case_type": "cin", "open_date": "2024-03-01", "allocations": "W2"}])
    assert model.load("W2")["points"] == pytest.approx(34.0)


def test_set_as_of_expires_tasks(model):
    model.set_as_of("2024-05-01")  # the report on C4 was due 2024-04-30
    assert model.as_of.isoformat() == "2024-05-01"
    assert model.load("W2")["points"] == pytest.approx(20.0)


def test_snapshot_rows(model):
    s = model.snapshot()
    assert list(s["worker_id"]) == ["W1", "W2", "W3"]
    assert set(s["date"]) == {AS_OF}
    assert s["utilisation"].tolist() == pytest.approx([0.425, 0.48, 10 / 81])


def test_reprs(model, scheme):
    assert "3 workers" in repr(model) and "6 cases" in repr(model)
    assert "<table" in model._repr_html_()
    assert "tiny" in repr(scheme) and "<table" in scheme._repr_html_()


def test_scheme_round_trip(scheme):
    again = caseload.Scheme.from_json(scheme.to_json())
    assert again == scheme
    assert scheme.versions["version"].tolist() == ["t1"]
    assert scheme.version_at("2024-01-01") == "t1"
    assert set(scheme.rules("case_types")["name"]) == {"cin", "cp"}


def test_scheme_from_path(tmp_path, scheme):
    p = tmp_path / "s.json"
    p.write_text(scheme.to_json())
    assert caseload.Scheme.from_json(p) == scheme
    assert caseload.Scheme.from_json(str(p)) == scheme


def test_default_scheme_has_versions():
    s = caseload.Scheme.default()
    assert len(s.versions) >= 1
    assert caseload.Scheme.from_json(s.to_json()) == s


def test_plot_loads(model):
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    ax = model.plot_loads()
    assert len(ax.patches) == 3


def test_versions():
    assert caseload.__version__ == "0.1.0"
    assert caseload.core_version() == caseload.__version__


def test_concurrent_reads_agree(sample):
    # Reads release the GIL and run in parallel; each must see the same figures.
    from concurrent.futures import ThreadPoolExecutor

    m = caseload.Caseload(None, workers=sample.workers, cases=sample.cases, as_of=sample.as_of)
    expected = m.rollup("team")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: m.rollup("team"), range(8)))
    for r in results:
        pd.testing.assert_frame_equal(r, expected)
