// WeightingScheme JSON: the shipped default scheme, exact round trips, and
// an error naming the version, rule and field for a bad field in every
// section.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "caseload/scheme.hpp"

#include "error_of.hpp"

namespace caseload {
namespace {

// Field-by-field equality, so a round trip that loses anything fails.
void expect_same(const SchemeVersion& a, const SchemeVersion& b) {
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.effective_from, b.effective_from);
  EXPECT_EQ(a.effective_to, b.effective_to);
  EXPECT_EQ(a.capacity.kind, b.capacity.kind);
  EXPECT_EQ(a.capacity.target_points, b.capacity.target_points);
  EXPECT_EQ(a.capacity.standard_hours, b.capacity.standard_hours);
  EXPECT_EQ(a.capacity.round_down, b.capacity.round_down);
  EXPECT_EQ(a.capacity.source, b.capacity.source);
  ASSERT_EQ(a.case_types.size(), b.case_types.size());
  for (size_t i = 0; i < a.case_types.size(); ++i) {
    EXPECT_EQ(a.case_types[i].name, b.case_types[i].name);
    EXPECT_EQ(a.case_types[i].base_points, b.case_types[i].base_points);
    EXPECT_EQ(a.case_types[i].asye_cowork_only, b.case_types[i].asye_cowork_only);
    EXPECT_EQ(a.case_types[i].source, b.case_types[i].source);
  }
  ASSERT_EQ(a.factors.size(), b.factors.size());
  for (size_t i = 0; i < a.factors.size(); ++i) {
    EXPECT_EQ(a.factors[i].name, b.factors[i].name);
    EXPECT_EQ(a.factors[i].kind, b.factors[i].kind);
    EXPECT_EQ(a.factors[i].value, b.factors[i].value);
    EXPECT_EQ(a.factors[i].source, b.factors[i].source);
  }
  ASSERT_EQ(a.tasks.size(), b.tasks.size());
  for (size_t i = 0; i < a.tasks.size(); ++i) {
    EXPECT_EQ(a.tasks[i].name, b.tasks[i].name);
    EXPECT_EQ(a.tasks[i].points, b.tasks[i].points);
    EXPECT_EQ(a.tasks[i].source, b.tasks[i].source);
  }
  ASSERT_EQ(a.roles.size(), b.roles.size());
  for (size_t i = 0; i < a.roles.size(); ++i) {
    EXPECT_EQ(a.roles[i].name, b.roles[i].name);
    EXPECT_EQ(a.roles[i].capacity_cap, b.roles[i].capacity_cap);
    EXPECT_EQ(a.roles[i].case_holding, b.roles[i].case_holding);
    EXPECT_EQ(a.roles[i].is_asye, b.roles[i].is_asye);
    EXPECT_EQ(a.roles[i].max_cases, b.roles[i].max_cases);
    EXPECT_EQ(a.roles[i].source, b.roles[i].source);
  }
  auto same_area = [](const ServiceAreaRule& x, const ServiceAreaRule& y) {
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.thresholds.green_below, y.thresholds.green_below);
    EXPECT_EQ(x.thresholds.amber_to, y.thresholds.amber_to);
    EXPECT_EQ(x.thresholds.excessive_above, y.thresholds.excessive_above);
    EXPECT_EQ(x.safe_caseload_cases, y.safe_caseload_cases);
    EXPECT_EQ(x.source, y.source);
  };
  ASSERT_EQ(a.service_areas.size(), b.service_areas.size());
  for (size_t i = 0; i < a.service_areas.size(); ++i) same_area(a.service_areas[i], b.service_areas[i]);
  same_area(a.default_service_area, b.default_service_area);
}

void expect_same(const WeightingScheme& a, const WeightingScheme& b) {
  EXPECT_EQ(a.name(), b.name());
  ASSERT_EQ(a.versions().size(), b.versions().size());
  for (size_t i = 0; i < a.versions().size(); ++i) expect_same(a.versions()[i], b.versions()[i]);
}

// ---- the default scheme ----

TEST(DefaultScheme, LoadsWithTwoVersionsInForceAtTheRightDates) {
  const WeightingScheme s = WeightingScheme::default_scheme();
  ASSERT_EQ(s.versions().size(), 2u);
  EXPECT_EQ(s.at(Date::parse("2023-04-01")).version, "2023.1");
  EXPECT_EQ(s.at(Date::parse("2024-09-30")).version, "2023.1");
  EXPECT_EQ(s.at(Date::parse("2024-10-01")).version, "2024.2");
  EXPECT_EQ(s.at(Date::parse("2031-01-01")).version, "2024.2");
  EXPECT_FALSE(s.versions()[1].effective_to.has_value());
  EXPECT_EQ(error_of([&] { (void)s.at(Date::parse("2023-03-31")); }, ErrorCode::not_found).empty(), false);
}

TEST(DefaultScheme, HasEveryRequiredRuleWithASource) {
  const WeightingScheme s = WeightingScheme::default_scheme();
  for (const SchemeVersion& v : s.versions()) {
    SCOPED_TRACE(v.version);
    for (const char* n :
         {"child_in_need", "child_protection", "looked_after", "care_leaver", "assessment", "pre_proceedings",
          "care_proceedings", "disabled_children", "adult_assessment", "adult_review", "adult_safeguarding"})
      EXPECT_NE(v.find_case_type(n), nullptr) << n;
    for (const char* n :
         {"court_proceedings", "large_sibling_group", "out_of_area", "interpreter", "domestic_abuse", "complex_health"})
      EXPECT_NE(v.find_factor(n), nullptr) << n;
    for (const char* n :
         {"court_report", "single_assessment", "child_protection_conference", "care_act_assessment", "statutory_visit"})
      EXPECT_NE(v.find_task(n), nullptr) << n;
    for (const char* n : {"asye", "social_worker", "senior_practitioner", "advanced_practitioner", "team_manager",
                          "family_support_worker"})
      EXPECT_NE(v.find_role(n), nullptr) << n;
    EXPECT_FALSE(v.capacity.source.empty());
    for (const auto& r : v.case_types) EXPECT_FALSE(r.source.empty()) << r.name;
    for (const auto& r : v.factors) EXPECT_FALSE(r.source.empty()) << r.name;
    for (const auto& r : v.tasks) EXPECT_FALSE(r.source.empty()) << r.name;
    for (const auto& r : v.roles) EXPECT_FALSE(r.source.empty()) << r.name;
    for (const auto& r : v.service_areas) EXPECT_FALSE(r.source.empty()) << r.name;
    EXPECT_FALSE(v.default_service_area.source.empty());
  }
}

TEST(DefaultScheme, CalibrationArithmetic) {
  const WeightingScheme s = WeightingScheme::default_scheme();
  const SchemeVersion& v23 = s.at(Date::parse("2024-01-01"));
  const SchemeVersion& v24 = s.at(Date::parse("2025-01-01"));
  // Base points are the first-principles weights (100 points / cases per
  // full-time worker) scaled by 0.817 and rounded to 0.01, so that the mean
  // case of the sample authority's mix, with its factors and open tasks,
  // weighs 100 / 16 = 6.25 points (docs/default_scheme.md#calibration; the
  // 6.25 itself is checked in test_synthetic.cpp). E.g. 6.25 x 0.817 = 5.106 -> 5.11.
  const std::pair<const char*, double> unscaled[] = {
      {"child_in_need", 6.25}, {"child_protection", 6.7}, {"looked_after", 6.7},      {"care_leaver", 4},
      {"assessment", 8.3},     {"pre_proceedings", 8},    {"care_proceedings", 10},   {"disabled_children", 6.25},
      {"adult_assessment", 5}, {"adult_review", 2.5},     {"adult_safeguarding", 6.7}};
  for (const SchemeVersion* v : {&v23, &v24})
    for (const auto& [name, points] : unscaled)
      EXPECT_NEAR(v->find_case_type(name)->base_points, std::round(points * 0.817 * 100) / 100, 1e-12)
          << v->version << " " << name;
  EXPECT_EQ(v23.find_case_type("child_in_need")->base_points, 5.11);
  // Relative weights are kept: a child protection case is still 6.7 / 6.25 of a child in need case (to rounding).
  EXPECT_NEAR(v23.find_case_type("child_protection")->base_points / v23.find_case_type("child_in_need")->base_points,
              6.7 / 6.25, 0.002);
  // 16 plain child in need cases are now 16 x 5.11 = 81.76 points: the rest of
  // the 100 comes from the heavier types, factors and tasks of a real mix.
  EXPECT_NEAR(16 * v23.find_case_type("child_in_need")->base_points, 81.76, 1e-9);
  EXPECT_EQ(v23.capacity.target_points, 100);
  EXPECT_EQ(v23.capacity.standard_hours, 37);
  // 2024.2 keeps 5 points for supervision and CPD.
  EXPECT_EQ(v24.capacity.target_points, 95);
  // A child protection case in proceedings weighs as a care_proceedings case: 5.47 + 2.70 = 8.17.
  EXPECT_EQ(v24.find_factor("court_proceedings")->value, 2.7);
  EXPECT_NEAR(v24.find_case_type("child_protection")->base_points + v24.find_factor("court_proceedings")->value,
              v24.find_case_type("care_proceedings")->base_points, 1e-9);
  EXPECT_TRUE(v24.find_case_type("child_protection")->asye_cowork_only);
  EXPECT_TRUE(v24.find_case_type("care_proceedings")->asye_cowork_only);
  EXPECT_FALSE(v24.find_case_type("child_in_need")->asye_cowork_only);
  EXPECT_EQ(v24.find_factor("large_sibling_group")->kind, FactorRule::Kind::multiply);
  EXPECT_EQ(v24.find_factor("interpreter")->kind, FactorRule::Kind::multiply);
  EXPECT_EQ(v24.find_factor("out_of_area")->kind, FactorRule::Kind::add);
  // HMPPS court report 138 / 2176 = 6.34% of capacity -> 6.3 points of 100.
  EXPECT_EQ(v24.find_task("court_report")->points, 6.3);

  const RoleRule* asye = v24.find_role("asye");
  EXPECT_EQ(asye->capacity_cap, 0.9);
  EXPECT_TRUE(asye->is_asye);
  EXPECT_EQ(asye->max_cases, 12.0);
  EXPECT_FALSE(v24.find_role("team_manager")->case_holding);
  EXPECT_EQ(v24.find_role("advanced_practitioner")->capacity_cap, 0.8);
  EXPECT_EQ(v24.find_role("family_support_worker")->capacity_cap, 0.8);
  EXPECT_EQ(v24.find_role("social_worker")->capacity_cap, 1.0);

  EXPECT_EQ(v24.service_area("children_in_need").safe_caseload_cases, 16);
  EXPECT_EQ(v24.service_area("child_protection").safe_caseload_cases, 15);
  EXPECT_EQ(v24.service_area("looked_after").safe_caseload_cases, 15);
  EXPECT_EQ(v24.service_area("assessment").safe_caseload_cases, 12);
  EXPECT_EQ(v24.service_area("disabled_children").safe_caseload_cases, 16);
  EXPECT_EQ(v24.service_area("adults").safe_caseload_cases, 20);
  EXPECT_EQ(v24.service_area("no such area").name, "default");
  EXPECT_EQ(v24.service_area("no such area").safe_caseload_cases, 16);
  const Thresholds& t = v24.service_area("adults").thresholds;
  EXPECT_EQ(t.green_below, 0.85);
  EXPECT_EQ(t.amber_to, 1.0);
  EXPECT_EQ(t.excessive_above, 1.1);
}

TEST(DefaultScheme, RoundTripsExactly) {
  const WeightingScheme s = WeightingScheme::default_scheme();
  const std::string text = s.to_json();
  const WeightingScheme back = WeightingScheme::from_json(text);
  expect_same(s, back);
  EXPECT_EQ(back.to_json(), text);
}

TEST(DefaultScheme, DataFileIsInCanonicalForm) {
  // data/default_scheme.json is exactly what to_json() writes, so the file,
  // the compiled-in copy and docs generated from either never drift.
  std::ifstream in(std::string(CASELOAD_SOURCE_DIR) + "/data/default_scheme.json", std::ios::binary);
  ASSERT_TRUE(in) << "cannot open data/default_scheme.json";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(WeightingScheme::default_scheme().to_json(), ss.str());
  EXPECT_LT(ss.str().size(), 60000u);  // fits the compiled-in raw string literal
}

TEST(DefaultScheme, LoadsEvenUnderTightProcessLimits) {
  const Limits saved = default_limits();
  Limits tight;
  tight.max_document_bytes = 100;
  set_default_limits(tight);
  EXPECT_NO_THROW(WeightingScheme::default_scheme());
  EXPECT_NE(error_of([] { WeightingScheme::from_json(WeightingScheme::default_scheme().to_json()); },
                     ErrorCode::limit_exceeded)
                .find("over the limit of 100"),
            std::string::npos);
  set_default_limits(saved);
}

// ---- custom schemes ----

// A small valid scheme; tests replace one piece to break it.
const std::string kScheme = R"({
  "name": "test",
  "versions": [{
    "version": "v1",
    "effective_from": "2024-01-01",
    "effective_to": "2024-12-31",
    "capacity": {"kind": "points_per_fte", "target_points": 2176, "standard_hours": 37, "round_down": true, "source": "HMPPS"},
    "case_types": [{"name": "cin", "base_points": 6.25, "asye_cowork_only": false, "source": "s"}],
    "factors": [{"name": "court", "kind": "add", "value": 3.3, "source": "s"},
                {"name": "siblings", "kind": "multiply", "value": 1.25, "source": "s"}],
    "tasks": [{"name": "report", "points": 6.3, "source": "s"}],
    "roles": [{"name": "sw", "capacity_cap": 1, "case_holding": true, "is_asye": false, "max_cases": null, "source": "s"},
              {"name": "asye", "capacity_cap": 0.9, "case_holding": true, "is_asye": true, "max_cases": 12, "source": "s"}],
    "service_areas": [{"name": "cp", "thresholds": {"green_below": 0.8, "amber_to": 1, "excessive_above": 1.2},
                       "safe_caseload_cases": 15, "source": "s"}],
    "default_service_area": {"name": "default", "thresholds": {"green_below": 0.85, "amber_to": 1, "excessive_above": 1.1},
                             "safe_caseload_cases": 16, "source": "s"}
  }, {
    "version": "v2",
    "effective_from": "2025-01-01",
    "effective_to": null,
    "capacity": {"target_points": 100, "standard_hours": 37},
    "case_types": [{"name": "cin", "base_points": 5}],
    "roles": [{"name": "sw"}]
  }]
})";

std::string with(std::string_view from, std::string_view to) {
  std::string s = kScheme;
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

std::string scheme_error(const std::string& text, ErrorCode code = ErrorCode::parse) {
  return error_of([&] { WeightingScheme::from_json(text); }, code);
}

TEST(SchemeJson, ReadsEveryFieldAndDefaultsOptionalOnes) {
  const WeightingScheme s = WeightingScheme::from_json(kScheme);
  EXPECT_EQ(s.name(), "test");
  ASSERT_EQ(s.versions().size(), 2u);
  const SchemeVersion& v1 = s.versions()[0];
  EXPECT_EQ(v1.capacity.kind, CapacityPolicy::Kind::points_per_fte);
  EXPECT_EQ(v1.capacity.target_points, 2176);
  EXPECT_TRUE(v1.capacity.round_down);
  EXPECT_EQ(v1.effective_to, Date::parse("2024-12-31"));
  EXPECT_EQ(v1.find_factor("siblings")->kind, FactorRule::Kind::multiply);
  EXPECT_EQ(v1.find_role("sw")->max_cases, std::nullopt);
  EXPECT_EQ(v1.find_role("asye")->max_cases, 12.0);
  EXPECT_EQ(v1.service_area("cp").thresholds.excessive_above, 1.2);

  // v2 leaves out every optional field.
  const SchemeVersion& v2 = s.versions()[1];
  EXPECT_EQ(v2.effective_to, std::nullopt);
  EXPECT_EQ(v2.capacity.kind, CapacityPolicy::Kind::hours);
  EXPECT_FALSE(v2.capacity.round_down);
  EXPECT_FALSE(v2.case_types[0].asye_cowork_only);
  EXPECT_TRUE(v2.factors.empty());
  EXPECT_TRUE(v2.tasks.empty());
  EXPECT_TRUE(v2.service_areas.empty());
  EXPECT_EQ(v2.roles[0].capacity_cap, 1.0);
  EXPECT_TRUE(v2.roles[0].case_holding);
  EXPECT_FALSE(v2.roles[0].is_asye);
  EXPECT_EQ(v2.default_service_area.name, "default");
  EXPECT_EQ(v2.default_service_area.safe_caseload_cases, 16);
  EXPECT_EQ(v2.default_service_area.thresholds.amber_to, 1.0);
}

TEST(SchemeJson, CustomSchemeRoundTripsExactly) {
  const WeightingScheme s = WeightingScheme::from_json(with("\"test\"", "\"Quote \\\" and \\u00e9 \\n\""));
  EXPECT_EQ(s.name(), "Quote \" and \xC3\xA9 \n");
  const WeightingScheme back = WeightingScheme::from_json(s.to_json());
  expect_same(s, back);
  EXPECT_EQ(back.to_json(), s.to_json());
}

TEST(SchemeJson, VersionsAreSortedWhateverTheInputOrder) {
  // Swap the two versions in the text: the scheme still sorts them.
  const WeightingScheme s = WeightingScheme::from_json(R"({"name":"x","versions":[
    {"version":"b","effective_from":"2025-01-01","capacity":{"target_points":100,"standard_hours":37},
     "case_types":[],"roles":[]},
    {"version":"a","effective_from":"2024-01-01","effective_to":"2024-12-31",
     "capacity":{"target_points":100,"standard_hours":37},"case_types":[],"roles":[]}]})");
  EXPECT_EQ(s.versions()[0].version, "a");
  EXPECT_EQ(s.versions()[1].version, "b");
}

TEST(SchemeJson, TopLevelErrors) {
  EXPECT_EQ(scheme_error("[]"), "scheme must be an object, got array");
  EXPECT_EQ(scheme_error(R"({"versions":[]})"), "scheme: name is required");
  EXPECT_EQ(scheme_error(R"({"name":"x","versions":{}})"), "scheme: versions must be an array, got object");
  EXPECT_EQ(scheme_error(R"({"name":"x","versions":[],"extra":1})"),
            "scheme: unknown field \"extra\" (expected one of: name, versions)");
  EXPECT_EQ(scheme_error(R"({"name":"x","versions":[1]})"), "scheme versions[0] must be an object, got number");
  EXPECT_EQ(scheme_error("{\"name\":\n\"x\",}"),
            "JSON parse error at line 2, column 5: expected a string key in object, got '}'");
}

TEST(SchemeJson, VersionErrorsNameTheVersion) {
  EXPECT_EQ(scheme_error(with("\"effective_from\": \"2024-01-01\"", "\"effective_from\": \"2024-02-30\"")),
            "scheme version \"v1\": effective_from must be a date YYYY-MM-DD, got \"2024-02-30\"");
  EXPECT_EQ(scheme_error(with("\"effective_to\": \"2024-12-31\"", "\"effective_to\": 2024")),
            "scheme version \"v1\": effective_to must be a string, got number");
  EXPECT_EQ(scheme_error(with("\"effective_to\": \"2024-12-31\"", "\"effective_too\": \"2024-12-31\""))
                .find("scheme version \"v1\": unknown field \"effective_too\""),
            0u);
  EXPECT_EQ(scheme_error(with("\"version\": \"v1\",", "")), "scheme versions[0]: version is required");
  EXPECT_EQ(scheme_error(with("\"version\": \"v1\"", "\"version\": 1")),
            "scheme versions[0]: version must be a string, got number");
}

TEST(SchemeJson, CapacityErrors) {
  EXPECT_EQ(scheme_error(with("\"kind\": \"points_per_fte\"", "\"kind\": \"fte\"")),
            "scheme version \"v1\" capacity: kind must be \"hours\" or \"points_per_fte\", got \"fte\"");
  EXPECT_EQ(scheme_error(with("\"target_points\": 2176", "\"target_points\": \"2176\"")),
            "scheme version \"v1\" capacity: target_points must be a number, got string");
  EXPECT_EQ(scheme_error(with("\"round_down\": true", "\"round_down\": 1")),
            "scheme version \"v1\" capacity: round_down must be a boolean, got number");
  EXPECT_EQ(scheme_error(with("\"capacity\": {\"target_points\": 100, \"standard_hours\": 37}", "\"capacity\": 100")),
            "scheme version \"v2\": capacity must be an object, got number");
}

TEST(SchemeJson, CaseTypeErrors) {
  EXPECT_EQ(scheme_error(with("\"base_points\": 6.25", "\"base_points\": \"6.25\"")),
            "scheme version \"v1\" case_type \"cin\": base_points must be a number, got string");
  EXPECT_EQ(scheme_error(with("{\"name\": \"cin\", \"base_points\": 6.25", "{\"base_points\": 6.25")),
            "scheme version \"v1\" case_types[0]: name is required");
  EXPECT_EQ(scheme_error(with("\"asye_cowork_only\": false", "\"asye_cowork_only\": \"no\"")),
            "scheme version \"v1\" case_type \"cin\": asye_cowork_only must be a boolean, got string");
  EXPECT_EQ(scheme_error(with("\"case_types\": [{\"name\": \"cin\", \"base_points\": 5}]", "\"case_types\": {}")),
            "scheme version \"v2\": case_types must be an array, got object");
}

TEST(SchemeJson, FactorTaskRoleAndServiceAreaErrors) {
  EXPECT_EQ(scheme_error(with("\"kind\": \"multiply\"", "\"kind\": \"times\"")),
            "scheme version \"v1\" factor \"siblings\": kind must be \"add\" or \"multiply\", got \"times\"");
  EXPECT_EQ(scheme_error(with("\"value\": 3.3, ", "")), "scheme version \"v1\" factor \"court\": value is required");
  EXPECT_EQ(scheme_error(with("\"points\": 6.3", "\"points\": true")),
            "scheme version \"v1\" task \"report\": points must be a number, got boolean");
  EXPECT_EQ(scheme_error(with("\"max_cases\": 12", "\"max_cases\": \"12\"")),
            "scheme version \"v1\" role \"asye\": max_cases must be a number, got string");
  EXPECT_EQ(scheme_error(with("\"is_asye\": true, ", "\"is_asye\": true, \"asye\": true, "))
                .find("scheme version \"v1\" role \"asye\": unknown field \"asye\""),
            0u);
  EXPECT_EQ(scheme_error(with("\"green_below\": 0.8, ", "")),
            "scheme version \"v1\" service_area \"cp\" thresholds: green_below is required");
  EXPECT_EQ(scheme_error(with("\"safe_caseload_cases\": 15", "\"safe_caseload_cases\": null")),
            "scheme version \"v1\" service_area \"cp\": safe_caseload_cases must be a number, got null");
  EXPECT_EQ(scheme_error(with("\"safe_caseload_cases\": 16", "\"safe_cases\": 16"))
                .find("scheme version \"v1\" default_service_area: unknown field \"safe_cases\""),
            0u);
}

TEST(SchemeJson, RangeErrorsComeFromTheConstructor) {
  // Types are fine here; the WeightingScheme constructor rejects the values.
  EXPECT_NE(scheme_error(with("\"base_points\": 6.25", "\"base_points\": -1"), ErrorCode::invalid_argument)
                .find("base_points"),
            std::string::npos);
  EXPECT_NE(scheme_error(with("\"capacity_cap\": 0.9", "\"capacity_cap\": 1.5"), ErrorCode::invalid_argument)
                .find("capacity_cap"),
            std::string::npos);
  // v1 now runs into v2.
  EXPECT_NE(scheme_error(with("\"effective_to\": \"2024-12-31\"", "\"effective_to\": \"2025-06-30\""),
                         ErrorCode::invalid_argument)
                .find("overlaps"),
            std::string::npos);
}

}  // namespace
}  // namespace caseload
