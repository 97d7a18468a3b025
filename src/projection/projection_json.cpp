// The capacity projection as JSON: request parts in, result out
// (docs/projection.md). Unknown keys are errors, so a typo never silently
// drops a scenario or an option.
#include "projection/projection_json.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "caseload/projection.hpp"
#include "model/model_json.hpp"
#include "projection/projection_options.hpp"

namespace caseload::projection_json {

namespace {

using json::Value;

[[noreturn]] void bad(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

const json::Array& array_of(const Value& v, const std::string& where) {
  if (!v.is_array()) bad(ErrorCode::parse, where + " must be an array, got " + v.type_name());
  return v.as_array();
}

void require_object(const Value& v, const std::string& where) {
  if (!v.is_object()) bad(ErrorCode::parse, where + " must be an object, got " + v.type_name());
}

// "YYYY-MM" names a month by its first day; "YYYY-MM-DD" any day in it.
Date month_date(const std::string& text, const std::string& what) {
  if (text.size() == 7) return Date::parse(text + "-01", what);
  return Date::parse(text, what);
}

Value number_array(const std::vector<double>& v) {
  json::Array a;
  a.reserve(v.size());
  for (const double x : v) a.push_back(serialize::number(x));
  return a;
}

}  // namespace

std::vector<ReferralCount> referrals_from_value(const Value* v) {
  std::vector<ReferralCount> out;
  if (v == nullptr || v->is_null()) return out;
  const auto& a = array_of(*v, "referrals");
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string where = "referrals[" + std::to_string(i) + "]";
    require_object(a[i], where);
    json::reject_unknown_keys(a[i], {"team", "period", "count"}, where);
    ReferralCount r;
    r.team = json::get_string(a[i], "team", where);
    r.period = month_date(json::get_string(a[i], "period", where), where + ": period");
    const Value& c = json::require(a[i], "count", where);
    if (c.is_null()) bad(ErrorCode::invalid_argument, where + ": count must be a non-negative integer, got null");
    r.count = json::get_number(a[i], "count", where);
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<CaseDuration> closed_cases_from_value(const Value* v) {
  std::vector<CaseDuration> out;
  if (v == nullptr || v->is_null()) return out;
  const auto& a = array_of(*v, "closed_cases");
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string where = "closed_cases[" + std::to_string(i) + "]";
    require_object(a[i], where);
    json::reject_unknown_keys(a[i], {"case_id", "case_type", "opened", "closed"}, where);
    CaseDuration d;
    d.case_id = json::opt_string(a[i], "case_id", where).value_or("");
    d.case_type = json::get_string(a[i], "case_type", where);
    d.opened = Date::parse(json::get_string(a[i], "opened", where), where + ": opened");
    if (auto c = json::opt_string(a[i], "closed", where); c && !c->empty())
      d.closed = Date::parse(*c, where + ": closed");
    out.push_back(std::move(d));
  }
  return out;
}

ProjectionOptions options_from_value(const Value* v) {
  if (v != nullptr && !v->is_null()) require_object(*v, "options");
  return options::read_json<ProjectionOptions>(v, projection_detail::projection_option_records(), "options");
}

Value to_value(const CapacityProjection& p) {
  json::Array survival;
  for (const auto& s : p.survival)
    survival.push_back(json::Object{{"case_type", s.case_type},
                                    {"source", s.source},
                                    {"n", s.n},
                                    {"events", s.events},
                                    {"median_days", serialize::number(s.median_days)},
                                    {"mean_days", serialize::number(s.mean_days)}});
  json::Array demand;
  for (const auto& d : p.demand)
    demand.push_back(json::Object{{"team", d.team},
                                  {"source", d.source},
                                  {"model", d.model},
                                  {"monthly_rate", serialize::number(d.monthly_rate)}});
  json::Array scenarios;
  for (const auto& s : p.scenarios) {
    json::Array groups;
    for (const auto& g : s.groups) {
      json::Array months;
      for (const auto& m : g.months) {
        json::Object by_type;
        for (const auto& [type, pts] : m.workload_by_case_type) by_type.emplace_back(type, serialize::number(pts));
        months.push_back(json::Object{{"month", static_cast<int64_t>(m.month)},
                                      {"date", serialize::date(m.date)},
                                      {"expected_open_cases", serialize::number(m.expected_open_cases)},
                                      {"expected_new_cases", serialize::number(m.expected_new_cases)},
                                      {"expected_workload", serialize::number(m.expected_workload)},
                                      {"expected_capacity", serialize::number(m.expected_capacity)},
                                      {"expected_fte", serialize::number(m.expected_fte)},
                                      {"expected_utilisation", serialize::number(m.expected_utilisation)},
                                      {"utilisation_quantiles", number_array(m.utilisation_quantiles)},
                                      {"p_breach", serialize::number(m.p_breach)},
                                      {"p_any_breach", serialize::number(m.p_any_breach)},
                                      {"required_fte", serialize::number(m.required_fte)},
                                      {"workload_by_case_type", std::move(by_type)}});
      }
      groups.push_back(
          json::Object{{"level", level_name(g.level)},
                       {"group", g.group},
                       {"safe_level", serialize::number(g.safe_level)},
                       {"current_utilisation", serialize::number(g.current_utilisation)},
                       {"current_fte", serialize::number(g.current_fte)},
                       {"case_holding_workers", g.case_holding_workers},
                       {"expected_new_cases_next_month", serialize::number(g.expected_new_cases_next_month)},
                       {"expected_new_cases_per_worker", serialize::number(g.expected_new_cases_per_worker)},
                       {"required_fte", serialize::number(g.required_fte)},
                       {"months", std::move(months)}});
    }
    scenarios.push_back(json::Object{{"name", s.name}, {"groups", std::move(groups)}});
  }
  return json::Object{{"as_of", serialize::date(p.as_of)},
                      {"horizon", static_cast<int64_t>(p.horizon)},
                      {"n_paths", static_cast<int64_t>(p.n_paths)},
                      {"seed", static_cast<double>(p.seed)},
                      {"alpha", serialize::number(p.alpha)},
                      {"quantiles", number_array(p.quantiles)},
                      {"survival", std::move(survival)},
                      {"demand", std::move(demand)},
                      {"scenarios", std::move(scenarios)}};
}

Value run(const Caseload& model, const Value& request, const Cancel* cancel) {
  const std::string format = json::opt_string(request, "format", "request").value_or("json");
  if (format != "json" && format != "html")
    bad(ErrorCode::invalid_argument, "request: format must be json or html, got " + text::quoted(format));
  const auto referrals = referrals_from_value(request.find("referrals"));
  const auto closed = closed_cases_from_value(request.find("closed_cases"));
  ProjectionOptions options = options_from_value(request.find("options"));
  options.cancel = cancel;
  const CapacityProjection p = project_capacity(model, referrals, closed, options);
  if (format == "html") return projection_section_html(p);
  return to_value(p);
}

}  // namespace caseload::projection_json

namespace caseload {

std::string projection_to_json(const CapacityProjection& projection) {
  return json::dump(projection_json::to_value(projection));
}

std::string project_capacity_json(const Caseload& model, std::string_view request_json, std::string* section_html) {
  const json::Value req = json::parse(request_json);
  if (!req.is_object())
    throw Error(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
  json::reject_unknown_keys(req, {"referrals", "closed_cases", "options"}, "request");
  const auto referrals = projection_json::referrals_from_value(req.find("referrals"));
  const auto closed = projection_json::closed_cases_from_value(req.find("closed_cases"));
  const ProjectionOptions options = projection_json::options_from_value(req.find("options"));
  const CapacityProjection p = project_capacity(model, referrals, closed, options);
  if (section_html != nullptr) *section_html = projection_section_html(p);
  return projection_to_json(p);
}

}  // namespace caseload
