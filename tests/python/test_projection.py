"""caseload.project_capacity: DataFrames, scenarios, plots, errors (the numbers are tested in C++)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import caseload


@pytest.fixture(scope="module")
def sample():
    a = caseload.datasets.synthetic_authority(seed=3, workers=48, history_weeks=0)
    model = caseload.Caseload(caseload.Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)
    refs, closed = caseload.projection.synthetic_history(seed=3, workers=48, as_of=a.as_of, months=30)
    return a, model, refs, closed


def test_frames_and_invariants(sample):
    a, model, refs, closed = sample
    p = caseload.project_capacity(model, refs, closed, horizon=6, n_paths=200, seed=1)
    assert p.horizon == 6 and p.n_paths == 200
    teams = sorted(set(model.worker_records()["team"]))
    assert sorted(p.new_cases[p.new_cases["level"] == "team"]["group"]) == teams
    assert set(p.breach.columns) >= {"scenario", "level", "group", "month", "p_breach", "p_any_breach"}
    assert (p.breach["p_breach"].between(0, 1)).all()
    assert (p.breach["p_any_breach"] >= p.breach["p_breach"] - 1e-12).all()
    q = p.utilisation[["q05", "q25", "q50", "q75", "q95"]]
    assert (q.diff(axis=1).iloc[:, 1:] >= -1e-12).all().all()
    # Today's figure is the roll-up's own (points case holders hold over their capacity), for the
    # organisation and every team: one "now" on every page (docs/architecture.md, the rules core).
    org = p.groups[(p.groups["level"] == "organisation")].iloc[0]
    r = model.rollup(by="organisation").iloc[0]
    assert org["current_utilisation"] == pytest.approx(r["utilisation"], rel=1e-12)
    assert r["unallocated_points"] > 0  # the work the old figure added is there, and not counted in "now"
    teams = p.groups[p.groups["level"] == "team"].set_index("group")["current_utilisation"]
    for _, t in model.rollup(by="team").iterrows():
        assert teams[t["group"]] == pytest.approx(t["utilisation"], rel=1e-12)
    assert set(p.demand["source"]) == {"forecast"}
    assert set(p.survival["source"]) <= {"kaplan_meier", "default"}
    assert (p.required_fte["required_fte"] >= 0).all()
    assert "CapacityProjection" in repr(p)
    assert '<section id="forecast">' in p._repr_html_()


def test_deterministic_and_thread_independent(sample):
    _, model, refs, closed = sample
    one = caseload.project_capacity(model, refs, closed, horizon=3, n_paths=100, seed=5, n_threads=1)
    two = caseload.project_capacity(model, refs, closed, horizon=3, n_paths=100, seed=5, n_threads=2)
    pd.testing.assert_frame_equal(one.months, two.months)


def test_scenarios_side_by_side(sample):
    _, model, _, _ = sample
    team = sorted(set(model.worker_records()["team"]))[0]
    p = caseload.project_capacity(
        model,
        horizon=6,
        n_paths=200,
        scenarios=[
            {"name": "spike", "referral_factor": 1.2},
            {"name": "agency", "agency_workers": 2, "agency_team": team, "agency_months": 3},
        ],
    )
    assert p.scenarios == ["baseline", "spike", "agency"]
    c = p.compare()
    assert list(c["scenario"]) == ["baseline", "spike", "agency"]
    assert {"expected_utilisation", "p_any_breach", "required_fte", "required_fte_over_horizon"} <= set(c.columns)
    assert (c["required_fte_over_horizon"] >= c["required_fte"] - 1e-12).all()
    base = p.months[(p.months.scenario == "baseline") & (p.months.level == "organisation")]
    spike = p.months[(p.months.scenario == "spike") & (p.months.level == "organisation")]
    assert (spike["expected_new_cases"].values > base["expected_new_cases"].values).all()
    assert (spike["p_breach"].values >= base["p_breach"].values).all()


def test_plot(sample):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    _, model, _, _ = sample
    p = caseload.project_capacity(model, horizon=4, n_paths=50, scenarios=[{"name": "spike", "referral_factor": 1.2}])
    ax = p.plot()
    assert ax.get_ylabel() == "utilisation"
    with pytest.raises(caseload.CaseloadError):
        p.plot(group="nowhere")


def test_errors_name_record_and_field(sample):
    _, model, refs, _ = sample
    with pytest.raises(caseload.CaseloadError, match=r'staffing\[0\]: team "Nowhere" is not a team of the model'):
        caseload.project_capacity(model, n_paths=10, staffing=[{"kind": "join", "date": "2024-06-01", "team": "Nowhere"}])
    bad = refs.copy()
    bad.loc[1, "count"] = -2
    with pytest.raises(caseload.CaseloadError, match=r"referrals\[1\] .*count must be a non-negative integer, got -2"):
        caseload.project_capacity(model, bad, n_paths=10)
    nan = refs.copy()
    nan.loc[0, "count"] = math.nan
    with pytest.raises(caseload.CaseloadError, match="got nan"):
        caseload.project_capacity(model, nan, n_paths=10)
    dup = pd.concat([refs.iloc[:2], refs.iloc[1:2]])
    with pytest.raises(caseload.CaseloadError, match="given twice"):
        caseload.project_capacity(model, dup, n_paths=10)
    with pytest.raises(caseload.CaseloadError, match="horizon must be an integer in"):
        caseload.project_capacity(model, horizon=0)
    with pytest.raises(caseload.CaseloadError, match="needs columns"):
        caseload.project_capacity(model, pd.DataFrame({"x": [1]}))


def test_statsforecast_long_format(sample):
    _, model, refs, _ = sample
    long = refs.rename(columns={"team": "unique_id", "period": "ds", "count": "y"})
    long["ds"] = pd.to_datetime(long["ds"])
    p = caseload.project_capacity(model, long, horizon=2, n_paths=20)
    assert set(p.demand["source"]) == {"forecast"}


def test_required_fte_by_hand_when_nothing_varies():
    # 5 social workers (capacity 5 x 100 = 500 points) hold 100 child-in-need cases opened today;
    # every closed case in the durations table ran 1,000 days, so none closes within the horizon;
    # no referrals, turnover or sickness. Workload W = 100 x 5.11 = 511 points on every path, so
    # at safe level 0.8 the FTE needed is W / (0.8 x 100) = 6.3875 and the added FTE 1.3875, every month.
    as_of = "2024-03-31"
    workers = pd.DataFrame(
        {
            "id": [f"N{i}" for i in range(5)],
            "team": "North",
            "service_area": "children_in_need",
            "role": "social_worker",
            "contracted_hours": 37.0,
        }
    )
    cases = pd.DataFrame(
        {
            "id": [f"C{i}" for i in range(100)],
            "case_type": "child_in_need",
            "open_date": as_of,
            "allocations": [f"N{i % 5}" for i in range(100)],
        }
    )
    model = caseload.Caseload(caseload.Scheme.default(), workers=workers, cases=cases, as_of=as_of)
    closed = pd.DataFrame(
        {"case_type": ["child_in_need"] * 10, "opened": ["2020-01-01"] * 10, "closed": ["2022-09-27"] * 10}
    )
    periods = pd.period_range("2022-04", periods=24, freq="M").astype(str)
    refs = pd.DataFrame({"team": "North", "period": periods, "count": 0})
    p = caseload.project_capacity(
        model,
        refs,
        closed,
        horizon=12,
        n_paths=100,
        alpha=0.05,
        safe_level=0.8,
        forecast_model="naive",
        supply={"annual_turnover": 0, "sickness_absence": 0},
    )
    points = model.loads()["points"].sum()
    assert points == pytest.approx(511.0)
    needed = points / (0.8 * 100)
    req = p.required_fte[(p.required_fte.scenario == "baseline") & (p.required_fte.group == "North")]
    assert list(req["month"]) == list(range(13))  # month 0 = over the horizon, then 1..12
    assert req["required_fte"].to_numpy() == pytest.approx([needed - 5] * 13)
    assert "Required FTE by month" in p._repr_html_()
