#!/usr/bin/env python3
"""Writes the hand-made seed corpora in tests/fuzz/corpus/<target>/seed_*.

Run from anywhere; re-running rewrites the seed_* files only (minimised fuzz
finds are kept as crash_*/find_* files beside them). Seeds cover the valid
shapes of each format plus one example of each kind of rejection.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
REPO = ROOT.parents[1]

TINY = {
    "name": "tiny",
    "versions": [{
        "version": "t1", "effective_from": "2020-01-01", "effective_to": None,
        "capacity": {"kind": "hours", "target_points": 100, "standard_hours": 37, "round_down": False},
        "case_types": [{"name": "cin", "base_points": 10}, {"name": "cp", "base_points": 20, "asye_cowork_only": True}],
        "factors": [{"name": "court", "kind": "add", "value": 5}, {"name": "complex", "kind": "multiply", "value": 1.5}],
        "tasks": [{"name": "report", "points": 4}],
        "roles": [{"name": "sw"}, {"name": "asye", "capacity_cap": 0.9, "is_asye": True, "max_cases": 2},
                  {"name": "tm", "case_holding": False}],
        "service_areas": [{"name": "cin", "thresholds": {"green_below": 0.85, "amber_to": 1.0, "excessive_above": 1.1},
                           "safe_caseload_cases": 2}],
    }],
}

WORKERS = [
    {"id": "W1", "team": "A", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37},
    {"id": "W2", "team": "A", "service_area": "children_in_need", "role": "asye", "contracted_hours": 37,
     "reductions": [{"reason": "asye_development", "percent": 10, "start": "2023-09-01", "end": None}]},
    {"id": "W3", "team": "B", "service_area": "child_protection", "role": "social_worker", "contracted_hours": 18.5,
     "skills": ["court", "welsh"], "agency": True, "start_date": "2019-05-06", "experience_level": "experienced",
     "experience_years": 6, "reported_weekly_hours": 41.5, "expected_new_cases": 2,
     "reductions": [{"reason": "union", "hours": 3.7}]},
]
CASES = [
    {"id": "C1", "case_type": "child_in_need", "open_date": "2024-01-10", "allocations": [{"worker_id": "W1"}]},
    {"id": "C2", "case_type": "child_protection", "factors": ["court_proceedings"], "open_date": "2023-11-02",
     "allocations": [{"worker_id": "W1", "share": 0.5}, {"worker_id": "W2", "share": 0.5}],
     "tasks": [{"type": "court_report", "due": "2024-04-15"}, {"type": "statutory_visit", "points": 2.5,
                "created": "2024-03-01", "due": "2024-03-30", "completed": True}]},
    {"id": "C3", "family_id": "F1", "case_type": "child_in_need", "open_date": "2024-02-01", "team": "B"},
]
SNAPSHOTS = [{"date": d, "worker_id": "W1", "utilisation": u} for d, u in
             [("2024-03-03", 1.2), ("2024-03-10", 1.15), ("2024-03-17", 1.3), ("2024-03-24", 1.11)]] + [
    {"date": "2024-03-24", "worker_id": "W3", "utilisation": 0.7, "cases": 9, "points": 35, "capacity": 50,
     "team": "B", "service_area": "child_protection"}]


def dump(x):
    return json.dumps(x, separators=(",", ":"))


def write(target, seeds):
    d = ROOT / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    for old in d.glob("seed_*"):
        old.unlink()
    for name, text in seeds.items():
        (d / f"seed_{name}").write_bytes(text.encode() if isinstance(text, str) else text)


def json_record_seeds(records, first_field):
    return {
        "valid": dump(records),
        "pretty": json.dumps(records, indent=2),
        "one": dump(records[:1]),
        "empty": "[]",
        "not_array": dump(records[0]),
        "unknown_field": dump([dict(records[0], colour="blue")]),
        "wrong_type": dump([dict(records[0], **{first_field: 7})]),
        "truncated": dump(records)[:-7],
        "unicode": dump([dict(records[0], id="W\u00e9\u4e2d\\\"q")]).replace("\\u00e9", "\u00e9"),
        "deep": "[" * 70 + "]" * 70,
        "duplicate_key": '[{"id":"a","id":"b"}]',
        "numbers": dump([dict(records[0])]).replace("37", "3.7e1").replace("1.2", "12e-1"),
    }


def main():
    default_scheme = (REPO / "data" / "default_scheme.json").read_text()
    two = json.loads(json.dumps(TINY))
    v2 = json.loads(json.dumps(TINY["versions"][0]))
    two["versions"][0]["effective_to"] = "2023-12-31"
    v2.update(version="t2", effective_from="2024-01-01")
    v2["capacity"] = {"kind": "points_per_fte", "target_points": 90, "standard_hours": 36, "round_down": True}
    two["versions"].append(v2)
    overlap = json.loads(json.dumps(two))
    overlap["versions"][1]["effective_from"] = "2023-06-01"
    negative = json.loads(json.dumps(TINY))
    negative["versions"][0]["case_types"][0]["base_points"] = -1
    bad_kind = json.loads(json.dumps(TINY))
    bad_kind["versions"][0]["factors"][0]["kind"] = "divide"
    write("scheme_json", {
        "default": default_scheme, "tiny": dump(TINY), "two_versions": dump(two), "overlap": dump(overlap),
        "negative_points": dump(negative), "bad_factor_kind": dump(bad_kind),
        "unknown_field": dump(dict(TINY, extra=1)), "empty_object": "{}", "array": "[]",
        "bad_date": dump(TINY).replace("2020-01-01", "2020-02-30"), "deep": '{"a":' * 80 + "1" + "}" * 80,
        "escapes": dump(dict(TINY, name="t\u00e9\\n\\u0041\\ud83d\\ude00")),
    })

    write("workers_json", json_record_seeds(WORKERS, "contracted_hours"))
    write("cases_json", json_record_seeds(CASES, "open_date"))
    write("snapshots_json", json_record_seeds(SNAPSHOTS, "utilisation"))

    workers_csv = ("id,team,service_area,role,contracted_hours,experience_level,experience_years,skills,start_date,"
                   "agency,reductions,reported_weekly_hours,expected_new_cases\n"
                   "W1,A,children_in_need,social_worker,37,,0,,,false,,,\n"
                   "W2,A,children_in_need,asye,37,,,,2023-09-01,false,asye_development:10%:2023-09-01:,,\n"
                   "W3,B,child_protection,social_worker,18.5,experienced,6,court;welsh,2019-05-06,true,union:3.7h::,"
                   "41.5,2\n")
    minimal_w = "id,team,role,contracted_hours\nW1,A,social_worker,37\n"
    write("workers_csv", {
        "valid": workers_csv, "minimal": minimal_w, "crlf_bom": "\ufeff" + minimal_w.replace("\n", "\r\n"),
        "quoted": 'id,team,role,contracted_hours\n"W,1","Team ""A""\nnorth",social_worker, 37 \n',
        "escaped_lists": "id,team,role,contracted_hours,skills,reductions\nW1,A,sw,37,court\\;work;a\\\\b,"
                         "x\\:y:10%::\n",
        "header_only": "id,team,role,contracted_hours\n", "empty": "",
        "unknown_column": "id,team,role,contracted_hours,colour\nW1,A,sw,37,blue\n",
        "short_row": "id,team,role,contracted_hours\nW1,A,sw\n",
        "bad_number": "id,team,role,contracted_hours\nW1,A,sw,nan\n",
        "unterminated_quote": 'id,team,role,contracted_hours\n"W1,A,sw,37\n',
        "duplicate_column": "id,id,team,role,contracted_hours\nW1,W1,A,sw,37\n",
    })
    cases_csv = ("id,family_id,case_type,factors,open_date,team,allocations,tasks\n"
                 "C1,,child_in_need,,2024-01-10,,W1,\n"
                 "C2,,child_protection,court_proceedings,2023-11-02,,W1:0.5;W2:0.5,"
                 "court_report:2024-04-15;statutory_visit:2024-03-30:2.5:2024-03-01:done\n"
                 "C3,F1,child_in_need,,2024-02-01,B,,\n")
    write("cases_csv", {
        "valid": cases_csv, "minimal": "id,case_type,open_date\nC1,child_in_need,2024-01-10\n",
        "cowork": "id,case_type,open_date,allocations\nC1,cp,2024-01-10,W1:0.5;W2:0.5\n",
        "tasks_all_parts": "id,case_type,open_date,tasks\nC1,cin,2024-01-10,report:2024-02-01:3:2024-01-11:done\n",
        "escaped_worker": "id,case_type,open_date,allocations\nC1,cin,2024-01-10,W\\:2:1\n",
        "empty_item": "id,case_type,open_date,factors\nC1,cin,2024-01-10,a;;b\n",
        "bad_date": "id,case_type,open_date\nC1,cin,2024-13-01\n",
        "bad_share": "id,case_type,open_date,allocations\nC1,cin,2024-01-10,W1:x\n",
        "quoted_newline": 'id,case_type,open_date,team\nC1,cin,2024-01-10,"B\nB"\n',
        "too_many_task_parts": "id,case_type,open_date,tasks\nC1,cin,2024-01-10,a:b:c:d:e:f\n",
        "missing_required": "id,case_type\nC1,cin\n", "blank_lines": "id,case_type,open_date\n\n\nC1,cin,2024-01-10\n\n",
    })
    write("snapshots_csv", {
        "valid": "date,worker_id,utilisation,cases,points,capacity,team,service_area\n" + "".join(
            f"{s['date']},{s['worker_id']},{s['utilisation']},,,,,\n" for s in SNAPSHOTS[:4]) +
            "2024-03-24,W3,0.7,9,35,50,B,child_protection\n",
        "minimal": "date,worker_id,utilisation\n2024-03-03,W1,1.2\n",
        "reordered": "utilisation,worker_id,date\n1.2,W1,2024-03-03\n",
        "duplicate_row": "date,worker_id,utilisation\n2024-03-03,W1,1.2\n2024-03-03,W1,1.3\n",
        "negative": "date,worker_id,utilisation\n2024-03-03,W1,-1\n",
        "huge": "date,worker_id,utilisation\n2024-03-03,W1,1e308\n",
        "inf": "date,worker_id,utilisation\n2024-03-03,W1,inf\n",
        "unknown_worker": "date,worker_id,utilisation\n2024-03-03,W9,1.2\n",
        "bad_date": "date,worker_id,utilisation\n03/03/2024,W1,1.2\n",
        "quote_in_field": 'date,worker_id,utilisation\n2024-03-03,W"1,1.2\n',
        "crlf": "date,worker_id,utilisation\r\n2024-03-03,W1,1.2\r\n",
        "plus_sign": "date,worker_id,utilisation\n 2024-03-03 ,W1,+1.2\n",
    })

    base = {"as_of": "2024-03-31", "workers": WORKERS, "cases": CASES}
    write("request_json", {
        "version": '{"op":"version"}', "validate": dump(dict(base, op="validate", snapshots=SNAPSHOTS)),
        "worker_loads": dump(dict(base, op="worker_loads")),
        "worker_loads_tiny_scheme": dump({"op": "worker_loads", "scheme": TINY, "as_of": "2024-03-31",
                                          "workers": [{"id": "W1", "team": "A", "role": "sw", "contracted_hours": 37}],
                                          "cases": [{"id": "C1", "case_type": "cin", "open_date": "2024-01-01",
                                                     "allocations": [{"worker_id": "W1"}]}]}),
        "breakdown": dump(dict(base, op="breakdown", worker_id="W1")),
        "rollup": dump(dict(base, op="rollup", level="service_area")),
        "exceedance_history": dump({"op": "exceedance_history", "workers": WORKERS, "snapshots": SNAPSHOTS,
                                    "rule": {"threshold": 1.1, "min_consecutive": 2, "max_gap_days": 7},
                                    "from": "2024-01-01", "to": "2024-03-31"}),
        "preview_move": dump(dict(base, op="preview", change={"kind": "move_case", "case_id": "C1", "to_worker": "W3"})),
        "health_check_json": dump(dict(base, op="health_check", snapshots=SNAPSHOTS,
                                       options={"organisation": "Northshire", "history_days": 90,
                                                "overtime_tolerance_hours": 1, "exceedance": {"min_consecutive": 2}})),
        "health_check_csv": dump(dict(base, op="health_check", format="csv")),
        "health_check_html": dump(dict(base, op="health_check", format="html", snapshots=SNAPSHOTS)),
        "unknown_op": '{"op":"frobnicate"}',
    })
    write("change_json", {
        "add": dump({"kind": "add_case", "case": {"id": "C9", "case_type": "child_in_need", "open_date": "2024-03-30",
                                                   "allocations": [{"worker_id": "W1"}]}}),
        "add_cowork": dump({"kind": "add_case", "case": {"id": "C9", "case_type": "child_protection",
                                                          "open_date": "2024-03-30", "factors": ["interpreter"],
                                                          "allocations": [{"worker_id": "W2", "share": 0.5},
                                                                          {"worker_id": "W3", "share": 0.5}]}}),
        "remove": '{"kind":"remove_case","case_id":"C2"}',
        "move": '{"kind":"move_case","case_id":"C3","to_worker":"W2"}',
        "move_unknown_worker": '{"kind":"move_case","case_id":"C1","to_worker":"W9"}',
        "remove_unknown": '{"kind":"remove_case","case_id":"C9"}',
        "add_duplicate": dump({"kind": "add_case", "case": {"id": "C1", "case_type": "child_in_need",
                                                             "open_date": "2024-03-30"}}),
        "add_bad_type": dump({"kind": "add_case", "case": {"id": "C9", "case_type": "nope", "open_date": "2024-03-30"}}),
        "bad_kind": '{"kind":"teleport_case","case_id":"C1"}',
        "extra_field": '{"kind":"remove_case","case_id":"C1","to_worker":"W2"}',
        "not_object": '["remove_case"]', "empty": "",
    })


if __name__ == "__main__":
    main()
