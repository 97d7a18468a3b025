// Batch forecasting: validation, model choice, simulated intervals,
// rolling-origin conformal calibration and the thread pool.
#include "caseload/forecast.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>

#include "base/threads.hpp"
#include "caseload/error.hpp"
#include "forecast/forecast_internal.hpp"
#include "forecast/forecast_options.hpp"

namespace caseload {
namespace {

using fc::Model;

using fc::kMaxHorizon;
using fc::kMaxSeason;
constexpr int kMinLength = 3;
// Largest |y| accepted. The models square and multiply values (sums of
// squared errors, multiplicative states), so 1e155 overflowed to infinity and
// answered null; 1e12 is far above any count of cases or referrals and keeps
// squares of sums of a long series well inside a double.
constexpr double kMaxAbsValue = 1e12;
constexpr int kMaxEtsSeason = 24;  // R's ets limit: more seasonal states than this do not estimate well
// Calibration origins: the last horizon + 24 (so the longest horizon still
// has 25 scores when the series is long enough).
constexpr int kExtraOrigins = 24;
// The calibration may narrow a simulated interval by at most 10%. Unbounded
// narrowing under-covers (the in-sample scores are optimistic: 95% intervals
// covered 89-92% on M3 monthly); widening only (a floor of 1) over-covered
// at 80% (82-84%). Over three disjoint forecast periods of M3 monthly
// (m3_eval, the test period and --earlier-origin with --shift 18 and 36)
// the floor 0.9 averaged 79.7% / 94.9% coverage at 80% / 95% against
// 81.6% / 95.5% for widening only, and 78.9% / 94.7% for 0.85
// (docs/forecasting.md, "Interval calibration at 80%").
constexpr double kMinCalibrationFactor = 0.9;
// Syntetos-Boylan-Croston classification: average inter-demand interval
// above 1.32 marks a series as intermittent.
constexpr double kIntermittentAdi = 1.32;

std::string num(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

[[noreturn]] void fail(const std::string& msg) {
  throw Error(ErrorCode::invalid_argument, msg);
}

std::string where(const Series& s, size_t index) {
  return s.id.empty() ? "series[" + std::to_string(index) + "]" : "series \"" + s.id + "\"";
}

enum class Kind { automatic, ets_auto, ets_spec, theta, otm, stm, seasonal_naive, naive, croston, sba, tsb };

struct ModelChoice {
  Kind kind = Kind::automatic;
  fc::EtsSpec spec;
};

ModelChoice parse_model(const std::string& name) {
  static const std::pair<const char*, Kind> kNames[] = {
      {"auto", Kind::automatic}, {"ets", Kind::ets_auto},    {"theta", Kind::theta},
      {"otm", Kind::otm},        {"stm", Kind::stm},         {"seasonal_naive", Kind::seasonal_naive},
      {"naive", Kind::naive},    {"croston", Kind::croston}, {"sba", Kind::sba},
      {"tsb", Kind::tsb}};
  for (const auto& [n, k] : kNames)
    if (name == n) return {k, {}};
  if (name.rfind("ets:", 0) == 0)
    if (auto spec = fc::parse_ets_spec(name.substr(4))) return {Kind::ets_spec, *spec};
  fail(
      "options: model must be one of auto, ets, ets:XYZ (e.g. ets:AAdA), theta, otm, stm, seasonal_naive, naive, "
      "croston, sba, tsb; got \"" +
      name + "\"");
}

void validate_season_length(int32_t season_length) {
  if (season_length < 1 || season_length > kMaxSeason)
    fail("options: season_length must be in [1, " + std::to_string(kMaxSeason) + "], got " +
         std::to_string(season_length));
}

// The seasonal period a series can support: two full seasons are needed.
int effective_season(int n, int m) {
  return (m > 1 && n >= 2 * m) ? m : 1;
}

fc::EtsSpec reduce_spec(fc::EtsSpec spec, int m_eff) {
  if (m_eff <= 1 || m_eff > kMaxEtsSeason) spec.season = fc::Season::none;
  return spec;
}

void validate_series(const Series& s, size_t index, const ModelChoice& choice, int m, bool count_data) {
  const auto& y = s.y;
  const int n = static_cast<int>(y.size());
  if (n < kMinLength)
    fail(where(s, index) + ": y has " + std::to_string(n) + " values; at least " + std::to_string(kMinLength) +
         " are needed");
  for (int t = 0; t < n; ++t) {
    if (!std::isfinite(y[t])) fail(where(s, index) + ": y[" + std::to_string(t) + "] must be finite, got " + num(y[t]));
    if (std::fabs(y[t]) > kMaxAbsValue)
      fail(where(s, index) + ": y[" + std::to_string(t) + "] must be in [-" + num(kMaxAbsValue) + ", " +
           num(kMaxAbsValue) + "], got " + num(y[t]));
    if (count_data && (y[t] < 0 || y[t] != std::floor(y[t])))
      fail(where(s, index) + ": y[" + std::to_string(t) + "] must be a non-negative integer (count_data), got " +
           num(y[t]));
  }
  const bool intermittent = choice.kind == Kind::croston || choice.kind == Kind::sba || choice.kind == Kind::tsb;
  if (intermittent)
    for (int t = 0; t < n; ++t)
      if (y[t] < 0)
        fail(where(s, index) + ": y[" + std::to_string(t) + "] must be >= 0 for intermittent-demand models, got " +
             num(y[t]));
  if (choice.kind == Kind::ets_spec) {
    const fc::EtsSpec spec = reduce_spec(choice.spec, effective_season(n, m));
    const std::string name = fc::ets_name(choice.spec);
    if (spec.mult_error || spec.season == fc::Season::multiplicative)
      for (int t = 0; t < n; ++t)
        if (!(y[t] > 0))
          fail(where(s, index) + ": model " + name + " needs every y > 0, got y[" + std::to_string(t) +
               "] = " + num(y[t]));
    const int need = fc::ets_min_length(spec, effective_season(n, m));
    if (n < need)
      fail(where(s, index) + ": model " + fc::ets_name(spec) + " needs at least " + std::to_string(need) +
           " values, got " + std::to_string(n));
  }
}

std::shared_ptr<const Model> build_model(const std::vector<double>& y, int m, const ModelChoice& choice) {
  const int n = static_cast<int>(y.size());
  const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
  if (*mn == *mx) return fc::make_constant(*mn, n);
  const int me = effective_season(n, m);
  switch (choice.kind) {
    case Kind::naive:
      return fc::make_naive(y);
    case Kind::seasonal_naive:
      return fc::make_seasonal_naive(y, me);
    case Kind::theta:
      return fc::make_theta(y, me);
    case Kind::otm:
    case Kind::stm: {
      auto r = fc::fit_theta_model(y, me, choice.kind == Kind::otm);
      return r.model ? r.model : fc::make_naive(y);
    }
    case Kind::croston:
      return fc::make_intermittent(y, fc::Intermittent::croston);
    case Kind::sba:
      return fc::make_intermittent(y, fc::Intermittent::sba);
    case Kind::tsb:
      return fc::make_intermittent(y, fc::Intermittent::tsb);
    case Kind::ets_spec: {
      auto r = fc::fit_ets_model(y, me, reduce_spec(choice.spec, me));
      if (r.model) return r.model;
      [[fallthrough]];  // no admissible start: let AICc choose among the rest
    }
    case Kind::ets_auto: {
      auto sel = fc::select_ets(y, me <= kMaxEtsSeason ? me : 1);
      return sel.best.model ? sel.best.model : fc::make_naive(y);
    }
    case Kind::automatic: {
      int nonzero = 0;
      bool nonneg = true;
      for (double v : y) {
        nonzero += v != 0;
        nonneg = nonneg && v >= 0;
      }
      if (nonneg && (nonzero == 0 || static_cast<double>(n) / nonzero > kIntermittentAdi))
        return fc::make_intermittent(y, fc::Intermittent::sba);
      // Long seasons (weekly data, m = 52): ETS cannot model the season
      // (kMaxEtsSeason), and the multiplicative-error twins of the three
      // non-seasonal models change the point forecast little while doubling
      // the fitting time, so only the additive-error models compete. This
      // is what makes 10,000 weekly team series fit in seconds.
      auto sel = fc::select_ets(y, me <= kMaxEtsSeason ? me : 1, m > kMaxEtsSeason);
      // The optimised Theta model joins as a fourth member (the median of
      // four is the mean of the middle two). On M3 monthly it lowered sMAPE
      // 13.74 -> 13.62 and MASE 0.851 -> 0.836, and at an earlier forecast
      // origin 14.66 -> 14.48 and 0.923 -> 0.874 (docs/forecasting.md),
      // although OTM alone is worse than Theta on sMAPE: it extrapolates
      // the full trend of some declining series through zero, and the
      // median keeps those excursions out.
      auto theta = fc::make_theta(y, me);
      auto otm = fc::fit_theta_model(y, me, true);
      std::vector<std::shared_ptr<const Model>> parts;
      if (sel.best.model) parts.push_back(sel.best.model);
      parts.push_back(theta);
      if (otm.model) parts.push_back(otm.model);
      if (sel.best_damped.model) parts.push_back(sel.best_damped.model);
      if (parts.size() == 1) return theta;
      return fc::make_median_combination(std::move(parts), n);
    }
  }
  return fc::make_naive(y);
}

// Places the order statistics at positions [want, want_end) (ascending, all
// in [first, last)) of v into out[position].
void select_order_statistics(std::vector<double>& v, size_t first, size_t last, const size_t* want,
                             const size_t* want_end, std::vector<double>& out) {
  while (want != want_end) {
    const size_t* mid = want + (want_end - want) / 2;
    std::nth_element(v.begin() + static_cast<ptrdiff_t>(first), v.begin() + static_cast<ptrdiff_t>(*mid),
                     v.begin() + static_cast<ptrdiff_t>(last));
    out[*mid] = v[*mid];
    select_order_statistics(v, first, *mid, want, mid, out);  // left part: fewer than half the positions
    first = *mid + 1;
    want = mid + 1;
  }
}

// Type-7 quantile; only the two order statistics around p * (size - 1) are read.
double quantile(const std::vector<double>& sorted, double p) {
  const double pos = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Rolling-origin conformal scaling. From each of the last origins o of the
// series, the model (parameters fixed at the full fit) forecasts y[o..]; the
// error at horizon k is normalised by the simulated interval's half-width at
// horizon k on the side it falls, and the half-widths are multiplied by a
// conformal quantile of those ratios (pooled over horizons k-2..k+2), never
// by less than kMinCalibrationFactor. Horizons without enough scores reuse
// the factor of the previous horizon (1 when there is none).
void calibrate(const Model& model, const std::vector<double>& y, const ForecastOptions& o, SeriesForecast& out) {
  const int n = static_cast<int>(y.size());
  const int H = o.horizon;
  const size_t L = o.levels.size();
  const int first = std::max({model.min_origin(), 2, n - H - kExtraOrigins});
  if (first >= n || L == 0) return;
  double scale = 0;
  for (double v : y) scale += std::fabs(v) / n;
  const double eps = std::max(scale, 1e-300) * 1e-9;
  // A count forecast's simulated bounds are whole numbers, so a half-width
  // is only known to the nearest half count: near-zero widths (a very
  // regular series, rounded paths all equal) would otherwise give scores
  // and a scale factor in the thousands, and intervals like [46, 1244] for
  // a mean of 47. Half a count is the narrowest a count interval can be.
  const double least_half_width = o.count_data ? 0.5 : eps;
  std::vector<std::vector<std::vector<double>>> scores(L, std::vector<std::vector<double>>(H));
  std::vector<double> f(H);
  for (int origin = first; origin < n; ++origin) {
    const int hh = std::min(H, n - origin);
    model.point(origin, hh, f.data());
    for (int k = 0; k < hh; ++k) {
      const double a = y[origin + k];
      for (size_t l = 0; l < L; ++l) {
        const double up = std::max(out.hi[l][k] - out.mean[k], least_half_width);
        const double dn = std::max(out.mean[k] - out.lo[l][k], least_half_width);
        scores[l][k].push_back(a >= f[k] ? (a - f[k]) / up : (f[k] - a) / dn);
      }
    }
  }
  constexpr int kWindow = 2;
  std::vector<double> pool;
  for (size_t l = 0; l < L; ++l) {
    double carry = 1.0;  // no scores at all: keep the simulated width
    for (int k = 0; k < H; ++k) {
      pool.clear();
      for (int j = std::max(0, k - kWindow); j <= std::min(H - 1, k + kWindow); ++j)
        pool.insert(pool.end(), scores[l][j].begin(), scores[l][j].end());
      // The pooled scores are strongly dependent (neighbouring horizons share
      // origins), so the conformal rank comes from the number of origins
      // behind horizon k alone, ceil((N_k + 1) level) / N_k, applied as a
      // quantile level to the pooled scores.
      const double nk = static_cast<double>(scores[l][k].size());
      const double level = o.levels[l] / 100.0;
      // Ranks are 1-based and at least 1: at a tiny level (1e-9 %) the
      // ceiling is 0, and rank 0 would read before the pool.
      const double rank_k = std::max(1.0, std::ceil((nk + 1) * level - 1e-9));
      if (nk > 0 && rank_k <= nk && !pool.empty()) {
        const double p = rank_k / nk;
        const auto rank = std::clamp<size_t>(
            static_cast<size_t>(std::ceil(p * static_cast<double>(pool.size()) - 1e-9)), 1, pool.size());
        std::nth_element(pool.begin(), pool.begin() + static_cast<ptrdiff_t>(rank - 1), pool.end());
        // Narrow little: the scores come from parameters fitted on the same
        // data, so they understate future errors.
        carry = std::max(kMinCalibrationFactor, pool[rank - 1]);
      }
      if (o.count_data && carry > 1) {  // widening: from the widths the scores were measured against
        out.hi[l][k] = out.mean[k] + carry * std::max(out.hi[l][k] - out.mean[k], least_half_width);
        out.lo[l][k] = out.mean[k] - carry * std::max(out.mean[k] - out.lo[l][k], least_half_width);
      } else {  // narrowing (at most to kMinCalibrationFactor): a [0, 0] stays [0, 0]
        out.hi[l][k] = out.mean[k] + carry * (out.hi[l][k] - out.mean[k]);
        out.lo[l][k] = out.mean[k] - carry * (out.mean[k] - out.lo[l][k]);
      }
    }
  }
}

SeriesForecast forecast_one(const Series& s, size_t index, const ModelChoice& choice, const ForecastOptions& o) {
  const int H = o.horizon;
  const auto model = build_model(s.y, o.season_length, choice);
  SeriesForecast out;
  out.id = s.id;
  out.model = model->name();
  out.mean.resize(H);
  model->point(static_cast<int>(s.y.size()), H, out.mean.data());

  const int P = o.n_paths;
  std::vector<double> paths(static_cast<size_t>(P) * H);
  fc::Rng rng(o.seed, o.first_index + index, 0);
  model->simulate_many(H, P, rng, paths.data());
  for (int p = 0; p < P; ++p) {
    double* row = paths.data() + static_cast<size_t>(p) * H;
    for (int k = 0; k < H; ++k) {
      // A path that left the model's domain (e.g. a multiplicative state
      // through zero) falls back to the point forecast rather than NaN.
      if (!std::isfinite(row[k])) row[k] = out.mean[k];
      if (o.count_data) row[k] = std::max(0.0, std::round(row[k]));
    }
  }
  const size_t L = o.levels.size();
  out.lo.assign(L, std::vector<double>(H));
  out.hi.assign(L, std::vector<double>(H));
  // Type-7 quantiles need two adjacent order statistics per bound. Select
  // them by recursive nth_element (middle wanted position first, then each
  // side on its own sub-range) instead of sorting all paths at every horizon.
  std::vector<size_t> need;
  for (size_t l = 0; l < L; ++l) {
    const double a = (1 - o.levels[l] / 100.0) / 2;
    for (double p : {a, 1 - a}) {
      const auto lo = static_cast<size_t>(std::floor(p * static_cast<double>(P - 1)));
      need.push_back(lo);
      need.push_back(std::min<size_t>(lo + 1, static_cast<size_t>(P - 1)));
    }
  }
  std::sort(need.begin(), need.end());
  need.erase(std::unique(need.begin(), need.end()), need.end());
  std::vector<double> col(P), order_stat(P);
  std::vector<uint32_t> counts;
  for (int k = 0; k < H; ++k) {
    double top = 0;
    for (int p = 0; p < P; ++p) top = std::max(top, col[p] = paths[static_cast<size_t>(p) * H + k]);
    if (o.count_data && top <= 4.0 * P) {
      // Count paths are small non-negative integers with many ties, where
      // nth_element is slow: a counting pass finds every order statistic.
      counts.assign(static_cast<size_t>(top) + 1, 0);
      for (int p = 0; p < P; ++p) ++counts[static_cast<size_t>(col[p])];
      size_t below = 0, value = 0;
      for (size_t i : need) {
        while (below + counts[value] <= i) below += counts[value++];
        order_stat[i] = static_cast<double>(value);
      }
    } else {
      select_order_statistics(col, 0, col.size(), need.data(), need.data() + need.size(), order_stat);
    }
    for (size_t l = 0; l < L; ++l) {
      const double a = (1 - o.levels[l] / 100.0) / 2;
      // Intervals are centred on the point forecast's side: a bound on the
      // wrong side of the mean (skewed paths) is pulled to the mean.
      out.lo[l][k] = std::min(quantile(order_stat, a), out.mean[k]);
      out.hi[l][k] = std::max(quantile(order_stat, 1 - a), out.mean[k]);
    }
  }
  if (o.calibrate) calibrate(*model, s.y, o, out);

  // Nesting: a wider level never gives a narrower interval.
  std::vector<size_t> order(L);
  for (size_t l = 0; l < L; ++l) order[l] = l;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return o.levels[a] < o.levels[b]; });
  for (int k = 0; k < H; ++k) {
    for (size_t i = 1; i < L; ++i) {
      const size_t prev = order[i - 1], cur = order[i];
      out.lo[cur][k] = std::min(out.lo[cur][k], out.lo[prev][k]);
      out.hi[cur][k] = std::max(out.hi[cur][k], out.hi[prev][k]);
    }
    if (o.count_data) {
      out.mean[k] = std::max(0.0, out.mean[k]);
      for (size_t l = 0; l < L; ++l) {
        out.lo[l][k] = std::max(0.0, std::floor(out.lo[l][k] + 1e-9));
        out.hi[l][k] = std::max(0.0, std::ceil(out.hi[l][k] - 1e-9));
      }
    }
  }
  if (o.keep_paths) {
    out.paths.assign(P, std::vector<double>(H));
    for (int p = 0; p < P; ++p) std::copy_n(paths.begin() + static_cast<ptrdiff_t>(p) * H, H, out.paths[p].begin());
  }
  return out;
}

// A failure other than caseload::Error (bad_alloc, a std::exception), kept
// with its series so the message can name it.
struct IndexedFailure {
  size_t index;
  std::exception_ptr error;
};

}  // namespace

std::vector<SeriesForecast> forecast(const std::vector<Series>& series, const ForecastOptions& options) {
  threads::check_cancel(options.cancel, "forecast");
  fc::validate_options(options);
  const ModelChoice choice = parse_model(options.model);
  for (size_t i = 0; i < series.size(); ++i)
    validate_series(series[i], i, choice, options.season_length, options.count_data);

  std::vector<SeriesForecast> out(series.size());
  // The library's one thread helper (base/threads.hpp): bounded threads,
  // fallback when one cannot start, cancellation between series, and the
  // error of the lowest-numbered failing series whatever the scheduling.
  std::exception_ptr err;
  size_t err_index = series.size();
  try {
    threads::run_blocks(series.size(), options.n_threads, options.cancel, "forecast", [&](size_t i) {
      try {
        out[i] = forecast_one(series[i], i, choice, options);
      } catch (const Error&) {
        throw;
      } catch (...) {
        throw IndexedFailure{i, std::current_exception()};
      }
    });
  } catch (const IndexedFailure& f) {
    err_index = f.index;
    err = f.error;
  }
  if (err) {
    try {
      std::rethrow_exception(err);
    } catch (const Error&) {
      throw;
    } catch (const std::bad_alloc&) {
      throw Error(ErrorCode::out_of_memory, where(series[err_index], err_index) + ": out of memory");
    } catch (const std::exception& e) {
      throw Error(ErrorCode::internal, where(series[err_index], err_index) + ": " + e.what());
    }
  }
  return out;
}

EtsFit fit_ets(const Series& series, const std::string& model, int32_t season_length) {
  validate_season_length(season_length);
  const ModelChoice choice = parse_model(model);
  if (choice.kind != Kind::ets_auto && choice.kind != Kind::ets_spec)
    fail("fit_ets: model must be \"ets\" or \"ets:XYZ\", got \"" + model + "\"");
  validate_series(series, 0, choice, season_length, false);
  const int n = static_cast<int>(series.y.size());
  const int me = effective_season(n, season_length);
  fc::EtsResult r;
  if (choice.kind == Kind::ets_spec) {
    r = fc::fit_ets_model(series.y, me, reduce_spec(choice.spec, me));
  } else {
    r = fc::select_ets(series.y, me <= kMaxEtsSeason ? me : 1).best;
  }
  if (!r.model) fail(where(series, 0) + ": no ETS model could be fitted (too few values or no admissible start)");
  EtsFit f;
  f.model = r.name;
  f.alpha = r.alpha;
  f.beta = r.beta;
  f.gamma = r.gamma;
  f.phi = r.phi;
  f.level0 = r.level0;
  f.trend0 = r.trend0;
  f.season0 = r.season0;
  f.fitted = r.fitted;
  f.sigma2 = r.sigma2;
  f.loglik = r.loglik;
  f.aic = r.aic;
  f.aicc = r.aicc;
  f.season_length = r.season0.empty() ? 1 : me;
  return f;
}

ThetaFit fit_theta(const Series& series, const std::string& model, int32_t season_length) {
  validate_season_length(season_length);
  const ModelChoice choice = parse_model(model);
  if (choice.kind != Kind::otm && choice.kind != Kind::stm)
    fail("fit_theta: model must be \"otm\" or \"stm\", got \"" + model + "\"");
  validate_series(series, 0, choice, season_length, false);
  const int n = static_cast<int>(series.y.size());
  if (n < fc::kThetaMinLength)
    fail(where(series, 0) + ": y has " + std::to_string(n) + " values; the Theta model needs at least " +
         std::to_string(fc::kThetaMinLength));
  const int me = effective_season(n, season_length);
  const fc::ThetaResult r = fc::fit_theta_model(series.y, me, choice.kind == Kind::otm);
  ThetaFit f;
  f.model = r.model->name();
  f.theta = r.theta;
  f.alpha = r.alpha;
  f.level0 = r.level0;
  f.a = r.a;
  f.b = r.b;
  f.seasonal = r.seasonal;
  f.multiplicative_season = r.multiplicative;
  f.fitted = r.fitted;
  f.mse = r.mse;
  f.season_length = r.seasonal.empty() ? 1 : me;
  return f;
}

IntermittentFit fit_intermittent(const Series& series, const std::string& model) {
  const ModelChoice choice = parse_model(model);
  if (choice.kind != Kind::croston && choice.kind != Kind::sba && choice.kind != Kind::tsb)
    fail("fit_intermittent: model must be \"croston\", \"sba\" or \"tsb\", got \"" + model + "\"");
  validate_series(series, 0, choice, 1, false);
  const auto kind = choice.kind == Kind::croston ? fc::Intermittent::croston
                    : choice.kind == Kind::sba   ? fc::Intermittent::sba
                                                 : fc::Intermittent::tsb;
  const fc::IntermittentResult r = fc::fit_intermittent_model(series.y, kind);
  IntermittentFit f;
  f.model = model;
  f.alpha_size = r.alpha_size;
  f.alpha_rate = r.alpha_rate;
  const int n = static_cast<int>(series.y.size());
  f.fitted.resize(n);
  double sse = 0;
  for (int t = 0; t < n; ++t) {
    r.model->point(t, 1, &f.fitted[t]);
    if (t > 0) sse += (series.y[t] - f.fitted[t]) * (series.y[t] - f.fitted[t]);
  }
  f.mse = sse / (n - 1);
  return f;
}

}  // namespace caseload
