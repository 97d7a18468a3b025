// The published health check: figures (health_check), and three renderings
// of them: JSON, long-format CSV and one self-contained HTML page.
#include "caseload/health_check.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/version.hpp"
#include "base/json.hpp"
#include "model/model_json.hpp"
#include "base/stats.hpp"
#include "base/text.hpp"

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
  if (options.history_days < 0)
    throw Error(ErrorCode::invalid_argument,
                "health check options: history_days must be >= 0, got " + std::to_string(options.history_days));
  if (!(options.overtime_tolerance_hours >= 0) || !std::isfinite(options.overtime_tolerance_hours))
    throw Error(ErrorCode::invalid_argument, "health check options: overtime_tolerance_hours must be >= 0, got " +
                                                 detail::num(options.overtime_tolerance_hours));

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

// ------------------------------------------------------------------ CSV

namespace {

using text::csv_field;

// Shortest round-trip text; empty for a missing (non-finite) figure.
std::string csv_number(double v) {
  return std::isfinite(v) ? detail::num(v) : std::string();
}

class CsvWriter {
 public:
  CsvWriter() { out_ = "level,group,metric,value\r\n"; }
  void text(std::string_view level, std::string_view group, std::string_view metric, std::string_view value) {
    out_ += csv_field(level);
    out_ += ',';
    out_ += csv_field(group);
    out_ += ',';
    out_ += csv_field(metric);
    out_ += ',';
    out_ += csv_field(value);
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

// ------------------------------------------------------------------ HTML

namespace {

using text::html_escape;
std::string esc(std::string_view s) {
  return html_escape(s);
}

using text::fixed;
std::string pct(double v, int decimals = 0) {
  return std::isfinite(v) ? fixed(v * 100, decimals) + "%" : "∞";
}
std::string coord(double v) {
  return fixed(v, 1);
}
std::string integer(double v) {
  return fixed(v, 0);
}

const char* band_colour(Band b) {
  switch (b) {
    case Band::green:
      return "#2e7d32";
    case Band::amber:
      return "#b45f06";
    case Band::red:
      return "#c62828";
    case Band::excessive:
      return "#6a1b4d";
  }
  return "#555";
}
constexpr const char* kBandFill[] = {"#e6f2e7", "#fdf1dc", "#fbe1e1", "#f3dbe6"};

Band band_of(const Thresholds& t, double u) {
  if (u > t.excessive_above) return Band::excessive;
  if (u > t.amber_to) return Band::red;
  if (u >= t.green_below) return Band::amber;
  return Band::green;
}

// A linear scale from data to pixels.
struct Scale {
  double d0, d1, p0, p1;
  [[nodiscard]] double operator()(double v) const {
    if (d1 == d0) return p0;
    return p0 + (std::clamp(v, std::min(d0, d1), std::max(d0, d1)) - d0) / (d1 - d0) * (p1 - p0);
  }
};

double nice_ceiling(double v, double step) {
  return std::ceil(v / step - 1e-9) * step;
}

// Largest finite utilisation, for the axis.
double axis_max(const std::vector<double>& values, double at_least) {
  double m = at_least;
  for (const double v : values)
    if (std::isfinite(v)) m = std::max(m, v);
  return std::min(nice_ceiling(m, 0.25), 3.0);  // beyond 300% bars are clipped and marked
}

class Html {
 public:
  Html& operator<<(std::string_view s) {
    out_ += s;
    return *this;
  }
  Html& operator<<(char c) {
    out_ += c;
    return *this;
  }
  template <class T>
  requires std::is_integral_v<T> Html& operator<<(T v) {
    out_ += std::to_string(v);
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Shaded safe bands across a vertical (horizontal = false) or horizontal
// utilisation axis.
void band_backdrop(Html& h, const Thresholds& t, const Scale& s, bool horizontal, double a0, double a1) {
  const double edges[] = {0, t.green_below, t.amber_to, t.excessive_above, std::max(s.d0, s.d1)};
  for (int b = 0; b < 4; ++b) {
    const double lo = edges[b], hi = std::max(edges[b], edges[b + 1]);
    if (lo >= std::max(s.d0, s.d1)) break;
    const double p_lo = s(lo), p_hi = s(hi);
    if (horizontal) {
      h << "<rect x=\"" << coord(std::min(p_lo, p_hi)) << "\" y=\"" << coord(a0) << "\" width=\""
        << coord(std::abs(p_hi - p_lo)) << "\" height=\"" << coord(a1 - a0) << "\" fill=\"" << kBandFill[b] << "\"/>\n";
    } else {
      h << "<rect x=\"" << coord(a0) << "\" y=\"" << coord(std::min(p_lo, p_hi)) << "\" width=\"" << coord(a1 - a0)
        << "\" height=\"" << coord(std::abs(p_hi - p_lo)) << "\" fill=\"" << kBandFill[b] << "\"/>\n";
    }
  }
}

void legend(Html& h, const Thresholds& t) {
  h << "<ul class=\"legend\">";
  const std::string labels[] = {
      "green: below " + pct(t.green_below), "amber: " + pct(t.green_below) + "–" + pct(t.amber_to),
      "red: " + pct(t.amber_to) + "–" + pct(t.excessive_above), "excessive: over " + pct(t.excessive_above)};
  for (int b = 0; b < 4; ++b) {
    h << "<li><span class=\"swatch\" style=\"background:" << band_colour(static_cast<Band>(b)) << "\"></span>"
      << esc(labels[b]) << "</li>";
  }
  h << "</ul>\n";
}

// CHART 1: utilisation of every case-holding worker, highest first.
void chart_workers(Html& h, const HealthCheck& hc) {
  std::vector<const WorkerLoad*> rows;
  for (const auto& w : hc.workers)
    if (w.case_holding) rows.push_back(&w);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const WorkerLoad* a, const WorkerLoad* b) { return a->utilisation > b->utilisation; });
  // Very large organisations: one bar per quantile keeps the page small.
  constexpr size_t kMaxBars = 1500;
  std::vector<const WorkerLoad*> bars;
  if (rows.size() <= kMaxBars) {
    bars = rows;
  } else {
    for (size_t i = 0; i < kMaxBars; ++i) bars.push_back(rows[i * rows.size() / kMaxBars]);
  }
  std::vector<double> values;
  for (const auto* w : bars) values.push_back(w->utilisation);
  const double top = axis_max(values, hc.thresholds.excessive_above + 0.2);
  const double W = 960, H = 340, L = 56, R = 16, T = 16, B = 48;
  const Scale y{0, top, H - B, T};
  h << "<figure>\n<svg class=\"chart\" viewBox=\"0 0 " << integer(W) << ' ' << integer(H)
    << "\" role=\"img\" aria-labelledby=\"c1t\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    << "<title id=\"c1t\">Utilisation per case-holding worker, highest first, over the safe bands</title>\n";
  band_backdrop(h, hc.thresholds, y, false, L, W - R);
  for (double tick = 0; tick <= top + 1e-9; tick += 0.25) {
    h << "<line x1=\"" << coord(L) << "\" x2=\"" << coord(W - R) << "\" y1=\"" << coord(y(tick)) << "\" y2=\""
      << coord(y(tick)) << "\" class=\"grid\"/>\n<text x=\"" << coord(L - 6) << "\" y=\"" << coord(y(tick) + 4)
      << "\" class=\"tick\" text-anchor=\"end\">" << pct(tick) << "</text>\n";
  }
  const double slot = bars.empty() ? 0 : (W - L - R) / static_cast<double>(bars.size());
  for (size_t i = 0; i < bars.size(); ++i) {
    const WorkerLoad& w = *bars[i];
    const double u = std::isfinite(w.utilisation) ? w.utilisation : top;
    const double x = L + slot * static_cast<double>(i);
    h << "<rect x=\"" << fixed(x + slot * 0.1, 2) << "\" y=\"" << coord(y(u)) << "\" width=\""
      << fixed(std::max(slot * 0.8, 0.3), 2) << "\" height=\"" << coord(y(0) - y(u)) << "\" fill=\""
      << band_colour(w.band) << "\"><title>" << esc(w.worker_id) << " (" << esc(w.team) << "): " << pct(w.utilisation)
      << ", " << fixed(w.cases, 0) << " cases</title></rect>\n";
    if (!std::isfinite(w.utilisation) || w.utilisation > top)
      h << "<text x=\"" << fixed(x + slot / 2, 2) << "\" y=\"" << coord(T - 2)
        << "\" class=\"tick\" text-anchor=\"middle\">▲</text>\n";
  }
  h << "<line x1=\"" << coord(L) << "\" x2=\"" << coord(W - R) << "\" y1=\"" << coord(y(0)) << "\" y2=\"" << coord(y(0))
    << "\" class=\"axis\"/>\n"
    << "<text x=\"" << coord((L + W - R) / 2) << "\" y=\"" << coord(H - 14)
    << "\" class=\"label\" text-anchor=\"middle\">" << bars.size()
    << (rows.size() > kMaxBars ? " quantiles of " + std::to_string(rows.size()) + " workers" : " workers")
    << ", sorted by utilisation</text>\n"
    << "<text transform=\"translate(14 " << coord((T + H - B) / 2)
    << ") rotate(-90)\" class=\"label\" text-anchor=\"middle\">Utilisation (points / capacity)</text>\n"
    << "</svg>\n<figcaption>Chart 1. Load per worker. Bars are coloured by each worker's band (their service "
       "area's thresholds); the shading shows the default bands. ▲ marks a bar beyond the axis.</figcaption>\n";
  legend(h, hc.thresholds);
  h << "</figure>\n";
}

// CHART 2: per team, a box (quartiles), whiskers (p10-p90), the median and
// every worker as a dot.
void chart_teams(Html& h, const HealthCheck& hc) {
  std::map<std::string, std::vector<double>> by_team;  // sorted by team name
  std::vector<double> all;
  for (const auto& w : hc.workers) {
    if (!w.case_holding) continue;
    by_team[w.team].push_back(w.utilisation);
    all.push_back(w.utilisation);
  }
  const double top = axis_max(all, hc.thresholds.excessive_above + 0.2);
  const double row = 26, L = 190, R = 20, T = 12, B = 44, W = 960;
  const double H = T + B + row * static_cast<double>(std::max<size_t>(by_team.size(), 1));
  const Scale x{0, top, L, W - R};
  h << "<figure>\n<svg class=\"chart\" viewBox=\"0 0 " << integer(W) << ' ' << integer(H)
    << "\" role=\"img\" aria-labelledby=\"c2t\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    << "<title id=\"c2t\">Distribution of utilisation within each team</title>\n";
  band_backdrop(h, hc.thresholds, x, true, T, H - B);
  for (double tick = 0; tick <= top + 1e-9; tick += 0.25) {
    h << "<line x1=\"" << coord(x(tick)) << "\" x2=\"" << coord(x(tick)) << "\" y1=\"" << coord(T) << "\" y2=\""
      << coord(H - B) << "\" class=\"grid\"/>\n<text x=\"" << coord(x(tick)) << "\" y=\"" << coord(H - B + 16)
      << "\" class=\"tick\" text-anchor=\"middle\">" << pct(tick) << "</text>\n";
  }
  size_t r = 0;
  for (auto& [team, values] : by_team) {
    const double cy = T + row * (static_cast<double>(r++) + 0.5);
    std::sort(values.begin(), values.end());
    const double p10 = detail::nearest_rank(values, 10), q1 = detail::nearest_rank(values, 25),
                 med = detail::nearest_rank(values, 50), q3 = detail::nearest_rank(values, 75),
                 p90 = detail::nearest_rank(values, 90);
    h << "<text x=\"" << coord(L - 8) << "\" y=\"" << coord(cy + 4) << "\" class=\"tick\" text-anchor=\"end\">"
      << esc(team) << "</text>\n<line x1=\"" << coord(x(p10)) << "\" x2=\"" << coord(x(p90)) << "\" y1=\"" << coord(cy)
      << "\" y2=\"" << coord(cy) << "\" class=\"whisker\"/>\n<rect x=\"" << coord(x(q1)) << "\" y=\"" << coord(cy - 7)
      << "\" width=\"" << coord(std::max(x(q3) - x(q1), 1.0)) << "\" height=\"14\" class=\"box\"><title>" << esc(team)
      << ": median " << pct(med) << ", quartiles " << pct(q1) << "–" << pct(q3) << ", p10–p90 " << pct(p10) << "–"
      << pct(p90) << "</title></rect>\n<line x1=\"" << coord(x(med)) << "\" x2=\"" << coord(x(med)) << "\" y1=\""
      << coord(cy - 8) << "\" y2=\"" << coord(cy + 8) << "\" class=\"median\"/>\n";
    for (const double v : values) {
      h << "<circle cx=\"" << coord(x(std::isfinite(v) ? v : top)) << "\" cy=\"" << coord(cy) << "\" r=\"2.5\" fill=\""
        << band_colour(band_of(hc.thresholds, v)) << "\" fill-opacity=\"0.75\"/>\n";
    }
  }
  h << "<text x=\"" << coord((L + W - R) / 2) << "\" y=\"" << coord(H - 8)
    << "\" class=\"label\" text-anchor=\"middle\">Utilisation (points / capacity)</text>\n"
    << "</svg>\n<figcaption>Chart 2. Utilisation by team: box = quartiles, whiskers = 10th–90th percentile, "
       "bar = median, dots = workers.</figcaption>\n</figure>\n";
}

std::string date_label(Date d) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int y = 0, m = 0, day = 0;
  d.to_ymd(y, m, day);
  return std::string(kMonths[m - 1]) + " " + std::to_string(y);
}

// Month ticks along a date axis.
void month_ticks(Html& h, const Scale& x, Date from, Date to, double y_top, double y_bottom) {
  int y = 0, m = 0, d = 0;
  from.to_ymd(y, m, d);
  const int64_t months = (days_between(from, to) / 30) + 1;
  const int step = months > 24 ? 3 : (months > 12 ? 2 : 1);
  if (d != 1 && ++m > 12) {
    m = 1;
    ++y;
  }
  for (Date t = Date::from_ymd(y, m, 1); t <= to;) {
    h << "<line x1=\"" << coord(x(t.days)) << "\" x2=\"" << coord(x(t.days)) << "\" y1=\"" << coord(y_top) << "\" y2=\""
      << coord(y_bottom) << "\" class=\"grid\"/>\n<text x=\"" << coord(x(t.days)) << "\" y=\"" << coord(y_bottom + 16)
      << "\" class=\"tick\" text-anchor=\"middle\">" << date_label(t) << "</text>\n";
    m += step;
    while (m > 12) {
      m -= 12;
      ++y;
    }
    t = Date::from_ymd(y, m, 1);
  }
}

// CHART 3: organisation utilisation over time with the number of workers
// over the excessive threshold, then the longest episodes per worker.
void chart_timeline(Html& h, const HealthCheck& hc) {
  const auto& tl = hc.timeline;
  const Date from = tl.front().date, to = tl.back().date;
  const double W = 960, H = 320, L = 56, R = 56, T = 16, B = 48;
  int64_t max_over = 1;
  std::vector<double> util;
  for (const auto& p : tl) {
    max_over = std::max(max_over, p.workers_over);
    util.push_back(p.utilisation);
  }
  const double top = axis_max(util, hc.thresholds.excessive_above + 0.1);
  const double over_top = nice_ceiling(static_cast<double>(max_over), 5);
  const Scale x{static_cast<double>(from.days), static_cast<double>(std::max(to.days, from.days + 1)), L, W - R};
  const Scale y{0, top, H - B, T};
  const Scale y2{0, over_top, H - B, T};
  h << "<figure>\n<svg class=\"chart\" viewBox=\"0 0 " << integer(W) << ' ' << integer(H)
    << "\" role=\"img\" aria-labelledby=\"c3t\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    << "<title id=\"c3t\">Organisation utilisation over time and workers over the excessive threshold</title>\n";
  band_backdrop(h, hc.thresholds, y, false, L, W - R);
  month_ticks(h, x, from, to, T, H - B);
  for (double tick = 0; tick <= top + 1e-9; tick += 0.25)
    h << "<text x=\"" << coord(L - 6) << "\" y=\"" << coord(y(tick) + 4) << "\" class=\"tick\" text-anchor=\"end\">"
      << pct(tick) << "</text>\n";
  for (int k = 0; k <= 5; ++k) {
    const double v = over_top * k / 5;
    h << "<text x=\"" << coord(W - R + 6) << "\" y=\"" << coord(y2(v) + 4) << "\" class=\"tick\">" << integer(v)
      << "</text>\n";
  }
  const double bar = std::max(2.0, (W - L - R) / static_cast<double>(tl.size()) * 0.6);
  for (const auto& p : tl) {
    if (p.workers_over == 0) continue;
    const double v = static_cast<double>(p.workers_over);
    h << "<rect x=\"" << coord(x(p.date.days) - bar / 2) << "\" y=\"" << coord(y2(v)) << "\" width=\"" << coord(bar)
      << "\" height=\"" << coord(y2(0) - y2(v)) << "\" class=\"overbar\"><title>" << p.date.to_string() << ": "
      << p.workers_over << " of " << p.workers << " workers over</title></rect>\n";
  }
  h << "<polyline class=\"line\" points=\"";
  for (size_t i = 0; i < tl.size(); ++i)
    h << (i ? " " : "") << coord(x(tl[i].date.days)) << ',' << coord(y(tl[i].utilisation));
  h << "\"/>\n";
  for (const auto& p : tl)
    h << "<circle cx=\"" << coord(x(p.date.days)) << "\" cy=\"" << coord(y(p.utilisation))
      << "\" r=\"2.5\" class=\"dot\"><title>" << p.date.to_string() << ": " << pct(p.utilisation, 1)
      << "</title></circle>\n";
  h << "<line x1=\"" << coord(L) << "\" x2=\"" << coord(W - R) << "\" y1=\"" << coord(y(0)) << "\" y2=\"" << coord(y(0))
    << "\" class=\"axis\"/>\n"
    << "<text transform=\"translate(14 " << coord((T + H - B) / 2)
    << ") rotate(-90)\" class=\"label\" text-anchor=\"middle\">Organisation utilisation</text>\n"
    << "<text transform=\"translate(" << coord(W - 10) << ' ' << coord((T + H - B) / 2)
    << ") rotate(90)\" class=\"label\" text-anchor=\"middle\">Workers over threshold</text>\n"
    << "</svg>\n<figcaption>Chart 3. Exceedance timeline: the line is the organisation's utilisation (sum of "
       "points over sum of capacity) at each snapshot; bars count workers over the excessive threshold.</figcaption>\n"
    << "<ul class=\"legend\"><li><span class=\"swatch\" style=\"background:#1f4e79\"></span>organisation "
       "utilisation</li><li><span class=\"swatch\" style=\"background:#d98c5f\"></span>workers over the excessive "
       "threshold</li></ul>\n</figure>\n";

  // Episodes: one row per worker among those with the longest episodes.
  if (!hc.history || hc.history->episodes.empty()) return;
  const auto& episodes = hc.history->episodes;
  std::map<std::string, int32_t> longest;
  for (const auto& e : episodes) longest[e.worker_id] = std::max(longest[e.worker_id], e.length_days);
  std::vector<std::pair<std::string, int32_t>> ranked(longest.begin(), longest.end());
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (ranked.size() > 15) ranked.resize(15);
  const Date e_from = std::min(from, hc.history->from), e_to = std::max(to, hc.history->to);
  const double row = 20, EL = 150, EH = T + B + row * static_cast<double>(ranked.size());
  const Scale ex{static_cast<double>(e_from.days), static_cast<double>(std::max(e_to.days, e_from.days + 1)), EL,
                 W - 20};
  h << "<figure>\n<svg class=\"chart\" viewBox=\"0 0 " << integer(W) << ' ' << integer(EH)
    << "\" role=\"img\" aria-labelledby=\"c3bt\" xmlns=\"http://www.w3.org/2000/svg\">\n"
    << "<title id=\"c3bt\">Exceedance episodes of the workers with the longest episodes</title>\n";
  month_ticks(h, ex, e_from, e_to, T, EH - B);
  for (size_t i = 0; i < ranked.size(); ++i) {
    const double cy = T + row * (static_cast<double>(i) + 0.5);
    h << "<text x=\"" << coord(EL - 8) << "\" y=\"" << coord(cy + 4) << "\" class=\"tick\" text-anchor=\"end\">"
      << esc(ranked[i].first) << "</text>\n";
    for (const auto& e : episodes) {
      if (e.worker_id != ranked[i].first) continue;
      // An episode spans from its first to its last snapshot; draw at least a week.
      const double x0 = ex(e.start.days), x1 = std::max(ex(e.end.days), x0 + 3);
      h << "<rect x=\"" << coord(x0) << "\" y=\"" << coord(cy - 6) << "\" width=\"" << coord(x1 - x0)
        << "\" height=\"12\" rx=\"2\" fill=\"" << band_colour(Band::excessive) << "\"><title>" << esc(e.worker_id)
        << " (" << esc(e.team) << "): " << e.start.to_string() << " to " << e.end.to_string() << ", " << e.length_days
        << " days, peak " << pct(e.peak) << (e.ongoing ? ", ongoing" : "") << "</title></rect>\n";
    }
  }
  h << "<text x=\"" << coord((EL + W - 20) / 2) << "\" y=\"" << coord(EH - 8)
    << "\" class=\"label\" text-anchor=\"middle\">Date</text>\n</svg>\n<figcaption>Exceedance episodes (at least "
    << hc.history->rule.min_consecutive << " consecutive snapshots over the threshold) of the " << ranked.size()
    << " workers with the longest episodes.</figcaption>\n</figure>\n";
}

void card(Html& h, std::string_view title, std::string_view value, std::string_view note) {
  h << "<div class=\"card\"><div class=\"card-title\">" << esc(title) << "</div><div class=\"card-value\">"
    << esc(value) << "</div><div class=\"card-note\">" << esc(note) << "</div></div>\n";
}

void rollup_table(Html& h, const std::vector<Rollup>& rows, const char* first_column,
                  const std::map<std::string, std::string>* area_of_team) {
  h << "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">" << first_column << "</th>";
  if (area_of_team) h << "<th scope=\"col\">Service area</th>";
  h << "<th scope=\"col\" class=\"num\">Workers</th><th scope=\"col\" class=\"num\">Case-holding FTE</th>"
       "<th scope=\"col\" class=\"num\">Cases</th><th scope=\"col\" class=\"num\">Mean cases per FTE</th>"
       "<th scope=\"col\" class=\"num\">Utilisation</th><th scope=\"col\" class=\"num\">Green</th>"
       "<th scope=\"col\" class=\"num\">Amber</th><th scope=\"col\" class=\"num\">Red</th>"
       "<th scope=\"col\" class=\"num\">Excessive</th><th scope=\"col\" class=\"num\">Over case benchmark</th>"
       "<th scope=\"col\" class=\"num\">ASYE protected</th><th scope=\"col\" class=\"num\">Unallocated</th>"
       "</tr></thead>\n<tbody>\n";
  for (const auto& r : rows) {
    h << "<tr><th scope=\"row\">" << esc(r.group) << "</th>";
    if (area_of_team) {
      const auto it = area_of_team->find(r.group);
      h << "<td>" << esc(it == area_of_team->end() ? std::string() : it->second) << "</td>";
    }
    h << "<td class=\"num\">" << r.workers << "</td><td class=\"num\">" << fixed(r.case_holding_fte, 1)
      << "</td><td class=\"num\">" << integer(r.cases) << "</td><td class=\"num\">" << fixed(r.mean_cases_per_fte, 1)
      << "</td><td class=\"num\">" << pct(r.utilisation) << "</td>";
    for (int b = 0; b < 4; ++b) h << "<td class=\"num\">" << r.band_counts[b] << "</td>";
    h << "<td class=\"num\">" << r.over_case_benchmark << " (" << pct(r.share_over_case_benchmark)
      << ")</td><td class=\"num\">"
      << (r.asye_workers ? std::to_string(r.asye_protected) + " of " + std::to_string(r.asye_workers) : "–")
      << "</td><td class=\"num\">" << r.unallocated_cases << "</td></tr>\n";
  }
  h << "</tbody>\n</table></div>\n";
}

constexpr const char* kCss = R"css(
:root{--ink:#1f2933;--muted:#52606d;--rule:#d9e2ec;--bg:#ffffff;--panel:#f5f7fa;--accent:#1f4e79}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:28px 40px}
header h1{margin:0 0 4px;font-size:26px;font-weight:600}
header p{margin:0;opacity:.9}
main{max-width:1100px;margin:0 auto;padding:8px 40px 40px}
section{margin-top:36px}
h2{font-size:20px;font-weight:600;border-bottom:2px solid var(--rule);padding-bottom:6px}
h3{font-size:16px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:14px}
.card{background:var(--panel);border-radius:8px;padding:14px 16px;border-left:4px solid var(--accent)}
.card-title{font-size:13px;color:var(--muted)}
.card-value{font-size:28px;font-weight:600;font-variant-numeric:tabular-nums}
.card-note{font-size:13px;color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px;font-variant-numeric:tabular-nums}
th,td{padding:6px 8px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{background:var(--panel);font-weight:600}
.num{text-align:right}
figure{margin:18px 0}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#c3ccd6;stroke-width:.6}
svg .axis{stroke:#52606d;stroke-width:1}
svg .tick{font-size:11px;fill:#52606d}
svg .label{font-size:12px;fill:#1f2933}
svg .line{fill:none;stroke:#1f4e79;stroke-width:2}
svg .dot{fill:#1f4e79}
svg .overbar{fill:#d98c5f;fill-opacity:.8}
svg .box{fill:#ffffff;fill-opacity:.85;stroke:#1f2933;stroke-width:1}
svg .whisker{stroke:#1f2933;stroke-width:1}
svg .median{stroke:#1f2933;stroke-width:2.5}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:16px;font-size:13px;color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.pill{font-weight:600}
.note{color:var(--muted);font-size:13px}
footer{border-top:1px solid var(--rule);margin-top:48px;padding:16px 40px;color:var(--muted);font-size:13px;text-align:center}
@media print{header{background:none;color:var(--ink)}.card{break-inside:avoid}}
)css";

}  // namespace

std::string health_check_to_html(const HealthCheck& hc) {
  Html h;
  const Rollup& org = hc.organisation_rollup;
  const std::string title = hc.organisation + " — caseload health check as of " + hc.as_of.to_string();
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<meta name=\"generator\" content=\"caseload " << version() << "\">\n<title>" << esc(title)
    << "</title>\n<style>" << kCss << "</style>\n</head>\n<body>\n<header>\n<h1>" << esc(title) << "</h1>\n<p>"
    << org.workers << " workers in " << hc.teams.size() << " teams and " << hc.service_areas.size()
    << " service areas · weighting scheme " << esc(hc.scheme_name) << ", version " << esc(hc.scheme_version)
    << "</p>\n</header>\n<main>\n";

  // ---- headline figures
  h << "<section id=\"headline\">\n<h2>Headline figures</h2>\n<div class=\"cards\">\n";
  card(h, "Average caseload per case-holding FTE", fixed(org.mean_cases_per_fte, 1),
       "median " + fixed(org.median_cases_per_fte, 1) + "; " + fixed(org.case_holding_fte, 1) +
           " case-holding FTE hold " + integer(org.cases) + " cases");
  // Case holders only: a manager's capacity would dilute the figure.
  std::string utilisation_note =
      integer(org.points) + " points of " + integer(org.capacity) + " points capacity of case-holding workers";
  if (org.non_case_holding_points > 0)
    utilisation_note += "; non-case-holding roles hold a further " + integer(org.non_case_holding_points) + " points";
  card(h, "Utilisation", pct(org.utilisation), utilisation_note);
  card(h, "Over the caseload benchmark", pct(org.share_over_case_benchmark),
       std::to_string(org.over_case_benchmark) + " of " + std::to_string(org.case_holding_workers) +
           " case-holding workers");
  card(h, "Over the excessive threshold", std::to_string(org.band_counts[static_cast<int>(Band::excessive)]),
       pct(org.band_shares[static_cast<int>(Band::excessive)]) + " of case-holding workers");
  card(h, "ASYE protected caseloads", org.asye_workers ? pct(org.asye_compliance) : "–",
       std::to_string(org.asye_protected) + " of " + std::to_string(org.asye_workers) + " newly qualified workers");
  card(h, "Unallocated cases", std::to_string(org.unallocated_cases),
       integer(org.unallocated_points) + " points; mean age " + integer(org.unallocated_mean_age_days) +
           " days, oldest " + integer(org.unallocated_max_age_days) + " days");
  h << "</div>\n</section>\n";

  // ---- distribution
  const Distribution& ud = org.utilisation_distribution;
  const Distribution& cd = org.cases_distribution;
  h << "<section id=\"distribution\">\n<h2>Distribution</h2>\n<p>Averages hide the spread: the figures below are "
       "over the "
    << org.case_holding_workers
    << " case-holding workers.</p>\n<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Measure</th>"
       "<th scope=\"col\" class=\"num\">10th percentile</th><th scope=\"col\" class=\"num\">Median</th>"
       "<th scope=\"col\" class=\"num\">90th percentile</th><th scope=\"col\" class=\"num\">Maximum</th>"
       "<th scope=\"col\" class=\"num\">Mean</th></tr></thead>\n<tbody>\n"
    << "<tr><th scope=\"row\">Utilisation</th><td class=\"num\">" << pct(ud.p10) << "</td><td class=\"num\">"
    << pct(ud.p50) << "</td><td class=\"num\">" << pct(ud.p90) << "</td><td class=\"num\">" << pct(ud.max)
    << "</td><td class=\"num\">" << pct(ud.mean) << "</td></tr>\n"
    << "<tr><th scope=\"row\">Cases per worker</th><td class=\"num\">" << fixed(cd.p10, 0) << "</td><td class=\"num\">"
    << fixed(cd.p50, 0) << "</td><td class=\"num\">" << fixed(cd.p90, 0) << "</td><td class=\"num\">"
    << fixed(cd.max, 0) << "</td><td class=\"num\">" << fixed(cd.mean, 1) << "</td></tr>\n</tbody>\n</table></div>\n"
    << "<p>Workers by band: ";
  for (int b = 0; b < 4; ++b)
    h << (b ? ", " : "") << band_name(static_cast<Band>(b)) << " " << org.band_counts[b] << " ("
      << pct(org.band_shares[b]) << ")";
  h << ". Fairness: Gini " << fixed(org.gini_utilisation, 3) << ", Jain index " << fixed(org.jain_index, 3)
    << ".</p>\n</section>\n";

  // ---- tables
  std::map<std::string, std::string> area_of_team;
  for (const auto& w : hc.workers) area_of_team.emplace(w.team, w.service_area);
  h << "<section id=\"teams\">\n<h2>Teams</h2>\n";
  rollup_table(h, hc.teams, "Team", &area_of_team);
  h << "<h3>Service areas</h3>\n";
  rollup_table(h, hc.service_areas, "Service area", nullptr);
  h << "</section>\n";

  // ---- charts
  h << "<section id=\"load-per-worker\">\n<h2>Load per worker</h2>\n";
  chart_workers(h, hc);
  h << "</section>\n<section id=\"team-distribution\">\n<h2>Distribution per team</h2>\n";
  chart_teams(h, hc);
  h << "</section>\n<section id=\"exceedance\">\n<h2>Exceedance history</h2>\n";
  if (hc.timeline.empty()) {
    h << "<p class=\"note\">No snapshots were supplied, so there is no history of exceedances. Record weekly "
         "snapshots to answer whether the safe level was exceeded in the past year.</p>\n";
  } else {
    const auto& hist = *hc.history;
    const ExceedanceSummary* s = hist.summaries.empty() ? nullptr : &hist.summaries.front();
    if (s != nullptr) {
      h << "<p>Between " << hist.from.to_string() << " and " << hist.to.to_string() << ", <strong>"
        << s->workers_with_episode << " of " << s->workers_observed << " workers (" << pct(s->share_with_episode)
        << ")</strong> were over the excessive threshold for at least " << hist.rule.min_consecutive
        << " consecutive weekly snapshots: " << s->episodes << " episodes, mean length "
        << fixed(s->mean_episode_days, 0) << " days, longest " << s->longest_episode_days << " days.</p>\n";
    }
    chart_timeline(h, hc);
    h << "<h3>Who was over, how often, how long</h3>\n<div class=\"scroll\"><table>\n<thead><tr>"
         "<th scope=\"col\">Group</th><th scope=\"col\">Level</th><th scope=\"col\" class=\"num\">Workers "
         "observed</th><th scope=\"col\" class=\"num\">Workers with an episode</th><th scope=\"col\" "
         "class=\"num\">Episodes</th><th scope=\"col\" class=\"num\">Mean length (days)</th><th scope=\"col\" "
         "class=\"num\">Longest (days)</th><th scope=\"col\" class=\"num\">Peak</th></tr></thead>\n<tbody>\n";
    for (const auto& row : hist.summaries) {
      h << "<tr><th scope=\"row\">" << esc(row.group) << "</th><td>" << level_name(row.level)
        << "</td><td class=\"num\">" << row.workers_observed << "</td><td class=\"num\">" << row.workers_with_episode
        << " (" << pct(row.share_with_episode) << ")</td><td class=\"num\">" << row.episodes
        << "</td><td class=\"num\">" << fixed(row.mean_episode_days, 0) << "</td><td class=\"num\">"
        << row.longest_episode_days << "</td><td class=\"num\">" << (row.episodes ? pct(row.peak) : "–")
        << "</td></tr>\n";
    }
    h << "</tbody>\n</table></div>\n";
    if (!hist.episodes.empty()) {
      std::vector<const ExceedanceEpisode*> longest;
      for (const auto& e : hist.episodes) longest.push_back(&e);
      std::stable_sort(longest.begin(), longest.end(), [](const auto* a, const auto* b) {
        return a->length_days != b->length_days ? a->length_days > b->length_days : a->peak > b->peak;
      });
      if (longest.size() > 10) longest.resize(10);
      h << "<h3>Longest episodes</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Worker</th>"
           "<th scope=\"col\">Team</th><th scope=\"col\">From</th><th scope=\"col\">To</th>"
           "<th scope=\"col\" class=\"num\">Days</th><th scope=\"col\" class=\"num\">Snapshots</th>"
           "<th scope=\"col\" class=\"num\">Peak</th><th scope=\"col\">Ongoing</th></tr></thead>\n<tbody>\n";
      for (const auto* e : longest) {
        h << "<tr><th scope=\"row\">" << esc(e->worker_id) << "</th><td>" << esc(e->team) << "</td><td>"
          << e->start.to_string() << "</td><td>" << e->end.to_string() << "</td><td class=\"num\">" << e->length_days
          << "</td><td class=\"num\">" << e->snapshots << "</td><td class=\"num\">" << pct(e->peak) << "</td><td>"
          << (e->ongoing ? "yes" : "no") << "</td></tr>\n";
      }
      h << "</tbody>\n</table></div>\n";
    }
  }
  h << "</section>\n";

  // ---- reported hours
  h << "<section id=\"reported-hours\">\n<h2>Reported hours and expected new work</h2>\n";
  if (!hc.reported_hours) {
    h << "<p class=\"note\">No practitioner reported their weekly hours.</p>\n";
  } else {
    const ReportedHours& r = *hc.reported_hours;
    h << "<div class=\"cards\">\n";
    card(h, "Respondents", std::to_string(r.respondents), "practitioners who reported typical weekly hours");
    card(h, "Typical hours worked", fixed(r.mean_reported_hours, 1),
         "against " + fixed(r.mean_contracted_hours, 1) + " contracted hours per week");
    card(h, "Hours over contract", (r.mean_excess_hours >= 0 ? "+" : "") + fixed(r.mean_excess_hours, 1),
         pct(r.share_over_contracted) + " report working beyond their contracted hours");
    card(h, "New cases expected next month", fixed(r.mean_expected_new_cases, 1),
         "mean over " + std::to_string(r.expected_new_cases_respondents) + " practitioners");
    h << "</div>\n";
  }
  h << "</section>\n" << hc.extra_sections_html;  // e.g. the capacity forecast (projection.hpp)
  h << "</main>\n<footer>\n<p>Weighting scheme " << esc(hc.scheme_name) << ", version " << esc(hc.scheme_version)
    << ". Bands: green below " << pct(hc.thresholds.green_below) << ", amber to " << pct(hc.thresholds.amber_to)
    << ", excessive above " << pct(hc.thresholds.excessive_above)
    << " (default service area; service areas may set their own). Utilisation of a group is the sum of points "
       "over the sum of capacity.</p>\n<p>Generated by caseload "
    << version() << ".</p>\n</footer>\n</body>\n</html>\n";
  return h.take();
}

}  // namespace caseload
