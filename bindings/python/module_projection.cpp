// caseload._core: the capacity projection (docs/projection.md). Registered
// from module.cpp's PYBIND11_MODULE by register_projection(). The model
// crosses as its handle (_core.Model), the rest as JSON text; the result
// comes back as JSON text and the health check's HTML section. The GIL is
// released while simulating.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "caseload/io.hpp"
#include "caseload/model.hpp"
#include "caseload/projection.hpp"
#include "caseload/scheme.hpp"
#include "caseload/synthetic.hpp"
#include "module_internal.hpp"  // with_core_model

namespace py = pybind11;
using namespace pybind11::literals;

void register_projection(py::module_& m) {
  m.def(
      "project_capacity",
      [](const py::object& model, const std::string& request_json) {
        struct Call {
          const std::string& request;
          std::string json, html;
        } call{request_json, {}, {}};
        // The live model is read under its lock with the GIL released: it is
        // never turned back into records and parsed again.
        with_core_model(
            model,
            [](const caseload::Caseload& core, void* ctx) {
              auto& c = *static_cast<Call*>(ctx);
              c.json = caseload::project_capacity_json(core, c.request, &c.html);
            },
            &call);
        return std::make_pair(call.json, call.html);
      },
      "model"_a, "request_json"_a, "Runs the capacity projection on a _core.Model; returns (result JSON, HTML section).");
  m.def(
      "synthetic_history",
      [](uint64_t seed, int32_t workers, const std::string& as_of, int32_t months) {
        caseload::SyntheticOptions o;
        o.seed = seed;
        o.workers = workers;
        o.as_of = caseload::Date::parse(as_of, "as_of");
        o.history_weeks = 0;
        std::string json;
        {
          py::gil_scoped_release release;
          const caseload::SyntheticAuthority a = caseload::synthetic_authority(o);
          json = caseload::synthetic_history_to_json(caseload::synthetic_history(a, seed, months));
        }
        return json;
      },
      "seed"_a, "workers"_a, "as_of"_a, "months"_a = 36,
      "Monthly referrals per team and case durations consistent with the synthetic authority, as JSON text.");
}
