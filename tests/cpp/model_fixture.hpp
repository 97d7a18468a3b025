// A small hand-checkable scheme and model shared by the model, roll-up,
// impact and history tests. Every figure the tests expect is derived in the
// comments here or next to the assertion.
#pragma once

#include <string>
#include <vector>

#include "caseload/model.hpp"
#include "caseload/scheme.hpp"

namespace caseload::fixture {

inline Date ymd(int y, int m, int d) {
  return Date::from_ymd(y, m, d);
}

// Version 2024.1 (2024-01-01 .. 2024-06-30):
//   capacity: hours kind, 20 points per 37 h, no rounding
//   case types: cin 4, cp 8 (ASYE co-work only), lac 6
//   factors: court +3, complex x1.5; task court_report 4
//   roles: sw (cap 1), asye (cap 0.9, max 3 cases), tm (not case-holding)
//   service area children: bands 0.85 / 1.0 / 1.1, safe 2 cases per FTE
// Version 2024.2 (from 2024-07-01): the same except cp is worth 10 and the
// children excessive threshold is 1.3.
inline SchemeVersion test_version_1() {
  SchemeVersion v;
  v.version = "2024.1";
  v.effective_from = ymd(2024, 1, 1);
  v.effective_to = ymd(2024, 6, 30);
  v.capacity.kind = CapacityPolicy::Kind::hours;
  v.capacity.target_points = 20;
  v.capacity.standard_hours = 37;
  v.case_types = {{"cin", 4, false, ""}, {"cp", 8, true, ""}, {"lac", 6, false, ""}};
  v.factors = {{"court", FactorRule::Kind::add, 3, ""}, {"complex", FactorRule::Kind::multiply, 1.5, ""}};
  v.tasks = {{"court_report", 4, ""}};
  RoleRule sw{"sw", 1.0, true, false, std::nullopt, ""};
  RoleRule asye{"asye", 0.9, true, true, 3.0, ""};
  RoleRule tm{"tm", 1.0, false, false, std::nullopt, ""};
  v.roles = {sw, asye, tm};
  v.service_areas = {{"children", Thresholds{0.85, 1.0, 1.1}, 2, ""}};
  v.default_service_area = {"default", Thresholds{}, 16, ""};
  return v;
}

inline SchemeVersion test_version_2() {
  SchemeVersion v = test_version_1();
  v.version = "2024.2";
  v.effective_from = ymd(2024, 7, 1);
  v.effective_to.reset();
  v.case_types[1].base_points = 10;
  v.service_areas[0].thresholds.excessive_above = 1.3;
  return v;
}

inline WeightingScheme test_scheme() {
  return WeightingScheme("test", {test_version_1(), test_version_2()});
}

inline Date known_as_of() {
  return ymd(2024, 3, 31);
}

inline Worker make_worker(std::string id, std::string team, std::string role, double hours = 37) {
  Worker w;
  w.id = std::move(id);
  w.team = std::move(team);
  w.service_area = "children";
  w.role = std::move(role);
  w.contracted_hours = hours;
  return w;
}

// A: sw, T1, 37 h.
// B: asye, T1, 37 h, 10% development time (open-ended).
// C: sw, T2, 18.5 h, 3.7 h reduction in 2024.
inline std::vector<Worker> known_workers() {
  Worker a = make_worker("A", "T1", "sw");
  Worker b = make_worker("B", "T1", "asye");
  b.reductions.push_back({"asye_development", 10.0, std::nullopt, std::nullopt, std::nullopt});
  Worker c = make_worker("C", "T2", "sw", 18.5);
  c.reductions.push_back({"union", std::nullopt, 3.7, ymd(2024, 1, 1), ymd(2024, 12, 31)});
  return {a, b, c};
}

inline Case make_case(std::string id, std::string type, std::vector<Allocation> alloc,
                      std::vector<std::string> factors = {}) {
  Case c;
  c.id = std::move(id);
  c.case_type = std::move(type);
  c.allocations = std::move(alloc);
  c.factors = std::move(factors);
  c.opened = ymd(2024, 1, 10);
  return c;
}

// On 2024-03-31 (scheme 2024.1):
//   C1 cin, A, court + complex: (4 + 3) * 1.5 = 10.5
//   C2 cp, A 0.5 / B 0.5, court: 8 + 3 = 11 (5.5 each)
//   C3 lac, B, open court_report task: 6 + 4 = 10
//   C4 cin, C, one completed task and one past its due date: 4
//   C5 cp, C, complex: 8 * 1.5 = 12
//   C6 cin, unallocated, team T2, opened 2024-03-01 (30 days old): 4
inline std::vector<Case> known_cases() {
  Case c1 = make_case("C1", "cin", {{"A", 1.0}}, {"court", "complex"});
  Case c2 = make_case("C2", "cp", {{"A", 0.5}, {"B", 0.5}}, {"court"});
  Case c3 = make_case("C3", "lac", {{"B", 1.0}});
  c3.tasks.push_back({"court_report", std::nullopt, ymd(2024, 3, 1), ymd(2024, 4, 30), false});
  Case c4 = make_case("C4", "cin", {{"C", 1.0}});
  c4.tasks.push_back({"court_report", std::nullopt, ymd(2024, 2, 1), std::nullopt, true});
  c4.tasks.push_back({"court_report", std::nullopt, ymd(2024, 2, 1), ymd(2024, 3, 1), false});
  Case c5 = make_case("C5", "cp", {{"C", 1.0}}, {"complex"});
  Case c6 = make_case("C6", "cin", {});
  c6.team = "T2";
  c6.opened = ymd(2024, 3, 1);
  return {c1, c2, c3, c4, c5, c6};
}

inline Caseload known_model() {
  return Caseload(test_scheme(), known_workers(), known_cases(), known_as_of());
}

}  // namespace caseload::fixture
