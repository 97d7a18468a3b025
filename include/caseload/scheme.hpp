// The weighting scheme: how many points a case, a complexity factor and a task
// are worth, how much capacity a worker has, and where the safe bands lie.
// Nothing about case types or factors is hard-coded in caseload: all of it
// comes from a scheme, loaded from JSON and validated.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/date.hpp"
#include "caseload/export.hpp"

namespace caseload {

/// Points for one case type (e.g. "child_protection" = 8 points).
struct CaseTypeRule {
  std::string name;
  double base_points = 0;         ///< points, >= 0
  bool asye_cowork_only = false;  ///< an ASYE may hold it only jointly with an experienced worker
  std::string source;             ///< where the number comes from (citation)
};

/// A complexity factor (e.g. "court_proceedings"): either adds points or
/// multiplies the case's points. A case's points are
/// (base + sum of additive factors) * product of multiplicative factors.
struct FactorRule {
  enum class Kind { add, multiply };
  std::string name;
  Kind kind = Kind::add;
  double value = 0;  ///< points (add, >= 0) or multiplier (multiply, > 0)
  std::string source;
};

/// Points for a task (e.g. "court_report" = 4 points) while it is open:
/// from its creation until its due date (or until done).
struct TaskRule {
  std::string name;
  double points = 0;  ///< points, >= 0
  std::string source;
};

/// A role: its share of full capacity (ASYE 0.9 by default) and whether it
/// holds cases. Roles are free text in worker records and must match a rule.
struct RoleRule {
  std::string name;
  double capacity_cap = 1.0;        ///< fraction of capacity in (0, 1]
  bool case_holding = true;         ///< false for e.g. team managers: excluded from caseload averages
  bool is_asye = false;             ///< newly qualified: protected caseload rules apply
  std::optional<double> max_cases;  ///< protected case-count cap (ASYE), cases
  std::string source;
};

/// Utilisation bands, as fractions of capacity (0.85 = 85%).
/// green: u < green_below; amber: green_below <= u <= amber_to;
/// red: amber_to < u <= excessive_above; excessive: u > excessive_above.
struct Thresholds {
  double green_below = 0.85;
  double amber_to = 1.00;
  double excessive_above = 1.10;
};

/// Safe levels for one service area (e.g. "children_in_need").
struct ServiceAreaRule {
  std::string name;
  Thresholds thresholds;
  double safe_caseload_cases = 16;  ///< safe benchmark in cases per case-holding FTE
  std::string source;
};

/// How capacity is computed. Both kinds start from the worker's available
/// hours, h = contracted_hours - reduction_hours (never below 0):
///  - hours:        capacity = target_points * h / standard_hours
///  - points_per_fte: capacity = target_points * fte * (1 - reduction_fraction)
///    where fte = contracted_hours / standard_hours; identical to `hours`
///    except that rounding is applied per FTE.
/// Then capacity *= the role's capacity_cap, and is floored when `round_down`.
struct CapacityPolicy {
  enum class Kind { hours, points_per_fte };
  Kind kind = Kind::hours;
  double target_points = 100;  ///< points a full-time, fully available worker may carry
  double standard_hours = 37;  ///< hours per week of one FTE
  bool round_down = false;     ///< floor capacity to whole points (as HMPPS does)
  std::string source;
};

/// One version of a scheme, in force from effective_from (inclusive) to
/// effective_to (inclusive; absent = open-ended).
struct CASELOAD_API SchemeVersion {
  std::string version;  ///< e.g. "2024.1"
  Date effective_from;
  std::optional<Date> effective_to;
  CapacityPolicy capacity;
  std::vector<CaseTypeRule> case_types;
  std::vector<FactorRule> factors;
  std::vector<TaskRule> tasks;
  std::vector<RoleRule> roles;
  std::vector<ServiceAreaRule> service_areas;
  /// Used for a service area with no rule of its own. Its name is "default".
  ServiceAreaRule default_service_area;

  [[nodiscard]] const CaseTypeRule* find_case_type(std::string_view name) const noexcept;
  [[nodiscard]] const FactorRule* find_factor(std::string_view name) const noexcept;
  [[nodiscard]] const TaskRule* find_task(std::string_view name) const noexcept;
  [[nodiscard]] const RoleRule* find_role(std::string_view name) const noexcept;
  /// The rule for `name`, or default_service_area when none matches.
  [[nodiscard]] const ServiceAreaRule& service_area(std::string_view name) const noexcept;
};

/// A versioned weighting scheme. Immutable once built; safe to share between
/// threads.
class CASELOAD_API WeightingScheme {
 public:
  /// Validates and builds a scheme. Versions must not overlap and every
  /// number must be in range; throws Error naming the version, rule and field.
  WeightingScheme(std::string name, std::vector<SchemeVersion> versions);

  /// The documented default scheme shipped with caseload (see
  /// docs/default_scheme.md): every number cites its source.
  static WeightingScheme default_scheme();
  /// Parses a scheme from JSON text (format in docs/scheme_format.md).
  static WeightingScheme from_json(std::string_view json);
  /// JSON text that from_json() turns back into an identical scheme.
  [[nodiscard]] std::string to_json() const;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::vector<SchemeVersion>& versions() const noexcept { return versions_; }
  /// The version in force on `date`; throws Error(not_found) when none is.
  [[nodiscard]] const SchemeVersion& at(Date date) const;

 private:
  std::string name_;
  std::vector<SchemeVersion> versions_;  // sorted by effective_from
};

}  // namespace caseload
