#include "model/model_json.hpp"

#include <cmath>
#include <utility>

#include "caseload/version.hpp"

namespace caseload::serialize {

namespace {

template <class T>
json::Value array_of(const std::vector<T>& items) {
  json::Array a;
  a.reserve(items.size());
  for (const auto& item : items) a.push_back(to_json(item));
  return a;
}

json::Value strings(const std::vector<std::string>& items) {
  json::Array a;
  a.reserve(items.size());
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

json::Value bands(const int64_t counts[4]) {
  return json::Object{{band_name(Band::green), counts[0]},
                      {band_name(Band::amber), counts[1]},
                      {band_name(Band::red), counts[2]},
                      {band_name(Band::excessive), counts[3]}};
}

json::Value band_shares(const double shares[4]) {
  return json::Object{{band_name(Band::green), number(shares[0])},
                      {band_name(Band::amber), number(shares[1])},
                      {band_name(Band::red), number(shares[2])},
                      {band_name(Band::excessive), number(shares[3])}};
}

}  // namespace

json::Value number(double v) {
  return std::isfinite(v) ? json::Value(v) : json::Value(nullptr);
}

json::Value date(Date d) {
  return d.to_string();
}

const char* breakdown_kind_name(BreakdownLine::Kind kind) noexcept {
  switch (kind) {
    case BreakdownLine::Kind::case_base:
      return "case_base";
    case BreakdownLine::Kind::factor_add:
      return "factor_add";
    case BreakdownLine::Kind::factor_multiply:
      return "factor_multiply";
    case BreakdownLine::Kind::task:
      return "task";
    case BreakdownLine::Kind::share:
      return "share";
    case BreakdownLine::Kind::reduction:
      return "reduction";
    case BreakdownLine::Kind::role_cap:
      return "role_cap";
    case BreakdownLine::Kind::capacity:
      return "capacity";
  }
  return "unknown";
}

json::Value to_json(const WorkerLoad& w) {
  return json::Object{{"worker_id", w.worker_id},
                      {"team", w.team},
                      {"service_area", w.service_area},
                      {"role", w.role},
                      {"case_holding", w.case_holding},
                      {"is_asye", w.is_asye},
                      {"fte", number(w.fte)},
                      {"available_hours", number(w.available_hours)},
                      {"cases", number(w.cases)},
                      {"points", number(w.points)},
                      {"capacity", number(w.capacity)},
                      {"utilisation", number(w.utilisation)},
                      {"headroom", number(w.headroom)},
                      {"band", band_name(w.band)},
                      {"over_case_benchmark", w.over_case_benchmark},
                      {"asye_protected", w.asye_protected},
                      {"asye_breaches", strings(w.asye_breaches)}};
}

json::Value to_json(const BreakdownLine& line) {
  return json::Object{{"kind", breakdown_kind_name(line.kind)},
                      {"case_id", line.case_id},
                      {"item", line.item},
                      {"rule", line.rule},
                      {"value", number(line.value)},
                      {"running_total", number(line.running_total)}};
}

json::Value to_json(const WorkerBreakdown& b) {
  return json::Object{{"load", to_json(b.load)}, {"scheme_version", b.scheme_version}, {"lines", array_of(b.lines)}};
}

json::Value to_json(const Distribution& d) {
  return json::Object{{"n", d.n},
                      {"mean", number(d.mean)},
                      {"p10", number(d.p10)},
                      {"p50", number(d.p50)},
                      {"p90", number(d.p90)},
                      {"max", number(d.max)}};
}

json::Value to_json(const Rollup& r) {
  return json::Object{{"level", level_name(r.level)},
                      {"group", r.group},
                      {"workers", r.workers},
                      {"case_holding_workers", r.case_holding_workers},
                      {"case_holding_fte", number(r.case_holding_fte)},
                      {"cases", number(r.cases)},
                      {"points", number(r.points)},
                      {"capacity", number(r.capacity)},
                      {"utilisation", number(r.utilisation)},
                      {"mean_cases_per_fte", number(r.mean_cases_per_fte)},
                      {"median_cases_per_fte", number(r.median_cases_per_fte)},
                      {"utilisation_distribution", to_json(r.utilisation_distribution)},
                      {"cases_distribution", to_json(r.cases_distribution)},
                      {"band_counts", bands(r.band_counts)},
                      {"band_shares", band_shares(r.band_shares)},
                      {"over_case_benchmark", r.over_case_benchmark},
                      {"share_over_case_benchmark", number(r.share_over_case_benchmark)},
                      {"gini_utilisation", number(r.gini_utilisation)},
                      {"jain_index", number(r.jain_index)},
                      {"unallocated_cases", r.unallocated_cases},
                      {"unallocated_points", number(r.unallocated_points)},
                      {"unallocated_mean_age_days", number(r.unallocated_mean_age_days)},
                      {"unallocated_max_age_days", number(r.unallocated_max_age_days)},
                      {"asye_workers", r.asye_workers},
                      {"asye_protected", r.asye_protected},
                      {"asye_compliance", number(r.asye_compliance)},
                      {"non_case_holding_points", number(r.non_case_holding_points)},
                      {"non_case_holding_capacity", number(r.non_case_holding_capacity)}};
}

json::Value to_json(const ExceedanceRule& r) {
  return json::Object{{"threshold", r.threshold ? number(*r.threshold) : json::Value(nullptr)},
                      {"min_consecutive", static_cast<int64_t>(r.min_consecutive)},
                      {"max_gap_days", static_cast<int64_t>(r.max_gap_days)}};
}

json::Value to_json(const ExceedanceEpisode& e) {
  return json::Object{{"worker_id", e.worker_id},
                      {"team", e.team},
                      {"service_area", e.service_area},
                      {"start", date(e.start)},
                      {"end", date(e.end)},
                      {"snapshots", static_cast<int64_t>(e.snapshots)},
                      {"length_days", static_cast<int64_t>(e.length_days)},
                      {"peak", number(e.peak)},
                      {"ongoing", e.ongoing}};
}

json::Value to_json(const ExceedanceSummary& s) {
  return json::Object{{"level", level_name(s.level)},
                      {"group", s.group},
                      {"workers_observed", s.workers_observed},
                      {"workers_with_episode", s.workers_with_episode},
                      {"share_with_episode", number(s.share_with_episode)},
                      {"episodes", s.episodes},
                      {"snapshots_over", s.snapshots_over},
                      {"mean_episode_days", number(s.mean_episode_days)},
                      {"longest_episode_days", static_cast<int64_t>(s.longest_episode_days)},
                      {"peak", number(s.peak)}};
}

json::Value to_json(const ExceedanceHistory& h) {
  return json::Object{{"from", date(h.from)},
                      {"to", date(h.to)},
                      {"rule", to_json(h.rule)},
                      {"episodes", array_of(h.episodes)},
                      {"summaries", array_of(h.summaries)}};
}

json::Value to_json(const ImpactPreview& p) {
  json::Array a;
  a.reserve(p.workers.size());
  for (const auto& w : p.workers) {
    a.emplace_back(json::Object{{"worker_id", w.worker_id},
                                {"before", to_json(w.before)},
                                {"after", to_json(w.after)},
                                {"points_change", number(w.after.points - w.before.points)},
                                {"utilisation_change", number(w.after.utilisation - w.before.utilisation)}});
  }
  return json::Object{{"workers", std::move(a)}};
}

json::Value to_json(const ReportedHours& r) {
  return json::Object{{"respondents", r.respondents},
                      {"mean_reported_hours", number(r.mean_reported_hours)},
                      {"mean_contracted_hours", number(r.mean_contracted_hours)},
                      {"mean_excess_hours", number(r.mean_excess_hours)},
                      {"share_over_contracted", number(r.share_over_contracted)},
                      {"expected_new_cases_respondents", r.expected_new_cases_respondents},
                      {"mean_expected_new_cases", number(r.mean_expected_new_cases)}};
}

json::Value to_json(const HistoryPoint& p) {
  return json::Object{{"date", date(p.date)},
                      {"utilisation", number(p.utilisation)},
                      {"workers_over", p.workers_over},
                      {"workers", p.workers}};
}

json::Value to_json(const HealthCheck& hc) {
  return json::Object{{"organisation", hc.organisation},
                      {"as_of", date(hc.as_of)},
                      {"scheme", json::Object{{"name", hc.scheme_name}, {"version", hc.scheme_version}}},
                      {"library_version", version()},
                      {"thresholds", json::Object{{"green_below", number(hc.thresholds.green_below)},
                                                  {"amber_to", number(hc.thresholds.amber_to)},
                                                  {"excessive_above", number(hc.thresholds.excessive_above)}}},
                      {"organisation_rollup", to_json(hc.organisation_rollup)},
                      {"service_areas", array_of(hc.service_areas)},
                      {"teams", array_of(hc.teams)},
                      {"workers", array_of(hc.workers)},
                      {"exceedance_history", hc.history ? to_json(*hc.history) : json::Value(nullptr)},
                      {"timeline", array_of(hc.timeline)},
                      {"reported_hours", hc.reported_hours ? to_json(*hc.reported_hours) : json::Value(nullptr)}};
}

}  // namespace caseload::serialize
