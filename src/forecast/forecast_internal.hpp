// Private forecasting machinery shared by src/forecast*.cpp. Not API.
#pragma once

#include "base/random.hpp"

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace caseload::fc {

// ---- Random streams ----
// Every series gets its own generator keyed by (seed, series index, stream),
// so results never depend on thread count or scheduling (base/random.hpp).
using Rng = random::SeriesRng;

// ---- Fitted models ----
/// A model fitted to y[0..n). Parameters stay fixed at the full-sample fit;
/// point() re-runs the model's filter so that it can forecast from any
/// earlier origin, which is what the rolling-origin calibration needs.
class Model {
 public:
  virtual ~Model() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  /// Forecasts y[origin .. origin+h) from y[0 .. origin). origin in [min_origin(), n].
  virtual void point(int origin, int h, double* out) const = 0;
  [[nodiscard]] virtual int min_origin() const = 0;
  /// One simulated future path of length h from the end of the data.
  virtual void simulate(int h, Rng& rng, double* out) const = 0;
  /// `paths` simulated paths into out[p * h + k], drawing from rng exactly
  /// as `paths` calls of simulate() would (so the paths are the same); a
  /// model overrides it to share per-path set-up work.
  virtual void simulate_many(int h, int paths, Rng& rng, double* out) const {
    for (int p = 0; p < paths; ++p) simulate(h, rng, out + static_cast<size_t>(p) * h);
  }
};

// ---- ETS ----
enum class Trend { none, additive, damped };
enum class Season { none, additive, multiplicative };
struct EtsSpec {
  bool mult_error = false;
  Trend trend = Trend::none;
  Season season = Season::none;
};
std::string ets_name(const EtsSpec& s);
/// Parses "AAdM" etc.; nullopt when malformed.
std::optional<EtsSpec> parse_ets_spec(const std::string& code);

struct EtsResult {
  std::shared_ptr<const Model> model;  // null when the model could not be fitted
  double aicc = INFINITY;
  // Values for the public EtsFit, in data units.
  std::string name;
  double alpha = 0, beta = 0, gamma = 0, phi = 1, level0 = 0, trend0 = 0, sigma2 = 0, loglik = 0, aic = INFINITY;
  std::vector<double> season0, fitted;
};

/// Fits one ETS model; m is the seasonal period already reduced by the
/// caller's fall-back rules (1 for non-seasonal). Result.model null when
/// there are too few values or no admissible start.
EtsResult fit_ets_model(const std::vector<double>& y, int m, const EtsSpec& spec);

/// The AICc-best of the family (A/M error, N/A/Ad trend, N/A/M season;
/// additive error with multiplicative season excluded as numerically
/// unstable; multiplicative components only when every y > 0; seasonal
/// ones only when m > 1). `best_damped` is the AICc-best damped-trend model.
struct EtsSelection {
  EtsResult best, best_damped;
};
/// `additive_error_only` restricts the family to A-error models (the long-season fast path of "auto").
EtsSelection select_ets(const std::vector<double>& y, int m, bool additive_error_only = false);
/// Number of values fit_ets_model needs for this spec.
int ets_min_length(const EtsSpec& spec, int m);

// ---- Other models (forecast_models.cpp) ----
std::shared_ptr<const Model> make_naive(const std::vector<double>& y);
std::shared_ptr<const Model> make_seasonal_naive(const std::vector<double>& y, int m);
std::shared_ptr<const Model> make_theta(const std::vector<double>& y, int m);
enum class Intermittent { croston, sba, tsb };
/// Fits the smoothing constants (see caseload::IntermittentFit) and builds the model.
struct IntermittentResult {
  std::shared_ptr<const Model> model;
  double alpha_size = 0.1, alpha_rate = 0.1;
};
IntermittentResult fit_intermittent_model(const std::vector<double>& y, Intermittent kind);
std::shared_ptr<const Model> make_intermittent(const std::vector<double>& y, Intermittent kind);

/// Optimised (or standard, theta = 2) Theta model of Fiorucci et al. (2016);
/// see caseload::ThetaFit for the equations. m is the effective season.
struct ThetaResult {
  std::shared_ptr<const Model> model;  // null when y is shorter than kThetaMinLength
  double theta = 2, alpha = 0, level0 = 0, a = 0, b = 0, mse = 0;
  std::vector<double> seasonal, fitted;
  bool multiplicative = true;
};
constexpr int kThetaMinLength = 7;
ThetaResult fit_theta_model(const std::vector<double>& y, int m, bool optimise_theta);
/// Point forecast = median of the components (n = series length); each path
/// comes from a component drawn at random and is re-centred on the combined
/// point forecast.
std::shared_ptr<const Model> make_median_combination(std::vector<std::shared_ptr<const Model>> parts, int n);
std::shared_ptr<const Model> make_constant(double value, int n);

/// Classical decomposition (R's decompose()): seasonal figure by cycle
/// position t % m, normalised to mean 0 (additive) or mean 1 (multiplicative).
std::vector<double> seasonal_figure(const std::vector<double>& y, int m, bool multiplicative);
/// The 90% seasonality test of Assimakopoulos & Nikolopoulos as in R's thetaf():
/// |r_m| / sqrt((1 + 2 sum_{k<m} r_k^2) / n) > 1.645.
bool seasonality_test(const std::vector<double>& y, int m);

/// Gaussian innovation scale from residuals with `k` estimated parameters.
double residual_sd(const std::vector<double>& resid, int k);

}  // namespace caseload::fc
