// caseload._core: allocation (docs/allocation.md) and the general GAP engine
// (docs/gap.md). Registered from module.cpp's PYBIND11_MODULE by
// register_allocation(). Tables cross as dicts of columns (numpy arrays or
// lists of str); GAP matrices as numpy arrays.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "allocation/allocation_options.hpp"
#include "api/options_catalogue.hpp"
#include "base/options.hpp"
#include "caseload/allocation.hpp"
#include "caseload/error.hpp"
#include "caseload/gap.hpp"
#include "caseload/io.hpp"
#include "caseload/model.hpp"
#include "gap/gap_options.hpp"
#include "module_internal.hpp"  // with_core_model: a _core.Model's core under its read lock, GIL released
#include "py_json.hpp"

using namespace pybind11::literals;

namespace {

using caseload::Error;
using caseload::ErrorCode;

[[noreturn]] void fail(const std::string& message) {
  throw Error(ErrorCode::invalid_argument, message);
}

template <class F>
void with_model(const py::handle& model, F&& f) {
  with_core_model(
      model, [](const caseload::Caseload& m, void* ctx) { (*static_cast<F*>(ctx))(m); }, &f);
}

// dict of columns -> Table (numeric numpy arrays or sequences of str/None).
caseload::Table table_of(const py::dict& columns, const char* what) {
  caseload::Table t;
  size_t rows = 0;
  bool first = true;
  for (const auto& item : columns) {
    caseload::Column col;
    col.name = py::str(item.first);
    const py::handle v = item.second;
    bool numeric = false;
    if (py::isinstance<py::array>(v)) {
      const char kind = py::reinterpret_borrow<py::array>(v).dtype().kind();
      numeric = kind == 'f' || kind == 'i' || kind == 'u' || kind == 'b';
    }
    if (numeric) {
      auto arr = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(v);
      if (!arr || arr.ndim() != 1) fail(std::string(what) + ": column \"" + col.name + "\" must be one-dimensional");
      col.is_numeric = true;
      col.numbers.assign(arr.data(), arr.data() + arr.shape(0));
    } else {
      if (py::isinstance<py::str>(v) || !py::isinstance<py::sequence>(v))
        fail(std::string(what) + ": column \"" + col.name + "\" must be a numeric array or a sequence of str");
      for (const auto& cell : py::reinterpret_borrow<py::sequence>(v)) {
        if (cell.is_none())
          col.text.emplace_back();
        else if (py::isinstance<py::str>(cell))
          col.text.push_back(cell.cast<std::string>());
        else
          fail(std::string(what) + ": column \"" + col.name + "\" must hold text");
      }
    }
    const size_t n = col.is_numeric ? col.numbers.size() : col.text.size();
    if (first) rows = n, first = false;
    if (n != rows)
      fail(std::string(what) + ": column \"" + col.name + "\" has " + std::to_string(n) + " rows, expected " +
           std::to_string(rows));
    t.columns.push_back(std::move(col));
  }
  return t;
}

py::array_t<double> doubles(const std::vector<double>& v) {
  // Explicit shape and strides; with no base object numpy copies the values.
  return py::array_t<double>({static_cast<py::ssize_t>(v.size())}, {static_cast<py::ssize_t>(sizeof(double))},
                             v.data());
}

py::list texts(const std::vector<std::string>& v) {
  py::list l;
  for (const auto& s : v) l.append(py::str(s));
  return l;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Options cross as a dict, read by the one description of the options
// (src/allocation/allocation_options.cpp), as the JSON API's are.
caseload::AllocationOptions allocation_options(const py::dict& d, const char* where) {
  const caseload::json::Value v = caseload_py::json_of(d, where);
  return caseload::options::read_json(&v, caseload::alloc::allocation_option_records(), where);
}

py::dict changes_to_py(const std::vector<caseload::WorkerChange>& ws) {
  std::vector<std::string> id, team, area, role, band0, band1, news;
  std::vector<double> asye, cap, capacity, p0, p1, c0, c1, u0, u1;
  for (const auto& w : ws) {
    id.push_back(w.worker_id), team.push_back(w.team), area.push_back(w.service_area), role.push_back(w.role);
    asye.push_back(w.is_asye ? 1 : 0);
    capacity.push_back(w.capacity), cap.push_back(w.cap);
    p0.push_back(w.points_before), p1.push_back(w.points_after);
    c0.push_back(w.cases_before), c1.push_back(w.cases_after);
    u0.push_back(w.utilisation_before), u1.push_back(w.utilisation_after);
    band0.push_back(caseload::band_name(w.band_before)), band1.push_back(caseload::band_name(w.band_after));
    news.push_back(join(w.new_cases, ";"));
  }
  py::dict d;
  d["worker_id"] = texts(id), d["team"] = texts(team), d["service_area"] = texts(area), d["role"] = texts(role);
  py::list flags;
  for (double x : asye) flags.append(py::bool_(x != 0));
  d["is_asye"] = py::module_::import("numpy").attr("array")(flags, "dtype"_a = "bool");
  d["capacity"] = doubles(capacity), d["cap"] = doubles(cap);
  d["points_before"] = doubles(p0), d["points_after"] = doubles(p1);
  d["cases_before"] = doubles(c0), d["cases_after"] = doubles(c1);
  d["utilisation_before"] = doubles(u0), d["utilisation_after"] = doubles(u1);
  d["band_before"] = texts(band0), d["band_after"] = texts(band1);
  d["new_cases"] = texts(news);
  return d;
}

struct PlanHandle {
  caseload::AllocationPlan plan;
};

py::dict decisions_to_py(const caseload::AllocationPlan& p) {
  std::vector<std::string> id, worker, reason, runner, expl, displaced;
  std::vector<double> points, priority, soft;
  for (const auto& d : p.cases) {
    id.push_back(d.case_id), worker.push_back(d.worker_id), reason.push_back(caseload::decision_reason_name(d.reason));
    runner.push_back(d.runner_up), expl.push_back(d.explanation), displaced.push_back(join(d.displaced_by, ";"));
    points.push_back(d.points), priority.push_back(d.priority), soft.push_back(d.soft_score);
  }
  py::dict out;
  out["case_id"] = texts(id), out["worker_id"] = texts(worker), out["reason"] = texts(reason);
  out["runner_up"] = texts(runner), out["explanation"] = texts(expl);
  out["points"] = doubles(points), out["priority"] = doubles(priority), out["soft_score"] = doubles(soft);
  out["displaced_by"] = texts(displaced);
  return out;
}

// GAP matrices: float64 C-contiguous copies with the shapes checked.
std::vector<double> matrix(const py::handle& h, const char* name, py::ssize_t rows, py::ssize_t cols, bool vec) {
  auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a) fail(std::string("solve_gap: ") + name + " must be a numeric array");
  if (vec) {
    if (a.ndim() != 1 || a.shape(0) != rows)
      fail(std::string("solve_gap: ") + name + " must have shape (" + std::to_string(rows) +
           ",), one capacity per agent");
  } else if (a.ndim() != 2 || a.shape(0) != rows || a.shape(1) != cols) {
    std::string shape;
    for (py::ssize_t k = 0; k < a.ndim(); ++k) shape += (k ? ", " : "") + std::to_string(a.shape(k));
    fail(std::string("solve_gap: ") + name + " must have shape (" + std::to_string(rows) + ", " + std::to_string(cols) +
         "), got (" + shape + ")");
  }
  return std::vector<double>(a.data(), a.data() + a.size());
}

}  // namespace

void register_allocation(py::module_& m) {
  py::class_<PlanHandle>(m, "AllocationPlan", "An allocation plan (see caseload.AllocationPlan).")
      .def("decisions", [](const PlanHandle& h) { return decisions_to_py(h.plan); })
      .def("workers", [](const PlanHandle& h) { return changes_to_py(h.plan.workers); })
      .def("verdicts",
           [](const PlanHandle& h) {
             std::vector<std::string> cid, wid, status, reason;
             std::vector<double> u;
             for (const auto& d : h.plan.cases)
               for (const auto& v : d.workers) {
                 cid.push_back(d.case_id), wid.push_back(v.worker_id);
                 status.push_back(caseload::verdict_status_name(v.status)), reason.push_back(v.reason);
                 u.push_back(v.utilisation_if_given);
               }
             return py::dict("case_id"_a = texts(cid), "worker_id"_a = texts(wid), "status"_a = texts(status),
                             "reason"_a = texts(reason), "utilisation_if_given"_a = doubles(u));
           })
      .def("summary",
           [](const PlanHandle& h) {
             const auto& p = h.plan;
             const auto& o = p.objective;
             return py::dict("value"_a = o.value, "allocated_points"_a = o.allocated_points,
                             "allocated_cases"_a = o.allocated_cases, "max_utilisation"_a = o.max_utilisation,
                             "spread"_a = o.spread, "soft_score"_a = o.soft_score, "bound"_a = p.bound, "gap"_a = p.gap,
                             "optimal"_a = p.optimal, "work"_a = p.work, "seconds"_a = p.seconds, "seed"_a = p.seed);
           })
      .def("to_json",
           [](const PlanHandle& h) {
             py::gil_scoped_release r;
             return caseload::allocation_plan_to_json(h.plan);
           })
      .def("to_csv",
           [](const PlanHandle& h) {
             py::gil_scoped_release r;
             return caseload::allocation_plan_to_csv(h.plan);
           })
      .def(
          "to_html",
          [](const PlanHandle& h, const std::string& title) {
            py::gil_scoped_release r;
            return caseload::allocation_plan_to_html(h.plan, title);
          },
          "title"_a = "Allocation plan");

  m.def(
      "allocate",
      [](const py::object& model, const py::dict& incoming, const py::dict& options) {
        const caseload::Table t = table_of(incoming, "incoming");
        const caseload::AllocationOptions o = allocation_options(options, "allocate: options");
        PlanHandle h;
        with_model(model, [&](const caseload::Caseload& core) {
          const auto batch =
              t.columns.empty() ? std::vector<caseload::IncomingCase>{} : caseload::incoming_from_table(t);
          h.plan = caseload::allocate(core, batch, o);
        });
        return h;
      },
      "model"_a, "incoming"_a, "options"_a = py::dict(), "Allocates incoming cases (columns) to the model's workers.");

  m.def(
      "suggest",
      [](const py::object& model, const py::dict& one_case, const py::handle& k_value, const py::dict& options) {
        // Any Python int (or numpy integer) is checked here, so 2**40 is a
        // CaseloadError naming k, not a pybind11 TypeError.
        const auto k = static_cast<int32_t>(caseload::options::read_integer(
            caseload_py::json_of(k_value, "suggest: k"), caseload::alloc::kSuggestCount, "k", "suggest"));
        const caseload::Table t = table_of(one_case, "case");
        const caseload::AllocationOptions o = allocation_options(options, "suggest: options");
        std::vector<caseload::Suggestion> s;
        with_model(model, [&](const caseload::Caseload& core) {
          const auto batch = caseload::incoming_from_table(t);
          if (batch.size() != 1) throw Error(ErrorCode::invalid_argument, "suggest: exactly one case is required");
          s = caseload::suggest(core, batch[0], k, o);
        });
        std::vector<std::string> id, expl;
        std::vector<double> u0, u1, soft;
        for (const auto& g : s)
          id.push_back(g.worker_id), expl.push_back(g.explanation), u0.push_back(g.utilisation_before),
              u1.push_back(g.utilisation_after), soft.push_back(g.soft_score);
        return py::dict("worker_id"_a = texts(id), "utilisation_before"_a = doubles(u0),
                        "utilisation_after"_a = doubles(u1), "soft_score"_a = doubles(soft),
                        "explanation"_a = texts(expl));
      },
      "model"_a, "case"_a, "k"_a = 3, "options"_a = py::dict(), "Top-k workers for one case.");

  m.def(
      "rebalance",
      [](const py::object& model, const py::dict& options) {
        const caseload::json::Value v = caseload_py::json_of(options, "rebalance: options");
        const caseload::RebalanceOptions o =
            caseload::options::read_json(&v, caseload::alloc::rebalance_option_records(), "rebalance: options");
        caseload::RebalancePlan p;
        with_model(model, [&](const caseload::Caseload& core) { p = caseload::rebalance(core, o); });
        std::vector<std::string> cid, from, to, reason;
        std::vector<double> pts, rel;
        for (const auto& mv : p.moves)
          cid.push_back(mv.case_id), from.push_back(mv.from_worker), to.push_back(mv.to_worker),
              reason.push_back(mv.reason), pts.push_back(mv.points), rel.push_back(mv.relieved);
        return py::dict(
            "moves"_a = py::dict("case_id"_a = texts(cid), "from_worker"_a = texts(from), "to_worker"_a = texts(to),
                                 "points"_a = doubles(pts), "relieved"_a = doubles(rel), "reason"_a = texts(reason)),
            "workers"_a = changes_to_py(p.workers), "overload_before"_a = p.overload_before,
            "overload_after"_a = p.overload_after, "overloaded_before"_a = p.overloaded_before,
            "overloaded_after"_a = p.overloaded_after, "cost"_a = p.cost, "work"_a = p.work, "seconds"_a = p.seconds,
            "json"_a = caseload::rebalance_plan_to_json(p));
      },
      "model"_a, "options"_a = py::dict(), "Moves existing cases off overloaded workers.");

  m.def(
      "option_records", [](const std::string& capability) { return caseload_py::describe_options(capability); },
      "capability"_a,
      "The one description of a capability's options (allocation, rebalance, league, projection, forecast, gap) "
      "as JSON: name, type, default, range and doc of each.");
  m.def(
      "read_options",
      [](const std::string& capability, const py::handle& options, const std::string& where) {
        const caseload::json::Value v = caseload_py::json_of(options, where);
        return caseload::json::dump(caseload::options::normalise(capability, v, where));
      },
      "capability"_a, "options"_a, "where"_a,
      "Reads an options dict with the capability's records (errors name `where` and the option); returns every "
      "option, defaults filled in, as JSON text.");

  m.def(
      "synthetic_incoming_csv",
      [](const py::object& model, int32_t count, uint64_t seed) {
        std::string csv;
        with_model(model, [&](const caseload::Caseload& core) {
          csv = caseload::incoming_to_csv(caseload::synthetic_incoming(core, count, seed));
        });
        return csv;
      },
      "model"_a, "count"_a = 40, "seed"_a = 1, "A seeded week of incoming referrals as CSV text.");

  m.def(
      "read_incoming_csv",
      [](const std::string& path) {
        py::gil_scoped_release r;
        // Validates the records (types, dates, encodings) and returns the CSV normalised.
        return caseload::incoming_to_csv(caseload::incoming_from_csv(caseload::read_file(path)));
      },
      "path"_a, "Reads and validates an incoming-cases CSV file; returns normalised CSV text.");

  m.def(
      "solve_gap",
      [](const py::handle& cost, const py::handle& weight, const py::handle& capacity, const py::handle& options) {
        // The options first: a bad option is reported before the arrays are read.
        const caseload::json::Value ov = caseload_py::json_of(options, "solve_gap");
        const caseload::GapOptions o =
            caseload::options::read_json(&ov, caseload::gap_detail::gap_option_records(), "solve_gap");
        auto c = py::array::ensure(cost);
        if (!c || c.ndim() != 2) fail("solve_gap: cost must be a 2-D array (agents, items)");
        const py::ssize_t m = c.shape(0), n = c.shape(1);
        if (m <= 0 || n <= 0) fail("solve_gap: cost must have at least one agent and one item");
        caseload::GapInstance g;
        g.agents = static_cast<int32_t>(m);
        g.items = static_cast<int32_t>(n);
        g.cost = matrix(cost, "cost", m, n, false);
        g.weight = matrix(weight, "weight", m, n, false);
        g.capacity = matrix(capacity, "capacity", m, 0, true);
        caseload::GapResult r;
        {
          py::gil_scoped_release rel;
          g.validate();
          r = caseload::solve_gap(g, o);
        }
        std::vector<int64_t> agent(static_cast<size_t>(n), -1);
        for (size_t j = 0; j < r.assignment.size(); ++j) agent[j] = r.assignment[j];
        py::array_t<int64_t> a({n}, {static_cast<py::ssize_t>(sizeof(int64_t))}, agent.data());
        return py::dict("assignment"_a = a, "objective"_a = r.objective, "bound"_a = r.bound, "feasible"_a = r.feasible,
                        "optimal"_a = r.optimal, "seconds"_a = r.seconds, "work"_a = r.work, "status"_a = r.status);
      },
      "cost"_a, "weight"_a, "capacity"_a, "options"_a = py::dict(),
      "Solves a GAP instance (minimisation); options as in option_records(\"gap\").");

  m.def(
      "read_orlibrary_gap",
      [](const std::string& path) {
        caseload::GapInstance g;
        {
          py::gil_scoped_release rel;
          g = caseload::read_orlibrary_gap(path);
        }
        const py::ssize_t m = g.agents, n = g.items;
        const py::ssize_t row = n * static_cast<py::ssize_t>(sizeof(double)), col = sizeof(double);
        py::array_t<double> c({m, n}, {row, col}, g.cost.data()), w({m, n}, {row, col}, g.weight.data()),
            b({m}, {col}, g.capacity.data());
        return py::make_tuple(c, w, b);
      },
      "path"_a, "Reads an OR-Library GAP file: (cost, weight, capacity) arrays.");
}
