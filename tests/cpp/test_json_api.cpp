// run_json_request: every op on a small request, and every error path
// names the field.
#include <gtest/gtest.h>

#include <string>

#include "caseload/error.hpp"
#include "caseload/json_api.hpp"
#include "caseload/version.hpp"
#include "base/json.hpp"

namespace caseload {
namespace {

// Two workers in one team; W1 holds a child_in_need (5.11 points) and a
// child_protection case (5.47 points): 10.58 points of 100 capacity.
const std::string kRecords = R"("workers": [
    {"id": "W1", "team": "Alpha", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37},
    {"id": "W2", "team": "Alpha", "service_area": "children_in_need", "role": "social_worker", "contracted_hours": 37}
  ],
  "cases": [
    {"id": "C1", "case_type": "child_in_need", "open_date": "2024-01-10", "allocations": [{"worker_id": "W1", "share": 1}]},
    {"id": "C2", "case_type": "child_protection", "open_date": "2024-02-01", "allocations": [{"worker_id": "W1", "share": 1}]}
  ],
  "as_of": "2024-03-31")";

const std::string kSnapshots = R"("snapshots": [
    {"date": "2024-03-03", "worker_id": "W1", "utilisation": 1.2},
    {"date": "2024-03-10", "worker_id": "W1", "utilisation": 1.3},
    {"date": "2024-03-17", "worker_id": "W1", "utilisation": 1.25},
    {"date": "2024-03-24", "worker_id": "W1", "utilisation": 1.15},
    {"date": "2024-03-31", "worker_id": "W1", "utilisation": 1.0}
  ])";

json::Value run(const std::string& request) {
  const json::Value response = json::parse(run_json_request(request));
  EXPECT_TRUE(response.find("ok")->as_bool());
  return *response.find("result");
}

std::string request(const std::string& op, const std::string& extra = "", bool records = true) {
  std::string r = "{\"op\": \"" + op + "\"";
  if (records) r += ", " + kRecords;
  if (!extra.empty()) r += ", " + extra;
  return r + "}";
}

TEST(JsonApi, Version) {
  const json::Value response = json::parse(run_json_request(R"({"op":"version"})"));
  EXPECT_EQ(response.find("op")->as_string(), "version");
  EXPECT_EQ(response.find("result")->find("version")->as_string(), CASELOAD_VERSION_STRING);
}

TEST(JsonApi, WorkerLoads) {
  const json::Value r = run(request("worker_loads"));
  ASSERT_EQ(r.as_array().size(), 2u);
  const json::Value& w1 = r.as_array()[0];
  EXPECT_EQ(w1.find("worker_id")->as_string(), "W1");
  EXPECT_NEAR(w1.find("points")->as_number(), 10.58, 1e-9);  // 5.11 + 5.47
  EXPECT_NEAR(w1.find("utilisation")->as_number(), 0.1058, 1e-9);
  EXPECT_EQ(w1.find("band")->as_string(), "green");
  EXPECT_EQ(r.as_array()[1].find("cases")->as_number(), 0);
}

TEST(JsonApi, Breakdown) {
  const json::Value r = run(request("breakdown", R"("worker_id": "W1")"));
  EXPECT_EQ(r.find("scheme_version")->as_string(), "2023.1");
  bool saw_c2 = false;
  for (const auto& line : r.find("lines")->as_array()) saw_c2 = saw_c2 || line.find("case_id")->as_string() == "C2";
  EXPECT_TRUE(saw_c2);
}

TEST(JsonApi, Rollup) {
  const json::Value r = run(request("rollup", R"("level": "team")"));
  ASSERT_EQ(r.as_array().size(), 1u);
  EXPECT_EQ(r.as_array()[0].find("group")->as_string(), "Alpha");
  // 10.58 points / 200 capacity.
  EXPECT_NEAR(r.as_array()[0].find("utilisation")->as_number(), 10.58 / 200, 1e-12);
  EXPECT_EQ(run(request("rollup", R"("level": "organisation")")).as_array()[0].find("group")->as_string(),
            "organisation");
}

TEST(JsonApi, ExceedanceHistory) {
  const std::string req = R"({"op": "exceedance_history", "workers": [
      {"id": "W1", "team": "Alpha", "service_area": "children_in_need", "role": "social_worker",
       "contracted_hours": 37}], )" +
                          kSnapshots + R"(, "rule": {"min_consecutive": 3}})";
  const json::Value r = run(req);
  // Four snapshots over 110% (03-03 to 03-24), then 100%.
  ASSERT_EQ(r.find("episodes")->as_array().size(), 1u);
  const json::Value& e = r.find("episodes")->as_array()[0];
  EXPECT_EQ(e.find("start")->as_string(), "2024-03-03");
  EXPECT_EQ(e.find("end")->as_string(), "2024-03-24");
  EXPECT_EQ(e.find("snapshots")->as_number(), 4);
  EXPECT_EQ(r.find("rule")->find("min_consecutive")->as_number(), 3);
  // A window that excludes the episode.
  const std::string windowed = req.substr(0, req.size() - 1) + R"(, "from": "2024-03-24"})";
  EXPECT_TRUE(run(windowed).find("episodes")->as_array().empty());
}

TEST(JsonApi, Preview) {
  const json::Value r =
      run(request("preview", R"("change": {"kind": "move_case", "case_id": "C2", "to_worker": "W2"})"));
  ASSERT_EQ(r.find("workers")->as_array().size(), 2u);
  for (const auto& w : r.find("workers")->as_array()) {
    const double change = w.find("points_change")->as_number();
    if (w.find("worker_id")->as_string() == "W1") EXPECT_NEAR(change, -5.47, 1e-9);
    if (w.find("worker_id")->as_string() == "W2") EXPECT_NEAR(change, 5.47, 1e-9);
  }
  const json::Value add = run(request(
      "preview",
      R"("change": {"kind": "add_case", "case": {"id": "C9", "case_type": "child_in_need", "open_date": "2024-03-30", "allocations": [{"worker_id": "W2", "share": 1}]}})"));
  ASSERT_EQ(add.find("workers")->as_array().size(), 1u);
  EXPECT_NEAR(add.find("workers")->as_array()[0].find("points_change")->as_number(), 5.11, 1e-9);
  const json::Value removed = run(request("preview", R"("change": {"kind": "remove_case", "case_id": "C1"})"));
  EXPECT_NEAR(removed.find("workers")->as_array()[0].find("points_change")->as_number(), -5.11, 1e-9);
}

TEST(JsonApi, HealthCheckInEachFormat) {
  const json::Value r = run(request("health_check", kSnapshots + R"(, "options": {"organisation": "Testshire"})"));
  EXPECT_EQ(r.find("organisation")->as_string(), "Testshire");
  EXPECT_EQ(r.find("timeline")->as_array().size(), 5u);
  const json::Value csv = run(request("health_check", R"("format": "csv")"));
  ASSERT_TRUE(csv.is_string());
  EXPECT_EQ(csv.as_string().rfind("level,group,metric,value", 0), 0u);
  const json::Value html = run(request("health_check", R"("format": "html", "options": {"organisation": "A&B"})"));
  ASSERT_TRUE(html.is_string());
  EXPECT_NE(html.as_string().find("<title>A&amp;B"), std::string::npos);
}

TEST(JsonApi, ValidateCounts) {
  const json::Value r = run(request("validate", kSnapshots));
  EXPECT_TRUE(r.find("valid")->as_bool());
  EXPECT_EQ(r.find("workers")->as_number(), 2);
  EXPECT_EQ(r.find("cases")->as_number(), 2);
  EXPECT_EQ(r.find("snapshots")->as_number(), 5);
  EXPECT_EQ(r.find("unallocated_cases")->as_number(), 0);
}

TEST(JsonApi, CustomSchemeIsUsed) {
  const std::string scheme = R"("scheme": {"name": "tiny", "versions": [{"version": "1", "effective_from": "2020-01-01",
    "capacity": {"kind": "hours", "target_points": 50, "standard_hours": 37},
    "case_types": [{"name": "child_in_need", "base_points": 10}, {"name": "child_protection", "base_points": 20}],
    "roles": [{"name": "social_worker"}]}]})";
  const json::Value r = run(request("worker_loads", scheme));
  // (10 + 20) / 50.
  EXPECT_NEAR(r.as_array()[0].find("utilisation")->as_number(), 0.6, 1e-12);
}

// Each bad request throws Error whose message contains `needle`.
void expect_error(const std::string& req, const std::string& needle) {
  try {
    (void)run_json_request(req);
    ADD_FAILURE() << "no error for " << req;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what();
  }
}

TEST(JsonApi, ErrorsNameTheField) {
  expect_error("{\"op\": ", "JSON parse error");
  expect_error("[1]", "request must be a JSON object");
  expect_error("{}", "op is required");
  expect_error(R"({"op": 3})", "op must be a string");
  expect_error(R"({"op": "frobnicate"})", "unknown op \"frobnicate\"");
  expect_error(R"({"op": "version", "extra": 1})", "unknown field \"extra\"");
  expect_error(request("worker_loads", R"("level": "team")"), "unknown field \"level\"");
  expect_error(R"({"op": "worker_loads", "workers": [], "cases": []})", "as_of is required");
  expect_error(R"({"op": "worker_loads", "as_of": "2024-02-30"})", "as_of");
  expect_error(R"({"op": "worker_loads", "as_of": "2024-03-31", "workers": {}})", "workers must be an array");
  expect_error(R"({"op": "worker_loads", "as_of": "2024-03-31", "scheme": 5})", "scheme must be an object");
  expect_error(R"({"op": "worker_loads", "as_of": "2024-03-31", "scheme": {"name": "x"}})", "request: scheme: ");
  expect_error(request("breakdown"), "worker_id is required");
  expect_error(request("breakdown", R"("worker_id": "W404")"), "W404");
  expect_error(request("rollup"), "level is required");
  expect_error(request("rollup", R"("level": "region")"), "level must be one of");
  expect_error(request("preview"), "change is required");
  expect_error(request("preview", R"("change": {"kind": "split"})"), "kind must be one of");
  expect_error(request("preview", R"("change": {"kind": "move_case", "case_id": "C1"})"), "to_worker is required");
  expect_error(request("preview", R"("change": {"kind": "remove_case", "case_id": "C1", "x": 1})"),
               "unknown field \"x\"");
  expect_error(request("health_check", R"("format": "pdf")"), "format must be one of");
  expect_error(request("health_check", R"("options": {"colour": "red"})"), "unknown field \"colour\"");
  expect_error(request("health_check", R"("options": {"history_days": -3})"), "history_days");
  expect_error(R"({"op": "exceedance_history", "workers": []})", "snapshots is required");
  expect_error(R"({"op": "exceedance_history", "snapshots": [], "rule": {"min_consecutive": 0}})",
               "min_consecutive must be an integer");
  expect_error(R"({"op": "exceedance_history", "snapshots": [], "rule": {"min_consecutive": 2.5}})", "min_consecutive");
  expect_error(R"({"op": "exceedance_history", "snapshots": [], "from": "2024-03-01", "to": "2024-02-01"})",
               "before from");
}

TEST(JsonApi, ErrorCodes) {
  try {
    (void)run_json_request(R"({"op": "nope"})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
  try {
    (void)run_json_request("{");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
  }
  try {
    (void)run_json_request(request("breakdown", R"("worker_id": "W404")"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  Limits tiny;
  tiny.max_document_bytes = 10;
  try {
    (void)run_json_request(R"({"op": "version"})", tiny);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::limit_exceeded);
  }
}

}  // namespace
}  // namespace caseload
