"""Issue 13, the input-text defects as the Python package and the CLI see them:
formula injection in the forecast CSV, control characters on the console, and
the core's text rules exposed (not restated) through _core."""

from __future__ import annotations

import numpy as np
import pandas as pd

from caseload import _core, datasets
from caseload.cli import main as cli_main


def test_spreadsheet_safe_is_the_core_rule():
    assert _core.spreadsheet_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _core.spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert _core.spreadsheet_safe("-2+3") == "'-2+3"
    assert _core.spreadsheet_safe("-1.5") == "-1.5"  # numbers stay numbers
    assert _core.spreadsheet_safe("North") == "North"


def test_terminal_safe_escapes_control_characters():
    assert _core.terminal_safe("a\x1b[2Jb\rc\nd") == "a\\u001b[2Jb\\u000dc\nd"
    assert _core.terminal_safe("Équipe") == "Équipe"


def test_forecast_csv_neutralises_formula_ids(tmp_path):
    rng = np.random.default_rng(3)
    ds = pd.date_range("2022-01-01", periods=36, freq="MS")
    src = tmp_path / "series.csv"
    pd.concat(
        [
            pd.DataFrame({"unique_id": uid, "ds": ds, "y": 20 + rng.normal(0, 2, 36)})
            for uid in ["=cmd|' /C calc'!A0", "North"]
        ]
    ).to_csv(src, index=False)
    out = tmp_path / "forecasts.csv"
    assert cli_main(["forecast", "--in", str(src), "--h", "3", "-q", "--out", str(out)]) == 0
    text = out.read_text()
    assert "\n\"'=cmd|' /C calc'!A0\"," in text or "\n'=cmd|' /C calc'!A0," in text
    assert "\n=cmd" not in text and "\nNorth," in text


def test_console_summary_escapes_terminal_sequences(tmp_path, capsys):
    paths = datasets.sample_paths()
    workers = pd.read_csv(paths["workers"])
    workers.loc[workers["team"] == workers["team"].iloc[0], "team"] = "Evil\x1b[2J\x1b]0;pwned\x07"
    wpath = tmp_path / "workers.csv"
    workers.to_csv(wpath, index=False)
    cases = pd.read_csv(paths["cases"])
    cases["team"] = cases["team"].where(cases["team"] != workers["team"].iloc[0], "Evil\x1b[2J\x1b]0;pwned\x07")
    cpath = tmp_path / "cases.csv"
    cases.to_csv(cpath, index=False)
    r = cli_main(["health-check", "--workers", str(wpath), "--cases", str(cpath), "--as-of", "2024-03-31",
                  "--out", str(tmp_path / "r.csv")])
    captured = capsys.readouterr()
    assert r == 0, captured.err
    assert "\x1b" not in captured.out and "\x07" not in captured.out
    assert "Evil\\u001b[2J" in captured.out
    # The CSV report neutralises nothing here (no formula) but keeps the name.
    assert "Evil" in (tmp_path / "r.csv").read_text()
