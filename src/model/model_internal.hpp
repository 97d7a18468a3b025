// Private to the model (src/model/): the rule lookups of one scheme version
// and the steps every mutation runs, in the order it runs them: check each
// record against the scheme (model_records.cpp), then weigh each case and
// total each worker's load (model_points.cpp). model.cpp keeps the state and
// the all-or-nothing mutations built from these.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "caseload/model.hpp"
#include "caseload/scheme.hpp"

namespace caseload::model_detail {

// Rule lookups for one scheme version, built once per evaluation so each case
// costs a few hash probes instead of linear scans over the rule lists. Keys
// view strings owned by the scheme, which outlives every Rules object.
struct Rules {
  const SchemeVersion* v;
  std::unordered_map<std::string_view, const CaseTypeRule*> case_types;
  std::unordered_map<std::string_view, const FactorRule*> factors;
  std::unordered_map<std::string_view, const TaskRule*> tasks;
  std::unordered_map<std::string_view, const RoleRule*> roles;
  std::unordered_map<std::string_view, const ServiceAreaRule*> service_areas;
  std::string tag;  // " (scheme 2024.1)"

  explicit Rules(const SchemeVersion& version) : v(&version), tag(" (scheme " + version.version + ")") {
    for (const auto& r : v->case_types) case_types.emplace(r.name, &r);
    for (const auto& r : v->factors) factors.emplace(r.name, &r);
    for (const auto& r : v->tasks) tasks.emplace(r.name, &r);
    for (const auto& r : v->roles) roles.emplace(r.name, &r);
    for (const auto& r : v->service_areas) service_areas.emplace(r.name, &r);
  }

  template <class Map>
  static auto lookup(const Map& m, std::string_view name) -> typename Map::mapped_type {
    auto it = m.find(name);
    return it == m.end() ? nullptr : it->second;
  }
  [[nodiscard]] const ServiceAreaRule& service_area(std::string_view name) const {
    const ServiceAreaRule* r = lookup(service_areas, name);
    return r ? *r : v->default_service_area;
  }
};

// A worker's cases, accumulated in case order so that every path (full
// evaluation, preview) adds the same numbers in the same order.
struct Held {
  double points = 0;
  int64_t cases = 0;
  std::vector<const Case*> alone_cowork_only;  // ASYE breaches
  void add(const Case& c, const CaseTypeRule& type, double case_points, double share, size_t n_allocations,
           bool is_asye) {
    points += case_points * share;
    cases += 1;
    if (is_asye && type.asye_cowork_only && n_allocations < 2) alone_cowork_only.push_back(&c);
  }
};

/// Worker id -> index in the model's workers.
using WorkerIndex = std::unordered_map<std::string, uint32_t>;

/// Whether a task counts on `as_of`: not completed, created on or before it
/// and not past due.
bool task_open(const Task& t, Date as_of) noexcept;

/// Checks one worker against the scheme's rules; Error naming the worker and
/// the field.
void validate_worker(const Worker& w, size_t index, const Rules& rules, Date as_of);

/// Checks one case against the rules and the worker index and returns the
/// allocated worker indices (-1 = none).
std::array<int32_t, 2> validate_case(const Case& c, size_t index, const Rules& rules, Date as_of,
                                     const WorkerIndex& worker_index);

/// Points of a validated case on `as_of`; with `lines`, records every step.
double evaluate_case(const Case& c, const Rules& rules, Date as_of, std::vector<BreakdownLine>* lines);

/// A worker's load from the cases held: capacity after reductions and the
/// role cap, utilisation, band and ASYE protection; with `lines`, every step.
WorkerLoad finish_worker(const Worker& w, const Rules& rules, Date as_of, const Held& held,
                         std::vector<BreakdownLine>* lines);

}  // namespace caseload::model_detail
