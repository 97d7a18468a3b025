"""What an embedding host relies on (issue 13): out-of-range numbers are errors naming the option, never a
crash or a traceback; every file the package writes is written atomically."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

import caseload
from caseload import CaseloadError
from caseload._save import write_text

SAMPLE = os.path.join(os.path.dirname(caseload.__file__), "data", "sample")


@pytest.fixture(scope="module")
def model():
    a = caseload.datasets.sample_authority()
    return caseload.Caseload(caseload.Scheme.default(), workers=a.workers, cases=a.cases, as_of=a.as_of)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m: m.health_check(history_days=99_999_999_999),
         r"health_check: options: history_days must be an integer in \[0, 36500\], got 99999999999"),
        (lambda m: m.health_check(history_days=-1), r"history_days must be an integer in \[0, 36500\], got -1"),
        (lambda m: m.health_check(min_consecutive=0),
         r"health_check: options: exceedance: min_consecutive must be an integer in \[1, 100000\], got 0"),
        (lambda m: m.health_check(threshold=float("nan")), r"exceedance: threshold must be finite and >= 0, got nan"),
        (lambda m: m.health_check(overtime_tolerance_hours=-2), r"overtime_tolerance_hours must be finite and >= 0"),
        (lambda m: m.exceedance_history(caseload.datasets.sample_authority().snapshots, max_gap_days=2**40),
         r"exceedance rule: max_gap_days must be an integer in \[1, 100000\], got 1099511627776"),
        (lambda m: m.suggest(caseload.allocation.synthetic_incoming(m, 1, 1).iloc[0].to_dict(), k=2**40),
         r"suggest: k must be an integer in \[0, 1000000\], got 1099511627776"),
        (lambda m: m.suggest(caseload.allocation.synthetic_incoming(m, 1, 1).iloc[0].to_dict(), k=-1),
         r"suggest: k must be an integer in \[0, 1000000\], got -1"),
        (lambda m: caseload.allocate(m, caseload.allocation.synthetic_incoming(m, 2, 1), seed=-1),
         r"seed must be an integer in \[0, 2\^53\], got -1"),
    ],
)
def test_out_of_range_numbers_are_errors_naming_the_option(model, call, message):
    with pytest.raises(CaseloadError, match=message):
        call(model)


def test_the_cli_reports_out_of_range_numbers_without_a_traceback(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "caseload.cli", "health-check", "--workers", os.path.join(SAMPLE, "workers.csv"),
         "--cases", os.path.join(SAMPLE, "cases.csv"), "--out", str(tmp_path / "hc.html"),
         "--history-days", "99999999999"],
        capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "history_days must be an integer in [0, 36500], got 99999999999" in r.stderr
    assert not (tmp_path / "hc.html").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and links")
def test_writes_keep_permissions_follow_links_and_leave_no_temporary_files(tmp_path):
    target = tmp_path / "reports" / "health_check.csv"
    target.parent.mkdir()
    write_text(target, "old\n")
    os.chmod(target, 0o600)
    link = tmp_path / "latest.csv"
    link.symlink_to(os.path.join("reports", "health_check.csv"))
    assert write_text(link, "new\n") == str(link)
    assert link.is_symlink() and target.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["health_check.csv"]
    with pytest.raises(CaseloadError, match=r"cannot write .*No such file or directory"):
        write_text(tmp_path / "missing" / "x.csv", "x")


def test_cli_forecast_output_is_written_whole(tmp_path):
    # The CSV goes through the atomic writer: a folder in the way is an error and nothing is left behind.
    src = tmp_path / "series.csv"
    src.write_text("unique_id,ds,y\n" + "".join(f"A,2024-{m:02d}-01,{m}\n" for m in range(1, 13)))
    out = tmp_path / "out.csv"
    out.mkdir()
    r = subprocess.run([sys.executable, "-m", "caseload.cli", "forecast", "--in", str(src), "--horizon", "2",
                        "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "not a regular file" in r.stderr
    assert out.is_dir() and list(out.iterdir()) == []


def test_league_json_files_are_read_by_the_core_under_its_limits(tmp_path):
    rows = [{"organisation": "Northshire", "case_holding_fte": 40, "cases": 640},
            {"organisation": "Southshire", "case_holding_fte": 50, "cases": 700, "vacancy_rate": None}]
    good = tmp_path / "rows.json"
    good.write_text(__import__("json").dumps(rows))
    table = caseload.league_table(good, seed=1)
    assert set(table.table["organisation"]) == {"Northshire", "Southshire"}
    # Deep nesting: the core's depth limit, not Python's RecursionError.
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(CaseloadError, match=r'"' + str(deep).replace("\\", "\\\\") + r'": .*nest'):
        caseload.league_table(deep)
    # Strict JSON: NaN is not a number here, and the message names the file.
    nan = tmp_path / "nan.json"
    nan.write_text('[{"organisation": "X", "cases": NaN}]')
    with pytest.raises(CaseloadError, match=r"nan\.json\": "):
        caseload.league_table(nan)
    # Duplicate keys are an error, not "the last one wins".
    dup = tmp_path / "dup.json"
    dup.write_text('[{"organisation": "X", "cases": 1, "cases": 2}]')
    with pytest.raises(CaseloadError, match=r"dup\.json\": .*(duplicate|twice)"):
        caseload.league_table(dup)
