// A case's points and a worker's load: the weighting of docs/weighting.md and
// the capacity, band and ASYE protection of the rules core (model/rules.hpp),
// optionally recorded step by step for a worker's breakdown.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "model/model_internal.hpp"
#include "model/rules.hpp"

namespace caseload::model_detail {

namespace {

using detail::approx;
using detail::num;

using text::quoted;

std::string percent_text(double fraction) {
  if (!std::isfinite(fraction)) return num(fraction);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f%%", fraction * 100.0);
  return buf;
}

}  // namespace

// Points of a validated case on `as_of`; with `lines`, records every step.
double evaluate_case(const Case& c, const Rules& rules, Date as_of, std::vector<BreakdownLine>* lines) {
  const CaseTypeRule& type = *Rules::lookup(rules.case_types, c.case_type);
  double sum = type.base_points;
  if (lines) {
    lines->push_back({BreakdownLine::Kind::case_base, c.id, c.case_type,
                      "case type " + c.case_type + ": " + num(type.base_points) + " points" + rules.tag,
                      type.base_points, sum});
  }
  bool any_multiplier = false;
  for (const std::string& f : c.factors) {
    const FactorRule& rule = *Rules::lookup(rules.factors, f);
    if (rule.kind == FactorRule::Kind::multiply) {
      any_multiplier = true;
      continue;
    }
    sum += rule.value;
    if (lines) {
      lines->push_back({BreakdownLine::Kind::factor_add, c.id, f,
                        "factor " + f + ": +" + num(rule.value) + " points" + rules.tag, rule.value, sum});
    }
  }
  double points = sum;
  if (any_multiplier) {
    double product = 1;
    for (const std::string& f : c.factors) {
      const FactorRule& rule = *Rules::lookup(rules.factors, f);
      if (rule.kind != FactorRule::Kind::multiply) continue;
      product *= rule.value;
      if (lines) {
        lines->push_back({BreakdownLine::Kind::factor_multiply, c.id, f,
                          "factor " + f + ": x" + num(rule.value) + rules.tag, rule.value, sum * product});
      }
    }
    points = sum * product;
  }
  for (const Task& t : c.tasks) {
    if (!task_open(t, as_of)) continue;
    const double p = t.points ? *t.points : Rules::lookup(rules.tasks, t.type)->points;
    points += p;
    if (lines) {
      std::string rule = "task " + t.type + ": +" + num(p) + " points";
      rule += t.points ? std::string(" (points given on the task)") : rules.tag;
      if (t.due) rule += ", open until " + t.due->to_string();
      lines->push_back({BreakdownLine::Kind::task, c.id, t.type, std::move(rule), p, points});
    }
  }
  return points;
}

WorkerLoad finish_worker(const Worker& w, const Rules& rules, Date as_of, const Held& held,
                         std::vector<BreakdownLine>* lines) {
  const RoleRule& role = *Rules::lookup(rules.roles, w.role);
  const CapacityPolicy& policy = rules.v->capacity;
  WorkerLoad load;
  load.worker_id = w.id;
  load.team = w.team;
  load.service_area = w.service_area;
  load.role = w.role;
  load.case_holding = role.case_holding;
  load.is_asye = role.is_asye;
  load.fte = w.contracted_hours / policy.standard_hours;

  const double full = policy.target_points * w.contracted_hours / policy.standard_hours;
  if (lines) {
    lines->push_back({BreakdownLine::Kind::capacity, "", "contracted",
                      "capacity: " + num(policy.target_points) + " points per " + num(policy.standard_hours) + " h; " +
                          num(w.contracted_hours) + " contracted h" + rules.tag,
                      full, full});
  }
  double reduced = 0;
  for (const Reduction& r : w.reductions) {
    if (!r.active_on(as_of)) continue;
    const double h = rules::reduction_hours(r, w.contracted_hours);
    reduced += h;
    if (lines) {
      std::string rule = "reduction " + r.reason + ": ";
      rule +=
          r.percent ? num(*r.percent) + "% of " + num(w.contracted_hours) + " h = " + approx(h) + " h" : num(h) + " h";
      if (r.end) rule += " until " + r.end->to_string();
      const double after =
          rules::capacity_before_role_cap(policy, w.contracted_hours, std::max(0.0, w.contracted_hours - reduced));
      lines->push_back({BreakdownLine::Kind::reduction, "", r.reason, std::move(rule), h, after});
    }
  }
  load.available_hours = std::max(0.0, w.contracted_hours - reduced);
  const rules::CapacitySteps steps =
      rules::capacity_steps(policy, w.contracted_hours, load.available_hours, role.capacity_cap);
  const double capacity = steps.points;
  if (lines && role.capacity_cap != 1.0) {
    lines->push_back({BreakdownLine::Kind::role_cap, "", w.role,
                      "role " + w.role + ": capacity x" + num(role.capacity_cap) + rules.tag, role.capacity_cap,
                      steps.after_role_cap});
  }
  if (lines && policy.round_down) {
    lines->push_back({BreakdownLine::Kind::capacity, "", "round_down",
                      "capacity rounded down to whole points" + rules.tag, capacity, capacity});
  }
  load.capacity = capacity;
  load.cases = static_cast<double>(held.cases);
  load.points = held.points;
  load.utilisation = rules::utilisation(held.points, capacity);
  const ServiceAreaRule& sa = rules.service_area(w.service_area);
  const Thresholds& t = sa.thresholds;
  const double u = load.utilisation;
  load.band = rules::band_of(u, t);
  load.headroom = capacity * t.amber_to - held.points;
  load.over_case_benchmark = role.case_holding && load.fte > 0 && load.cases / load.fte > sa.safe_caseload_cases;
  if (role.is_asye) {
    if (u > 1.0) {
      load.asye_breaches.push_back("points " + approx(held.points) + " above protected capacity " + approx(capacity) +
                                   " (utilisation " + percent_text(u) + ")");
    }
    if (role.max_cases && load.cases > *role.max_cases) {
      load.asye_breaches.push_back("holds " + std::to_string(held.cases) + " cases, above the protected maximum of " +
                                   num(*role.max_cases));
    }
    for (const Case* c : held.alone_cowork_only) {
      load.asye_breaches.push_back("holds case " + quoted(c->id) + " (" + c->case_type +
                                   ") without a co-worker; it may be held only jointly with an experienced worker");
    }
    load.asye_protected = load.asye_breaches.empty();
  }
  return load;
}

}  // namespace caseload::model_detail
