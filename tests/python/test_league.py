"""League table from Python: inputs (DataFrame, health checks, directories), figures, errors, outputs, CLI."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

import caseload
from caseload import CaseloadError


def _org(name, fte, cases, target, over, weeks, asye_k, rate, workers=1000, asye_n=1000):
    return {
        "organisation": name,
        "case_holding_fte": fte,
        "cases": cases,
        "stated_benchmark": target,
        "workers": workers,
        "workers_over_benchmark": over,
        "exceedance_weeks_past_year": weeks,
        "asye_workers": asye_n,
        "asye_protected": asye_k,
        "vacancy_rate": rate,
        "agency_rate": rate,
        "turnover_rate": rate,
    }


# Hand-computed scores with the default weights (see tests/cpp/test_league.cpp):
# A 87.25, B 55.5, C 18.5.
THREE = pd.DataFrame(
    [
        _org("C", 1000, 24000, 20, 600, 52, 200, 0.3),
        _org("A", 1000, 12000, 15, 100, 0, 1000, 0.1),
        _org("B", 1000, 16000, 16, 300, 26, 500, 0.2),
    ]
)


def test_known_ranking_from_dataframe():
    t = caseload.league_table(THREE, seed=1)
    tab = t.table
    assert list(tab["organisation"]) == ["A", "B", "C"]
    assert list(tab["rank"]) == [1, 2, 3]
    assert tab["score"].tolist() == pytest.approx([87.25, 55.5, 18.5])
    assert not tab["tied"].any()
    assert (tab["score_lo"] <= tab["score"] + 1).all() and (tab["score_hi"] >= tab["score"] - 1).all()
    assert tab.loc[0, "caseload_per_fte"] == 12
    assert tab.loc[0, "ratio_to_target"] == pytest.approx(0.8)
    assert tab.loc[0, "ratio_to_reference"] == pytest.approx(0.75)


def test_reference_caseload_and_weights():
    t = caseload.league_table(THREE, reference_caseload=12, weights={"caseload_vs_reference": 1, "caseload_vs_target": 0,
                                                                    "share_over_benchmark": 0, "exceedance": 0,
                                                                    "asye_protection": 0, "vacancy": 0, "agency": 0,
                                                                    "turnover": 0})
    # A: 100 * (1.5 - 12/12) = 50; B: 100 * (1.5 - 16/12) = 16.67; C: 0
    assert t.table["score"].tolist() == pytest.approx([50, 100 * (1.5 - 16 / 12), 0])


def test_seeded_determinism():
    rows = pd.concat([THREE, pd.DataFrame([_org("Tiny", 3, 50, 16, 1, 5, 1, 0.2, workers=4, asye_n=1)])])
    a = caseload.league_table(rows, seed=5).to_json()
    assert a == caseload.league_table(rows, seed=5).to_json()
    assert a != caseload.league_table(rows, seed=6).to_json()


def test_ties_identical_organisations():
    rows = pd.concat([THREE, pd.DataFrame([_org("B2", 1000, 16000, 16, 300, 26, 500, 0.2)])], ignore_index=True)
    tab = caseload.league_table(rows).table
    assert list(tab["organisation"]) == ["A", "B", "B2", "C"]
    assert list(tab["rank"]) == [1, 2, 2, 4]
    assert list(tab["tied"]) == [False, True, True, False]


def test_missing_figures_stay_missing():
    rows = pd.concat(
        [
            THREE,
            pd.DataFrame(
                [
                    {"organisation": "Sparse", "average_caseload": 14.0},
                    {
                        "organisation": "Partial",
                        "case_holding_fte": 1000,
                        "cases": 16000,
                        "workers": 1000,
                        "workers_over_benchmark": 500,
                        "asye_workers": 1000,
                        "asye_protected": 800,
                    },
                ]
            ),
        ],
        ignore_index=True,
    )
    tab = caseload.league_table(rows).table
    partial = tab[tab["organisation"] == "Partial"].iloc[0]
    # (.25*50 + .2*50 + .15*80) / .6 = 57.5
    assert partial["score"] == pytest.approx(57.5)
    assert partial["coverage"] == pytest.approx(0.6)
    assert math.isnan(partial["vacancy_rate"]) and math.isnan(partial["stated_benchmark"])
    assert partial["benchmark_contractual"] is None
    sparse = tab.iloc[-1]
    assert sparse["organisation"] == "Sparse"
    assert pd.isna(sparse["rank"])
    assert sparse["caseload_per_fte"] == 14 and math.isnan(sparse["caseload_per_fte_lo"])
    assert "not ranked" in sparse["notes"]


def test_contractual_booleans_cross():
    rows = THREE.copy()
    rows["benchmark_contractual"] = [True, False, None]
    tab = caseload.league_table(rows).table.set_index("organisation")
    assert tab.loc["C", "benchmark_contractual"] is True
    assert tab.loc["A", "benchmark_contractual"] is False
    assert tab.loc["B", "benchmark_contractual"] is None


@pytest.mark.parametrize(
    "edit, message",
    [
        ({"stated_benchmark": 0}, 'organisation "C": stated_benchmark must be > 0, got 0'),
        ({"cases": -3}, 'organisation "C": cases must be >= 0, got -3'),
        ({"vacancy_rate": 18.9}, 'organisation "C": vacancy_rate must be a fraction in [0, 1] (18.9% is 0.189), got 18.9'),
        ({"workers_over_benchmark": 2000}, 'organisation "C": workers_over_benchmark must be <= workers (1000), got 2000'),
        ({"exceedance_weeks_past_year": 60}, 'organisation "C": exceedance_weeks_past_year must be at most 53, got 60'),
    ],
)
def test_validation_errors_name_organisation_and_field(edit, message):
    rows = THREE.copy()
    for k, v in edit.items():
        rows.loc[0, k] = v
    with pytest.raises(CaseloadError) as e:
        caseload.league_table(rows)
    assert e.value.code == "invalid_argument"
    assert e.value.message == message


def test_other_errors():
    with pytest.raises(CaseloadError, match='duplicate row for service_area "all"') as e:
        caseload.league_table(pd.concat([THREE, THREE.iloc[[0]]]))
    assert e.value.code == "duplicate"
    with pytest.raises(CaseloadError, match='unknown column "casez"'):
        caseload.league_table(THREE.rename(columns={"cases": "casez"}))
    with pytest.raises(CaseloadError, match="level must be in"):
        caseload.league_table(THREE, level=100)
    with pytest.raises(CaseloadError, match='league_table: options: weights: unknown field "speed"'):
        caseload.league_table(THREE, weights={"speed": 1})
    with pytest.raises(CaseloadError, match="data must be a DataFrame"):
        caseload.league_table(42)
    with pytest.raises(CaseloadError, match="no such file"):
        caseload.league_table("/nonexistent/figures.csv")
    with pytest.raises(CaseloadError, match='service_area "Nowhere" is published by no organisation'):
        caseload.league_table(THREE, service_area="Nowhere")
    with pytest.raises(CaseloadError, match="must be a number"):
        caseload.league_table(pd.DataFrame({"organisation": ["X"], "cases": ["lots"]}))


def _health_check(seed, name):
    a = caseload.datasets.synthetic_authority(seed=seed, workers=30, history_weeks=56)
    model = caseload.Caseload(caseload.Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)
    return json.loads(model.health_check(snapshots=a.snapshots, organisation=name).to_json())


def test_health_check_exports_dicts_paths_and_directory(tmp_path):
    docs = [_health_check(1, "One <b>Council</b>"), _health_check(2, "Two Council")]
    docs[0]["published"] = {"stated_benchmark": 18, "benchmark_contractual": True}
    t = caseload.league_table(docs)
    tab = t.table.set_index("organisation")
    assert set(tab.index) == {"One <b>Council</b>", "Two Council"}
    assert tab.loc["One <b>Council</b>", "stated_benchmark"] == 18
    assert math.isnan(tab.loc["Two Council", "stated_benchmark"])
    assert tab["standardised"].all()
    for i, d in enumerate(docs):
        (tmp_path / f"hc{i}.json").write_text(json.dumps(d))
    from_dir = caseload.league_table(tmp_path)
    assert from_dir.to_json() == t.to_json()
    from_paths = caseload.league_table([tmp_path / "hc0.json", str(tmp_path / "hc1.json")])
    assert from_paths.to_json() == t.to_json()


class _Checker(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.ok, self.text = [], True, []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False

    def handle_data(self, data):
        self.text.append(data)


def test_outputs_html_json_csv(tmp_path):
    rows = THREE.copy()
    rows.loc[0, "organisation"] = '<script>alert("x")</script>'
    t = caseload.league_table(rows, title="League <2024>")
    page = t.to_html()
    c = _Checker()
    c.feed(page)
    assert c.ok and not c.stack
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    assert "http" not in page and " src=" not in page
    assert "<details>" in page and "aria-sort" in page
    for ext in ("html", "json", "csv"):
        p = t.save(tmp_path / f"t.{ext}")
        assert os.path.getsize(p) > 0
    doc = json.loads((tmp_path / "t.json").read_text())
    assert [r["organisation"] for r in doc["rows"]][0] == "A"
    back = pd.read_csv(tmp_path / "t.csv")
    assert list(back["organisation"])[0] == "A" and back["score"].tolist() == pytest.approx([87.25, 55.5, 18.5])
    with pytest.raises(CaseloadError, match=r"unknown report format '\.pdf': the file name must end in \.csv, \.html, \.json"):
        t.save(tmp_path / "t.pdf")
    assert "LeagueTable" in repr(t) and "3 organisations" in repr(t)
    assert "<table" in t._repr_html_() and "&lt;script&gt;" in t._repr_html_()


def test_sample_and_within_service_area():
    figures = caseload.league.sample(seed=2, n=6)
    assert figures["organisation"].nunique() == 6
    assert (figures["service_area"] == "all").sum() == 6
    t = caseload.league_table(figures, seed=3, draws=200)
    assert len(t.table) == 6
    area = figures.loc[figures["service_area"] != "all", "service_area"].iloc[0]
    within = caseload.league_table(figures, service_area=area, draws=100).table
    assert not within["standardised"].any()
    assert len(within) == (figures["service_area"] == area).sum()


def _run(*args):
    return subprocess.run([sys.executable, "-m", "caseload.cli", *args], capture_output=True, text=True, timeout=300)


def test_cli_league_table(tmp_path):
    csv = tmp_path / "figures.csv"
    THREE.to_csv(csv, index=False)
    out = tmp_path / "out" / "table.html"
    r = _run("league-table", "--in", str(csv), "--out", str(out), "--seed", "2", "--draws", "200")
    assert r.returncode == 0, r.stderr
    assert "3 organisations, 3 ranked" in r.stdout
    assert out.read_text().startswith("<!DOCTYPE html>")
    r = _run("league-table", "--in", str(csv), "--out", str(tmp_path / "t.csv"))
    assert r.returncode == 0, r.stderr
    assert pd.read_csv(tmp_path / "t.csv")["organisation"].tolist() == ["A", "B", "C"]
    bad = tmp_path / "bad.csv"
    THREE.assign(stated_benchmark=[0, 15, 16]).to_csv(bad, index=False)
    r = _run("league-table", "--in", str(bad), "--out", str(tmp_path / "x.html"))
    assert r.returncode == 2
    assert 'organisation "C": stated_benchmark must be > 0, got 0' in r.stderr
    r = _run("league-table", "--in", str(csv), "--out", str(tmp_path / "x.txt"))
    assert r.returncode == 2 and "must end in .html, .json or .csv" in r.stderr
