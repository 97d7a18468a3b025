// The option records (src/base/options.hpp): one description per option from
// which JSON reading and writing, validation of structs filled in elsewhere
// (C++ callers, the C API) and the descriptions for Python, the CLI and the
// docs all come.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "allocation/allocation_options.hpp"
#include "api/options_catalogue.hpp"
#include "base/json.hpp"
#include "base/options.hpp"
#include "error_of.hpp"
#include "forecast/forecast_options.hpp"
#include "gap/gap_options.hpp"
#include "league/league_options.hpp"
#include "projection/projection_options.hpp"

namespace caseload {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

AllocationOptions read(const std::string& text) {
  const json::Value v = json::parse(text);
  return options::read_json(&v, alloc::allocation_option_records(), "options");
}

TEST(Options, DefaultsWhenAbsentOrNull) {
  const AllocationOptions d = options::read_json<AllocationOptions>(nullptr, alloc::allocation_option_records(), "o");
  const AllocationOptions n = read("null");
  for (const AllocationOptions& o : {d, n}) {
    EXPECT_FALSE(o.utilisation_cap);
    EXPECT_EQ(o.work_limit, AllocationOptions{}.work_limit);
    EXPECT_EQ(o.experience_levels, AllocationOptions{}.experience_levels);
    EXPECT_TRUE(o.explain);
  }
}

TEST(Options, ReadsEveryKindOfMember) {
  const AllocationOptions o = read(
      R"({"utilisation_cap": 0.9, "experience_levels": ["a", "b"], "continuity_weight": 2, "seed": 42,
          "work_limit": 1000, "time_limit_seconds": 1.5, "warm_start": {"C1": "W1", "C2": null}, "explain": false})");
  EXPECT_EQ(o.utilisation_cap, 0.9);
  EXPECT_EQ(o.experience_levels, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(o.continuity_weight, 2.0);
  EXPECT_EQ(o.seed, 42u);
  EXPECT_EQ(o.work_limit, 1000);
  EXPECT_EQ(o.time_limit_seconds, 1.5);
  ASSERT_EQ(o.warm_start.size(), 1u);  // null entries are skipped
  EXPECT_EQ(o.warm_start[0], (std::pair<std::string, std::string>{"C1", "W1"}));
  EXPECT_FALSE(o.explain);
}

TEST(Options, JsonRoundTrip) {
  AllocationOptions o;
  o.utilisation_cap = 0.95;
  o.seed = 7;
  o.fairness_tolerance = 0.125;
  o.warm_start = {{"C9", "W2"}};
  o.experience_levels = {"x"};
  const std::string text = json::dump(options::to_json(o, alloc::allocation_option_records()));
  const AllocationOptions back = read(text);
  EXPECT_EQ(json::dump(options::to_json(back, alloc::allocation_option_records())), text);
  EXPECT_EQ(back.utilisation_cap, 0.95);
  EXPECT_EQ(back.warm_start, o.warm_start);
}

TEST(Options, ErrorsNameTheOption) {
  EXPECT_NE(error_of([] { read(R"({"cap": 0.9})"); }, ErrorCode::parse).find("unknown field \"cap\""),
            std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"seed": -1})"); }, ErrorCode::invalid_argument)
                .find("options: seed must be an integer in [0, 2^53], got -1"),
            std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"seed": 1.5})"); }, ErrorCode::invalid_argument).find("seed"), std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"skills_weight": -0.5})"); }, ErrorCode::invalid_argument)
                .find("skills_weight must be finite and >= 0, got -0.5"),
            std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"utilisation_cap": 0})"); }, ErrorCode::invalid_argument)
                .find("utilisation_cap must be finite and > 0, got 0"),
            std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"explain": 1})"); }, ErrorCode::parse).find("explain must be a boolean, got number"),
            std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"experience_levels": [1]})"); }, ErrorCode::parse).find("experience_levels"),
            std::string::npos);
  EXPECT_NE(error_of([] { read(R"({"warm_start": {"C1": 3}})"); }, ErrorCode::parse).find("warm_start[\"C1\"]"),
            std::string::npos);
}

// validate() is the check for structs that did not come through JSON: a
// non-finite time limit or cap is an error naming the field, never ignored.
TEST(Options, ValidateRejectsNonFiniteAndOutOfRange) {
  const auto records = alloc::allocation_option_records();
  for (const double bad : {kInf, kNaN, -1.0, 0.0}) {
    AllocationOptions o;
    o.time_limit_seconds = bad;
    EXPECT_NE(error_of([&] { options::validate(o, records, "allocation options"); }, ErrorCode::invalid_argument)
                  .find("time_limit_seconds"),
              std::string::npos)
        << bad;
    o.time_limit_seconds.reset();
    o.utilisation_cap = bad;
    EXPECT_NE(error_of([&] { options::validate(o, records, "allocation options"); }, ErrorCode::invalid_argument)
                  .find("utilisation_cap"),
              std::string::npos)
        << bad;
  }
  AllocationOptions o;
  o.work_limit = -5;
  EXPECT_NE(error_of([&] { options::validate(o, records, "x"); }, ErrorCode::invalid_argument)
                .find("x: work_limit must be an integer >= 0, got -5"),
            std::string::npos);
  options::validate(AllocationOptions{}, records, "x");  // the defaults are valid

  RebalanceOptions r;
  r.scope = "county";
  EXPECT_NE(error_of([&] { options::validate(r, alloc::rebalance_option_records(), "rebalance"); },
                     ErrorCode::invalid_argument)
                .find("rebalance: scope must be one of team, service_area, any, got \"county\""),
            std::string::npos);
}

// describe() lists every record once, with its default and range: what the
// Python keywords, the CLI flags and the docs' table are made from.
TEST(Options, DescribeListsEveryOptionWithDefaultAndRange) {
  const json::Value d = options::describe(alloc::allocation_option_records());
  ASSERT_TRUE(d.is_array());
  ASSERT_EQ(d.as_array().size(), alloc::allocation_option_records().size());
  const json::Value& cap = d.as_array()[0];
  EXPECT_EQ(cap.find("name")->as_string(), "utilisation_cap");
  EXPECT_EQ(cap.find("type")->as_string(), "optional number");
  EXPECT_TRUE(cap.find("default")->is_null());
  EXPECT_EQ(cap.find("min")->as_number(), 0.0);
  EXPECT_TRUE(cap.find("min_exclusive")->as_bool());
  for (const json::Value& r : d.as_array())
    if (r.find("name")->as_string() == "work_limit") {
      EXPECT_EQ(r.find("default")->as_number(), 2'000'000.0);
      EXPECT_TRUE(r.find("integer")->as_bool());
    }
  const json::Value rb = options::describe(alloc::rebalance_option_records());
  EXPECT_EQ(rb.as_array()[3].find("choices")->as_string(), "team|service_area|any");
}

// A nested group (the league table's weights): read, validated, written and
// described through its own records; keys left out keep their defaults.
TEST(Options, NestedGroupOfOptions) {
  const auto records = league::league_option_records();
  const json::Value v = json::parse(R"({"draws": 10, "weights": {"agency": 0.5}})");
  const LeagueOptions o = options::read_json(&v, records, "league options");
  EXPECT_EQ(o.draws, 10);
  EXPECT_EQ(o.weights.agency, 0.5);
  EXPECT_EQ(o.weights.vacancy, LeagueWeights{}.vacancy);
  const json::Value bad = json::parse(R"({"weights": {"speed": 1}})");
  EXPECT_NE(error_of([&] { options::read_json(&bad, records, "o"); }, ErrorCode::parse)
                .find("o: weights: unknown field \"speed\""),
            std::string::npos);
  const json::Value not_object = json::parse(R"({"weights": 3})");
  EXPECT_NE(error_of([&] { options::read_json(&not_object, records, "o"); }, ErrorCode::parse)
                .find("o: weights must be an object, got number"),
            std::string::npos);
  LeagueOptions n;
  n.weights.turnover = kNaN;
  EXPECT_NE(error_of([&] { options::validate(n, records, "league options"); }, ErrorCode::invalid_argument)
                .find("league options: weights: turnover must be finite and >= 0, got nan"),
            std::string::npos);
  const json::Value back = options::to_json(o, records);
  EXPECT_EQ(back.find("weights")->find("agency")->as_number(), 0.5);
  const json::Value d = options::describe(records);
  bool found = false;
  for (const json::Value& r : d.as_array())
    if (r.find("name")->as_string() == "weights") {
      found = true;
      EXPECT_EQ(r.find("type")->as_string(), "options");
      EXPECT_EQ(r.find("options")->as_array().size(), 9u);
    }
  EXPECT_TRUE(found);
}

// ---- lists: of numbers (quantiles, levels) and of nested records (staffing, scenarios)

ProjectionOptions read_projection(const std::string& text) {
  const json::Value v = json::parse(text);
  return options::read_json(&v, projection_detail::projection_option_records(), "options");
}

std::string projection_error(const std::string& text, ErrorCode code) {
  return error_of([&] { read_projection(text); }, code);
}

TEST(Options, ListOfNumbersEachInRangeAndIncreasing) {
  EXPECT_EQ(read_projection(R"({"quantiles": [0.1, 0.5, 0.9]})").quantiles, (std::vector<double>{0.1, 0.5, 0.9}));
  // (0, 1): both ends open.
  EXPECT_EQ(projection_error(R"({"quantiles": [0.5, 1]})", ErrorCode::invalid_argument),
            "options: quantiles[1] must be in (0, 1), got 1");
  EXPECT_EQ(projection_error(R"({"quantiles": [0, 0.5]})", ErrorCode::invalid_argument),
            "options: quantiles[0] must be in (0, 1), got 0");
  EXPECT_EQ(projection_error(R"({"quantiles": [0.5, 0.5]})", ErrorCode::invalid_argument),
            "options: quantiles must be increasing, got 0.5 then 0.5");
  EXPECT_EQ(projection_error(R"({"quantiles": [0.5, "x"]})", ErrorCode::parse),
            "options: quantiles[1] must be a number, got string");
  EXPECT_EQ(projection_error(R"({"quantiles": 0.5})", ErrorCode::parse),
            "options: quantiles must be an array of numbers, got number");
  std::string many = "[";
  for (int i = 1; i <= 100; ++i) many += (i > 1 ? "," : "") + std::to_string(i / 101.0);
  EXPECT_EQ(projection_error(R"({"quantiles": )" + many + "]}", ErrorCode::invalid_argument),
            "options: quantiles: at most 99 values, got 100");
  // The same checks on a struct filled in by C++.
  ProjectionOptions o;
  o.quantiles = {0.2, 0.1};
  EXPECT_EQ(error_of([&] { options::validate(o, projection_detail::projection_option_records(), "options"); },
                     ErrorCode::invalid_argument),
            "options: quantiles must be increasing, got 0.2 then 0.1");
  ForecastOptions f;
  f.levels = {80, std::nan("")};
  EXPECT_EQ(error_of([&] { fc::validate_options(f); }, ErrorCode::invalid_argument),
            "options: levels[1] must be in (0, 100), got nan");
}

TEST(Options, ListsOfRecordsNameTheItemAndTheField) {
  const ProjectionOptions o = read_projection(
      R"({"staffing": [{"kind": "leave", "date": "2024-05-01", "worker_id": "W1"},
                       {"kind": "join", "date": "2024-06-01", "team": "North", "contracted_hours": 20}],
          "scenarios": [{"name": "spike", "referral_factor": 1.5, "added_fte": {"North": 2},
                         "merges": [{"into": "N+S", "teams": ["North", "South"]}],
                         "staffing": [{"kind": "join", "date": "2024-07-01", "team": "South"}]}]})");
  ASSERT_EQ(o.staffing.size(), 2u);
  EXPECT_EQ(o.staffing[0].kind, StaffingChange::Kind::leave);
  EXPECT_EQ(o.staffing[0].date, Date::from_ymd(2024, 5, 1));
  EXPECT_EQ(o.staffing[1].contracted_hours, 20.0);
  EXPECT_EQ(o.staffing[1].role, "social_worker");  // the struct's default
  ASSERT_EQ(o.scenarios.size(), 1u);
  EXPECT_EQ(o.scenarios[0].added_fte, (std::vector<std::pair<std::string, double>>{{"North", 2.0}}));
  EXPECT_EQ(o.scenarios[0].merges[0].teams, (std::vector<std::string>{"North", "South"}));
  EXPECT_EQ(o.scenarios[0].staffing[0].team, "South");

  EXPECT_EQ(projection_error(R"({"scenarios": [{"name": "up", "referral_factor": 11}]})", ErrorCode::invalid_argument),
            "options: scenarios[0] (\"up\"): referral_factor must be in [0, 10], got 11");
  EXPECT_EQ(projection_error(R"({"scenarios": [{"referral_factor": 2}]})", ErrorCode::parse),
            "options: scenarios[0]: name is required");
  EXPECT_EQ(projection_error(R"({"scenarios": [{"name": "s", "staffing": [{"kind": "move", "date": "2024-05-01"}]}]})",
                             ErrorCode::invalid_argument),
            "options: scenarios[0] (\"s\"): staffing[0]: kind must be one of join, leave, got \"move\"");
  EXPECT_EQ(projection_error(R"({"staffing": [{"kind": "join"}]})", ErrorCode::parse),
            "options: staffing[0]: date is required");
  EXPECT_EQ(projection_error(R"({"staffing": [{"kind": "join", "date": "2024-02-30", "team": "N"}]})", ErrorCode::parse)
                .rfind("options: staffing[0]: date", 0),
            0u);
  EXPECT_EQ(projection_error(R"({"staffing": [{"kind": "join", "date": "2024-05-01", "contracted_hours": 0}]})",
                             ErrorCode::invalid_argument),
            "options: staffing[0]: contracted_hours must be in (0, 60], got 0");
  EXPECT_EQ(projection_error(R"({"staffing": [{"kind": "join", "date": "2024-05-01", "shift": 1}]})", ErrorCode::parse),
            "options: staffing[0]: unknown field \"shift\" (expected one of: kind, date, team, worker_id, role, "
            "contracted_hours, agency)");
  EXPECT_EQ(
      projection_error(R"({"scenarios": [{"name": "s", "added_fte": {"North": -1}}]})", ErrorCode::invalid_argument),
      "options: scenarios[0] (\"s\"): added_fte: \"North\" must be in [0, 10000], got -1");
  EXPECT_EQ(projection_error(R"({"scenarios": {"name": "s"}})", ErrorCode::parse),
            "options: scenarios must be an array, got object");
  EXPECT_EQ(projection_error(R"({"scenarios": [3]})", ErrorCode::parse),
            "options: scenarios[0] must be an object, got number");
  EXPECT_EQ(projection_error(R"({"supply": {"asye_months": 0}})", ErrorCode::invalid_argument),
            "options: supply: asye_months must be an integer in [1, 60], got 0");
  // A struct filled in by C++ gets the same checks, item by item.
  ProjectionOptions c;
  Scenario s;
  s.name = "late";
  s.agency_months = 0;
  c.scenarios = {s};
  EXPECT_EQ(error_of([&] { options::validate(c, projection_detail::projection_option_records(), "options"); },
                     ErrorCode::invalid_argument),
            "options: scenarios[0] (\"late\"): agency_months must be an integer in [1, 120], got 0");
}

TEST(Options, ProjectionOptionsRoundTripThroughJson) {
  ProjectionOptions o;
  o.horizon = 6;
  o.seed = 99;
  o.safe_level = 0.9;
  o.quantiles = {0.25, 0.75};
  o.supply.fill_rate = 0.5;
  StaffingChange leave;
  leave.kind = StaffingChange::Kind::leave;
  leave.date = Date::from_ymd(2024, 9, 2);
  leave.worker_id = "W7";
  o.staffing = {leave};
  Scenario s;
  s.name = "both";
  s.sickness_absence = 0.05;
  s.merges = {TeamMerge{"A+B", {"A", "B"}}};
  s.added_fte = {{"A", 1.5}};
  s.staffing = {leave};
  o.scenarios = {s};
  const auto records = projection_detail::projection_option_records();
  const json::Value v = options::to_json(o, records);
  const ProjectionOptions back = options::read_json(&v, records, "options");
  EXPECT_EQ(json::dump(options::to_json(back, records)), json::dump(v));
  EXPECT_EQ(back.scenarios[0].staffing[0].date, leave.date);
  EXPECT_EQ(back.scenarios[0].sickness_absence, 0.05);
  EXPECT_EQ(back.safe_level, 0.9);
}

TEST(Options, EveryCapabilityIsDescribedAndNormalised) {
  for (const char* capability :
       {"allocation", "rebalance", "league", "projection", "forecast", "gap", "health_check", "exceedance"}) {
    const json::Value d = options::describe_capability(capability);
    ASSERT_TRUE(d.is_array()) << capability;
    EXPECT_GT(d.as_array().size(), 2u) << capability;
    for (const json::Value& r : d.as_array()) {
      EXPECT_FALSE(r.find("doc")->as_string().empty()) << capability << " " << r.find("name")->as_string();
      EXPECT_NE(r.find("type"), nullptr);
    }
    // The defaults, written out, read back to themselves.
    const json::Value defaults = options::normalise(capability, json::Value(), capability);
    EXPECT_EQ(json::dump(options::normalise(capability, defaults, capability)), json::dump(defaults)) << capability;
  }
  EXPECT_NE(error_of([] { options::describe_capability("payroll"); }, ErrorCode::invalid_argument)
                .find("unknown capability \"payroll\""),
            std::string::npos);
  const json::Value fo = options::normalise("forecast", json::parse(R"({"horizon": 3})"), "forecast");
  EXPECT_EQ(fo.find("horizon")->as_number(), 3.0);
  EXPECT_EQ(fo.find("n_paths")->as_number(), 1000.0);
  EXPECT_EQ(error_of([] { options::normalise("forecast", json::parse(R"({"horizon": 2.5})"), "forecast"); },
                     ErrorCode::invalid_argument),
            "forecast: horizon must be an integer in [1, 520], got 2.5");
}

TEST(Options, GapSolverRejectsInfiniteAndNegativeLimitsByName) {
  GapOptions o;
  o.time_limit_seconds = kInf;
  EXPECT_EQ(
      error_of([&] { options::validate(o, gap_detail::gap_option_records(), "gap"); }, ErrorCode::invalid_argument),
      "gap: time_limit_seconds must be finite and >= 0, got inf");
  o.time_limit_seconds = std::nullopt;
  o.work_limit = -1;
  EXPECT_EQ(
      error_of([&] { options::validate(o, gap_detail::gap_option_records(), "gap"); }, ErrorCode::invalid_argument),
      "gap: work_limit must be an integer >= 0, got -1");
}

}  // namespace
}  // namespace caseload
