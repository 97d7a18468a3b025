"""Shared fixtures: a tiny scheme and model whose figures are computed by hand."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

import caseload

# A scheme small enough to check by hand. Capacity: 100 points for 37 h/week.
TINY_SCHEME = {
    "name": "tiny",
    "versions": [
        {
            "version": "t1",
            "effective_from": "2020-01-01",
            "effective_to": None,
            "capacity": {"kind": "hours", "target_points": 100, "standard_hours": 37, "round_down": False},
            "case_types": [
                {"name": "cin", "base_points": 10},
                {"name": "cp", "base_points": 20, "asye_cowork_only": True},
            ],
            "factors": [
                {"name": "court", "kind": "add", "value": 5},
                {"name": "complex", "kind": "multiply", "value": 1.5},
            ],
            "tasks": [{"name": "report", "points": 4}],
            "roles": [
                {"name": "sw"},
                {"name": "asye", "capacity_cap": 0.9, "is_asye": True, "max_cases": 2},
                {"name": "tm", "case_holding": False},
            ],
            "service_areas": [
                {
                    "name": "cin",
                    "thresholds": {"green_below": 0.85, "amber_to": 1.0, "excessive_above": 1.1},
                    "safe_caseload_cases": 2,
                }
            ],
        }
    ],
}

AS_OF = "2024-03-31"


def tiny_workers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["W1", "W2", "W3"],
            "team": ["A", "A", "B"],
            "service_area": ["cin", "cin", "cin"],
            "role": ["sw", "sw", "asye"],
            "contracted_hours": [37.0, 18.5, 37.0],
            "skills": [["welsh", "court"], [], "urdu"],
            "start_date": [pd.Timestamp("2015-01-05"), None, "2023-09-01"],
            "agency": [False, True, False],
            "reductions": [[], None, [{"reason": "asye_development", "percent": 10}]],
        }
    )


def tiny_cases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["C1", "C2", "C3", "C4", "C5", "C6"],
            "family_id": ["F1", "F1", "F2", "", "F3", "F4"],
            "case_type": ["cin", "cin", "cp", "cin", "cin", "cin"],
            "factors": [[], ["court", "complex"], [], [], [], []],
            "open_date": ["2024-01-01", "2024-02-01", "2023-12-01", "2024-03-01", "2024-03-10", "2024-03-21"],
            "team": ["", "", "", "", "", "B"],
            "allocations": ["W1", ["W1"], [("W1", 0.5), ("W2", 0.5)], "W2", {"W3": 1.0}, []],
            "tasks": [[], [], [], [{"type": "report", "due": "2024-04-30"}], None, []],
        }
    )


@pytest.fixture
def scheme_dict():
    return copy.deepcopy(TINY_SCHEME)


@pytest.fixture
def scheme():
    return caseload.Scheme.from_json(TINY_SCHEME)


@pytest.fixture
def workers():
    return tiny_workers()


@pytest.fixture
def cases():
    return tiny_cases()


@pytest.fixture
def model(scheme, workers, cases):
    return caseload.Caseload(scheme, workers=workers, cases=cases, as_of=AS_OF)


@pytest.fixture(scope="session")
def sample():
    return caseload.datasets.sample_authority()
