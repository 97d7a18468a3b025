#include "report/chart.hpp"

#include <cmath>
#include <string>

namespace caseload::report {

double nice_ceiling(double v, double step) {
  return std::ceil(v / step - 1e-9) * step;
}

double axis_max(const std::vector<double>& values, double at_least) {
  double m = at_least;
  for (const double v : values)
    if (std::isfinite(v)) m = std::max(m, v);
  return std::min(nice_ceiling(m, 0.25), 3.0);
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

const char* band_fill(Band b) {
  constexpr const char* kFill[] = {"#e6f2e7", "#fdf1dc", "#fbe1e1", "#f3dbe6"};
  const int i = static_cast<int>(b);
  return i >= 0 && i < 4 ? kFill[i] : "#eee";
}

void band_backdrop(Html& h, const Thresholds& t, const Scale& s, bool horizontal, double a0, double a1) {
  const double edges[] = {0, t.green_below, t.amber_to, t.excessive_above, std::max(s.d0, s.d1)};
  for (int b = 0; b < 4; ++b) {
    const double lo = edges[b], hi = std::max(edges[b], edges[b + 1]);
    if (lo >= std::max(s.d0, s.d1)) break;
    const double p_lo = s(lo), p_hi = s(hi);
    if (horizontal) {
      h << "<rect x=\"" << coord(std::min(p_lo, p_hi)) << "\" y=\"" << coord(a0) << "\" width=\""
        << coord(std::abs(p_hi - p_lo)) << "\" height=\"" << coord(a1 - a0) << "\" fill=\""
        << band_fill(static_cast<Band>(b)) << "\"/>\n";
    } else {
      h << "<rect x=\"" << coord(a0) << "\" y=\"" << coord(std::min(p_lo, p_hi)) << "\" width=\"" << coord(a1 - a0)
        << "\" height=\"" << coord(std::abs(p_hi - p_lo)) << "\" fill=\"" << band_fill(static_cast<Band>(b))
        << "\"/>\n";
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

}  // namespace caseload::report
