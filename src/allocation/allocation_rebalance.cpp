// Rebalancing existing cases (docs/allocation.md, "Rebalance").
//
// Greedy by net relief: each step makes the move that removes the most
// overload (points above a giver's safe capacity) net of the move cost. Each
// giver caches its best move; a move invalidates only the giver's cache and
// the caches that pointed at the receiver (receivers only lose room), so a
// whole authority (20,000 cases, 1,500 workers) takes one full scan plus
// small updates.
//
// A wider scope searches in stages, nearest first: moves within teams, then
// within service areas, then anywhere, each stage going on from where the
// last stopped, with one budget and one move limit. A move never adds
// overload (a receiver stays within its cap), so each stage can only lower
// it: a wider scope never leaves more overload than a narrower one, and when
// the budget is short it is spent first where moves are cheapest to find
// and least disruptive (a case stays in its team). Searching the whole
// authority at once spent the budget on 1,500 receivers per case and left
// more overload than staying within teams (issue 12).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "allocation/allocation_internal.hpp"
#include "allocation/allocation_options.hpp"
#include "caseload/allocation.hpp"
#include "caseload/error.hpp"

namespace caseload {

namespace {

using alloc::num;
using alloc::pct;
using alloc::quoted;
using alloc::utilisation;

struct RWorker {
  double capacity = 0, cap = 1, limit = 0, pts = 0, cnt = 0, max_cases = std::numeric_limits<double>::infinity();
  bool asye = false, receiver = false;
  std::vector<int32_t> cases;  // movable cases held
  std::string group;
};

struct RCase {
  const Case* rec = nullptr;
  double points = 0;
  bool cowork_only = false;
  int32_t at = -1;
};

struct Move {
  double net = -1;
  int32_t c = -1, to = -1;
  double u_to = 0;
};

}  // namespace

RebalancePlan rebalance(const Caseload& model, const RebalanceOptions& options) {
  caseload::options::validate(options, alloc::rebalance_option_records(), "rebalance options");

  alloc::Budget budget(options.work_limit, std::nullopt);
  const SchemeVersion& sv = model.scheme_version();
  const auto& workers = model.workers();
  const auto& loads = model.worker_loads();
  const size_t m = workers.size();
  std::vector<RWorker> W(m);
  std::map<std::string, int32_t, std::less<>> index;
  for (size_t i = 0; i < m; ++i) {
    RWorker& w = W[i];
    const Thresholds& t = sv.service_area(workers[i].service_area).thresholds;
    w.capacity = loads[i].capacity;
    w.cap = options.utilisation_cap ? *options.utilisation_cap : t.amber_to;
    w.limit = w.cap * w.capacity;
    w.pts = loads[i].points;
    w.cnt = loads[i].cases;
    w.asye = loads[i].is_asye;
    w.receiver = loads[i].case_holding && w.capacity > 0;
    if (const RoleRule* r = sv.find_role(workers[i].role); r && r->max_cases) w.max_cases = *r->max_cases;
    index.emplace(workers[i].id, static_cast<int32_t>(i));
  }
  auto eps = [&](int32_t wi) { return 1e-9 * std::max(1.0, std::abs(W[wi].limit)); };
  auto excess = [&](int32_t wi) { return std::max(0.0, W[wi].pts - W[wi].limit); };

  // Movable cases: held by one worker alone (co-worked cases stay put).
  std::vector<RCase> C;
  for (const Case& c : model.cases()) {
    if (c.allocations.size() != 1) continue;
    const int32_t wi = index.find(c.allocations[0].worker_id)->second;
    RCase rc;
    rc.rec = &c;
    rc.points = model.case_points(c.id) * c.allocations[0].share;
    const CaseTypeRule* type = sv.find_case_type(c.case_type);
    rc.cowork_only = type != nullptr && type->asye_cowork_only;
    rc.at = wi;
    W[wi].cases.push_back(static_cast<int32_t>(C.size()));
    C.push_back(rc);
  }

  RebalancePlan plan;
  for (size_t i = 0; i < m; ++i) {
    const double e = excess(static_cast<int32_t>(i));
    plan.overload_before += e;
    if (e > eps(static_cast<int32_t>(i))) ++plan.overloaded_before;
  }

  std::map<std::string, std::vector<int32_t>, std::less<>> receivers;
  auto best_move = [&](int32_t g) {
    Move best;
    const double ex = excess(g);
    if (ex <= eps(g)) return best;
    auto rit = receivers.find(W[g].group);
    if (rit == receivers.end()) return best;
    for (int32_t ci : W[g].cases) {
      const RCase& c = C[ci];
      if (!(c.points > 0)) continue;
      const double net = std::min(c.points, ex) - options.move_cost;
      if (net <= 1e-12 || net < best.net - 1e-12) continue;
      for (int32_t r : rit->second) {
        const RWorker& w = W[r];
        if (r == g || (w.asye && c.cowork_only)) continue;
        if (w.pts + c.points > w.limit + eps(r) || w.cnt + 1 > w.max_cases + 1e-9) continue;
        const double u_to = utilisation(w.pts + c.points, w.capacity);
        // Ties: the smaller case (less disruption), then the lower load after.
        const bool better =
            best.c < 0 || net > best.net + 1e-12 ||
            (net >= best.net - 1e-12 && (c.points < C[best.c].points - 1e-12 ||
                                         (c.points <= C[best.c].points + 1e-12 && u_to < best.u_to - 1e-12)));
        if (better) best = Move{net, ci, r, u_to};
      }
      budget.spend(static_cast<int64_t>(rit->second.size()));
    }
    return best;
  };

  std::vector<char> touched(m, 0);
  std::map<int32_t, std::vector<std::string>> moved_in;
  std::vector<Move> cache(m);
  // One stage: moves between workers of the same group (team, service area,
  // or one group for the whole authority).
  auto run_stage = [&](const std::string& stage) {
    for (size_t i = 0; i < m; ++i)
      W[i].group = stage == "team" ? workers[i].team : stage == "service_area" ? workers[i].service_area : "";
    receivers.clear();
    for (size_t i = 0; i < m; ++i)
      if (W[i].receiver) receivers[W[i].group].push_back(static_cast<int32_t>(i));
    std::vector<int32_t> givers;
    for (size_t i = 0; i < m; ++i)
      if (excess(static_cast<int32_t>(i)) > eps(static_cast<int32_t>(i))) givers.push_back(static_cast<int32_t>(i));
    for (int32_t g : givers) cache[g] = best_move(g);
    while (static_cast<int32_t>(plan.moves.size()) < options.max_moves && budget.left()) {
      int32_t g = -1;
      for (int32_t x : givers)
        if (cache[x].c >= 0 && (g < 0 || cache[x].net > cache[g].net + 1e-12)) g = x;
      if (g < 0) break;
      const Move mv = cache[g];
      RCase& c = C[mv.c];
      CaseMove out;
      out.case_id = c.rec->id;
      out.from_worker = workers[g].id;
      out.to_worker = workers[mv.to].id;
      out.points = c.points;
      out.relieved = std::min(c.points, excess(g));
      const double ug0 = utilisation(W[g].pts, W[g].capacity), ur0 = utilisation(W[mv.to].pts, W[mv.to].capacity);
      W[g].pts -= c.points;
      W[g].cnt -= 1;
      W[mv.to].pts += c.points;
      W[mv.to].cnt += 1;
      auto& gc = W[g].cases;
      gc.erase(std::find(gc.begin(), gc.end(), mv.c));
      W[mv.to].cases.push_back(mv.c);
      c.at = mv.to;
      out.reason = workers[g].id + " was at " + pct(ug0) + " (cap " + pct(W[g].cap) + "), now " +
                   pct(utilisation(W[g].pts, W[g].capacity)) + "; " + workers[mv.to].id + " " + pct(ur0) + " -> " +
                   pct(utilisation(W[mv.to].pts, W[mv.to].capacity)) + "; relieves " + num(out.relieved) +
                   " points of overload for a move cost of " + num(options.move_cost);
      if (workers[g].team != workers[mv.to].team)
        out.reason += "; to another team (" + workers[mv.to].team + ") as the scope " + quoted(options.scope) +
                      " allows, no one in " + workers[g].team + " having room";
      plan.moves.push_back(std::move(out));
      touched[g] = touched[mv.to] = 1;
      moved_in[mv.to].push_back(c.rec->id);
      cache[g] = best_move(g);
      for (int32_t x : givers)
        if (x != g && cache[x].to == mv.to) cache[x] = best_move(x);
    }
  };
  run_stage("team");
  if (options.scope != "team") run_stage("service_area");
  if (options.scope == "any") run_stage("any");

  for (size_t i = 0; i < m; ++i) {
    const double e = excess(static_cast<int32_t>(i));
    plan.overload_after += e;
    if (e > eps(static_cast<int32_t>(i))) ++plan.overloaded_after;
    if (!touched[i]) continue;
    WorkerChange wc;
    wc.worker_id = workers[i].id;
    wc.team = workers[i].team;
    wc.service_area = workers[i].service_area;
    wc.role = workers[i].role;
    wc.is_asye = W[i].asye;
    wc.case_holding = loads[i].case_holding;
    wc.capacity = W[i].capacity;
    wc.cap = W[i].cap;
    wc.points_before = loads[i].points;
    wc.points_after = W[i].pts;
    wc.cases_before = loads[i].cases;
    wc.cases_after = W[i].cnt;
    wc.utilisation_before = loads[i].utilisation;
    wc.utilisation_after = utilisation(W[i].pts, W[i].capacity);
    wc.band_before = loads[i].band;
    wc.band_after = alloc::band_of(wc.utilisation_after, sv.service_area(workers[i].service_area).thresholds);
    if (auto it = moved_in.find(static_cast<int32_t>(i)); it != moved_in.end()) wc.new_cases = it->second;
    plan.workers.push_back(std::move(wc));
  }
  plan.cost = options.move_cost * static_cast<double>(plan.moves.size());
  plan.work = budget.used();
  plan.seconds = budget.elapsed_seconds();
  return plan;
}

}  // namespace caseload
