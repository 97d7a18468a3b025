// Every reader of untrusted text enforces every Limits field (docs/hardening.md):
// the scheme, workers, cases and snapshots as JSON and CSV, JSON API requests
// and the C API (through the process-wide defaults). For each limit the input
// passes at exactly its own size and fails with limit_exceeded one below.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "caseload/caseload.h"
#include "caseload/caseload.hpp"

namespace caseload {
namespace {

using Reader = std::function<void(std::string_view, const Limits&)>;

ErrorCode code_of(const Reader& read, std::string_view text, const Limits& limits) {
  try {
    read(text, limits);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::ok;
}

// Restores the process-wide limits when a test has changed them.
struct DefaultLimitsGuard {
  Limits saved = default_limits();
  ~DefaultLimitsGuard() { set_default_limits(saved); }
};

// Three records; the longest string is "children_in_need" (16 bytes).
const std::string kWorkersJson =
    R"([{"id":"W1","team":"A","service_area":"children_in_need","role":"social_worker","contracted_hours":37},)"
    R"({"id":"W2","team":"A","role":"social_worker","contracted_hours":30,"reductions":[{"reason":"x","percent":5}]},)"
    R"({"id":"W3","team":"B","role":"asye","contracted_hours":37}])";
const std::string kWorkersCsv =
    "id,team,service_area,role,contracted_hours\nW1,A,children_in_need,social_worker,37\n"
    "W2,A,,social_worker,30\nW3,B,,asye,37\n";
const std::string kCasesJson = R"([{"id":"C1","case_type":"child_in_need","open_date":"2024-01-10"},)"
                               R"({"id":"C2","case_type":"child_in_need","open_date":"2024-01-11"},)"
                               R"({"id":"C3","case_type":"child_protection","open_date":"2024-01-12"}])";
const std::string kCasesCsv =
    "id,case_type,open_date\nC1,child_in_need,2024-01-10\nC2,child_in_need,2024-01-11\nC3,child_protection,"
    "2024-01-12\n";
const std::string kSnapshotsJson =
    R"([{"date":"2024-03-03","worker_id":"W1","utilisation":1.2,"service_area":"children_in_need"},)"
    R"({"date":"2024-03-10","worker_id":"W1","utilisation":1.1},{"date":"2024-03-17","worker_id":"W1","utilisation":1}])";
const std::string kSnapshotsCsv =
    "date,worker_id,utilisation,service_area\n2024-03-03,W1,1.2,children_in_need\n2024-03-10,W1,1.1,\n"
    "2024-03-17,W1,1,\n";

struct ReaderCase {
  const char* name;
  Reader read;
  std::string text;
  bool json;
};

std::vector<ReaderCase> readers() {
  return {
      {"workers_json", [](auto t, auto& l) { workers_from_json(t, l); }, kWorkersJson, true},
      {"cases_json", [](auto t, auto& l) { cases_from_json(t, l); }, kCasesJson, true},
      {"snapshots_json", [](auto t, auto& l) { snapshots_from_json(t, l); }, kSnapshotsJson, true},
      {"workers_csv", [](auto t, auto& l) { workers_from_csv(t, l); }, kWorkersCsv, false},
      {"cases_csv", [](auto t, auto& l) { cases_from_csv(t, l); }, kCasesCsv, false},
      {"snapshots_csv", [](auto t, auto& l) { snapshots_from_csv(t, l); }, kSnapshotsCsv, false},
      {"request_json", [](auto t, auto& l) { run_json_request(t, l); },
       R"({"op":"validate","as_of":"2024-03-31","workers":)" + kWorkersJson + "}", true},
  };
}

TEST(HardeningLimits, EveryReaderEnforcesDocumentBytes) {
  for (const auto& r : readers()) {
    SCOPED_TRACE(r.name);
    Limits l;
    l.max_document_bytes = r.text.size();
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::ok);
    l.max_document_bytes = r.text.size() - 1;
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::limit_exceeded);
  }
}

TEST(HardeningLimits, EveryReaderEnforcesStringBytes) {
  // "children_in_need" and "child_protection" (16 bytes) are the longest
  // strings or fields in every input; JSON keys are shorter ("contracted_hours"
  // is 16 too).
  for (const auto& r : readers()) {
    SCOPED_TRACE(r.name);
    Limits l;
    l.max_string_bytes = 16;
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::ok);
    l.max_string_bytes = 15;
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::limit_exceeded);
  }
}

TEST(HardeningLimits, EveryReaderEnforcesRecords) {
  // Three records per table. A JSON object's members count too (a worker
  // object has 5 or 6), so JSON inputs need room for those.
  for (const auto& r : readers()) {
    SCOPED_TRACE(r.name);
    Limits l;
    l.max_records = r.json ? 6 : 3;
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::ok);
    l.max_records = r.json ? 2 : 2;
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::limit_exceeded);
  }
}

TEST(HardeningLimits, EveryJsonReaderEnforcesDepth) {
  // Records nest 2 deep ([ {) plus lists inside a record ([ { [ {): workers
  // with reductions 4; the request adds its own object: 5.
  const std::map<std::string, uint32_t> depth = {
      {"workers_json", 4}, {"cases_json", 2}, {"snapshots_json", 2}, {"request_json", 5}};
  for (const auto& r : readers()) {
    if (!r.json) continue;
    SCOPED_TRACE(r.name);
    Limits l;
    l.max_depth = depth.at(r.name);
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::ok);
    l.max_depth -= 1;
    EXPECT_EQ(code_of(r.read, r.text, l), ErrorCode::limit_exceeded);
  }
}

TEST(HardeningLimits, DeepNestingIsRejectedNotRecursedInto) {
  // 100,000 levels would overflow the stack of a naive recursive parser; the
  // depth limit stops it at 65.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(code_of([](auto t, auto& l) { workers_from_json(t, l); }, deep, Limits{}), ErrorCode::limit_exceeded);
  EXPECT_EQ(code_of([](auto t, auto& l) { run_json_request(t, l); }, "{\"op\":" + deep + "}", Limits{}),
            ErrorCode::limit_exceeded);
}

TEST(HardeningLimits, SchemeJsonFollowsTheProcessWideDefaults) {
  const DefaultLimitsGuard guard;
  const std::string scheme = WeightingScheme::default_scheme().to_json();
  const Limits shipped;
  for (int which = 0; which < 4; ++which) {
    SCOPED_TRACE(which);
    Limits tight = shipped;
    if (which == 0) tight.max_document_bytes = scheme.size() - 1;
    if (which == 1) tight.max_depth = 3;
    if (which == 2) tight.max_records = 3;
    if (which == 3) tight.max_string_bytes = 8;
    set_default_limits(tight);
    EXPECT_EQ(code_of([](auto t, auto&) { (void)WeightingScheme::from_json(t); }, scheme, tight),
              ErrorCode::limit_exceeded);
    set_default_limits(shipped);
    EXPECT_EQ(code_of([](auto t, auto&) { (void)WeightingScheme::from_json(t); }, scheme, shipped), ErrorCode::ok);
  }
}

TEST(HardeningLimits, ARequestsSchemeIsReadUnderTheRequestsLimitsNotTheDefaults) {
  // A caller that tightened the process-wide defaults for untrusted C API input
  // and passes looser per-call limits for a trusted request must get them,
  // including for the scheme inside the request.
  const DefaultLimitsGuard guard;
  const std::string request = R"({"op":"validate","as_of":"2024-03-31","workers":[],"scheme":)" +
                              WeightingScheme::default_scheme().to_json() + "}";
  Limits tight;
  tight.max_depth = 3;
  set_default_limits(tight);
  EXPECT_EQ(code_of([](auto t, auto& l) { run_json_request(t, l); }, request, Limits{}), ErrorCode::ok);
  // ... and the request's own limits apply to the scheme too.
  EXPECT_EQ(code_of([](auto t, auto& l) { run_json_request(t, l); }, request, tight), ErrorCode::limit_exceeded);
}

TEST(HardeningLimits, CApiReadersFollowCaseloadSetDefaultLimits) {
  const DefaultLimitsGuard guard;
  caseload_limits tight = CASELOAD_LIMITS_INIT;
  tight.max_records = 2;  // the three-record inputs above no longer fit
  ASSERT_EQ(caseload_set_default_limits(&tight), CASELOAD_OK);
  caseload_model* m = nullptr;
  EXPECT_EQ(caseload_model_create_json(&m, nullptr, kWorkersJson.c_str(), "[]", "2024-03-31"), CASELOAD_ELIMIT);
  EXPECT_EQ(caseload_model_create_csv(&m, nullptr, kWorkersCsv.c_str(), "id,case_type,open_date\n", "2024-03-31"),
            CASELOAD_ELIMIT);
  EXPECT_EQ(m, nullptr);
  caseload_snapshots* s = nullptr;
  EXPECT_EQ(caseload_snapshots_from_json(&s, kSnapshotsJson.data(), kSnapshotsJson.size()), CASELOAD_ELIMIT);
  EXPECT_EQ(caseload_snapshots_from_csv(&s, kSnapshotsCsv.data(), kSnapshotsCsv.size()), CASELOAD_ELIMIT);
  char* out = nullptr;
  const std::string request = R"({"op":"validate","as_of":"2024-03-31","workers":)" + kWorkersJson + "}";
  EXPECT_EQ(caseload_request_json(&out, request.data(), request.size()), CASELOAD_ELIMIT);
  EXPECT_EQ(out, nullptr);
  // The change JSON of preview/apply too: an add_case object with 3 members.
  tight = CASELOAD_LIMITS_INIT;
  ASSERT_EQ(caseload_set_default_limits(&tight), CASELOAD_OK);
  ASSERT_EQ(caseload_model_create_json(&m, nullptr, kWorkersJson.c_str(), "[]", "2024-03-31"), CASELOAD_OK);
  tight.max_string_bytes = 4;
  ASSERT_EQ(caseload_set_default_limits(&tight), CASELOAD_OK);
  EXPECT_EQ(caseload_model_apply_json(m, R"({"kind":"remove_case","case_id":"C1"})"), CASELOAD_ELIMIT);
  EXPECT_EQ(caseload_model_preview_json(&out, m, R"({"kind":"remove_case","case_id":"C1"})"), CASELOAD_ELIMIT);
  caseload_model_free(m);
  // Rejected settings leave the defaults alone.
  caseload_limits zero = CASELOAD_LIMITS_INIT;
  zero.max_depth = 0;
  EXPECT_EQ(caseload_set_default_limits(&zero), CASELOAD_EINVALID);
  EXPECT_EQ(default_limits().max_string_bytes, 4u);
}

}  // namespace
}  // namespace caseload
