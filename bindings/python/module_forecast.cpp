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
#include "forecast/forecast_options.hpp"
#include "py_json.hpp"

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
      [](const std::vector<std::string>& ids, const F64& y, const I64& offsets, const py::handle& options,
         uint64_t first_index) {
        // The keywords are read by the forecast's option records, the same
        // reader as the JSON API's "options" object.
        const caseload::json::Value v = caseload_py::json_of(options, "forecast");
        caseload::ForecastOptions o =
            caseload::options::read_json(&v, caseload::fc::forecast_option_records(), "forecast");
        o.first_index = first_index;
        return forecast_py(ids, y, offsets, o);
      },
      "ids"_a, "y"_a, "offsets"_a, "options"_a, "first_index"_a = 0,
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
