// The health check as one self-contained HTML page: headline cards, the
// distribution, team and service-area tables, three inline SVG charts and
// the exceedance history. The page shell, styles and chart pieces are the
// report builder's (src/report/).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/health_check.hpp"
#include "caseload/version.hpp"
#include "base/stats.hpp"
#include "model/rules.hpp"
#include "report/chart.hpp"
#include "report/page.hpp"

namespace caseload {

namespace {

using report::axis_max;
using report::band_backdrop;
using report::band_colour;
using report::card;
using report::coord;
using report::esc;
using report::fixed;
using report::Html;
using report::integer;
using report::legend;
using report::nice_ceiling;
using report::pct;
using report::Scale;

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
        << band_colour(rules::band_of(v, hc.thresholds)) << "\" fill-opacity=\"0.75\"/>\n";
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

}  // namespace

std::string health_check_to_html(const HealthCheck& hc) {
  Html h;
  const Rollup& org = hc.organisation_rollup;
  const std::string title = hc.organisation + " — caseload health check as of " + hc.as_of.to_string();
  report::open_page(h, title,
                    std::to_string(org.workers) + " workers in " + std::to_string(hc.teams.size()) + " teams and " +
                        std::to_string(hc.service_areas.size()) + " service areas · weighting scheme " +
                        esc(hc.scheme_name) + ", version " + esc(hc.scheme_version));

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
  report::close_page(h, "<p>Weighting scheme " + esc(hc.scheme_name) + ", version " + esc(hc.scheme_version) +
                            ". Bands: green below " + pct(hc.thresholds.green_below) + ", amber to " +
                            pct(hc.thresholds.amber_to) + ", excessive above " + pct(hc.thresholds.excessive_above) +
                            " (default service area; service areas may set their own). Utilisation of a group is "
                            "the sum of points over the sum of capacity.</p>\n<p>Generated by caseload " +
                            version() + ".</p>\n");
  return h.take();
}

}  // namespace caseload
