// League table: validation, measures, standardisation, the parametric
// bootstrap behind score intervals and rank ranges, and the tie rule.
// Definitions in docs/league_table.md.
#include "caseload/league.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "league/league_internal.hpp"
#include "league/league_options.hpp"
#include "base/random.hpp"
#include "base/stats.hpp"
#include "base/text.hpp"

namespace caseload {

using detail::num;

namespace league_detail {

std::string where_of(const PublishedFigures& f) {
  std::string s = "organisation " + quoted(f.organisation);
  if (f.service_area != "all") s += ", service_area " + quoted(f.service_area);
  return s;
}

}  // namespace league_detail

using league_detail::quoted;
using league_detail::where_of;

// ------------------------------------------------------------ intervals

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) {
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    throw Error(ErrorCode::invalid_argument, "normal_quantile: p must be in [0, 1], got " + num(p));
  }
  // Acklam's algorithm: rational approximations in the centre and the tails.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double lo = 0.02425;
  double x;
  if (p < lo) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // One Halley step against erfc takes the 1e-9 approximation to ~1e-15.
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

namespace {

void check_level(double level, const char* fn) {
  if (!(level >= 50 && level <= 99.9))
    throw Error(ErrorCode::invalid_argument, std::string(fn) + ": level must be in [50, 99.9], got " + num(level));
}

double z_of(double level) {
  return normal_quantile(0.5 + level / 200);
}

}  // namespace

Interval wilson_interval(double k, double n, double level) {
  check_level(level, "wilson_interval");
  if (!(n > 0) || !std::isfinite(n) || !(k >= 0) || k > n)
    throw Error(ErrorCode::invalid_argument,
                "wilson_interval: need 0 <= k <= n and n > 0, got k = " + num(k) + ", n = " + num(n));
  const double z = z_of(level), p = k / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  // Clamp rounding at the ends: k = 0 gives exactly 0, k = n exactly 1.
  return {k == 0 ? 0.0 : std::max(0.0, centre - half), k == n ? 1.0 : std::min(1.0, centre + half)};
}

Interval poisson_interval(double x, double level) {
  check_level(level, "poisson_interval");
  if (!(x >= 0) || !std::isfinite(x))
    throw Error(ErrorCode::invalid_argument, "poisson_interval: x must be a finite count >= 0, got " + num(x));
  const double z = z_of(level);
  // Byar's approximation to the Garwood (chi-square) limits.
  double lo = 0;
  if (x > 0) {
    const double t = 1 - 1 / (9 * x) - z / (3 * std::sqrt(x));
    lo = t > 0 ? x * t * t * t : 0;
  }
  const double x1 = x + 1;
  const double t = 1 - 1 / (9 * x1) + z / (3 * std::sqrt(x1));
  return {lo, x1 * t * t * t};
}

namespace {

// ------------------------------------------------------------ PRNG
// Own generator and samplers: std:: distributions are implementation-
// defined, and the table must be the same for a seed on every platform
// (up to the C library's log/exp/pow in the last bits).

using random::splitmix64;

// xoshiro256** with polar normals and Marsaglia-Tsang gammas (base/random.hpp).
using Rng = random::Rng;

// FNV-1a: each organisation's stream depends on the seed and its own name
// only, so adding an organisation leaves the others' draws unchanged.
uint64_t stream_seed(uint64_t seed, const std::string& name) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (const unsigned char ch : name) h = (h ^ ch) * 0x100000001b3ull;
  uint64_t s = seed ^ h;
  return splitmix64(s);
}

bool has(double v) {
  return std::isfinite(v);
}

// ------------------------------------------------------------ validation

[[noreturn]] void invalid(const PublishedFigures& f, const std::string& field, const std::string& rule, double got) {
  throw Error(ErrorCode::invalid_argument, where_of(f) + ": " + field + " " + rule + ", got " + num(got));
}

void check_count(const PublishedFigures& f, const char* field, double v) {
  if (std::isinf(v)) invalid(f, field, "must be finite", v);
  if (has(v) && v < 0) invalid(f, field, "must be >= 0", v);
}
void check_share(const PublishedFigures& f, const char* field, double v) {
  if (std::isinf(v)) invalid(f, field, "must be finite", v);
  if (has(v) && (v < 0 || v > 1)) invalid(f, field, "must be a fraction in [0, 1] (18.9% is 0.189)", v);
}

void validate(const PublishedFigures& f) {
  if (f.service_area.empty())
    throw Error(ErrorCode::invalid_argument, where_of(f) + ": service_area must not be empty");
  check_count(f, "case_holding_fte", f.case_holding_fte);
  check_count(f, "cases", f.cases);
  check_count(f, "average_caseload", f.average_caseload);
  if (std::isinf(f.stated_benchmark)) invalid(f, "stated_benchmark", "must be finite", f.stated_benchmark);
  if (has(f.stated_benchmark) && f.stated_benchmark <= 0)
    invalid(f, "stated_benchmark", "must be > 0", f.stated_benchmark);
  check_count(f, "workers", f.workers);
  check_count(f, "workers_over_benchmark", f.workers_over_benchmark);
  check_share(f, "share_over_benchmark", f.share_over_benchmark);
  check_count(f, "exceedance_weeks_past_year", f.exceedance_weeks_past_year);
  if (has(f.exceedance_weeks_past_year) && f.exceedance_weeks_past_year > 53)
    invalid(f, "exceedance_weeks_past_year", "must be at most 53", f.exceedance_weeks_past_year);
  check_share(f, "vacancy_rate", f.vacancy_rate);
  check_share(f, "agency_rate", f.agency_rate);
  check_share(f, "turnover_rate", f.turnover_rate);
  check_count(f, "asye_workers", f.asye_workers);
  check_count(f, "asye_protected", f.asye_protected);
  check_share(f, "asye_compliance", f.asye_compliance);
  if (has(f.workers_over_benchmark) && has(f.workers) && f.workers_over_benchmark > f.workers)
    invalid(f, "workers_over_benchmark", "must be <= workers (" + num(f.workers) + ")", f.workers_over_benchmark);
  if (has(f.asye_protected) && has(f.asye_workers) && f.asye_protected > f.asye_workers)
    invalid(f, "asye_protected", "must be <= asye_workers (" + num(f.asye_workers) + ")", f.asye_protected);
  if (has(f.case_holding_fte) && f.case_holding_fte == 0 && has(f.cases) && f.cases > 0)
    invalid(f, "case_holding_fte", "must be > 0 when cases > 0", f.case_holding_fte);
  // A published average is rounded (often to one decimal); a larger
  // disagreement means one of the three figures is wrong.
  if (has(f.cases) && has(f.case_holding_fte) && f.case_holding_fte > 0 && has(f.average_caseload)) {
    const double derived = f.cases / f.case_holding_fte;
    if (std::fabs(derived - f.average_caseload) > 0.05 + 0.005 * derived)
      invalid(f, "average_caseload", "must equal cases / case_holding_fte = " + detail::approx(derived),
              f.average_caseload);
  }
  if (has(f.workers_over_benchmark) && has(f.workers) && f.workers > 0 && has(f.share_over_benchmark)) {
    const double derived = f.workers_over_benchmark / f.workers;
    if (std::fabs(derived - f.share_over_benchmark) > 0.5 / f.workers + 1e-9)
      invalid(f, "share_over_benchmark", "must equal workers_over_benchmark / workers = " + detail::approx(derived),
              f.share_over_benchmark);
  }
  if (has(f.asye_protected) && has(f.asye_workers) && f.asye_workers > 0 && has(f.asye_compliance)) {
    const double derived = f.asye_protected / f.asye_workers;
    if (std::fabs(derived - f.asye_compliance) > 0.5 / f.asye_workers + 1e-9)
      invalid(f, "asye_compliance", "must equal asye_protected / asye_workers = " + detail::approx(derived),
              f.asye_compliance);
  }
}

// ------------------------------------------------------------ resolved figures

// A share with, when known, its counts (k of n).
struct Share {
  double p = kNotPublished, k = kNotPublished, n = kNotPublished;
  [[nodiscard]] bool counted() const { return has(k) && has(n) && n > 0; }
};

Share share_of(double k, double n, double p) {
  Share s;
  if (has(k) && has(n) && n > 0) {
    s.k = k;
    s.n = n;
    s.p = k / n;
  } else if (has(p) && has(n) && n > 0) {
    s.p = p;
    s.n = n;
    s.k = p * n;
  } else if (has(p)) {
    s.p = p;
  }
  return s;
}

// A rate published without its denominator: Wilson with n = workers (an
// approximation of posts) when workers are known.
Share rate_of(double rate, double workers) {
  Share s;
  s.p = rate;
  if (has(rate) && has(workers) && workers > 0) {
    s.n = workers;
    s.k = rate * workers;
  }
  return s;
}

struct Resolved {
  double fte = kNotPublished, cases = kNotPublished, caseload = kNotPublished, benchmark = kNotPublished;
  std::optional<bool> contractual;
  double workers = kNotPublished, over = kNotPublished, share_over = kNotPublished, weeks = kNotPublished;
  double vacancy = kNotPublished, agency = kNotPublished, turnover = kNotPublished;
  double asye_n = kNotPublished, asye_k = kNotPublished, asye_p = kNotPublished;
};

Resolved resolve(const PublishedFigures& f, std::vector<std::string>& notes) {
  Resolved r;
  r.fte = f.case_holding_fte;
  r.cases = f.cases;
  if (has(r.cases) && has(r.fte)) {
    if (r.fte > 0) r.caseload = r.cases / r.fte;
  } else if (has(f.average_caseload) && has(r.fte)) {
    r.cases = f.average_caseload * r.fte;
    r.caseload = f.average_caseload;
    notes.push_back("cases derived as average_caseload x case_holding_fte");
  } else if (has(f.average_caseload) && has(r.cases) && f.average_caseload > 0) {
    r.fte = r.cases / f.average_caseload;
    r.caseload = f.average_caseload;
    notes.push_back("case_holding_fte derived as cases / average_caseload");
  } else if (has(f.average_caseload)) {
    r.caseload = f.average_caseload;
    notes.push_back("average caseload published without cases and FTE: no interval");
  }
  r.benchmark = f.stated_benchmark;
  r.contractual = f.benchmark_contractual;
  r.workers = f.workers;
  r.over = f.workers_over_benchmark;
  r.share_over = f.share_over_benchmark;
  r.weeks = f.exceedance_weeks_past_year;
  r.vacancy = f.vacancy_rate;
  r.agency = f.agency_rate;
  r.turnover = f.turnover_rate;
  r.asye_n = f.asye_workers;
  r.asye_k = f.asye_protected;
  r.asye_p = f.asye_compliance;
  return r;
}

// Organisation-level figures from per-area rows (no "all" row): sums of
// counts, FTE-weighted means of targets and rates, the longest exceedance;
// a figure is missing when any area misses what it needs.
Resolved aggregate(const std::vector<Resolved>& areas) {
  Resolved r;
  auto sum = [&](auto get) {
    double s = 0;
    for (const auto& a : areas) {
      const double v = get(a);
      if (!has(v)) return kNotPublished;
      s += v;
    }
    return s;
  };
  auto fte_mean = [&](auto get) {
    double s = 0, w = 0;
    for (const auto& a : areas) {
      const double v = get(a);
      if (!has(v) || !has(a.fte)) return kNotPublished;
      s += v * a.fte;
      w += a.fte;
    }
    return w > 0 ? s / w : kNotPublished;
  };
  r.fte = sum([](const Resolved& a) { return a.fte; });
  r.cases = sum([](const Resolved& a) { return a.cases; });
  if (has(r.fte) && has(r.cases) && r.fte > 0) r.caseload = r.cases / r.fte;
  r.benchmark = fte_mean([](const Resolved& a) { return a.benchmark; });
  bool all_true = true, any_false = false;
  for (const auto& a : areas) {
    all_true = all_true && a.contractual.value_or(false);
    any_false = any_false || (a.contractual && !*a.contractual);
  }
  if (any_false)
    r.contractual = false;
  else if (all_true)
    r.contractual = true;
  r.workers = sum([](const Resolved& a) { return a.workers; });
  r.over = sum([](const Resolved& a) {
    if (has(a.over)) return a.over;
    return has(a.share_over) && has(a.workers) ? a.share_over * a.workers : kNotPublished;
  });
  double weeks = 0;
  for (const auto& a : areas) weeks = has(a.weeks) && has(weeks) ? std::max(weeks, a.weeks) : kNotPublished;
  r.weeks = weeks;
  r.vacancy = fte_mean([](const Resolved& a) { return a.vacancy; });
  r.agency = fte_mean([](const Resolved& a) { return a.agency; });
  r.turnover = fte_mean([](const Resolved& a) { return a.turnover; });
  r.asye_n = sum([](const Resolved& a) { return a.asye_n; });
  r.asye_k = sum([](const Resolved& a) {
    if (has(a.asye_k)) return a.asye_k;
    return has(a.asye_p) && has(a.asye_n) ? a.asye_p * a.asye_n : kNotPublished;
  });
  return r;
}

// ------------------------------------------------------------ scoring

constexpr int kComponents = 9;
enum Component { kRef = 0, kTarget, kOver, kWeeks, kAsye, kVacancy, kAgency, kTurnover, kContractual };

std::array<double, kComponents> weights_of(const LeagueWeights& w) {
  return {w.caseload_vs_reference,
          w.caseload_vs_target,
          w.share_over_benchmark,
          w.exceedance,
          w.asye_protection,
          w.vacancy,
          w.agency,
          w.turnover,
          w.contractual};
}

double clamp01(double v) {
  return std::clamp(v, 0.0, 1.0);
}

// The values one draw (or the point estimate) of an organisation's measures
// takes; NaN = missing.
struct Values {
  double adjusted = kNotPublished;  // caseload compared with the reference
  double caseload = kNotPublished;  // crude, compared with the own target
  double benchmark = kNotPublished;
  double over = kNotPublished, weeks = kNotPublished, asye = kNotPublished;
  double vacancy = kNotPublished, agency = kNotPublished, turnover = kNotPublished;
  std::optional<bool> contractual;
};

// Component scores, 0-100, higher is better (transforms documented in
// docs/league_table.md).
std::array<double, kComponents> components(const Values& v, double reference) {
  std::array<double, kComponents> s;
  s.fill(kNotPublished);
  if (has(v.adjusted)) s[kRef] = 100 * clamp01(1.5 - v.adjusted / reference);
  if (has(v.caseload) && has(v.benchmark)) s[kTarget] = 100 * clamp01((1.25 - v.caseload / v.benchmark) / 0.5);
  if (has(v.over)) s[kOver] = 100 * (1 - v.over);
  if (has(v.weeks)) s[kWeeks] = 100 * (1 - std::min(v.weeks, 52.0) / 52);
  if (has(v.asye)) s[kAsye] = 100 * v.asye;
  if (has(v.vacancy)) s[kVacancy] = 100 * clamp01(1 - 2 * v.vacancy);
  if (has(v.agency)) s[kAgency] = 100 * clamp01(1 - 2 * v.agency);
  if (has(v.turnover)) s[kTurnover] = 100 * clamp01(1 - 2 * v.turnover);
  if (v.contractual) s[kContractual] = *v.contractual ? 100 : 0;
  return s;
}

double composite(const std::array<double, kComponents>& s, const std::array<double, kComponents>& w) {
  double num_ = 0, den = 0;
  for (int i = 0; i < kComponents; ++i)
    if (has(s[i]) && w[i] > 0) {
      num_ += w[i] * s[i];
      den += w[i];
    }
  return den > 0 ? num_ / den : kNotPublished;
}

// Everything the bootstrap needs about one organisation.
struct Model {
  Values point;
  double cases = kNotPublished, fte = kNotPublished;                                  // crude counts
  double observed = kNotPublished, expected = kNotPublished, pooled = kNotPublished;  // standardisation
  bool standardised = false;
  Share over, asye, vacancy, agency, turnover;

  Values draw(Rng& rng) const {
    Values v = point;
    double q = kNotPublished;  // relative change of the caseload in this draw
    if (has(cases) && has(fte) && fte > 0) {
      // Jeffreys posterior of a Poisson count: Gamma(x + 1/2).
      const double c = rng.gamma(cases + 0.5);
      v.caseload = c / fte;
      if (cases > 0) q = c / cases;
    }
    if (standardised) {
      v.adjusted = has(q) ? point.adjusted * q : rng.gamma(observed + 0.5) / expected * pooled;
    } else if (has(cases) && has(fte) && fte > 0) {
      v.adjusted = v.caseload;
    }
    auto share = [&](const Share& s, double fixed) {
      return s.counted() ? rng.beta(s.k + 0.5, s.n - s.k + 0.5) : fixed;
    };
    v.over = share(over, point.over);
    v.asye = share(asye, point.asye);
    v.vacancy = share(vacancy, point.vacancy);
    v.agency = share(agency, point.agency);
    v.turnover = share(turnover, point.turnover);
    return v;
  }
};

Estimate rate_estimate(double count, double denom, double level) {
  Estimate e;
  if (!has(count) || !has(denom) || denom <= 0) return e;
  const Interval ci = poisson_interval(count, level);
  e.value = count / denom;
  e.lo = ci.lo / denom;
  e.hi = ci.hi / denom;
  return e;
}

Estimate share_estimate(const Share& s, double level) {
  Estimate e;
  if (!has(s.p)) return e;
  e.value = s.p;
  if (s.counted()) {
    const Interval ci = wilson_interval(std::clamp(s.k, 0.0, s.n), s.n, level);
    e.lo = ci.lo;
    e.hi = ci.hi;
  }
  return e;
}

Estimate scaled(const Estimate& e, double factor) {
  return {e.value * factor, e.lo * factor, e.hi * factor};
}

// Nearest-rank percentile of ascending `sorted` (non-empty), p in (0, 100).
double percentile(const std::vector<double>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<int64_t>(std::ceil(p / 100 * n - 1e-9));
  rank = std::clamp<int64_t>(rank, 1, static_cast<int64_t>(sorted.size()));
  return sorted[static_cast<size_t>(rank - 1)];
}

// Overlap of two intervals as a fraction of the narrower one. A zero-width
// interval overlaps fully when its point lies in the other interval.
double overlap(const Estimate& a, const Estimate& b) {
  const double wa = a.hi - a.lo, wb = b.hi - b.lo;
  const double inter = std::min(a.hi, b.hi) - std::max(a.lo, b.lo);
  if (inter < 0) return 0;
  const double narrow = std::min(wa, wb);
  if (narrow <= 0) return 1;
  return inter / narrow;
}

// Ranges come from the option records (league_options.cpp); what they
// cannot say (the weights must not all be zero) is checked here.
void validate_options(const LeagueOptions& o) {
  options::validate(o, league::league_option_records(), "league options");
  const auto ws = weights_of(o.weights);
  double total = 0;
  for (int i = 0; i < kComponents; ++i) total += ws[i];
  if (!(total > 0)) throw Error(ErrorCode::invalid_argument, "league options: weights must not all be zero");
}

}  // namespace

// ------------------------------------------------------------ the table

LeagueTable league_table(const std::vector<PublishedFigures>& input, const LeagueOptions& options) {
  validate_options(options);
  if (input.empty()) throw Error(ErrorCode::invalid_argument, "league table: no published figures given");

  // Validate every row and group by organisation (std::map: name order).
  struct OrgRows {
    const PublishedFigures* all = nullptr;
    std::vector<const PublishedFigures*> areas;  // by service area name
  };
  std::map<std::string, OrgRows> orgs;
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < input.size(); ++i) {
    const PublishedFigures& f = input[i];
    if (f.organisation.empty())
      throw Error(ErrorCode::invalid_argument,
                  "published figures row " + std::to_string(i + 1) + ": organisation must not be empty");
    validate(f);
    if (!seen.insert({f.organisation, f.service_area}).second)
      throw Error(ErrorCode::duplicate, "organisation " + quoted(f.organisation) + ": duplicate row for service_area " +
                                            quoted(f.service_area));
    auto& o = orgs[f.organisation];
    if (f.service_area == "all")
      o.all = &f;
    else
      o.areas.push_back(&f);
  }
  for (auto& [name, o] : orgs)
    std::sort(o.areas.begin(), o.areas.end(),
              [](const PublishedFigures* a, const PublishedFigures* b) { return a->service_area < b->service_area; });

  LeagueTable table;
  table.options = options;
  const bool within = !options.service_area.empty();
  if (within) {
    bool any = false;
    for (const auto& [name, o] : orgs)
      for (const auto* a : o.areas) any = any || a->service_area == options.service_area;
    if (!any && options.service_area != "all")
      throw Error(ErrorCode::not_found,
                  "league options: service_area " + quoted(options.service_area) + " is published by no organisation");
  }

  // Standard population for indirect standardisation: every area row with
  // cases and FTE, pooled per service area.
  std::map<std::string, std::pair<double, double>> pool;  // area -> (cases, fte)
  if (!within) {
    for (const auto& [name, o] : orgs)
      for (const auto* a : o.areas) {
        std::vector<std::string> ignored;
        const Resolved r = resolve(*a, ignored);
        if (has(r.cases) && has(r.fte) && r.fte > 0) {
          pool[a->service_area].first += r.cases;
          pool[a->service_area].second += r.fte;
        }
      }
    double c = 0, f = 0;
    for (const auto& [area, cf] : pool) {
      LeagueAreaFigures ref;
      ref.service_area = area;
      ref.cases = cf.first;
      ref.case_holding_fte = cf.second;
      ref.caseload_per_fte = cf.first / cf.second;
      ref.reference_caseload = ref.caseload_per_fte;
      table.reference.push_back(ref);
      c += cf.first;
      f += cf.second;
    }
    if (f > 0) table.pooled_caseload = c / f;
  }

  const auto weights = weights_of(options.weights);
  double total_weight = 0;
  for (const double w : weights) total_weight += w;

  std::vector<LeagueRow> rows;
  std::vector<Model> models;
  for (const auto& [name, o] : orgs) {
    LeagueRow row;
    row.organisation = name;
    Resolved r;
    if (within) {
      const PublishedFigures* pick = nullptr;
      if (options.service_area == "all") pick = o.all;
      for (const auto* a : o.areas)
        if (a->service_area == options.service_area) pick = a;
      if (pick == nullptr) continue;  // not published for this area: not in this comparison
      r = resolve(*pick, row.notes);
    } else {
      std::vector<Resolved> areas;
      for (const auto* a : o.areas) {
        std::vector<std::string> area_notes;
        areas.push_back(resolve(*a, area_notes));
        for (const auto& n : area_notes) row.notes.push_back(a->service_area + ": " + n);
        LeagueAreaFigures af;
        af.service_area = a->service_area;
        af.case_holding_fte = areas.back().fte;
        af.cases = areas.back().cases;
        af.caseload_per_fte = areas.back().caseload;
        af.stated_benchmark = areas.back().benchmark;
        if (const auto it = pool.find(a->service_area); it != pool.end())
          af.reference_caseload = it->second.first / it->second.second;
        row.service_areas.push_back(af);
      }
      if (o.all != nullptr) {
        r = resolve(*o.all, row.notes);
      } else {
        r = aggregate(areas);
        row.notes.push_back("organisation figures combined from its service areas");
      }
      // Standardise when every area of the organisation has cases and FTE.
      if (options.standardise && !areas.empty() && has(table.pooled_caseload)) {
        double observed = 0, expected = 0, fte = 0;
        bool complete = true;
        for (size_t i = 0; i < areas.size(); ++i) {
          const auto it = pool.find(o.areas[i]->service_area);
          if (!has(areas[i].cases) || !has(areas[i].fte) || it == pool.end()) {
            complete = false;
            break;
          }
          observed += areas[i].cases;
          expected += areas[i].fte * it->second.first / it->second.second;
          fte += areas[i].fte;
        }
        if (complete && expected > 0) {
          row.standardised = true;
          row.expected_caseload = expected / fte;
          const Interval ci = poisson_interval(observed, options.level);
          row.standardised_ratio = {observed / expected, ci.lo / expected, ci.hi / expected};
          row.adjusted_caseload = scaled(row.standardised_ratio, table.pooled_caseload);
        }
      }
      if (!row.standardised) row.notes.push_back("caseload not standardised for service-area mix");
    }

    row.case_holding_fte = r.fte;
    row.cases = r.cases;
    row.workers = r.workers;
    row.stated_benchmark = r.benchmark;
    row.benchmark_contractual = r.contractual;
    row.exceedance_weeks = r.weeks;
    row.caseload_per_fte = rate_estimate(r.cases, r.fte, options.level);
    if (row.caseload_per_fte.missing() && has(r.caseload)) row.caseload_per_fte.value = r.caseload;
    if (!row.standardised) row.adjusted_caseload = row.caseload_per_fte;
    row.ratio_to_reference = scaled(row.adjusted_caseload, 1 / options.reference_caseload);
    if (has(r.benchmark)) row.ratio_to_target = scaled(row.caseload_per_fte, 1 / r.benchmark);

    Model m;
    m.cases = r.cases;
    m.fte = r.fte;
    m.standardised = row.standardised;
    if (row.standardised) m.pooled = table.pooled_caseload;
    m.over = share_of(r.over, r.workers, r.share_over);
    m.asye = share_of(r.asye_k, r.asye_n, r.asye_p);
    if (has(r.asye_n) && r.asye_n == 0) {
      m.asye = Share{};
      row.notes.push_back("no ASYEs: ASYE protection not scored");
    }
    m.vacancy = rate_of(r.vacancy, r.workers);
    m.agency = rate_of(r.agency, r.workers);
    m.turnover = rate_of(r.turnover, r.workers);
    row.share_over_benchmark = share_estimate(m.over, options.level);
    row.asye_compliance = share_estimate(m.asye, options.level);
    row.asye_workers = has(r.asye_n) ? r.asye_n : kNotPublished;
    row.asye_protected = m.asye.counted() ? m.asye.k : kNotPublished;
    row.vacancy_rate = share_estimate(m.vacancy, options.level);
    row.agency_rate = share_estimate(m.agency, options.level);
    row.turnover_rate = share_estimate(m.turnover, options.level);

    m.point.adjusted = row.adjusted_caseload.value;
    m.point.caseload = row.caseload_per_fte.value;
    m.point.benchmark = r.benchmark;
    m.point.over = m.over.p;
    m.point.weeks = r.weeks;
    m.point.asye = m.asye.p;
    m.point.vacancy = m.vacancy.p;
    m.point.agency = m.agency.p;
    m.point.turnover = m.turnover.p;
    m.point.contractual = r.contractual;
    if (row.standardised) {
      // Draws need observed and expected cases, not per-FTE figures.
      double observed = 0, expected = 0;
      for (const auto& af : row.service_areas) {
        observed += af.cases;
        expected += af.case_holding_fte * af.reference_caseload;
      }
      m.observed = observed;
      m.expected = expected;
    }

    const auto s = components(m.point, options.reference_caseload);
    double covered = 0;
    for (int i = 0; i < kComponents; ++i)
      if (has(s[i])) covered += weights[i];
    row.coverage = total_weight > 0 ? covered / total_weight : 0;
    row.score.value = composite(s, weights);
    row.score.lo = row.score.hi = row.score.value;
    if (row.coverage + 1e-12 < options.min_coverage || !has(row.score.value)) {
      row.notes.push_back("not ranked: figures cover " + league_detail::fixed(100 * row.coverage, 0) +
                          "% of the score's weight (minimum " + league_detail::fixed(100 * options.min_coverage, 0) +
                          "%)");
    }
    rows.push_back(std::move(row));
    models.push_back(std::move(m));
  }

  std::vector<size_t> ranked;
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].coverage + 1e-12 >= options.min_coverage && has(rows[i].score.value)) ranked.push_back(i);

  // Parametric bootstrap: each ranked organisation's counts are redrawn
  // from their sampling distributions; scores and ranks are recomputed per
  // draw. Each organisation has its own stream (seed + name).
  const auto draws = static_cast<size_t>(options.draws);
  if (draws > 0 && !ranked.empty()) {
    std::vector<std::vector<double>> scores(ranked.size(), std::vector<double>(draws));
    for (size_t j = 0; j < ranked.size(); ++j) {
      Rng rng(stream_seed(options.seed, rows[ranked[j]].organisation));
      for (size_t b = 0; b < draws; ++b)
        scores[j][b] = composite(components(models[ranked[j]].draw(rng), options.reference_caseload), weights);
    }
    std::vector<std::vector<double>> ranks(ranked.size(), std::vector<double>(draws));
    std::vector<double> column(ranked.size());
    for (size_t b = 0; b < draws; ++b) {
      for (size_t j = 0; j < ranked.size(); ++j) column[j] = scores[j][b];
      std::vector<double> sorted = column;
      std::sort(sorted.begin(), sorted.end(), std::greater<>());
      for (size_t j = 0; j < ranked.size(); ++j) {
        // Competition rank: 1 + number of strictly higher scores.
        const auto higher =
            std::lower_bound(sorted.begin(), sorted.end(), column[j], std::greater<>()) - sorted.begin();
        ranks[j][b] = static_cast<double>(higher + 1);
      }
    }
    const double tail = (100 - options.level) / 2;
    for (size_t j = 0; j < ranked.size(); ++j) {
      auto& row = rows[ranked[j]];
      std::sort(scores[j].begin(), scores[j].end());
      std::sort(ranks[j].begin(), ranks[j].end());
      row.score.lo = percentile(scores[j], tail);
      row.score.hi = percentile(scores[j], 100 - tail);
      row.rank_lo = static_cast<int32_t>(percentile(ranks[j], tail));
      row.rank_hi = static_cast<int32_t>(percentile(ranks[j], 100 - tail));
    }
  }

  // Order by score (then name), then form bands: an organisation joins the
  // band of the band's leader when their score intervals overlap by at
  // least tie_overlap of the narrower one; equal scores always tie.
  std::stable_sort(ranked.begin(), ranked.end(), [&](size_t a, size_t b) {
    if (rows[a].score.value != rows[b].score.value) return rows[a].score.value > rows[b].score.value;
    return rows[a].organisation < rows[b].organisation;
  });
  size_t band_start = 0;
  for (size_t p = 0; p < ranked.size(); ++p) {
    auto& row = rows[ranked[p]];
    const auto& leader = rows[ranked[band_start]];
    const bool joins = p > band_start && (row.score.value == leader.score.value ||
                                          overlap(leader.score, row.score) >= options.tie_overlap);
    if (p > band_start && !joins) band_start = p;
    row.rank = static_cast<int32_t>(band_start + 1);
    // Without draws the range is the position itself.
    if (row.rank_lo == 0) row.rank_lo = row.rank_hi = static_cast<int32_t>(p + 1);
  }
  for (size_t p = 0; p < ranked.size(); ++p) {
    const int32_t r = rows[ranked[p]].rank;
    const bool prev = p > 0 && rows[ranked[p - 1]].rank == r;
    const bool next = p + 1 < ranked.size() && rows[ranked[p + 1]].rank == r;
    rows[ranked[p]].tied = prev || next;
  }

  std::vector<bool> is_ranked(rows.size(), false);
  for (const size_t i : ranked) {
    is_ranked[i] = true;
    table.rows.push_back(rows[i]);
  }
  for (size_t i = 0; i < rows.size(); ++i)
    if (!is_ranked[i]) table.rows.push_back(std::move(rows[i]));
  return table;
}

}  // namespace caseload
