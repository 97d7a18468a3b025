"""``caseload allocate`` on CSV files, and the demo's allocation step."""

from __future__ import annotations

import io
import json

import caseload
from caseload.cli import main


def _files(tmp_path):
    a = caseload.datasets.sample_authority()
    model = caseload.Caseload(caseload.Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)
    (tmp_path / "w.csv").write_text(caseload.to_csv("workers", a.workers))
    (tmp_path / "c.csv").write_text(caseload.to_csv("cases", a.cases))
    caseload.allocation.synthetic_incoming(model, 12, 3).to_csv(tmp_path / "i.csv", index=False)
    return model, str(a.as_of)[:10]


def test_allocate_command_writes_each_format(tmp_path, capsys):
    _, as_of = _files(tmp_path)
    base = ["allocate", "--workers", str(tmp_path / "w.csv"), "--cases", str(tmp_path / "c.csv"),
            "--incoming", str(tmp_path / "i.csv"), "--as-of", as_of, "-q"]
    assert main(base + ["--out", str(tmp_path / "plan.json")]) == 0
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert len(plan["cases"]) == 12
    assert plan["bound"] >= plan["objective"]["value"]
    assert main(base + ["--out", str(tmp_path / "plan.csv")]) == 0
    assert (tmp_path / "plan.csv").read_text().startswith("case_id,worker_id,reason,runner_up")
    assert main(base + ["--out", str(tmp_path / "plan.html")]) == 0
    assert "<!DOCTYPE html>" in (tmp_path / "plan.html").read_text()
    assert main(base + ["--out", str(tmp_path / "plan.pdf")]) == 2
    assert "--out must end in" in capsys.readouterr().err


def test_allocate_command_reports_bad_incoming(tmp_path, capsys):
    _, as_of = _files(tmp_path)
    (tmp_path / "bad.csv").write_text("id,case_type,open_date,team,priority\nN1,child_in_need,2024-03-30,T,high\n")
    rc = main(["allocate", "--workers", str(tmp_path / "w.csv"), "--cases", str(tmp_path / "c.csv"), "--incoming",
               str(tmp_path / "bad.csv"), "--as-of", as_of, "--out", str(tmp_path / "p.csv")])
    assert rc == 2
    assert 'incoming case "N1": priority must be a number, got "high"' in capsys.readouterr().err


def test_demo_allocation_writes_plan(tmp_path):
    from caseload.cli.allocate import demo_allocation

    model, _ = _files(tmp_path)
    out = io.StringIO()
    path = demo_allocation(model, str(tmp_path), out)
    assert path.endswith("plan.html") and "Allocation plan" in open(path).read()
    assert "incoming referrals" in out.getvalue()
    assert (tmp_path / "plan.csv").exists()
