// Exponential smoothing state space models (ETS), after Hyndman, Koehler,
// Ord & Snyder (2008), "Forecasting with Exponential Smoothing", and the
// structure of R forecast::ets / statsforecast's ets.cpp: maximum likelihood
// by Nelder-Mead over the smoothing parameters and the initial states, with
// the "usual" bounds and the admissible (forecastability) region enforced.
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "forecast/forecast_internal.hpp"

namespace caseload::fc {
namespace {

constexpr double kLower[4] = {1e-4, 1e-4, 1e-4, 0.8};  // alpha, beta, gamma, phi
constexpr double kUpper[4] = {0.9999, 0.9999, 0.9999, 0.98};
constexpr double kTiny = 1e-10;
constexpr int kMaxEvaluations = 2000;  // R's ets default maxit
constexpr int kMaxSeasonStates = 31;
// Relative tolerance on the criterion n log(SSE) (+ 2 sum log|yhat|). R's
// optim default is 1.5e-8; on the M3 monthly data 1e-5 gives the same
// accuracy (sMAPE 14.346 against 14.350) with 40% fewer evaluations.
constexpr double kRelTol = 1e-5;

bool has_trend(const EtsSpec& s) {
  return s.trend != Trend::none;
}
bool has_season(const EtsSpec& s) {
  return s.season != Season::none;
}
bool damped(const EtsSpec& s) {
  return s.trend == Trend::damped;
}

// Number of optimised parameters: smoothing parameters, l0, b0 and m-1 free
// seasonal states (the last follows from normalisation).
int n_free(const EtsSpec& s, int m) {
  return 2 + (has_trend(s) ? 2 : 0) + (has_season(s) ? m : 0) + (damped(s) ? 1 : 0);
}

// True when every root of sum c[i] z^i (c[d] != 0) has modulus < 1, by the
// Schur-Cohn recursion: O(d^2), far cheaper than a companion-matrix eigen
// solve in the optimiser's inner loop.
// `c` has d + 1 coefficients and is overwritten; `q` is scratch of d values.
// Runs in the optimiser's inner loop, so it works in caller-owned buffers.
bool roots_inside_unit_circle(double* c, int d, double* q) noexcept {
  while (d > 0) {
    if (std::fabs(c[0]) >= std::fabs(c[d])) return false;
    double big = 0;
    for (int k = 0; k < d; ++k) {
      q[k] = c[d] * c[k + 1] - c[0] * c[d - 1 - k];
      big = std::max(big, std::fabs(q[k]));
    }
    if (!(big > 0)) return false;
    const double inv = 1.0 / big;
    for (int k = 0; k < d; ++k) c[k] = q[k] * inv;
    --d;
  }
  return true;
}

// R forecast:::admissible().
bool admissible(double alpha, double beta, double gamma, double phi, int m, bool seasonal) {
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!seasonal) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha)) return false;
    return true;
  }
  if (gamma < std::max(1 - 1 / phi - alpha, 0.0) || gamma > 1 + 1 / phi - alpha) return false;
  const double md = m;
  if (alpha < 1 - 1 / phi - gamma * (1 - md + phi + phi * md) / (2 * phi * md)) return false;
  if (beta < -(1 - phi) * (gamma / md + alpha)) return false;
  // Characteristic polynomial (increasing powers); roots may lie on the
  // unit circle up to 1e-10, so test p(R z) with R = 1 + 1e-10.
  // m <= kMaxSeasonStates (checked by fit_ets_model), so the polynomial fits on the stack.
  std::array<double, kMaxSeasonStates + 2> p{};
  std::array<double, kMaxSeasonStates + 2> q{};
  p[0] = phi * (1 - alpha - gamma);
  p[1] = alpha + beta - alpha * phi + gamma - 1;
  for (int i = 2; i < m; ++i) p[i] = alpha + beta - alpha * phi;
  p[m] = alpha + beta - phi;
  p[m + 1] = 1;
  const double r = 1 + 1e-10;
  double rp = 1;
  for (int i = 0; i <= m + 1; ++i) {
    p[i] *= rp;
    rp *= r;
  }
  return roots_inside_unit_circle(p.data(), m + 1, q.data());
}

struct Params {
  double alpha = 0, beta = 0, gamma = 0, phi = 1, l0 = 0, b0 = 0;
  std::vector<double> s;  // m initial seasonal states by cycle position
};

struct Trace {
  std::vector<double>* fitted = nullptr;
  std::vector<double>* resid = nullptr;
  std::vector<double>* level = nullptr;   // n+1
  std::vector<double>* trend = nullptr;   // n+1
  std::vector<double>* season = nullptr;  // (n+1)*m
};

// The ETS recursion in its y-form, which is the same for additive and
// multiplicative errors (only the likelihood differs). Returns the criterion
// n log(sum e^2) + 2 sum log|yhat| (the second term for multiplicative
// errors), +inf when the states leave the region where the model is defined.
// `s` is a work buffer of m values, overwritten.
//
// This is the optimiser's inner loop (thousands of calls per fit), so the
// model structure is a template parameter (no per-step branches on it) and
// the log-likelihood's sum of logs is taken as the log of running products,
// one log() per kLogBlock steps instead of one per step.
template <bool kTrend, Season kSeason, bool kMultError>
double filter(int m, const double* y, int n, const Params& p, double phi, double* s, const Trace& tr) {
  constexpr bool kSeas = kSeason != Season::none;
  constexpr bool kMSeas = kSeason == Season::multiplicative;
  // |yhat| is within [1e-10, ~1e10] on data scaled to mean 1, so a product
  // of 8 stays far inside the double range.
  constexpr int kLogBlock = 8;
  double l = p.l0, b = kTrend ? p.b0 : 0.0;
  if (kSeas) std::copy(p.s.begin(), p.s.end(), s);
  const double alpha = p.alpha, gamma = p.gamma;
  const double beta_star = kTrend ? p.beta / p.alpha : 0.0;
  double sse = 0, sumlog = 0, prod = 1;
  int j = 0, block = 0;
  const bool trace = tr.fitted || tr.resid || tr.level || tr.trend || tr.season;
  auto snapshot = [&](int t) {
    if (tr.level) (*tr.level)[t] = l;
    if (tr.trend) (*tr.trend)[t] = b;
    if (tr.season && kSeas) std::copy(s, s + m, tr.season->begin() + static_cast<ptrdiff_t>(t) * m);
  };
  if (trace) snapshot(0);
  for (int t = 0; t < n; ++t) {
    const double q = kTrend ? l + phi * b : l;
    const double sv = kSeas ? s[j] : 0.0;
    const double yhat = kSeas ? (kMSeas ? q * sv : q + sv) : q;
    double e;
    if constexpr (kMultError) {
      if (!(yhat > kTiny)) return INFINITY;
      e = (y[t] - yhat) / yhat;
      prod *= yhat;
      if (++block == kLogBlock) {
        sumlog += std::log(prod);
        prod = 1;
        block = 0;
      }
    } else {
      e = y[t] - yhat;
    }
    sse += e * e;
    if (trace) {
      if (tr.fitted) (*tr.fitted)[t] = yhat;
      if (tr.resid) (*tr.resid)[t] = e;
    }
    double pv = y[t];
    if constexpr (kMSeas) {
      if (!(sv > kTiny)) return INFINITY;
      pv = y[t] / sv;
    } else if constexpr (kSeas) {
      pv = y[t] - sv;
    }
    const double lnew = q + alpha * (pv - q);
    if constexpr (kTrend) b = phi * b + beta_star * (lnew - l - phi * b);
    if constexpr (kSeas) {
      double tv;
      if constexpr (kMSeas) {
        if (!(std::fabs(q) > kTiny)) return INFINITY;
        tv = y[t] / q;
      } else {
        tv = y[t] - q;
      }
      s[j] = sv + gamma * (tv - sv);
      if (++j == m) j = 0;
    }
    l = lnew;
    if (trace) snapshot(t + 1);
  }
  // Checked once at the end: a non-finite state makes every later value and
  // sse non-finite too, so nothing is lost by not checking every step.
  if (!std::isfinite(l) || !std::isfinite(b) || !std::isfinite(sse)) return INFINITY;
  if constexpr (kMultError) sumlog += std::log(prod);
  // A perfect fit would give log(0); flooring the sum of squares keeps the
  // criterion finite so that AICc still prefers the simpler exact model.
  const double floor_sse = static_cast<double>(n) * 1e-20;
  return n * std::log(std::max(sse, floor_sse)) + 2 * sumlog;
}

using FilterFn = double (*)(int, const double*, int, const Params&, double, double*, const Trace&);

template <bool kTrend, Season kSeason>
FilterFn pick_error(bool mult_error) {
  return mult_error ? &filter<kTrend, kSeason, true> : &filter<kTrend, kSeason, false>;
}
template <bool kTrend>
FilterFn pick_season(const EtsSpec& sp) {
  switch (sp.season) {
    case Season::none:
      return pick_error<kTrend, Season::none>(sp.mult_error);
    case Season::additive:
      return pick_error<kTrend, Season::additive>(sp.mult_error);
    case Season::multiplicative:
      break;
  }
  return pick_error<kTrend, Season::multiplicative>(sp.mult_error);
}
FilterFn pick_filter(const EtsSpec& sp) {
  return has_trend(sp) ? pick_season<true>(sp) : pick_season<false>(sp);
}

double run_filter(const EtsSpec& sp, int m, const double* y, int n, const Params& p, double* s, const Trace& tr) {
  return pick_filter(sp)(m, y, n, p, damped(sp) ? p.phi : 1.0, s, tr);
}

// Parameter vector layout: alpha, [beta], [gamma], [phi], l0, [b0]. The
// seasonal states are not optimised (see fit_ets_model): unpack() leaves p.s
// as it is.
struct Layout {
  EtsSpec sp;
  int m;
  // Parameters for the AICc: smoothing parameters, l0, b0 and the m - 1 free
  // seasonal states (estimated by decomposition, not by the optimiser).
  [[nodiscard]] int size() const { return n_free(sp, m); }

  bool unpack(const std::vector<double>& x, Params& p) const {
    int i = 0;
    p.alpha = x[i++];
    if (has_trend(sp)) p.beta = x[i++];
    if (has_season(sp)) p.gamma = x[i++];
    p.phi = damped(sp) ? x[i++] : 1.0;
    p.l0 = x[i++];
    if (has_trend(sp)) p.b0 = x[i++];
    // The "usual" bounds, then the admissible region ("both" in R).
    if (p.alpha < kLower[0] || p.alpha > kUpper[0]) return false;
    if (has_trend(sp) && (p.beta < kLower[1] || p.beta > p.alpha || p.beta > kUpper[1])) return false;
    if (damped(sp) && (p.phi < kLower[3] || p.phi > kUpper[3])) return false;
    if (has_season(sp) && (p.gamma < kLower[2] || p.gamma > 1 - p.alpha || p.gamma > kUpper[2])) return false;
    return admissible(p.alpha, p.beta, p.gamma, p.phi, m, has_season(sp));
  }
};

// Nelder-Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) with
// R optim's stopping rule: relative spread of the simplex values below
// `reltol`, or `max_evals` evaluations.
template <class F>
double nelder_mead(F&& f, std::vector<double>& x, const std::vector<double>& step, int max_evals, double reltol) {
  const int d = static_cast<int>(x.size());
  std::vector<std::vector<double>> v(d + 1, x);
  std::vector<double> fv(d + 1);
  for (int i = 0; i < d; ++i) v[i + 1][i] += step[i];
  int evals = 0;
  for (int i = 0; i <= d; ++i, ++evals) fv[i] = f(v[i]);
  std::vector<double> c(d), xr(d), xe(d), xc(d);
  std::vector<int> order(d + 1);
  while (evals < max_evals) {
    // Stable insertion sort: d is small and std::stable_sort would allocate
    // a buffer on every iteration.
    std::iota(order.begin(), order.end(), 0);
    for (int i = 1; i <= d; ++i) {
      const int key = order[i];
      int k = i - 1;
      while (k >= 0 && fv[order[k]] > fv[key]) {
        order[k + 1] = order[k];
        --k;
      }
      order[k + 1] = key;
    }
    const int best = order[0], worst = order[d], second = order[d - 1];
    if (std::isfinite(fv[worst]) && fv[worst] - fv[best] <= reltol * (std::fabs(fv[best]) + reltol)) break;
    std::fill(c.begin(), c.end(), 0.0);
    for (int i = 0; i <= d; ++i)
      if (i != worst)
        for (int k = 0; k < d; ++k) c[k] += v[i][k] / d;
    for (int k = 0; k < d; ++k) xr[k] = c[k] + (c[k] - v[worst][k]);
    const double fr = f(xr);
    ++evals;
    if (fr < fv[best]) {
      for (int k = 0; k < d; ++k) xe[k] = c[k] + 2 * (c[k] - v[worst][k]);
      const double fe = f(xe);
      ++evals;
      if (fe < fr) {
        v[worst] = xe;
        fv[worst] = fe;
      } else {
        v[worst] = xr;
        fv[worst] = fr;
      }
      continue;
    }
    if (fr < fv[second]) {
      v[worst] = xr;
      fv[worst] = fr;
      continue;
    }
    // Contract towards the better of the worst point and its reflection.
    const bool outside = fr < fv[worst];
    for (int k = 0; k < d; ++k) xc[k] = outside ? c[k] + 0.5 * (xr[k] - c[k]) : c[k] + 0.5 * (v[worst][k] - c[k]);
    const double fc = f(xc);
    ++evals;
    if (fc < std::min(fr, fv[worst])) {
      v[worst] = xc;
      fv[worst] = fc;
      continue;
    }
    for (int i = 0; i <= d; ++i) {
      if (i == best) continue;
      for (int k = 0; k < d; ++k) v[i][k] = v[best][k] + 0.5 * (v[i][k] - v[best][k]);
      fv[i] = f(v[i]);
      ++evals;
    }
  }
  const int best = static_cast<int>(std::min_element(fv.begin(), fv.end()) - fv.begin());
  x = v[best];
  return fv[best];
}

// Ordinary least squares of v[0..k) on t = 1..k: returns {intercept, slope}.
std::pair<double, double> line_fit(const std::vector<double>& v, int k) {
  double st = 0, sv = 0;
  for (int t = 0; t < k; ++t) {
    st += t + 1;
    sv += v[t];
  }
  const double mt = st / k, mv = sv / k;
  double sxy = 0, sxx = 0;
  for (int t = 0; t < k; ++t) {
    sxy += (t + 1 - mt) * (v[t] - mv);
    sxx += (t + 1 - mt) * (t + 1 - mt);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0.0;
  return {mv - slope * mt, slope};
}

// Heuristic initial states, as R forecast:::initstate().
Params initial_params(const std::vector<double>& y, int m, const EtsSpec& sp) {
  const int n = static_cast<int>(y.size());
  Params p;
  std::vector<double> ysa = y;
  if (has_season(sp)) {
    const bool mult = sp.season == Season::multiplicative;
    std::vector<double> fig;
    if (n >= 3 * m) {
      fig = seasonal_figure(y, m, mult);
    } else {
      // Too short for a moving average: detrend by a straight line.
      auto [a, b] = line_fit(y, n);
      fig.assign(m, 0.0);
      std::vector<int> cnt(m, 0);
      for (int t = 0; t < n; ++t) {
        const double tr = a + b * (t + 1);
        fig[t % m] += mult ? (tr > kTiny ? y[t] / tr : 1.0) : y[t] - tr;
        cnt[t % m]++;
      }
      double mean = 0;
      for (int j = 0; j < m; ++j) mean += (fig[j] /= std::max(cnt[j], 1)) / m;
      for (auto& f : fig) f = mult ? (mean > kTiny ? f / mean : 1.0) : f - mean;
    }
    if (mult) {
      double sum = 0;
      for (auto& f : fig) sum += (f = std::max(f, 1e-2));
      for (auto& f : fig) f *= m / sum;
    }
    for (int t = 0; t < n; ++t) ysa[t] = mult ? y[t] / fig[t % m] : y[t] - fig[t % m];
    p.s = fig;
  }
  const int maxn = std::min(std::max(10, 2 * m), n);
  if (!has_trend(sp)) {
    p.l0 = std::accumulate(ysa.begin(), ysa.begin() + maxn, 0.0) / maxn;
  } else {
    auto [a, b] = line_fit(ysa, maxn);
    p.l0 = a;
    p.b0 = b;
    if (std::fabs(p.l0 + p.b0) < 1e-8) {  // multiplicative errors need l0 + b0 != 0
      p.l0 *= 1 + 1e-3;
      p.b0 *= 1 + 1e-3;
    }
  }
  // Smoothing parameters as R forecast:::initparam().
  const double md = has_season(sp) ? m : 1;
  p.alpha = kLower[0] + 0.2 * (kUpper[0] - kLower[0]) / md;
  if (has_trend(sp)) {
    const double up = std::min(kUpper[1], p.alpha);
    p.beta = kLower[1] + 0.1 * (up - kLower[1]);
    if (p.beta < 0 || p.beta > p.alpha) p.beta = p.alpha - 1e-3;
  }
  if (has_season(sp)) {
    const double up = std::min(kUpper[2], 1 - p.alpha);
    p.gamma = kLower[2] + 0.05 * (up - kLower[2]);
    if (p.gamma < 0 || p.gamma > 1 - p.alpha) p.gamma = 1 - p.alpha - 1e-3;
  }
  if (damped(sp)) p.phi = kLower[3] + 0.99 * (kUpper[3] - kLower[3]);
  return p;
}

class EtsModel final : public Model {
 public:
  EtsModel(EtsSpec sp, int m, double scale, Params p, double sigma, std::vector<double> level,
           std::vector<double> trend, std::vector<double> season)
      : sp_(sp),
        m_(m),
        scale_(scale),
        p_(std::move(p)),
        sigma_(sigma),
        level_(std::move(level)),
        trend_(std::move(trend)),
        season_(std::move(season)) {}

  [[nodiscard]] std::string name() const override { return ets_name(sp_); }
  [[nodiscard]] int min_origin() const override { return 0; }

  void point(int origin, int h, double* out) const override {
    const double l = level_[origin], b = trend_[origin];
    const double phi = damped(sp_) ? p_.phi : 1.0;
    double phik = 0, pw = 1;
    for (int k = 0; k < h; ++k) {
      pw *= phi;
      phik += pw;
      double f = has_trend(sp_) ? l + phik * b : l;
      if (has_season(sp_)) {
        const double sv = season_[static_cast<size_t>(origin) * m_ + (origin + k) % m_];
        f = sp_.season == Season::multiplicative ? f * sv : f + sv;
      }
      out[k] = f * scale_;
    }
  }

  void simulate(int h, Rng& rng, double* out) const override {
    const int n = static_cast<int>(level_.size()) - 1;
    double l = level_[n], b = trend_[n];
    std::array<double, 32> sbuf{};
    double* s = sbuf.data();
    if (has_season(sp_)) std::copy_n(season_.begin() + static_cast<ptrdiff_t>(n) * m_, m_, s);
    const double phi = damped(sp_) ? p_.phi : 1.0;
    const bool trend = has_trend(sp_), seas = has_season(sp_), mseas = sp_.season == Season::multiplicative;
    const double beta_star = trend ? p_.beta / p_.alpha : 0.0;
    int j = n % m_;
    for (int k = 0; k < h; ++k) {
      const double q = trend ? l + phi * b : l;
      const double sv = seas ? s[j] : 0.0;
      const double yhat = seas ? (mseas ? q * sv : q + sv) : q;
      const double e = sigma_ * rng.normal();
      const double y = sp_.mult_error ? yhat * (1 + e) : yhat + e;
      out[k] = y * scale_;
      double pv = y;
      if (seas) pv = mseas ? (std::fabs(sv) > kTiny ? y / sv : q) : y - sv;
      const double lnew = q + p_.alpha * (pv - q);
      if (trend) b = phi * b + beta_star * (lnew - l - phi * b);
      if (seas) {
        const double tv = mseas ? (std::fabs(q) > kTiny ? y / q : sv) : y - q;
        s[j] = sv + p_.gamma * (tv - sv);
        if (++j == m_) j = 0;
      }
      l = lnew;
    }
  }

 private:
  EtsSpec sp_;
  int m_;
  double scale_;
  Params p_;
  double sigma_;
  std::vector<double> level_, trend_, season_;
};

}  // namespace

std::string ets_name(const EtsSpec& s) {
  std::string out = "ETS(";
  out += s.mult_error ? "M," : "A,";
  out += s.trend == Trend::none ? "N," : (s.trend == Trend::additive ? "A," : "Ad,");
  out += s.season == Season::none ? "N" : (s.season == Season::additive ? "A" : "M");
  return out + ")";
}

std::optional<EtsSpec> parse_ets_spec(const std::string& code) {
  EtsSpec s;
  size_t i = 0;
  if (code.size() < 3) return std::nullopt;
  if (code[i] == 'A' || code[i] == 'M')
    s.mult_error = code[i++] == 'M';
  else
    return std::nullopt;
  if (code[i] == 'N')
    s.trend = Trend::none, ++i;
  else if (code.compare(i, 2, "Ad") == 0)
    s.trend = Trend::damped, i += 2;
  else if (code[i] == 'A')
    s.trend = Trend::additive, ++i;
  else
    return std::nullopt;
  if (i + 1 != code.size()) return std::nullopt;
  if (code[i] == 'N')
    s.season = Season::none;
  else if (code[i] == 'A')
    s.season = Season::additive;
  else if (code[i] == 'M')
    s.season = Season::multiplicative;
  else
    return std::nullopt;
  return s;
}

int ets_min_length(const EtsSpec& spec, int m) {
  return n_free(spec, has_season(spec) ? m : 1) + 5;
}

EtsResult fit_ets_model(const std::vector<double>& y_data, int m, const EtsSpec& sp) {
  EtsResult res;
  res.name = ets_name(sp);
  if (!has_season(sp)) m = 1;
  const int n = static_cast<int>(y_data.size());
  // R's ets() rule: no model with n <= npars + 4.
  if (n < ets_min_length(sp, m) || m > kMaxSeasonStates) return res;
  const bool multiplicative = sp.mult_error || sp.season == Season::multiplicative;
  if (multiplicative)
    for (double v : y_data)
      if (!(v > 0)) return res;

  // Fit on data scaled to mean |y| = 1 so one simplex step size suits the
  // smoothing parameters and the states alike.
  double scale = 0;
  for (double v : y_data) scale += std::fabs(v) / n;
  if (!(scale > 0)) scale = 1;
  std::vector<double> y(y_data);
  for (auto& v : y) v /= scale;

  Params p0 = initial_params(y, m, sp);
  std::vector<double> x;
  x.push_back(p0.alpha);
  if (has_trend(sp)) x.push_back(p0.beta);
  if (has_season(sp)) x.push_back(p0.gamma);
  if (damped(sp)) x.push_back(p0.phi);
  x.push_back(p0.l0);
  if (has_trend(sp)) x.push_back(p0.b0);

  Params work = p0;
  std::vector<double> sbuf(m);
  const FilterFn filt = pick_filter(sp);
  const Trace no_trace{};
  // Nelder-Mead over the smoothing parameters, level and trend, with the
  // seasonal states held at their heuristic values (classical decomposition).
  // R and statsforecast also optimise the m - 1 free seasonal states; in up
  // to 17 dimensions the simplex crawls (2,000 evaluations, often without
  // converging), and on the M3 monthly data that costs 3-4x the time for no
  // gain: sMAPE 14.35 with fixed states against 14.43 with optimised ones
  // (docs/forecasting.md). The states still count as estimated parameters
  // in the AICc, since they are estimated from the data.
  const Layout core{sp, m};
  auto obj_core = [&](const std::vector<double>& v) -> double {
    if (!core.unpack(v, work)) return HUGE_VAL;
    return filt(m, y.data(), n, work, damped(sp) ? work.phi : 1.0, sbuf.data(), no_trace);
  };
  if (!std::isfinite(obj_core(x))) return res;
  std::vector<double> step(x.size(), 0.1);
  nelder_mead(obj_core, x, step, kMaxEvaluations, kRelTol);
  Params best = p0;
  if (!core.unpack(x, best)) return res;

  std::vector<double> fitted(n), resid(n), level(n + 1), trend(n + 1, 0.0), season;
  if (has_season(sp)) season.assign(static_cast<size_t>(n + 1) * m, 0.0);
  Trace tr{&fitted, &resid, &level, &trend, has_season(sp) ? &season : nullptr};
  const double lik = run_filter(sp, m, y.data(), n, best, sbuf.data(), tr);
  if (!std::isfinite(lik)) return res;

  const int np = core.size() + 1;  // + sigma
  double sse = 0;
  for (double e : resid) sse += e * e;
  const double sigma2 = sse / std::max(1, n - np);
  const double lik_data = lik + 2.0 * n * std::log(scale);  // criterion in data units
  res.loglik = -0.5 * lik_data;
  res.aic = lik_data + 2.0 * np;
  res.aicc = n - np - 1 > 0 ? res.aic + 2.0 * np * (np + 1) / (n - np - 1) : INFINITY;
  res.alpha = best.alpha;
  res.beta = has_trend(sp) ? best.beta : 0.0;
  res.gamma = has_season(sp) ? best.gamma : 0.0;
  res.phi = damped(sp) ? best.phi : 1.0;
  res.level0 = best.l0 * scale;
  res.trend0 = has_trend(sp) ? best.b0 * scale : 0.0;
  if (has_season(sp)) {
    res.season0 = best.s;
    if (sp.season == Season::additive)
      for (auto& v : res.season0) v *= scale;
  }
  res.fitted = fitted;
  for (auto& v : res.fitted) v *= scale;
  res.sigma2 = sp.mult_error ? sigma2 : sigma2 * scale * scale;
  res.model = std::make_shared<const EtsModel>(sp, m, scale, best, std::sqrt(sigma2), std::move(level),
                                               std::move(trend), std::move(season));
  return res;
}

EtsSelection select_ets(const std::vector<double>& y, int m, bool additive_error_only) {
  const bool positive = std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
  const bool seasonal = m > 1 && m <= 24;
  EtsSelection sel;
  for (bool me : {false, true}) {
    if (me && (!positive || additive_error_only)) continue;
    for (Trend t : {Trend::none, Trend::additive, Trend::damped}) {
      for (Season s : {Season::none, Season::additive, Season::multiplicative}) {
        if (s != Season::none && !seasonal) continue;
        if (s == Season::multiplicative && (!me || !positive)) continue;  // no A error with M season
        EtsResult r = fit_ets_model(y, m, EtsSpec{me, t, s});
        if (!r.model) continue;
        // Strict comparisons keep the first (simpler) model on ties.
        if (t == Trend::damped && r.aicc < sel.best_damped.aicc) sel.best_damped = r;
        if (r.aicc < sel.best.aicc) sel.best = std::move(r);
      }
    }
  }
  return sel;
}

}  // namespace caseload::fc
