// The health check as long-format CSV: one row per (level, group, metric,
// value), so any spreadsheet or dataframe can pivot it.
#include <cmath>
#include <string>
#include <string_view>
#include <utility>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/health_check.hpp"
#include "caseload/version.hpp"

namespace caseload {

namespace {

// A report for spreadsheets: every cell through the formula-safe writer.
using text::report_csv_field;

// Shortest round-trip text; empty for a missing (non-finite) figure.
std::string csv_number(double v) {
  return std::isfinite(v) ? detail::num(v) : std::string();
}

class CsvWriter {
 public:
  CsvWriter() { out_ = "level,group,metric,value\r\n"; }
  void text(std::string_view level, std::string_view group, std::string_view metric, std::string_view value) {
    out_ += report_csv_field(level);
    out_ += ',';
    out_ += report_csv_field(group);
    out_ += ',';
    out_ += report_csv_field(metric);
    out_ += ',';
    out_ += report_csv_field(value);
    out_ += "\r\n";
  }
  void number(std::string_view level, std::string_view group, std::string_view metric, double value) {
    text(level, group, metric, csv_number(value));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

void distribution_rows(CsvWriter& w, std::string_view level, std::string_view group, std::string_view name,
                       const Distribution& d) {
  const std::string p(name);
  w.number(level, group, p + "_p10", d.p10);
  w.number(level, group, p + "_p50", d.p50);
  w.number(level, group, p + "_p90", d.p90);
  w.number(level, group, p + "_max", d.max);
  w.number(level, group, p + "_mean", d.mean);
}

void rollup_rows(CsvWriter& w, const Rollup& r) {
  const char* level = level_name(r.level);
  const std::string& g = r.group;
  w.number(level, g, "workers", static_cast<double>(r.workers));
  w.number(level, g, "case_holding_workers", static_cast<double>(r.case_holding_workers));
  w.number(level, g, "case_holding_fte", r.case_holding_fte);
  w.number(level, g, "cases", r.cases);
  w.number(level, g, "points", r.points);
  w.number(level, g, "capacity", r.capacity);
  w.number(level, g, "utilisation", r.utilisation);
  w.number(level, g, "mean_cases_per_fte", r.mean_cases_per_fte);
  w.number(level, g, "median_cases_per_fte", r.median_cases_per_fte);
  distribution_rows(w, level, g, "utilisation", r.utilisation_distribution);
  distribution_rows(w, level, g, "cases", r.cases_distribution);
  for (int b = 0; b < 4; ++b) {
    const std::string name = band_name(static_cast<Band>(b));
    w.number(level, g, "band_" + name + "_workers", static_cast<double>(r.band_counts[b]));
    w.number(level, g, "band_" + name + "_share", r.band_shares[b]);
  }
  w.number(level, g, "over_case_benchmark", static_cast<double>(r.over_case_benchmark));
  w.number(level, g, "share_over_case_benchmark", r.share_over_case_benchmark);
  w.number(level, g, "gini_utilisation", r.gini_utilisation);
  w.number(level, g, "jain_index", r.jain_index);
  w.number(level, g, "unallocated_cases", static_cast<double>(r.unallocated_cases));
  w.number(level, g, "unallocated_points", r.unallocated_points);
  w.number(level, g, "unallocated_mean_age_days", r.unallocated_mean_age_days);
  w.number(level, g, "unallocated_max_age_days", r.unallocated_max_age_days);
  w.number(level, g, "asye_workers", static_cast<double>(r.asye_workers));
  w.number(level, g, "asye_protected", static_cast<double>(r.asye_protected));
  w.number(level, g, "asye_compliance", r.asye_compliance);
  w.number(level, g, "non_case_holding_points", r.non_case_holding_points);
  w.number(level, g, "non_case_holding_capacity", r.non_case_holding_capacity);
}

}  // namespace

std::string health_check_to_csv(const HealthCheck& hc) {
  CsvWriter w;
  w.text("meta", "organisation", "organisation", hc.organisation);
  w.text("meta", "organisation", "as_of", hc.as_of.to_string());
  w.text("meta", "organisation", "scheme_name", hc.scheme_name);
  w.text("meta", "organisation", "scheme_version", hc.scheme_version);
  w.text("meta", "organisation", "library_version", version());
  rollup_rows(w, hc.organisation_rollup);
  for (const auto& r : hc.service_areas) rollup_rows(w, r);
  for (const auto& r : hc.teams) rollup_rows(w, r);
  if (hc.history) {
    for (const auto& s : hc.history->summaries) {
      const char* level = level_name(s.level);
      w.number(level, s.group, "exceedance_workers_observed", static_cast<double>(s.workers_observed));
      w.number(level, s.group, "exceedance_workers_with_episode", static_cast<double>(s.workers_with_episode));
      w.number(level, s.group, "exceedance_share_with_episode", s.share_with_episode);
      w.number(level, s.group, "exceedance_episodes", static_cast<double>(s.episodes));
      w.number(level, s.group, "exceedance_snapshots_over", static_cast<double>(s.snapshots_over));
      w.number(level, s.group, "exceedance_mean_episode_days", s.mean_episode_days);
      w.number(level, s.group, "exceedance_longest_episode_days", s.longest_episode_days);
      w.number(level, s.group, "exceedance_peak", s.peak);
    }
  }
  if (hc.reported_hours) {
    const ReportedHours& r = *hc.reported_hours;
    w.number("organisation", "organisation", "reported_hours_respondents", static_cast<double>(r.respondents));
    w.number("organisation", "organisation", "mean_reported_hours", r.mean_reported_hours);
    w.number("organisation", "organisation", "mean_contracted_hours", r.mean_contracted_hours);
    w.number("organisation", "organisation", "mean_excess_hours", r.mean_excess_hours);
    w.number("organisation", "organisation", "share_over_contracted", r.share_over_contracted);
    w.number("organisation", "organisation", "expected_new_cases_respondents",
             static_cast<double>(r.expected_new_cases_respondents));
    w.number("organisation", "organisation", "mean_expected_new_cases", r.mean_expected_new_cases);
  }
  for (const auto& p : hc.timeline) {
    const std::string d = p.date.to_string();
    w.number("date", d, "utilisation", p.utilisation);
    w.number("date", d, "workers_over", static_cast<double>(p.workers_over));
    w.number("date", d, "workers", static_cast<double>(p.workers));
  }
  for (const auto& l : hc.workers) {
    w.number("worker", l.worker_id, "cases", l.cases);
    w.number("worker", l.worker_id, "points", l.points);
    w.number("worker", l.worker_id, "capacity", l.capacity);
    w.number("worker", l.worker_id, "utilisation", l.utilisation);
  }
  return w.take();
}

}  // namespace caseload
