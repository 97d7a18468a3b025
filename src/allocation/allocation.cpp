// Allocation optimiser (docs/allocation.md): the public entry points.
//
// Stage 1 (priority-weighted work) is a multiple knapsack with assignment
// restrictions whose weights (case points) do not depend on the worker. Its
// LP relaxation is a max-flow problem with gains on the source arcs only, so
// its optimum is reached greedily (the feasible supplies form a
// polymatroid): a quick first bound. The reported bound is the smaller of
// that and a Lagrangian bound (each case's "at most once" constraint relaxed,
// leaving one exact knapsack per worker), which counts whole cases per
// worker and is far tighter on an over-subscribed batch. The plan comes from
// a regret-free construction (priority order, fairest fitting worker),
// ejection-chain and swap moves, repaired Lagrangian solutions, seeded
// ruin-and-recreate and exact per-worker repacking; stage 2 (min max
// utilisation) and stage 3 (soft preferences, including siblings arriving
// in the same batch) are local searches that never change the set of
// allocated cases, so they cannot lower stage 1.
//
// The work is split by job (allocation_internal.hpp): the problem
// (allocation_problem.cpp), the search (allocation_search.cpp), the bounds
// (allocation_bound.cpp) and the explanations (allocation_explain.cpp);
// allocate() runs them in order.
#include "caseload/allocation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "allocation/allocation_internal.hpp"
#include "allocation/allocation_options.hpp"
#include "base/threads.hpp"
#include "caseload/error.hpp"

namespace caseload {

const char* verdict_status_name(WorkerVerdict::Status status) noexcept {
  switch (status) {
    case WorkerVerdict::Status::chosen:
      return "chosen";
    case WorkerVerdict::Status::eligible:
      return "eligible";
    case WorkerVerdict::Status::full:
      return "full";
    case WorkerVerdict::Status::excluded:
      return "excluded";
  }
  return "unknown";
}

const char* decision_reason_name(CaseDecision::Reason reason) noexcept {
  switch (reason) {
    case CaseDecision::Reason::allocated:
      return "allocated";
    case CaseDecision::Reason::pinned:
      return "pinned";
    case CaseDecision::Reason::no_eligible_worker:
      return "no_eligible_worker";
    case CaseDecision::Reason::eligible_workers_full:
      return "eligible_workers_full";
    case CaseDecision::Reason::displaced:
      return "displaced";
  }
  return "unknown";
}

namespace alloc {

namespace {

// Pins: validated against every hard rule, applied in input order.
void apply_pins(Problem& P, const Solver& S, State& s) {
  std::string why;
  for (size_t i = 0; i < P.c.size(); ++i) {
    const IncomingCase& in = *P.c[i].in;
    if (in.pinned_worker.empty()) continue;
    const int32_t wi = P.find_worker(in.pinned_worker);
    const std::string who = "incoming case " + quoted(in.record.id) + ": pinned to worker " + quoted(in.pinned_worker);
    if (P.ineligible(static_cast<int32_t>(i), wi, &why))
      throw Error(ErrorCode::invalid_argument, who + ", who is not eligible: " + why);
    if (!S.fits(s, wi, P.c[i].points)) {
      const WorkerInfo& k = P.w[wi];
      if (s.cnt[wi] + 1 > k.max_cases + 1e-9)
        throw Error(ErrorCode::invalid_argument,
                    who + ", an ASYE who would hold " + num(s.cnt[wi] + 1) + " cases (max " + num(k.max_cases) + ")");
      throw Error(ErrorCode::invalid_argument,
                  who + ", who would be at " + pct(S.u(s, wi, P.c[i].points)) + " (cap " + pct(k.cap) + ")");
    }
    P.c[i].pinned = wi;
    S.assign(s, static_cast<int32_t>(i), wi);
  }
}

void finish_objective(const Problem& P, const Solver& S, const State& s, AllocationPlan& plan) {
  AllocationObjective& o = plan.objective;
  o.value = 0;
  for (size_t i = 0; i < P.c.size(); ++i) {
    if (s.at[i] < 0) continue;
    o.value += P.c[i].value;
    o.allocated_points += P.c[i].points;
    ++o.allocated_cases;
    o.soft_score += S.soft_in(s, static_cast<int32_t>(i), s.at[i]);
  }
  o.max_utilisation = S.max_receiving(s);
  double sum = 0, sq = 0;
  int64_t n = 0;
  for (size_t wi = 0; wi < P.w.size(); ++wi) {
    if (!P.w[wi].case_holding || !(P.w[wi].capacity > 0)) continue;
    const double x = S.u(s, static_cast<int32_t>(wi));
    sum += x, sq += x * x, ++n;
  }
  if (n > 0) {
    const double mean = sum / static_cast<double>(n);
    o.spread = std::sqrt(std::max(0.0, sq / static_cast<double>(n) - mean * mean));
  }
}

// Lexicographic comparison of two complete states on stage 1 only.
bool better_value(const State& a, const State& b) {
  return a.value > b.value + 1e-9 * std::max(1.0, std::abs(b.value));
}

}  // namespace

}  // namespace alloc

using alloc::CaseInfo;
using alloc::FullWords;
using alloc::LagrangeResult;
using alloc::pct;
using alloc::Problem;
using alloc::Solver;
using alloc::State;

AllocationPlan allocate(const Caseload& model, const std::vector<IncomingCase>& incoming,
                        const AllocationOptions& options) {
  Problem P = alloc::prepare(model, incoming, options);
  threads::check_cancel(options.cancel, "allocate");
  alloc::Budget budget(options.work_limit, options.time_limit_seconds, alloc::Budget::kClockEvery, options.cancel);
  Solver S(P, budget);

  State base = S.empty_state();
  alloc::apply_pins(P, S, base);
  const State before = S.empty_state();

  AllocationPlan plan;
  plan.seed = options.seed;
  plan.bound = base.value + alloc::flow_bound(P, base);

  const std::vector<int32_t> order = S.priority_order();
  State s = base;
  S.construct(s, order, false);
  if (!options.warm_start.empty()) {
    std::map<std::string, int32_t, std::less<>> case_index;
    for (size_t i = 0; i < P.c.size(); ++i) case_index.emplace(P.c[i].in->record.id, static_cast<int32_t>(i));
    State warm = base;
    for (const auto& [cid, wid] : options.warm_start) {
      auto it = case_index.find(cid);
      const int32_t wi = P.find_worker(wid);
      if (it == case_index.end() || wi < 0) continue;
      const int32_t ci = it->second;
      if (warm.at[ci] >= 0 || !std::binary_search(P.c[ci].elig.begin(), P.c[ci].elig.end(), wi)) continue;
      if (S.fits(warm, wi, P.c[ci].points)) S.assign(warm, ci, wi);
    }
    S.construct(warm, order, false);
    if (!alloc::better_value(s, warm)) s = std::move(warm);
  }
  S.stage1(s, order);
  // The Lagrangian bound is usually much tighter than the flow bound on an
  // over-subscribed batch, and its relaxed solutions, repaired, are good
  // plans (a Lagrangian heuristic). It runs before ruin and recreate so that
  // the search stops as soon as the plan meets it. The flow bound stays as
  // a fallback: the reported bound is the smaller.
  int64_t bound_work = 0;
  if (plan.bound > s.value + 1e-9 * std::max(1.0, plan.bound) && options.work_limit > 0) {
    State trial;  // reused by every repair: assignment keeps its buffers
    auto repair = [&](const std::vector<int32_t>& proposal) {
      trial = base;
      for (size_t ci = 0; ci < proposal.size(); ++ci)
        if (proposal[ci] >= 0 && trial.at[ci] < 0 && S.fits(trial, proposal[ci], P.c[ci].points))
          S.assign(trial, static_cast<int32_t>(ci), proposal[ci]);
      S.construct(trial, order, true);
      S.stage1(trial, order);
      if (alloc::better_value(trial, s)) std::swap(s, trial);
      return s.value - base.value;
    };
    const LagrangeResult lr = alloc::lagrangian_bound(P, base, s.value - base.value, options.work_limit, repair,
                                                      [&]() -> const std::vector<int32_t>& { return s.at; });
    plan.bound = std::min(plan.bound, base.value + lr.bound);
    bound_work = lr.work;
  }
  while (budget.left() && S.exchange_in(s, order)) S.stage1(s, order);
  S.ruin_recreate(s, order, plan.bound);
  while (budget.left() && (S.repack(s) || S.exchange_in(s, order))) S.stage1(s, order);
  S.stage2(s);
  S.stage3(s);
  // A cancelled search stopped early: no plan is given (the model was never changed).
  if (budget.cancelled()) threads::check_cancel(options.cancel, "allocate");

  alloc::finish_objective(P, S, s, plan);
  // The bound is on the same sum computed in another order: never report a
  // bound below the value because of rounding.
  plan.bound = std::max(plan.bound, plan.objective.value);
  plan.gap = plan.bound > 0 ? (plan.bound - plan.objective.value) / plan.bound : 0.0;
  if (plan.gap < 1e-12) plan.gap = 0;
  plan.optimal = plan.gap == 0;

  plan.cases.resize(P.c.size());
  State without;
  std::vector<std::vector<std::string>> why(static_cast<size_t>(P.profiles));
  std::vector<FullWords> full;
  if (options.explain) {
    full.reserve(P.w.size());
    for (size_t wi = 0; wi < P.w.size(); ++wi) full.push_back(alloc::full_words(P, s, static_cast<int32_t>(wi)));
  }
  for (size_t i = 0; i < P.c.size(); ++i) {
    CaseDecision& d = plan.cases[i];
    d.case_id = P.c[i].in->record.id;
    d.points = P.c[i].points;
    d.priority = P.c[i].priority;
    alloc::explain_case(P, S, s, before, static_cast<int32_t>(i), d, without, why, full);
  }
  plan.workers.reserve(P.w.size());
  for (size_t wi = 0; wi < P.w.size(); ++wi) {
    WorkerChange c = alloc::worker_change(P.w[wi], s.pts[wi], s.cnt[wi]);
    auto held = s.held[wi];
    std::sort(held.begin(), held.end());
    for (int32_t k : held) c.new_cases.push_back(P.c[k].in->record.id);
    plan.workers.push_back(std::move(c));
  }
  plan.work = budget.used() + bound_work;
  plan.seconds = budget.elapsed_seconds();
  return plan;
}

std::vector<Suggestion> suggest(const Caseload& model, const IncomingCase& incoming, int32_t k,
                                const AllocationOptions& options) {
  options::check_number(k, alloc::kSuggestCount, "k", "suggest");
  IncomingCase one = incoming;
  one.pinned_worker.clear();  // a suggestion ranks; the pin is the manager's own answer
  const std::vector<IncomingCase> batch{one};
  Problem P = alloc::prepare(model, batch, options, true);
  alloc::Budget budget(options.work_limit, options.time_limit_seconds);
  Solver S(P, budget);
  const State s = S.empty_state();
  const CaseInfo& j = P.c[0];
  std::vector<std::pair<double, int32_t>> ranked;
  for (size_t e = 0; e < j.elig.size(); ++e)
    if (S.fits(s, j.elig[e], j.points)) ranked.emplace_back(S.key(s, 0, e), j.elig[e]);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Suggestion> out;
  for (size_t r = 0; r < ranked.size() && static_cast<int32_t>(r) < k; ++r) {
    const int32_t wi = ranked[r].second;
    Suggestion g;
    g.worker_id = P.w[wi].rec->id;
    g.utilisation_before = S.u(s, wi);
    g.utilisation_after = S.u(s, wi, j.points);
    g.soft_score = j.soft[S.elig_pos(0, wi)];
    g.explanation = "#" + std::to_string(r + 1) + ": " + g.worker_id + " (" + P.w[wi].rec->team + ") " +
                    pct(g.utilisation_before) + " -> " + pct(g.utilisation_after) + " (cap " + pct(P.w[wi].cap) + ")";
    const std::string sw = alloc::soft_words(P, 0, wi);
    if (!sw.empty()) g.explanation += "; " + sw;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace caseload
