// caseload._core: the weighting scheme, the record tables (workers, cases,
// snapshots) in and out, and the Model with its figures, roll-ups, previews and
// changes (docs/scheme_format.md, docs/records_format.md). Registered from
// module.cpp by register_model(), which returns the Model class for
// module_history.cpp and module_health_check.cpp to add their methods to.
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/text.hpp"
#include "module_internal.hpp"

using namespace pybind11::literals;
using namespace caseload_py;

namespace {

// ---- Enumerations ----------------------------------------------------------

caseload::Level parse_level(const std::string& s) {
  if (s == "team") return caseload::Level::team;
  if (s == "service_area") return caseload::Level::service_area;
  if (s == "organisation" || s == "organization") return caseload::Level::organisation;
  fail(ErrorCode::invalid_argument,
       "rollup: level must be \"team\", \"service_area\" or \"organisation\", got " + caseload::text::quoted(s));
}

const char* line_kind_name(caseload::BreakdownLine::Kind k) {
  using K = caseload::BreakdownLine::Kind;
  switch (k) {
    case K::case_base:
      return "case_base";
    case K::factor_add:
      return "factor_add";
    case K::factor_multiply:
      return "factor_multiply";
    case K::task:
      return "task";
    case K::share:
      return "share";
    case K::reduction:
      return "reduction";
    case K::role_cap:
      return "role_cap";
    case K::capacity:
      return "capacity";
  }
  return "unknown";
}

// ---- Results as columns ----------------------------------------------------

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

void add_load(Columns& c, const caseload::WorkerLoad& w, const std::string& prefix = "") {
  auto key = [&](const char* name) { return prefix + name; };
  if (prefix.empty()) {
    c.text("worker_id", w.worker_id);
    c.text("team", w.team);
    c.text("service_area", w.service_area);
    c.text("role", w.role);
    c.flag("case_holding", w.case_holding);
    c.flag("is_asye", w.is_asye);
    c.num("fte", w.fte);
    c.num("available_hours", w.available_hours);
  }
  c.num(key("cases"), w.cases);
  c.num(key("points"), w.points);
  c.num(key("capacity"), w.capacity);
  c.num(key("utilisation"), w.utilisation);
  c.num(key("headroom"), w.headroom);
  c.text(key("band"), caseload::band_name(w.band));
  c.flag(key("over_case_benchmark"), w.over_case_benchmark);
  c.flag(key("asye_protected"), w.asye_protected);
  if (prefix.empty()) c.text("asye_breaches", join(w.asye_breaches, "; "));
}

py::dict load_to_dict(const caseload::WorkerLoad& w) {
  return py::dict("worker_id"_a = w.worker_id, "team"_a = w.team, "service_area"_a = w.service_area, "role"_a = w.role,
                  "case_holding"_a = w.case_holding, "is_asye"_a = w.is_asye, "fte"_a = w.fte,
                  "available_hours"_a = w.available_hours, "cases"_a = w.cases, "points"_a = w.points,
                  "capacity"_a = w.capacity, "utilisation"_a = w.utilisation, "headroom"_a = w.headroom,
                  "band"_a = caseload::band_name(w.band), "over_case_benchmark"_a = w.over_case_benchmark,
                  "asye_protected"_a = w.asye_protected, "asye_breaches"_a = to_list(w.asye_breaches));
}

void add_distribution(Columns& c, const std::string& prefix, const caseload::Distribution& d) {
  c.num(prefix + "_p10", d.p10);
  c.num(prefix + "_p50", d.p50);
  c.num(prefix + "_p90", d.p90);
  c.num(prefix + "_max", d.max);
  c.num(prefix + "_mean", d.mean);
  c.integer(prefix + "_n", d.n);
}

// ---- Scheme ----------------------------------------------------------------

const char* capacity_kind_name(caseload::CapacityPolicy::Kind k) {
  return k == caseload::CapacityPolicy::Kind::hours ? "hours" : "points_per_fte";
}

py::dict thresholds_dict(const caseload::ServiceAreaRule& a) {
  return py::dict("name"_a = a.name, "green_below"_a = a.thresholds.green_below, "amber_to"_a = a.thresholds.amber_to,
                  "excessive_above"_a = a.thresholds.excessive_above, "safe_caseload_cases"_a = a.safe_caseload_cases,
                  "source"_a = a.source);
}

py::list scheme_versions(const caseload::WeightingScheme& s) {
  py::list out;
  for (const auto& v : s.versions()) {
    py::list case_types, factors, tasks, roles, areas;
    for (const auto& r : v.case_types)
      case_types.append(py::dict("name"_a = r.name, "base_points"_a = r.base_points,
                                 "asye_cowork_only"_a = r.asye_cowork_only, "source"_a = r.source));
    for (const auto& r : v.factors)
      factors.append(py::dict("name"_a = r.name,
                              "kind"_a = r.kind == caseload::FactorRule::Kind::add ? "add" : "multiply",
                              "value"_a = r.value, "source"_a = r.source));
    for (const auto& r : v.tasks)
      tasks.append(py::dict("name"_a = r.name, "points"_a = r.points, "source"_a = r.source));
    for (const auto& r : v.roles) {
      py::object max_cases = r.max_cases ? py::object(py::float_(*r.max_cases)) : py::object(py::none());
      roles.append(py::dict("name"_a = r.name, "capacity_cap"_a = r.capacity_cap, "case_holding"_a = r.case_holding,
                            "is_asye"_a = r.is_asye, "max_cases"_a = max_cases, "source"_a = r.source));
    }
    for (const auto& a : v.service_areas) areas.append(thresholds_dict(a));
    py::dict capacity("kind"_a = capacity_kind_name(v.capacity.kind), "target_points"_a = v.capacity.target_points,
                      "standard_hours"_a = v.capacity.standard_hours, "round_down"_a = v.capacity.round_down,
                      "source"_a = v.capacity.source);
    out.append(py::dict("version"_a = v.version, "effective_from"_a = v.effective_from.to_string(),
                        "effective_to"_a = date_or_none(v.effective_to), "capacity"_a = capacity,
                        "case_types"_a = case_types, "factors"_a = factors, "tasks"_a = tasks, "roles"_a = roles,
                        "service_areas"_a = areas, "default_service_area"_a = thresholds_dict(v.default_service_area)));
  }
  return out;
}

// ---- Model -----------------------------------------------------------------

std::shared_ptr<Model> make_model(const caseload::WeightingScheme& scheme, const py::dict& workers,
                                  const py::dict& cases, const std::string& as_of) {
  Table wt = table_from_py(workers, "workers");
  Table ct = table_from_py(cases, "cases");
  py::gil_scoped_release release;
  const Date date = Date::parse(as_of, "as_of");
  auto w = caseload::workers_from_table(std::move(wt));
  auto c = caseload::cases_from_table(std::move(ct));
  return std::make_shared<Model>(caseload::Caseload(scheme, std::move(w), std::move(c), date));
}

caseload::Change make_change(const std::string& kind, const py::object& new_case, const std::string& case_id,
                             const std::string& to_worker) {
  caseload::Change change;
  if (kind == "add_case") {
    change.kind = caseload::Change::Kind::add_case;
    if (!py::isinstance<py::dict>(new_case)) fail(ErrorCode::invalid_argument, "add_case: new case must be a table");
    Table t = table_from_py(new_case.cast<py::dict>(), "new case");
    if (t.rows() != 1) fail(ErrorCode::invalid_argument, "add_case: exactly one new case is required");
    auto cases = caseload::cases_from_table(t);
    change.new_case = std::move(cases.at(0));
  } else if (kind == "remove_case") {
    change.kind = caseload::Change::Kind::remove_case;
    change.case_id = case_id;
  } else if (kind == "move_case") {
    change.kind = caseload::Change::Kind::move_case;
    change.case_id = case_id;
    change.to_worker = to_worker;
  } else {
    fail(ErrorCode::invalid_argument,
         "change: kind must be add_case, remove_case or move_case, got " + caseload::text::quoted(kind));
  }
  return change;
}

py::dict preview_to_py(const caseload::ImpactPreview& p) {
  Columns c;
  c.declare_text("worker_id");
  for (const auto& w : p.workers) {
    c.text("worker_id", w.worker_id);
    c.text("team", w.before.team);
    add_load(c, w.before, "before_");
    add_load(c, w.after, "after_");
  }
  return c.to_py();
}

}  // namespace

namespace caseload_py {

py::dict loads_to_py(const std::vector<caseload::WorkerLoad>& loads) {
  Columns c;
  for (const char* t : {"worker_id", "team", "service_area", "role"}) c.declare_text(t);
  c.declare_flag("case_holding");
  c.declare_flag("is_asye");
  for (const char* t : {"fte", "available_hours", "cases", "points", "capacity", "utilisation", "headroom"})
    c.declare_num(t);
  c.declare_text("band");
  c.declare_flag("over_case_benchmark");
  c.declare_flag("asye_protected");
  c.declare_text("asye_breaches");
  for (const auto& w : loads) add_load(c, w);
  return c.to_py();
}

py::dict rollups_to_py(const std::vector<caseload::Rollup>& rollups) {
  Columns c;
  c.declare_text("level");
  c.declare_text("group");
  for (const auto& r : rollups) {
    c.text("level", caseload::level_name(r.level));
    c.text("group", r.group);
    c.integer("workers", r.workers);
    c.integer("case_holding_workers", r.case_holding_workers);
    c.num("case_holding_fte", r.case_holding_fte);
    c.num("cases", r.cases);
    c.num("points", r.points);
    c.num("capacity", r.capacity);
    c.num("utilisation", r.utilisation);
    c.num("mean_cases_per_fte", r.mean_cases_per_fte);
    c.num("median_cases_per_fte", r.median_cases_per_fte);
    add_distribution(c, "utilisation", r.utilisation_distribution);
    add_distribution(c, "cases", r.cases_distribution);
    c.integer("green", r.band_counts[0]);
    c.integer("amber", r.band_counts[1]);
    c.integer("red", r.band_counts[2]);
    c.integer("excessive", r.band_counts[3]);
    c.num("share_green", r.band_shares[0]);
    c.num("share_amber", r.band_shares[1]);
    c.num("share_red", r.band_shares[2]);
    c.num("share_excessive", r.band_shares[3]);
    c.integer("over_case_benchmark", r.over_case_benchmark);
    c.num("share_over_case_benchmark", r.share_over_case_benchmark);
    c.num("gini_utilisation", r.gini_utilisation);
    c.num("jain_index", r.jain_index);
    c.integer("unallocated_cases", r.unallocated_cases);
    c.num("unallocated_points", r.unallocated_points);
    c.num("unallocated_mean_age_days", r.unallocated_mean_age_days);
    c.num("unallocated_max_age_days", r.unallocated_max_age_days);
    c.integer("asye_workers", r.asye_workers);
    c.integer("asye_protected", r.asye_protected);
    c.num("asye_compliance", r.asye_compliance);
    c.num("non_case_holding_points", r.non_case_holding_points);
    c.num("non_case_holding_capacity", r.non_case_holding_capacity);
  }
  return c.to_py();
}

}  // namespace caseload_py

ModelClass register_model(py::module_& m) {
  // ---- Scheme ----
  py::class_<caseload::WeightingScheme>(m, "Scheme", "A validated, versioned weighting scheme (immutable).")
      .def_static("default", &caseload::WeightingScheme::default_scheme, "The documented default scheme.")
      .def_static(
          "from_json",
          [](const std::string& text) {
            py::gil_scoped_release release;
            return caseload::WeightingScheme::from_json(text);
          },
          "text"_a, "Parses and validates a scheme from JSON text.")
      .def("to_json", &caseload::WeightingScheme::to_json, "JSON text that from_json() reads back identically.")
      .def_property_readonly("name", &caseload::WeightingScheme::name, "Scheme name.")
      .def_property_readonly("versions", &scheme_versions, "Every version's rules as a list of dicts.")
      .def(
          "version_at",
          [](const caseload::WeightingScheme& s, const std::string& date) {
            return s.at(Date::parse(date, "date")).version;
          },
          "date"_a, "Name of the version in force on a date.");

  // ---- Tables and files ----
  m.def(
      "read_workers_csv",
      [](const std::string& path) {
        Table t;
        {
          py::gil_scoped_release release;
          t = caseload::workers_to_table(caseload::workers_from_csv(caseload::read_file(path)));
        }
        return table_to_py(std::move(t));
      },
      "path"_a, "Reads and validates workers.csv; returns normalised columns.");
  m.def(
      "read_cases_csv",
      [](const std::string& path) {
        Table t;
        {
          py::gil_scoped_release release;
          t = caseload::cases_to_table(caseload::cases_from_csv(caseload::read_file(path)));
        }
        return table_to_py(std::move(t));
      },
      "path"_a, "Reads and validates cases.csv; returns normalised columns.");
  m.def(
      "read_snapshots_csv",
      [](const std::string& path) {
        Table t;
        {
          py::gil_scoped_release release;
          t = caseload::snapshots_to_table(caseload::snapshots_from_csv(caseload::read_file(path)));
        }
        return table_to_py(std::move(t));
      },
      "path"_a, "Reads and validates snapshots.csv; returns normalised columns.");
  m.def(
      "read_text_file", [](const std::string& path) { return caseload::read_file(path); }, "path"_a,
      "Reads a whole file (within the default limits).");
  m.def(
      "write_text_file",
      [](const std::string& path, const std::string& contents) { caseload::write_file(path, contents); }, "path"_a,
      "contents"_a, "Writes a whole file atomically.");
  m.def(
      "normalize_workers",
      [](const py::dict& cols) {
        Table t = table_from_py(cols, "workers");
        {
          py::gil_scoped_release release;
          t = caseload::workers_to_table(caseload::workers_from_table(t));
        }
        return table_to_py(std::move(t));
      },
      "columns"_a, "Validates worker columns and returns them in the core's normal form.");
  m.def(
      "normalize_cases",
      [](const py::dict& cols) {
        Table t = table_from_py(cols, "cases");
        {
          py::gil_scoped_release release;
          t = caseload::cases_to_table(caseload::cases_from_table(t));
        }
        return table_to_py(std::move(t));
      },
      "columns"_a, "Validates case columns and returns them in the core's normal form.");
  m.def(
      "normalize_snapshots",
      [](const py::dict& cols) {
        Table t = table_from_py(cols, "snapshots");
        {
          py::gil_scoped_release release;
          t = caseload::snapshots_to_table(caseload::snapshots_from_table(t));
        }
        return table_to_py(std::move(t));
      },
      "columns"_a, "Validates snapshot columns and returns them in the core's normal form.");
  m.def(
      "to_csv",
      [](const std::string& kind, const py::dict& cols) {
        Table t = table_from_py(cols, kind.c_str());
        py::gil_scoped_release release;
        if (kind == "workers") return caseload::workers_to_csv(caseload::workers_from_table(t));
        if (kind == "cases") return caseload::cases_to_csv(caseload::cases_from_table(t));
        if (kind == "snapshots") return caseload::snapshots_to_csv(caseload::snapshots_from_table(t));
        fail(ErrorCode::invalid_argument,
             "to_csv: kind must be workers, cases or snapshots, got " + caseload::text::quoted(kind));
      },
      "kind"_a, "columns"_a, "Validates columns and writes them as CSV text.");

  // ---- Model ----
  ModelClass model(m, "Model", "A scheme, workers and cases evaluated on an as-of date.");
  model.def(py::init(&make_model), "scheme"_a, "workers"_a, "cases"_a, "as_of"_a)
      .def_property_readonly("as_of",
                             [](const Model& self) {
                               std::shared_lock lock(self.mu);
                               return self.core.as_of().to_string();
                             })
      .def_property_readonly("scheme",
                             [](const Model& self) {
                               std::shared_lock lock(self.mu);
                               return self.core.scheme();
                             })
      .def_property_readonly("scheme_version",
                             [](const Model& self) {
                               std::shared_lock lock(self.mu);
                               return self.core.scheme_version().version;
                             })
      .def("worker_count",
           [](const Model& self) {
             std::shared_lock lock(self.mu);
             return self.core.workers().size();
           })
      .def("case_count",
           [](const Model& self) {
             std::shared_lock lock(self.mu);
             return self.core.cases().size();
           })
      .def(
          "workers",
          [](const Model& self) {
            Table t;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              t = caseload::workers_to_table(self.core.workers());
            }
            return table_to_py(std::move(t));
          },
          "The worker records as columns.")
      .def(
          "cases",
          [](const Model& self) {
            Table t;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              t = caseload::cases_to_table(self.core.cases());
            }
            return table_to_py(std::move(t));
          },
          "The case records as columns.")
      .def(
          "worker_loads",
          [](const Model& self) {
            std::vector<caseload::WorkerLoad> loads;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              loads = self.core.worker_loads();
            }
            return loads_to_py(loads);
          },
          "Every worker's figures as columns, in input order.")
      .def(
          "worker_load",
          [](const Model& self, const std::string& id) {
            caseload::WorkerLoad load;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              load = self.core.worker_load(id);
            }
            return load_to_dict(load);
          },
          "worker_id"_a, "One worker's figures as a dict.")
      .def(
          "breakdown",
          [](const Model& self, const std::string& id) {
            caseload::WorkerBreakdown b;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              b = self.core.breakdown(id);
            }
            Columns c;
            for (const char* t : {"kind", "case_id", "item", "rule"}) c.declare_text(t);
            c.declare_num("value");
            c.declare_num("running_total");
            for (const auto& l : b.lines) {
              c.text("kind", line_kind_name(l.kind));
              c.text("case_id", l.case_id);
              c.text("item", l.item);
              c.text("rule", l.rule);
              c.num("value", l.value);
              c.num("running_total", l.running_total);
            }
            return py::dict("load"_a = load_to_dict(b.load), "scheme_version"_a = b.scheme_version,
                            "lines"_a = c.to_py());
          },
          "worker_id"_a, "Line-by-line breakdown of one worker.")
      .def(
          "case_points",
          [](const Model& self, const std::string& id) {
            py::gil_scoped_release release;
            std::shared_lock lock(self.mu);
            return self.core.case_points(id);
          },
          "case_id"_a, "Points of one case before co-working shares.")
      .def(
          "rollup",
          [](const Model& self, const std::string& level) {
            const caseload::Level lv = parse_level(level);
            std::vector<caseload::Rollup> r;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              r = self.core.rollup(lv);
            }
            return rollups_to_py(r);
          },
          "level"_a, "Roll-ups at a level as columns, sorted by group.")
      .def(
          "preview",
          [](const Model& self, const std::string& kind, const py::object& new_case, const std::string& case_id,
             const std::string& to_worker) {
            const caseload::Change change = make_change(kind, new_case, case_id, to_worker);
            caseload::ImpactPreview p;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              p = self.core.preview(change);
            }
            return preview_to_py(p);
          },
          "kind"_a, "new_case"_a = py::none(), "case_id"_a = "", "to_worker"_a = "",
          "Before/after of a change, as columns; the model is unchanged.")
      .def(
          "apply",
          [](Model& self, const std::string& kind, const py::object& new_case, const std::string& case_id,
             const std::string& to_worker) {
            const caseload::Change change = make_change(kind, new_case, case_id, to_worker);
            py::gil_scoped_release release;
            std::unique_lock lock(self.mu);
            self.core.apply(change);
          },
          "kind"_a, "new_case"_a = py::none(), "case_id"_a = "", "to_worker"_a = "",
          "Applies a change (all-or-nothing).")
      .def(
          "upsert",
          [](Model& self, const py::dict& workers, const py::dict& cases) {
            Table wt = table_from_py(workers, "workers");
            Table ct = table_from_py(cases, "cases");
            py::gil_scoped_release release;
            // An empty dict means "no records of this kind", not a table lacking its columns.
            std::vector<caseload::Worker> w;
            std::vector<caseload::Case> c;
            if (!wt.columns.empty()) w = caseload::workers_from_table(std::move(wt));
            if (!ct.columns.empty()) c = caseload::cases_from_table(std::move(ct));
            std::unique_lock lock(self.mu);
            self.core.upsert(w, c);
          },
          "workers"_a, "cases"_a, "Adds or replaces workers and cases (all-or-nothing).")
      .def(
          "set_as_of",
          [](Model& self, const std::string& as_of) {
            const Date d = Date::parse(as_of, "as_of");
            py::gil_scoped_release release;
            std::unique_lock lock(self.mu);
            self.core.set_as_of(d);
          },
          "as_of"_a, "Re-evaluates on another date.")
      .def(
          "snapshot",
          [](const Model& self) {
            Table t;
            {
              py::gil_scoped_release release;
              std::shared_lock lock(self.mu);
              t = caseload::snapshots_to_table(self.core.snapshot());
            }
            return table_to_py(std::move(t));
          },
          "Today's snapshot rows as columns.");
  return model;
}
