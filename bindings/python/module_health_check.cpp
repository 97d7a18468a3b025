// caseload._core: the published health check (docs/health_check.md).
// Registered from module.cpp by register_health_check(): Model.health_check and
// the HealthCheck it returns, with its JSON, CSV and HTML exports.
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "model/health_check_options.hpp"
#include "module_internal.hpp"
#include "py_json.hpp"

using namespace pybind11::literals;
using namespace caseload_py;

namespace {

// In the unnamed namespace at file scope: Model.health_check's signature names
// it "(anonymous namespace)::HealthCheckResult", as it always has.
struct HealthCheckResult {
  caseload::HealthCheck hc;
};

// Read by the health check's option records (src/model/health_check_options.cpp),
// as the JSON API's "options" are: names, types and ranges in one place.
caseload::HealthCheckOptions make_options(const py::dict& o) {
  const caseload::json::Value v = caseload_py::json_of(o, "health_check: options");
  return caseload::options::read_json(&v, caseload::model_detail::health_check_option_records(),
                                      "health_check: options");
}

py::dict rollup_to_dict(const caseload::Rollup& r) {
  // One row of the columnar form, unwrapped to scalars.
  py::dict cols = rollups_to_py({r});
  py::dict out;
  for (const auto& item : cols) {
    const auto col = py::reinterpret_borrow<py::object>(item.second);
    py::object first = col.attr("__getitem__")(0);
    if (py::isinstance<py::array>(col)) first = first.attr("item")();  // numpy scalar -> Python scalar
    out[item.first] = first;
  }
  return out;
}

py::dict health_summary(const caseload::HealthCheck& hc) {
  py::dict out("organisation"_a = hc.organisation, "as_of"_a = hc.as_of.to_string(), "scheme_name"_a = hc.scheme_name,
               "scheme_version"_a = hc.scheme_version, "rollup"_a = rollup_to_dict(hc.organisation_rollup));
  if (hc.reported_hours) {
    const auto& r = *hc.reported_hours;
    out["reported_hours"] = py::dict(
        "respondents"_a = r.respondents, "mean_reported_hours"_a = r.mean_reported_hours,
        "mean_contracted_hours"_a = r.mean_contracted_hours, "mean_excess_hours"_a = r.mean_excess_hours,
        "share_over_contracted"_a = r.share_over_contracted, "mean_expected_new_cases"_a = r.mean_expected_new_cases,
        "expected_new_cases_respondents"_a = r.expected_new_cases_respondents);
  } else {
    out["reported_hours"] = py::none();
  }
  return out;
}

py::dict timeline_to_py(const std::vector<caseload::HistoryPoint>& tl) {
  Columns c;
  c.declare_text("date");
  c.declare_num("utilisation");
  c.declare_integer("workers_over");
  c.declare_integer("workers");
  for (const auto& p : tl) {
    c.text("date", p.date.to_string());
    c.num("utilisation", p.utilisation);
    c.integer("workers_over", p.workers_over);
    c.integer("workers", p.workers);
  }
  return c.to_py();
}

}  // namespace

void register_health_check(py::module_& m, ModelClass& model) {
  model.def(
      "health_check",
      [](const Model& self, const py::object& snapshots, const py::dict& options) {
        const caseload::HealthCheckOptions opt = make_options(options);
        std::optional<Table> st;
        if (!snapshots.is_none()) st = table_from_py(snapshots.cast<py::dict>(), "snapshots");
        py::gil_scoped_release release;
        std::optional<std::vector<caseload::Snapshot>> snaps;
        if (st) snaps = caseload::snapshots_from_table(std::move(*st));
        std::shared_lock lock(self.mu);
        return HealthCheckResult{caseload::health_check(self.core, snaps ? &*snaps : nullptr, opt)};
      },
      "snapshots"_a = py::none(), "options"_a = py::dict(), "Builds the published health check.");

  py::class_<HealthCheckResult>(m, "HealthCheck", "A built health check.")
      .def(
          "to_json",
          [](const HealthCheckResult& self) {
            py::gil_scoped_release release;
            return caseload::health_check_to_json(self.hc);
          },
          "JSON document.")
      .def(
          "to_csv",
          [](const HealthCheckResult& self) {
            py::gil_scoped_release release;
            return caseload::health_check_to_csv(self.hc);
          },
          "Long-format CSV: level,group,metric,value.")
      .def(
          "to_html",
          [](const HealthCheckResult& self) {
            py::gil_scoped_release release;
            return caseload::health_check_to_html(self.hc);
          },
          "Self-contained HTML page.")
      .def(
          "summary", [](const HealthCheckResult& self) { return health_summary(self.hc); },
          "Headline figures as a dict.")
      .def("teams", [](const HealthCheckResult& self) { return rollups_to_py(self.hc.teams); })
      .def("service_areas", [](const HealthCheckResult& self) { return rollups_to_py(self.hc.service_areas); })
      .def("workers", [](const HealthCheckResult& self) { return loads_to_py(self.hc.workers); })
      .def("timeline", [](const HealthCheckResult& self) { return timeline_to_py(self.hc.timeline); })
      .def("history", [](const HealthCheckResult& self) -> py::object {
        if (!self.hc.history) return py::none();
        return history_to_py(*self.hc.history);
      });
}
