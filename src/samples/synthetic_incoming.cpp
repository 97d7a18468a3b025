// A seeded week of incoming referrals for a model (demo and benchmarks).
//
// Realism comes from the model itself: referrals arrive per service area in
// proportion to its case-holding workers, take the case types (and the
// factors of a random held case of that type) the area already holds, and
// some are siblings of held cases, so continuity matters. Own PRNG and
// integer arithmetic only: the same model, count and seed give the same
// batch on every platform.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "base/random.hpp"

namespace caseload {

namespace {

// splitmix64 (base/random.hpp) from a seed word of its own.
struct Prng : random::SplitMix64 {
  explicit Prng(uint64_t seed) : SplitMix64(seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull) {}
  bool percent(int p) { return below(100) < p; }
};

std::string padded(const char* prefix, size_t n, int width) {
  std::string digits = std::to_string(n);
  while (static_cast<int>(digits.size()) < width) digits.insert(digits.begin(), '0');
  return prefix + digits;
}

int priority_of(const std::string& type) {
  if (type == "child_protection" || type == "care_proceedings" || type == "adult_safeguarding") return 3;
  if (type == "pre_proceedings" || type == "assessment" || type == "looked_after") return 2;
  return 1;
}

}  // namespace

std::vector<IncomingCase> synthetic_incoming(const Caseload& model, int32_t count, uint64_t seed) {
  if (count < 0 || count > 1'000'000)
    throw Error(ErrorCode::invalid_argument,
                "synthetic_incoming: count must be in [0, 1000000], got " + std::to_string(count));
  Prng rng(seed);
  const auto& workers = model.workers();
  const auto& loads = model.worker_loads();
  std::map<std::string, size_t> worker_of;
  for (size_t i = 0; i < workers.size(); ++i) worker_of.emplace(workers[i].id, i);

  // Per service area: case-holding workers, teams, and the held cases.
  struct Area {
    std::vector<size_t> workers;
    std::vector<std::string> teams;
    std::vector<const Case*> cases;
  };
  std::map<std::string, Area> areas;
  for (size_t i = 0; i < workers.size(); ++i) {
    if (!loads[i].case_holding) continue;
    Area& a = areas[workers[i].service_area];
    a.workers.push_back(i);
    if (std::find(a.teams.begin(), a.teams.end(), workers[i].team) == a.teams.end()) a.teams.push_back(workers[i].team);
  }
  for (const Case& c : model.cases()) {
    if (c.allocations.empty()) continue;
    auto it = worker_of.find(c.allocations[0].worker_id);
    if (it == worker_of.end()) continue;
    auto a = areas.find(workers[it->second].service_area);
    if (a != areas.end()) a->second.cases.push_back(&c);
  }
  std::vector<const std::string*> names;  // one entry per case-holding worker with held cases in the area
  for (const auto& [name, a] : areas)
    if (!a.cases.empty())
      for (size_t k = 0; k < a.workers.size(); ++k) names.push_back(&name);
  std::vector<IncomingCase> out;
  if (names.empty()) return out;

  static const char* const kSkills[] = {"court", "child_protection", "disability", "mental_health", "domestic_abuse"};
  size_t families = 0;
  while (static_cast<int32_t>(out.size()) < count) {
    const std::string& area_name = *names[rng.below(names.size())];
    const Area& area = areas[area_name];
    const Case& like = *area.cases[rng.below(area.cases.size())];
    // Siblings: one referral in five is a family of two or three children.
    size_t children = rng.percent(20) ? 2 + rng.below(2) : 1;
    std::string family;
    if (children > 1) family = padded("RF", ++families, 4);
    // One in ten joins a family already held (continuity with its worker).
    if (children == 1 && !like.family_id.empty() && rng.percent(50)) family = like.family_id;
    const std::string team = area.teams[rng.below(area.teams.size())];
    for (size_t k = 0; k < children && static_cast<int32_t>(out.size()) < count; ++k) {
      IncomingCase in;
      in.record.id = padded("R", out.size() + 1, 4);
      in.record.family_id = family;
      in.record.case_type = like.case_type;
      in.record.factors = like.factors;
      in.record.opened = Date{model.as_of().days - static_cast<int32_t>(rng.below(7))};
      in.record.team = team;
      in.priority = priority_of(like.case_type) + (rng.percent(15) ? 1 : 0);
      in.required_service_area = area_name;
      if (in.priority >= 3 && rng.percent(50)) in.min_experience_years = 2;
      if (rng.percent(10)) in.required_skills.push_back(kSkills[rng.below(5)]);
      if (rng.percent(25)) in.desired_skills.push_back(kSkills[rng.below(5)]);
      if (rng.percent(5)) in.excluded_workers.push_back(workers[area.workers[rng.below(area.workers.size())]].id);
      if (rng.percent(8)) in.previous_worker = workers[area.workers[rng.below(area.workers.size())]].id;
      if (rng.percent(5)) in.preferences.push_back({workers[area.workers[rng.below(area.workers.size())]].id, 0.5});
      out.push_back(std::move(in));
    }
  }
  // One pin, to the top suggestion for the first case that has one, so the
  // batch always carries a feasible manager decision.
  for (auto& in : out) {
    const auto top = suggest(model, in, 1);
    if (!top.empty()) {
      in.pinned_worker = top[0].worker_id;
      break;
    }
  }
  return out;
}

}  // namespace caseload
