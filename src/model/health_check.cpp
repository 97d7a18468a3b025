// The published health check: its figures (health_check) and their JSON.
// The long-format CSV is in health_check_csv.cpp, the page in
// health_check_html.cpp.
#include "caseload/health_check.hpp"
#include "model/health_check_options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "base/stats.hpp"
#include "caseload/error.hpp"
#include "model/model_json.hpp"

namespace caseload {

namespace {

double threshold_for(const WeightingScheme& scheme, const SchemeVersion& fallback, const ExceedanceRule& rule,
                     Date date, std::string_view service_area) {
  if (rule.threshold) return *rule.threshold;
  const SchemeVersion* v = &fallback;
  for (const auto& candidate : scheme.versions())
    if (candidate.effective_from <= date && (!candidate.effective_to || date <= *candidate.effective_to))
      v = &candidate;
  return v->service_area(service_area).thresholds.excessive_above;
}

}  // namespace

HealthCheck health_check(const Caseload& model, const std::vector<Snapshot>* snapshots,
                         const HealthCheckOptions& options) {
  options::validate(options, model_detail::health_check_option_records(), "health check options");

  HealthCheck hc;
  hc.organisation = options.organisation;
  hc.as_of = model.as_of();
  hc.scheme_name = model.scheme().name();
  hc.scheme_version = model.scheme_version().version;
  hc.thresholds = model.scheme_version().default_service_area.thresholds;
  hc.organisation_rollup = model.rollup(Level::organisation).at(0);
  hc.service_areas = model.rollup(Level::service_area);
  hc.teams = model.rollup(Level::team);
  hc.workers = model.worker_loads();

  if (snapshots != nullptr) {
    const Date from{hc.as_of.days - options.history_days};
    // Rows of today's non-case-holding workers (a manager's snapshot() row)
    // are left out, as the roll-ups leave them out: their capacity would
    // dilute utilisation and they would count as observed in the exceedance
    // summaries. Workers no longer in the model are kept.
    std::set<std::string, std::less<>> not_case_holding;
    for (const auto& l : model.worker_loads())
      if (!l.case_holding) not_case_holding.insert(l.worker_id);
    auto held_by_manager = [&](const Snapshot& s) {
      return !not_case_holding.empty() && not_case_holding.count(s.worker_id) > 0;
    };
    const std::vector<Snapshot>* case_holders = snapshots;
    std::vector<Snapshot> kept;  // copied only when some row is left out
    if (std::any_of(snapshots->begin(), snapshots->end(), held_by_manager)) {
      kept.reserve(snapshots->size());
      std::copy_if(snapshots->begin(), snapshots->end(), std::back_inserter(kept),
                   [&](const Snapshot& s) { return !held_by_manager(s); });
      case_holders = &kept;
    }
    hc.history = exceedance_history(model.scheme(), model.workers(), *case_holders, options.exceedance, from, hc.as_of);

    // Service area of workers, for snapshots that do not carry one.
    std::map<std::string, std::string, std::less<>> area_of;
    for (const auto& w : model.workers()) area_of.emplace(w.id, w.service_area);
    struct Acc {
      double points = 0, capacity = 0, utilisation = 0;
      int64_t n = 0, over = 0;
      bool all_have_points = true;
    };
    std::map<int32_t, Acc> by_date;  // ordered: the timeline is chronological
    for (const auto& s : *case_holders) {
      if (s.date < from || hc.as_of < s.date) continue;
      Acc& acc = by_date[s.date.days];
      std::string_view area = s.service_area;
      if (area.empty()) {
        const auto it = area_of.find(s.worker_id);
        if (it != area_of.end()) area = it->second;
      }
      ++acc.n;
      acc.utilisation += s.utilisation;
      if (s.utilisation > threshold_for(model.scheme(), model.scheme_version(), options.exceedance, s.date, area))
        ++acc.over;
      if (s.points && s.capacity) {
        acc.points += *s.points;
        acc.capacity += *s.capacity;
      } else {
        acc.all_have_points = false;
      }
    }
    for (const auto& [day, acc] : by_date) {
      HistoryPoint p;
      p.date = Date{day};
      p.workers = acc.n;
      p.workers_over = acc.over;
      // Like the roll-ups, a ratio of sums when the columns exist; the mean
      // of percentages only as a fallback.
      p.utilisation = acc.all_have_points && acc.capacity > 0 ? acc.points / acc.capacity
                                                              : acc.utilisation / static_cast<double>(acc.n);
      hc.timeline.push_back(p);
    }
  }

  ReportedHours rh;
  double reported = 0, contracted = 0, expected = 0;
  int64_t over = 0;
  for (const auto& w : model.workers()) {
    if (w.reported_weekly_hours) {
      ++rh.respondents;
      reported += *w.reported_weekly_hours;
      contracted += w.contracted_hours;
      if (*w.reported_weekly_hours > w.contracted_hours + options.overtime_tolerance_hours) ++over;
    }
    if (w.expected_new_cases) {
      ++rh.expected_new_cases_respondents;
      expected += *w.expected_new_cases;
    }
  }
  if (rh.respondents > 0 || rh.expected_new_cases_respondents > 0) {
    if (rh.respondents > 0) {
      const auto n = static_cast<double>(rh.respondents);
      rh.mean_reported_hours = reported / n;
      rh.mean_contracted_hours = contracted / n;
      rh.mean_excess_hours = (reported - contracted) / n;
      rh.share_over_contracted = static_cast<double>(over) / n;
    }
    if (rh.expected_new_cases_respondents > 0)
      rh.mean_expected_new_cases = expected / static_cast<double>(rh.expected_new_cases_respondents);
    hc.reported_hours = rh;
  }
  return hc;
}

std::string health_check_to_json(const HealthCheck& hc) {
  return json::dump(serialize::to_json(hc), 2) + "\n";
}

}  // namespace caseload
