// Impact previews, apply() and upsert(): before/after figures, agreement
// between preview and apply, and failure atomicity.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/model.hpp"
#include "model_fixture.hpp"

namespace {

using namespace caseload;
using namespace caseload::fixture;

// Field-by-field, exact: preview and apply must compute the same doubles.
void expect_same_load(const WorkerLoad& a, const WorkerLoad& b) {
  EXPECT_EQ(a.worker_id, b.worker_id);
  EXPECT_EQ(a.team, b.team);
  EXPECT_EQ(a.service_area, b.service_area);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.case_holding, b.case_holding);
  EXPECT_EQ(a.is_asye, b.is_asye);
  EXPECT_EQ(a.fte, b.fte);
  EXPECT_EQ(a.available_hours, b.available_hours);
  EXPECT_EQ(a.cases, b.cases);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(a.capacity, b.capacity);
  EXPECT_EQ(a.utilisation, b.utilisation);
  EXPECT_EQ(a.headroom, b.headroom);
  EXPECT_EQ(a.band, b.band);
  EXPECT_EQ(a.over_case_benchmark, b.over_case_benchmark);
  EXPECT_EQ(a.asye_protected, b.asye_protected);
  EXPECT_EQ(a.asye_breaches, b.asye_breaches);
}

void expect_same_loads(const std::vector<WorkerLoad>& a, const std::vector<WorkerLoad>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) expect_same_load(a[i], b[i]);
}

// Preview must not touch the model, and its "after" must equal the load
// apply() computes; workers not listed must be unchanged by apply().
void check_preview_matches_apply(const Caseload& model, const Change& change) {
  const std::vector<WorkerLoad> before = model.worker_loads();
  const ImpactPreview p = model.preview(change);
  expect_same_loads(model.worker_loads(), before);
  Caseload applied = model;
  applied.apply(change);
  std::vector<bool> listed(before.size(), false);
  for (const WorkerImpact& wi : p.workers) {
    expect_same_load(wi.before, model.worker_load(wi.worker_id));
    expect_same_load(wi.after, applied.worker_load(wi.worker_id));
    for (size_t i = 0; i < before.size(); ++i) listed[i] = listed[i] || before[i].worker_id == wi.worker_id;
  }
  for (size_t i = 0; i < before.size(); ++i) {
    if (!listed[i]) expect_same_load(before[i], applied.worker_loads()[i]);
  }
}

TEST(Preview, AddCaseKnownAnswer) {
  const Caseload m = known_model();
  // New cp case co-worked by A (0.5) and C (0.5) with court: 8 + 3 = 11,
  // 5.5 each. A: 16 -> 21.5 points, u 0.8 -> 1.075 (red). C: 16 -> 21.5,
  // u 2.0 -> 2.6875.
  Change ch;
  ch.kind = Change::Kind::add_case;
  ch.new_case = make_case("N1", "cp", {{"A", 0.5}, {"C", 0.5}}, {"court"});
  const ImpactPreview p = m.preview(ch);
  ASSERT_EQ(p.workers.size(), 2u);
  EXPECT_EQ(p.workers[0].worker_id, "A");  // input order
  EXPECT_EQ(p.workers[1].worker_id, "C");
  EXPECT_DOUBLE_EQ(p.workers[0].before.points, 16);
  EXPECT_DOUBLE_EQ(p.workers[0].after.points, 21.5);
  EXPECT_DOUBLE_EQ(p.workers[0].after.utilisation, 1.075);
  EXPECT_EQ(p.workers[0].after.band, Band::red);
  EXPECT_EQ(p.workers[0].after.cases, 3);
  EXPECT_NEAR(p.workers[1].after.utilisation, 2.6875, 1e-12);
  check_preview_matches_apply(m, ch);
}

TEST(Preview, MoveCaseToAnAsyeShowsTheBreach) {
  const Caseload m = known_model();
  // Move C5 (cp, 12 points) from C to B (ASYE): B holds a cp case alone,
  // 15.5 + 12 = 27.5 points over capacity 16.2.
  Change ch;
  ch.kind = Change::Kind::move_case;
  ch.case_id = "C5";
  ch.to_worker = "B";
  const ImpactPreview p = m.preview(ch);
  ASSERT_EQ(p.workers.size(), 2u);
  EXPECT_EQ(p.workers[0].worker_id, "B");
  EXPECT_EQ(p.workers[1].worker_id, "C");
  EXPECT_DOUBLE_EQ(p.workers[0].after.points, 27.5);
  EXPECT_FALSE(p.workers[0].after.asye_protected);
  EXPECT_EQ(p.workers[0].after.asye_breaches.size(), 2u);  // over capacity; cp held alone
  EXPECT_DOUBLE_EQ(p.workers[1].after.points, 4);
  EXPECT_EQ(p.workers[1].after.cases, 1);
  check_preview_matches_apply(m, ch);
}

TEST(Preview, MoveCoWorkedCaseToOneOfItsWorkers) {
  const Caseload m = known_model();
  // C2 (11 points, A and B halves) moved to A alone: A 16 -> 21.5, B 15.5 -> 10.
  Change ch;
  ch.kind = Change::Kind::move_case;
  ch.case_id = "C2";
  ch.to_worker = "A";
  const ImpactPreview p = m.preview(ch);
  ASSERT_EQ(p.workers.size(), 2u);
  EXPECT_DOUBLE_EQ(p.workers[0].after.points, 21.5);
  EXPECT_EQ(p.workers[0].after.cases, 2);
  EXPECT_DOUBLE_EQ(p.workers[1].after.points, 10);
  check_preview_matches_apply(m, ch);
}

TEST(Preview, MoveUnallocatedCaseAllocatesIt) {
  const Caseload m = known_model();
  Change ch;
  ch.kind = Change::Kind::move_case;
  ch.case_id = "C6";
  ch.to_worker = "A";
  const ImpactPreview p = m.preview(ch);
  ASSERT_EQ(p.workers.size(), 1u);
  EXPECT_DOUBLE_EQ(p.workers[0].after.points, 20);  // 16 + 4
  check_preview_matches_apply(m, ch);
  Caseload applied = m;
  applied.apply(ch);
  EXPECT_EQ(applied.rollup(Level::organisation)[0].unallocated_cases, 0);
}

TEST(Preview, RemoveCase) {
  const Caseload m = known_model();
  Change ch;
  ch.kind = Change::Kind::remove_case;
  ch.case_id = "C2";
  const ImpactPreview p = m.preview(ch);
  ASSERT_EQ(p.workers.size(), 2u);
  EXPECT_DOUBLE_EQ(p.workers[0].after.points, 10.5);
  EXPECT_DOUBLE_EQ(p.workers[1].after.points, 10);
  check_preview_matches_apply(m, ch);
  Caseload applied = m;
  applied.apply(ch);
  EXPECT_EQ(applied.cases().size(), 5u);
  EXPECT_THROW((void)applied.case_points("C2"), Error);
}

TEST(Preview, AddUnallocatedCaseAffectsNobody) {
  const Caseload m = known_model();
  Change ch;
  ch.kind = Change::Kind::add_case;
  ch.new_case = make_case("N1", "cin", {});
  ch.new_case.team = "T1";
  EXPECT_TRUE(m.preview(ch).workers.empty());
  check_preview_matches_apply(m, ch);
}

TEST(Preview, PreviewEqualsApplyForEveryMoveInTheKnownModel) {
  const Caseload m = known_model();
  for (const Case& c : m.cases()) {
    for (const Worker& w : m.workers()) {
      Change ch;
      ch.kind = Change::Kind::move_case;
      ch.case_id = c.id;
      ch.to_worker = w.id;
      SCOPED_TRACE(c.id + " -> " + w.id);
      check_preview_matches_apply(m, ch);
    }
  }
}

TEST(Preview, InvalidChangesThrowAndChangeNothing) {
  Caseload m = known_model();
  const std::vector<WorkerLoad> before = m.worker_loads();
  auto expect_error = [&](const Change& ch, ErrorCode code, const std::string& message) {
    for (int pass = 0; pass < 2; ++pass) {
      try {
        if (pass == 0) {
          (void)m.preview(ch);
        } else {
          m.apply(ch);
        }
        ADD_FAILURE() << "expected: " << message;
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), code);
        EXPECT_EQ(std::string(e.what()), message);
      }
      expect_same_loads(m.worker_loads(), before);
      EXPECT_EQ(m.cases().size(), 6u);
    }
  };
  Change ch;
  ch.kind = Change::Kind::remove_case;
  ch.case_id = "C99";
  expect_error(ch, ErrorCode::not_found, "case \"C99\": not found");
  ch.kind = Change::Kind::move_case;
  ch.case_id = "C1";
  ch.to_worker = "W99";
  expect_error(ch, ErrorCode::not_found, "case \"C1\": cannot move to unknown worker \"W99\"");
  ch.kind = Change::Kind::add_case;
  ch.new_case = make_case("C1", "cin", {{"A", 1.0}});
  expect_error(ch, ErrorCode::duplicate, "case \"C1\": duplicate id");
  ch.new_case = make_case("N1", "cin", {{"W99", 1.0}});
  expect_error(ch, ErrorCode::not_found, "case \"N1\": allocated to unknown worker \"W99\"");
  ch.new_case = make_case("N1", "zzz", {{"A", 1.0}});
  expect_error(ch, ErrorCode::not_found, "case \"N1\": unknown case_type \"zzz\" (scheme 2024.1)");
}

TEST(Upsert, ReplacesAndAddsInOneBatch) {
  Caseload m = known_model();
  // C goes full time (37 h, same 3.7 h reduction): capacity 20 * 33.3 / 37 = 18.
  // New worker D takes new case N1 (lac, 6 points).
  Worker c = known_workers()[2];
  c.contracted_hours = 37;
  Worker d = make_worker("D", "T2", "sw");
  m.upsert({c, d}, {make_case("N1", "lac", {{"D", 1.0}})});
  ASSERT_EQ(m.workers().size(), 4u);
  EXPECT_EQ(m.workers()[2].id, "C");  // replaced in place
  EXPECT_EQ(m.workers()[3].id, "D");  // appended
  EXPECT_NEAR(m.worker_load("C").capacity, 18, 1e-12);
  EXPECT_DOUBLE_EQ(m.worker_load("D").points, 6);
  EXPECT_EQ(m.cases().size(), 7u);

  // Replacing a case: C1 loses its factors -> 4 points.
  Case c1 = known_cases()[0];
  c1.factors.clear();
  m.upsert({}, {c1});
  EXPECT_DOUBLE_EQ(m.case_points("C1"), 4);
  EXPECT_DOUBLE_EQ(m.worker_load("A").points, 4 + 5.5);
}

TEST(Upsert, FailureLeavesTheModelIdentical) {
  Caseload m = known_model();
  const std::vector<WorkerLoad> before = m.worker_loads();
  const auto before_rollup = m.rollup(Level::team);
  auto expect_error = [&](const std::vector<Worker>& w, const std::vector<Case>& c, ErrorCode code,
                          const std::string& message) {
    try {
      m.upsert(w, c);
      ADD_FAILURE() << "expected: " << message;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), code);
      EXPECT_EQ(std::string(e.what()), message);
    }
    expect_same_loads(m.worker_loads(), before);
    EXPECT_EQ(m.workers().size(), 3u);
    EXPECT_EQ(m.cases().size(), 6u);
    EXPECT_EQ(m.rollup(Level::team)[0].points, before_rollup[0].points);
  };
  // A valid worker change together with a bad case: nothing is applied.
  Worker a = known_workers()[0];
  a.contracted_hours = 20;
  expect_error({a}, {make_case("N1", "cin", {{"W99", 1.0}})}, ErrorCode::not_found,
               "case \"N1\": allocated to unknown worker \"W99\"");
  Worker bad = known_workers()[0];
  bad.contracted_hours = 70;
  expect_error({bad}, {}, ErrorCode::invalid_argument, "worker \"A\": contracted_hours must be in (0, 60], got 70");
  expect_error({known_workers()[0], known_workers()[0]}, {}, ErrorCode::duplicate,
               "worker \"A\": given twice in one upsert");
  // Cutting C's hours below C's 3.7 h reduction makes the reduction invalid.
  Worker c = known_workers()[2];
  c.contracted_hours = 3;
  expect_error({c}, {}, ErrorCode::invalid_argument,
               "worker \"C\": reduction 0 (\"union\"): hours must be in (0, 3], got 3.7");
}

}  // namespace
