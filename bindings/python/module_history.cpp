// caseload._core: exceedance history, the episodes of workers over the safe
// level in dated snapshots (docs/health_check.md). Registered from
// module.cpp by register_history(): a method of Model and a module function.
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

// The rule's keywords (threshold, min_consecutive, max_gap_days) are read by
// the exceedance rule's records, as the JSON API's "rule" object is: one set
// of names, types and ranges (src/model/health_check_options.cpp).
caseload::ExceedanceRule make_rule(const py::dict& rule) {
  const caseload::json::Value v = caseload_py::json_of(rule, "exceedance rule");
  return caseload::options::read_json(&v, caseload::model_detail::exceedance_rule_records(), "exceedance rule");
}

}  // namespace

namespace caseload_py {

py::dict history_to_py(const caseload::ExceedanceHistory& h) {
  Columns e;
  for (const char* t : {"worker_id", "team", "service_area", "start", "end"}) e.declare_text(t);
  e.declare_integer("snapshots");
  e.declare_integer("length_days");
  e.declare_num("peak");
  e.declare_flag("ongoing");
  for (const auto& ep : h.episodes) {
    e.text("worker_id", ep.worker_id);
    e.text("team", ep.team);
    e.text("service_area", ep.service_area);
    e.text("start", ep.start.to_string());
    e.text("end", ep.end.to_string());
    e.integer("snapshots", ep.snapshots);
    e.integer("length_days", ep.length_days);
    e.num("peak", ep.peak);
    e.flag("ongoing", ep.ongoing);
  }
  Columns s;
  s.declare_text("level");
  s.declare_text("group");
  for (const char* t : {"workers_observed", "workers_with_episode"}) s.declare_integer(t);
  s.declare_num("share_with_episode");
  for (const char* t : {"episodes", "snapshots_over"}) s.declare_integer(t);
  s.declare_num("mean_episode_days");
  s.declare_integer("longest_episode_days");
  s.declare_num("peak");
  for (const auto& su : h.summaries) {
    s.text("level", caseload::level_name(su.level));
    s.text("group", su.group);
    s.integer("workers_observed", su.workers_observed);
    s.integer("workers_with_episode", su.workers_with_episode);
    s.num("share_with_episode", su.share_with_episode);
    s.integer("episodes", su.episodes);
    s.integer("snapshots_over", su.snapshots_over);
    s.num("mean_episode_days", su.mean_episode_days);
    s.integer("longest_episode_days", su.longest_episode_days);
    s.num("peak", su.peak);
  }
  py::object threshold = h.rule.threshold ? py::object(py::float_(*h.rule.threshold)) : py::object(py::none());
  return py::dict("from"_a = h.from.to_string(), "to"_a = h.to.to_string(), "threshold"_a = threshold,
                  "min_consecutive"_a = h.rule.min_consecutive, "max_gap_days"_a = h.rule.max_gap_days,
                  "episodes"_a = e.to_py(), "summaries"_a = s.to_py());
}

}  // namespace caseload_py

void register_history(py::module_& m, ModelClass& model) {
  model.def(
      "exceedance_history",
      [](const Model& self, const py::dict& snapshots, const py::dict& rule_options, std::optional<std::string> from,
         std::optional<std::string> to) {
        Table st = table_from_py(snapshots, "snapshots");
        const auto rule = make_rule(rule_options);
        caseload::ExceedanceHistory h;
        {
          py::gil_scoped_release release;
          const auto snaps = caseload::snapshots_from_table(std::move(st));
          const auto f = opt_date(from, "start");
          const auto t = opt_date(to, "end");
          std::shared_lock lock(self.mu);
          h = caseload::exceedance_history(self.core.scheme(), self.core.workers(), snaps, rule, f, t);
        }
        return history_to_py(h);
      },
      "snapshots"_a, "rule"_a = py::dict(), "start"_a = py::none(), "end"_a = py::none(),
      "Exceedance episodes of this model's workers; rule as in option_records(\"exceedance\").");

  m.def(
      "exceedance_history",
      [](const caseload::WeightingScheme& scheme, const py::dict& workers, const py::dict& snapshots,
         const py::dict& rule_options, std::optional<std::string> from, std::optional<std::string> to) {
        const auto rule = make_rule(rule_options);
        Table wt = table_from_py(workers, "workers");
        Table st = table_from_py(snapshots, "snapshots");
        caseload::ExceedanceHistory h;
        {
          py::gil_scoped_release release;
          const auto w =
              wt.columns.empty() ? std::vector<caseload::Worker>{} : caseload::workers_from_table(std::move(wt));
          const auto s = caseload::snapshots_from_table(std::move(st));
          h = caseload::exceedance_history(scheme, w, s, rule, opt_date(from, "start"), opt_date(to, "end"));
        }
        return history_to_py(h);
      },
      "scheme"_a, "workers"_a, "snapshots"_a, "rule"_a = py::dict(), "start"_a = py::none(), "end"_a = py::none(),
      "Exceedance episodes from dated snapshots; rule as in option_records(\"exceedance\").");
}
