// Whole requests as JSON in, JSON out (format in docs/json_api.md). Records
// are parsed by io's value-level parsers, results written by serialize.
#include "caseload/json_api.hpp"

#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "allocation/allocation_json.hpp"  // allocate, suggest, rebalance (docs/allocation.md)
#include "allocation/allocation_options.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "caseload/health_check.hpp"
#include "caseload/model.hpp"
#include "caseload/scheme.hpp"
#include "caseload/version.hpp"
#include "forecast/forecast_json.hpp"
#include "league/league_internal.hpp"
#include "model/health_check_options.hpp"
#include "model/model_json.hpp"
#include "projection/projection_json.hpp"
#include "records/records_json.hpp"

namespace caseload {

namespace detail {
WeightingScheme scheme_from_json(std::string_view text, const Limits& limits);  // scheme_json.cpp
}  // namespace detail

namespace {

using json::Value;

constexpr std::string_view kWhere = "request";

using text::quoted;

[[noreturn]] void bad(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

WeightingScheme scheme_of(const Value& req) {
  const Value* v = req.find("scheme");
  if (v == nullptr || v->is_null()) return WeightingScheme::default_scheme();
  if (!v->is_object())
    bad(ErrorCode::parse, "request: scheme must be an object or null, got " + std::string(v->type_name()));
  try {
    // The whole request already passed the caller's limits, and the scheme's
    // text re-made from it is no deeper, longer or wider; the process-wide
    // defaults (WeightingScheme::from_json) must not apply instead.
    Limits unbounded;
    unbounded.max_document_bytes = unbounded.max_records = unbounded.max_string_bytes = UINT64_MAX;
    unbounded.max_depth = max_depth_ceiling;
    return detail::scheme_from_json(json::dump(*v), unbounded);
  } catch (const Error& e) {
    throw Error(e.code(), std::string("request: scheme: ") + e.what());
  }
}

const Value& array_field(const Value& req, std::string_view key, bool required, const Value& empty) {
  const Value* v = req.find(key);
  if (v == nullptr || v->is_null()) {
    if (required) bad(ErrorCode::parse, "request: " + std::string(key) + " is required for this op");
    return empty;
  }
  if (!v->is_array())
    bad(ErrorCode::parse, "request: " + std::string(key) + " must be an array, got " + v->type_name());
  return *v;
}

std::vector<Worker> workers_of(const Value& req, bool required = true) {
  static const Value kEmpty{json::Array{}};
  return io::workers_from_value(array_field(req, "workers", required, kEmpty), "workers");
}
std::vector<Case> cases_of(const Value& req) {
  static const Value kEmpty{json::Array{}};
  return io::cases_from_value(array_field(req, "cases", false, kEmpty), "cases");
}
std::optional<std::vector<Snapshot>> snapshots_of(const Value& req, bool required) {
  static const Value kEmpty{json::Array{}};
  const Value* v = req.find("snapshots");
  if (!required && (v == nullptr || v->is_null())) return std::nullopt;
  return io::snapshots_from_value(array_field(req, "snapshots", required, kEmpty), "snapshots");
}

std::optional<Date> opt_date(const Value& obj, std::string_view key, const std::string& where) {
  const auto text = json::opt_string(obj, key, where);
  if (!text) return std::nullopt;
  return Date::parse(*text, where + ": " + std::string(key));
}

Date as_of_of(const Value& req) {
  const auto d = opt_date(req, "as_of", std::string(kWhere));
  if (!d) bad(ErrorCode::parse, "request: as_of is required for this op");
  return *d;
}

// Fields are read in a fixed order (function arguments are evaluated in an
// unspecified one) so the first error reported does not depend on the compiler.
Caseload model_of(const Value& req) {
  const Date as_of = as_of_of(req);
  WeightingScheme scheme = scheme_of(req);
  std::vector<Worker> workers = workers_of(req);
  std::vector<Case> cases = cases_of(req);
  return Caseload(std::move(scheme), std::move(workers), std::move(cases), as_of);
}

ExceedanceRule rule_of(const Value* v, const std::string& where) {
  if (v != nullptr && !v->is_null() && !v->is_object())
    bad(ErrorCode::parse, where + " must be an object, got " + v->type_name());
  return options::read_json<ExceedanceRule>(v, model_detail::exceedance_rule_records(), where);
}

Level level_of(const Value& req) {
  const std::string s = json::get_string(req, "level", kWhere);
  if (s == "team") return Level::team;
  if (s == "service_area") return Level::service_area;
  if (s == "organisation") return Level::organisation;
  bad(ErrorCode::invalid_argument, "request: level must be one of team, service_area, organisation, got " + quoted(s));
}

Change change_of(const Value& req) {
  return io::change_from_value(json::require(req, "change", kWhere), "request: change");
}

HealthCheckOptions health_options_of(const Value& req) {
  const Value* v = req.find("options");
  if (v != nullptr && !v->is_null() && !v->is_object())
    bad(ErrorCode::parse, std::string("request: options must be an object, got ") + v->type_name());
  return options::read_json<HealthCheckOptions>(v, model_detail::health_check_option_records(), "request: options");
}

// Allocation ops (docs/allocation.md): "allocate" takes "incoming" and
// optional "options" and "format" (json, csv, html); "suggest" takes "case"
// (one incoming case object) and "k"; "rebalance" takes "options".
Value run_allocation_op(const std::string& op, const Value& req) {
  const std::string where(kWhere);
  if (op == "allocate") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of", "incoming", "options", "format"},
                              where);
    const std::string format = json::opt_string(req, "format", where).value_or("json");
    if (format != "json" && format != "csv" && format != "html")
      bad(ErrorCode::invalid_argument, "request: format must be one of json, csv, html, got " + quoted(format));
    const AllocationOptions options = alloc::allocation_options_from_value(req.find("options"), "request: options");
    const auto incoming = alloc::incoming_from_value(json::require(req, "incoming", where), "incoming");
    const AllocationPlan plan = allocate(model_of(req), incoming, options);
    if (format == "csv") return allocation_plan_to_csv(plan);
    if (format == "html") return allocation_plan_to_html(plan);
    return alloc::to_value(plan);
  }
  if (op == "suggest") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of", "case", "k", "options"}, where);
    int32_t k = 3;
    if (const Value* kv = req.find("k"); kv != nullptr && !kv->is_null())
      k = static_cast<int32_t>(options::read_integer(*kv, alloc::kSuggestCount, "k", where));
    const AllocationOptions options = alloc::allocation_options_from_value(req.find("options"), "request: options");
    const auto one = alloc::incoming_from_value(Value(json::Array{json::require(req, "case", where)}), "case");
    return alloc::to_value(suggest(model_of(req), one.at(0), k, options));
  }
  json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of", "options"}, where);
  const RebalanceOptions options = alloc::rebalance_options_from_value(req.find("options"), "request: options");
  return alloc::to_value(rebalance(model_of(req), options));
}

Value run(const std::string& op, const Value& req) {
  const std::string where(kWhere);
  if (op == "version") {
    json::reject_unknown_keys(req, {"op"}, where);
    return json::Object{{"version", version()}, {"version_number", static_cast<int64_t>(version_number())}};
  }
  if (op == "validate") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "snapshots", "as_of"}, where);
    const Caseload model = model_of(req);
    const auto snapshots = snapshots_of(req, false);
    if (snapshots) (void)exceedance_history(model.scheme(), model.workers(), *snapshots);
    int64_t unallocated = 0;
    for (const auto& c : model.cases()) unallocated += c.allocations.empty() ? 1 : 0;
    return json::Object{{"valid", true},
                        {"scheme", model.scheme().name()},
                        {"scheme_version", model.scheme_version().version},
                        {"as_of", serialize::date(model.as_of())},
                        {"workers", static_cast<int64_t>(model.workers().size())},
                        {"cases", static_cast<int64_t>(model.cases().size())},
                        {"unallocated_cases", unallocated},
                        {"snapshots", static_cast<int64_t>(snapshots ? snapshots->size() : 0)}};
  }
  if (op == "worker_loads") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of"}, where);
    const Caseload model = model_of(req);
    json::Array a;
    for (const auto& w : model.worker_loads()) a.push_back(serialize::to_json(w));
    return a;
  }
  if (op == "breakdown") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of", "worker_id"}, where);
    const std::string id = json::get_string(req, "worker_id", where);
    return serialize::to_json(model_of(req).breakdown(id));
  }
  if (op == "rollup") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of", "level"}, where);
    const Level level = level_of(req);
    json::Array a;
    for (const auto& r : model_of(req).rollup(level)) a.push_back(serialize::to_json(r));
    return a;
  }
  if (op == "exceedance_history") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "snapshots", "rule", "from", "to"}, where);
    const ExceedanceRule rule = rule_of(req.find("rule"), "request: rule");
    const auto from = opt_date(req, "from", where), to = opt_date(req, "to", where);
    if (from && to && *to < *from)
      bad(ErrorCode::invalid_argument,
          "request: to (" + to->to_string() + ") is before from (" + from->to_string() + ")");
    const WeightingScheme scheme = scheme_of(req);
    const auto workers = workers_of(req, false);
    const auto snapshots = snapshots_of(req, true);
    return serialize::to_json(exceedance_history(scheme, workers, *snapshots, rule, from, to));
  }
  if (op == "preview") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "as_of", "change"}, where);
    const Change change = change_of(req);
    return serialize::to_json(model_of(req).preview(change));
  }
  if (op == "project_capacity") {
    json::reject_unknown_keys(
        req, {"op", "scheme", "workers", "cases", "as_of", "referrals", "closed_cases", "options", "format"}, where);
    return projection_json::run(model_of(req), req);
  }
  if (op == "health_check") {
    json::reject_unknown_keys(req, {"op", "scheme", "workers", "cases", "snapshots", "as_of", "options", "format"},
                              where);
    const std::string format = json::opt_string(req, "format", where).value_or("json");
    if (format != "json" && format != "csv" && format != "html")
      bad(ErrorCode::invalid_argument, "request: format must be one of json, csv, html, got " + quoted(format));
    const HealthCheckOptions options = health_options_of(req);
    const Caseload model = model_of(req);
    const auto snapshots = snapshots_of(req, false);
    const HealthCheck hc = health_check(model, snapshots ? &*snapshots : nullptr, options);
    if (format == "csv") return health_check_to_csv(hc);
    if (format == "html") return health_check_to_html(hc);
    return serialize::to_json(hc);
  }
  if (op == "allocate" || op == "suggest" || op == "rebalance")
    return run_allocation_op(op, req);                               // docs/allocation.md
  if (op == "league_table") return league_detail::run_request(req);  // docs/league_table.md
  if (op == "forecast") {                                            // docs/forecasting.md
    json::reject_unknown_keys(req, {"op", "series", "options"}, where);
    return fc::forecast_request(req, where);
  }
  bad(ErrorCode::invalid_argument,
      "request: unknown op " + quoted(op) +
          " (expected one of: worker_loads, breakdown, rollup, exceedance_history, preview, health_check, "
          "project_capacity, validate, version, league_table, allocate, suggest, rebalance, forecast)");
}

}  // namespace

std::string run_json_request(std::string_view request, const Limits& limits) {
  const Value req = json::parse(request, limits);
  if (!req.is_object()) bad(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
  const std::string op = json::get_string(req, "op", kWhere);
  Value result = run(op, req);
  return json::dump(Value(json::Object{{"ok", true}, {"op", op}, {"result", std::move(result)}}));
}

}  // namespace caseload
