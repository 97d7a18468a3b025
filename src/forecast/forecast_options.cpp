// The forecast's options, one record each (see forecast_options.hpp).
#include "forecast/forecast_options.hpp"

#include <array>
#include <string>

#include "caseload/error.hpp"

namespace caseload::fc {

namespace {

using options::Range;
using options::Record;

// The simulated paths of one series are held at once: n_paths * horizon
// doubles (80 MB at this bound) per worker thread.
constexpr int64_t kMaxPathValues = 10'000'000;

constexpr std::array<Record<ForecastOptions>, 9> kOptions{{
    {"horizon", &ForecastOptions::horizon, Range{1, kMaxHorizon, false, true}, "steps ahead"},
    {"season_length", &ForecastOptions::season_length, Range{1, kMaxSeason, false, true},
     "12 for monthly data, 52 for weekly, 1 for none"},
    {.name = "levels",
     .member = &ForecastOptions::levels,
     .range = Range{0, 100, true, false, true},
     .doc = "central interval levels in percent, e.g. [80, 95]",
     .list = {99, false}},
    {"model",
     &ForecastOptions::model,
     {},
     "auto, ets, ets:XYZ (e.g. ets:AAdA), theta, otm, stm, seasonal_naive, naive, croston, sba or tsb "
     "(docs/forecasting.md)"},
    {"seed", &ForecastOptions::seed, Range{0, options::kMaxExactInteger, false, true},
     "random stream key; with the series' position it fixes every simulated path"},
    {"n_paths", &ForecastOptions::n_paths, Range{10, 100000, false, true}, "simulated sample paths per series"},
    {"count_data",
     &ForecastOptions::count_data,
     {},
     "the series are counts: paths and bounds are non-negative integers"},
    {"calibrate", &ForecastOptions::calibrate, {}, "rolling-origin conformal scaling of the intervals"},
    {"n_threads", &ForecastOptions::n_threads, Range{0, 1024, false, true},
     "worker threads; 0 = all cores. Results never depend on it"},
}};

}  // namespace

std::span<const Record<ForecastOptions>> forecast_option_records() noexcept {
  return kOptions;
}

void validate_options(const ForecastOptions& o) {
  options::validate(o, forecast_option_records(), "options");
  const int64_t values = static_cast<int64_t>(o.n_paths) * o.horizon;
  if (values > kMaxPathValues)
    throw Error(ErrorCode::invalid_argument, "options: n_paths * horizon must be at most " +
                                                 std::to_string(kMaxPathValues) + ", got " + std::to_string(values));
}

}  // namespace caseload::fc
