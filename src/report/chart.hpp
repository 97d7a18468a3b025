// Private: the pieces of the inline SVG charts on the pages (health check,
// capacity projection): a linear scale, axis ends, the safe bands' colours,
// shaded backdrop and legend. Not API.
#pragma once

#include <algorithm>
#include <vector>

#include "caseload/model.hpp"
#include "report/page.hpp"

namespace caseload::report {

// A linear scale from data to pixels.
struct Scale {
  double d0, d1, p0, p1;
  [[nodiscard]] double operator()(double v) const {
    if (d1 == d0) return p0;
    return p0 + (std::clamp(v, std::min(d0, d1), std::max(d0, d1)) - d0) / (d1 - d0) * (p1 - p0);
  }
};

/// `v` rounded up to a multiple of `step` (an axis end).
double nice_ceiling(double v, double step);

/// The top of a utilisation axis: the largest finite value (at least
/// `at_least`) rounded up to 25%, at most 300% (beyond it bars are clipped
/// and marked).
double axis_max(const std::vector<double>& values, double at_least);

/// The colour of a band's bars and dots, and the lighter fill of its
/// stretch of the backdrop.
const char* band_colour(Band b);
const char* band_fill(Band b);

/// Shaded safe bands across a vertical (horizontal = false) or horizontal
/// utilisation axis `s`, spanning a0..a1 across it.
void band_backdrop(Html& h, const Thresholds& t, const Scale& s, bool horizontal, double a0, double a1);

/// The four bands with their colours and limits.
void legend(Html& h, const Thresholds& t);

}  // namespace caseload::report
