// WeightingScheme validation and version lookup. JSON reading and writing
// and the default scheme live in scheme_json.cpp.
#include "caseload/scheme.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <utility>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "model/rules.hpp"

namespace caseload {
namespace {

using detail::num;

template <class Rule>
const Rule* find_by_name(const std::vector<Rule>& rules, std::string_view name) noexcept {
  for (const Rule& r : rules) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

class Validator {
 public:
  Validator(const std::string& scheme, const SchemeVersion& v)
      : where_("scheme \"" + scheme + "\" version \"" + v.version + "\": ") {}

  [[noreturn]] void fail(ErrorCode code, const std::string& what) const { throw Error(code, where_ + what); }

  void range(const std::string& field, double value, double lo, bool lo_open, double hi, bool hi_open,
             const char* shown) const {
    const bool ok =
        std::isfinite(value) && (lo_open ? value > lo : value >= lo) && (hi_open ? value < hi : value <= hi);
    if (!ok) fail(ErrorCode::invalid_argument, field + " must be " + shown + ", got " + num(value));
  }
  void at_least(const std::string& field, double value, double lo) const {
    if (!std::isfinite(value) || value < lo) {
      fail(ErrorCode::invalid_argument, field + " must be >= " + num(lo) + ", got " + num(value));
    }
  }
  void positive(const std::string& field, double value) const {
    if (!std::isfinite(value) || value <= 0) {
      fail(ErrorCode::invalid_argument, field + " must be > 0, got " + num(value));
    }
  }

  // Names within one rule list must be non-empty and unique, so a worker's
  // role or a case's type resolves to exactly one rule.
  template <class Rule>
  void names(const std::vector<Rule>& rules, const char* kind) const {
    std::unordered_set<std::string_view> seen;
    for (const Rule& r : rules) {
      if (r.name.empty()) fail(ErrorCode::invalid_argument, std::string(kind) + " name must not be empty");
      if (!seen.insert(r.name).second) {
        fail(ErrorCode::duplicate, std::string(kind) + " \"" + r.name + "\" is defined twice");
      }
    }
  }

  void thresholds(const std::string& field, const Thresholds& t) const {
    const std::string pre = field + ": ";
    if (!std::isfinite(t.green_below) || !std::isfinite(t.amber_to) || !std::isfinite(t.excessive_above) ||
        !(0 < t.green_below && t.green_below <= t.amber_to && t.amber_to <= t.excessive_above)) {
      fail(ErrorCode::invalid_argument,
           pre + "thresholds must satisfy 0 < green_below <= amber_to <= excessive_above, got " + num(t.green_below) +
               ", " + num(t.amber_to) + ", " + num(t.excessive_above));
    }
  }

  void service_area(const ServiceAreaRule& sa) const {
    const std::string pre = "service area \"" + sa.name + "\"";
    thresholds(pre, sa.thresholds);
    positive(pre + ": safe_caseload_cases", sa.safe_caseload_cases);
  }

 private:
  std::string where_;
};

void validate_version(const std::string& scheme, SchemeVersion& v, size_t index) {
  if (v.version.empty()) {
    throw Error(ErrorCode::invalid_argument,
                "scheme \"" + scheme + "\" version #" + std::to_string(index) + ": version must not be empty");
  }
  const Validator c(scheme, v);
  if (v.effective_to && *v.effective_to < v.effective_from) {
    c.fail(ErrorCode::invalid_argument,
           "effective_to " + v.effective_to->to_string() + " is before effective_from " + v.effective_from.to_string());
  }
  const std::string points_range = "in [0, " + num(rules::kMaxPoints) + "]";
  c.range("capacity: target_points", v.capacity.target_points, rules::kMinTargetPoints, false, rules::kMaxPoints, false,
          ("in [" + num(rules::kMinTargetPoints) + ", " + num(rules::kMaxPoints) + "]").c_str());
  c.range("capacity: standard_hours", v.capacity.standard_hours, 0, true, 168, false, "in (0, 168]");

  c.names(v.case_types, "case type");
  for (const auto& r : v.case_types)
    c.range("case type \"" + r.name + "\": base_points", r.base_points, 0, false, rules::kMaxPoints, false,
            points_range.c_str());
  c.names(v.factors, "factor");
  for (const auto& r : v.factors) {
    if (r.kind == FactorRule::Kind::add) {
      c.range("factor \"" + r.name + "\": value", r.value, 0, false, rules::kMaxPoints, false, points_range.c_str());
    } else {
      c.range("factor \"" + r.name + "\": value", r.value, 0, true, rules::kMaxMultiplier, false,
              ("in (0, " + num(rules::kMaxMultiplier) + "]").c_str());
    }
  }
  c.names(v.tasks, "task");
  for (const auto& r : v.tasks)
    c.range("task \"" + r.name + "\": points", r.points, 0, false, rules::kMaxPoints, false, points_range.c_str());
  c.names(v.roles, "role");
  for (const auto& r : v.roles) {
    c.range("role \"" + r.name + "\": capacity_cap", r.capacity_cap, 0, true, 1, false, "in (0, 1]");
    if (r.max_cases) c.at_least("role \"" + r.name + "\": max_cases", *r.max_cases, 0);
  }
  c.names(v.service_areas, "service area");
  for (const auto& r : v.service_areas) c.service_area(r);
  if (v.default_service_area.name.empty()) v.default_service_area.name = "default";
  if (v.default_service_area.name != "default") {
    c.fail(ErrorCode::invalid_argument,
           "default_service_area: name must be \"default\", got " + text::quoted(v.default_service_area.name));
  }
  c.service_area(v.default_service_area);
}

}  // namespace

const CaseTypeRule* SchemeVersion::find_case_type(std::string_view name) const noexcept {
  return find_by_name(case_types, name);
}
const FactorRule* SchemeVersion::find_factor(std::string_view name) const noexcept {
  return find_by_name(factors, name);
}
const TaskRule* SchemeVersion::find_task(std::string_view name) const noexcept {
  return find_by_name(tasks, name);
}
const RoleRule* SchemeVersion::find_role(std::string_view name) const noexcept {
  return find_by_name(roles, name);
}
const ServiceAreaRule& SchemeVersion::service_area(std::string_view name) const noexcept {
  const ServiceAreaRule* r = find_by_name(service_areas, name);
  return r ? *r : default_service_area;
}

WeightingScheme::WeightingScheme(std::string name, std::vector<SchemeVersion> versions)
    : name_(std::move(name)), versions_(std::move(versions)) {
  if (versions_.empty()) {
    throw Error(ErrorCode::invalid_argument, "scheme \"" + name_ + "\": at least one version is required");
  }
  {
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < versions_.size(); ++i) {
      validate_version(name_, versions_[i], i);
      if (!seen.insert(versions_[i].version).second) {
        throw Error(ErrorCode::duplicate,
                    "scheme \"" + name_ + "\": version \"" + versions_[i].version + "\" is defined twice");
      }
    }
  }
  // Stable so that two versions starting the same day are reported in the
  // order given.
  std::stable_sort(versions_.begin(), versions_.end(),
                   [](const SchemeVersion& a, const SchemeVersion& b) { return a.effective_from < b.effective_from; });
  for (size_t i = 1; i < versions_.size(); ++i) {
    const SchemeVersion& prev = versions_[i - 1];
    const SchemeVersion& next = versions_[i];
    if (!prev.effective_to || *prev.effective_to >= next.effective_from) {
      throw Error(ErrorCode::invalid_argument,
                  "scheme \"" + name_ + "\": version \"" + prev.version + "\" (" + prev.effective_from.to_string() +
                      " to " + (prev.effective_to ? prev.effective_to->to_string() : std::string("open")) +
                      ") overlaps version \"" + next.version + "\" (from " + next.effective_from.to_string() + ")");
    }
  }
}

const SchemeVersion& WeightingScheme::at(Date date) const {
  // Versions are sorted and disjoint: the only candidate is the last one
  // starting on or before `date`.
  auto it = std::upper_bound(versions_.begin(), versions_.end(), date,
                             [](Date d, const SchemeVersion& v) { return d < v.effective_from; });
  if (it != versions_.begin()) {
    const SchemeVersion& v = *std::prev(it);
    if (!v.effective_to || date <= *v.effective_to) return v;
  }
  throw Error(ErrorCode::not_found, "scheme \"" + name_ + "\": no version in force on " + date.to_string());
}

}  // namespace caseload
