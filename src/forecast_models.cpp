// Benchmark and intermittent-demand models, the Theta method and the
// median combination used by model "auto".
#include <algorithm>
#include <cmath>
#include <numeric>

#include "forecast_internal.hpp"

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
  ThetaModel(std::vector<double> fig, bool mult, int m, std::shared_ptr<const Model> ses, double alpha, double drift,
             int n)
      : fig_(std::move(fig)), mult_(mult), m_(m), ses_(std::move(ses)), alpha_(alpha), drift_(drift), n_(n) {}
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
    for (int k = 0; k < h; ++k) {
      double v = out[k] + drift_ * (k + base);
      if (!fig_.empty()) {
        const double s = fig_[(origin + k) % m_];
        v = mult_ ? v * s : v + s;
      }
      out[k] = v;
    }
  }
  std::vector<double> fig_;
  bool mult_;
  int m_;
  std::shared_ptr<const Model> ses_;
  double alpha_, drift_;
  int n_;
};

// Croston (1972), Syntetos & Boylan (2005) and Teunter, Syntetos & Babai
// (2011), each with smoothing constant 0.1 (statsforecast's defaults).
class IntermittentModel final : public Model {
 public:
  IntermittentModel(const std::vector<double>& y, Intermittent kind) : y_(y), kind_(kind) {
    for (double v : y)
      if (v > 0) sizes_.push_back(v);
    if (!sizes_.empty()) {
      size_mean_ = std::accumulate(sizes_.begin(), sizes_.end(), 0.0) / static_cast<double>(sizes_.size());
      prob0_ = static_cast<double>(sizes_.size()) / static_cast<double>(y.size());
    }
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
    double size, prob;
    state(static_cast<int>(y_.size()), size, prob);
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
  static constexpr double kAlpha = 0.1;
  // Smoothed demand size and per-period demand probability at `origin`.
  void state(int origin, double& size, double& prob) const {
    size = 0;
    prob = 0;
    if (kind_ == Intermittent::tsb) {
      size = size_mean_;
      prob = prob0_;
      for (int t = 0; t < origin; ++t) {
        const bool d = y_[t] > 0;
        prob += kAlpha * ((d ? 1.0 : 0.0) - prob);
        if (d) size += kAlpha * (y_[t] - size);
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
        size += kAlpha * (y_[t] - size);
        interval += kAlpha * (gap - interval);
      }
    }
    if (!seen) return;
    prob = std::min(1.0, (kind_ == Intermittent::sba ? 1 - kAlpha / 2 : 1.0) / interval);
  }

  std::vector<double> y_, sizes_;
  Intermittent kind_;
  double size_mean_ = 0, prob0_ = 0;
};

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
  void simulate(int h, Rng& rng, double* out) const override {
    const auto& part = parts_[rng.below(parts_.size())];
    std::vector<double> own(h), comb(h);
    part->point(n_, h, own.data());
    point(n_, h, comb.data());
    part->simulate(h, rng, out);
    for (int t = 0; t < h; ++t) out[t] += comb[t] - own[t];
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
  std::vector<double> fig;
  bool mult = std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
  std::vector<double> ysa = y;
  if (seasonality_test(y, m)) {
    fig = seasonal_figure(y, m, mult);
    // Near-zero indices make the adjustment explode: R's thetaf then drops it.
    if (mult && std::any_of(fig.begin(), fig.end(), [](double s) { return std::fabs(s) < 1e-4; })) fig.clear();
    for (int t = 0; t < n && !fig.empty(); ++t) ysa[t] = mult ? y[t] / fig[t % m] : y[t] - fig[t % m];
  }
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
  return std::make_shared<ThetaModel>(std::move(fig), mult, m, ses.model, ses.alpha, drift, n);
}

std::shared_ptr<const Model> make_intermittent(const std::vector<double>& y, Intermittent kind) {
  return std::make_shared<IntermittentModel>(y, kind);
}

std::shared_ptr<const Model> make_median_combination(std::vector<std::shared_ptr<const Model>> parts, int n) {
  return std::make_shared<MedianCombination>(std::move(parts), n);
}

std::shared_ptr<const Model> make_constant(double value, int) {
  return std::make_shared<ConstantModel>(value);
}

}  // namespace caseload::fc
