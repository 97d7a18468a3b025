// Allocation optimiser: the problem (docs/allocation.md). Validates the
// options and the batch, and derives from the model what the search needs:
// each worker's room, each case's points, priority, eligible workers (once per
// profile of equal hard requirements) and soft scores.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "allocation/allocation_internal.hpp"
#include "allocation/allocation_options.hpp"
#include "caseload/error.hpp"

namespace caseload::alloc {

bool Problem::ineligible(int32_t ci, int32_t wi, std::string* why) const {
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

double Problem::soft_score(int32_t ci, int32_t wi) const {
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

void validate_options(const AllocationOptions& o) {
  // Ranges from the one description of the options; what a range cannot
  // say (no level listed twice) is checked here.
  const std::string where = "allocation options";
  caseload::options::validate(o, alloc::allocation_option_records(), where);
  for (size_t i = 0; i < o.experience_levels.size(); ++i)
    for (size_t k = 0; k < i; ++k)
      if (o.experience_levels[i] == o.experience_levels[k])
        throw Error(ErrorCode::duplicate,
                    where + ": experience level " + quoted(o.experience_levels[i]) + " is listed twice");
}

// `allow_existing`: an incoming id may name an unallocated case already in
// the model (suggest() for a case waiting in the team's queue).
Problem prepare(const Caseload& model, const std::vector<IncomingCase>& incoming, const AllocationOptions& opt,
                bool allow_existing) {
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

}  // namespace caseload::alloc
