// WeightingScheme <-> JSON (format in docs/scheme_format.md). This layer
// checks types, required fields and unknown keys; the WeightingScheme
// constructor checks ranges, duplicates and overlapping versions.
#include <string>
#include <utility>
#include <vector>

#include "caseload/scheme.hpp"
#include "base/json.hpp"
#include "base/text.hpp"

namespace caseload {
namespace detail {
extern const char* const kDefaultSchemeJson;  // generated from data/default_scheme.json
}  // namespace detail

namespace {

using json::Value;

using text::quoted;

const json::Array& get_array(const Value& obj, std::string_view key, std::string_view where, bool required) {
  static const json::Array kEmpty;
  const Value* v = required ? &json::require(obj, key, where) : obj.find(key);
  if (v == nullptr || (!required && v->is_null())) return kEmpty;
  if (!v->is_array())
    throw Error(ErrorCode::parse,
                std::string(where) + ": " + std::string(key) + " must be an array, got " + v->type_name());
  return v->as_array();
}

const Value& get_object(const Value& obj, std::string_view key, std::string_view where) {
  const Value& v = json::require(obj, key, where);
  if (!v.is_object())
    throw Error(ErrorCode::parse,
                std::string(where) + ": " + std::string(key) + " must be an object, got " + v.type_name());
  return v;
}

void require_object(const Value& v, const std::string& where) {
  if (!v.is_object()) throw Error(ErrorCode::parse, where + " must be an object, got " + v.type_name());
}

Date get_date(const Value& obj, std::string_view key, const std::string& where) {
  const std::string text = json::get_string(obj, key, where);
  return Date::parse(text, where + ": " + std::string(key));
}

// A rule is named by its name when it has a usable one, else by position,
// so an error in a rule with a bad name still points somewhere.
std::string rule_where(const std::string& version_where, const char* singular, const char* plural, const Value& rule,
                       size_t index) {
  if (rule.is_object()) {
    const Value* n = rule.find("name");
    if (n != nullptr && n->is_string()) return version_where + " " + singular + " " + quoted(n->as_string());
  }
  return version_where + " " + plural + "[" + std::to_string(index) + "]";
}

Thresholds thresholds_from(const Value& obj, const std::string& where) {
  Thresholds t;
  const Value* v = obj.find("thresholds");
  if (v == nullptr || v->is_null()) return t;
  const std::string w = where + " thresholds";
  require_object(*v, w);
  json::reject_unknown_keys(*v, {"green_below", "amber_to", "excessive_above"}, w);
  t.green_below = json::get_number(*v, "green_below", w);
  t.amber_to = json::get_number(*v, "amber_to", w);
  t.excessive_above = json::get_number(*v, "excessive_above", w);
  return t;
}

ServiceAreaRule service_area_from(const Value& v, const std::string& where, bool is_default) {
  require_object(v, where);
  json::reject_unknown_keys(v, {"name", "thresholds", "safe_caseload_cases", "source"}, where);
  ServiceAreaRule r;
  if (is_default) {
    r.name = json::opt_string(v, "name", where).value_or("default");
  } else {
    r.name = json::get_string(v, "name", where);
  }
  r.thresholds = thresholds_from(v, where);
  r.safe_caseload_cases = json::get_number(v, "safe_caseload_cases", where);
  r.source = json::opt_string(v, "source", where).value_or("");
  return r;
}

CapacityPolicy capacity_from(const Value& v, const std::string& where) {
  json::reject_unknown_keys(v, {"kind", "target_points", "standard_hours", "round_down", "source"}, where);
  CapacityPolicy c;
  const std::string kind = json::opt_string(v, "kind", where).value_or("hours");
  if (kind == "hours") {
    c.kind = CapacityPolicy::Kind::hours;
  } else if (kind == "points_per_fte") {
    c.kind = CapacityPolicy::Kind::points_per_fte;
  } else {
    throw Error(ErrorCode::parse, where + ": kind must be \"hours\" or \"points_per_fte\", got " + quoted(kind));
  }
  c.target_points = json::get_number(v, "target_points", where);
  c.standard_hours = json::get_number(v, "standard_hours", where);
  c.round_down = json::opt_bool(v, "round_down", where).value_or(false);
  c.source = json::opt_string(v, "source", where).value_or("");
  return c;
}

SchemeVersion version_from(const Value& v, size_t index) {
  std::string where = "scheme versions[" + std::to_string(index) + "]";
  require_object(v, where);
  if (const Value* n = v.find("version"); n != nullptr && n->is_string())
    where = "scheme version " + quoted(n->as_string());
  json::reject_unknown_keys(v,
                            {"version", "effective_from", "effective_to", "capacity", "case_types", "factors", "tasks",
                             "roles", "service_areas", "default_service_area"},
                            where);
  SchemeVersion s;
  s.version = json::get_string(v, "version", where);
  s.effective_from = get_date(v, "effective_from", where);
  if (json::opt_string(v, "effective_to", where)) s.effective_to = get_date(v, "effective_to", where);
  s.capacity = capacity_from(get_object(v, "capacity", where), where + " capacity");

  const auto& cts = get_array(v, "case_types", where, true);
  for (size_t i = 0; i < cts.size(); ++i) {
    const std::string w = rule_where(where, "case_type", "case_types", cts[i], i);
    require_object(cts[i], w);
    json::reject_unknown_keys(cts[i], {"name", "base_points", "asye_cowork_only", "source"}, w);
    CaseTypeRule r;
    r.name = json::get_string(cts[i], "name", w);
    r.base_points = json::get_number(cts[i], "base_points", w);
    r.asye_cowork_only = json::opt_bool(cts[i], "asye_cowork_only", w).value_or(false);
    r.source = json::opt_string(cts[i], "source", w).value_or("");
    s.case_types.push_back(std::move(r));
  }

  const auto& fs = get_array(v, "factors", where, false);
  for (size_t i = 0; i < fs.size(); ++i) {
    const std::string w = rule_where(where, "factor", "factors", fs[i], i);
    require_object(fs[i], w);
    json::reject_unknown_keys(fs[i], {"name", "kind", "value", "source"}, w);
    FactorRule r;
    r.name = json::get_string(fs[i], "name", w);
    const std::string kind = json::get_string(fs[i], "kind", w);
    if (kind == "add") {
      r.kind = FactorRule::Kind::add;
    } else if (kind == "multiply") {
      r.kind = FactorRule::Kind::multiply;
    } else {
      throw Error(ErrorCode::parse, w + ": kind must be \"add\" or \"multiply\", got " + quoted(kind));
    }
    r.value = json::get_number(fs[i], "value", w);
    r.source = json::opt_string(fs[i], "source", w).value_or("");
    s.factors.push_back(std::move(r));
  }

  const auto& ts = get_array(v, "tasks", where, false);
  for (size_t i = 0; i < ts.size(); ++i) {
    const std::string w = rule_where(where, "task", "tasks", ts[i], i);
    require_object(ts[i], w);
    json::reject_unknown_keys(ts[i], {"name", "points", "source"}, w);
    TaskRule r;
    r.name = json::get_string(ts[i], "name", w);
    r.points = json::get_number(ts[i], "points", w);
    r.source = json::opt_string(ts[i], "source", w).value_or("");
    s.tasks.push_back(std::move(r));
  }

  const auto& rs = get_array(v, "roles", where, true);
  for (size_t i = 0; i < rs.size(); ++i) {
    const std::string w = rule_where(where, "role", "roles", rs[i], i);
    require_object(rs[i], w);
    json::reject_unknown_keys(rs[i], {"name", "capacity_cap", "case_holding", "is_asye", "max_cases", "source"}, w);
    RoleRule r;
    r.name = json::get_string(rs[i], "name", w);
    r.capacity_cap = json::opt_number(rs[i], "capacity_cap", w).value_or(1.0);
    r.case_holding = json::opt_bool(rs[i], "case_holding", w).value_or(true);
    r.is_asye = json::opt_bool(rs[i], "is_asye", w).value_or(false);
    r.max_cases = json::opt_number(rs[i], "max_cases", w);
    r.source = json::opt_string(rs[i], "source", w).value_or("");
    s.roles.push_back(std::move(r));
  }

  const auto& sas = get_array(v, "service_areas", where, false);
  for (size_t i = 0; i < sas.size(); ++i)
    s.service_areas.push_back(
        service_area_from(sas[i], rule_where(where, "service_area", "service_areas", sas[i], i), false));

  if (const Value* d = v.find("default_service_area"); d != nullptr && !d->is_null()) {
    s.default_service_area = service_area_from(*d, where + " default_service_area", true);
  } else {
    s.default_service_area = ServiceAreaRule{};
    s.default_service_area.name = "default";
  }
  return s;
}

Value thresholds_to(const Thresholds& t) {
  return Value(
      json::Object{{"green_below", t.green_below}, {"amber_to", t.amber_to}, {"excessive_above", t.excessive_above}});
}

Value service_area_to(const ServiceAreaRule& r) {
  return Value(json::Object{{"name", r.name},
                            {"thresholds", thresholds_to(r.thresholds)},
                            {"safe_caseload_cases", r.safe_caseload_cases},
                            {"source", r.source}});
}

Value version_to(const SchemeVersion& s) {
  json::Object cap{{"kind", s.capacity.kind == CapacityPolicy::Kind::hours ? "hours" : "points_per_fte"},
                   {"target_points", s.capacity.target_points},
                   {"standard_hours", s.capacity.standard_hours},
                   {"round_down", s.capacity.round_down},
                   {"source", s.capacity.source}};
  json::Array cts, fs, ts, rs, sas;
  for (const auto& r : s.case_types)
    cts.emplace_back(json::Object{{"name", r.name},
                                  {"base_points", r.base_points},
                                  {"asye_cowork_only", r.asye_cowork_only},
                                  {"source", r.source}});
  for (const auto& r : s.factors)
    fs.emplace_back(json::Object{{"name", r.name},
                                 {"kind", r.kind == FactorRule::Kind::add ? "add" : "multiply"},
                                 {"value", r.value},
                                 {"source", r.source}});
  for (const auto& r : s.tasks)
    ts.emplace_back(json::Object{{"name", r.name}, {"points", r.points}, {"source", r.source}});
  for (const auto& r : s.roles)
    rs.emplace_back(json::Object{{"name", r.name},
                                 {"capacity_cap", r.capacity_cap},
                                 {"case_holding", r.case_holding},
                                 {"is_asye", r.is_asye},
                                 {"max_cases", r.max_cases ? Value(*r.max_cases) : Value()},
                                 {"source", r.source}});
  for (const auto& r : s.service_areas) sas.push_back(service_area_to(r));
  return Value(json::Object{
      {"version", s.version},
      {"effective_from", s.effective_from.to_string()},
      {"effective_to", s.effective_to ? Value(s.effective_to->to_string()) : Value()},
      {"capacity", Value(std::move(cap))},
      {"case_types", Value(std::move(cts))},
      {"factors", Value(std::move(fs))},
      {"tasks", Value(std::move(ts))},
      {"roles", Value(std::move(rs))},
      {"service_areas", Value(std::move(sas))},
      {"default_service_area", service_area_to(s.default_service_area)},
  });
}

}  // namespace

// Not in the public header: the JSON API re-reads a scheme nested in a request
// under that request's own limits rather than the process-wide ones.
namespace detail {
WeightingScheme scheme_from_json(std::string_view text, const Limits& limits) {
  const Value doc = json::parse(text, limits);
  const std::string where = "scheme";
  require_object(doc, where);
  json::reject_unknown_keys(doc, {"name", "versions"}, where);
  std::string name = json::get_string(doc, "name", where);
  const auto& vs = get_array(doc, "versions", where, true);
  std::vector<SchemeVersion> versions;
  versions.reserve(vs.size());
  for (size_t i = 0; i < vs.size(); ++i) versions.push_back(version_from(vs[i], i));
  return WeightingScheme(std::move(name), std::move(versions));
}
}  // namespace detail

WeightingScheme WeightingScheme::from_json(std::string_view text) {
  return detail::scheme_from_json(text, default_limits());
}

std::string WeightingScheme::to_json() const {
  json::Array vs;
  for (const auto& v : versions_) vs.push_back(version_to(v));
  std::string out = json::dump(Value(json::Object{{"name", name_}, {"versions", Value(std::move(vs))}}), 2);
  out += '\n';
  return out;
}

WeightingScheme WeightingScheme::default_scheme() {
  // Parsed on each call rather than cached in a static: the scheme is small
  // (a few tens of KB) and callers hold on to the result. Built-in limits,
  // not the process-wide ones: trusted data must load even when a caller has
  // tightened the limits for untrusted input.
  return detail::scheme_from_json(detail::kDefaultSchemeJson, Limits{});
}

}  // namespace caseload
