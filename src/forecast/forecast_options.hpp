// Private: the one description of the forecast's options (base/options.hpp).
// The JSON API, the Python keywords, the checks in forecast() and the docs'
// options table all come from these. `keep_paths` and `first_index` are not
// options a request sets: they are how a C++ caller asks for the paths and
// splits one batch into chunks, so they have no record.
#pragma once

#include <cstdint>
#include <span>

#include "base/options.hpp"
#include "caseload/forecast.hpp"

namespace caseload::fc {

/// Steps ahead and season length: at most ten years of weeks.
inline constexpr int32_t kMaxHorizon = 520;
inline constexpr int32_t kMaxSeason = 520;

std::span<const options::Record<ForecastOptions>> forecast_option_records() noexcept;

/// The option checks of forecast(): every record's range, then the model name
/// and the bound on n_paths * horizon (memory of the simulated paths).
void validate_options(const ForecastOptions& o);

}  // namespace caseload::fc
