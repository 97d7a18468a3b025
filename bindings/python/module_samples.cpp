// caseload._core: the seeded synthetic local authority (docs/sample_authority.md),
// as tables or as CSV text. Registered from module.cpp by register_samples().
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "module_internal.hpp"

using namespace pybind11::literals;
using namespace caseload_py;

void register_samples(py::module_& m) {
  m.def(
      "synthetic_authority",
      [](uint64_t seed, int32_t workers, const std::string& as_of, int32_t history_weeks, double caseload_pressure) {
        caseload::SyntheticOptions opt;
        opt.seed = seed;
        opt.workers = workers;
        opt.as_of = Date::parse(as_of, "as_of");
        opt.history_weeks = history_weeks;
        opt.caseload_pressure = caseload_pressure;
        Table w, c, s;
        std::string date;
        {
          py::gil_scoped_release release;
          auto a = caseload::synthetic_authority(opt);
          w = caseload::workers_to_table(a.workers);
          c = caseload::cases_to_table(a.cases);
          s = caseload::snapshots_to_table(a.snapshots);
          date = a.as_of.to_string();
        }
        return py::dict("workers"_a = table_to_py(std::move(w)), "cases"_a = table_to_py(std::move(c)),
                        "snapshots"_a = table_to_py(std::move(s)), "as_of"_a = date);
      },
      "seed"_a = 1, "workers"_a = 180, "as_of"_a = "2024-03-31", "history_weeks"_a = 60, "caseload_pressure"_a = 1.0,
      "A seeded synthetic local authority as tables.");
  m.def(
      "synthetic_authority_csv",
      [](uint64_t seed, int32_t workers, const std::string& as_of, int32_t history_weeks) {
        caseload::SyntheticOptions opt;
        opt.seed = seed;
        opt.workers = workers;
        opt.as_of = Date::parse(as_of, "as_of");
        opt.history_weeks = history_weeks;
        py::gil_scoped_release release;
        auto a = caseload::synthetic_authority(opt);
        return std::make_tuple(caseload::workers_to_csv(a.workers), caseload::cases_to_csv(a.cases),
                               caseload::snapshots_to_csv(a.snapshots));
      },
      "seed"_a = 1, "workers"_a = 180, "as_of"_a = "2024-03-31", "history_weeks"_a = 60,
      "A seeded synthetic local authority as (workers, cases, snapshots) CSV text.");
}
