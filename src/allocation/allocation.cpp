// Allocation optimiser (docs/allocation.md).
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
#include "caseload/allocation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "allocation/allocation_internal.hpp"
#include "caseload/error.hpp"
#include "base/json.hpp"
#include "base/random.hpp"
#include "base/text.hpp"

namespace caseload {

namespace alloc {

// These three build most of a plan's explanation text (tens of thousands of
// calls for a 200 x 50 batch), hence the fast paths; the text is the same
// as json::append_quoted and printf("%.*f") would give (numbers through
// text::fixed, std::to_chars with a precision, except that a value rounding
// to zero is printed unsigned).
std::string quoted(std::string_view s) {
  s = s.substr(0, 64);
  const bool plain = std::all_of(s.begin(), s.end(),
                                 [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\'; });
  std::string out;
  if (plain) {
    out.reserve(s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return out;
  }
  json::append_quoted(out, s);
  return out;
}

std::string num(double v, int digits) {
  if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
  std::string s = text::fixed(v, digits);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

std::string pct(double fraction) {
  if (!std::isfinite(fraction)) return "over capacity (no capacity)";
  return text::fixed(fraction * 100, 0) + '%';
}

Band band_of(double u, const Thresholds& t) {
  return u < t.green_below        ? Band::green
         : u <= t.amber_to        ? Band::amber
         : u <= t.excessive_above ? Band::red
                                  : Band::excessive;
}

void check_cap(const std::optional<double>& cap, std::string_view where) {
  if (cap && !(std::isfinite(*cap) && *cap > 0))
    throw Error(ErrorCode::invalid_argument,
                std::string(where) + ": utilisation_cap must be finite and > 0, got " + num(*cap, 6));
}

}  // namespace alloc

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

namespace {

using alloc::num;
using alloc::pct;
using alloc::quoted;
using alloc::utilisation;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed ^ 0x6A09E667F3BCC909ull) {}
  uint64_t next() { return random::splitmix64(s); }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
};

// Concatenation with one allocation (verdict text is built ~10^4 times a plan).
std::string cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts) out.append(p);
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view s) {
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
  bool ineligible(int32_t ci, int32_t wi, std::string* why) const {
    const CaseInfo& j = c[ci];
    const WorkerInfo& k = w[wi];
    const IncomingCase& in = *j.in;
    auto out = [&](auto&& make) {
      if (why) *why = make();
      return true;
    };
    if (!k.case_holding) return out([&] { return cat({"role ", k.q_role, " is not case-holding"}); });
    if (!(k.capacity > 0)) return out([] { return std::string("no capacity (no available hours)"); });
    if (has(in.excluded_workers, k.rec->id)) return out([] { return std::string("excluded: conflict of interest"); });
    if (!in.required_team.empty() && k.rec->team != in.required_team)
      return out([&] { return cat({"team ", k.q_team, ", case needs team ", j.q_team}); });
    if (!in.required_service_area.empty() && k.rec->service_area != in.required_service_area)
      return out([&] { return cat({"service area ", k.q_area, ", case needs ", j.q_area}); });
    if (k.rec->experience_years < in.min_experience_years)
      return out([&] {
        return "experience " + num(k.rec->experience_years) + " years, case needs " + num(in.min_experience_years);
      });
    if (j.level_required >= 0 && k.level_rank < j.level_required)
      return out([&] { return cat({"experience level ", k.q_level, " below ", j.q_level}); });
    for (const auto& s : in.required_skills)
      if (!has(k.rec->skills, s)) return out([&] { return "lacks skill " + quoted(s); });
    if (k.asye && j.cowork_only) return out([&] { return cat({"ASYE: case type ", j.q_type, " is co-work only"}); });
    return false;
  }

  // Continuity from the model alone (a held sibling or the previous worker).
  [[nodiscard]] bool static_continuity(int32_t ci, int32_t wi) const {
    const CaseInfo& j = c[ci];
    return j.previous == wi || std::binary_search(j.holders.begin(), j.holders.end(), wi);
  }

  [[nodiscard]] double soft_score(int32_t ci, int32_t wi) const {
    const CaseInfo& j = c[ci];
    const IncomingCase& in = *j.in;
    double s = 0;
    const bool continuity = j.previous == wi || std::binary_search(j.holders.begin(), j.holders.end(), wi);
    if (continuity) s += opt->continuity_weight;
    if (!in.desired_skills.empty()) {
      size_t n = 0;
      for (const auto& sk : in.desired_skills) n += has(w[wi].rec->skills, sk) ? 1 : 0;
      s += opt->skills_weight * static_cast<double>(n) / static_cast<double>(in.desired_skills.size());
    }
    for (const auto& p : in.preferences)
      if (p.worker_id == w[wi].rec->id) s += opt->preference_weight * p.score;
    return s;
  }
};

void validate_options(const AllocationOptions& o) {
  const std::string where = "allocation options";
  alloc::check_cap(o.utilisation_cap, where);
  auto nonneg = [&](double v, const char* name) {
    if (!(std::isfinite(v) && v >= 0))
      throw Error(ErrorCode::invalid_argument, where + ": " + name + " must be finite and >= 0, got " + num(v, 6));
  };
  nonneg(o.continuity_weight, "continuity_weight");
  nonneg(o.skills_weight, "skills_weight");
  nonneg(o.preference_weight, "preference_weight");
  nonneg(o.fairness_tolerance, "fairness_tolerance");
  if (o.work_limit < 0)
    throw Error(ErrorCode::invalid_argument, where + ": work_limit must be >= 0, got " + std::to_string(o.work_limit));
  if (o.time_limit_seconds && !(std::isfinite(*o.time_limit_seconds) && *o.time_limit_seconds > 0))
    throw Error(ErrorCode::invalid_argument,
                where + ": time_limit_seconds must be finite and > 0, got " + num(*o.time_limit_seconds, 6));
  for (size_t i = 0; i < o.experience_levels.size(); ++i)
    for (size_t k = 0; k < i; ++k)
      if (o.experience_levels[i] == o.experience_levels[k])
        throw Error(ErrorCode::duplicate,
                    where + ": experience level " + quoted(o.experience_levels[i]) + " is listed twice");
}

// `allow_existing`: an incoming id may name an unallocated case already in
// the model (suggest() for a case waiting in the team's queue).
Problem prepare(const Caseload& model, const std::vector<IncomingCase>& incoming, const AllocationOptions& opt,
                bool allow_existing = false) {
  validate_options(opt);
  Problem P;
  P.model = &model;
  P.opt = &opt;
  const SchemeVersion& sv = model.scheme_version();
  const auto& workers = model.workers();
  const auto& loads = model.worker_loads();
  P.w.resize(workers.size());
  for (size_t i = 0; i < workers.size(); ++i) {
    WorkerInfo& k = P.w[i];
    k.rec = &workers[i];
    k.load = &loads[i];
    k.thresholds = &sv.service_area(workers[i].service_area).thresholds;
    k.capacity = loads[i].capacity;
    k.cap = opt.utilisation_cap ? *opt.utilisation_cap : k.thresholds->amber_to;
    k.limit = k.cap * k.capacity;
    k.points0 = loads[i].points;
    k.cases0 = loads[i].cases;
    k.asye = loads[i].is_asye;
    k.case_holding = loads[i].case_holding;
    k.q_role = quoted(workers[i].role);
    k.q_team = quoted(workers[i].team);
    k.q_area = quoted(workers[i].service_area);
    k.q_level = quoted(workers[i].experience_level);
    if (const RoleRule* r = sv.find_role(workers[i].role); r && r->max_cases) k.max_cases = *r->max_cases;
    for (size_t l = 0; l < opt.experience_levels.size(); ++l)
      if (opt.experience_levels[l] == workers[i].experience_level) k.level_rank = static_cast<int>(l);
    P.worker_index.emplace(workers[i].id, static_cast<int32_t>(i));
  }

  // Per-case checks that need no scheme, in input order.
  std::set<std::string, std::less<>> ids;
  for (const auto& c : model.cases()) ids.insert(c.id);
  std::set<std::string, std::less<>> batch_ids;
  for (size_t i = 0; i < incoming.size(); ++i) {
    const IncomingCase& in = incoming[i];
    const std::string who =
        in.record.id.empty() ? "incoming[" + std::to_string(i) + "]" : "incoming case " + quoted(in.record.id);
    if (in.record.id.empty()) throw Error(ErrorCode::invalid_argument, who + ": id must not be empty");
    if (!allow_existing && ids.count(in.record.id))
      throw Error(ErrorCode::duplicate, who + ": id is already a case in the model");
    if (!batch_ids.insert(in.record.id).second)
      throw Error(ErrorCode::duplicate, who + ": id given twice in the batch");
    if (!in.record.allocations.empty())
      throw Error(ErrorCode::invalid_argument, who + ": allocations must be empty (the case is to be allocated)");
    if (!(std::isfinite(in.priority) && in.priority > 0))
      throw Error(ErrorCode::invalid_argument, who + ": priority must be finite and > 0, got " + num(in.priority, 6));
    if (!(std::isfinite(in.min_experience_years) && in.min_experience_years >= 0))
      throw Error(ErrorCode::invalid_argument,
                  who + ": min_experience_years must be finite and >= 0, got " + num(in.min_experience_years, 6));
    if (!in.min_experience_level.empty() && !has(opt.experience_levels, in.min_experience_level))
      throw Error(ErrorCode::invalid_argument, who + ": min_experience_level " + quoted(in.min_experience_level) +
                                                   " is not one of the experience levels");
    for (const auto& p : in.preferences) {
      if (!std::isfinite(p.score))
        throw Error(ErrorCode::invalid_argument,
                    who + ": preference for worker " + quoted(p.worker_id) + " must be finite, got " + num(p.score, 6));
      if (P.find_worker(p.worker_id) < 0)
        throw Error(ErrorCode::not_found, who + ": preference names unknown worker " + quoted(p.worker_id));
    }
    if (!in.pinned_worker.empty() && P.find_worker(in.pinned_worker) < 0)
      throw Error(ErrorCode::not_found,
                  who + ": pinned_worker " + quoted(in.pinned_worker) + " is not a worker in the model");
  }

  // Points under the scheme: the incoming cases evaluated alone (unallocated)
  // on the model's date, which also validates types, factors and tasks.
  std::vector<Case> records;
  records.reserve(incoming.size());
  for (const auto& in : incoming) records.push_back(in.record);
  const Caseload alone(model.scheme(), {}, records, model.as_of());

  // Families of the batch -> workers holding one of their cases.
  std::map<std::string, std::vector<int32_t>, std::less<>> family_holders;
  for (const auto& in : incoming)
    if (!in.record.family_id.empty()) family_holders.emplace(in.record.family_id, std::vector<int32_t>{});
  if (!family_holders.empty())
    for (const auto& c : model.cases()) {
      if (c.family_id.empty()) continue;
      auto it = family_holders.find(c.family_id);
      if (it == family_holders.end()) continue;
      for (const auto& a : c.allocations)
        if (int32_t wi = P.find_worker(a.worker_id); wi >= 0) it->second.push_back(wi);
    }
  for (auto& [_, v] : family_holders) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  P.c.resize(incoming.size());
  for (size_t i = 0; i < incoming.size(); ++i) {
    CaseInfo& j = P.c[i];
    const IncomingCase& in = incoming[i];
    j.in = &in;
    j.points = alone.case_points(in.record.id);
    j.priority = in.priority;
    j.value = j.priority * j.points;
    const CaseTypeRule* type = alone.scheme_version().find_case_type(in.record.case_type);
    j.cowork_only = type != nullptr && type->asye_cowork_only;
    j.type_name = in.record.case_type;
    j.q_type = quoted(j.type_name);
    j.q_team = quoted(in.required_team);
    j.q_area = quoted(in.required_service_area);
    j.q_level = quoted(in.min_experience_level);
    for (size_t l = 0; l < opt.experience_levels.size(); ++l)
      if (opt.experience_levels[l] == in.min_experience_level) j.level_required = static_cast<int>(l);
    if (!in.record.family_id.empty()) j.holders = family_holders[in.record.family_id];
    if (!in.previous_worker.empty()) j.previous = P.find_worker(in.previous_worker);
  }
  // Siblings arriving together: each case lists the others of its family.
  std::map<std::string_view, std::vector<int32_t>, std::less<>> batch_families;
  for (size_t i = 0; i < incoming.size(); ++i)
    if (!incoming[i].record.family_id.empty())
      batch_families[incoming[i].record.family_id].push_back(static_cast<int32_t>(i));
  for (const auto& [_, members] : batch_families)
    if (members.size() > 1)
      for (int32_t a : members)
        for (int32_t b : members)
          if (a != b) P.c[a].batch_siblings.push_back(b);
  // Eligibility once per profile (a batch has far fewer profiles than cases).
  std::map<std::string, int32_t, std::less<>> profile_of;  // key -> first case
  std::string key;
  for (size_t i = 0; i < P.c.size(); ++i) {
    CaseInfo& j = P.c[i];
    const IncomingCase& in = *j.in;
    key.clear();
    auto field = [&](std::string_view f) { key.append(std::to_string(f.size())).append(":").append(f); };
    for (const auto& x : in.excluded_workers) field(x);
    key.append("|");
    field(in.required_team);
    field(in.required_service_area);
    char bits[sizeof(double)];
    std::memcpy(bits, &in.min_experience_years, sizeof bits);
    field(std::string_view(bits, sizeof bits));
    field(std::to_string(j.level_required));
    field(j.level_required >= 0 ? in.min_experience_level : std::string_view());
    for (const auto& x : in.required_skills) field(x);
    key.append("|");
    field(j.cowork_only ? j.type_name : std::string_view("-"));
    const auto [it, fresh] = profile_of.try_emplace(key, static_cast<int32_t>(i));
    if (fresh) {
      j.profile = P.profiles++;
      for (size_t wi = 0; wi < P.w.size(); ++wi)
        if (!P.ineligible(static_cast<int32_t>(i), static_cast<int32_t>(wi), nullptr))
          j.elig.push_back(static_cast<int32_t>(wi));
    } else {
      j.profile = P.c[it->second].profile;
      j.elig = P.c[it->second].elig;
    }
    for (int32_t wi : j.elig) j.soft.push_back(P.soft_score(static_cast<int32_t>(i), wi));
  }
  return P;
}

// ---------------------------------------------------------------- knapsack

// Exact 0/1 knapsack with item multiplicities and a cardinality limit, by
// depth-first branch and bound on real-valued weights (no grid). Items of
// equal value and weight merge into one item with a multiplicity, which
// removes the symmetric branches that make a plain branch and bound slow on
// a batch of look-alike referrals. Past the node allowance the search stops
// and value() is the root LP (Dantzig) bound, still an upper bound, while
// the selection is the best found.
class Knapsack {
 public:
  void clear() { in_.clear(); }
  /// An item of value r > 0 and weight p > 0, `mult` copies, named by `tag`.
  void add(double r, double p, int32_t mult, int32_t tag) { in_.push_back({r, p, mult, tag}); }

  /// Solves for capacity `cap` and at most `slots` items; returns value().
  /// `known`: the value of a selection known to be feasible (0 if none);
  /// the search starts just below it, which prunes early and still finds a
  /// selection at least as good.
  double solve(double cap, double slots, int64_t node_limit, double known = 0) {
    // Density order; ties by weight, value, then tag: deterministic.
    std::sort(in_.begin(), in_.end(), [](const In& a, const In& b) {
      const double da = a.r * b.p, db = b.r * a.p;
      if (da != db) return da > db;
      if (a.p != b.p) return a.p < b.p;
      if (a.r != b.r) return a.r > b.r;
      return a.tag < b.tag;
    });
    it_.clear();
    for (size_t t = 0; t < in_.size(); ++t) {
      if (!it_.empty() && it_.back().r == in_[t].r && it_.back().p == in_[t].p) {
        it_.back().mult += in_[t].mult;
        it_.back().count += 1;
      } else {
        it_.push_back({in_[t].r, in_[t].p, in_[t].mult, static_cast<int32_t>(t), 1});
      }
    }
    const size_t k = it_.size();
    pw_.assign(k + 1, 0);
    pv_.assign(k + 1, 0);
    dens_.resize(k);
    inv_p_.resize(k);
    for (size_t x = 0; x < k; ++x) {
      dens_[x] = it_[x].r / it_[x].p;
      inv_p_[x] = 1 / it_[x].p;
      pw_[x + 1] = pw_[x] + it_[x].p * it_[x].mult;
      pv_[x + 1] = pv_[x] + it_[x].r * it_[x].mult;
    }
    best_ = known > 0 ? known * (1 - 1e-9) - 1e-12 : 0.0;
    nodes_ = 0;
    limit_ = node_limit;
    aborted_ = false;
    slots_ = slots;
    take_.assign(k, 0);
    take_best_.assign(k, 0);
    size_t y0 = 0;
    const double root = dantzig(0, cap, y0);
    dfs(0, cap, 0, 0);
    value_ = aborted_ ? std::max(best_, root) : best_;
    return value_;
  }
  [[nodiscard]] double value() const { return value_; }  ///< exact, or an upper bound when !exact()
  [[nodiscard]] double best() const { return best_; }    ///< value of the selection
  [[nodiscard]] bool exact() const { return !aborted_; }
  [[nodiscard]] int64_t nodes() const { return nodes_; }
  /// Calls f(tag, copies) for the selection, copies spread over the merged
  /// items' tags in order.
  template <class F>
  void for_each_taken(F&& f) const {
    for (size_t x = 0; x < it_.size(); ++x) {
      int32_t left = take_best_[x];
      for (int32_t t = 0; t < it_[x].count && left > 0; ++t) {
        const In& i = in_[it_[x].first + t];
        const int32_t q = std::min(left, i.mult);
        f(i.tag, q);
        left -= q;
      }
    }
  }

 private:
  // LP bound of items x.. with capacity c (the cardinality limit is ignored,
  // which can only raise it).
  // `y` on entry: a guess of the critical item (the parent node's), which a
  // child's is usually at or just after; on return the critical item. The
  // walk from the guess finds the same index as a binary search from x.
  [[nodiscard]] double dantzig(size_t x, double c, size_t& y) const {
    const size_t k = it_.size();
    const double target = pw_[x] + c;
    // Largest y in [x - 1, k] with pw_[y] <= target (x - 1 only when
    // pw_[x] > target, which rounding in c can cause).
    auto h = static_cast<std::ptrdiff_t>(std::clamp(y, x, k));
    const auto lo = static_cast<std::ptrdiff_t>(x);
    while (h >= lo && pw_[static_cast<size_t>(h)] > target) --h;
    while (static_cast<size_t>(h + 1) <= k && pw_[static_cast<size_t>(h + 1)] <= target) ++h;
    y = static_cast<size_t>(h);
    double v = pv_[y] - pv_[x];
    // Density times room rather than value times room over weight: one
    // division less per node, and a bound that differs in the last bits only
    // (the cut test has a 1e-12 relative margin).
    if (y < k) v += dens_[y] * std::max(0.0, c - (pw_[y] - pw_[x]));
    return v;
  }

  // True when the node was cut by its LP bound.
  bool dfs(size_t x, double c, double v, double cnt, size_t y = 0) {
    if (aborted_) return false;
    if (++nodes_ > limit_) {
      aborted_ = true;
      return false;
    }
    if (v > best_) {
      best_ = v;
      take_best_ = take_;
    }
    if (x == it_.size() || cnt >= slots_) return false;
    if (v + dantzig(x, c, y) <= best_ + 1e-12 * std::max(1.0, best_)) return true;
    // Most copies first (the greedy choice), down to none.
    const double fit = std::floor(c * inv_p_[x] + 1e-12);
    const auto most = static_cast<int32_t>(std::min({static_cast<double>(it_[x].mult), fit, slots_ - cnt}));
    for (int32_t q = most; q >= 0; --q) {
      if (q > 0 && it_[x].p * q > c) continue;  // rounding in `fit`
      take_[x] = q;
      if (dfs(x + 1, c - it_[x].p * q, v + it_[x].r * q, cnt + q, y)) {
        // Item x is at least as dense as every later one, so a child with
        // fewer copies has an LP bound no higher: it would be cut too. They
        // are counted as visited, which keeps the work units (and so where
        // the Lagrangian bound stops) as they were.
        nodes_ += q;
        if (nodes_ > limit_) {
          nodes_ = limit_ + 1;
          aborted_ = true;
        }
        break;
      }
      if (aborted_) break;
    }
    take_[x] = 0;
    return false;
  }

  struct In {
    double r, p;
    int32_t mult, tag;
  };
  struct Item {
    double r, p;
    int32_t mult;
    int32_t first;  // into in_: the merged inputs
    int32_t count;
  };
  std::vector<In> in_;
  std::vector<Item> it_;
  std::vector<double> pw_, pv_, dens_, inv_p_;
  std::vector<int32_t> take_, take_best_;
  double best_ = 0, value_ = 0, slots_ = kInf;
  int64_t nodes_ = 0, limit_ = 0;
  bool aborted_ = false;
};

// ---------------------------------------------------------------- state

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

class Solver {
 public:
  Solver(const Problem& p, alloc::Budget& budget) : P(p), budget_(budget), rng_(p.opt->seed) {
    const size_t m = P.w.size();
    eps_.resize(m);
    for (size_t i = 0; i < m; ++i) eps_[i] = 1e-9 * std::max(1.0, std::abs(P.w[i].limit));
    stuck_at_.assign(P.c.size(), UINT64_MAX);
    failed_at_.assign(P.c.size(), UINT64_MAX);
  }

  State empty_state() const {
    State s;
    s.at.assign(P.c.size(), -1);
    s.pts.resize(P.w.size());
    s.cnt.resize(P.w.size());
    s.held.resize(P.w.size());
    s.version = ++versions_;
    for (size_t i = 0; i < P.w.size(); ++i) {
      s.pts[i] = P.w[i].points0;
      s.cnt[i] = P.w[i].cases0;
    }
    return s;
  }

  // Room for `points` more (and one more case) on worker wi.
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

  // Cases in stage-1 order: priority (density) first, then larger points, then input order.
  std::vector<int32_t> priority_order() const {
    std::vector<int32_t> order(P.c.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
      if (P.c[a].priority != P.c[b].priority) return P.c[a].priority > P.c[b].priority;
      return P.c[a].points > P.c[b].points;
    });
    return order;
  }

  // Pins first, then every other case in priority order to its best fitting
  // worker (fairness key, or best fit when `pack`).
  void construct(State& s, const std::vector<int32_t>& order, bool pack) {
    for (int32_t ci : order) {
      if (s.at[ci] >= 0 || P.c[ci].pinned >= 0) continue;
      insert_best(s, ci, pack);
    }
  }

  bool insert_best(State& s, int32_t ci, bool pack) {
    const CaseInfo& j = P.c[ci];
    int32_t best = -1;
    double best_key = kInf;
    for (size_t e = 0; e < j.elig.size(); ++e) {
      const int32_t wi = j.elig[e];
      if (!fits(s, wi, j.points)) continue;
      const double k = pack ? (P.w[wi].limit - s.pts[wi] - j.points) / std::max(P.w[wi].capacity, 1e-9) : key(s, ci, e);
      if (k < best_key) {
        best_key = k;
        best = wi;
      }
    }
    budget_.spend(static_cast<int64_t>(j.elig.size()) + 1);
    if (best < 0) return false;
    assign(s, ci, best);
    return true;
  }

  // One pass of stage-1 moves for every unallocated case; true if the value rose.
  bool improve_value(State& s, const std::vector<int32_t>& order) {
    bool improved = false;
    for (int32_t ci : order) {
      if (!budget_.left()) break;
      if (s.at[ci] >= 0 || P.c[ci].pinned >= 0 || failed_at_[ci] == s.version) continue;
      const uint64_t seen = s.version;
      if (insert_best(s, ci, false) || eject_insert(s, ci) || swap_in(s, ci))
        improved = true;
      else if (s.version == seen)  // no trial move either: the same state fails the same way
        failed_at_[ci] = seen;
    }
    return improved;
  }

  // Make room for ci on an eligible worker by moving one of that worker's
  // incoming cases to another worker with room.
  bool eject_insert(State& s, int32_t ci) {
    const CaseInfo& j = P.c[ci];
    for (int32_t wi : j.elig) {
      if (s.cnt[wi] + 1 > P.w[wi].max_cases + 1e-9 && s.held[wi].empty()) continue;
      const double need = s.pts[wi] + j.points - P.w[wi].limit - eps_[wi];
      // A copy (into a reused buffer): the moves below reorder held[wi].
      held_copy_.assign(s.held[wi].begin(), s.held[wi].end());
      for (int32_t k : held_copy_) {
        budget_.spend(1);
        if (P.c[k].pinned >= 0 || P.c[k].points < need || stuck_at_[k] == s.version) continue;
        // Count constraint: moving k out frees one case slot on wi.
        const uint64_t seen = s.version;
        for (int32_t w2 : P.c[k].elig) {
          if (w2 == wi || !fits(s, w2, P.c[k].points)) continue;
          budget_.spend(1);
          unassign(s, k);
          assign(s, k, w2);
          if (fits(s, wi, j.points)) {
            assign(s, ci, wi);
            return true;
          }
          unassign(s, k);
          assign(s, k, wi);
        }
        if (s.version == seen) stuck_at_[k] = seen;  // no other worker had room for k
      }
      if (!budget_.left()) return false;
    }
    return false;
  }

  // Replace one or two incoming cases of lower total value on an eligible
  // worker by ci; the replaced cases become unallocated (and are retried).
  bool swap_in(State& s, int32_t ci) {
    const CaseInfo& j = P.c[ci];
    int32_t best_w = -1, best_a = -1, best_b = -1;
    double best_loss = j.value - 1e-9 * std::max(1.0, j.value);
    for (int32_t wi : j.elig) {
      const auto& h = s.held[wi];
      // Removing at least one case frees the case slot the newcomer needs.
      const double room = P.w[wi].limit + eps_[wi] - s.pts[wi];
      for (size_t x = 0; x < h.size(); ++x) {
        const CaseInfo& a = P.c[h[x]];
        if (a.pinned >= 0) continue;
        budget_.spend(1);
        if (a.value < best_loss && room + a.points >= j.points) {
          best_loss = a.value;
          best_w = wi, best_a = h[x], best_b = -1;
        }
        for (size_t y = x + 1; y < h.size(); ++y) {
          const CaseInfo& b = P.c[h[y]];
          if (b.pinned >= 0) continue;
          budget_.spend(1);
          if (a.value + b.value < best_loss && room + a.points + b.points >= j.points) {
            best_loss = a.value + b.value;
            best_w = wi, best_a = h[x], best_b = h[y];
          }
        }
      }
    }
    if (best_w < 0) return false;
    unassign(s, best_a);
    if (best_b >= 0) unassign(s, best_b);
    assign(s, ci, best_w);
    // The displaced cases may still fit elsewhere.
    insert_best(s, best_a, false);
    if (best_b >= 0) insert_best(s, best_b, false);
    return true;
  }

  // Re-packs each worker exactly: its movable incoming cases and the
  // unallocated cases it may take form one knapsack on its room (maximum
  // priority-weighted points, within its case slots). The cases it drops
  // are offered to the other workers. Only strict gains are applied.
  bool repack(State& s) {
    bool improved = false;
    for (size_t w = 0; w < P.w.size() && budget_.left(); ++w) {
      const auto wi = static_cast<int32_t>(w);
      const WorkerInfo& k = P.w[wi];
      double own_pts = 0, own_cnt = 0, own_val = 0;
      ks_.clear();
      for (int32_t ci : s.held[wi])
        if (P.c[ci].pinned < 0) {
          own_pts += P.c[ci].points, own_cnt += 1, own_val += P.c[ci].value;
          ks_.add(P.c[ci].value, P.c[ci].points, 1, ci);
        }
      const double cap = k.limit + eps_[wi] - (s.pts[wi] - own_pts);
      const double slots = std::isfinite(k.max_cases) ? std::floor(k.max_cases - (s.cnt[wi] - own_cnt) + 1e-9) : kInf;
      if (!(cap > 0) || slots < 1) continue;
      bool any = false;
      for (size_t i = 0; i < P.c.size(); ++i) {
        const CaseInfo& j = P.c[i];
        if (s.at[i] >= 0 || j.pinned >= 0 || !(j.points > 0) || j.points > cap) continue;
        if (!std::binary_search(j.elig.begin(), j.elig.end(), wi)) continue;
        ks_.add(j.value, j.points, 1, static_cast<int32_t>(i));
        any = true;
      }
      budget_.spend(static_cast<int64_t>(P.c.size()));
      if (!any) continue;  // everything it holds already fits: nothing to gain
      ks_.solve(cap, slots, kRepackNodes);
      budget_.spend(ks_.nodes());
      if (!(ks_.best() > own_val + 1e-9 * std::max(1.0, own_val))) continue;
      dropped_.clear();
      const auto held = s.held[wi];
      for (int32_t ci : held)
        if (P.c[ci].pinned < 0) {
          unassign(s, ci);
          dropped_.push_back(ci);
        }
      ks_.for_each_taken([&](int32_t ci, int32_t) { assign(s, ci, wi); });
      for (int32_t ci : dropped_)
        if (s.at[ci] < 0) insert_best(s, ci, false);
      improved = true;
    }
    return improved;
  }

  // An exchange the single moves miss: unallocated ci goes to wi, optionally
  // in place of a lower-value case a (then offered elsewhere), after wi's
  // case b moves to another worker w2, alone, in trade for a smaller case m
  // of w2 that fits on wi, or in place of a case of w2 worth less than the
  // gain (then offered elsewhere). It frees the missing points, or the case
  // slot when wi's case count is full. On a tightly packed batch the last
  // points of room are scattered: this gathers them where a larger case
  // fits. First strict gain, in stage-1 order; cases equal in points, value
  // and eligibility are tried once.
  bool exchange_in(State& s, const std::vector<int32_t>& order) {
    tried_.clear();
    for (int32_t ci : order) {
      if (!budget_.left()) return false;
      const CaseInfo& j = P.c[ci];
      if (s.at[ci] >= 0 || j.pinned >= 0 || !(j.points > 0)) continue;
      bool seen = false;
      for (int32_t t : tried_)
        if (P.c[t].points == j.points && P.c[t].value == j.value && P.c[t].elig == j.elig) {
          seen = true;
          break;
        }
      if (seen) continue;
      tried_.push_back(ci);
      for (int32_t wi : j.elig) {
        const auto& h = s.held[wi];
        const double lim = P.w[wi].limit + eps_[wi];
        // x == h.size(): nothing dropped.
        for (size_t x = 0; x <= h.size(); ++x) {
          const int32_t a = x < h.size() ? h[x] : -1;
          if (a >= 0 && (P.c[a].pinned >= 0 || !(P.c[a].value < j.value - 1e-9 * std::max(1.0, j.value)))) continue;
          // Without a free case slot, b must leave without a mate.
          const bool slot = s.cnt[wi] - (a >= 0 ? 1 : 0) + 1 <= P.w[wi].max_cases + 1e-9;
          const double need = s.pts[wi] - (a >= 0 ? P.c[a].points : 0.0) + j.points - lim;
          const double gain = j.value - (a >= 0 ? P.c[a].value : 0.0);
          if (need <= 0 && slot) continue;  // a plain insert or swap-in: stage 1's job
          for (int32_t b : h) {
            if (b == a || P.c[b].pinned >= 0 || P.c[b].points < need) continue;
            const double pb = P.c[b].points;
            for (int32_t w2 : P.c[b].elig) {
              if (w2 == wi) continue;
              budget_.spend(1);
              const double slack2 = P.w[w2].limit + eps_[w2] - s.pts[w2];
              int32_t mate = -2;  // -1: b moves alone; >= 0: swapped with this case
              int32_t drop = -1;  // else: b takes the place of this lower-value case of w2
              if (pb <= slack2 && s.cnt[w2] + 1 <= P.w[w2].max_cases + 1e-9) {
                mate = -1;
              } else {
                for (int32_t m : s.held[w2]) {
                  const double pm = P.c[m].points;
                  budget_.spend(1);
                  if (P.c[m].pinned >= 0 || pb - pm > slack2) continue;
                  if (slot && pb - pm >= need && std::binary_search(P.c[m].elig.begin(), P.c[m].elig.end(), wi)) {
                    mate = m;
                    break;
                  }
                  if (drop < 0 && P.c[m].value < gain - 1e-9 * std::max(1.0, j.value)) drop = m;
                }
              }
              if (mate == -2 && drop < 0) continue;
              if (a >= 0) unassign(s, a);
              unassign(s, b);
              if (mate >= 0) {
                unassign(s, mate);
                assign(s, mate, wi);
              } else if (mate == -2) {
                unassign(s, drop);
              }
              assign(s, b, w2);
              assign(s, ci, wi);
              if (a >= 0) insert_best(s, a, false);
              if (mate == -2) insert_best(s, drop, false);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  void stage1(State& s, const std::vector<int32_t>& order) {
    while (budget_.left() && improve_value(s, order)) {
    }
  }

  // Seeded ruin and recreate: free the incoming cases of a few workers and
  // rebuild; keep the result only when stage 1's value rises.
  void ruin_recreate(State& s, const std::vector<int32_t>& order, double bound) {
    int stale = 0;
    const double tol = 1e-9 * std::max(1.0, bound);
    std::vector<int32_t> holders, shuffled;
    State trial;
    while (budget_.left() && stale < 5 && s.value < bound - tol) {
      holders.clear();
      for (size_t wi = 0; wi < P.w.size(); ++wi)
        for (int32_t k : s.held[wi])
          if (P.c[k].pinned < 0) {
            holders.push_back(static_cast<int32_t>(wi));
            break;
          }
      if (holders.empty()) break;
      trial = s;  // copy-assignment into the reused trial keeps its buffers
      const int r = 1 + static_cast<int>(rng_.below(3));
      for (int t = 0; t < r; ++t) {
        const int32_t wi = holders[rng_.below(holders.size())];
        const auto h = trial.held[wi];
        for (int32_t k : h)
          if (P.c[k].pinned < 0) unassign(trial, k);
      }
      // Same priority classes, shuffled within a class.
      shuffled = order;
      for (size_t a = 0; a < shuffled.size();) {
        size_t b = a + 1;
        while (b < shuffled.size() && P.c[shuffled[b]].priority == P.c[shuffled[a]].priority) ++b;
        for (size_t x = b - 1; x > a; --x) std::swap(shuffled[x], shuffled[a + rng_.below(x - a + 1)]);
        a = b;
      }
      construct(trial, shuffled, rng_.below(2) == 0);
      stage1(trial, shuffled);
      if (trial.value > s.value + tol) {
        std::swap(s, trial);
        stale = 0;
      } else {
        ++stale;
      }
    }
  }

  // Stage 2: move an incoming case from a worker to another whose new
  // utilisation stays below the first's old one (the sorted utilisation
  // vector falls lexicographically, so this terminates).
  void stage2(State& s) {
    std::vector<int32_t> ws;
    for (;;) {
      if (!budget_.left()) return;
      ws.clear();
      for (size_t wi = 0; wi < P.w.size(); ++wi)
        if (!s.held[wi].empty()) ws.push_back(static_cast<int32_t>(wi));
      std::stable_sort(ws.begin(), ws.end(), [&](int32_t a, int32_t b) { return u(s, a) > u(s, b); });
      bool moved = false;
      for (int32_t wi : ws) {
        const double uw = u(s, wi);
        int32_t best_k = -1, best_w = -1;
        double best_max = kInf, best_key = kInf;
        for (int32_t k : s.held[wi]) {
          const CaseInfo& j = P.c[k];
          if (j.pinned >= 0 || !(j.points > 0)) continue;
          const double u_from = u(s, wi, -j.points);
          for (size_t e = 0; e < j.elig.size(); ++e) {
            const int32_t w2 = j.elig[e];
            if (w2 == wi || !fits(s, w2, j.points)) continue;
            const double u_to = u(s, w2, j.points);
            if (u_to >= uw - 1e-12) continue;  // must lower the pair's maximum
            const double mx = std::max(u_from, u_to);
            const double kk = key(s, k, e);
            if (best_k < 0 || mx < best_max - 1e-12 || (mx <= best_max + 1e-12 && kk < best_key)) {
              best_max = mx;
              best_key = kk;
              best_k = k, best_w = w2;
            }
          }
          budget_.spend(static_cast<int64_t>(j.elig.size()));
        }
        if (best_k >= 0) {
          unassign(s, best_k);
          assign(s, best_k, best_w);
          moved = true;
          break;
        }
      }
      if (!moved) return;
    }
  }

  [[nodiscard]] double max_receiving(const State& s) const {
    double mx = 0;
    for (size_t wi = 0; wi < P.w.size(); ++wi)
      if (!s.held[wi].empty()) mx = std::max(mx, u(s, static_cast<int32_t>(wi)));
    return mx;
  }

  // Stage 3: raise the plan's soft score by moves that keep the plan within
  // the fairness tolerance of stage 2. A move is judged by its whole effect:
  // the case's own score and, for a family arriving together, its siblings'
  // (two siblings meeting on one worker both gain continuity). Every
  // accepted move raises the plan's total soft score, so this terminates.
  void stage3(State& s) {
    const double tol = P.opt->fairness_tolerance;
    const double ceiling = max_receiving(s) + tol + 1e-12;
    bool moved = true;
    while (moved && budget_.left()) {
      moved = false;
      for (size_t i = 0; i < P.c.size(); ++i) {
        const auto ci = static_cast<int32_t>(i);
        const int32_t wi = s.at[ci];
        const CaseInfo& j = P.c[ci];
        if (wi < 0 || j.pinned >= 0) continue;
        const bool family = !j.batch_siblings.empty();
        const double cur = family ? family_soft(s, ci) : j.soft[elig_pos(ci, wi)];
        int32_t best_w = -1;
        double best_gain = 1e-9, best_u = kInf;
        for (size_t e = 0; e < j.elig.size(); ++e) {
          const int32_t w2 = j.elig[e];
          if (w2 == wi || !fits(s, w2, j.points)) continue;
          if (!family && j.soft[e] - cur < best_gain - 1e-12) continue;
          const double u_to = u(s, w2, j.points);
          if (u_to > std::max(u(s, wi), u(s, w2)) + tol + 1e-12 || u_to > ceiling) continue;
          double gain = j.soft[e] - cur;
          if (family) {
            s.at[ci] = w2;  // only `at` matters to family_soft
            gain = family_soft(s, ci) - cur;
            s.at[ci] = wi;
          }
          if (gain > best_gain + 1e-12 || (gain >= best_gain - 1e-12 && u_to < best_u)) {
            best_gain = gain;
            best_u = u_to;
            best_w = w2;
          }
        }
        budget_.spend(static_cast<int64_t>(j.elig.size() * (1 + j.batch_siblings.size())));
        if (best_w >= 0) {
          unassign(s, ci);
          assign(s, ci, best_w);
          moved = true;
        }
      }
    }
  }

 private:
  const Problem& P;
  alloc::Budget& budget_;
  Rng rng_;
  std::vector<double> eps_;
  Knapsack ks_;
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

// ---------------------------------------------------------------- bound

// Max flow with gains on source arcs only: cases grouped into classes of
// equal priority and equal eligible set, classes taken by decreasing
// priority, each pushed as far as augmenting paths allow.
class FlowBound {
 public:
  double compute(const Problem& P, const State& pinned_state) {
    const size_t m = P.w.size();
    // Room per worker after existing load and pins.
    std::vector<double> room(m, 0), slots(m, kInf);
    for (size_t wi = 0; wi < m; ++wi) {
      const WorkerInfo& k = P.w[wi];
      room[wi] = std::max(0.0, k.limit + 1e-9 * std::max(1.0, std::abs(k.limit)) - pinned_state.pts[wi]);
      if (std::isfinite(k.max_cases)) slots[wi] = std::floor(k.max_cases - pinned_state.cnt[wi] + 1e-9);
    }
    // A case is never split in a plan, so a pair whose case alone exceeds
    // the worker's room (or a worker with no case slot) cannot carry flow.
    std::vector<std::vector<int32_t>> usable(P.c.size());
    std::vector<int32_t> free;
    for (size_t i = 0; i < P.c.size(); ++i) {
      const CaseInfo& j = P.c[i];
      if (j.pinned >= 0 || !(j.points > 0)) continue;
      for (int32_t wi : j.elig)
        if (j.points <= room[wi] && slots[wi] >= 1) usable[i].push_back(wi);
      if (!usable[i].empty()) free.push_back(static_cast<int32_t>(i));
    }
    // Classes of equal priority and usable set, by priority descending.
    std::stable_sort(free.begin(), free.end(), [&](int32_t a, int32_t b) {
      if (P.c[a].priority != P.c[b].priority) return P.c[a].priority > P.c[b].priority;
      return usable[a] < usable[b];
    });
    struct Class {
      double priority, supply;
      const std::vector<int32_t>* elig;
    };
    std::vector<Class> classes;
    for (int32_t ci : free) {
      const CaseInfo& j = P.c[ci];
      if (!classes.empty() && classes.back().priority == j.priority && *classes.back().elig == usable[ci])
        classes.back().supply += j.points;
      else
        classes.push_back({j.priority, j.points, &usable[ci]});
    }
    // A worker's new load is a sum of whole cases, so its room can be
    // lowered to the largest subset sum of usable case points that fits
    // (points on a 0.01 grid; otherwise the room is left as it is).
    for (size_t wi = 0; wi < m; ++wi) {
      std::vector<int64_t> items;
      bool grid = true;
      for (int32_t ci : free) {
        if (!std::binary_search(usable[ci].begin(), usable[ci].end(), static_cast<int32_t>(wi))) continue;
        const double scaled = P.c[ci].points * 100;
        if (std::abs(scaled - std::round(scaled)) > 1e-6) grid = false;
        items.push_back(static_cast<int64_t>(std::llround(scaled)));
      }
      const double cap_scaled = std::floor(room[wi] * 100 + 1e-6);
      if (!grid || items.empty() || cap_scaled > 200000) continue;
      const auto R = static_cast<size_t>(cap_scaled);
      int64_t total = 0;
      for (int64_t x : items) total += x;
      if (total <= static_cast<int64_t>(R)) continue;  // everything fits: nothing to tighten
      std::vector<uint64_t> reach((R + 64) / 64, 0);
      reach[0] = 1;
      for (int64_t x : items) {
        const auto sh = static_cast<size_t>(x);
        if (sh > R || sh == 0) continue;
        // reach |= reach << sh, from the top word down so each item is used once.
        const size_t ws = sh / 64, bs = sh % 64;
        for (size_t k = reach.size(); k-- > ws;) {
          uint64_t v = reach[k - ws] << bs;
          if (bs && k - ws >= 1) v |= reach[k - ws - 1] >> (64 - bs);
          reach[k] |= v;
        }
        if ((R + 1) % 64) reach.back() &= (uint64_t{1} << ((R + 1) % 64)) - 1;
      }
      size_t best = 0;
      for (size_t k = reach.size(); k-- > 0;)
        if (reach[k]) {
          best = k * 64 + 63 - static_cast<size_t>(__builtin_clzll(reach[k]));
          break;
        }
      room[wi] = std::min(room[wi], static_cast<double>(best) / 100 + 1e-9);
    }
    // An ASYE's room is also at most the points of the largest cases its
    // case-count cap admits.
    for (size_t wi = 0; wi < m; ++wi) {
      if (!std::isfinite(slots[wi])) continue;
      std::vector<double> pts;
      for (int32_t ci : free)
        if (std::binary_search(usable[ci].begin(), usable[ci].end(), static_cast<int32_t>(wi)))
          pts.push_back(P.c[ci].points);
      std::sort(pts.begin(), pts.end(), std::greater<>());
      double top = 0;
      for (size_t x = 0; x < pts.size() && static_cast<double>(x) < slots[wi]; ++x) top += pts[x];
      room[wi] = slots[wi] <= 0 ? 0.0 : std::min(room[wi], top);
    }
    // Graph: node 0 = source (implicit), 1..K classes, K+1..K+m workers, K+m+1 sink.
    const int32_t K = static_cast<int32_t>(classes.size());
    n_ = K + static_cast<int32_t>(m) + 2;
    sink_ = n_ - 1;
    adj_.assign(n_, {});
    to_.clear(), cap_.clear();
    for (int32_t c = 0; c < K; ++c)
      for (int32_t wi : *classes[c].elig) add_edge(1 + c, 1 + K + wi, kInf);
    for (size_t wi = 0; wi < m; ++wi) add_edge(1 + K + static_cast<int32_t>(wi), sink_, room[wi]);
    double value = 0;
    for (int32_t c = 0; c < K; ++c) value += classes[c].priority * push(1 + c, classes[c].supply);
    return value;
  }

 private:
  void add_edge(int32_t a, int32_t b, double c) {
    adj_[a].push_back(static_cast<int32_t>(to_.size()));
    to_.push_back(b), cap_.push_back(c);
    adj_[b].push_back(static_cast<int32_t>(to_.size()));
    to_.push_back(a), cap_.push_back(0);
  }

  // Pushes up to `supply` from node `from` to the sink along augmenting
  // paths (BFS, shortest first); returns the amount pushed.
  double push(int32_t from, double supply) {
    double pushed = 0;
    const double eps = 1e-12 * std::max(1.0, supply);
    std::vector<int32_t> parent_edge(n_);
    std::vector<int32_t> queue;
    while (supply - pushed > eps) {
      std::fill(parent_edge.begin(), parent_edge.end(), -2);
      parent_edge[from] = -1;
      queue.assign(1, from);
      bool found = false;
      for (size_t q = 0; q < queue.size() && !found; ++q) {
        const int32_t v = queue[q];
        for (int32_t e : adj_[v]) {
          const int32_t t = to_[e];
          if (parent_edge[t] != -2 || cap_[e] <= eps) continue;
          parent_edge[t] = e;
          if (t == sink_) {
            found = true;
            break;
          }
          queue.push_back(t);
        }
      }
      if (!found) break;
      double f = supply - pushed;
      for (int32_t v = sink_; v != from; v = to_[parent_edge[v] ^ 1]) f = std::min(f, cap_[parent_edge[v]]);
      for (int32_t v = sink_; v != from; v = to_[parent_edge[v] ^ 1]) {
        cap_[parent_edge[v]] -= f;
        cap_[parent_edge[v] ^ 1] += f;
      }
      pushed += f;
    }
    return pushed;
  }

  int32_t n_ = 0, sink_ = 0;
  std::vector<std::vector<int32_t>> adj_;
  std::vector<int32_t> to_;
  std::vector<double> cap_;
};

// ---------------------------------------------------------------- Lagrangian bound

// One proximal bundle method (Lemarechal; Kiwiel 1990) per component of the
// Lagrangian dual: min f(x) over x >= 0, f convex, piecewise linear and known
// only through evaluations f(x_j) and subgradients g_j, each a cut
// f(x) >= a_j + g_j . x. The next trial point minimises the cutting-plane
// model plus a proximity term around the best point so far (the centre):
//   min_{x >= 0} max_j (a_j + g_j . x) + |x - centre|^2 / (2 t).
// The trial point becomes the centre (a serious step) when f falls by at
// least kDescent of the decrease the model predicted; otherwise its cut
// refines the model (a null step). A subgradient step uses the last
// subgradient only; the model keeps every cut, so each round of knapsacks
// counts for more (on the benchmark batch 24 bundle steps bring the dual
// to 945.776, 3000 subgradient steps to 945.778, 40 to 946.874). The bound's
// validity never depends on any of this: f(x) bounds the optimum for every
// x >= 0. All arithmetic is in a fixed order: deterministic.
class ProxBundle {
 public:
  /// Records f and a subgradient g at x and overwrites x with the next trial
  /// point. The first call also sets the first proximity weight from
  /// `scale`, an estimate of f(x) - min f (a Polyak step). Returns false,
  /// with x set to the centre, when the model predicts no further decrease.
  /// `tag` names the cut for for_each_weight().
  bool step(std::vector<double>& x, double f, const std::vector<double>& g, double scale, int32_t tag) {
    d_ = x.size();
    if (!started_) {
      started_ = true;
      double gg = 0;  // only the directions x >= 0 lets the step take
      for (size_t i = 0; i < d_; ++i)
        if (x[i] > 0 || g[i] < 0) gg += g[i] * g[i];
      t_ = gg > 0 ? scale / gg : 1.0;
      centre_ = x;
      fc_ = f;
    } else if (f <= fc_ - kDescent * pred_) {
      // Serious step; one that achieved most of the predicted decrease says
      // the model is good further out: a longer leash.
      if (fc_ - f >= kGood * pred_) t_ *= kGrow;
      centre_ = x;
      fc_ = f;
    } else if (f > fc_) {
      t_ *= kShrink;  // a null step where f even rose: a shorter leash
    }
    double a = f;
    for (size_t i = 0; i < d_; ++i) a -= g[i] * x[i];
    add_cut(a, g, tag);
    solve_qp();
    double model = -kInf;
    for (size_t j = 0; j < a_.size(); ++j) model = std::max(model, grad_[j]);
    pred_ = fc_ - model;
    if (!(pred_ > kTol * std::max(1.0, std::abs(fc_)))) {
      x = centre_;
      return false;
    }
    x = lam_;
    return true;
  }

  /// The decrease of f the model predicts at the trial point.
  [[nodiscard]] double predicted() const { return pred_; }

  /// Calls f(tag, weight) for each cut with a positive weight in the last
  /// trial point; the weights sum to 1.
  template <class F>
  void for_each_weight(F&& f) const {
    for (size_t j = 0; j < a_.size(); ++j)
      if (alpha_[j] > 0) f(tags_[j], alpha_[j]);
  }

 private:
  static constexpr double kDescent = 0.1, kGood = 0.8, kGrow = 2.0, kShrink = 0.7, kTol = 1e-9;
  static constexpr size_t kMaxCuts = 24;

  // Adds a cut; when full, first drops the cut of least weight in the last
  // trial point (the oldest among equals), which keeps the cuts it rests on.
  void add_cut(double a, const std::vector<double>& g, int32_t tag) {
    if (a_.size() >= kMaxCuts) {
      size_t drop = 0;
      for (size_t j = 1; j < a_.size(); ++j)
        if (alpha_[j] < alpha_[drop]) drop = j;
      const auto at = static_cast<std::ptrdiff_t>(drop);
      a_.erase(a_.begin() + at);
      tags_.erase(tags_.begin() + at);
      alpha_.erase(alpha_.begin() + at);
      G_.erase(G_.begin() + at * static_cast<std::ptrdiff_t>(d_),
               G_.begin() + (at + 1) * static_cast<std::ptrdiff_t>(d_));
      double sum = 0;
      for (double w : alpha_) sum += w;
      if (sum > 0)
        for (double& w : alpha_) w /= sum;
    }
    a_.push_back(a);
    tags_.push_back(tag);
    G_.insert(G_.end(), g.begin(), g.end());
    // A new cut starts with no weight (the first with all of it): the
    // previous weights stay feasible and start the next QP.
    alpha_.push_back(alpha_.empty() ? 1.0 : 0.0);
    if (alpha_.size() > 1 && !(std::accumulate(alpha_.begin(), alpha_.end(), 0.0) > 0)) alpha_.back() = 1.0;
  }

  // x(alpha) = max(0, centre - t G' alpha) into lam_, and each cut's value
  // there, a_j + g_j . x(alpha) (the gradient of the QP's dual), into grad_.
  void at(const std::vector<double>& alpha) {
    const size_t B = a_.size();
    lam_.assign(d_, 0);
    for (size_t j = 0; j < B; ++j)
      if (alpha[j] != 0)
        for (size_t i = 0; i < d_; ++i) lam_[i] += alpha[j] * G_[j * d_ + i];
    for (size_t i = 0; i < d_; ++i) lam_[i] = std::max(0.0, centre_[i] - t_ * lam_[i]);
    grad_.resize(B);
    for (size_t j = 0; j < B; ++j) {
      double v = a_[j];
      for (size_t i = 0; i < d_; ++i) v += G_[j * d_ + i] * lam_[i];
      grad_[j] = v;
    }
  }

  // The prox problem's dual is a maximisation over the cuts' weights alpha
  // on the unit simplex, with x(alpha) = max(0, centre - t G' alpha). For a
  // set F of coordinates left free (the others at 0) it is the quadratic
  // programme
  //   max_alpha  b . alpha - alpha' H alpha / 2,
  //   b_j = a_j + sum_{i in F} g_ji centre_i,  H_jk = t sum_{i in F} g_ji g_ki,
  // solved by a primal active-set method from the previous weights. Then F
  // is recomputed from x(alpha) and the QP solved again until F is stable:
  // at that point the dual's gradient is this QP's, so alpha is optimal for
  // the clamped problem too. A ridge of 1e-10 of the largest diagonal keeps
  // H positive definite when cuts are affinely dependent. Any weights give
  // a valid trial point, so the caps on the loops cost convergence speed,
  // never validity. (Accelerated projected gradient on the same dual needed
  // some 200 iterations a QP for a 1e-3 duality gap: 3 ms a call.)
  void solve_qp() {
    const size_t B = a_.size();
    at(alpha_);
    free_.resize(d_);
    for (size_t i = 0; i < d_; ++i) free_[i] = lam_[i] > 0 ? 1 : 0;
    for (int round = 0; round < kRounds; ++round) {
      H_.assign(B * B, 0);
      b_.assign(B, 0);
      for (size_t j = 0; j < B; ++j) {
        double v = a_[j];
        for (size_t i = 0; i < d_; ++i)
          if (free_[i]) v += G_[j * d_ + i] * centre_[i];
        b_[j] = v;
        for (size_t k = 0; k <= j; ++k) {
          double q = 0;
          for (size_t i = 0; i < d_; ++i)
            if (free_[i]) q += G_[j * d_ + i] * G_[k * d_ + i];
          H_[j * B + k] = H_[k * B + j] = t_ * q;
        }
      }
      double diag = 0;
      for (size_t j = 0; j < B; ++j) diag = std::max(diag, H_[j * B + j]);
      if (diag > 0) {
        for (size_t j = 0; j < B; ++j) H_[j * B + j] += 1e-10 * diag;
        simplex_qp(B);
      } else {
        // Nothing free: all weight on the highest cut at x = 0.
        size_t top = 0;
        for (size_t j = 1; j < B; ++j)
          if (b_[j] > b_[top]) top = j;
        std::fill(alpha_.begin(), alpha_.end(), 0.0);
        alpha_[top] = 1;
      }
      at(alpha_);
      bool same = true;
      for (size_t i = 0; i < d_; ++i) {
        const char f = lam_[i] > 0 ? 1 : 0;
        if (f != free_[i]) same = false, free_[i] = f;
      }
      if (same) break;
    }
  }

  // max b . alpha - alpha' H alpha / 2 over the unit simplex from the
  // feasible alpha_ (Nocedal & Wright, algorithm 16.3, with the support of
  // alpha as the working set's complement).
  void simplex_qp(size_t B) {
    for (int iter = 0; iter < 4 * static_cast<int>(B) + 10; ++iter) {
      S_.clear();
      for (size_t j = 0; j < B; ++j)
        if (alpha_[j] > 0) S_.push_back(j);
      // The optimum on the support: H beta = b - mu 1 with sum beta = 1,
      // through a Cholesky factor of H restricted to it.
      const size_t s = S_.size();
      L_.assign(s * s, 0);
      for (size_t p = 0; p < s; ++p)
        for (size_t q = 0; q <= p; ++q) {
          double v = H_[S_[p] * B + S_[q]];
          for (size_t r = 0; r < q; ++r) v -= L_[p * s + r] * L_[q * s + r];
          if (p != q) {
            L_[p * s + q] = v / L_[q * s + q];
          } else if (v > 0) {
            L_[p * s + p] = std::sqrt(v);
          } else {
            return;  // lost definiteness to rounding: keep the weights so far
          }
        }
      const auto solve = [&](std::vector<double>& v) {
        for (size_t p = 0; p < s; ++p) {
          for (size_t r = 0; r < p; ++r) v[p] -= L_[p * s + r] * v[r];
          v[p] /= L_[p * s + p];
        }
        for (size_t p = s; p-- > 0;) {
          for (size_t r = p + 1; r < s; ++r) v[p] -= L_[r * s + p] * v[r];
          v[p] /= L_[p * s + p];
        }
      };
      u_.assign(s, 0), w_.assign(s, 1);
      for (size_t p = 0; p < s; ++p) u_[p] = b_[S_[p]];
      solve(u_);  // H^-1 b
      solve(w_);  // H^-1 1
      double su = 0, sw = 0;
      for (size_t p = 0; p < s; ++p) su += u_[p], sw += w_[p];
      const double mu = (su - 1) / sw;
      // beta = H^-1 (b - mu 1); step towards it until a weight reaches 0,
      // which then leaves the support.
      double tau = 1;
      size_t block = s;
      for (size_t p = 0; p < s; ++p) {
        const double beta = u_[p] - mu * w_[p], cur = alpha_[S_[p]];
        if (beta < 0 && cur / (cur - beta) < tau) tau = cur / (cur - beta), block = p;
      }
      for (size_t p = 0; p < s; ++p) {
        const double beta = u_[p] - mu * w_[p];
        alpha_[S_[p]] = p == block ? 0.0 : std::max(0.0, alpha_[S_[p]] + tau * (beta - alpha_[S_[p]]));
      }
      if (block < s) continue;
      // Optimal on the support: the cut outside it that most violates
      // b_j - (H alpha)_j <= mu enters, if any.
      double worst = 1e-12 * std::max(1.0, std::abs(mu));
      size_t add = B;
      for (size_t j = 0; j < B; ++j) {
        if (alpha_[j] > 0) continue;
        double v = b_[j] - mu;
        for (size_t p = 0; p < s; ++p) v -= H_[j * B + S_[p]] * alpha_[S_[p]];
        if (v > worst) worst = v, add = j;
      }
      if (add == B) return;
      // A hair of weight puts it in the support; the next step on the
      // support sets its weight.
      alpha_[add] = std::numeric_limits<double>::min();
    }
  }

  static constexpr int kRounds = 8;
  bool started_ = false;
  size_t d_ = 0;
  double t_ = 1, fc_ = kInf, pred_ = 0;
  std::vector<double> centre_, a_, G_, alpha_;  // G_: one row of d_ per cut
  std::vector<int32_t> tags_;
  std::vector<double> lam_, grad_, H_, b_, L_, u_, w_;
  std::vector<char> free_;
  std::vector<size_t> S_;
};

// Relaxing "each case at most once" with multipliers lambda >= 0 leaves one
// independent 0/1 knapsack per worker (items: its usable cases, value
// priority x points - lambda, weight points, capacity its room, at most its
// free case slots):
//   L(lambda) = sum_j lambda_j + sum_i KP_i(lambda) >= stage 1's optimum
// for every lambda >= 0. Cases of equal priority, points and usable workers
// are interchangeable, so they share one constraint "at most |class| of
// these" and one multiplier (by symmetry the best multipliers are equal
// anyway); within a worker's knapsack, classes of equal points and reduced
// value merge into one item with a multiplicity. That removes the symmetric
// branches that make a plain branch and bound slow on a batch with many
// look-alike referrals.
//
// Each knapsack is solved exactly by depth-first branch and bound on the
// real-valued points (no rounding to a grid, so no validity caveat); one that
// exceeds its node allowance contributes its LP (Dantzig) bound instead,
// still an upper bound (its selection then makes an inexact cut for the
// bundle method: slower convergence, never an invalid bound). Multipliers
// start from the flow relaxation's price of a point and follow a proximal
// bundle method per component (ProxBundle): deterministic. Unlike the max-flow bound, which may split a case across
// the last points of a worker's room, this counts whole cases per worker,
// which is where the flow bound loses most in an over-subscribed batch.
class LagrangeBound {
 public:
  struct Result {
    double bound = kInf;  // on the free (unpinned) cases' value; +inf when not computed
    int64_t work = 0;
  };

  // `repair` turns the relaxed selection (case -> worker, -1 = none; a case
  // may be wanted by several workers, only the first keeps it) into a plan
  // and returns its value on the free cases, which becomes the new target
  // when higher (a Lagrangian heuristic).
  template <class Repair, class PlanAt>
  Result compute(const Problem& P, const State& pinned_state, double target, int64_t work_limit, Repair&& repair,
                 PlanAt&& plan_at) {
    Result res;
    const size_t m = P.w.size(), n = P.c.size();
    room_.assign(m, 0);
    slots_.assign(m, kInf);
    for (size_t wi = 0; wi < m; ++wi) {
      const WorkerInfo& k = P.w[wi];
      room_[wi] = std::max(0.0, k.limit + 1e-9 * std::max(1.0, std::abs(k.limit)) - pinned_state.pts[wi]);
      if (std::isfinite(k.max_cases)) slots_[wi] = std::floor(k.max_cases - pinned_state.cnt[wi] + 1e-9);
    }
    // Classes of interchangeable cases, in a deterministic order.
    std::vector<std::pair<std::vector<int32_t>, int32_t>> keyed;  // (usable workers, case)
    for (size_t i = 0; i < n; ++i) {
      const CaseInfo& j = P.c[i];
      if (j.pinned >= 0 || !(j.points > 0)) continue;
      std::vector<int32_t> use;
      for (int32_t wi : j.elig)
        if (j.points <= room_[wi] && slots_[wi] >= 1) use.push_back(wi);
      if (!use.empty()) keyed.emplace_back(std::move(use), static_cast<int32_t>(i));
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
      const CaseInfo &x = P.c[a.second], &y = P.c[b.second];
      if (x.priority != y.priority) return x.priority > y.priority;
      if (x.points != y.points) return x.points > y.points;
      return a.first < b.first;
    });
    cls_.clear();
    for (size_t t = 0; t < keyed.size(); ++t) {
      const CaseInfo& j = P.c[keyed[t].second];
      if (t > 0 && keyed[t - 1].first == keyed[t].first && P.c[keyed[t - 1].second].priority == j.priority &&
          P.c[keyed[t - 1].second].points == j.points) {
        cls_.back().mult += 1;
        cls_.back().cases.push_back(keyed[t].second);
        continue;
      }
      cls_.push_back({j.value, j.points, j.priority, 1, keyed[t].first, {keyed[t].second}});
    }
    const size_t K = cls_.size();
    items_.assign(m, {});
    last_.assign(m, {});
    r_prev_.assign(m, {});
    value_prev_.assign(m, 0);
    solved_.assign(m, 0);
    for (size_t c = 0; c < K; ++c)
      for (int32_t wi : cls_[c].workers) items_[wi].push_back(static_cast<int32_t>(c));
    // Components of the class-worker graph (typically one per service area)
    // are independent problems, each with its own Lagrangian dual and its
    // own bundle method; the reported bound sums each component's best
    // value, which is at most the best value of the whole.
    comp_.resize(m);
    std::iota(comp_.begin(), comp_.end(), 0);
    const auto root = [&](int32_t x) {
      while (comp_[x] != x) x = comp_[x] = comp_[comp_[x]];
      return x;
    };
    for (const auto& c : cls_)
      for (int32_t wi : c.workers) {
        const int32_t a = root(c.workers.front()), b = root(wi);
        if (a != b) comp_[std::max(a, b)] = std::min(a, b);
      }
    for (size_t wi = 0; wi < m; ++wi) comp_[wi] = root(static_cast<int32_t>(wi));
    // Each component's classes, components in order of their first class.
    std::vector<int32_t> roots;
    std::vector<std::vector<int32_t>> comp_cls;
    std::vector<int32_t> slot(m, -1);  // representative worker -> index in roots
    for (size_t c = 0; c < K; ++c) {
      const int32_t k = comp_[cls_[c].workers.front()];
      if (slot[k] < 0) {
        slot[k] = static_cast<int32_t>(roots.size());
        roots.push_back(k);
        comp_cls.emplace_back();
      }
      comp_cls[slot[k]].push_back(static_cast<int32_t>(c));
    }
    const size_t C = roots.size();
    std::vector<double> comp_L(m), comp_best(m, kInf), comp_target(m, 0.0);
    std::vector<ProxBundle> bundles(C);
    std::vector<char> comp_done(C, 0);

    // Initial price of a point: the priority of the class that runs out of
    // room when cases are poured in by priority (the flow bound's order).
    double total_room = 0;
    for (size_t wi = 0; wi < m; ++wi)
      if (!items_[wi].empty()) total_room += room_[wi];
    double price = 0, poured = 0;
    for (const auto& c : cls_) {
      poured += c.points * c.mult;
      if (poured > total_room) {
        price = c.priority;
        break;
      }
    }
    std::vector<double> lambda(K), g(K), x, sub;
    for (size_t c = 0; c < K; ++c) lambda[c] = std::max(0.0, (cls_[c].priority - price) * cls_[c].points);

    int repairs = 0;
    std::vector<int32_t> proposal, last_proposal;
    std::vector<std::vector<Pick>> selections;  // iteration -> its knapsacks' selections
    std::map<std::pair<int32_t, int32_t>, double> copies;
    std::vector<std::pair<double, std::pair<int32_t, int32_t>>> by_weight;
    const double tol = 1e-9 * std::max(1.0, std::abs(target));
    for (int iter = 0; iter < kMaxIterations; ++iter) {
      double L = 0;
      std::fill(comp_L.begin(), comp_L.end(), 0.0);
      for (size_t c = 0; c < K; ++c) {
        L += lambda[c] * cls_[c].mult;
        comp_L[comp_[cls_[c].workers.front()]] += lambda[c] * cls_[c].mult;
        g[c] = cls_[c].mult;
      }
      picks_.clear();
      for (size_t wi = 0; wi < m; ++wi) {
        if (items_[wi].empty()) continue;
        const double v = knapsack(static_cast<int32_t>(wi), lambda, g);
        L += v;
        comp_L[comp_[wi]] += v;
        res.work += static_cast<int64_t>(items_[wi].size()) + nodes_;
      }
      selections.push_back(picks_);
      res.bound = std::min(res.bound, L);
      double by_comp = 0;
      for (int32_t k : roots) {
        comp_best[k] = std::min(comp_best[k], comp_L[k]);
        by_comp += comp_best[k];
      }
      res.bound = std::min(res.bound, by_comp);
      if (iter == 0) {
        // The plan's value in each component: the first proximity weight
        // is the Polyak step towards it.
        const std::vector<int32_t>& at = plan_at();
        for (size_t ci = 0; ci < n; ++ci)
          if (at[ci] >= 0 && P.c[ci].pinned < 0) comp_target[comp_[at[ci]]] += P.c[ci].value;
      }
      // Bundle steps per component; a converged one stays at its centre,
      // where its knapsacks are not solved again.
      bool moving = false;
      double predicted = 0;
      for (size_t b = 0; b < C; ++b) {
        if (comp_done[b]) continue;
        const int32_t k = roots[b];
        const auto& cl = comp_cls[b];
        x.resize(cl.size()), sub.resize(cl.size());
        for (size_t t = 0; t < cl.size(); ++t) x[t] = lambda[cl[t]], sub[t] = g[cl[t]];
        const double scale = std::max(comp_L[k] - comp_target[k], 1e-6 * std::max(1.0, std::abs(comp_L[k])));
        if (!bundles[b].step(x, comp_L[k], sub, scale, iter))
          comp_done[b] = 1;
        else
          predicted += bundles[b].predicted();
        moving = moving || !comp_done[b];
        for (size_t t = 0; t < cl.size(); ++t) lambda[cl[t]] = x[t];
      }
      // Lagrangian heuristic. The prox point's weights on the cuts, applied
      // to the knapsack selections that made them, estimate the primal
      // solution of the relaxation (fractional copies of a class per
      // worker): the most weighted pairs are proposed first, each rounded
      // to whole cases. The raw selection at one multiplier vector, where
      // the knapsacks tie near the optimum, repairs into worse plans.
      if (iter >= kRepairFrom && repairs < kMaxRepairs) {
        copies.clear();
        for (size_t b = 0; b < C; ++b)
          bundles[b].for_each_weight([&](int32_t it, double w) {
            for (const Pick& pk : selections[it])
              if (comp_[pk.wi] == roots[b]) copies[{pk.c, pk.wi}] += w * pk.q;
          });
        by_weight.clear();
        for (const auto& [key, v] : copies) by_weight.emplace_back(v, key);
        std::stable_sort(by_weight.begin(), by_weight.end(),
                         [](const auto& u, const auto& v) { return u.first > v.first; });
        proposal.assign(n, -1);
        for (const auto& [v, key] : by_weight) {
          auto q = static_cast<int32_t>(std::floor(v + 0.5));
          for (int32_t ci : cls_[key.first].cases)
            if (q > 0 && proposal[ci] < 0) {
              proposal[ci] = key.second;
              --q;
            }
        }
        // The same proposal repairs into the same plan (the repair draws no
        // random numbers).
        if (proposal != last_proposal) {
          ++repairs;
          target = std::max(target, repair(proposal));
          last_proposal = proposal;
        }
      }
      if (!moving || res.bound <= target + tol || res.work >= std::min(work_limit, kWorkCap)) break;
      // Converged for reporting purposes: the components' models predict
      // a decrease of less than kFlat of the remaining gap. (The rule of
      // the subgradient steps, less than 1% of the gap in the last 10
      // steps, let the bundle method run on 0.5 ms for 0.001% of the bound;
      // over the last 5 steps it stopped the small hand batch during its
      // first null steps, at the flow bound.)
      if (predicted < kFlat * (res.bound - target)) break;
    }
    // Summation order differs from the plan's: a hair of slack keeps the
    // bound valid under rounding.
    if (std::isfinite(res.bound)) res.bound += 1e-9 * std::max(1.0, std::abs(res.bound));
    return res;
  }

 private:
  struct Class {
    double value, points, priority;
    int32_t mult;
    std::vector<int32_t> workers;
    std::vector<int32_t> cases;  // ascending index
  };

  // Worker wi's knapsack under `lambda` (exact, or its LP bound past the
  // node allowance); subtracts the chosen counts from g, the subgradient.
  double knapsack(int32_t wi, const std::vector<double>& lambda, std::vector<double>& g) {
    // Unchanged reduced values (every multiplier of the worker's classes
    // stayed, typically at zero): the previous exact answer is still exact.
    std::vector<double>& r_prev = r_prev_[wi];
    bool same = solved_[wi] && r_prev.size() == items_[wi].size();
    for (size_t t = 0; t < items_[wi].size(); ++t) {
      const int32_t c = items_[wi][t];
      const double r = std::max(0.0, cls_[c].value - lambda[c]);
      if (same && r_prev[t] != r) same = false;
      if (!same) {
        r_prev.resize(items_[wi].size());
        r_prev[t] = r;
      }
    }
    if (same) {
      nodes_ = 0;
      for (const auto& [c, q] : last_[wi]) {
        g[c] -= q;
        picks_.push_back({wi, c, q});
      }
      return value_prev_[wi];
    }
    ks_.clear();
    for (int32_t c : items_[wi]) {
      const double r = cls_[c].value - lambda[c];
      if (r > 1e-12) ks_.add(r, cls_[c].points, cls_[c].mult, c);
    }
    // The previous step's selection stays feasible (dropping the classes
    // whose reduced value is no longer positive): a starting incumbent.
    double known = 0;
    for (const auto& [c, q] : last_[wi]) known += q * std::max(0.0, cls_[c].value - lambda[c]);
    const double v = ks_.solve(room_[wi], slots_[wi], kNodeLimit, known);
    nodes_ = ks_.nodes();
    solved_[wi] = ks_.exact();
    value_prev_[wi] = v;
    last_[wi].clear();
    ks_.for_each_taken([&](int32_t c, int32_t q) {
      g[c] -= q;
      picks_.push_back({wi, c, q});
      last_[wi].emplace_back(c, q);
    });
    return v;
  }

  static constexpr int kMaxIterations = 300;
  // Knapsack effort allowance (work units): about 12 bundle steps on a
  // 500 x 150 batch, many more on small ones, where steps are cheap. On the
  // 200 x 50 benchmark batch the convergence rule (kFlat) stops first,
  // after about 25 steps.
  static constexpr int64_t kWorkCap = 180000;
  static constexpr int kRepairFrom = 5, kMaxRepairs = 40;
  static constexpr double kFlat = 0.002;
  static constexpr int64_t kNodeLimit = 20000;
  std::vector<double> room_, slots_;
  std::vector<Class> cls_;
  std::vector<int32_t> comp_;                // worker -> representative worker of its component
  std::vector<std::vector<int32_t>> items_;  // worker -> usable classes
  Knapsack ks_;
  std::vector<std::vector<std::pair<int32_t, int32_t>>> last_;  // worker -> previous (class, copies)
  struct Pick {
    int32_t wi, c, q;
  };
  std::vector<Pick> picks_;                  // this iteration's knapsack selections
  std::vector<std::vector<double>> r_prev_;  // worker -> reduced values at its last solve
  std::vector<double> value_prev_;           // worker -> value of its last solve
  std::vector<char> solved_;                 // worker -> last solve exact (and r_prev_ complete)
  int64_t nodes_ = 0;                        // nodes of the last knapsack call
};

// ---------------------------------------------------------------- explanation

// `plan`, when given: siblings from the same batch placed on wi are named.
std::string soft_words(const Problem& P, int32_t ci, int32_t wi, const State* plan = nullptr) {
  const CaseInfo& j = P.c[ci];
  const IncomingCase& in = *j.in;
  std::vector<std::string> parts;
  if (std::binary_search(j.holders.begin(), j.holders.end(), wi))
    parts.push_back("holds a sibling case (family " + quoted(in.record.family_id) + ")");
  if (plan != nullptr) {
    std::string sibs;
    for (int32_t k : j.batch_siblings)
      if (plan->at[k] == wi) sibs += (sibs.empty() ? "" : ", ") + P.c[k].in->record.id;
    if (!sibs.empty())
      parts.push_back("gets sibling " + sibs + " from this batch (family " + quoted(in.record.family_id) + ")");
  }
  if (j.previous == wi) parts.push_back("is the previous worker");
  if (!in.desired_skills.empty()) {
    std::string s;
    for (const auto& sk : in.desired_skills)
      if (has(P.w[wi].rec->skills, sk)) s += (s.empty() ? "" : ", ") + sk;
    if (!s.empty()) parts.push_back("has desired skills " + s);
  }
  for (const auto& p : in.preferences)
    if (p.worker_id == P.w[wi].rec->id && p.score != 0) parts.push_back("manager preference " + num(p.score));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

// The words for a worker with no room for a case in plan s, but for the
// case's points (appended when `complete` is false): a full worker's load is
// the same for every case but the one it was given, so these are built once
// per worker rather than once per verdict.
struct FullWords {
  std::string text;
  bool complete = false;
};
FullWords full_words(const Problem& P, const State& s, int32_t wi) {
  const WorkerInfo& k = P.w[wi];
  if (s.cnt[wi] + 1 > k.max_cases + 1e-9)
    return {cat({"ASYE protected caseload: already ", num(s.cnt[wi]), " cases (max ", num(k.max_cases), ")"}), true};
  return {cat({"full: ", num(s.pts[wi]), " of ", num(k.limit), " points used (cap ", pct(k.cap), "), the case needs "}),
          false};
}

// `without`: scratch for the plan without this case (reused across cases so
// that the ~200 calls of a plan do not allocate it each time). `why`: per
// profile, the words for each excluded worker, filled on first use.
// `full`: full_words of every worker in s (a worker other than the chosen
// one has the same load in s and in the plan without this case).
void explain_case(const Problem& P, const Solver& S, const State& s, const State& before, int32_t ci, CaseDecision& d,
                  State& without, std::vector<std::vector<std::string>>& why, const std::vector<FullWords>& full) {
  const CaseInfo& j = P.c[ci];
  const int32_t chosen = s.at[ci];
  const bool explain = P.opt->explain;
  // The plan without this case, for "what if" figures.
  without.pts.assign(s.pts.begin(), s.pts.end());
  without.cnt.assign(s.cnt.begin(), s.cnt.end());
  if (chosen >= 0) {
    without.pts[chosen] -= j.points;
    without.cnt[chosen] -= 1;
  }
  int32_t runner = -1;
  double runner_key = kInf;
  std::vector<std::string>* excluded_words = nullptr;
  if (explain) {
    d.workers.reserve(P.w.size());
    excluded_words = &why[static_cast<size_t>(j.profile)];
    if (excluded_words->empty()) {
      excluded_words->resize(P.w.size());
      size_t e = 0;
      for (size_t wi = 0; wi < P.w.size(); ++wi) {
        if (e < j.elig.size() && j.elig[e] == static_cast<int32_t>(wi)) {
          ++e;
          continue;
        }
        P.ineligible(ci, static_cast<int32_t>(wi), &(*excluded_words)[wi]);
      }
    }
  }
  size_t at = 0;  // position in j.elig, which is in model order: walked alongside
  std::string case_points;
  for (size_t wi = 0; wi < P.w.size(); ++wi) {
    const auto w = static_cast<int32_t>(wi);
    WorkerVerdict v;
    v.worker_id = P.w[wi].rec->id;
    v.utilisation_if_given = std::nan("");
    const bool eligible = at < j.elig.size() && j.elig[at] == w;
    if (!eligible) {
      v.status = WorkerVerdict::Status::excluded;
      if (explain) v.reason = (*excluded_words)[wi];
    } else {
      const size_t pos = at++;
      v.utilisation_if_given = S.u(without, w, j.points);
      if (w == chosen) {
        v.status = WorkerVerdict::Status::chosen;
        if (explain) v.reason = cat({"chosen: ", pct(S.u(without, w)), " -> ", pct(v.utilisation_if_given)});
      } else if (S.fits(without, w, j.points)) {
        v.status = WorkerVerdict::Status::eligible;
        const double k = S.key(without, ci, pos);
        if (k < runner_key) {
          runner_key = k;
          runner = w;
        }
        if (explain) {
          const std::string sw = soft_words(P, ci, w, &s);
          if (sw.empty())
            v.reason = cat({"eligible: would be at ", pct(v.utilisation_if_given)});
          else
            v.reason = cat({"eligible: would be at ", pct(v.utilisation_if_given), "; ", sw});
        }
      } else {
        v.status = WorkerVerdict::Status::full;
        if (explain) {
          if (full[wi].complete) {
            v.reason = full[wi].text;
          } else {
            if (case_points.empty()) case_points = num(j.points);
            v.reason = cat({full[wi].text, case_points});
          }
        }
      }
    }
    if (explain) d.workers.push_back(std::move(v));
  }
  if (runner >= 0) d.runner_up = P.w[runner].rec->id;

  if (chosen >= 0) {
    d.worker_id = P.w[chosen].rec->id;
    d.reason = j.pinned >= 0 ? CaseDecision::Reason::pinned : CaseDecision::Reason::allocated;
    d.soft_score = S.soft_in(s, ci, chosen);
    if (!explain) return;
    const WorkerInfo& k = P.w[chosen];
    std::string e = (j.pinned >= 0 ? "Pinned by the manager to " : "Allocated to ") + k.rec->id + " (" + k.rec->team +
                    "): at " + pct(S.u(s, chosen)) + " of capacity after the plan (" + pct(S.u(without, chosen)) +
                    " without this case; cap " + pct(k.cap) + ")";
    const std::string sw = soft_words(P, ci, chosen, &s);
    if (!sw.empty()) e += "; " + sw;
    e += ".";
    if (runner >= 0) {
      const double ur = S.u(without, runner, j.points), uc = S.u(without, chosen, j.points);
      const double soft_r = S.soft_in(s, ci, runner);
      e += " Runner-up " + P.w[runner].rec->id + " would be at " + pct(ur);
      if (j.pinned >= 0) {
        e += "; the manager's pin decides.";
      } else if (uc < ur - 1e-9) {
        e += ", so " + k.rec->id + " is the fairer choice (" + pct(uc) + ").";
      } else if (d.soft_score > soft_r + 1e-9) {
        e += "; " + k.rec->id + " is preferred within the fairness tolerance (" + sw + ").";
      } else {
        e += "; both are equally fair here, and moving either would not lower the highest load.";
      }
    } else {
      e += " No other eligible worker had room.";
    }
    d.explanation = std::move(e);
    return;
  }

  // Unallocated: why.
  std::vector<int32_t> had_room;
  bool any_eligible = false;
  for (int32_t w : j.elig) {
    any_eligible = true;
    if (S.fits(before, w, j.points)) had_room.push_back(w);
  }
  if (!any_eligible) {
    d.reason = CaseDecision::Reason::no_eligible_worker;
    if (explain) {
      d.explanation = "Unallocated: no worker is eligible";
      std::map<std::string, int> counts;  // reason -> workers, sorted for stable text
      for (const auto& v : d.workers) ++counts[v.reason];
      std::string list;
      for (const auto& [r, n] : counts) list += (list.empty() ? "" : "; ") + r + " (" + std::to_string(n) + ")";
      d.explanation += list.empty() ? " (the model has no workers)." : ": " + list + ".";
    }
    return;
  }
  if (had_room.empty()) {
    d.reason = CaseDecision::Reason::eligible_workers_full;
    if (explain) {
      std::string list;
      int shown = 0;
      for (int32_t w : j.elig) {
        if (shown++ == 8) {
          list += "; ...";
          break;
        }
        list += (list.empty() ? "" : "; ") + P.w[w].rec->id + " " + num(before.pts[w]) + "/" + num(P.w[w].limit) +
                " points";
        if (before.cnt[w] + 1 > P.w[w].max_cases + 1e-9) list += " (ASYE at " + num(P.w[w].max_cases) + " cases)";
      }
      d.explanation = "Unallocated: every eligible worker was already full before this batch (the case needs " +
                      num(j.points) + " points): " + list + ".";
    }
    return;
  }
  d.reason = CaseDecision::Reason::displaced;
  std::vector<int32_t> by;
  for (int32_t w : had_room)
    for (int32_t k : s.held[w]) by.push_back(k);
  std::sort(by.begin(), by.end(), [&](int32_t a, int32_t b) {
    if (P.c[a].priority != P.c[b].priority) return P.c[a].priority > P.c[b].priority;
    return a < b;
  });
  for (int32_t k : by) d.displaced_by.push_back(P.c[k].in->record.id);
  if (explain) {
    std::string list;
    for (size_t x = 0; x < by.size() && x < 8; ++x)
      list += (x ? ", " : "") + P.c[by[x]].in->record.id + " (priority " + num(P.c[by[x]].priority) + ", " +
              num(P.c[by[x]].points) + " points)";
    if (by.size() > 8) list += ", ...";
    d.explanation =
        "Unallocated: the room on eligible workers went to cases worth more priority-weighted work: " + list + ".";
  }
}

WorkerChange worker_change(const WorkerInfo& k, double pts_after, double cnt_after) {
  WorkerChange c;
  c.worker_id = k.rec->id;
  c.team = k.rec->team;
  c.service_area = k.rec->service_area;
  c.role = k.rec->role;
  c.is_asye = k.asye;
  c.case_holding = k.case_holding;
  c.capacity = k.capacity;
  c.cap = k.cap;
  c.points_before = k.points0;
  c.points_after = pts_after;
  c.cases_before = k.cases0;
  c.cases_after = cnt_after;
  c.utilisation_before = k.load->utilisation;
  c.utilisation_after = utilisation(pts_after, k.capacity);
  c.band_before = k.load->band;
  c.band_after = alloc::band_of(c.utilisation_after, *k.thresholds);
  return c;
}

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

AllocationPlan allocate(const Caseload& model, const std::vector<IncomingCase>& incoming,
                        const AllocationOptions& options) {
  Problem P = prepare(model, incoming, options);
  alloc::Budget budget(options.work_limit, options.time_limit_seconds);
  Solver S(P, budget);

  State base = S.empty_state();
  apply_pins(P, S, base);
  const State before = S.empty_state();

  AllocationPlan plan;
  plan.seed = options.seed;
  plan.bound = base.value + FlowBound().compute(P, base);

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
    if (!better_value(s, warm)) s = std::move(warm);
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
      if (better_value(trial, s)) std::swap(s, trial);
      return s.value - base.value;
    };
    const auto lr = LagrangeBound().compute(P, base, s.value - base.value, options.work_limit, repair,
                                            [&]() -> const std::vector<int32_t>& { return s.at; });
    plan.bound = std::min(plan.bound, base.value + lr.bound);
    bound_work = lr.work;
  }
  while (budget.left() && S.exchange_in(s, order)) S.stage1(s, order);
  S.ruin_recreate(s, order, plan.bound);
  while (budget.left() && (S.repack(s) || S.exchange_in(s, order))) S.stage1(s, order);
  S.stage2(s);
  S.stage3(s);

  finish_objective(P, S, s, plan);
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
    for (size_t wi = 0; wi < P.w.size(); ++wi) full.push_back(full_words(P, s, static_cast<int32_t>(wi)));
  }
  for (size_t i = 0; i < P.c.size(); ++i) {
    CaseDecision& d = plan.cases[i];
    d.case_id = P.c[i].in->record.id;
    d.points = P.c[i].points;
    d.priority = P.c[i].priority;
    explain_case(P, S, s, before, static_cast<int32_t>(i), d, without, why, full);
  }
  plan.workers.reserve(P.w.size());
  for (size_t wi = 0; wi < P.w.size(); ++wi) {
    WorkerChange c = worker_change(P.w[wi], s.pts[wi], s.cnt[wi]);
    auto held = s.held[wi];
    std::sort(held.begin(), held.end());
    for (int32_t k : held) c.new_cases.push_back(P.c[k].in->record.id);
    plan.workers.push_back(std::move(c));
  }
  plan.work = budget.work() + bound_work;
  plan.seconds = budget.seconds();
  return plan;
}

std::vector<Suggestion> suggest(const Caseload& model, const IncomingCase& incoming, int32_t k,
                                const AllocationOptions& options) {
  if (k < 0) throw Error(ErrorCode::invalid_argument, "suggest: k must be >= 0, got " + std::to_string(k));
  IncomingCase one = incoming;
  one.pinned_worker.clear();  // a suggestion ranks; the pin is the manager's own answer
  const std::vector<IncomingCase> batch{one};
  Problem P = prepare(model, batch, options, true);
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
    const std::string sw = soft_words(P, 0, wi);
    if (!sw.empty()) g.explanation += "; " + sw;
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace caseload
