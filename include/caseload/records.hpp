// The records a case-management system holds: workers and cases.
// Plain value types; validation happens when they are handed to a Caseload.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caseload/date.hpp"

namespace caseload {

/// Protected time that reduces a worker's capacity: ASYE development time,
/// supervision, training/CPD, union duties, phased return, long-term
/// sickness (100%). Exactly one of `percent` and `hours` is set. A reduction
/// applies on dates in [start, end] (inclusive; absent = open-ended).
struct Reduction {
  std::string reason;
  std::optional<double> percent;  ///< of contracted hours, in (0, 100]
  std::optional<double> hours;    ///< hours per week, > 0 and <= contracted hours
  std::optional<Date> start;
  std::optional<Date> end;

  [[nodiscard]] bool active_on(Date d) const noexcept { return (!start || *start <= d) && (!end || d <= *end); }
};

/// A social worker (or other practitioner) who may hold cases.
struct Worker {
  std::string id;                ///< unique, non-empty
  std::string team;              ///< non-empty
  std::string service_area;      ///< matched against the scheme's service areas
  std::string role;              ///< must name a role in the scheme (e.g. "asye")
  double contracted_hours = 37;  ///< hours per week, in (0, 60]
  std::string experience_level;  ///< free text, e.g. "experienced"; used by allocation rules
  double experience_years = 0;   ///< >= 0
  std::vector<std::string> skills;
  std::optional<Date> start_date;
  bool agency = false;  ///< agency (locum) worker
  std::vector<Reduction> reductions;
  /// From the health-check survey, when supplied: typical weekly hours
  /// actually worked, and new cases the worker expects next month.
  std::optional<double> reported_weekly_hours;
  std::optional<double> expected_new_cases;
};

/// One worker's part of a case. Shares of a co-worked case sum to 1.
struct Allocation {
  std::string worker_id;
  double share = 1.0;  ///< in (0, 1]
};

/// A task on a case (court report, assessment). Its points come from the
/// scheme's task rule, or from `points` when given. It counts while open:
/// from created (or always, when absent) to due (inclusive; absent = open)
/// unless completed.
struct Task {
  std::string type;              ///< must name a task rule unless points is given
  std::optional<double> points;  ///< override, points >= 0
  std::optional<Date> created;
  std::optional<Date> due;
  bool completed = false;
};

/// A case: a child or adult (or a family group) held by zero, one or two
/// workers.
struct Case {
  std::string id;                    ///< unique, non-empty
  std::string family_id;             ///< siblings share a family id; may be empty
  std::string case_type;             ///< must name a case type in the scheme
  std::vector<std::string> factors;  ///< each must name a factor in the scheme
  Date opened;
  /// Team responsible while unallocated (defaults to the first allocated
  /// worker's team when empty).
  std::string team;
  /// Empty = unallocated (the team manager's responsibility).
  /// Two entries = co-worked; shares must sum to 1 (within 1e-9).
  std::vector<Allocation> allocations;
  std::vector<Task> tasks;
};

/// One worker's figures on one date, as recorded weekly by a
/// case-management system. The input to exceedance history.
struct Snapshot {
  Date date;
  std::string worker_id;
  double utilisation = 0;       ///< points / capacity (1.0 = 100%), >= 0
  std::optional<double> cases;  ///< case count that day
  std::optional<double> points;
  std::optional<double> capacity;
  /// Roll-up keys; filled from the current worker record when empty.
  std::string team;
  std::string service_area;
};

}  // namespace caseload
