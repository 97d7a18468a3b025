// The health check the employer standards ask employers to publish:
// average caseloads, distribution, share over benchmark, ASYE protection,
// unallocated work, exceedance history and reported hours.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caseload/export.hpp"
#include "caseload/model.hpp"

namespace caseload {

struct HealthCheckOptions {
  std::string organisation = "Organisation";  ///< name printed on the report
  ExceedanceRule exceedance;                  ///< persistence rule
  int32_t history_days = 365;                 ///< exceedance window ending at as_of
  /// Reported hours above contracted hours by more than this many hours per
  /// week count as "working over contracted hours".
  double overtime_tolerance_hours = 2.0;
};

/// Practitioners' reported weekly hours against contracted hours (only
/// workers who reported).
struct ReportedHours {
  int64_t respondents = 0;
  double mean_reported_hours = 0;
  double mean_contracted_hours = 0;
  double mean_excess_hours = 0;        ///< reported - contracted
  double share_over_contracted = 0;    ///< beyond overtime_tolerance_hours
  double mean_expected_new_cases = 0;  ///< next month, among those who said
  int64_t expected_new_cases_respondents = 0;
};

/// A weekly point of the organisation's history, for the timeline chart.
struct HistoryPoint {
  Date date;
  double utilisation = 0;    ///< sum(points)/sum(capacity) when given, else mean
  int64_t workers_over = 0;  ///< above the excessive threshold
  int64_t workers = 0;
};

struct HealthCheck {
  std::string organisation;
  Date as_of;
  std::string scheme_name, scheme_version;
  /// Bands of the scheme's default service area on as_of, for the charts'
  /// shading (workers are banded by their own service area's thresholds).
  Thresholds thresholds;
  Rollup organisation_rollup;
  std::vector<Rollup> service_areas;
  std::vector<Rollup> teams;
  std::vector<WorkerLoad> workers;              ///< for the per-worker chart
  std::optional<ExceedanceHistory> history;     ///< when snapshots were supplied
  std::vector<HistoryPoint> timeline;           ///< when snapshots were supplied
  std::optional<ReportedHours> reported_hours;  ///< when any worker reported hours
  /// Extra HTML sections appended to the page's main content, e.g. the
  /// capacity forecast from projection_section_html() (projection.hpp).
  /// Not part of the JSON or CSV. Empty = none.
  std::string extra_sections_html;
};

/// Builds the health check of a model, with exceedance history when
/// snapshots are given.
CASELOAD_API HealthCheck health_check(const Caseload& model, const std::vector<Snapshot>* snapshots = nullptr,
                                      const HealthCheckOptions& options = {});

/// JSON document (format in docs/health_check.md); stable key order.
CASELOAD_API std::string health_check_to_json(const HealthCheck& hc);
/// Long-format CSV: level,group,metric,value (one figure per line).
CASELOAD_API std::string health_check_to_csv(const HealthCheck& hc);
/// A self-contained HTML page (inline CSS and SVG charts, no scripts from
/// elsewhere) that a manager can open in a browser.
CASELOAD_API std::string health_check_to_html(const HealthCheck& hc);

}  // namespace caseload
