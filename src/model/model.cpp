// The weighted caseload model: its state, roll-ups, impact previews and
// all-or-nothing mutations. Checking records is in model_records.cpp, case
// points and worker loads in model_points.cpp (model_internal.hpp).
//
// Every mutation builds a complete new state (validate, then evaluate) and
// swaps it in only when nothing threw, which is what makes mutations
// all-or-nothing. All figures are computed eagerly, so const methods only
// read and are safe to call concurrently.
#include "caseload/model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "model/model_internal.hpp"
#include "model/rules.hpp"

namespace caseload {

const char* band_name(Band band) noexcept {
  switch (band) {
    case Band::green:
      return "green";
    case Band::amber:
      return "amber";
    case Band::red:
      return "red";
    case Band::excessive:
      return "excessive";
  }
  return "unknown";
}

const char* level_name(Level level) noexcept {
  switch (level) {
    case Level::team:
      return "team";
    case Level::service_area:
      return "service_area";
    case Level::organisation:
      return "organisation";
  }
  return "unknown";
}

namespace {

using detail::approx;
using detail::num;

using text::quoted;

using namespace model_detail;

}  // namespace

struct Caseload::Impl {
  WeightingScheme scheme;
  Date as_of;
  size_t version = 0;  // index into scheme.versions()
  std::vector<Worker> workers;
  std::vector<Case> cases;

  // Derived, rebuilt by evaluate(). Keys own their strings so that copying
  // an Impl never leaves views into the source object.
  std::unordered_map<std::string, uint32_t> worker_index, case_index;
  std::vector<double> case_points;
  std::vector<std::array<int32_t, 2>> case_workers;
  std::vector<uint32_t> worker_case_offsets;  // CSR: cases of worker i are
  std::vector<uint32_t> worker_case_list;     // list[offsets[i]..offsets[i+1]), ascending
  std::vector<WorkerLoad> loads;

  Impl(WeightingScheme s, Date d, std::vector<Worker> w, std::vector<Case> c)
      : scheme(std::move(s)), as_of(d), workers(std::move(w)), cases(std::move(c)) {
    evaluate();
  }

  [[nodiscard]] const SchemeVersion& v() const { return scheme.versions()[version]; }

  void evaluate() {
    const SchemeVersion& ver = scheme.at(as_of);
    version = static_cast<size_t>(&ver - scheme.versions().data());
    const Rules rules(ver);
    if (workers.size() >= std::numeric_limits<int32_t>::max() || cases.size() >= std::numeric_limits<int32_t>::max()) {
      throw Error(ErrorCode::limit_exceeded, "too many workers or cases");
    }

    worker_index.clear();
    worker_index.reserve(workers.size());
    for (size_t i = 0; i < workers.size(); ++i) {
      validate_worker(workers[i], i, rules, as_of);
      if (!worker_index.emplace(workers[i].id, static_cast<uint32_t>(i)).second) {
        throw Error(ErrorCode::duplicate, "worker " + quoted(workers[i].id) + ": duplicate id");
      }
    }
    case_index.clear();
    case_index.reserve(cases.size());
    case_workers.assign(cases.size(), {-1, -1});
    case_points.assign(cases.size(), 0.0);
    for (size_t i = 0; i < cases.size(); ++i) {
      case_workers[i] = validate_case(cases[i], i, rules, as_of, worker_index);
      if (!case_index.emplace(cases[i].id, static_cast<uint32_t>(i)).second) {
        throw Error(ErrorCode::duplicate, "case " + quoted(cases[i].id) + ": duplicate id");
      }
    }

    std::vector<Held> held(workers.size());
    std::vector<char> asye(workers.size());
    for (size_t i = 0; i < workers.size(); ++i) asye[i] = Rules::lookup(rules.roles, workers[i].role)->is_asye;
    worker_case_offsets.assign(workers.size() + 1, 0);
    for (size_t i = 0; i < cases.size(); ++i) {
      const Case& c = cases[i];
      const CaseTypeRule& type = *Rules::lookup(rules.case_types, c.case_type);
      case_points[i] = evaluate_case(c, rules, as_of, nullptr);
      for (size_t j = 0; j < c.allocations.size(); ++j) {
        const auto w = static_cast<size_t>(case_workers[i][j]);
        held[w].add(c, type, case_points[i], c.allocations[j].share, c.allocations.size(), asye[w]);
        ++worker_case_offsets[w + 1];
      }
    }
    for (size_t i = 0; i < workers.size(); ++i) worker_case_offsets[i + 1] += worker_case_offsets[i];
    worker_case_list.assign(worker_case_offsets.back(), 0);
    {
      std::vector<uint32_t> fill(worker_case_offsets.begin(), worker_case_offsets.end() - 1);
      for (size_t i = 0; i < cases.size(); ++i) {
        for (size_t j = 0; j < cases[i].allocations.size(); ++j) {
          worker_case_list[fill[static_cast<size_t>(case_workers[i][j])]++] = static_cast<uint32_t>(i);
        }
      }
    }
    loads.clear();
    loads.reserve(workers.size());
    for (size_t i = 0; i < workers.size(); ++i)
      loads.push_back(finish_worker(workers[i], rules, as_of, held[i], nullptr));
  }

  [[nodiscard]] size_t worker_at(std::string_view id) const {
    auto it = worker_index.find(std::string(id));
    if (it == worker_index.end()) throw Error(ErrorCode::not_found, "worker " + quoted(id) + ": not found");
    return it->second;
  }
  [[nodiscard]] size_t case_at(std::string_view id) const {
    auto it = case_index.find(std::string(id));
    if (it == case_index.end()) throw Error(ErrorCode::not_found, "case " + quoted(id) + ": not found");
    return it->second;
  }
};

Caseload::Caseload(WeightingScheme scheme, std::vector<Worker> workers, std::vector<Case> cases, Date as_of)
    : impl_(std::make_unique<Impl>(std::move(scheme), as_of, std::move(workers), std::move(cases))) {}
Caseload::~Caseload() = default;
// A moved-from Caseload has no state; copying one gives another empty shell
// instead of dereferencing null.
Caseload::Caseload(const Caseload& other) : impl_(other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr) {}
Caseload& Caseload::operator=(const Caseload& other) {
  if (this != &other) impl_ = other.impl_ ? std::make_unique<Impl>(*other.impl_) : nullptr;
  return *this;
}
Caseload::Caseload(Caseload&&) noexcept = default;
Caseload& Caseload::operator=(Caseload&&) noexcept = default;

const WeightingScheme& Caseload::scheme() const noexcept {
  return impl_->scheme;
}
const SchemeVersion& Caseload::scheme_version() const noexcept {
  return impl_->v();
}
Date Caseload::as_of() const noexcept {
  return impl_->as_of;
}
const std::vector<Worker>& Caseload::workers() const noexcept {
  return impl_->workers;
}
const std::vector<Case>& Caseload::cases() const noexcept {
  return impl_->cases;
}
const std::vector<WorkerLoad>& Caseload::worker_loads() const noexcept {
  return impl_->loads;
}

const WorkerLoad& Caseload::worker_load(std::string_view worker_id) const {
  return impl_->loads[impl_->worker_at(worker_id)];
}

double Caseload::case_points(std::string_view case_id) const {
  return impl_->case_points[impl_->case_at(case_id)];
}

WorkerBreakdown Caseload::breakdown(std::string_view worker_id) const {
  const Impl& s = *impl_;
  const size_t w = s.worker_at(worker_id);
  const Rules rules(s.v());
  WorkerBreakdown out;
  out.scheme_version = s.v().version;
  Held held;
  const bool asye = Rules::lookup(rules.roles, s.workers[w].role)->is_asye;
  for (uint32_t k = s.worker_case_offsets[w]; k < s.worker_case_offsets[w + 1]; ++k) {
    const size_t ci = s.worker_case_list[k];
    const Case& c = s.cases[ci];
    const double points = evaluate_case(c, rules, s.as_of, &out.lines);
    const size_t j = s.case_workers[ci][0] == static_cast<int32_t>(w) ? 0 : 1;
    const double share = c.allocations[j].share;
    if (c.allocations.size() > 1) {
      out.lines.push_back({BreakdownLine::Kind::share, c.id, s.workers[w].id,
                           "co-worked: share " + num(share) + " of " + approx(points) + " points", share,
                           points * share});
    }
    held.add(c, *Rules::lookup(rules.case_types, c.case_type), points, share, c.allocations.size(), asye);
  }
  out.load = finish_worker(s.workers[w], rules, s.as_of, held, &out.lines);
  return out;
}

std::vector<Rollup> Caseload::rollup(Level level) const {
  const Impl& s = *impl_;
  static const std::string kOrganisation = "organisation";
  static const std::string kUnknown = "unknown";
  auto group_of_worker = [&](const Worker& w) -> const std::string& {
    switch (level) {
      case Level::team:
        return w.team;
      case Level::service_area:
        return w.service_area;
      case Level::organisation:
        break;
    }
    return kOrganisation;
  };

  // An unallocated case belongs to its team; its service area is the one most
  // of that team's workers are in (ties to the smaller name).
  std::map<std::string, std::string, std::less<>> team_service_area;
  if (level == Level::service_area) {
    std::map<std::string, std::map<std::string, int64_t>, std::less<>> counts;
    for (const Worker& w : s.workers) ++counts[w.team][w.service_area];
    for (const auto& [team, by_sa] : counts) {
      const std::string* best = nullptr;
      int64_t best_n = 0;
      for (const auto& [sa, n] : by_sa) {
        if (n > best_n) best = &sa, best_n = n;
      }
      team_service_area.emplace(team, *best);
    }
  }
  auto group_of_unallocated = [&](const Case& c) -> const std::string& {
    switch (level) {
      case Level::team:
        return c.team;
      case Level::service_area: {
        auto it = team_service_area.find(c.team);
        return it == team_service_area.end() ? kUnknown : it->second;
      }
      case Level::organisation:
        break;
    }
    return kOrganisation;
  };

  struct Acc {
    std::vector<uint32_t> workers;
    double cases = 0;
    int64_t unallocated = 0;
    double unallocated_points = 0, age_sum = 0, age_max = 0;
  };
  // std::map: the output is sorted by group name.
  std::map<std::string_view, size_t> index;
  std::vector<Acc> acc;
  auto group = [&](std::string_view name) -> size_t {
    auto [it, inserted] = index.emplace(name, acc.size());
    if (inserted) acc.emplace_back();
    return it->second;
  };
  if (level == Level::organisation) group(kOrganisation);  // one row even for an empty model
  std::vector<size_t> worker_group(s.workers.size());
  for (size_t i = 0; i < s.workers.size(); ++i) {
    worker_group[i] = group(group_of_worker(s.workers[i]));
    acc[worker_group[i]].workers.push_back(static_cast<uint32_t>(i));
  }
  for (size_t i = 0; i < s.cases.size(); ++i) {
    const auto& cw = s.case_workers[i];
    if (cw[0] >= 0) {
      // Distinct cases: a case co-worked inside one group counts once.
      const size_t g0 = worker_group[static_cast<size_t>(cw[0])];
      acc[g0].cases += 1;
      if (cw[1] >= 0) {
        const size_t g1 = worker_group[static_cast<size_t>(cw[1])];
        if (g1 != g0) acc[g1].cases += 1;
      }
    } else {
      Acc& a = acc[group(group_of_unallocated(s.cases[i]))];
      const auto age = static_cast<double>(days_between(s.cases[i].opened, s.as_of));
      a.unallocated += 1;
      a.unallocated_points += s.case_points[i];
      a.age_sum += age;
      a.age_max = std::max(a.age_max, age);
    }
  }

  std::vector<Rollup> out;
  out.reserve(index.size());
  std::vector<double> utilisations, case_counts, per_fte;
  for (const auto& [name, gi] : index) {
    const Acc& a = acc[gi];
    Rollup r;
    r.level = level;
    r.group = std::string(name);
    r.workers = static_cast<int64_t>(a.workers.size());
    r.cases = a.cases;
    utilisations.clear();
    case_counts.clear();
    per_fte.clear();
    for (uint32_t wi : a.workers) {
      const WorkerLoad& l = s.loads[wi];
      if (l.is_asye) {
        ++r.asye_workers;
        r.asye_protected += l.asye_protected ? 1 : 0;
      }
      if (!l.case_holding) {
        // A manager's capacity is not there for cases: kept apart so group
        // utilisation is over the people who hold them.
        r.non_case_holding_points += l.points;
        r.non_case_holding_capacity += l.capacity;
        continue;
      }
      r.points += l.points;
      r.capacity += l.capacity;
      ++r.case_holding_workers;
      r.case_holding_fte += l.fte;
      if (std::isfinite(l.utilisation)) utilisations.push_back(l.utilisation);
      case_counts.push_back(l.cases);
      if (l.fte > 0) per_fte.push_back(l.cases / l.fte);
      ++r.band_counts[static_cast<int>(l.band)];
      r.over_case_benchmark += l.over_case_benchmark ? 1 : 0;
    }
    r.utilisation = rules::utilisation(r.points, r.capacity);
    r.jain_index = detail::jain(utilisations);
    r.utilisation_distribution = detail::distribution(utilisations);  // sorts
    r.gini_utilisation = detail::gini_sorted(utilisations);
    r.cases_distribution = detail::distribution(case_counts);
    const Distribution fte_dist = detail::distribution(per_fte);
    r.mean_cases_per_fte = fte_dist.mean;
    r.median_cases_per_fte = fte_dist.p50;
    if (r.case_holding_workers > 0) {
      const auto n = static_cast<double>(r.case_holding_workers);
      for (int b = 0; b < 4; ++b) r.band_shares[b] = static_cast<double>(r.band_counts[b]) / n;
      r.share_over_case_benchmark = static_cast<double>(r.over_case_benchmark) / n;
    }
    r.unallocated_cases = a.unallocated;
    r.unallocated_points = a.unallocated_points;
    if (a.unallocated > 0) {
      r.unallocated_mean_age_days = a.age_sum / static_cast<double>(a.unallocated);
      r.unallocated_max_age_days = a.age_max;
    }
    r.asye_compliance =
        r.asye_workers > 0 ? static_cast<double>(r.asye_protected) / static_cast<double>(r.asye_workers) : 1.0;
    out.push_back(std::move(r));
  }
  return out;
}

ImpactPreview Caseload::preview(const Change& change) const {
  const Impl& s = *impl_;
  const Rules rules(s.v());
  const auto n_cases = static_cast<uint32_t>(s.cases.size());

  // The changed case: its index (n_cases for a new one), its points, and who
  // holds it after the change.
  uint32_t changed = 0;
  const Case* changed_case = nullptr;
  double changed_points = 0;
  std::vector<size_t> affected;
  std::vector<Allocation> after_alloc;  // allocations of the changed case after the change
  std::array<int32_t, 2> after_workers{-1, -1};
  switch (change.kind) {
    case Change::Kind::add_case: {
      const Case& c = change.new_case;
      after_workers = validate_case(c, s.cases.size(), rules, s.as_of, s.worker_index);
      if (s.case_index.count(c.id)) throw Error(ErrorCode::duplicate, "case " + quoted(c.id) + ": duplicate id");
      changed = n_cases;
      changed_case = &c;
      changed_points = evaluate_case(c, rules, s.as_of, nullptr);
      after_alloc = c.allocations;
      break;
    }
    case Change::Kind::remove_case:
    case Change::Kind::move_case: {
      changed = static_cast<uint32_t>(s.case_at(change.case_id));
      changed_case = &s.cases[changed];
      changed_points = s.case_points[changed];
      for (int32_t w : s.case_workers[changed]) {
        if (w >= 0) affected.push_back(static_cast<size_t>(w));
      }
      if (change.kind == Change::Kind::move_case) {
        auto it = s.worker_index.find(change.to_worker);
        if (it == s.worker_index.end()) {
          throw Error(ErrorCode::not_found,
                      "case " + quoted(change.case_id) + ": cannot move to unknown worker " + quoted(change.to_worker));
        }
        after_alloc = {Allocation{change.to_worker, 1.0}};
        after_workers = {static_cast<int32_t>(it->second), -1};
      }
      break;
    }
  }
  for (int32_t w : after_workers) {
    if (w >= 0) affected.push_back(static_cast<size_t>(w));
  }
  std::sort(affected.begin(), affected.end());
  affected.erase(std::unique(affected.begin(), affected.end()), affected.end());

  ImpactPreview out;
  out.workers.reserve(affected.size());
  for (size_t w : affected) {
    const Worker& worker = s.workers[w];
    const bool asye = Rules::lookup(rules.roles, worker.role)->is_asye;
    Held held;
    bool placed = false;
    auto add_changed = [&] {
      placed = true;
      for (size_t j = 0; j < after_alloc.size(); ++j) {
        if (after_workers[j] == static_cast<int32_t>(w)) {
          held.add(*changed_case, *Rules::lookup(rules.case_types, changed_case->case_type), changed_points,
                   after_alloc[j].share, after_alloc.size(), asye);
        }
      }
    };
    // Same order as a full evaluation (ascending case index), so the result
    // equals what apply() computes, bit for bit.
    for (uint32_t k = s.worker_case_offsets[w]; k < s.worker_case_offsets[w + 1]; ++k) {
      const uint32_t ci = s.worker_case_list[k];
      if (!placed && ci >= changed) add_changed();
      if (ci == changed) continue;
      const Case& c = s.cases[ci];
      const size_t j = s.case_workers[ci][0] == static_cast<int32_t>(w) ? 0 : 1;
      held.add(c, *Rules::lookup(rules.case_types, c.case_type), s.case_points[ci], c.allocations[j].share,
               c.allocations.size(), asye);
    }
    if (!placed) add_changed();
    out.workers.push_back({worker.id, s.loads[w], finish_worker(worker, rules, s.as_of, held, nullptr)});
  }
  return out;
}

void Caseload::apply(const Change& change) {
  const Impl& s = *impl_;
  std::vector<Case> cases;
  switch (change.kind) {
    case Change::Kind::add_case:
      cases = s.cases;
      cases.push_back(change.new_case);
      break;
    case Change::Kind::remove_case: {
      const size_t k = s.case_at(change.case_id);
      cases.reserve(s.cases.size() - 1);
      for (size_t i = 0; i < s.cases.size(); ++i) {
        if (i != k) cases.push_back(s.cases[i]);
      }
      break;
    }
    case Change::Kind::move_case: {
      const size_t k = s.case_at(change.case_id);
      if (!s.worker_index.count(change.to_worker)) {
        throw Error(ErrorCode::not_found,
                    "case " + quoted(change.case_id) + ": cannot move to unknown worker " + quoted(change.to_worker));
      }
      cases = s.cases;
      cases[k].allocations = {Allocation{change.to_worker, 1.0}};
      break;
    }
  }
  impl_ = std::make_unique<Impl>(s.scheme, s.as_of, s.workers, std::move(cases));
}

void Caseload::upsert(const std::vector<Worker>& workers, const std::vector<Case>& cases) {
  const Impl& s = *impl_;
  // Replace in place (keeping input order), append new records in the order given.
  auto merge = [](const auto& current, const auto& updates, const auto& index, const char* kind) {
    auto out = current;
    std::unordered_set<std::string_view> seen;
    for (const auto& u : updates) {
      if (!u.id.empty() && !seen.insert(u.id).second) {
        throw Error(ErrorCode::duplicate, std::string(kind) + " " + quoted(u.id) + ": given twice in one upsert");
      }
      auto it = index.find(u.id);
      if (it != index.end()) {
        out[it->second] = u;
      } else {
        out.push_back(u);
      }
    }
    return out;
  };
  auto new_workers = merge(s.workers, workers, s.worker_index, "worker");
  auto new_cases = merge(s.cases, cases, s.case_index, "case");
  impl_ = std::make_unique<Impl>(s.scheme, s.as_of, std::move(new_workers), std::move(new_cases));
}

void Caseload::set_as_of(Date as_of) {
  impl_ = std::make_unique<Impl>(impl_->scheme, as_of, impl_->workers, impl_->cases);
}

std::vector<Snapshot> Caseload::snapshot() const {
  const Impl& s = *impl_;
  std::vector<Snapshot> out;
  out.reserve(s.loads.size());
  for (const WorkerLoad& l : s.loads) {
    Snapshot snap;
    snap.date = s.as_of;
    snap.worker_id = l.worker_id;
    snap.utilisation = l.utilisation;
    snap.cases = l.cases;
    snap.points = l.points;
    snap.capacity = l.capacity;
    snap.team = l.team;
    snap.service_area = l.service_area;
    out.push_back(std::move(snap));
  }
  return out;
}

}  // namespace caseload
