// Checking a worker's and a case's record against the scheme version in
// force: every error names the record and the field (docs/records_format.md).
#include <cmath>
#include <string>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "model/model_internal.hpp"
#include "model/rules.hpp"

namespace caseload::model_detail {

namespace {

using detail::approx;
using detail::num;

using text::quoted;

bool finite_in(double x, double lo_open, double hi_closed) {
  return std::isfinite(x) && x > lo_open && x <= hi_closed;
}

Error invalid(const std::string& who, const std::string& what) {
  return Error(ErrorCode::invalid_argument, who + ": " + what);
}

std::string worker_who(const Worker& w, size_t index) {
  return w.id.empty() ? "worker at index " + std::to_string(index) : "worker " + quoted(w.id);
}
std::string case_who(const Case& c, size_t index) {
  return c.id.empty() ? "case at index " + std::to_string(index) : "case " + quoted(c.id);
}

}  // namespace

bool task_open(const Task& t, Date as_of) noexcept {
  return !t.completed && (!t.created || *t.created <= as_of) && (!t.due || as_of <= *t.due);
}

void validate_worker(const Worker& w, size_t index, const Rules& rules, Date as_of) {
  const std::string who = worker_who(w, index);
  if (w.id.empty()) throw invalid(who, "id must not be empty");
  if (w.team.empty()) throw invalid(who, "team must not be empty");
  if (!Rules::lookup(rules.roles, w.role)) {
    throw Error(ErrorCode::not_found, who + ": unknown role " + quoted(w.role) + rules.tag);
  }
  if (!finite_in(w.contracted_hours, 0, 60)) {
    throw invalid(who, "contracted_hours must be in (0, 60], got " + num(w.contracted_hours));
  }
  if (!std::isfinite(w.experience_years) || w.experience_years < 0) {
    throw invalid(who, "experience_years must be >= 0, got " + num(w.experience_years));
  }
  if (w.reported_weekly_hours && (!std::isfinite(*w.reported_weekly_hours) || *w.reported_weekly_hours < 0)) {
    throw invalid(who, "reported_weekly_hours must be >= 0, got " + num(*w.reported_weekly_hours));
  }
  if (w.expected_new_cases && (!std::isfinite(*w.expected_new_cases) || *w.expected_new_cases < 0)) {
    throw invalid(who, "expected_new_cases must be >= 0, got " + num(*w.expected_new_cases));
  }
  double active_percent = 0;
  for (size_t i = 0; i < w.reductions.size(); ++i) {
    const Reduction& r = w.reductions[i];
    const std::string rwho = who + ": reduction " + std::to_string(i) + " (" + quoted(r.reason) + ")";
    if (r.percent.has_value() == r.hours.has_value())
      throw invalid(rwho, "exactly one of percent and hours must be set");
    if (r.percent && !finite_in(*r.percent, 0, 100)) {
      throw invalid(rwho, "percent must be in (0, 100], got " + num(*r.percent));
    }
    if (r.hours && !finite_in(*r.hours, 0, w.contracted_hours)) {
      throw invalid(rwho, "hours must be in (0, " + num(w.contracted_hours) + "], got " + num(*r.hours));
    }
    if (r.start && r.end && *r.end < *r.start) {
      throw invalid(rwho, "end " + r.end->to_string() + " is before start " + r.start->to_string());
    }
    if (r.active_on(as_of)) active_percent += r.percent ? *r.percent : *r.hours / w.contracted_hours * 100.0;
  }
  if (active_percent > 100.0 + 1e-9) {
    throw invalid(who, "active reductions on " + as_of.to_string() + " total " + approx(active_percent) +
                           "% of contracted hours, more than 100%");
  }
}

// Validates one case against the rules and the worker index and returns the
// allocated worker indices (-1 = none).
std::array<int32_t, 2> validate_case(const Case& c, size_t index, const Rules& rules, Date as_of,
                                     const WorkerIndex& worker_index) {
  const std::string who = case_who(c, index);
  if (c.id.empty()) throw invalid(who, "id must not be empty");
  if (!Rules::lookup(rules.case_types, c.case_type)) {
    throw Error(ErrorCode::not_found, who + ": unknown case_type " + quoted(c.case_type) + rules.tag);
  }
  for (size_t i = 0; i < c.factors.size(); ++i) {
    if (!Rules::lookup(rules.factors, c.factors[i])) {
      throw Error(ErrorCode::not_found, who + ": unknown factor " + quoted(c.factors[i]) + rules.tag);
    }
    // A factor listed twice would add or multiply twice: a data error.
    for (size_t j = 0; j < i; ++j) {
      if (c.factors[j] == c.factors[i]) {
        throw Error(ErrorCode::duplicate, who + ": factor " + quoted(c.factors[i]) + " is listed twice");
      }
    }
  }
  // Each multiplier is bounded by the scheme; their product is bounded here
  // so that a case listing many of them cannot overflow its points.
  double product = 1;
  for (const std::string& f : c.factors) {
    const FactorRule& rule = *Rules::lookup(rules.factors, f);
    if (rule.kind == FactorRule::Kind::multiply) product *= rule.value;
  }
  if (product > rules::kMaxPoints)
    throw invalid(who, "factors: the product of the multiplying factors must be <= " + num(rules::kMaxPoints) +
                           ", got " + num(product));
  for (size_t i = 0; i < c.tasks.size(); ++i) {
    const Task& t = c.tasks[i];
    const std::string twho = who + ": task " + std::to_string(i) + " (" + quoted(t.type) + ")";
    if (t.points) {
      if (!std::isfinite(*t.points) || *t.points < 0 || *t.points > rules::kMaxPoints)
        throw invalid(twho, "points must be in [0, " + num(rules::kMaxPoints) + "], got " + num(*t.points));
    } else if (!Rules::lookup(rules.tasks, t.type)) {
      throw Error(ErrorCode::not_found, twho + ": unknown task type " + quoted(t.type) + rules.tag);
    }
    if (t.created && t.due && *t.due < *t.created) {
      throw invalid(twho, "due " + t.due->to_string() + " is before created " + t.created->to_string());
    }
  }
  if (as_of < c.opened) {
    throw invalid(who, "opened " + c.opened.to_string() + " is after as_of " + as_of.to_string());
  }
  if (c.allocations.empty() && c.team.empty()) throw invalid(who, "team is required when the case is unallocated");
  if (c.allocations.size() > 2) {
    throw invalid(who, "at most 2 allocations (co-working), got " + std::to_string(c.allocations.size()));
  }
  std::array<int32_t, 2> out{-1, -1};
  double total = 0;
  for (size_t i = 0; i < c.allocations.size(); ++i) {
    const Allocation& a = c.allocations[i];
    auto it = worker_index.find(a.worker_id);
    if (it == worker_index.end()) {
      throw Error(ErrorCode::not_found, who + ": allocated to unknown worker " + quoted(a.worker_id));
    }
    if (i == 1 && c.allocations[0].worker_id == a.worker_id) {
      throw Error(ErrorCode::duplicate, who + ": worker " + quoted(a.worker_id) + " is allocated twice");
    }
    if (!finite_in(a.share, 0, 1)) {
      throw invalid(who, "share of worker " + quoted(a.worker_id) + " must be in (0, 1], got " + num(a.share));
    }
    total += a.share;
    out[i] = static_cast<int32_t>(it->second);
  }
  if (!c.allocations.empty() && std::abs(total - 1.0) > 1e-9) {
    throw invalid(who, "allocation shares must sum to 1, got " + num(total));
  }
  return out;
}

}  // namespace caseload::model_detail
