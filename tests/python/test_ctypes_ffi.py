"""The C API from another runtime: Python ctypes ALONE (no pybind11, no caseload
package), as a C#/Java/Go binding would use libcaseload.so.

Finds the library through the CASELOAD_LIBRARY environment variable (the CTest
test `ffi_ctypes` sets it) or else in a CMake build directory of this tree.
Runs under pytest, or as a script (`python3 test_ctypes_ffi.py`) without it.
"""

from __future__ import annotations

import ctypes
import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]

WORKERS = [
    {"id": "W1", "team": "A", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37},
    {"id": "W2", "team": "A", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 18.5},
]
CASES = [
    {"id": "C1", "case_type": "child_in_need", "open_date": "2024-01-10", "allocations": [{"worker_id": "W1"}]},
    {"id": "C2", "case_type": "child_in_need", "open_date": "2024-01-11", "allocations": [{"worker_id": "W2"}]},
]


class WorkerLoad(ctypes.Structure):
    # Field for field caseload_worker_load in caseload.h.
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("worker_id", ctypes.c_char_p), ("team", ctypes.c_char_p), ("service_area", ctypes.c_char_p),
        ("role", ctypes.c_char_p), ("case_holding", ctypes.c_int32), ("is_asye", ctypes.c_int32),
        ("fte", ctypes.c_double), ("available_hours", ctypes.c_double), ("cases", ctypes.c_double),
        ("points", ctypes.c_double), ("capacity", ctypes.c_double), ("utilisation", ctypes.c_double),
        ("headroom", ctypes.c_double), ("band", ctypes.c_int32), ("over_case_benchmark", ctypes.c_int32),
        ("asye_protected", ctypes.c_int32),
    ]


def find_library() -> str | None:
    env = os.environ.get("CASELOAD_LIBRARY")
    if env:
        return env
    for preset in ("release", "debug"):
        candidate = ROOT / "build" / preset / "libcaseload.so"
        if candidate.exists():
            return str(candidate)
    return None


def load():
    path = find_library()
    if path is None:
        import pytest

        pytest.skip("libcaseload.so not built (set CASELOAD_LIBRARY)")
    lib = ctypes.CDLL(path)
    P = ctypes.c_void_p
    PP = ctypes.POINTER(ctypes.c_void_p)
    sig = {
        "caseload_last_error": (ctypes.c_char_p, []),
        "caseload_last_error_code": (ctypes.c_int, []),
        "caseload_string_free": (None, [P]),
        "caseload_libversion": (ctypes.c_char_p, []),
        "caseload_scheme_default": (ctypes.c_int, [PP]),
        "caseload_scheme_to_json": (ctypes.c_int, [PP, P]),
        "caseload_scheme_from_json": (ctypes.c_int, [PP, ctypes.c_char_p, ctypes.c_size_t]),
        "caseload_scheme_free": (None, [P]),
        "caseload_model_create_json": (ctypes.c_int, [PP, P, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]),
        "caseload_model_free": (None, [P]),
        "caseload_model_worker_count": (ctypes.c_int, [ctypes.POINTER(ctypes.c_size_t), P]),
        "caseload_worker_load_get": (ctypes.c_int, [ctypes.POINTER(WorkerLoad), P, ctypes.c_size_t]),
        "caseload_model_rollup_json": (ctypes.c_int, [PP, P, ctypes.c_int32]),
        "caseload_model_upsert_json": (ctypes.c_int, [P, ctypes.c_char_p, ctypes.c_char_p]),
        "caseload_model_to_json": (ctypes.c_int, [PP, P]),
        "caseload_request_json": (ctypes.c_int, [PP, ctypes.c_char_p, ctypes.c_size_t]),
    }
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


def take_string(lib, ptr: ctypes.c_void_p) -> str:
    assert ptr.value, "expected a string"
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        lib.caseload_string_free(ptr)


def test_scheme_model_loads_and_free():
    lib = load()
    scheme = ctypes.c_void_p()
    assert lib.caseload_scheme_default(ctypes.byref(scheme)) == 0
    text = ctypes.c_void_p()
    assert lib.caseload_scheme_to_json(ctypes.byref(text), scheme) == 0
    scheme_json = take_string(lib, text).encode()
    # The exported scheme reads back through the (pointer, length) entry point.
    again = ctypes.c_void_p()
    assert lib.caseload_scheme_from_json(ctypes.byref(again), scheme_json, len(scheme_json)) == 0
    lib.caseload_scheme_free(scheme)

    model = ctypes.c_void_p()
    rc = lib.caseload_model_create_json(ctypes.byref(model), again, json.dumps(WORKERS).encode(),
                                        json.dumps(CASES).encode(), b"2024-03-31")
    lib.caseload_scheme_free(again)  # the model keeps its own copy
    assert rc == 0, lib.caseload_last_error()
    count = ctypes.c_size_t()
    assert lib.caseload_model_worker_count(ctypes.byref(count), model) == 0 and count.value == 2
    loads = []
    for i in range(count.value):
        w = WorkerLoad(struct_size=ctypes.sizeof(WorkerLoad))
        assert lib.caseload_worker_load_get(ctypes.byref(w), model, i) == 0
        loads.append((w.worker_id.decode(), w.cases, w.points, w.capacity, w.fte))
    # Same case type for both, so equal points; W2 works 18.5 of 37 hours:
    # fte 0.5 and half the capacity (capacity = 100 * h / 37 under the default scheme).
    (id1, cases1, pts1, cap1, fte1), (id2, cases2, pts2, cap2, fte2) = loads
    assert (id1, id2) == ("W1", "W2") and cases1 == cases2 == 1
    assert pts1 == pts2 > 0
    assert fte1 == 1.0 and fte2 == 0.5 and abs(cap2 - cap1 / 2) < 1e-12

    out = ctypes.c_void_p()
    assert lib.caseload_model_rollup_json(ctypes.byref(out), model, 2) == 0
    org = json.loads(take_string(lib, out))
    assert len(org) == 1 and org[0]["group"] == "organisation" and org[0]["workers"] == 2
    lib.caseload_model_free(model)
    lib.caseload_model_free(None)  # free accepts NULL


def test_last_error_names_record_and_field():
    lib = load()
    bad = [dict(WORKERS[0], id="W17", contracted_hours=-0.2)]
    model = ctypes.c_void_p()
    rc = lib.caseload_model_create_json(ctypes.byref(model), None, json.dumps(bad).encode(), b"[]", b"2024-03-31")
    assert rc == -1 and model.value is None
    assert lib.caseload_last_error_code() == -1
    assert lib.caseload_last_error().decode() == 'worker "W17": contracted_hours must be in (0, 60], got -0.2'
    # Malformed JSON is EPARSE; a later success clears the message.
    assert lib.caseload_model_create_json(ctypes.byref(model), None, b"[{", b"[]", b"2024-03-31") == -2
    assert lib.caseload_last_error().decode().startswith("JSON parse error")
    scheme = ctypes.c_void_p()
    assert lib.caseload_scheme_default(ctypes.byref(scheme)) == 0
    assert lib.caseload_last_error() == b"" and lib.caseload_last_error_code() == 0
    lib.caseload_scheme_free(scheme)


def test_failed_upsert_changes_nothing():
    lib = load()
    model = ctypes.c_void_p()
    assert lib.caseload_model_create_json(ctypes.byref(model), None, json.dumps(WORKERS).encode(),
                                          json.dumps(CASES).encode(), b"2024-03-31") == 0
    before = ctypes.c_void_p()
    assert lib.caseload_model_to_json(ctypes.byref(before), model) == 0
    before_text = take_string(lib, before)
    # A good record, then a bad one: the batch must be rejected as a whole.
    batch = [dict(WORKERS[0], contracted_hours=30), dict(WORKERS[1], id="W9", role="wizard")]
    assert lib.caseload_model_upsert_json(model, json.dumps(batch).encode(), None) == -3
    assert "wizard" in lib.caseload_last_error().decode()
    after = ctypes.c_void_p()
    assert lib.caseload_model_to_json(ctypes.byref(after), model) == 0
    assert take_string(lib, after) == before_text
    lib.caseload_model_free(model)


def test_request_json():
    lib = load()
    req = json.dumps({"op": "version"}).encode()
    out = ctypes.c_void_p()
    assert lib.caseload_request_json(ctypes.byref(out), req, len(req)) == 0
    resp = json.loads(take_string(lib, out))
    assert resp["ok"] is True and resp["result"]["version"] == lib.caseload_libversion().decode()
    bad = b'{"op":"frobnicate"}'
    assert lib.caseload_request_json(ctypes.byref(out), bad, len(bad)) == -1 and out.value is None
    assert "unknown op" in lib.caseload_last_error().decode()


if __name__ == "__main__":
    tests = [v for k, v in sorted(globals().items()) if k.startswith("test_") and callable(v)]
    for t in tests:
        t()
        print(f"ok {t.__name__}")
    print(f"{len(tests)} ctypes FFI tests passed")
