// Benchmark and intermittent-demand models, the Theta method and the
// median combination used by model "auto".
#include <algorithm>
#include <cmath>
#include <numeric>

#include "forecast/forecast_internal.hpp"

namespace caseload::fc {

double residual_sd(const std::vector<double>& resid, int k) {
  double sse = 0;
  for (double e : resid) sse += e * e;
  const int dof = std::max(1, static_cast<int>(resid.size()) - k);
  return std::sqrt(sse / dof);
}

std::vector<double> seasonal_figure(const std::vector<double>& y, int m, bool multiplicative) {
  const int n = static_cast<int>(y.size());
  std::vector<double> sum(m, 0.0);
  std::vector<int> cnt(m, 0);
  // Centred moving average of order m (2 x m for even m), as R's decompose().
  const int half = m / 2;
  for (int t = half; t + half < n; ++t) {
    double tr = 0;
    if (m % 2 == 0) {
      tr = 0.5 * (y[t - half] + y[t + half]);
      for (int k = t - half + 1; k < t + half; ++k) tr += y[k];
    } else {
      for (int k = t - half; k <= t + half; ++k) tr += y[k];
    }
    tr /= m;
    if (multiplicative && !(std::fabs(tr) > 1e-12)) continue;
    sum[t % m] += multiplicative ? y[t] / tr : y[t] - tr;
    cnt[t % m]++;
  }
  std::vector<double> fig(m);
  for (int j = 0; j < m; ++j) fig[j] = cnt[j] ? sum[j] / cnt[j] : (multiplicative ? 1.0 : 0.0);
  const double mean = std::accumulate(fig.begin(), fig.end(), 0.0) / m;
  for (auto& f : fig) f = multiplicative ? (std::fabs(mean) > 1e-12 ? f / mean : 1.0) : f - mean;
  return fig;
}

bool seasonality_test(const std::vector<double>& y, int m) {
  const int n = static_cast<int>(y.size());
  if (m <= 1 || n <= 2 * m) return false;
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double c0 = 0;
  for (double v : y) c0 += (v - mean) * (v - mean);
  if (!(c0 > 0)) return false;
  std::vector<double> r(m + 1);
  for (int k = 1; k <= m; ++k) {
    double c = 0;
    for (int t = 0; t + k < n; ++t) c += (y[t] - mean) * (y[t + k] - mean);
    r[k] = c / c0;
  }
  double s = 0;
  for (int k = 1; k < m; ++k) s += r[k] * r[k];
  const double stat = std::sqrt((1 + 2 * s) / n);
  return std::fabs(r[m]) / stat > 1.6448536269514722;  // qnorm(0.95): a 90% two-sided test
}

namespace {

// In-sample SSE of the one-step SES forecasts of x[1..] with the level
// started at x[0] (statsforecast's _ses_sse).
double ses_sse(const std::vector<double>& x, double alpha) {
  if (x.empty()) return 0;
  double level = x[0], sse = 0;
  for (size_t i = 1; i < x.size(); ++i) {
    sse += (x[i] - level) * (x[i] - level);
    level += alpha * (x[i] - level);
  }
  return sse;
}

// Minimises f on [lo, hi]: a grid of 21 points finds the best basin (the
// criteria here need not be unimodal), then golden-section search between
// the best grid point's neighbours. A flat criterion returns lo, and the
// result never depends on anything but f, so it is deterministic.
template <class F>
double minimise_scalar(F&& f, double lo, double hi) {
  constexpr int kGrid = 20;
  const double step = (hi - lo) / kGrid;
  double best_x = lo, best_f = f(lo);
  int best_i = 0;
  for (int i = 1; i <= kGrid; ++i) {
    const double x = lo + step * i, v = f(x);
    if (v < best_f) {
      best_f = v;
      best_x = x;
      best_i = i;
    }
  }
  double a = lo + step * std::max(0, best_i - 1), b = lo + step * std::min(kGrid, best_i + 1);
  constexpr double kInvPhi = 0.6180339887498949;
  double c = b - kInvPhi * (b - a), d = a + kInvPhi * (b - a);
  double fc = f(c), fd = f(d);
  for (int it = 0; it < 40 && b - a > 1e-7 * (hi - lo); ++it) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - kInvPhi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + kInvPhi * (b - a);
      fd = f(d);
    }
  }
  if (fc < best_f) {
    best_x = c;
    best_f = fc;
  }
  if (fd < best_f) best_x = d;
  return best_x;
}

// The series adjusted as R's thetaf() and statsforecast's theta models do:
// divided (or, when some y <= 0, reduced) by the classical-decomposition
// seasonal figure when the 90% ACF test finds seasonality.
// The seasonal figure (empty: no adjustment) and how it combines with the
// adjusted series at time t (cycle position t % m).
struct SeasonalFigure {
  std::vector<double> fig;
  bool mult = true;
  int m = 1;
  [[nodiscard]] double apply(int t, double v) const {
    if (fig.empty()) return v;
    const double s = fig[t % m];
    return mult ? v * s : v + s;
  }
  [[nodiscard]] double remove(int t, double v) const {
    if (fig.empty()) return v;
    const double s = fig[t % m];
    return mult ? v / s : v - s;
  }
};

struct Adjusted {
  std::vector<double> x;
  SeasonalFigure season;
};

Adjusted deseasonalise(const std::vector<double>& y, int m) {
  Adjusted r;
  const int n = static_cast<int>(y.size());
  SeasonalFigure& sf = r.season;
  sf.mult = std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
  sf.m = m;
  r.x = y;
  if (seasonality_test(y, m)) {
    sf.fig = seasonal_figure(y, m, sf.mult);
    // Near-zero indices make the adjustment explode: R's thetaf then drops it.
    if (sf.mult && std::any_of(sf.fig.begin(), sf.fig.end(), [](double s) { return std::fabs(s) < 1e-4; }))
      sf.fig.clear();
    for (int t = 0; t < n; ++t) r.x[t] = sf.remove(t, y[t]);
  }
  return r;
}

class NaiveModel final : public Model {
 public:
  explicit NaiveModel(const std::vector<double>& y) : y_(y) {
    std::vector<double> d;
    for (size_t t = 1; t < y.size(); ++t) d.push_back(y[t] - y[t - 1]);
    sd_ = residual_sd(d, 0);
  }
  [[nodiscard]] std::string name() const override { return "naive"; }
  [[nodiscard]] int min_origin() const override { return 1; }
  void point(int origin, int h, double* out) const override { std::fill_n(out, h, y_[origin - 1]); }
  void simulate(int h, Rng& rng, double* out) const override {
    double v = y_.back();
    for (int k = 0; k < h; ++k) out[k] = (v += sd_ * rng.normal());
  }

 private:
  std::vector<double> y_;
  double sd_;
};

class SeasonalNaiveModel final : public Model {
 public:
  SeasonalNaiveModel(const std::vector<double>& y, int m) : y_(y), m_(m) {
    std::vector<double> d;
    for (size_t t = m; t < y.size(); ++t) d.push_back(y[t] - y[t - m]);
    sd_ = residual_sd(d, 0);
  }
  [[nodiscard]] std::string name() const override { return "seasonal_naive"; }
  [[nodiscard]] int min_origin() const override { return m_; }
  void point(int origin, int h, double* out) const override {
    for (int k = 0; k < h; ++k) out[k] = y_[origin - m_ + k % m_];
  }
  void simulate(int h, Rng& rng, double* out) const override {
    // A seasonal random walk: each cycle position accumulates its own noise.
    const int n = static_cast<int>(y_.size());
    for (int k = 0; k < h; ++k) out[k] = (k < m_ ? y_[n - m_ + k] : out[k - m_]) + sd_ * rng.normal();
  }

 private:
  std::vector<double> y_;
  int m_;
  double sd_;
};

// Hyndman & Billah (2003)'s form of the Theta method, as R forecast::thetaf():
// SES plus half the slope of the linear trend, on data deseasonalised by
// classical decomposition when the 90% ACF test finds seasonality.
class ThetaModel final : public Model {
 public:
  ThetaModel(SeasonalFigure season, std::shared_ptr<const Model> ses, double alpha, double drift, int n)
      : season_(std::move(season)), ses_(std::move(ses)), alpha_(alpha), drift_(drift), n_(n) {}
  [[nodiscard]] std::string name() const override { return "Theta"; }
  [[nodiscard]] int min_origin() const override { return 1; }
  void point(int origin, int h, double* out) const override {
    ses_->point(origin, h, out);
    finish(origin, h, out);
  }
  void simulate(int h, Rng& rng, double* out) const override {
    ses_->simulate(h, rng, out);
    finish(n_, h, out);
  }

 private:
  void finish(int origin, int h, double* out) const {
    const double a = std::max(alpha_, 1e-10);
    const double base = (1 - std::pow(1 - a, origin)) / a;
    for (int k = 0; k < h; ++k) out[k] = season_.apply(origin + k, out[k] + drift_ * (k + base));
  }
  SeasonalFigure season_;
  std::shared_ptr<const Model> ses_;
  double alpha_, drift_;
  int n_;
};

// Croston (1972), Syntetos & Boylan (2005) and Teunter, Syntetos & Babai
// (2011), with the smoothing constants fitted by fit_intermittent_model().
class IntermittentModel final : public Model {
 public:
  IntermittentModel(const std::vector<double>& y, Intermittent kind, double alpha_size, double alpha_rate)
      : y_(y), kind_(kind), a_size_(alpha_size), a_rate_(alpha_rate) {
    for (double v : y)
      if (v > 0) sizes_.push_back(v);
    if (!sizes_.empty()) {
      size_mean_ = std::accumulate(sizes_.begin(), sizes_.end(), 0.0) / static_cast<double>(sizes_.size());
      prob0_ = static_cast<double>(sizes_.size()) / static_cast<double>(y.size());
    }
    state(static_cast<int>(y_.size()), size_n_, prob_n_);
  }
  [[nodiscard]] std::string name() const override {
    return kind_ == Intermittent::croston ? "croston" : (kind_ == Intermittent::sba ? "sba" : "tsb");
  }
  [[nodiscard]] int min_origin() const override { return 1; }
  void point(int origin, int h, double* out) const override {
    double size, prob;
    state(origin, size, prob);
    std::fill_n(out, h, size * prob);
  }
  void simulate(int h, Rng& rng, double* out) const override {
    const double size = size_n_, prob = prob_n_;
    // Demand occurs with probability `prob`; its size is a bootstrap draw of
    // the observed sizes rescaled to the smoothed size, so every path has
    // the point forecast as its mean.
    for (int k = 0; k < h; ++k) {
      out[k] = 0;
      if (sizes_.empty() || rng.uniform() >= prob) continue;
      out[k] = sizes_[rng.below(sizes_.size())] * (size / size_mean_);
    }
  }

 private:
  // Smoothed demand size and per-period demand probability at `origin`.
  void state(int origin, double& size, double& prob) const {
    size = 0;
    prob = 0;
    if (kind_ == Intermittent::tsb) {
      size = size_mean_;
      prob = prob0_;
      for (int t = 0; t < origin; ++t) {
        const bool d = y_[t] > 0;
        prob += a_rate_ * ((d ? 1.0 : 0.0) - prob);
        if (d) size += a_size_ * (y_[t] - size);
      }
      return;
    }
    double interval = 0;
    int last = -1;
    bool seen = false;
    for (int t = 0; t < origin; ++t) {
      if (!(y_[t] > 0)) continue;
      const double gap = t - last;
      last = t;
      if (!seen) {
        size = y_[t];
        interval = gap;
        seen = true;
      } else {
        size += a_size_ * (y_[t] - size);
        interval += a_rate_ * (gap - interval);
      }
    }
    if (!seen) return;
    // SBA's bias correction uses the smoothing constant of the intervals.
    prob = std::min(1.0, (kind_ == Intermittent::sba ? 1 - a_rate_ / 2 : 1.0) / interval);
  }

  std::vector<double> y_, sizes_;
  Intermittent kind_;
  double a_size_, a_rate_;
  double size_mean_ = 0, prob0_ = 0;
  double size_n_ = 0, prob_n_ = 0;  // state at the end of the series, where simulation starts
};

// statsforecast's theta criterion skips the first three one-step errors (the
// start-up of the level); the least-squares problem does the same.
constexpr int kThetaSkip = 3;

// Fiorucci et al. (2016)'s Theta model on the adjusted series x: the
// forecast of x[t] from x[0..t) is level[t] + w (A q^t + B (1 - q^(t+1)) /
// alpha), q = 1 - alpha, w = 1 - 1/theta, and each further step ahead adds
// w B. Simulation runs the same recursion with Gaussian one-step errors fed
// back into the level (the state space form of the paper's section 3), so
// the mean path is the point forecast.
class ThetaStateModel final : public Model {
 public:
  ThetaStateModel(const Adjusted& adj, double alpha, double w, double a, double b, double level0, double sigma,
                  bool optimised)
      : x_(adj.x),
        season_(adj.season),
        alpha_(alpha),
        w_(w),
        a_(a),
        b_(b),
        level0_(level0),
        sigma_(sigma),
        optimised_(optimised) {
    level_n_ = level0;
    for (double v : x_) level_n_ = alpha * v + (1 - alpha) * level_n_;
  }
  [[nodiscard]] std::string name() const override { return optimised_ ? "OTM" : "STM"; }
  // The criterion skips the first kThetaSkip one-step errors, so forecasts
  // from earlier origins are not fitted (the calibration starts after them).
  [[nodiscard]] int min_origin() const override { return kThetaSkip; }
  void point(int origin, int h, double* out) const override {
    const double q = 1 - alpha_;
    double level = level0_;
    for (int t = 0; t < origin; ++t) level = alpha_ * x_[t] + q * level;
    const double qt = std::pow(q, origin);
    const double base = level + w_ * (a_ * qt + b_ * (1 - qt * q) / alpha_);
    for (int k = 0; k < h; ++k) out[k] = season_.apply(origin + k, base + w_ * b_ * k);
  }
  void simulate(int h, Rng& rng, double* out) const override {
    const double q = 1 - alpha_;
    const int n = static_cast<int>(x_.size());
    double level = level_n_;
    double qt = std::pow(q, n);
    for (int k = 0; k < h; ++k) {
      const double v = level + w_ * (a_ * qt + b_ * (1 - qt * q) / alpha_) + sigma_ * rng.normal();
      level = alpha_ * v + q * level;
      qt *= q;
      out[k] = season_.apply(n + k, v);
    }
  }

 private:
  std::vector<double> x_;
  SeasonalFigure season_;
  double alpha_, w_, a_, b_, level0_, sigma_;
  bool optimised_;
  double level_n_;  // the level after the whole series, where simulation starts
};

// For a fixed alpha the one-step forecasts are linear in (level0, w):
// x̂[t] = q^t level0 + s[t] + w g[t], with s the SES filter started at 0 and
// g[t] = A q^t + B (1 - q^(t+1)) / alpha. So the least-squares (level0, w)
// over the box [l_lo, l_hi] x [0, w_max] is a convex two-variable quadratic
// problem, solved exactly: the unconstrained solution if it lies in the
// box, otherwise the best of the four edge minimisers. This profiles two of
// the three parameters out of statsforecast's Nelder-Mead search.
struct ThetaLs {
  double sse = HUGE_VAL, level0 = 0, w = 0;
};

// theta in [1, 1e10] (statsforecast's bounds) is w = 1 - 1/theta in [0, 1 - 1e-10].
constexpr double kThetaMaxW = 1 - 1e-10;

ThetaLs theta_least_squares(const std::vector<double>& x, double a, double b, double alpha, bool optimise_w,
                            double l_lo, double l_hi) {
  const int n = static_cast<int>(x.size());
  const double q = 1 - alpha;
  double scc = 0, scg = 0, sgg = 0, scr = 0, sgr = 0, srr = 0;
  double s = 0, c = 1;
  for (int t = 0; t < n; ++t) {
    if (t >= kThetaSkip) {
      const double g = a * c + b * (1 - c * q) / alpha, r = x[t] - s;
      scc += c * c;
      scg += c * g;
      sgg += g * g;
      scr += c * r;
      sgr += g * r;
      srr += r * r;
    }
    s = alpha * x[t] + q * s;
    c *= q;
  }
  auto sse = [&](double l, double w) {
    return std::max(0.0, srr - 2 * l * scr - 2 * w * sgr + l * l * scc + 2 * l * w * scg + w * w * sgg);
  };
  auto best_l = [&](double w) { return scc > 0 ? std::clamp((scr - w * scg) / scc, l_lo, l_hi) : 0.5 * (l_lo + l_hi); };
  auto best_w = [&](double l) { return sgg > 0 ? std::clamp((sgr - l * scg) / sgg, 0.0, kThetaMaxW) : 0.0; };
  ThetaLs r;
  auto consider = [&](double l, double w) {
    const double v = sse(l, w);
    if (v < r.sse) r = {v, l, w};
  };
  if (!optimise_w) {
    consider(best_l(0.5), 0.5);
    return r;
  }
  const double det = scc * sgg - scg * scg;
  if (det > 1e-12 * scc * sgg) {
    const double l = (scr * sgg - sgr * scg) / det, w = (sgr * scc - scr * scg) / det;
    if (l >= l_lo && l <= l_hi && w >= 0 && w <= kThetaMaxW) {
      consider(l, w);
      return r;
    }
  }
  consider(l_lo, best_w(l_lo));
  consider(l_hi, best_w(l_hi));
  consider(best_l(0.0), 0.0);
  consider(best_l(kThetaMaxW), kThetaMaxW);
  return r;
}

class MedianCombination final : public Model {
 public:
  MedianCombination(std::vector<std::shared_ptr<const Model>> parts, int n) : parts_(std::move(parts)), n_(n) {}
  [[nodiscard]] std::string name() const override {
    std::string s = "auto[";
    for (size_t i = 0; i < parts_.size(); ++i) s += (i ? "|" : "") + parts_[i]->name();
    return s + "]";
  }
  [[nodiscard]] int min_origin() const override {
    int o = 0;
    for (const auto& p : parts_) o = std::max(o, p->min_origin());
    return o;
  }
  void point(int origin, int h, double* out) const override {
    const size_t k = parts_.size();
    std::vector<double> all(k * h), col(k);
    for (size_t i = 0; i < k; ++i) parts_[i]->point(origin, h, all.data() + i * h);
    for (int t = 0; t < h; ++t) {
      for (size_t i = 0; i < k; ++i) col[i] = all[i * h + t];
      std::sort(col.begin(), col.end());
      out[t] = k % 2 ? col[k / 2] : 0.5 * (col[k / 2 - 1] + col[k / 2]);
    }
  }
  void simulate(int h, Rng& rng, double* out) const override { simulate_many(h, 1, rng, out); }
  // The shift from each component's point forecast to the combined one is
  // the same for every path: computed once, not once per path (each point()
  // re-runs the component's filter over the whole series).
  void simulate_many(int h, int paths, Rng& rng, double* out) const override {
    const size_t k = parts_.size();
    std::vector<double> shift(k * h), comb(h);
    point(n_, h, comb.data());
    for (size_t i = 0; i < k; ++i) {
      parts_[i]->point(n_, h, shift.data() + i * h);
      for (int t = 0; t < h; ++t) shift[i * h + t] = comb[t] - shift[i * h + t];
    }
    for (int p = 0; p < paths; ++p) {
      const size_t i = rng.below(k);
      double* row = out + static_cast<size_t>(p) * h;
      parts_[i]->simulate(h, rng, row);
      for (int t = 0; t < h; ++t) row[t] += shift[i * h + t];
    }
  }

 private:
  std::vector<std::shared_ptr<const Model>> parts_;
  int n_;
};

class ConstantModel final : public Model {
 public:
  explicit ConstantModel(double v) : v_(v) {}
  [[nodiscard]] std::string name() const override { return "constant"; }
  [[nodiscard]] int min_origin() const override { return 1; }
  void point(int, int h, double* out) const override { std::fill_n(out, h, v_); }
  void simulate(int h, Rng&, double* out) const override { std::fill_n(out, h, v_); }

 private:
  double v_;
};

}  // namespace

std::shared_ptr<const Model> make_naive(const std::vector<double>& y) {
  return std::make_shared<NaiveModel>(y);
}

std::shared_ptr<const Model> make_seasonal_naive(const std::vector<double>& y, int m) {
  if (m <= 1) return make_naive(y);
  return std::make_shared<SeasonalNaiveModel>(y, m);
}

std::shared_ptr<const Model> make_theta(const std::vector<double>& y, int m) {
  const int n = static_cast<int>(y.size());
  Adjusted adj = deseasonalise(y, m);
  const std::vector<double>& ysa = adj.x;
  EtsResult ses = fit_ets_model(ysa, 1, EtsSpec{false, Trend::none, Season::none});
  if (!ses.model) return make_naive(y);
  // Half the least-squares slope of ysa on t = 0..n-1.
  const double tm = (n - 1) / 2.0;
  const double ym = std::accumulate(ysa.begin(), ysa.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (int t = 0; t < n; ++t) {
    sxy += (t - tm) * (ysa[t] - ym);
    sxx += (t - tm) * (t - tm);
  }
  const double drift = sxx > 0 ? 0.5 * sxy / sxx : 0.0;
  return std::make_shared<ThetaModel>(std::move(adj.season), ses.model, ses.alpha, drift, n);
}

IntermittentResult fit_intermittent_model(const std::vector<double>& y, Intermittent kind) {
  IntermittentResult r;
  const int n = static_cast<int>(y.size());
  if (kind == Intermittent::tsb) {
    // Joint grid over both constants (step 0.01 in [0.01, 0.3]) minimising
    // the squared error of the one-step demand-rate forecasts
    // prob[t-1] * size[t-1] of y[t], t >= 1. The criterion is not convex in
    // the two constants, so a grid rather than a descent method.
    double size0 = 0, prob0 = 0;
    int demands = 0;
    for (double v : y)
      if (v > 0) {
        size0 += v;
        ++demands;
      }
    if (demands > 0) {
      size0 /= demands;
      prob0 = static_cast<double>(demands) / n;
    }
    double best = HUGE_VAL;
    for (int i = 1; i <= 30; ++i) {
      for (int j = 1; j <= 30; ++j) {
        const double ad = 0.01 * i, ap = 0.01 * j;
        double size = size0, prob = prob0, sse = 0;
        for (int t = 0; t < n; ++t) {
          if (t > 0) sse += (y[t] - size * prob) * (y[t] - size * prob);
          const bool d = y[t] > 0;
          prob += ap * ((d ? 1.0 : 0.0) - prob);
          if (d) size += ad * (y[t] - size);
        }
        if (sse < best) {  // strict: ties keep the smaller constants
          best = sse;
          r.alpha_size = ad;
          r.alpha_rate = ap;
        }
      }
    }
  } else {
    // statsforecast's CrostonOptimized: sizes and inter-demand intervals are
    // smoothed separately, each constant in [0.1, 0.3] minimising the SSE of
    // its own one-step SES forecasts (level started at the first value).
    std::vector<double> sizes, gaps;
    int last = -1;
    for (int t = 0; t < n; ++t)
      if (y[t] > 0) {
        sizes.push_back(y[t]);
        gaps.push_back(t - last);
        last = t;
      }
    r.alpha_size = minimise_scalar([&](double a) { return ses_sse(sizes, a); }, 0.1, 0.3);
    r.alpha_rate = minimise_scalar([&](double a) { return ses_sse(gaps, a); }, 0.1, 0.3);
  }
  r.model = std::make_shared<IntermittentModel>(y, kind, r.alpha_size, r.alpha_rate);
  return r;
}

std::shared_ptr<const Model> make_intermittent(const std::vector<double>& y, Intermittent kind) {
  return fit_intermittent_model(y, kind).model;
}

ThetaResult fit_theta_model(const std::vector<double>& y, int m, bool optimise_theta) {
  ThetaResult res;
  const int n = static_cast<int>(y.size());
  if (n < kThetaMinLength) return res;
  const Adjusted adj = deseasonalise(y, m);
  const std::vector<double>& x = adj.x;
  // A_n, B_n: least-squares line through x on t = 1..n.
  const double tm = (n + 1) / 2.0;
  const double xm = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (int t = 0; t < n; ++t) {
    sxy += (t + 1 - tm) * (x[t] - xm);
    sxx += (t + 1 - tm) * (t + 1 - tm);
  }
  const double b = sxy / sxx, a = xm - b * tm;
  // level0 is kept within ten ranges of the data either side. statsforecast
  // bounds it at +-1e10, which lets it run off to millions when alpha is
  // near 1: its weight (1 - alpha)^t is then negligible at every t >= 3
  // that the criterion sees, and only the unfitted first forecasts move.
  const auto [lo_it, hi_it] = std::minmax_element(x.begin(), x.end());
  const double range = std::max(*hi_it - *lo_it, 1e-9 * (std::fabs(*hi_it) + 1));
  const double l_lo = *lo_it - 10 * range, l_hi = *hi_it + 10 * range;
  // alpha in [0.1, 0.99] (statsforecast's bounds), by grid and golden section
  // on the profiled SSE.
  const double alpha = minimise_scalar(
      [&](double al) { return theta_least_squares(x, a, b, al, optimise_theta, l_lo, l_hi).sse; }, 0.1, 0.99);
  const ThetaLs ls = theta_least_squares(x, a, b, alpha, optimise_theta, l_lo, l_hi);

  // Residuals straight from the recursion (not the expanded quadratic).
  const double q = 1 - alpha;
  double level = ls.level0, qt = 1, sse = 0;
  std::vector<double> resid;
  res.fitted.resize(n);
  for (int t = 0; t < n; ++t) {
    const double f = level + ls.w * (a * qt + b * (1 - qt * q) / alpha);
    res.fitted[t] = adj.season.apply(t, f);
    if (t >= kThetaSkip) {
      resid.push_back(x[t] - f);
      sse += (x[t] - f) * (x[t] - f);
    }
    level = alpha * x[t] + q * level;
    qt *= q;
  }
  const int k = optimise_theta ? 3 : 2;  // alpha, level0 (and theta)
  res.theta = 1 / (1 - ls.w);
  res.alpha = alpha;
  res.level0 = ls.level0;
  res.a = a;
  res.b = b;
  res.mse = sse / static_cast<double>(resid.size());
  res.seasonal = adj.season.fig;
  res.multiplicative = adj.season.mult;
  res.model =
      std::make_shared<ThetaStateModel>(adj, alpha, ls.w, a, b, ls.level0, residual_sd(resid, k), optimise_theta);
  return res;
}

std::shared_ptr<const Model> make_median_combination(std::vector<std::shared_ptr<const Model>> parts, int n) {
  return std::make_shared<MedianCombination>(std::move(parts), n);
}

std::shared_ptr<const Model> make_constant(double value, int) {
  return std::make_shared<ConstantModel>(value);
}

}  // namespace caseload::fc
