// WeightingScheme: validation messages, version ordering and lookup.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "caseload/error.hpp"
#include "caseload/scheme.hpp"
#include "model_fixture.hpp"

namespace {

using namespace caseload;
using fixture::test_version_1;
using fixture::test_version_2;
using fixture::ymd;

// Builds a scheme from a mutated copy of version 2024.1 and returns the
// error message (empty when it was accepted).
std::string scheme_error(const std::function<void(SchemeVersion&)>& mutate, ErrorCode expected) {
  SchemeVersion v = test_version_1();
  mutate(v);
  try {
    WeightingScheme s("s", {v});
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  return "";
}

TEST(Scheme, AcceptsValidVersionsAndSortsThem) {
  // Given out of order; stored sorted by effective_from.
  WeightingScheme s("test", {test_version_2(), test_version_1()});
  ASSERT_EQ(s.versions().size(), 2u);
  EXPECT_EQ(s.name(), "test");
  EXPECT_EQ(s.versions()[0].version, "2024.1");
  EXPECT_EQ(s.versions()[1].version, "2024.2");
}

TEST(Scheme, AtPicksTheVersionInForceWithInclusiveBounds) {
  WeightingScheme s("test", {test_version_1(), test_version_2()});
  EXPECT_EQ(s.at(ymd(2024, 1, 1)).version, "2024.1");
  EXPECT_EQ(s.at(ymd(2024, 6, 30)).version, "2024.1");  // effective_to is inclusive
  EXPECT_EQ(s.at(ymd(2024, 7, 1)).version, "2024.2");
  EXPECT_EQ(s.at(ymd(2031, 1, 1)).version, "2024.2");  // open-ended
  try {
    (void)s.at(ymd(2023, 12, 31));
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_STREQ(e.what(), "scheme \"test\": no version in force on 2023-12-31");
  }
}

TEST(Scheme, AtReportsAGapBetweenVersions) {
  SchemeVersion v2 = test_version_2();
  v2.effective_from = ymd(2024, 8, 1);
  WeightingScheme s("test", {test_version_1(), v2});
  EXPECT_THROW((void)s.at(ymd(2024, 7, 15)), Error);
  EXPECT_EQ(s.at(ymd(2024, 8, 1)).version, "2024.2");
}

TEST(Scheme, FindRulesByName) {
  const SchemeVersion v = test_version_1();
  ASSERT_NE(v.find_case_type("cp"), nullptr);
  EXPECT_EQ(v.find_case_type("cp")->base_points, 8);
  EXPECT_EQ(v.find_case_type("nope"), nullptr);
  ASSERT_NE(v.find_factor("complex"), nullptr);
  EXPECT_EQ(v.find_factor("complex")->kind, FactorRule::Kind::multiply);
  EXPECT_EQ(v.find_factor("Court"), nullptr);  // case-sensitive
  ASSERT_NE(v.find_task("court_report"), nullptr);
  EXPECT_EQ(v.find_task("x"), nullptr);
  ASSERT_NE(v.find_role("asye"), nullptr);
  EXPECT_TRUE(v.find_role("asye")->is_asye);
  EXPECT_EQ(v.find_role(""), nullptr);
  EXPECT_EQ(v.service_area("children").safe_caseload_cases, 2);
  EXPECT_EQ(&v.service_area("adults"), &v.default_service_area);
}

TEST(Scheme, DefaultServiceAreaIsNamedDefault) {
  SchemeVersion v = test_version_1();
  v.default_service_area.name.clear();
  WeightingScheme s("s", {v});
  EXPECT_EQ(s.versions()[0].default_service_area.name, "default");
  EXPECT_EQ(scheme_error([](SchemeVersion& x) { x.default_service_area.name = "other"; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": default_service_area: name must be \"default\", got \"other\"");
}

TEST(Scheme, RejectsNoVersions) {
  try {
    WeightingScheme s("s", {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_STREQ(e.what(), "scheme \"s\": at least one version is required");
  }
}

TEST(Scheme, RejectsOverlappingVersions) {
  SchemeVersion open_ended = test_version_1();
  open_ended.effective_to.reset();
  try {
    WeightingScheme s("s", {test_version_2(), open_ended});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_STREQ(e.what(),
                 "scheme \"s\": version \"2024.1\" (2024-01-01 to open) overlaps version \"2024.2\" (from 2024-07-01)");
  }
  // Ending the day the next one starts is also an overlap (both inclusive).
  SchemeVersion touching = test_version_1();
  touching.effective_to = ymd(2024, 7, 1);
  EXPECT_THROW(WeightingScheme("s", {touching, test_version_2()}), Error);
}

TEST(Scheme, RejectsDuplicateVersionNames) {
  SchemeVersion v2 = test_version_2();
  v2.version = "2024.1";
  try {
    WeightingScheme s("s", {test_version_1(), v2});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::duplicate);
    EXPECT_STREQ(e.what(), "scheme \"s\": version \"2024.1\" is defined twice");
  }
}

TEST(Scheme, RejectsBadVersionFields) {
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.version.clear(); }, ErrorCode::invalid_argument),
            "scheme \"s\" version #0: version must not be empty");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.effective_to = ymd(2023, 12, 1); }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": effective_to 2023-12-01 is before effective_from 2024-01-01");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.capacity.target_points = 0; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": capacity: target_points must be in [0.01, 1e+06], got 0");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.capacity.standard_hours = -37; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": capacity: standard_hours must be in (0, 168], got -37");
}

TEST(Scheme, RejectsBadRules) {
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.case_types[1].base_points = -1; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": case type \"cp\": base_points must be in [0, 1e+06], got -1");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.case_types.push_back(v.case_types[1]); }, ErrorCode::duplicate),
            "scheme \"s\" version \"2024.1\": case type \"cp\" is defined twice");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.case_types[0].name.clear(); }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": case type name must not be empty");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.factors[1].value = 0; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": factor \"complex\": value must be in (0, 100], got 0");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.factors[0].value = -0.5; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": factor \"court\": value must be in [0, 1e+06], got -0.5");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.tasks[0].points = std::nan(""); }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": task \"court_report\": points must be in [0, 1e+06], got nan");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.roles[1].capacity_cap = 1.5; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": role \"asye\": capacity_cap must be in (0, 1], got 1.5");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.roles[1].capacity_cap = 0; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": role \"asye\": capacity_cap must be in (0, 1], got 0");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.roles[1].max_cases = -2; }, ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": role \"asye\": max_cases must be >= 0, got -2");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.roles.push_back(v.roles[0]); }, ErrorCode::duplicate),
            "scheme \"s\" version \"2024.1\": role \"sw\" is defined twice");
  EXPECT_EQ(scheme_error(
                [](SchemeVersion& v) {
                  v.factors.push_back({"court", FactorRule::Kind::multiply, 2, ""});
                },
                ErrorCode::duplicate),
            "scheme \"s\" version \"2024.1\": factor \"court\" is defined twice");
}

// Regression (defect 10): huge or tiny finite numbers were accepted and
// gave infinite utilisation and null in reports. Each points field has a
// documented range (src/model/rules.hpp, docs/scheme_format.md).
TEST(Scheme, PointsFieldsHaveFiniteRanges) {
  const auto bad = ErrorCode::invalid_argument;
  const std::string pre = "scheme \"s\" version \"2024.1\": ";
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.capacity.target_points = 1e-320; }, bad),
            pre + "capacity: target_points must be in [0.01, 1e+06], got 1e-320");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.capacity.target_points = 1e7; }, bad),
            pre + "capacity: target_points must be in [0.01, 1e+06], got 1e+07");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.case_types[1].base_points = 1e300; }, bad),
            pre + "case type \"cp\": base_points must be in [0, 1e+06], got 1e+300");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.factors[0].value = 1e300; }, bad),
            pre + "factor \"court\": value must be in [0, 1e+06], got 1e+300");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.factors[1].value = 101; }, bad),
            pre + "factor \"complex\": value must be in (0, 100], got 101");
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.tasks[0].points = 1e300; }, bad),
            pre + "task \"court_report\": points must be in [0, 1e+06], got 1e+300");
  // The bounds themselves are accepted.
  EXPECT_EQ(scheme_error(
                [](SchemeVersion& v) {
                  v.capacity.target_points = 0.01;
                  v.case_types[1].base_points = 1e6;
                  v.factors[1].value = 100;
                  v.tasks[0].points = 1e6;
                },
                ErrorCode::ok),
            "");
}

TEST(Scheme, RejectsBadThresholds) {
  EXPECT_EQ(scheme_error(
                [](SchemeVersion& v) {
                  v.service_areas[0].thresholds = {0.9, 0.8, 1.1};
                },
                ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": service area \"children\": thresholds must satisfy 0 < green_below <= "
            "amber_to <= excessive_above, got 0.9, 0.8, 1.1");
  // green_below must be strictly positive.
  EXPECT_NE(scheme_error(
                [](SchemeVersion& v) {
                  v.service_areas[0].thresholds = {0, 1, 1.1};
                },
                ErrorCode::invalid_argument)
                .find("thresholds must satisfy 0 < green_below"),
            std::string::npos);
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.default_service_area.thresholds.excessive_above = 0.95; },
                         ErrorCode::invalid_argument),
            "scheme \"s\" version \"2024.1\": service area \"default\": thresholds must satisfy 0 < green_below <= "
            "amber_to <= excessive_above, got 0.85, 1, 0.95");
  EXPECT_EQ(
      scheme_error([](SchemeVersion& v) { v.service_areas[0].safe_caseload_cases = 0; }, ErrorCode::invalid_argument),
      "scheme \"s\" version \"2024.1\": service area \"children\": safe_caseload_cases must be > 0, got 0");
  // Equal thresholds are allowed (<=).
  EXPECT_EQ(scheme_error([](SchemeVersion& v) { v.service_areas[0].thresholds = {1, 1, 1}; }, ErrorCode::ok), "");
}

}  // namespace
