// The C API: the general GAP solver and allocation of incoming cases,
// suggestions and rebalancing (docs/gap.md, docs/allocation.md). Shared
// machinery in c_api_internal.hpp. The functions have C linkage from their
// declarations in caseload.h.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <cstddef>
#include <cstdint>
#include <string>

#include "allocation/allocation_options.hpp"
#include "base/options.hpp"
#include "base/text.hpp"
#include "gap/gap_options.hpp"

using namespace caseload_c;

namespace {

// The C struct's sentinels (utilisation_cap and time_limit_seconds <= 0 =
// not set) are the only translation; every value is then checked by the one
// description of the options (src/allocation/allocation_options.cpp), so a
// NaN, an infinity or a value out of range is CASELOAD_EINVALID naming the
// field, never silently ignored.
caseload::AllocationOptions to_allocation_options(const caseload_allocation_options* o) {
  caseload::AllocationOptions r;
  if (o == nullptr) return r;
  const char* where = "caseload_allocation_options";
  if (o->version != CASELOAD_ALLOCATION_OPTIONS_VERSION)
    throw Error(ErrorCode::invalid_argument,
                std::string(where) + ": unsupported version " + std::to_string(o->version));
  if (!(o->utilisation_cap <= 0)) r.utilisation_cap = o->utilisation_cap;  // NaN is kept, and then rejected
  r.fairness_tolerance = o->fairness_tolerance;
  r.continuity_weight = o->continuity_weight;
  r.skills_weight = o->skills_weight;
  r.preference_weight = o->preference_weight;
  r.seed = o->seed;
  r.work_limit = o->work_limit;
  if (!(o->time_limit_seconds <= 0)) r.time_limit_seconds = o->time_limit_seconds;
  if (o->explain != 0 && o->explain != 1)
    throw Error(ErrorCode::invalid_argument,
                std::string(where) + ": explain must be 0 or 1, got " + std::to_string(o->explain));
  r.explain = o->explain != 0;
  caseload::options::validate(r, caseload::alloc::allocation_option_records(), where);
  return r;
}

}  // namespace

int caseload_gap_options_init(caseload_gap_options* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_gap_options_init", "opts");
    if (version != CASELOAD_GAP_OPTIONS_VERSION)
      throw Error(ErrorCode::invalid_argument,
                  "caseload_gap_options_init: unsupported version " + std::to_string(version));
    *opts = caseload_gap_options CASELOAD_GAP_OPTIONS_INIT;
  });
}

int caseload_gap_solve(caseload_gap_result* out, int32_t* assignment_out, int32_t agents, int32_t items,
                       const double* cost, const double* weight, const double* capacity,
                       const caseload_gap_options* options) {
  return caseload_gap_solve_ex(out, assignment_out, agents, items, cost, weight, capacity, options, nullptr);
}

int caseload_gap_solve_ex(caseload_gap_result* out, int32_t* assignment_out, int32_t agents, int32_t items,
                          const double* cost, const double* weight, const double* capacity,
                          const caseload_gap_options* options, const caseload_cancel* cancel) {
  if (out != nullptr) *out = caseload_gap_result{};
  return guard([&] {
    const char* fn = "caseload_gap_solve";
    require_arg(out, fn, "out");
    require_arg(assignment_out, fn, "assignment_out");
    if (agents <= 0 || items <= 0)
      throw Error(ErrorCode::invalid_argument, std::string(fn) + ": agents and items must be > 0, got " +
                                                   std::to_string(agents) + " and " + std::to_string(items));
    require_arg(cost, fn, "cost");
    require_arg(weight, fn, "weight");
    require_arg(capacity, fn, "capacity");
    caseload::gap_detail::check_gap_size(agents, items);  // before copying anything
    caseload::GapOptions o;
    o.cancel = token_of(cancel);
    if (options != nullptr) {
      if (options->version != CASELOAD_GAP_OPTIONS_VERSION)
        throw Error(ErrorCode::invalid_argument,
                    std::string(fn) + ": unsupported options version " + std::to_string(options->version));
      o.seed = options->seed;
      o.work_limit = options->work_limit;
      if (!(options->time_limit_seconds <= 0))
        o.time_limit_seconds = options->time_limit_seconds;  // NaN, inf: rejected
    }
    caseload::GapInstance g;
    g.agents = agents;
    g.items = items;
    const size_t cells = static_cast<size_t>(agents) * static_cast<size_t>(items);
    g.cost.assign(cost, cost + cells);
    g.weight.assign(weight, weight + cells);
    g.capacity.assign(capacity, capacity + agents);
    g.validate();
    const caseload::GapResult r = caseload::solve_gap(g, o);
    for (int32_t j = 0; j < items; ++j) assignment_out[j] = r.assignment.empty() ? -1 : r.assignment[j];
    out->objective = r.objective;
    out->bound = r.bound;
    out->feasible = r.feasible ? 1 : 0;
    out->optimal = r.optimal ? 1 : 0;
    out->seconds = r.seconds;
    out->work = r.work;
  });
}

int caseload_allocation_options_init(caseload_allocation_options* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_allocation_options_init", "opts");
    if (version != CASELOAD_ALLOCATION_OPTIONS_VERSION)
      throw Error(ErrorCode::invalid_argument,
                  "caseload_allocation_options_init: unsupported version " + std::to_string(version));
    *opts = caseload_allocation_options CASELOAD_ALLOCATION_OPTIONS_INIT;
  });
}

int caseload_allocate(char** out, const caseload_model* model, const char* incoming_json,
                      const caseload_allocation_options* options, const char* format) {
  return caseload_allocate_ex(out, model, incoming_json, options, format, nullptr);
}

int caseload_allocate_ex(char** out, const caseload_model* model, const char* incoming_json,
                         const caseload_allocation_options* options, const char* format,
                         const caseload_cancel* cancel) {
  return guard([&] {
    const char* fn = "caseload_allocate";
    init_out(out, fn);
    require_arg(model, fn, "model");
    require_arg(incoming_json, fn, "incoming_json");
    const std::string f = format == nullptr ? "json" : format;
    if (f != "json" && f != "csv" && f != "html")
      throw Error(ErrorCode::invalid_argument,
                  std::string(fn) + ": format must be json, csv or html, got " + caseload::text::quoted(f));
    auto opt = to_allocation_options(options);
    opt.cancel = token_of(cancel);
    const auto incoming = caseload::incoming_from_json(incoming_json);
    const caseload::AllocationPlan plan = caseload::allocate(model->model, incoming, opt);
    *out = dup_string(f == "csv"    ? caseload::allocation_plan_to_csv(plan)
                      : f == "html" ? caseload::allocation_plan_to_html(plan)
                                    : caseload::allocation_plan_to_json(plan));
  });
}

int caseload_suggest(char** out, const caseload_model* model, const char* case_json, int32_t k,
                     const caseload_allocation_options* options) {
  return guard([&] {
    const char* fn = "caseload_suggest";
    init_out(out, fn);
    require_arg(model, fn, "model");
    require_arg(case_json, fn, "case_json");
    const auto opt = to_allocation_options(options);
    const auto one = caseload::incoming_from_json(std::string("[") + case_json + "]");
    if (one.size() != 1) throw Error(ErrorCode::parse, std::string(fn) + ": case_json must be one JSON object");
    *out = dup_string(caseload::suggestions_to_json(caseload::suggest(model->model, one[0], k, opt)));
  });
}

int caseload_rebalance(char** out, const caseload_model* model, double move_cost, int32_t max_moves,
                       const char* scope) {
  return guard([&] {
    const char* fn = "caseload_rebalance";
    init_out(out, fn);
    require_arg(model, fn, "model");
    caseload::RebalanceOptions o;
    o.move_cost = move_cost;
    o.max_moves = max_moves;
    if (scope != nullptr) o.scope = scope;
    *out = dup_string(caseload::rebalance_plan_to_json(caseload::rebalance(model->model, o)));
  });
}
