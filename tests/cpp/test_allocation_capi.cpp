// The C API's GAP and allocation entry points, and the JSON API ops.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "caseload/caseload.h"
#include "caseload/error.hpp"
#include "caseload/json_api.hpp"

namespace {

struct Str {
  char* p = nullptr;
  ~Str() { caseload_string_free(p); }
  [[nodiscard]] std::string s() const { return p ? p : ""; }
};

// 2 agents x 3 items. Costs: agent 0 = (1, 5, 5), agent 1 = (5, 1, 1);
// weights all 1; capacities 2 and 2. Optimum: item 0 -> 0, items 1, 2 -> 1,
// cost 1 + 1 + 1 = 3.
TEST(AllocationCApi, GapSolveKnownAnswer) {
  const std::vector<double> cost{1, 5, 5, 5, 1, 1}, weight(6, 1.0), cap{2, 2};
  std::vector<int32_t> a(3, 7);
  caseload_gap_result r;
  caseload_gap_options o;
  ASSERT_EQ(caseload_gap_options_init(&o, CASELOAD_GAP_OPTIONS_VERSION), CASELOAD_OK);
  ASSERT_EQ(caseload_gap_solve(&r, a.data(), 2, 3, cost.data(), weight.data(), cap.data(), &o), CASELOAD_OK)
      << caseload_last_error();
  EXPECT_EQ(a, (std::vector<int32_t>{0, 1, 1}));
  EXPECT_DOUBLE_EQ(r.objective, 3);
  EXPECT_LE(r.bound, 3);
  EXPECT_EQ(r.feasible, 1);
  EXPECT_EQ(r.optimal, 1);
  // Capacity 1 each: 3 items of weight 1 cannot fit.
  const std::vector<double> small{1, 1};
  ASSERT_EQ(caseload_gap_solve(&r, a.data(), 2, 3, cost.data(), weight.data(), small.data(), nullptr), CASELOAD_OK);
  EXPECT_EQ(r.feasible, 0);
  EXPECT_EQ(a, (std::vector<int32_t>{-1, -1, -1}));
  EXPECT_TRUE(std::isinf(r.objective));
  // NaN weight: an error naming the entry.
  std::vector<double> bad = weight;
  bad[4] = std::nan("");
  EXPECT_EQ(caseload_gap_solve(&r, a.data(), 2, 3, cost.data(), bad.data(), cap.data(), nullptr), CASELOAD_EINVALID);
  EXPECT_NE(std::string(caseload_last_error()).find("weight[1][1]"), std::string::npos) << caseload_last_error();
  EXPECT_EQ(caseload_gap_solve(&r, a.data(), 0, 3, cost.data(), weight.data(), cap.data(), nullptr), CASELOAD_EINVALID);
  EXPECT_EQ(caseload_gap_solve(&r, nullptr, 2, 3, cost.data(), weight.data(), cap.data(), nullptr), CASELOAD_EINVALID);
}

const char* kWorkers =
    R"([{"id":"A","team":"T1","service_area":"children_in_need","role":"social_worker","contracted_hours":37},
        {"id":"B","team":"T1","service_area":"children_in_need","role":"social_worker","contracted_hours":37}])";
const char* kCases =
    R"([{"id":"H1","case_type":"child_in_need","open_date":"2024-01-01","allocations":[{"worker_id":"A","share":1}]}])";

TEST(AllocationCApi, AllocateSuggestRebalance) {
  caseload_model* model = nullptr;
  ASSERT_EQ(caseload_model_create_json(&model, nullptr, kWorkers, kCases, "2024-03-31"), CASELOAD_OK)
      << caseload_last_error();
  caseload_allocation_options o;
  ASSERT_EQ(caseload_allocation_options_init(&o, CASELOAD_ALLOCATION_OPTIONS_VERSION), CASELOAD_OK);
  Str plan;
  // B (empty) is fairer than A, who already holds a child_in_need case.
  ASSERT_EQ(caseload_allocate(&plan.p, model,
                              R"([{"id":"N1","case_type":"child_in_need","open_date":"2024-03-30","team":"T1"}])", &o,
                              nullptr),
            CASELOAD_OK)
      << caseload_last_error();
  EXPECT_NE(plan.s().find(R"("case_id":"N1","worker_id":"B","reason":"allocated")"), std::string::npos) << plan.s();
  Str csv;
  ASSERT_EQ(caseload_allocate(&csv.p, model, "[]", nullptr, "csv"), CASELOAD_OK);
  EXPECT_EQ(csv.s(), "case_id,worker_id,reason,runner_up,points,priority,explanation\n");
  Str err;
  EXPECT_EQ(caseload_allocate(&err.p, model,
                              R"([{"id":"N1","case_type":"child_in_need","open_date":"2024-03-30","team":"T1",
                                   "pinned_worker":"Z"}])",
                              nullptr, nullptr),
            CASELOAD_ENOTFOUND);
  EXPECT_EQ(err.p, nullptr);
  EXPECT_STREQ(caseload_last_error(), "incoming case \"N1\": pinned_worker \"Z\" is not a worker in the model");
  EXPECT_EQ(caseload_allocate(&err.p, model, "[]", nullptr, "pdf"), CASELOAD_EINVALID);
  Str sug;
  ASSERT_EQ(caseload_suggest(&sug.p, model, R"({"id":"N1","case_type":"child_in_need","open_date":"2024-03-30",
                                               "team":"T1"})",
                             2, nullptr),
            CASELOAD_OK)
      << caseload_last_error();
  EXPECT_EQ(sug.s().find(R"([{"worker_id":"B")"), 0u) << sug.s();
  Str reb;
  ASSERT_EQ(caseload_rebalance(&reb.p, model, 1.0, 10, nullptr), CASELOAD_OK) << caseload_last_error();
  EXPECT_NE(reb.s().find(R"("moves":[])"), std::string::npos) << reb.s();
  Str bad;  // a failed call nulls *out, so it must not reuse reb (that would leak reb's string)
  EXPECT_EQ(caseload_rebalance(&bad.p, model, -1.0, 10, nullptr), CASELOAD_EINVALID);
  caseload_model_free(model);
}

TEST(AllocationCApi, JsonOps) {
  const std::string base = std::string(R"({"as_of":"2024-03-31","workers":)") + kWorkers + R"(,"cases":)" + kCases;
  const std::string r = caseload::run_json_request(
      base + R"(,"op":"allocate","incoming":[{"id":"N1","case_type":"child_in_need","open_date":"2024-03-30",
                "team":"T1","priority":2}],"options":{"seed":1,"explain":false}})");
  EXPECT_NE(r.find(R"("worker_id":"B")"), std::string::npos) << r;
  // One case fits, so the value (2 x its points) meets the bound.
  EXPECT_NE(r.find(R"("gap":0,"optimal":true)"), std::string::npos) << r;
  const std::string s = caseload::run_json_request(
      base + R"(,"op":"suggest","k":1,"case":{"id":"N1","case_type":"child_in_need","open_date":"2024-03-30",
                "team":"T1"}})");
  EXPECT_NE(s.find(R"("result":[{"worker_id":"B")"), std::string::npos) << s;
  const std::string b = caseload::run_json_request(base + R"(,"op":"rebalance","options":{"max_moves":3}})");
  EXPECT_NE(b.find(R"("overloaded_before":0)"), std::string::npos) << b;
  EXPECT_THROW((void)caseload::run_json_request(base + R"(,"op":"allocate","incoming":[],"options":{"bogus":1}})"),
               caseload::Error);
  EXPECT_THROW((void)caseload::run_json_request(base + R"(,"op":"allocate"})"), caseload::Error);
}

}  // namespace
