// caseload._core.forecast: the batch demand forecaster (include/caseload/forecast.hpp)
// for python/caseload/forecast.py, which does the DataFrame work.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/forecast.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace {

using F64 = py::array_t<double, py::array::c_style | py::array::forcecast>;
using I64 = py::array_t<int64_t, py::array::c_style | py::array::forcecast>;

[[noreturn]] void fail(const std::string& message) {
  throw caseload::Error(caseload::ErrorCode::invalid_argument, message);
}

// Series i is ids[i] with values y[offsets[i] .. offsets[i + 1]).
py::dict forecast_py(const std::vector<std::string>& ids, const F64& y, const I64& offsets,
                     const caseload::ForecastOptions& options) {
  if (y.ndim() != 1 || offsets.ndim() != 1) fail("forecast: y and offsets must be one-dimensional");
  const auto n_series = static_cast<size_t>(offsets.shape(0)) - (offsets.shape(0) > 0 ? 1 : 0);
  if (offsets.shape(0) == 0 || n_series != ids.size())
    fail("forecast: offsets must have one more entry than ids (" + std::to_string(ids.size()) + "), got " +
         std::to_string(offsets.shape(0)));
  const int64_t* off = offsets.data();
  const double* yv = y.data();
  std::vector<caseload::Series> series(n_series);
  for (size_t i = 0; i < n_series; ++i) {
    if (off[i] < 0 || off[i + 1] < off[i] || off[i + 1] > y.shape(0))
      fail("forecast: offsets are not a valid partition of y");
    series[i].id = ids[i];
    series[i].y.assign(yv + off[i], yv + off[i + 1]);
  }
  std::vector<caseload::SeriesForecast> out;
  {
    py::gil_scoped_release release;
    out = caseload::forecast(series, options);
  }
  const auto H = static_cast<py::ssize_t>(options.horizon);
  const auto S = static_cast<py::ssize_t>(n_series);
  const auto L = static_cast<py::ssize_t>(options.levels.size());
  py::array_t<double> mean({S, H}), lo({L, S, H}), hi({L, S, H});
  auto m = mean.mutable_unchecked<2>();
  auto l3 = lo.mutable_unchecked<3>();
  auto h3 = hi.mutable_unchecked<3>();
  py::list models;
  for (py::ssize_t s = 0; s < S; ++s) {
    const auto& f = out[static_cast<size_t>(s)];
    for (py::ssize_t k = 0; k < H; ++k) m(s, k) = f.mean[static_cast<size_t>(k)];
    for (py::ssize_t l = 0; l < L; ++l)
      for (py::ssize_t k = 0; k < H; ++k) {
        l3(l, s, k) = f.lo[static_cast<size_t>(l)][static_cast<size_t>(k)];
        h3(l, s, k) = f.hi[static_cast<size_t>(l)][static_cast<size_t>(k)];
      }
    models.append(f.model);
  }
  return py::dict("mean"_a = mean, "lo"_a = lo, "hi"_a = hi, "model"_a = models);
}

}  // namespace

void register_forecast(py::module_& m) {
  m.def(
      "forecast",
      [](const std::vector<std::string>& ids, const F64& y, const I64& offsets, int32_t horizon, int32_t season_length,
         const std::vector<double>& levels, const std::string& model, uint64_t seed, int32_t n_paths, bool count_data,
         bool calibrate, int32_t n_threads, uint64_t first_index) {
        caseload::ForecastOptions o;
        o.horizon = horizon;
        o.season_length = season_length;
        o.levels = levels;
        o.model = model;
        o.seed = seed;
        o.n_paths = n_paths;
        o.count_data = count_data;
        o.calibrate = calibrate;
        o.n_threads = n_threads;
        o.first_index = first_index;
        return forecast_py(ids, y, offsets, o);
      },
      "ids"_a, "y"_a, "offsets"_a, "horizon"_a, "season_length"_a, "levels"_a, "model"_a, "seed"_a, "n_paths"_a,
      "count_data"_a, "calibrate"_a, "n_threads"_a, "first_index"_a,
      "Forecasts the series ids[i] = y[offsets[i]:offsets[i+1]] (GIL released). Returns a dict with mean (S, H), "
      "lo and hi (L, S, H) and model (list of S names).");
  m.def(
      "forecast_json",
      [](const std::string& request) {
        py::gil_scoped_release release;
        return caseload::forecast_json(request);
      },
      "request"_a, "forecast() as JSON text in, JSON text out (docs/forecasting.md).");
}
