"""caseload.forecast: known answers, properties, error paths, JSON and CLI."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

import caseload
from caseload import CaseloadError
from caseload.cli import main as cli_main


def frame(values, start="2023-01-01", freq="MS", uid="T1"):
    return pd.DataFrame({"unique_id": uid, "ds": pd.date_range(start, periods=len(values), freq=freq), "y": values})


def noisy(n, m=12, seed=0, level=30.0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.round(level + 0.1 * t + 6 * np.sin(2 * np.pi * t / m) + rng.normal(0, 3, n)).clip(0)


def test_seasonal_naive_known_answer_and_columns():
    # Monthly, season 12 inferred from the dates; the last season is 13..24,
    # so h = 14 gives 13..24 then 13, 14.
    df = frame(np.arange(1, 25, dtype=float))
    fc = caseload.forecast(df, horizon=14, model="seasonal_naive")
    assert list(fc.columns) == ["unique_id", "ds", "mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert fc["mean"].tolist() == list(range(13, 25)) + [13, 14]
    # Future dates continue the month starts: 2025-01-01 .. 2026-02-01.
    assert fc["ds"].iloc[0] == pd.Timestamp("2025-01-01")
    assert fc["ds"].iloc[-1] == pd.Timestamp("2026-02-01")
    assert (fc["unique_id"] == "T1").all()
    assert fc.attrs["models"] == {"T1": "seasonal_naive"}


def test_integer_periods_need_season_length():
    df = pd.DataFrame({"unique_id": "A", "ds": np.arange(1, 9), "y": [1.0, 5, 3, 7, 2, 6, 4, 8]})
    with pytest.raises(CaseloadError, match="season_length is required"):
        caseload.forecast(df, horizon=2)
    fc = caseload.forecast(df, horizon=6, season_length=4, model="seasonal_naive", levels=(90,))
    # Last season {2, 6, 4, 8}: 2, 6, 4, 8, 2, 6; ds continues 9..14.
    assert fc["mean"].tolist() == [2, 6, 4, 8, 2, 6]
    assert fc["ds"].tolist() == list(range(9, 15))
    assert list(fc.columns) == ["unique_id", "ds", "mean", "lo-90", "hi-90"]


def test_weekly_dates_infer_52_and_keep_weekday():
    df = frame(noisy(110, m=52), start="2022-01-03", freq="W-MON")
    fc = caseload.forecast(df, horizon=3, n_threads=1)
    assert fc["ds"].tolist() == [df["ds"].iloc[-1] + pd.Timedelta(weeks=k) for k in (1, 2, 3)]
    assert fc.attrs["models"]["T1"].startswith("auto[ETS(A,")  # long-season fast path


def test_intervals_nest_and_counts_are_non_negative_integers():
    parts = [frame(noisy(48, seed=i, level=4.0 + 10 * i), uid=f"S{i}") for i in range(4)]
    parts.append(frame([0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 0, 3] * 3, uid="sparse"))
    df = pd.concat(parts, ignore_index=True)
    fc = caseload.forecast(df, horizon=12, levels=(50, 80, 95), n_threads=1)
    assert (fc["lo-95"] <= fc["lo-80"]).all() and (fc["lo-80"] <= fc["lo-50"]).all()
    assert (fc["lo-50"] <= fc["mean"]).all() and (fc["mean"] <= fc["hi-50"]).all()
    assert (fc["hi-50"] <= fc["hi-80"]).all() and (fc["hi-80"] <= fc["hi-95"]).all()
    for col in ("lo-50", "hi-50", "lo-80", "hi-80", "lo-95", "hi-95"):
        assert (fc[col] >= 0).all()
        assert (fc[col] == np.floor(fc[col])).all()  # integer counts in, integer bounds out
    assert fc["unique_id"].unique().tolist() == ["S0", "S1", "S2", "S3", "sparse"]


def test_results_do_not_depend_on_n_threads_or_progress_chunks():
    df = pd.concat([frame(noisy(40 + i, seed=i), uid=f"S{i}") for i in range(9)], ignore_index=True)
    a = caseload.forecast(df, horizon=6, seed=7, n_threads=1)
    b = caseload.forecast(df, horizon=6, seed=7, n_threads=2)
    pd.testing.assert_frame_equal(a, b)
    # A progress bar forecasts in chunks; the result is the same.
    pytest.importorskip("tqdm")
    mod = sys.modules["caseload.forecast"]  # the module; caseload.forecast is the function
    old = mod._CHUNK
    mod._CHUNK = 4
    try:
        c = caseload.forecast(df, horizon=6, seed=7, n_threads=2, progress=True)
    finally:
        mod._CHUNK = old
    pd.testing.assert_frame_equal(a, c)


def test_zeros_forecast_zeros():
    fc = caseload.forecast(frame([0.0] * 30), horizon=4)
    assert (fc[["mean", "lo-80", "hi-80", "lo-95", "hi-95"]].to_numpy() == 0).all()


def test_missing_periods_error_or_fill_zero():
    df = frame(noisy(30)).drop(index=[10, 11]).reset_index(drop=True)
    with pytest.raises(CaseloadError, match=r'series "T1": 2 period\(s\) missing between ds 2023-10-01.*fill="zero"'):
        caseload.forecast(df, horizon=3)
    filled = caseload.forecast(df, horizon=3, fill="zero", model="naive")
    # The series now has 30 values (two zeros inserted); naive repeats the last.
    assert filled["mean"].tolist() == [df["y"].iloc[-1]] * 3
    # Same as passing the zeros explicitly.
    full = frame(noisy(30))
    full.loc[[10, 11], "y"] = 0
    pd.testing.assert_frame_equal(filled, caseload.forecast(full, horizon=3, model="naive"))


@pytest.mark.parametrize(
    "mutate, pattern",
    [
        (lambda d: d.iloc[[0, 2, 1] + list(range(3, len(d)))], r'series "T1": ds 2023-02-01 .* is unsorted'),
        (lambda d: pd.concat([d.iloc[:5], d.iloc[4:]]), r'series "T1": ds 2023-05-01 .* is duplicate'),
        (lambda d: d.assign(y=d["y"].where(d.index != 7, np.nan)), r'series "T1": y must be a finite number.*2023-08-01'),
        (lambda d: d.iloc[:2], r'series "T1": y has 2 values; at least 3 are needed'),
        (lambda d: d.drop(columns="y"), r"missing column\(s\) y"),
    ],
)
def test_error_paths_name_the_series(mutate, pattern):
    df = mutate(frame(noisy(24)))
    with pytest.raises(CaseloadError, match=pattern):
        caseload.forecast(df, horizon=3)


def test_bad_options():
    df = frame(noisy(24))
    with pytest.raises(CaseloadError, match=r"^forecast: horizon must be an integer in \[1, 520\], got 0$"):
        caseload.forecast(df, horizon=0)
    with pytest.raises(CaseloadError, match=r"forecast: horizon must be an integer in \[1, 520\], got 2.5"):
        caseload.forecast(df, horizon=2.5)
    with pytest.raises(CaseloadError, match="horizon is required"):
        caseload.forecast(df)
    with pytest.raises(CaseloadError, match=r"levels\[0\] must be in \(0, 100\)"):
        caseload.forecast(df, horizon=2, levels=(100,))
    with pytest.raises(CaseloadError, match="model must be one of"):
        caseload.forecast(df, horizon=2, model="prophet")
    with pytest.raises(CaseloadError, match="fill must be"):
        caseload.forecast(df, horizon=2, fill="ffill")
    with pytest.raises(CaseloadError, match=r"forecast: n_threads must be an integer in \[0, 1024\], got -1"):
        caseload.forecast(df, horizon=2, n_threads=-1)
    with pytest.raises(CaseloadError, match=r"forecast: seed must be an integer in \[0, 2\^53\], got -1"):
        caseload.forecast(df, horizon=2, seed=-1)
    with pytest.raises(CaseloadError, match=r"forecast: levels must be an array of numbers, got string"):
        caseload.forecast(df, horizon=2, levels="80")
    with pytest.raises(TypeError, match="unexpected keyword argument 'horizn'"):
        caseload.forecast(df, horizn=2)


def test_old_keyword_names_still_work_with_a_warning():
    # h, level and n_jobs (statsforecast's spellings) were renamed to the records' names.
    df = frame(noisy(24))
    new = caseload.forecast(df, horizon=3, levels=(90,), n_threads=1, seed=3)
    with pytest.warns(DeprecationWarning, match="h= is deprecated; use horizon="):
        old = caseload.forecast(df, h=3, levels=(90,), n_threads=1, seed=3)
    pd.testing.assert_frame_equal(new, old)
    with pytest.warns(DeprecationWarning, match="level= is deprecated; use levels="):
        old = caseload.forecast(df, 3, level=(90,), n_threads=1, seed=3)
    pd.testing.assert_frame_equal(new, old)
    with pytest.warns(DeprecationWarning, match="n_jobs= is deprecated; use n_threads="):
        old = caseload.forecast(df, 3, levels=(90,), n_jobs=-1, seed=3)  # -1: all cores, as before
    pd.testing.assert_frame_equal(new, old)
    with pytest.raises(CaseloadError, match="give horizon only"):
        caseload.forecast(df, 3, h=4)


def test_json_api_op_and_core_json_agree():
    y = [1, 5, 3, 7, 2, 6, 4, 8]
    req = {"op": "forecast", "series": [{"id": "A", "y": y}],
           "options": {"horizon": 2, "season_length": 4, "model": "seasonal_naive", "levels": [80]}}
    res = caseload.json_request(req)
    assert res["ok"] is True
    f = res["result"]["forecasts"][0]
    assert f["id"] == "A" and f["mean"] == [2, 6] and f["intervals"][0]["level"] == 80
    assert json.loads(caseload._core.forecast_json(json.dumps(req))) == res["result"]


def test_cli_forecast_round_trip(tmp_path, capsys):
    src = tmp_path / "series.csv"
    pd.concat([frame(noisy(36, seed=1), uid="North"), frame(noisy(36, seed=2), uid="South")]).to_csv(src, index=False)
    out = tmp_path / "forecasts.csv"
    assert cli_main(["forecast", "--in", str(src), "--h", "12", "--level", "80", "95", "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert list(got.columns) == ["unique_id", "ds", "mean", "lo-80", "hi-80", "lo-95", "hi-95"]
    assert got["unique_id"].tolist() == ["North"] * 12 + ["South"] * 12
    assert got["ds"].iloc[0] == "2026-01-01"
    bad = tmp_path / "bad.csv"
    bad.write_text("unique_id,ds,y\nA,2024-01-01,1\nA,2024-01-01,2\nA,2024-02-01,3\n")
    assert cli_main(["forecast", "--in", str(bad), "--h", "2", "--out", str(out)]) == 2
    assert "is duplicate" in capsys.readouterr().err


def test_optimised_theta_in_python_and_json():
    # A straight line 10, 12, ..., 48 (slope 2): the optimised Theta model
    # pushes theta up until the forecast carries the whole slope, so the
    # forecast continues the line (50, 52, 54) closely; "stm" (theta = 2)
    # carries only half the slope per step.
    y = 10.0 + 2.0 * np.arange(20)
    df = frame(y, freq="MS")
    fc = caseload.forecast(df, horizon=3, season_length=1, model="otm")
    assert fc.attrs["models"] == {"T1": "OTM"}
    np.testing.assert_allclose(fc["mean"].to_numpy(), [50.0, 52.0, 54.0], atol=0.05)
    stm = caseload.forecast(df, horizon=3, season_length=1, model="stm")["mean"].to_numpy()
    np.testing.assert_allclose(np.diff(stm), [1.0, 1.0], atol=1e-9)
    req = {"op": "forecast", "series": [{"id": "T1", "y": y.tolist()}],
           "options": {"horizon": 3, "season_length": 1, "model": "otm"}}
    res = json.loads(caseload._core.forecast_json(json.dumps(req)))
    out = res["forecasts"][0]
    assert out["model"] == "OTM"
    np.testing.assert_allclose(out["mean"], fc["mean"].to_numpy(), rtol=1e-12)
