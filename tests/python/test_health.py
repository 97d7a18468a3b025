"""The health check from Python: formats, saving, summary."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

import caseload

from test_history import snapshots


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)


def parse_html(text):
    p = _Tags()
    p.feed(text)
    p.close()
    return p.tags


def test_health_check_without_snapshots(model):
    hc = model.health_check(organisation="Tiny Council")
    s = hc.summary
    assert s["organisation"] == "Tiny Council"
    assert s["as_of"] == "2024-03-31"
    assert s["rollup"]["points"] == pytest.approx(76.5)  # same figures as the model's roll-up
    assert s["rollup"]["utilisation"] == pytest.approx(76.5 / 231.0)
    assert hc.history is None
    assert hc.timeline.empty
    assert list(hc.teams["group"]) == ["A", "B"]
    assert len(hc.workers) == 3
    doc = json.loads(hc.to_json())
    assert isinstance(doc, dict)
    assert "Tiny Council" in hc.to_html()
    assert hc.to_csv().splitlines()[0] == "level,group,metric,value"
    assert "Tiny Council" in repr(hc) and "<table" in hc._repr_html_()


def test_health_check_with_snapshots(model):
    hc = model.health_check(snapshots=snapshots(), history_days=365)
    h = hc.history
    assert h is not None
    assert h.episodes["worker_id"].tolist() == ["W1"]
    assert len(hc.timeline) == 5  # five weekly dates


def test_save_by_extension(model, tmp_path):
    hc = model.health_check(snapshots=snapshots())
    for ext in ("html", "json", "csv"):
        path = hc.save(tmp_path / f"report.{ext}")
        text = (tmp_path / f"report.{ext}").read_text()
        assert path.endswith(ext) and text
    assert "svg" in parse_html((tmp_path / "report.html").read_text())
    json.loads((tmp_path / "report.json").read_text())
    with pytest.raises(caseload.CaseloadError, match="unknown report format"):
        hc.save(tmp_path / "report.pdf")
    with pytest.raises(caseload.CaseloadError) as e:
        hc.save(tmp_path / "no" / "such" / "dir" / "report.html")
    assert e.value.code == "io"


def test_json_request_round_trip():
    resp = caseload.json_request({"op": "version"})
    assert isinstance(resp, dict)
    assert isinstance(caseload.json_request(json.dumps({"op": "version"})), str)
    with pytest.raises(caseload.CaseloadError):
        caseload.json_request("{not json")
