"""Allocation and the general GAP solver: properties on random instances, known answers, errors."""

from __future__ import annotations

import itertools
import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import caseload
from caseload import CaseloadError

# Default scheme facts used below (data/default_scheme.json): roles social_worker (cap 1) and asye (cap 0.9,
# max 12 cases); case types read from the scheme so the tests follow its points.
SCHEME = caseload.Scheme.default()
AS_OF = "2024-03-31"
TYPES = ["child_in_need", "child_protection", "looked_after", "care_leaver", "assessment"]


def _model(worker_rows, case_rows):
    return caseload.Caseload(SCHEME, workers=worker_rows, cases=case_rows or None, as_of=AS_OF)


def _points(model, case_type):
    m = caseload.Caseload(
        SCHEME,
        workers=[],
        cases=[{"id": "P", "case_type": case_type, "open_date": "2024-01-01", "team": "T"}],
        as_of=AS_OF,
    )
    return m.case_points("P")


POINTS = {t: _points(None, t) for t in TYPES}
_TYPES = SCHEME.rules("case_types")
COWORK_ONLY = dict(zip(_TYPES["name"], _TYPES["asye_cowork_only"].astype(bool)))


@st.composite
def instances(draw, max_workers=4, max_cases=6):
    n_w = draw(st.integers(1, max_workers))
    workers, held = [], []
    for i in range(n_w):
        role = draw(st.sampled_from(["social_worker", "social_worker", "asye"]))
        workers.append({
            "id": f"W{i}", "team": draw(st.sampled_from(["T1", "T2"])), "service_area": "children_in_need",
            "role": role, "contracted_hours": float(draw(st.sampled_from([18.5, 30.0, 37.0]))),
            "experience_years": float(draw(st.integers(0, 6))), "skills": draw(st.sampled_from(["", "court", "court;bsl"])),
        })
        for k in range(draw(st.integers(0, 10))):
            held.append({"id": f"H{i}_{k}", "case_type": "child_in_need", "open_date": "2024-01-01",
                         "allocations": f"W{i}"})
    n_c = draw(st.integers(0, max_cases))
    rows = []
    for j in range(n_c):
        row = {"id": f"N{j}", "case_type": draw(st.sampled_from(TYPES)), "open_date": "2024-03-30", "team": "T1",
               "priority": float(draw(st.sampled_from([1, 2, 3, 0.5]))),
               "min_experience_years": float(draw(st.sampled_from([0, 0, 2, 5]))),
               "required_skills": draw(st.sampled_from(["", "", "court", "bsl"])),
               "required_team": draw(st.sampled_from(["", "", "T1"])),
               "excluded_workers": draw(st.sampled_from(["", "", "W0"]))}
        rows.append(row)
    cap = draw(st.sampled_from([None, None, 0.6, 0.9, 1.2]))
    return workers, held, rows, cap


def _rules_ok(model, workers, rows, plan, cap):
    loads = model.loads().set_index("worker_id")
    wrec = {w["id"]: w for w in workers}
    amber = 1.0
    for _, a in plan.assignments.iterrows():
        row = next(r for r in rows if r["id"] == a["case_id"])
        if a["worker_id"] is None:
            assert a["reason"] in ("no_eligible_worker", "eligible_workers_full", "displaced")
            continue
        w = wrec[a["worker_id"]]
        assert w["experience_years"] >= row["min_experience_years"]
        if row["required_skills"]:
            assert row["required_skills"] in w["skills"].split(";")
        if row["required_team"]:
            assert w["team"] == row["required_team"]
        assert a["worker_id"] not in row["excluded_workers"].split(";")
        if w["role"] == "asye":
            assert not COWORK_ONLY.get(row["case_type"], False)
    for _, w in plan.workers.iterrows():
        limit = (cap if cap is not None else amber) * w["capacity"]
        if w["new_cases"]:
            assert w["points_after"] <= limit + 1e-6
            if w["role"] == "asye":
                assert w["cases_after"] <= 12


def _greedy_value(model, workers, rows, cap):
    """Independent greedy: by priority (then points) to the fitting eligible worker with the lowest load after."""
    plan = caseload.allocate(model, pd.DataFrame(rows), utilisation_cap=cap, work_limit=0)
    return plan.objective["value"]


def _brute_force(model, workers, rows, cap):
    """Best value over every assignment, using the plan's own verdicts for static eligibility."""
    if not rows:
        return 0.0
    full = caseload.allocate(model, pd.DataFrame(rows), utilisation_cap=cap)
    v = full.verdicts()
    pts = dict(zip(full.assignments["case_id"], full.assignments["points"]))
    prio = dict(zip(full.assignments["case_id"], full.assignments["priority"]))
    loads = model.loads().set_index("worker_id")
    elig = {c: [w for w in g[g["status"] != "excluded"]["worker_id"]] for c, g in v.groupby("case_id")}
    ids = [r["id"] for r in rows]
    best = 0.0
    for combo in itertools.product(*[[None] + elig.get(c, []) for c in ids]):
        used, cnt = {}, {}
        for c, w in zip(ids, combo):
            if w is not None:
                used[w] = used.get(w, 0.0) + pts[c]
                cnt[w] = cnt.get(w, 0) + 1
        ok = True
        for w, u in used.items():
            L = (cap if cap is not None else 1.0) * loads.loc[w, "capacity"]
            if loads.loc[w, "points"] + u > L + 1e-9:
                ok = False
            if loads.loc[w, "role"] == "asye" and loads.loc[w, "cases"] + cnt[w] > 12:
                ok = False
        if ok:
            best = max(best, sum(prio[c] * pts[c] for c, w in zip(ids, combo) if w is not None))
    return best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_properties_on_random_instances(inst):
    workers, held, rows, cap = inst
    model = _model(workers, held)
    plan = caseload.allocate(model, pd.DataFrame(rows) if rows else None, utilisation_cap=cap, seed=1)
    assert len(plan.assignments) == len(rows)
    _rules_ok(model, workers, rows, plan, cap)
    # Every case allocated or with a reason and an explanation.
    for _, a in plan.assignments.iterrows():
        assert a["reason"] in ("allocated", "pinned") if a["worker_id"] else a["explanation"]
    assert plan.bound >= plan.objective["value"] - 1e-9
    assert 0 <= plan.gap <= 1
    assert plan.objective["value"] >= _greedy_value(model, workers, rows, cap) - 1e-9
    again = caseload.allocate(model, pd.DataFrame(rows) if rows else None, utilisation_cap=cap, seed=1)
    pd.testing.assert_frame_equal(plan.assignments, again.assignments)
    assert plan.objective == again.objective


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_workers=3, max_cases=5))
def test_small_instances_match_brute_force(inst):
    workers, held, rows, cap = inst
    model = _model(workers, held)
    plan = caseload.allocate(model, pd.DataFrame(rows) if rows else None, utilisation_cap=cap)
    best = _brute_force(model, workers, rows, cap)
    assert plan.objective["value"] <= best + 1e-9
    assert plan.bound >= best - 1e-9
    # The search is a heuristic; on these tiny instances it should be exact.
    assert plan.objective["value"] == pytest.approx(best, rel=1e-9, abs=1e-9)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.data())
def test_pins_are_honoured(inst, data):
    workers, held, rows, cap = inst
    if not rows:
        return
    model = _model(workers, held)
    # Pin one case to its best suggestion (a feasible manager decision), if any.
    j = data.draw(st.integers(0, len(rows) - 1))
    sug = model.suggest(rows[j], k=1, utilisation_cap=cap)
    if len(sug) == 0:
        return
    rows = [dict(r) for r in rows]
    rows[j]["pinned_worker"] = sug["worker_id"].iloc[0]
    plan = caseload.allocate(model, pd.DataFrame(rows), utilisation_cap=cap)
    a = plan.assignments.set_index("case_id")
    assert a.loc[rows[j]["id"], "worker_id"] == rows[j]["pinned_worker"]
    assert a.loc[rows[j]["id"], "reason"] == "pinned"
    _rules_ok(model, workers, rows, plan, cap)


def _two_workers():
    return _model(
        [{"id": "A", "team": "T1", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37},
         {"id": "B", "team": "T1", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37}],
        [{"id": "H1", "case_type": "child_in_need", "open_date": "2024-01-01", "allocations": "A"}],
    )


def test_plan_frames_and_html():
    model = _two_workers()
    plan = caseload.allocate(model, [{"id": "N1", "case_type": "child_in_need", "open_date": "2024-03-30",
                                      "team": "T1", "required_skills": ["nothing_like_it"]},
                                     {"id": "N2", "case_type": "child_in_need", "open_date": "2024-03-30",
                                      "team": "T1", "preferences": {"A": 1.0}}])
    a = plan.assignments.set_index("case_id")
    assert a.loc["N1", "worker_id"] is None
    assert a.loc["N1", "reason"] == "no_eligible_worker"
    assert a.loc["N2", "worker_id"] in ("A", "B")
    assert list(plan.assignments.columns[:5]) == ["case_id", "worker_id", "reason", "runner_up", "explanation"]
    assert {"utilisation_before", "utilisation_after"} <= set(plan.workers.columns)
    html = plan._repr_html_()
    assert "N2" in html and "Before / after" in html
    assert "<!DOCTYPE html>" in plan.to_html()
    assert "AllocationPlan" in repr(plan)


def test_incoming_list_cells_are_encoded_by_the_core():
    # The same batch with its list fields as Python lists and dicts, and as the core's text: the same plan.
    model = _two_workers()
    base = {"case_type": "child_in_need", "open_date": "2024-03-30", "team": "T1"}
    as_values = [dict(base, id="N1", excluded_workers=["A"], desired_skills=["court", "bsl"]),
                 dict(base, id="N2", preferences={"A": 1.0, "B": -0.5})]
    as_text = [dict(base, id="N1", excluded_workers="A", desired_skills="court;bsl"),
               dict(base, id="N2", preferences="A:1;B:-0.5")]
    a = caseload.allocate(model, as_values, seed=3).assignments
    b = caseload.allocate(model, as_text, seed=3).assignments
    pd.testing.assert_frame_equal(a, b)
    assert a.set_index("case_id").loc["N1", "worker_id"] == "B"  # A is excluded
    # A name that would not read back as itself, or a score that is not a number, names the case and field.
    with pytest.raises(CaseloadError, match=r'incoming case "N1" \(row 1\): excluded_workers\[0\] must be a non-empty '
                                            r"name without ';'"):
        caseload.allocate(model, [dict(base, id="N1", excluded_workers=["A;B"])])
    with pytest.raises(CaseloadError, match=r'incoming case "N2" \(row 2\): preferences\["A"\] must be a number'):
        caseload.allocate(model, [dict(base, id="N1"), dict(base, id="N2", preferences={"A": "high"})])


def test_siblings_in_one_batch_pull_together():
    # Two empty social workers A and B (capacity C each), two child_in_need siblings S1, S2 of a new family
    # (p points each). Construction: S1 -> A (tie, model order), S2 -> B (p/C < 2p/C). Stage 2 cannot lower
    # the maximum (any move gives 2p/C > p/C). Stage 3, S1 first: moving it to B puts B at 2p/C, allowed
    # when 2p/C <= max(p/C, p/C) + tolerance, i.e. tolerance >= p/C; both siblings then gain continuity
    # (soft 0 -> 1 + 1), so they end together on B. With a tolerance just below p/C they stay apart.
    model = _model(
        [{"id": "A", "team": "T1", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37},
         {"id": "B", "team": "T1", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37}],
        [],
    )
    p = POINTS["child_in_need"]
    C = float(model.loads().set_index("worker_id").loc["A", "capacity"])
    rows = [{"id": s, "family_id": "F", "case_type": "child_in_need", "open_date": "2024-03-30", "team": "T1"}
            for s in ("S1", "S2")]
    apart = caseload.allocate(model, rows, fairness_tolerance=p / C - 0.01)
    a = apart.assignments.set_index("case_id")
    assert (a.loc["S1", "worker_id"], a.loc["S2", "worker_id"]) == ("A", "B")
    assert apart.objective["soft_score"] == 0
    together = caseload.allocate(model, rows, fairness_tolerance=p / C + 0.01)
    t = together.assignments.set_index("case_id")
    assert (t.loc["S1", "worker_id"], t.loc["S2", "worker_id"]) == ("B", "B")
    assert together.objective["soft_score"] == 2
    assert together.objective["value"] == apart.objective["value"] == 2 * p  # stage 1 untouched
    assert together.objective["max_utilisation"] == pytest.approx(2 * p / C)
    assert 'gets sibling S1 from this batch (family "F")' in t.loc["S2", "explanation"]


def test_bad_allocation_inputs_raise():
    model = _two_workers()
    base = {"id": "N1", "case_type": "child_in_need", "open_date": "2024-03-30", "team": "T1"}
    with pytest.raises(CaseloadError, match=r'incoming case "N1": priority must be finite and > 0, got nan'):
        caseload.allocate(model, pd.DataFrame([{**base, "priority": float("nan")}]))
    with pytest.raises(CaseloadError, match=r"priority must be finite and > 0, got -2"):
        caseload.allocate(model, pd.DataFrame([{**base, "priority": -2.0}]))
    with pytest.raises(CaseloadError, match=r'pinned_worker "Z" is not a worker in the model') as e:
        caseload.allocate(model, [{**base, "pinned_worker": "Z"}])
    assert e.value.code == "not_found"
    with pytest.raises(CaseloadError, match="utilisation_cap"):
        caseload.allocate(model, [base], utilisation_cap=-1)
    with pytest.raises(CaseloadError, match="already a case in the model"):
        caseload.allocate(model, [{**base, "id": "H1"}])


def test_every_result_saves_the_same_way(tmp_path):
    # One save(): format by extension, written atomically by the core, the path returned; the same errors.
    model = _two_workers()
    plan = caseload.allocate(model, [{"id": "N1", "case_type": "child_in_need", "open_date": "2024-03-30",
                                      "team": "T1"}])
    hc = model.health_check()
    for result in (plan, hc):
        for ext in ("html", "htm", "json", "csv"):
            p = result.save(tmp_path / f"out.{ext}")
            assert p.endswith(ext) and os.path.getsize(p) > 0
        with pytest.raises(CaseloadError, match=r"unknown report format '\.pdf'"):
            result.save(tmp_path / "out.pdf")
        with pytest.raises(CaseloadError) as e:
            result.save(tmp_path / "no" / "such" / "out.html")
        assert e.value.code == "io"
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".") or n.endswith(".tmp")]  # no temporaries left


def test_options_have_one_name_everywhere():
    # The keywords are the core's option records; old names still work once, with a warning.
    names = [r["name"] for r in caseload.allocation.option_records("allocation")]
    assert names[:2] == ["utilisation_cap", "experience_levels"] and "time_limit_seconds" in names
    cap = next(r for r in caseload.allocation.option_records("allocation") if r["name"] == "utilisation_cap")
    assert cap["min"] == 0 and cap["min_exclusive"] and cap["default"] is None
    scope = next(r for r in caseload.allocation.option_records("rebalance") if r["name"] == "scope")
    assert scope["choices"] == "team|service_area|any" and scope["default"] == "team"
    model = _two_workers()
    base = {"id": "N1", "case_type": "child_in_need", "open_date": "2024-03-30", "team": "T1"}
    new = caseload.allocate(model, [base], utilisation_cap=0.9, time_limit_seconds=5)
    with pytest.warns(DeprecationWarning, match="cap= is deprecated; use utilisation_cap="):
        old = caseload.allocate(model, [base], cap=0.9)
    assert old.assignment == new.assignment
    with pytest.raises(CaseloadError, match="give utilisation_cap only"):
        caseload.allocate(model, [base], cap=0.9, utilisation_cap=0.8)
    with pytest.raises(CaseloadError, match=r'allocate: options: unknown field "cpa"'):
        caseload.allocate(model, [base], cpa=0.9)
    for bad in (float("inf"), float("nan"), -1.0):
        with pytest.raises(CaseloadError, match="time_limit_seconds"):
            caseload.allocate(model, [base], time_limit_seconds=bad)
    with pytest.raises(CaseloadError, match="scope must be one of team, service_area, any"):
        model.rebalance(scope="county")


def test_rebalance_and_suggest():
    model = _two_workers()
    s = model.suggest({"id": "N1", "case_type": "child_in_need", "open_date": "2024-03-30", "team": "T1"}, k=2)
    assert list(s["worker_id"]) == ["B", "A"]
    r = model.rebalance(max_moves=5)
    assert len(r.moves) == 0 and r.overload_before == 0


# ---- General GAP ------------------------------------------------------------


def _gap_brute(c, w, b):
    m, n = c.shape
    best = math.inf
    for combo in itertools.product(range(m), repeat=n):
        load = np.zeros(m)
        for j, i in enumerate(combo):
            load[i] += w[i, j]
        if np.all(load <= b + 1e-9):
            best = min(best, sum(c[i, j] for j, i in enumerate(combo)))
    return best


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_gap_matches_brute_force(m, n, seed):
    rng = np.random.default_rng(seed)
    c = rng.integers(1, 30, size=(m, n)).astype(float)
    w = rng.integers(1, 10, size=(m, n)).astype(float)
    b = rng.integers(5, 20, size=m).astype(float)
    r = caseload.solve_gap(c, w, b, seed=0)
    best = _gap_brute(c, w, b)
    assert r.assignment.shape == (n,)
    if math.isinf(best):
        assert not r.feasible
        return
    assert r.feasible
    assert r.bound <= r.objective + 1e-9
    assert r.bound <= best + 1e-9
    assert r.objective == pytest.approx(best)
    assert r.objective == pytest.approx(sum(c[r.assignment[j], j] for j in range(n)))
    for i in range(m):
        assert w[i, r.assignment == i].sum() <= b[i] + 1e-9
    r2 = caseload.solve_gap(c, w, b, seed=0)
    assert np.array_equal(r.assignment, r2.assignment)


def test_gap_bad_inputs():
    c = np.ones((2, 3))
    with pytest.raises(CaseloadError, match=r"weight must have shape \(2, 3\)"):
        caseload.solve_gap(c, np.ones((3, 2)), np.ones(2))
    with pytest.raises(CaseloadError, match="capacity must have shape"):
        caseload.solve_gap(c, np.ones((2, 3)), np.ones(1))
    w = np.ones((2, 3))
    w[1, 2] = np.nan
    with pytest.raises(CaseloadError, match=r"weight\[1\]\[2\]"):
        caseload.solve_gap(c, w, np.ones(2))
    w[1, 2] = -1
    with pytest.raises(CaseloadError, match=r"weight\[1\]\[2\]"):
        caseload.solve_gap(c, w, np.ones(2))
    with pytest.raises(CaseloadError):
        caseload.solve_gap(np.ones(3), w, np.ones(2))


def test_gap_time_limit_has_one_name_and_is_checked():
    c = np.array([[1.0, 2.0], [2.0, 1.0]])
    w = np.ones((2, 2))
    b = np.array([2.0, 2.0])
    assert caseload.solve_gap(c, w, b, time_limit_seconds=5).objective == 2
    with pytest.warns(DeprecationWarning, match="time_limit= is deprecated; use time_limit_seconds="):
        assert caseload.solve_gap(c, w, b, time_limit=5).objective == 2
    for bad in (float("inf"), float("nan"), -1.0):
        with pytest.raises(CaseloadError, match="time_limit"):
            caseload.solve_gap(c, w, b, time_limit_seconds=bad)
    with pytest.raises(CaseloadError, match="unknown option 'work_limt'"):
        caseload.solve_gap(c, w, b, work_limt=5)


def test_read_orlibrary_gap_and_solve():
    # An OR-Library instance kept in the repository (tests/data/README.md).
    path = os.path.join(os.path.dirname(__file__), "..", "data", "gap", "cattrysse1994", "gap1-0")
    c, w, b = caseload.read_orlibrary_gap(path)
    assert c.shape == (5, 15) and w.shape == (5, 15) and b.shape == (5,)
    r = caseload.solve_gap(c, w, b)
    assert r.feasible and r.optimal
    assert r.objective == 261  # best_known.csv: gap1-0 optimum
