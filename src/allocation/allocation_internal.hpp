// Private types and helpers shared by the allocation sources. Not API.
//
// The optimiser (docs/allocation.md) is split by job; each file includes this
// header and none includes another's internals:
//   allocation_problem.cpp  the problem: options, workers, cases, eligibility
//   allocation_search.cpp   the plan: construction, the stage-1 moves, stages 2 and 3
//   allocation_bound.cpp    the bounds on stage 1: max flow and the Lagrangian dual
//   allocation_explain.cpp  the reasons: each worker's verdict, each decision's words
//   allocation.cpp          the public entry points (allocate, suggest), which run them
//   allocation_helpers.cpp  the small helpers declared first below (text, band, cap)
// The knapsack kernel is base/knapsack.hpp, the budget base/budget.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/budget.hpp"
#include "base/knapsack.hpp"
#include "base/random.hpp"
#include "base/text.hpp"
#include "model/rules.hpp"
#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "caseload/scheme.hpp"

namespace caseload::alloc {

/// `"W17"` quoted as JSON, cut to 64 bytes, for messages (base/text.hpp).
using text::quoted;
/// A number with up to `digits` decimals, trailing zeros dropped ("6.7", "100").
std::string num(double v, int digits = 2);
/// A fraction as a whole percentage ("104%"); "inf%" never appears: +inf prints "over capacity (no capacity)".
std::string pct(double fraction);

/// Utilisation and band: the rules core's (model/rules.hpp), as everywhere.
using rules::band_of;
using rules::utilisation;

/// Stops a search by work units (deterministic) or, when set, by wall time
/// (base/budget.hpp).
using Budget = work::Budget;


// ---------------------------------------------------------------- the optimiser

inline constexpr double kInf = std::numeric_limits<double>::infinity();

// Concatenation with one allocation (verdict text is built ~10^4 times a plan).
inline std::string cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

inline bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

struct WorkerInfo {
  const Worker* rec = nullptr;
  const WorkerLoad* load = nullptr;
  const Thresholds* thresholds = nullptr;
  double capacity = 0;
  double cap = 1;
  double limit = 0;  // cap * capacity, points
  double points0 = 0, cases0 = 0;
  double max_cases = kInf;
  bool asye = false, case_holding = true;
  int level_rank = -1;
  std::string q_role, q_team, q_area, q_level;  // quoted once: verdict text reuses them for every case
};

struct CaseInfo {
  const IncomingCase* in = nullptr;
  double points = 0, priority = 1, value = 0;
  bool cowork_only = false;
  std::string type_name;
  int level_required = -1;
  int32_t pinned = -1;
  std::string q_team, q_area, q_level, q_type;  // quoted requirements, for verdict text
  std::vector<int32_t> elig;                    // statically eligible workers, model order
  std::vector<double> soft;                     // soft score per elig entry
  std::vector<int32_t> holders;                 // workers holding a sibling (sorted, unique)
  std::vector<int32_t> batch_siblings;          // other incoming cases of the same family, input order
  int32_t previous = -1;
  // Cases with equal hard requirements (everything Problem::ineligible
  // reads) share a profile: the same eligible workers and the same words
  // for every excluded one.
  int32_t profile = -1;
};

// Everything derived from the model, the batch and the options.
struct Problem {
  const Caseload* model = nullptr;
  const AllocationOptions* opt = nullptr;
  std::vector<WorkerInfo> w;
  std::vector<CaseInfo> c;
  int32_t profiles = 0;
  std::map<std::string, int32_t, std::less<>> worker_index;

  [[nodiscard]] int32_t find_worker(std::string_view id) const {
    auto it = worker_index.find(id);
    return it == worker_index.end() ? -1 : it->second;
  }

  // Empty when worker `wi` may hold case `ci` by every rule except room.
  // Writes the reason when `why` is given.
  bool ineligible(int32_t ci, int32_t wi, std::string* why) const;

  // Continuity from the model alone (a held sibling or the previous worker).
  [[nodiscard]] bool static_continuity(int32_t ci, int32_t wi) const {
    const CaseInfo& j = c[ci];
    return j.previous == wi || std::binary_search(j.holders.begin(), j.holders.end(), wi);
  }

  [[nodiscard]] double soft_score(int32_t ci, int32_t wi) const;
};

// allocation_problem.cpp

/// Throws caseload::Error naming the first bad option.
void validate_options(const AllocationOptions& o);
/// Validates the batch and derives everything the search needs.
/// `allow_existing`: an incoming id may name an unallocated case already in
/// the model (suggest() for a case waiting in the team's queue).
Problem prepare(const Caseload& model, const std::vector<IncomingCase>& incoming, const AllocationOptions& opt,
                bool allow_existing = false);

// allocation_search.cpp

// A plan under construction.
struct State {
  std::vector<int32_t> at;                 // case -> worker, -1 = unallocated
  std::vector<double> pts, cnt;            // per worker, existing + incoming
  std::vector<std::vector<int32_t>> held;  // worker -> incoming cases
  double value = 0;
  // Changed by every assign and unassign to a number no other state has
  // had (Solver::versions_), so equal versions mean equal contents: a copy
  // shares its original's version until either changes.
  uint64_t version = 0;
};

/// The plan's construction and moves, on one Problem and budget.
class Solver {
 public:
  Solver(const Problem& p, Budget& budget);
  State empty_state() const;

  // Small queries and changes, inline: the search and the explanations call
  // them in their inner loops. Room for `points` more (and one more case) on worker wi.
  [[nodiscard]] bool fits(const State& s, int32_t wi, double points) const {
    const WorkerInfo& k = P.w[wi];
    return s.pts[wi] + points <= k.limit + eps_[wi] && s.cnt[wi] + 1 <= k.max_cases + 1e-9;
  }
  [[nodiscard]] double u(const State& s, int32_t wi, double extra = 0) const {
    return utilisation(s.pts[wi] + extra, P.w[wi].capacity);
  }
  [[nodiscard]] double key(const State& s, int32_t ci, size_t e) const {
    const CaseInfo& j = P.c[ci];
    const double soft = std::clamp(j.soft[e], 0.0, 1.0);
    return u(s, j.elig[e], j.points) - P.opt->fairness_tolerance * soft;
  }
  // Soft score of ci on wi in plan s: the static score, plus the continuity
  // weight when a sibling from the same batch is on wi in s and the model
  // gives no continuity there already (a family counts once per worker).
  [[nodiscard]] double soft_in(const State& s, int32_t ci, int32_t wi) const {
    const CaseInfo& j = P.c[ci];
    double v = j.soft[elig_pos(ci, wi)];
    if (!j.batch_siblings.empty() && !P.static_continuity(ci, wi))
      for (int32_t k : j.batch_siblings)
        if (s.at[k] == wi) {
          v += P.opt->continuity_weight;
          break;
        }
    return v;
  }
  // Sum of soft scores over ci and its allocated batch siblings.
  [[nodiscard]] double family_soft(const State& s, int32_t ci) const {
    double v = s.at[ci] >= 0 ? soft_in(s, ci, s.at[ci]) : 0.0;
    for (int32_t k : P.c[ci].batch_siblings)
      if (s.at[k] >= 0) v += soft_in(s, k, s.at[k]);
    return v;
  }
  [[nodiscard]] size_t elig_pos(int32_t ci, int32_t wi) const {
    const auto& e = P.c[ci].elig;
    return static_cast<size_t>(std::lower_bound(e.begin(), e.end(), wi) - e.begin());
  }
  void assign(State& s, int32_t ci, int32_t wi) const {
    s.version = ++versions_;
    s.at[ci] = wi;
    s.pts[wi] += P.c[ci].points;
    s.cnt[wi] += 1;
    s.held[wi].push_back(ci);
    s.value += P.c[ci].value;
  }
  void unassign(State& s, int32_t ci) const {
    const int32_t wi = s.at[ci];
    s.version = ++versions_;
    s.at[ci] = -1;
    s.pts[wi] -= P.c[ci].points;
    s.cnt[wi] -= 1;
    auto& h = s.held[wi];
    h.erase(std::find(h.begin(), h.end(), ci));  // keeps order: results do not depend on erase position
    s.value -= P.c[ci].value;
  }

  // The search (allocation_search.cpp).
  std::vector<int32_t> priority_order() const;
  void construct(State& s, const std::vector<int32_t>& order, bool pack);
  bool insert_best(State& s, int32_t ci, bool pack);
  bool improve_value(State& s, const std::vector<int32_t>& order);
  bool eject_insert(State& s, int32_t ci);
  bool swap_in(State& s, int32_t ci);
  bool repack(State& s);
  bool exchange_in(State& s, const std::vector<int32_t>& order);
  void stage1(State& s, const std::vector<int32_t>& order);
  void ruin_recreate(State& s, const std::vector<int32_t>& order, double bound);
  void stage2(State& s);
  [[nodiscard]] double max_receiving(const State& s) const;
  void stage3(State& s);

 private:
  // The random stream: splitmix64 from the seed, salted so that it differs
  // from the GAP solver's for the same seed.
  static constexpr uint64_t kSeedSalt = 0x6A09E667F3BCC909ull;
  const Problem& P;
  Budget& budget_;
  random::SplitMix64 rng_;
  std::vector<double> eps_;
  knapsack::BranchAndBound ks_;
  std::vector<int32_t> tried_;  // exchange_in: cases already tried on this state
  std::vector<int32_t> dropped_;
  std::vector<int32_t> held_copy_;  // eject_insert scratch
  // State versions: a fresh number for every change of any state.
  mutable uint64_t versions_ = 0;
  // Version of a state in which case k (allocated) fits on no eligible
  // worker but its own, and in which case ci (unallocated) gained nothing
  // from any stage-1 move: the same state gives the same answer, so the
  // check is skipped (UINT64_MAX = not known).
  std::vector<uint64_t> stuck_at_, failed_at_;
  static constexpr int64_t kRepackNodes = 20000;
};

// allocation_bound.cpp

/// Stage 1's flow bound on the free cases: max flow with gains on the
/// source arcs only (valid for any plan that keeps the pins of
/// `pinned_state`).
double flow_bound(const Problem& P, const State& pinned_state);

struct LagrangeResult {
  double bound = kInf;  // on the free (unpinned) cases' value; +inf when not computed
  int64_t work = 0;
};

/// Stage 1's Lagrangian bound on the free cases. `repair` turns a relaxed
/// selection (case -> worker, -1 = none) into a plan and returns its value
/// on the free cases (a Lagrangian heuristic); `plan_at` gives the current
/// plan's case -> worker. `target`: the value of the best plan so far.
LagrangeResult lagrangian_bound(const Problem& P, const State& pinned_state, double target, int64_t work_limit,
                                const std::function<double(const std::vector<int32_t>&)>& repair,
                                const std::function<const std::vector<int32_t>&()>& plan_at);

// allocation_explain.cpp

// `plan`, when given: siblings from the same batch placed on wi are named.
std::string soft_words(const Problem& P, int32_t ci, int32_t wi, const State* plan = nullptr);

// The words for a worker with no room for a case in plan s, but for the
// case's points (appended when `complete` is false): a full worker's load is
// the same for every case but the one it was given, so these are built once
// per worker rather than once per verdict.
struct FullWords {
  std::string text;
  bool complete = false;
};
FullWords full_words(const Problem& P, const State& s, int32_t wi);

// `without`: scratch for the plan without this case (reused across cases so
// that the ~200 calls of a plan do not allocate it each time). `why`: per
// profile, the words for each excluded worker, filled on first use.
// `full`: full_words of every worker in s (a worker other than the chosen
// one has the same load in s and in the plan without this case).
void explain_case(const Problem& P, const Solver& S, const State& s, const State& before, int32_t ci, CaseDecision& d,
                  State& without, std::vector<std::vector<std::string>>& why, const std::vector<FullWords>& full);

/// One worker's before and after, for the plan.
WorkerChange worker_change(const WorkerInfo& k, double pts_after, double cnt_after);

}  // namespace caseload::alloc
