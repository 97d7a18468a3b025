// Allocation optimiser: known answers, hard constraints, reasons, pins,
// determinism, bound, suggest, rebalance, records and errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "caseload/synthetic.hpp"
#include "model_fixture.hpp"

namespace caseload {
namespace {

using fixture::make_worker;
using fixture::ymd;

// Scheme: fixture version 2024.1 (capacity 20 points per 37 h; cin 4, cp 8
// ASYE co-work only, lac 6; asye cap 0.9 and max 3 cases; amber_to 1.0).
//   A: sw, 37 h, experienced 5 y, skill court; holds cin + lac = 10 of 20 (room 10)
//   B: asye, 18.5 h: capacity 20 * 18.5/37 * 0.9 = 9; holds nothing (room 9)
//   C: sw, 37 h, experienced 3 y; holds lac = 6 of 20 (room 14)
Caseload small_model() {
  Worker a = make_worker("A", "T1", "sw");
  a.experience_years = 5;
  a.experience_level = "experienced";
  a.skills = {"court"};
  Worker b = make_worker("B", "T1", "asye", 18.5);
  b.experience_years = 0.5;
  b.experience_level = "newly_qualified";
  Worker c = make_worker("C", "T1", "sw");
  c.experience_years = 3;
  c.experience_level = "experienced";
  auto held = [](std::string id, std::string type, std::string w, std::string family = "") {
    Case k;
    k.id = std::move(id);
    k.case_type = std::move(type);
    k.opened = ymd(2024, 1, 1);
    k.family_id = std::move(family);
    k.allocations = {{std::move(w), 1.0}};
    return k;
  };
  return Caseload(fixture::test_scheme(), {a, b, c},
                  {held("H1", "cin", "A"), held("H2", "lac", "A", "F1"), held("H3", "lac", "C")},
                  fixture::known_as_of());
}

IncomingCase incoming(std::string id, std::string type, double priority) {
  IncomingCase in;
  in.record.id = std::move(id);
  in.record.case_type = std::move(type);
  in.record.opened = ymd(2024, 3, 30);
  in.record.team = "T1";
  in.priority = priority;
  return in;
}

// I1 cp p3; I2 cp p3 needs skill court (A only); I3 lac p2; I4 cin p1;
// I5 lac p1 with C excluded.
std::vector<IncomingCase> small_batch() {
  std::vector<IncomingCase> v{incoming("I1", "cp", 3), incoming("I2", "cp", 3), incoming("I3", "lac", 2),
                              incoming("I4", "cin", 1), incoming("I5", "lac", 1)};
  v[1].required_skills = {"court"};
  v[4].excluded_workers = {"C"};
  return v;
}

const CaseDecision& decision(const AllocationPlan& p, const std::string& id) {
  for (const auto& d : p.cases)
    if (d.case_id == id) return d;
  throw std::runtime_error("no decision for " + id);
}

const WorkerChange& change(const AllocationPlan& p, const std::string& id) {
  for (const auto& w : p.workers)
    if (w.worker_id == id) return w;
  throw std::runtime_error("no worker " + id);
}

TEST(Allocation, KnownAnswerSmallBatch) {
  const Caseload model = small_model();
  const AllocationPlan plan = allocate(model, small_batch());
  // Optimum by enumeration (see BruteForceMatches): I2 -> A (only A has
  // court), I1 -> C, I3 -> C, I5 -> B, I4 unallocated:
  // value = 3*8 + 3*8 + 2*6 + 1*6 = 66. Giving I4 (1*4) instead of I5 would
  // be 64. Flow bound (LP with rooms cut to the largest subset sum of
  // usable case points): A room 10 (6 + 4), B 9 -> 6 (sums of 6, 4, 6 below
  // 9: at most 6), C 14 (8 + 6): 30 points of room. Priority 3 takes 16,
  // priority 2 takes 6, priority 1 the remaining 8 (I5 on B, 2 of I4 on A
  // once I3 is routed to C): 48 + 12 + 8 = 68.
  // Lagrangian bound: with multipliers I1 20, I2 0, I3 6, I4 0, I5 0 the
  // reduced values are I1 4, I2 24, I3 6, I4 4, I5 6, and the workers'
  // knapsacks are A (room 10: I2, I4, I5 usable) {I2} = 24, B (room 9, I3
  // I4 I5) {I3} or {I5} = 6, C (room 14: I1 I3 I4) {I1, I3} or {I3, I4} =
  // 10; L = 26 + 24 + 6 + 10 = 66: the dual reaches the optimum. The
  // proximal bundle method converges finitely on a piecewise-linear dual
  // and stops as soon as the bound meets the plan, so the bound is 66 up to
  // its 1e-9 rounding slack (subgradient steps stopped anywhere in
  // [66, 66.07)), far below the flow bound.
  EXPECT_DOUBLE_EQ(plan.objective.value, 66);
  EXPECT_GE(plan.bound, 66);
  EXPECT_LT(plan.bound, 66 + 1e-6);
  EXPECT_NEAR(plan.gap, (plan.bound - 66) / plan.bound, 1e-12);
  AllocationOptions greedy;
  greedy.work_limit = 0;  // no search, no Lagrangian: the flow bound alone
  EXPECT_NEAR(allocate(model, small_batch(), greedy).bound, 68, 1e-6);
  EXPECT_EQ(decision(plan, "I2").worker_id, "A");
  EXPECT_EQ(decision(plan, "I1").worker_id, "C");
  EXPECT_EQ(decision(plan, "I3").worker_id, "C");
  EXPECT_EQ(decision(plan, "I5").worker_id, "B");
  const CaseDecision& i4 = decision(plan, "I4");
  EXPECT_EQ(i4.worker_id, "");
  // Every eligible worker had room before the batch (A 10, B 9, C 14 >= 4),
  // so I4 was displaced by the cases the optimiser placed there, by priority.
  EXPECT_EQ(i4.reason, CaseDecision::Reason::displaced);
  EXPECT_EQ(i4.displaced_by, (std::vector<std::string>{"I1", "I2", "I3", "I5"}));
  EXPECT_NE(i4.explanation.find("I1 (priority 3, 8 points)"), std::string::npos) << i4.explanation;
  // Before/after: A 10 -> 18 of 20 (90%), B 0 -> 6 of 9, C 6 -> 20 of 20 (100%).
  EXPECT_DOUBLE_EQ(change(plan, "A").points_after, 18);
  EXPECT_DOUBLE_EQ(change(plan, "B").utilisation_after, 6.0 / 9);
  EXPECT_DOUBLE_EQ(change(plan, "C").utilisation_after, 1.0);
  EXPECT_DOUBLE_EQ(change(plan, "C").utilisation_before, 6.0 / 20);
  EXPECT_EQ(change(plan, "C").new_cases, (std::vector<std::string>{"I1", "I3"}));
  EXPECT_DOUBLE_EQ(plan.objective.max_utilisation, 1.0);
  EXPECT_EQ(plan.objective.allocated_cases, 4);
  // Verdicts: B is excluded from I1 (ASYE and cp is co-work only); C is
  // excluded from I5 (conflict of interest); A lacks nothing for I2.
  const CaseDecision& i1 = decision(plan, "I1");
  ASSERT_EQ(i1.workers.size(), 3u);
  EXPECT_EQ(i1.workers[1].status, WorkerVerdict::Status::excluded);
  EXPECT_EQ(i1.workers[1].reason, "ASYE: case type \"cp\" is co-work only");
  EXPECT_EQ(i1.workers[2].status, WorkerVerdict::Status::chosen);
  // A has 2 points of room left in the plan, I1 needs 8.
  EXPECT_EQ(i1.workers[0].status, WorkerVerdict::Status::full);
  EXPECT_EQ(i1.runner_up, "");
  EXPECT_EQ(decision(plan, "I5").workers[2].reason, "excluded: conflict of interest");
  EXPECT_EQ(decision(plan, "I2").workers[2].reason, "lacks skill \"court\"");
}

// Enumerates every assignment (4^5 = 1024) of the small batch under the
// hard rules, and checks the optimiser reaches the best value.
TEST(Allocation, BruteForceMatches) {
  const Caseload model = small_model();
  const auto batch = small_batch();
  const std::vector<double> points{8, 8, 6, 4, 6}, prio{3, 3, 2, 1, 1};
  const std::vector<double> room{10, 9, 14};
  auto allowed = [&](int j, int w) {
    if (w == 1 && (j == 0 || j == 1)) return false;  // ASYE, cp
    if (j == 1 && w != 0) return false;              // court
    if (j == 4 && w == 2) return false;              // excluded
    return true;
  };
  double best = 0;
  std::vector<int> a(5, -1);
  std::function<void(int)> rec = [&](int j) {
    if (j == 5) {
      std::vector<double> used(3, 0), cnt(3, 0);
      double v = 0;
      for (int k = 0; k < 5; ++k)
        if (a[k] >= 0) used[a[k]] += points[k], cnt[a[k]] += 1, v += prio[k] * points[k];
      for (int w = 0; w < 3; ++w)
        if (used[w] > room[w] + 1e-9) return;
      if (cnt[1] > 3) return;
      best = std::max(best, v);
      return;
    }
    for (int w = -1; w < 3; ++w) {
      if (w >= 0 && !allowed(j, w)) continue;
      a[j] = w;
      rec(j + 1);
    }
  };
  rec(0);
  EXPECT_DOUBLE_EQ(best, 66);
  for (uint64_t seed : {0, 1, 2, 3}) {
    AllocationOptions o;
    o.seed = seed;
    const auto plan = allocate(model, batch, o);
    EXPECT_DOUBLE_EQ(plan.objective.value, best) << "seed " << seed;
    EXPECT_GE(plan.bound, plan.objective.value);
  }
}

TEST(Allocation, GreedyOnlyWithZeroWork) {
  // work_limit 0 stops after the construction: by priority, each case to
  // the fairest fitting worker. I2 -> A (18/20), I1 -> C (14/20), I3 -> B
  // (6/9 = 67% beats C's 20/20), I4 -> C (18/20 = 90%; B 10/9 does not fit),
  // I5 -> none (A has 2, B 3 left): value 24 + 24 + 12 + 4 = 64.
  AllocationOptions o;
  o.work_limit = 0;
  const auto plan = allocate(small_model(), small_batch(), o);
  EXPECT_DOUBLE_EQ(plan.objective.value, 64);
  EXPECT_EQ(decision(plan, "I3").worker_id, "B");
  EXPECT_EQ(decision(plan, "I5").worker_id, "");
  EXPECT_EQ(decision(plan, "I5").reason, CaseDecision::Reason::displaced);
}

TEST(Allocation, ReasonsNoEligibleAndFull) {
  const Caseload model = small_model();
  auto nobody = incoming("N1", "cin", 1);
  nobody.required_skills = {"bsl"};
  auto big = incoming("N2", "cp", 1);
  big.record.factors = {"court", "complex"};  // (8 + 3) * 1.5 = 16.5 points: more than any room (A 10, C 14)
  const auto plan = allocate(model, {nobody, big});
  EXPECT_EQ(decision(plan, "N1").reason, CaseDecision::Reason::no_eligible_worker);
  EXPECT_NE(decision(plan, "N1").explanation.find("lacks skill \"bsl\" (3)"), std::string::npos)
      << decision(plan, "N1").explanation;
  EXPECT_EQ(decision(plan, "N2").reason, CaseDecision::Reason::eligible_workers_full);
  EXPECT_DOUBLE_EQ(decision(plan, "N2").points, 16.5);
  EXPECT_NE(decision(plan, "N2").explanation.find("A 10/20 points"), std::string::npos)
      << decision(plan, "N2").explanation;
  EXPECT_DOUBLE_EQ(plan.objective.value, 0);
  EXPECT_DOUBLE_EQ(plan.bound, 0);
  EXPECT_TRUE(plan.optimal);
}

TEST(Allocation, CapOptionAndAsyeCaseCount) {
  const Caseload model = small_model();
  // Cap 0.5: A may reach 10 of 20 (room 0), B 4.5 of 9, C 10 of 20 (room 4).
  AllocationOptions o;
  o.utilisation_cap = 0.5;
  const auto plan = allocate(model, {incoming("X1", "cin", 1), incoming("X2", "cin", 1), incoming("X3", "cin", 1)}, o);
  // cin = 4: B takes one (4 <= 4.5), C one (4 <= 4), the third has no room.
  EXPECT_EQ(plan.objective.allocated_cases, 2);
  for (const auto& w : plan.workers) EXPECT_LE(w.points_after, 0.5 * w.capacity + 1e-9) << w.worker_id;
  // ASYE case count: B may hold 3 cases; five 0-point tasks-free cases of a
  // 0-point type are not available, so use cin under a generous cap.
  o.utilisation_cap = 10;
  std::vector<IncomingCase> many;
  for (int i = 0; i < 8; ++i) {
    auto in = incoming("Y" + std::to_string(i), "cin", 1);
    in.excluded_workers = {"A", "C"};
    many.push_back(in);
  }
  const auto p2 = allocate(model, many, o);
  EXPECT_EQ(change(p2, "B").cases_after, 3);
  EXPECT_EQ(p2.objective.allocated_cases, 3);
  // The bound knows the case-count cap too: 3 cases of 4 points.
  EXPECT_DOUBLE_EQ(p2.bound, 12);
  EXPECT_TRUE(p2.optimal);
  EXPECT_NE(decision(p2, "Y7").workers[1].reason.find("ASYE protected caseload: already 3 cases (max 3)"),
            std::string::npos);
}

TEST(Allocation, ExperienceRules) {
  const Caseload model = small_model();
  auto years = incoming("E1", "cin", 1);
  years.min_experience_years = 4;  // only A (5 y)
  auto level = incoming("E2", "cin", 1);
  level.min_experience_level = "experienced";  // A and C
  level.excluded_workers = {"A"};
  const auto plan = allocate(model, {years, level});
  EXPECT_EQ(decision(plan, "E1").worker_id, "A");
  EXPECT_EQ(decision(plan, "E2").worker_id, "C");
  EXPECT_EQ(decision(plan, "E1").workers[2].reason, "experience 3 years, case needs 4");
  EXPECT_EQ(decision(plan, "E2").workers[1].reason, "experience level \"newly_qualified\" below \"experienced\"");
}

// Cases with equal hard requirements share their eligibility and the words
// for excluded workers (computed once per requirement profile); cases that
// differ in any one requirement must each get their own. Workers A (5 y,
// court), B (ASYE, 0.5 y), C (3 y); all lac (6 points), priority 1.
TEST(Allocation, VerdictWordsFollowEachCasesOwnRequirements) {
  const Caseload model = small_model();
  std::vector<IncomingCase> v;
  for (int i = 1; i <= 8; ++i) v.push_back(incoming("R" + std::to_string(i), "lac", 1));
  v[0].min_experience_years = 4;       // R1: A only
  v[1].min_experience_years = 1;       // R2: A and C (B has 0.5 y)
  v[2].excluded_workers = {"A"};       // R3: B and C
  v[3].excluded_workers = {"C"};       // R4: A and B
  v[4].min_experience_years = 4;       // R5: same requirements as R1
  v[5].required_skills = {"court"};    // R6: A only
  v[6].required_skills = {"bsl"};      // R7: nobody
  v[7].excluded_workers = {"C", "A"};  // R8: B only (same set as neither R3 nor R4)
  AllocationOptions o;
  o.utilisation_cap = 10;  // room for every case: the verdicts below are about eligibility only
  const auto plan = allocate(model, v, o);
  using S = WorkerVerdict::Status;
  // (case, worker index) -> expected exclusion words; "" = not excluded.
  const std::map<std::string, std::vector<std::string>> expected{
      {"R1", {"", "experience 0.5 years, case needs 4", "experience 3 years, case needs 4"}},
      {"R2", {"", "experience 0.5 years, case needs 1", ""}},
      {"R3", {"excluded: conflict of interest", "", ""}},
      {"R4", {"", "", "excluded: conflict of interest"}},
      {"R5", {"", "experience 0.5 years, case needs 4", "experience 3 years, case needs 4"}},
      {"R6", {"", "lacks skill \"court\"", "lacks skill \"court\""}},
      {"R7", {"lacks skill \"bsl\"", "lacks skill \"bsl\"", "lacks skill \"bsl\""}},
      {"R8", {"excluded: conflict of interest", "", "excluded: conflict of interest"}},
  };
  for (const auto& [id, words] : expected) {
    const CaseDecision& d = decision(plan, id);
    ASSERT_EQ(d.workers.size(), 3u) << id;
    for (size_t w = 0; w < 3; ++w) {
      if (words[w].empty()) {
        EXPECT_NE(d.workers[w].status, S::excluded) << id << " " << d.workers[w].worker_id;
      } else {
        EXPECT_EQ(d.workers[w].status, S::excluded) << id << " " << d.workers[w].worker_id;
        EXPECT_EQ(d.workers[w].reason, words[w]) << id << " " << d.workers[w].worker_id;
      }
    }
  }
  // Every case but R7 has an eligible worker with room (cap 10 x capacity).
  EXPECT_EQ(plan.objective.allocated_cases, 7);
  EXPECT_EQ(decision(plan, "R7").reason, CaseDecision::Reason::no_eligible_worker);
  EXPECT_EQ(decision(plan, "R7").explanation, "Unallocated: no worker is eligible: lacks skill \"bsl\" (3).");
  EXPECT_EQ(decision(plan, "R1").worker_id, "A");
  EXPECT_EQ(decision(plan, "R5").worker_id, "A");
  EXPECT_EQ(decision(plan, "R6").worker_id, "A");
  EXPECT_EQ(decision(plan, "R8").worker_id, "B");
}

TEST(Allocation, PinsHonouredAndValidated) {
  const Caseload model = small_model();
  auto batch = small_batch();
  batch[3].pinned_worker = "A";  // I4 (cin 4) -> A
  const auto plan = allocate(model, batch);
  EXPECT_EQ(decision(plan, "I4").worker_id, "A");
  EXPECT_EQ(decision(plan, "I4").reason, CaseDecision::Reason::pinned);
  EXPECT_NE(decision(plan, "I4").explanation.find("Pinned by the manager to A"), std::string::npos);

  auto bad = small_batch();
  bad[0].pinned_worker = "W9";
  try {
    (void)allocate(model, bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
    EXPECT_STREQ(e.what(), "incoming case \"I1\": pinned_worker \"W9\" is not a worker in the model");
  }
  bad = small_batch();
  bad[0].pinned_worker = "B";
  try {
    (void)allocate(model, bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_STREQ(e.what(),
                 "incoming case \"I1\": pinned to worker \"B\", who is not eligible: ASYE: case type \"cp\" is co-work "
                 "only");
  }
  bad = small_batch();
  bad[0].pinned_worker = "A";  // 10 + 8 = 18 <= 20 fits
  bad[1].pinned_worker = "A";  // 18 + 8 = 26 > 20: 130%
  try {
    (void)allocate(model, bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "incoming case \"I2\": pinned to worker \"A\", who would be at 130% (cap 100%)");
  }
}

TEST(Allocation, InputErrorsNameTheRecord) {
  const Caseload model = small_model();
  auto expect_error = [&](std::vector<IncomingCase> batch, ErrorCode code, const std::string& msg,
                          AllocationOptions o = {}) {
    try {
      (void)allocate(model, batch, o);
      ADD_FAILURE() << "no error for " << msg;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code) << e.what();
      EXPECT_EQ(std::string(e.what()), msg);
    }
  };
  auto b = small_batch();
  b[2].priority = std::nan("");
  expect_error(b, ErrorCode::invalid_argument, "incoming case \"I3\": priority must be finite and > 0, got nan");
  b = small_batch();
  b[2].priority = -1;
  expect_error(b, ErrorCode::invalid_argument, "incoming case \"I3\": priority must be finite and > 0, got -1");
  b = small_batch();
  b[4].record.id = "I1";
  expect_error(b, ErrorCode::duplicate, "incoming case \"I1\": id given twice in the batch");
  b = small_batch();
  b[0].record.id = "H1";
  expect_error(b, ErrorCode::duplicate, "incoming case \"H1\": id is already a case in the model");
  b = small_batch();
  b[0].record.allocations = {{"A", 1.0}};
  expect_error(b, ErrorCode::invalid_argument,
               "incoming case \"I1\": allocations must be empty (the case is to be allocated)");
  b = small_batch();
  b[0].preferences = {{"Z", 1}};
  expect_error(b, ErrorCode::not_found, "incoming case \"I1\": preference names unknown worker \"Z\"");
  b = small_batch();
  b[0].min_experience_level = "guru";
  expect_error(b, ErrorCode::invalid_argument,
               "incoming case \"I1\": min_experience_level \"guru\" is not one of the experience levels");
  b = small_batch();
  b[0].record.case_type = "nope";
  EXPECT_THROW((void)allocate(model, b), Error);
  AllocationOptions o;
  o.utilisation_cap = -0.5;
  expect_error(small_batch(), ErrorCode::invalid_argument,
               "allocation options: utilisation_cap must be finite and > 0, got -0.5", o);
  o = {};
  o.skills_weight = -1;
  expect_error(small_batch(), ErrorCode::invalid_argument,
               "allocation options: skills_weight must be finite and >= 0, got -1", o);
}

Caseload authority_model(int workers = 60) {
  SyntheticOptions so;
  so.workers = workers;
  so.history_weeks = 0;
  const auto a = synthetic_authority(so);
  return Caseload(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
}

// Every hard rule, checked independently of the optimiser's own code.
void check_hard_rules(const Caseload& model, const std::vector<IncomingCase>& batch, const AllocationPlan& plan,
                      const AllocationOptions& o) {
  const SchemeVersion& sv = model.scheme_version();
  std::map<std::string, size_t> wi;
  for (size_t i = 0; i < model.workers().size(); ++i) wi[model.workers()[i].id] = i;
  ASSERT_EQ(plan.cases.size(), batch.size());
  for (size_t j = 0; j < batch.size(); ++j) {
    const auto& d = plan.cases[j];
    const auto& in = batch[j];
    EXPECT_EQ(d.case_id, in.record.id);
    if (!in.pinned_worker.empty()) EXPECT_EQ(d.worker_id, in.pinned_worker);
    if (d.worker_id.empty()) {
      EXPECT_TRUE(d.reason == CaseDecision::Reason::no_eligible_worker ||
                  d.reason == CaseDecision::Reason::eligible_workers_full ||
                  d.reason == CaseDecision::Reason::displaced);
      continue;
    }
    const Worker& w = model.workers()[wi.at(d.worker_id)];
    const WorkerLoad& l = model.worker_loads()[wi.at(d.worker_id)];
    EXPECT_TRUE(l.case_holding);
    EXPECT_GE(w.experience_years, in.min_experience_years);
    for (const auto& s : in.required_skills)
      EXPECT_NE(std::find(w.skills.begin(), w.skills.end(), s), w.skills.end()) << d.case_id;
    EXPECT_EQ(std::find(in.excluded_workers.begin(), in.excluded_workers.end(), w.id), in.excluded_workers.end());
    if (!in.required_service_area.empty()) EXPECT_EQ(w.service_area, in.required_service_area);
    if (!in.required_team.empty()) EXPECT_EQ(w.team, in.required_team);
    if (l.is_asye) EXPECT_FALSE(sv.find_case_type(in.record.case_type)->asye_cowork_only) << d.case_id;
  }
  for (size_t i = 0; i < plan.workers.size(); ++i) {
    const auto& c = plan.workers[i];
    const double cap = o.utilisation_cap ? *o.utilisation_cap : sv.service_area(c.service_area).thresholds.amber_to;
    if (!c.new_cases.empty()) EXPECT_LE(c.points_after, cap * c.capacity + 1e-6) << c.worker_id;
    if (const RoleRule* r = sv.find_role(c.role); r && r->max_cases && !c.new_cases.empty())
      EXPECT_LE(c.cases_after, *r->max_cases) << c.worker_id;
    EXPECT_NEAR(c.cases_after - c.cases_before, static_cast<double>(c.new_cases.size()), 1e-9);
  }
}

TEST(Allocation, SyntheticBatchObeysEveryRuleAndIsDeterministic) {
  const Caseload model = authority_model();
  const auto batch = synthetic_incoming(model, 40, 7);
  ASSERT_EQ(batch.size(), 40u);
  EXPECT_EQ(incoming_to_csv(batch), incoming_to_csv(synthetic_incoming(model, 40, 7)));
  AllocationOptions o;
  o.seed = 3;
  const auto p1 = allocate(model, batch, o);
  check_hard_rules(model, batch, p1, o);
  EXPECT_GE(p1.bound + 1e-9, p1.objective.value);
  EXPECT_GE(p1.objective.allocated_cases, 1);
  auto p2 = allocate(model, batch, o);
  p2.seconds = p1.seconds;
  EXPECT_EQ(allocation_plan_to_json(p1), allocation_plan_to_json(p2));
  // Never worse than the greedy construction.
  AllocationOptions g = o;
  g.work_limit = 0;
  EXPECT_GE(p1.objective.value + 1e-9, allocate(model, batch, g).objective.value);
  // Without explanations: same decisions, no verdicts.
  AllocationOptions quiet = o;
  quiet.explain = false;
  const auto p3 = allocate(model, batch, quiet);
  for (size_t j = 0; j < batch.size(); ++j) {
    EXPECT_EQ(p3.cases[j].worker_id, p1.cases[j].worker_id);
    EXPECT_EQ(p3.cases[j].reason, p1.cases[j].reason);
    EXPECT_TRUE(p3.cases[j].workers.empty());
  }
  // A tighter cap still holds (without the batch's pin, chosen for the default cap).
  o.utilisation_cap = 0.9;
  auto unpinned = batch;
  for (auto& in : unpinned) in.pinned_worker.clear();
  check_hard_rules(model, unpinned, allocate(model, unpinned, o), o);
}

// The benchmark's three 200-case weeks (authority seed 5, 58 workers) against
// their exact stage-1 optima, solved independently by HiGHS (highspy MIP on
// the same rooms, case-count caps and eligibility, rel. gap 1e-7; script in
// docs/allocation.md): 943.358 (referrals seed 9), 914.175 (3), 912.8975
// (17). The bound may never be below the optimum and the plan never above
// it. Before the exchange move the plan on seed 3 was 910.205, 0.43% below:
// within 0.3% is what the single moves did not reach. The Lagrangian dual
// converged (thousands of subgradient steps, or the bundle method) is
// 0.26% above these optima; the 40 subgradient steps that fitted in the
// work cap left the bound 0.37 / 0.45 / 0.50% above them and the gap at
// 0.37 / 0.67 / 0.60%, so within 0.3% checks that the dual converges in
// the cap, and a gap under 0.5% (the issue's aim) that the plan keeps up.
TEST(Allocation, BenchmarkWeeksAgainstExactOptimum) {
  SyntheticOptions so;
  so.workers = 58;
  so.history_weeks = 0;
  so.seed = 5;
  const auto a = synthetic_authority(so);
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  const std::vector<std::pair<uint64_t, double>> weeks = {{9, 943.358}, {3, 914.175}, {17, 912.8975}};
  for (const auto& [seed, optimum] : weeks) {
    const auto batch = synthetic_incoming(model, 200, seed);
    AllocationOptions o;
    o.explain = false;
    const auto plan = allocate(model, batch, o);
    check_hard_rules(model, batch, plan, o);
    EXPECT_LE(plan.objective.value, optimum + 1e-3) << "referrals seed " << seed;
    EXPECT_GE(plan.bound, optimum - 1e-3) << "referrals seed " << seed;
    EXPECT_GE(plan.objective.value, 0.997 * optimum) << "referrals seed " << seed;
    EXPECT_LE(plan.bound, 1.003 * optimum) << "referrals seed " << seed;
    EXPECT_LT(plan.gap, 0.005) << "referrals seed " << seed;
  }
}

TEST(Allocation, WarmStartKeepsAGoodPlan) {
  const Caseload model = authority_model();
  const auto batch = synthetic_incoming(model, 40, 11);
  const auto p1 = allocate(model, batch);
  AllocationOptions o;
  for (const auto& d : p1.cases)
    if (!d.worker_id.empty()) o.warm_start.emplace_back(d.case_id, d.worker_id);
  o.warm_start.emplace_back("NOPE", "W0001");  // ignored
  o.work_limit = 0;                            // the warm start alone (plus greedy fill-in)
  const auto p2 = allocate(model, batch, o);
  EXPECT_GE(p2.objective.value + 1e-9, p1.objective.value);
}

TEST(Allocation, SoftPreferencesFamilyContinuity) {
  const Caseload model = small_model();
  // A sibling of H2 (family F1, held by A) goes to A although C is emptier:
  // A 10 -> 14 of 20 (70%) vs C 6 -> 10 (50%): 20 points apart, more than
  // the 5-point tolerance, so fairness wins...
  auto sib = incoming("S1", "cin", 1);
  sib.record.family_id = "F1";
  auto plan = allocate(model, {sib});
  EXPECT_EQ(decision(plan, "S1").worker_id, "B");  // B 0 -> 4/9 = 44% is fairest
  // ...and with a tolerance of 0.3 continuity wins (70% <= 44% + 30%).
  AllocationOptions o;
  o.fairness_tolerance = 0.3;
  plan = allocate(model, {sib}, o);
  EXPECT_EQ(decision(plan, "S1").worker_id, "A");
  EXPECT_NE(decision(plan, "S1").explanation.find("holds a sibling case (family \"F1\")"), std::string::npos)
      << decision(plan, "S1").explanation;
  EXPECT_DOUBLE_EQ(plan.objective.soft_score, 1.0);
}

TEST(Allocation, SuggestRanksWorkers) {
  const Caseload model = small_model();
  // lac 6: A 10 -> 16/20 = 80%, B 0 -> 6/9 = 67%, C 6 -> 12/20 = 60%.
  const auto s = suggest(model, incoming("Q", "lac", 1), 3);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].worker_id, "C");
  EXPECT_EQ(s[1].worker_id, "B");
  EXPECT_EQ(s[2].worker_id, "A");
  EXPECT_DOUBLE_EQ(s[0].utilisation_after, 0.6);
  EXPECT_EQ(s[0].explanation, "#1: C (T1) 30% -> 60% (cap 100%)");
  EXPECT_EQ(suggest(model, incoming("Q", "cp", 1), 5).size(), 2u);  // not the ASYE
  EXPECT_THROW((void)suggest(model, incoming("Q", "cp", 1), -1), Error);
}

TEST(Allocation, RebalanceRelievesOverload) {
  // A holds 5 cin (20 points) + lac (6) = 26 of 20: 6 over. C holds nothing.
  Worker a = make_worker("A", "T1", "sw"), c = make_worker("C", "T1", "sw"), d = make_worker("D", "T2", "sw");
  std::vector<Case> cases;
  for (int i = 0; i < 5; ++i) {
    Case k;
    k.id = "K" + std::to_string(i);
    k.case_type = "cin";
    k.opened = ymd(2024, 1, 1);
    k.allocations = {{"A", 1.0}};
    cases.push_back(k);
  }
  Case l;
  l.id = "L";
  l.case_type = "lac";
  l.opened = ymd(2024, 1, 1);
  l.allocations = {{"A", 1.0}};
  cases.push_back(l);
  const Caseload model(fixture::test_scheme(), {a, c, d}, cases, fixture::known_as_of());
  const RebalancePlan p = rebalance(model);
  // One move suffices: L (6 points) relieves all 6 (net 5 > a cin's 4 - 1 = 3).
  ASSERT_EQ(p.moves.size(), 1u);
  EXPECT_EQ(p.moves[0].case_id, "L");
  EXPECT_EQ(p.moves[0].to_worker, "C");  // same team (D is in T2)
  EXPECT_DOUBLE_EQ(p.overload_before, 6);
  EXPECT_DOUBLE_EQ(p.overload_after, 0);
  EXPECT_EQ(p.overloaded_before, 1);
  EXPECT_EQ(p.overloaded_after, 0);
  EXPECT_DOUBLE_EQ(p.cost, 1);
  ASSERT_EQ(p.workers.size(), 2u);
  EXPECT_DOUBLE_EQ(p.workers[0].points_after, 20);
  RebalanceOptions o;
  o.move_cost = 6;  // nothing relieves more than 6
  EXPECT_TRUE(rebalance(model, o).moves.empty());
  o = {};
  o.max_moves = 0;
  EXPECT_TRUE(rebalance(model, o).moves.empty());
  o = {};
  o.scope = "nowhere";
  EXPECT_THROW((void)rebalance(model, o), Error);
}

TEST(Allocation, RebalanceAuthorityObeysCaps) {
  const Caseload model = authority_model(150);
  RebalanceOptions o;
  o.max_moves = 200;
  const auto p = rebalance(model, o);
  EXPECT_LE(p.moves.size(), 200u);
  EXPECT_LE(p.overload_after, p.overload_before);
  for (const auto& w : p.workers)
    if (!w.new_cases.empty()) EXPECT_LE(w.points_after, w.cap * w.capacity + 1e-6) << w.worker_id;
  for (const auto& m : p.moves) EXPECT_GT(m.relieved, o.move_cost);
}

TEST(Allocation, IncomingRecordsRoundTrip) {
  const std::string csv =
      "id,family_id,case_type,factors,open_date,team,priority,required_skills,excluded_workers,pinned_worker,"
      "preferences\n"
      "N1,F1,cin,,2024-03-30,T1,2,court;bsl,C,,A:0.5;B:-1\n"
      "N2,,lac,,2024-03-30,T1,,,,A,\n";
  const auto in = incoming_from_csv(csv);
  ASSERT_EQ(in.size(), 2u);
  EXPECT_DOUBLE_EQ(in[0].priority, 2);
  EXPECT_DOUBLE_EQ(in[1].priority, 1);
  EXPECT_EQ(in[0].required_skills, (std::vector<std::string>{"court", "bsl"}));
  EXPECT_EQ(in[0].preferences.size(), 2u);
  EXPECT_DOUBLE_EQ(in[0].preferences[1].score, -1);
  EXPECT_EQ(in[1].pinned_worker, "A");
  const auto again = incoming_from_csv(incoming_to_csv(in));
  EXPECT_EQ(incoming_to_csv(again), incoming_to_csv(in));
  const auto js = incoming_from_json(
      R"([{"id":"J1","case_type":"cin","open_date":"2024-03-30","team":"T1","priority":3,
           "required_skills":["court"],"preferences":{"A":1}}])");
  ASSERT_EQ(js.size(), 1u);
  EXPECT_DOUBLE_EQ(js[0].priority, 3);
  EXPECT_EQ(js[0].preferences[0].worker_id, "A");
  EXPECT_THROW((void)incoming_from_csv("id,case_type,open_date,team,priority\nN1,cin,2024-03-30,T1,high\n"), Error);
  EXPECT_THROW((void)incoming_from_csv("id,case_type,open_date,team,allocations\nN1,cin,2024-03-30,T1,A\n"), Error);
}

// Siblings arriving in the same batch (family F9, no held case) pull
// towards one worker in stage 3, within the fairness tolerance only.
//   S1 lac (6 points), S2 cin (4), both priority 1, F9 held by nobody.
//   Construction, larger points first: S1 -> A (10+6)/20 = 80%, B 6/9 =
//   67%, C (6+6)/20 = 60%: C. S2 -> A 14/20 = 70%, B 4/9 = 44%, C 16/20 =
//   80%: B. Stage 2 finds no move lowering a maximum (S1 cannot go to B:
//   4 + 6 > 9; A at 80% and 70% are above 60% and 44%).
//   Stage 3, tolerance 0.25: S2 -> C would be at 80% <= max(44%, 60%) + 25%
//   and <= the plan's maximum 60% + 25%; both siblings then gain continuity
//   (soft 0 -> 1 + 1). S1 -> A gains nothing and S1 -> B does not fit.
//   With the default tolerance (0.05) 80% > 65%: fairness wins, they stay
//   apart.
TEST(Allocation, SiblingsInOneBatchPullTogether) {
  const Caseload model = small_model();
  auto s1 = incoming("S1", "lac", 1);
  auto s2 = incoming("S2", "cin", 1);
  s1.record.family_id = s2.record.family_id = "F9";
  auto plan = allocate(model, {s1, s2});
  EXPECT_EQ(decision(plan, "S1").worker_id, "C");
  EXPECT_EQ(decision(plan, "S2").worker_id, "B");
  EXPECT_DOUBLE_EQ(plan.objective.soft_score, 0);
  EXPECT_DOUBLE_EQ(plan.objective.max_utilisation, 0.6);
  AllocationOptions o;
  o.fairness_tolerance = 0.25;
  plan = allocate(model, {s1, s2}, o);
  EXPECT_DOUBLE_EQ(plan.objective.value, 10);  // stage 1 untouched: both allocated
  EXPECT_EQ(decision(plan, "S1").worker_id, "C");
  EXPECT_EQ(decision(plan, "S2").worker_id, "C");
  EXPECT_DOUBLE_EQ(decision(plan, "S1").soft_score, 1);
  EXPECT_DOUBLE_EQ(decision(plan, "S2").soft_score, 1);
  EXPECT_DOUBLE_EQ(plan.objective.soft_score, 2);
  EXPECT_DOUBLE_EQ(plan.objective.max_utilisation, 0.8);  // the tolerated cost
  EXPECT_NE(decision(plan, "S2").explanation.find("gets sibling S1 from this batch (family \"F9\")"), std::string::npos)
      << decision(plan, "S2").explanation;
  // Deterministic.
  const auto again = allocate(model, {s1, s2}, o);
  EXPECT_EQ(allocation_plan_to_csv(again), allocation_plan_to_csv(plan));
  // A held sibling and a batch sibling are worth the same, once: S3, S4 in
  // F1 (held by A) with tolerance 1 end together, each scoring 1 (on A by
  // the held case, or elsewhere by each other), never 2 each.
  auto s3 = incoming("S3", "cin", 1);
  auto s4 = incoming("S4", "cin", 1);
  s3.record.family_id = s4.record.family_id = "F1";
  o.fairness_tolerance = 1.0;
  plan = allocate(model, {s3, s4}, o);
  EXPECT_EQ(decision(plan, "S3").worker_id, decision(plan, "S4").worker_id);
  EXPECT_DOUBLE_EQ(decision(plan, "S3").soft_score, 1);
  EXPECT_DOUBLE_EQ(plan.objective.soft_score, 2);
}

// The reported bound is never below the exact optimum (brute force over
// every assignment) on random small batches for the small model; the
// eligibility comes from the plan's own verdicts.
TEST(Allocation, BoundNeverBelowBruteForce) {
  const Caseload model = small_model();
  const std::vector<std::string> types{"cin", "cp", "lac"};
  uint64_t state = 12345;
  auto draw = [&](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  for (int trial = 0; trial < 60; ++trial) {
    std::vector<IncomingCase> batch;
    const int n = 1 + static_cast<int>(draw(6));
    for (int j = 0; j < n; ++j) {
      auto in = incoming("R" + std::to_string(j), types[draw(3)], 1.0 + static_cast<double>(draw(3)));
      if (draw(4) == 0) in.required_skills = {"court"};
      if (draw(4) == 0) in.excluded_workers = {"C"};
      batch.push_back(in);
    }
    AllocationOptions o;
    o.seed = static_cast<uint64_t>(trial);
    const AllocationPlan plan = allocate(model, batch, o);
    std::vector<std::vector<int>> elig(batch.size());
    for (size_t j = 0; j < batch.size(); ++j)
      for (size_t w = 0; w < plan.cases[j].workers.size(); ++w)
        if (plan.cases[j].workers[w].status != WorkerVerdict::Status::excluded) elig[j].push_back(static_cast<int>(w));
    double best = 0;
    std::vector<double> used(plan.workers.size(), 0), cnt(plan.workers.size(), 0);
    std::function<void(size_t, double)> rec = [&](size_t j, double v) {
      if (j == batch.size()) {
        best = std::max(best, v);
        return;
      }
      rec(j + 1, v);
      for (int w : elig[j]) {
        const WorkerChange& k = plan.workers[w];
        if (k.points_before + used[w] + plan.cases[j].points > k.cap * k.capacity + 1e-9) continue;
        if (k.is_asye && k.cases_before + cnt[w] + 1 > 3) continue;  // fixture ASYE max 3 cases
        used[w] += plan.cases[j].points, cnt[w] += 1;
        rec(j + 1, v + plan.cases[j].points * plan.cases[j].priority);
        used[w] -= plan.cases[j].points, cnt[w] -= 1;
      }
    };
    rec(0, 0);
    EXPECT_GE(plan.bound, best - 1e-9) << "trial " << trial;
    EXPECT_LE(plan.objective.value, best + 1e-9) << "trial " << trial;
  }
}

TEST(Allocation, PlanOutputs) {
  const auto plan = allocate(small_model(), small_batch());
  const std::string csv = allocation_plan_to_csv(plan);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "case_id,worker_id,reason,runner_up,points,priority,explanation");
  EXPECT_NE(csv.find("\nI4,,displaced,"), std::string::npos);
  const std::string html = allocation_plan_to_html(plan);
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(html.find("I4"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  const std::string js = allocation_plan_to_json(plan);
  EXPECT_NE(js.find("\"bound\":66"), std::string::npos) << js;  // 66 + the 1e-9 rounding slack
  EXPECT_NE(js.find("\"reason\":\"displaced\""), std::string::npos);
}

// A wider scope never leaves more overload than a narrower one (issue 12:
// scope "any" left 17,614 overload points where "team" left 12,144 on 20,192
// cases, its budget spent scanning the whole authority). Property over
// authorities of several sizes and pressures, move costs, move limits and
// budgets, including budgets too small to finish.
TEST(Rebalance, AWiderScopeNeverLeavesMoreOverload) {
  int checked = 0;
  for (const uint64_t seed : {3u, 8u}) {
    for (const double pressure : {1.0, 1.6}) {
      SyntheticOptions so;
      so.seed = seed;
      so.workers = seed == 3 ? 120 : 400;
      so.history_weeks = 0;
      so.caseload_pressure = pressure;
      const auto a = synthetic_authority(so);
      const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
      for (const int64_t work : {int64_t{2'000}, int64_t{200'000}, int64_t{50'000'000}}) {
        for (const int32_t max_moves : {5, 1000}) {
          RebalanceOptions o;
          o.work_limit = work;
          o.max_moves = max_moves;
          o.move_cost = 0.5;
          double last = std::numeric_limits<double>::infinity();
          for (const char* scope : {"team", "service_area", "any"}) {
            o.scope = scope;
            const RebalancePlan p = rebalance(model, o);
            EXPECT_LE(p.overload_after, last + 1e-9) << "seed " << seed << " pressure " << pressure << " work " << work
                                                     << " moves " << max_moves << " scope " << scope;
            EXPECT_LE(p.overload_after, p.overload_before + 1e-9);
            EXPECT_LE(static_cast<int32_t>(p.moves.size()), max_moves);
            last = p.overload_after;
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 2 * 3 * 2 * 3);
}

// A move to another team says so, and why.
TEST(Rebalance, CrossTeamMovesSayWhy) {
  SyntheticOptions so;
  so.workers = 120;
  so.history_weeks = 0;
  so.caseload_pressure = 1.6;
  const auto a = synthetic_authority(so);
  const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
  RebalanceOptions o;
  o.scope = "any";
  const RebalancePlan p = rebalance(model, o);
  std::map<std::string, std::string> team;
  for (const auto& w : model.workers()) team[w.id] = w.team;
  int cross = 0;
  for (const auto& mv : p.moves) {
    const bool other = team[mv.from_worker] != team[mv.to_worker];
    cross += other ? 1 : 0;
    EXPECT_EQ(mv.reason.find("to another team") != std::string::npos, other) << mv.reason;
  }
  RecordProperty("cross_team_moves", cross);
}

}  // namespace
}  // namespace caseload
