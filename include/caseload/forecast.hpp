// caseload: safe, weighted social-work caseloads.
// Demand forecasting for count series (referrals per team per week or month).
//
// Every model produces a point forecast and simulated sample paths from its
// own error process; interval bounds are quantiles of the paths, then
// calibrated per horizon by rolling-origin conformal scaling on the series'
// own history. See docs/forecasting.md for the methods, their references and
// the measured accuracy on the M3 monthly data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/execution.hpp"
#include "caseload/export.hpp"

namespace caseload {

/// One series to forecast, oldest value first, equally spaced in time.
struct Series {
  std::string id;  ///< names the series in errors; may be empty (then "series[i]")
  std::vector<double> y;
};

struct ForecastOptions {
  int32_t horizon = 12;       ///< steps ahead, [1, 520]
  int32_t season_length = 1;  ///< 12 for monthly, 52 for weekly data, 1 for none; [1, 520]
  /// Central interval levels in percent, each in (0, 100), e.g. {80, 95}.
  std::vector<double> levels = {80, 95};
  /// "auto" (default: median of ETS, Theta, optimised Theta and damped
  /// ETS; SBA for intermittent series), "ets" (AICc selection), "ets:XYZ" with X in {A,M},
  /// Y in {N,A,Ad}, Z in {N,A,M} (e.g. "ets:AAdA"), "theta", "otm"
  /// (optimised Theta), "stm" (standard Theta model, theta = 2),
  /// "seasonal_naive", "naive", "croston", "sba", "tsb".
  std::string model = "auto";
  uint64_t seed = 0;       ///< random stream key; with the series index it fixes every path
  int32_t n_paths = 1000;  ///< simulated sample paths per series, [10, 100000]
  /// The series are counts: y must be non-negative integers, simulated paths
  /// are rounded to non-negative integers and lower bounds clamp at 0.
  bool count_data = false;
  bool calibrate = true;    ///< rolling-origin conformal scaling of the intervals
  bool keep_paths = false;  ///< return the simulated paths in SeriesForecast::paths
  int32_t n_threads = 0;    ///< worker threads; 0 = hardware concurrency. Results never depend on it.
  /// Position of series[0] in a larger batch: the random stream of series[i]
  /// is keyed by (seed, first_index + i), so a batch forecast in chunks (e.g.
  /// for a progress bar) gives exactly the result of one call.
  uint64_t first_index = 0;
  /// Cooperative cancellation (execution.hpp), checked between series; not
  /// an option record (never read from JSON). Null = not cancellable.
  const Cancel* cancel = nullptr;
};

struct SeriesForecast {
  std::string id;
  std::vector<double> mean;             ///< point forecast, horizon values
  std::vector<std::vector<double>> lo;  ///< lo[k][h]: lower bound at options.levels[k]
  std::vector<std::vector<double>> hi;  ///< hi[k][h]: upper bound at options.levels[k]
  /// The model actually used, e.g. "ETS(M,Ad,M)", "Theta", "OTM", "auto[ETS(A,N,N)|Theta|OTM|ETS(A,Ad,N)]",
  /// "seasonal_naive", "naive", "constant". Seasonal models fall back to
  /// non-seasonal ones on series shorter than two seasons.
  std::string model;
  /// paths[p][h] when options.keep_paths: the model's simulated paths
  /// (before calibration, which only rescales the interval bounds).
  std::vector<std::vector<double>> paths;
};

/// Forecasts every series independently (in parallel with n_threads
/// threads). Validates all inputs first and throws Error(invalid_argument)
/// naming the series and field, e.g. `series "T3": y[14] must be finite,
/// got nan` or `options: horizon must be in [1, 520], got 0`. Each series
/// needs at least 3 values. Output is in input order and bit-identical for
/// any n_threads.
CASELOAD_API std::vector<SeriesForecast> forecast(const std::vector<Series>& series, const ForecastOptions& options);

/// JSON in, JSON out (docs/forecasting.md, "JSON"): `request` is an object
/// {"series": [{"id": "T1", "y": [..]}, ..], "options": {"horizon": 12,
/// "season_length": 12, "levels": [80, 95], "model": "auto", "seed": 0,
/// "n_paths": 1000, "count_data": false, "calibrate": true, "n_threads": 0}}
/// ("options" and each of its members optional; an "op": "forecast" member is
/// allowed). Returns {"forecasts": [{"id", "model", "mean": [..], "intervals":
/// [{"level": 80, "lo": [..], "hi": [..]}, ..]}, ..]}. Errors as forecast(),
/// plus Error(parse) for malformed JSON or fields of the wrong type.
CASELOAD_API std::string forecast_json(std::string_view request);

/// A fitted ETS model (Hyndman et al. 2008 innovations state space form).
struct EtsFit {
  std::string model;                               ///< e.g. "ETS(A,Ad,N)"
  double alpha = 0, beta = 0, gamma = 0, phi = 1;  ///< beta/gamma 0 when absent, phi 1 when undamped
  double level0 = 0, trend0 = 0;
  /// Initial seasonal indices by cycle position: season0[j] applies to the
  /// observations y[t] with t % season_length == j. Empty when non-seasonal.
  std::vector<double> season0;
  std::vector<double> fitted;  ///< one-step-ahead fitted values, same length as y
  double sigma2 = 0;           ///< innovation variance (relative for multiplicative errors)
  double loglik = 0, aic = 0, aicc = 0;
  int32_t season_length = 1;
};

/// Fits one ETS model by maximum likelihood ("ets:XYZ") or selects the
/// AICc-best of the admissible family ("ets"). Same validation and
/// fall-backs as forecast().
CASELOAD_API EtsFit fit_ets(const Series& series, const std::string& model = "ets", int32_t season_length = 1);

/// A fitted Theta model in the state space form of Fiorucci, Pellegrini,
/// Louzada, Petropoulos & Koehler (2016), "Models for optimising the theta
/// method and their relationship to state space models" (IJF 32(4)), as
/// statsforecast's OptimizedTheta / StandardTheta. On the (deseasonalised)
/// series x[0..n) with least-squares line A + B t, t = 1..n, the forecast of
/// x[t] from x[0..t) is
///   level[t] + (1 - 1/theta) (A (1 - alpha)^t + B (1 - (1 - alpha)^(t+1)) / alpha)
/// where level[0] = level0 and level[t+1] = alpha x[t] + (1 - alpha) level[t];
/// further steps ahead add (1 - 1/theta) B per step.
struct ThetaFit {
  std::string model;  ///< "OTM" (theta optimised) or "STM" (theta = 2)
  double theta = 2, alpha = 0, level0 = 0;
  double a = 0, b = 0;  ///< intercept and slope of the least-squares line on t = 1..n (adjusted scale)
  /// Classical-decomposition seasonal indices by cycle position (t % m),
  /// multiplicative unless some y <= 0; empty when the seasonality test
  /// found no season (or the series is shorter than two seasons).
  std::vector<double> seasonal;
  bool multiplicative_season = true;
  std::vector<double> fitted;  ///< one-step-ahead fitted values in data units, same length as y
  double mse = 0;              ///< the criterion: mean squared one-step error on the adjusted scale, t >= 3
  int32_t season_length = 1;
};

/// Fits "otm" (theta, alpha and level0 by least squares of the one-step
/// errors from t = 3 on, with 1 <= theta <= 1e10, 0.1 <= alpha <= 0.99 and
/// level0 within ten data ranges of the adjusted series' min and max) or
/// "stm" (theta = 2). Needs at least 7 values (fewer: Error(invalid_argument));
/// same validation as forecast().
CASELOAD_API ThetaFit fit_theta(const Series& series, const std::string& model = "otm", int32_t season_length = 1);

/// Fitted smoothing constants of an intermittent-demand model.
struct IntermittentFit {
  std::string model;  ///< "croston", "sba" or "tsb"
  /// Croston/SBA: smoothing constants of the demand sizes and of the
  /// inter-demand intervals, each in [0.1, 0.3] minimising the in-sample MSE
  /// of its own one-step forecasts (statsforecast's CrostonOptimized).
  /// TSB: alpha_size smooths the sizes and alpha_rate the demand
  /// probability, jointly in [0.01, 0.3] minimising the MSE of the one-step
  /// demand-rate forecasts.
  double alpha_size = 0, alpha_rate = 0;
  std::vector<double> fitted;  ///< one-step demand-rate forecasts of y[t] from y[0..t)
  double mse = 0;              ///< mean of (y[t] - fitted[t])^2 over t >= 1
};

/// Fits "croston", "sba" or "tsb" to a non-negative series (same validation as forecast()).
CASELOAD_API IntermittentFit fit_intermittent(const Series& series, const std::string& model);

}  // namespace caseload
