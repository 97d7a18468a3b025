// The option records (src/base/options.hpp): one description per option from
// which JSON reading and writing, validation of structs filled in elsewhere
// (C++ callers, the C API) and the descriptions for Python, the CLI and the
// docs all come.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "allocation/allocation_options.hpp"
#include "base/json.hpp"
#include "base/options.hpp"
#include "league/league_options.hpp"
#include "error_of.hpp"

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

}  // namespace
}  // namespace caseload
