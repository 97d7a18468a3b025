// The projection's section of the health check page: a fan chart of the
// organisation's utilisation against the safe band, P(breach) by team and
// month, and the new cases expected next month. Inline SVG only; the classes
// are those of the report builder's stylesheet (src/report/), and the few
// extra styles are inline so the section also stands on its own.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/projection.hpp"
#include "report/page.hpp"

namespace caseload {

namespace {

using report::esc;
using report::fixed;
using report::Html;
using report::integer;

std::string pct(double v) {
  return report::pct(v, 0, "–");
}

// A fill from white to red for a probability, so the table reads as a heat map.
std::string heat(double p) {
  const double x = std::clamp(p, 0.0, 1.0);
  const int g = static_cast<int>(std::lround(255 - 150 * x)), b = static_cast<int>(std::lround(255 - 170 * x));
  return "background:rgb(255," + std::to_string(g) + "," + std::to_string(b) + ")";
}

// Index of quantile q in the projection's list, or -1.
int find_q(const std::vector<double>& qs, double q) {
  for (size_t i = 0; i < qs.size(); ++i)
    if (std::fabs(qs[i] - q) < 1e-9) return static_cast<int>(i);
  return -1;
}

// The frame is in whole pixels (integer()); data points get one decimal.
void fan_chart(Html& h, const CapacityProjection& p, const GroupProjection& g) {
  const double W = 720, H = 300, left = 56, right = 16, top = 16, bottom = 40;
  const size_t n = g.months.size();
  double ymax = std::max(1.2, g.safe_level * 1.15);
  for (const auto& m : g.months)
    for (const double q : m.utilisation_quantiles)
      if (std::isfinite(q)) ymax = std::max(ymax, q);
  ymax = std::min(std::ceil(ymax * 10) / 10, 5.0);
  auto x = [&](double month) { return left + (W - left - right) * month / static_cast<double>(n); };
  auto y = [&](double u) { return top + (H - top - bottom) * (1 - std::min(u, ymax) / ymax); };
  h << "<svg class=\"chart\" viewBox=\"0 0 " << integer(W) << " " << integer(H)
    << "\" role=\"img\" aria-label=\"Projected utilisation of " << esc(g.group) << "\">\n";
  // Safe band: at or below the safe level.
  h << "<rect x=\"" << integer(left) << "\" y=\"" << fixed(y(g.safe_level), 1) << "\" width=\""
    << integer(W - left - right) << "\" height=\"" << fixed(y(0) - y(g.safe_level), 1) << "\" fill=\"#e3f2e6\"/>\n";
  for (double t = 0; t <= ymax + 1e-9; t += 0.2) {
    h << "<line class=\"grid\" x1=\"" << integer(left) << "\" x2=\"" << integer(W - right) << "\" y1=\""
      << fixed(y(t), 1) << "\" y2=\"" << fixed(y(t), 1) << "\"/><text class=\"tick\" x=\"" << integer(left - 6)
      << "\" y=\"" << fixed(y(t) + 4, 1) << "\" text-anchor=\"end\">" << pct(t) << "</text>\n";
  }
  h << "<line x1=\"" << integer(left) << "\" x2=\"" << integer(W - right) << "\" y1=\"" << fixed(y(g.safe_level), 1)
    << "\" y2=\"" << fixed(y(g.safe_level), 1)
    << "\" stroke=\"#2f7d3b\" stroke-width=\"1.5\" stroke-dasharray=\"5 4\"/>\n";
  // Bands between symmetric quantile pairs, outermost first.
  const std::vector<double>& qs = p.quantiles;
  const size_t nq = qs.size();
  for (size_t k = 0; k < nq / 2; ++k) {
    const size_t lo = k, hi = nq - 1 - k;
    const double opacity = 0.18 + 0.2 * static_cast<double>(k);
    std::string pts;
    // Start at today's figure so the fan opens from the present.
    pts += fixed(x(0), 1) + "," + fixed(y(g.current_utilisation), 1) + " ";
    for (size_t m = 0; m < n; ++m)
      pts += fixed(x(static_cast<double>(m + 1)), 1) + "," + fixed(y(g.months[m].utilisation_quantiles[hi]), 1) + " ";
    for (size_t m = n; m-- > 0;)
      pts += fixed(x(static_cast<double>(m + 1)), 1) + "," + fixed(y(g.months[m].utilisation_quantiles[lo]), 1) + " ";
    h << "<polygon points=\"" << pts << "\" fill=\"#1f4e79\" fill-opacity=\"" << fixed(std::min(opacity, 0.7), 2)
      << "\"><title>" << pct(qs[lo]) << "–" << pct(qs[hi]) << " of paths</title></polygon>\n";
  }
  std::string line = fixed(x(0), 1) + "," + fixed(y(g.current_utilisation), 1) + " ";
  const int med = find_q(qs, 0.5);
  for (size_t m = 0; m < n; ++m) {
    const double v =
        med >= 0 ? g.months[m].utilisation_quantiles[static_cast<size_t>(med)] : g.months[m].expected_utilisation;
    line += fixed(x(static_cast<double>(m + 1)), 1) + "," + fixed(y(v), 1) + " ";
  }
  h << "<polyline class=\"line\" points=\"" << line << "\"/>\n";
  for (size_t m = 0; m <= n; ++m) {
    h << "<text class=\"tick\" x=\"" << fixed(x(static_cast<double>(m)), 1) << "\" y=\"" << integer(H - bottom + 16)
      << "\" text-anchor=\"middle\">" << (m == 0 ? std::string("now") : "+" + std::to_string(m)) << "</text>\n";
  }
  h << "<text class=\"label\" x=\"" << integer((left + W - right) / 2) << "\" y=\"" << integer(H - 6)
    << "\" text-anchor=\"middle\">months ahead</text>\n</svg>\n";
}

}  // namespace

std::string projection_section_html(const CapacityProjection& p) {
  Html h;
  if (p.scenarios.empty()) return "";
  const ScenarioProjection& base = p.scenarios.front();
  const GroupProjection* org = nullptr;
  std::vector<const GroupProjection*> teams;
  for (const auto& g : base.groups) {
    if (g.level == Level::organisation) org = &g;
    if (g.level == Level::team) teams.push_back(&g);
  }
  h << "<section id=\"forecast\">\n<h2>Forecast: the next " << p.horizon << " months</h2>\n";
  h << "<p class=\"note\">" << p.n_paths << " joint simulated paths of referrals, case closures and staffing "
    << "(turnover, hiring, agency cover, sickness, ASYE progression) from " << p.as_of.to_string()
    << ". Breach: utilisation above the safe level. Required FTE: the added full-time capacity that keeps "
    << "P(breach) at or below " << pct(p.alpha) << " in every month.</p>\n";
  if (org != nullptr) {
    h << "<figure>\n";
    fan_chart(h, p, *org);
    h << "<figcaption>Organisation utilisation (sum of points / sum of capacity): median path and the "
      << "bands between the projected quantiles; green: at or below the safe level of " << pct(org->safe_level)
      << ". P(any breach within " << p.horizon << " months): " << pct(org->months.back().p_any_breach)
      << ".</figcaption>\n</figure>\n";
  }
  h << "<h3>Probability of breaching the safe level, by team and month</h3>\n<div class=\"scroll\"><table>\n<thead><tr>"
       "<th scope=\"col\">Team</th><th scope=\"col\" class=\"num\">Now</th>";
  if (!base.groups.empty())
    for (const auto& m : base.groups.front().months) h << "<th scope=\"col\" class=\"num\">+" << m.month << "</th>";
  h << "<th scope=\"col\" class=\"num\">Any by +" << p.horizon
    << "</th><th scope=\"col\" class=\"num\">Required FTE</th>"
       "<th scope=\"col\" class=\"num\">New cases next month</th><th scope=\"col\" class=\"num\">per worker</th>"
       "</tr></thead>\n<tbody>\n";
  for (const GroupProjection* g : teams) {
    h << "<tr><th scope=\"row\">" << esc(g->group) << "</th><td class=\"num\">" << pct(g->current_utilisation)
      << "</td>";
    for (const auto& m : g->months)
      h << "<td class=\"num\" style=\"" << heat(m.p_breach) << "\">" << pct(m.p_breach) << "</td>";
    h << "<td class=\"num\" style=\"" << heat(g->months.back().p_any_breach) << "\">"
      << pct(g->months.back().p_any_breach) << "</td><td class=\"num\">" << fixed(g->required_fte, 1)
      << "</td><td class=\"num\">" << fixed(g->expected_new_cases_next_month, 1) << "</td><td class=\"num\">"
      << fixed(g->expected_new_cases_per_worker, 1) << "</td></tr>\n";
  }
  h << "</tbody>\n</table></div>\n";
  // Required FTE month by month: when the extra staff are needed, not only
  // how many at the worst month.
  h << "<h3>Required FTE by month (added full-time capacity for P(breach) at or below " << pct(p.alpha)
    << ")</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Group</th>";
  if (!base.groups.empty())
    for (const auto& m : base.groups.front().months) h << "<th scope=\"col\" class=\"num\">+" << m.month << "</th>";
  h << "</tr></thead>\n<tbody>\n";
  for (const auto& g : base.groups) {
    h << "<tr><th scope=\"row\">" << esc(g.group) << "</th>";
    for (const auto& m : g.months) h << "<td class=\"num\">" << fixed(m.required_fte, 1) << "</td>";
    h << "</tr>\n";
  }
  h << "</tbody>\n</table></div>\n";
  if (p.scenarios.size() > 1) {
    h << "<h3>Scenarios</h3>\n<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Scenario</th>"
         "<th scope=\"col\" class=\"num\">Utilisation in "
      << p.horizon
      << " months (expected)</th><th scope=\"col\" class=\"num\">P(any breach)</th>"
         "<th scope=\"col\" class=\"num\">Required FTE</th></tr></thead>\n<tbody>\n";
    for (const auto& s : p.scenarios) {
      for (const auto& g : s.groups) {
        if (g.level != Level::organisation) continue;
        h << "<tr><th scope=\"row\">" << esc(s.name) << "</th><td class=\"num\">"
          << pct(g.months.back().expected_utilisation) << "</td><td class=\"num\">" << pct(g.months.back().p_any_breach)
          << "</td><td class=\"num\">" << fixed(g.required_fte, 1) << "</td></tr>\n";
      }
    }
    h << "</tbody>\n</table></div>\n";
  }
  h << "</section>\n";
  return h.take();
}

}  // namespace caseload
