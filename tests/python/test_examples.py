"""The examples in examples/ run as they are documented (as scripts), so they cannot rot."""
import os
import runpy

import matplotlib
import pytest

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "examples")


@pytest.mark.parametrize("name", ["notebook_quickstart.py"])
def test_example_script_runs(name, tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)  # anything the example writes lands in a scratch folder
    namespace = runpy.run_path(os.path.join(EXAMPLES, name), run_name="__main__")
    assert "model" in namespace
