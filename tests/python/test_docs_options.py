"""The docs' options tables are made from the core's option records (scripts/options_tables.py)."""
import os
import runpy

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def test_options_tables_in_docs_are_current():
    tables = runpy.run_path(os.path.join(ROOT, "scripts", "options_tables.py"))
    stale = tables["update"](check=True)
    assert stale == [], f"run `python scripts/options_tables.py`: out of date in docs/{stale}"


def test_every_option_is_in_a_docs_table():
    tables = runpy.run_path(os.path.join(ROOT, "scripts", "options_tables.py"))
    text = "".join(open(os.path.join(ROOT, "docs", n), encoding="utf-8").read()
                   for n in os.listdir(os.path.join(ROOT, "docs")) if n.endswith(".md"))
    for capability in ("allocation", "rebalance", "league", "projection", "forecast", "gap", "health_check"):
        assert f"<!-- options:{capability} -->" in text
        assert tables["render"](capability) in text
