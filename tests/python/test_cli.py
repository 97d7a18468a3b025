"""The `caseload` command, run as a user would (subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser

import pytest

import caseload
from caseload import datasets

SCRIPT = os.path.join(os.path.dirname(sys.executable), "caseload")


def run(*args, cwd=None):
    # `python -m caseload.cli` is the installed `caseload` script's code path
    # and works from a source checkout too.
    return subprocess.run(
        [sys.executable, "-m", "caseload.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def test_demo_writes_reports(tmp_path):
    out = tmp_path / "demo"
    r = run("demo", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Teams" in r.stdout and "Over the safe level" in r.stdout
    assert str(out / "health_check.html") in r.stdout
    html = (out / "health_check.html").read_text()
    p = _Tags()
    p.feed(html)
    p.close()
    assert "svg" in p.tags and "<svg" in html
    assert (out / "health_check.json").stat().st_size > 0
    assert (out / "health_check.csv").read_text().startswith("level,group,metric,value")
    # The demo also writes the allocation plan and the league table of 150 synthetic employers.
    assert "<h1>Allocation plan</h1>" in (out / "plan.html").read_text()
    assert (out / "league_table.html").read_text().count("<details") == 150  # one expandable line each
    assert "League table of 150 synthetic employers" in r.stdout


def test_health_check_on_bundled_csvs(tmp_path):
    paths = datasets.sample_paths()
    out = tmp_path / "report.json"
    r = run(
        "health-check",
        "--workers", paths["workers"],
        "--cases", paths["cases"],
        "--snapshots", paths["snapshots"],
        "--as-of", "2024-03-31",
        "--organisation", "Sample",
        "--out", str(out),
    )
    assert r.returncode == 0, r.stderr
    assert out.exists() and "Sample" in out.read_text()


def test_health_check_with_scheme_file(tmp_path):
    paths = datasets.sample_paths()
    scheme_path = tmp_path / "scheme.json"
    scheme_path.write_text(caseload.Scheme.default().to_json())
    r = run("health-check", "--workers", paths["workers"], "--cases", paths["cases"], "--scheme", str(scheme_path),
            "--as-of", "2024-03-31", "-q", "--out", str(tmp_path / "r.csv"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.csv").read_text().startswith("level,group,metric,value")


def test_bad_file_exits_2_with_message(tmp_path):
    bad = tmp_path / "workers.csv"
    bad.write_text("id,team,role,contracted_hours\nW1,A,sw,lots\n")
    paths = datasets.sample_paths()
    r = run("health-check", "--workers", str(bad), "--cases", paths["cases"], "--out", str(tmp_path / "r.html"))
    assert r.returncode == 2
    assert r.stderr.startswith("caseload: error: ")
    assert "contracted_hours" in r.stderr and "Traceback" not in r.stderr

    r = run("health-check", "--workers", str(tmp_path / "missing.csv"), "--cases", paths["cases"],
            "--out", str(tmp_path / "r.html"))
    assert r.returncode == 2 and "missing.csv" in r.stderr and "Traceback" not in r.stderr


def test_bad_output_extension_and_usage(tmp_path):
    paths = datasets.sample_paths()
    r = run("health-check", "--workers", paths["workers"], "--cases", paths["cases"], "--out", str(tmp_path / "r.pdf"))
    assert r.returncode == 2 and "caseload: error:" in r.stderr
    r = run("frobnicate")
    assert r.returncode == 2 and "caseload: error:" in r.stderr


def test_version():
    r = run("version")
    assert r.returncode == 0 and "0.1.0" in r.stdout


@pytest.mark.skipif(not os.path.exists(SCRIPT), reason="console script not installed next to this Python")
def test_console_script_installed():
    r = subprocess.run([SCRIPT, "version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "0.1.0" in r.stdout
