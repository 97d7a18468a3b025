// The capacity projection as JSON: request parts in, result out
// (docs/projection.md). Unknown keys are errors, so a typo never silently
// drops a scenario or an option.
#include "projection/projection_json.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/projection.hpp"
#include "model/model_json.hpp"
#include "base/stats.hpp"

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

std::optional<int32_t> opt_int(const Value& obj, std::string_view key, const std::string& where) {
  const auto v = json::opt_number(obj, key, where);
  if (!v) return std::nullopt;
  if (*v != std::floor(*v) || std::fabs(*v) > 2e9)
    bad(ErrorCode::invalid_argument, where + ": " + std::string(key) + " must be an integer, got " + detail::num(*v));
  return static_cast<int32_t>(*v);
}

// "YYYY-MM" names a month by its first day; "YYYY-MM-DD" any day in it.
Date month_date(const std::string& text, const std::string& what) {
  if (text.size() == 7) return Date::parse(text + "-01", what);
  return Date::parse(text, what);
}

std::vector<StaffingChange> staffing_from_value(const Value* v, const std::string& what) {
  std::vector<StaffingChange> out;
  if (v == nullptr || v->is_null()) return out;
  const auto& a = array_of(*v, what);
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string where = what + "[" + std::to_string(i) + "]";
    require_object(a[i], where);
    json::reject_unknown_keys(a[i], {"kind", "date", "team", "worker_id", "role", "contracted_hours", "agency"}, where);
    StaffingChange c;
    const std::string kind = json::get_string(a[i], "kind", where);
    if (kind == "join")
      c.kind = StaffingChange::Kind::join;
    else if (kind == "leave")
      c.kind = StaffingChange::Kind::leave;
    else
      bad(ErrorCode::invalid_argument, where + ": kind must be join or leave, got \"" + kind.substr(0, 64) + "\"");
    c.date = Date::parse(json::get_string(a[i], "date", where), where + ": date");
    c.team = json::opt_string(a[i], "team", where).value_or("");
    c.worker_id = json::opt_string(a[i], "worker_id", where).value_or("");
    if (c.kind == StaffingChange::Kind::leave && c.worker_id.empty())
      bad(ErrorCode::parse, where + ": worker_id is required for a leaver");
    if (c.kind == StaffingChange::Kind::join && c.team.empty())
      bad(ErrorCode::parse, where + ": team is required for a starter");
    if (auto r = json::opt_string(a[i], "role", where)) c.role = std::move(*r);
    if (auto h = json::opt_number(a[i], "contracted_hours", where)) c.contracted_hours = *h;
    if (auto ag = json::opt_bool(a[i], "agency", where)) c.agency = *ag;
    out.push_back(std::move(c));
  }
  return out;
}

Scenario scenario_from_value(const Value& v, const std::string& where) {
  require_object(v, where);
  json::reject_unknown_keys(v,
                            {"name", "referral_factor", "referral_from_month", "referral_to_month", "referral_teams",
                             "agency_workers", "agency_team", "agency_from_month", "agency_months", "sickness_absence",
                             "annual_turnover", "added_fte", "merges", "staffing"},
                            where);
  Scenario s;
  s.name = json::get_string(v, "name", where);
  const std::string w = where + " (\"" + s.name.substr(0, 64) + "\")";
  if (auto x = json::opt_number(v, "referral_factor", w)) s.referral_factor = *x;
  if (auto x = opt_int(v, "referral_from_month", w)) s.referral_from_month = *x;
  if (auto x = opt_int(v, "referral_to_month", w)) s.referral_to_month = *x;
  if (const Value* t = v.find("referral_teams"); t != nullptr && !t->is_null()) {
    const auto& a = array_of(*t, w + ": referral_teams");
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string())
        bad(ErrorCode::parse,
            w + ": referral_teams[" + std::to_string(i) + "] must be a string, got " + a[i].type_name());
      s.referral_teams.push_back(a[i].as_string());
    }
  }
  if (auto x = opt_int(v, "agency_workers", w)) s.agency_workers = *x;
  s.agency_team = json::opt_string(v, "agency_team", w).value_or("");
  if (auto x = opt_int(v, "agency_from_month", w)) s.agency_from_month = *x;
  if (auto x = opt_int(v, "agency_months", w)) s.agency_months = *x;
  s.sickness_absence = json::opt_number(v, "sickness_absence", w);
  s.annual_turnover = json::opt_number(v, "annual_turnover", w);
  if (const Value* a = v.find("added_fte"); a != nullptr && !a->is_null()) {
    require_object(*a, w + ": added_fte");
    for (const auto& [team, fte] : a->as_object()) {
      if (!fte.is_number())
        bad(ErrorCode::parse,
            w + ": added_fte: \"" + team.substr(0, 64) + "\" must be a number, got " + fte.type_name());
      s.added_fte.emplace_back(team, fte.as_number());
    }
  }
  if (const Value* m = v.find("merges"); m != nullptr && !m->is_null()) {
    const auto& a = array_of(*m, w + ": merges");
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string mw = w + ": merges[" + std::to_string(i) + "]";
      require_object(a[i], mw);
      json::reject_unknown_keys(a[i], {"into", "teams"}, mw);
      TeamMerge tm;
      tm.into = json::get_string(a[i], "into", mw);
      const auto& teams = array_of(json::require(a[i], "teams", mw), mw + ": teams");
      for (size_t j = 0; j < teams.size(); ++j) {
        if (!teams[j].is_string())
          bad(ErrorCode::parse,
              mw + ": teams[" + std::to_string(j) + "] must be a string, got " + teams[j].type_name());
        tm.teams.push_back(teams[j].as_string());
      }
      s.merges.push_back(std::move(tm));
    }
  }
  s.staffing = staffing_from_value(v.find("staffing"), w + ": staffing");
  return s;
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
  ProjectionOptions o;
  if (v == nullptr || v->is_null()) return o;
  const std::string where = "options";
  require_object(*v, where);
  json::reject_unknown_keys(*v,
                            {"horizon", "n_paths", "seed", "alpha", "safe_level", "quantiles", "supply", "staffing",
                             "scenarios", "forecast_model", "n_threads"},
                            where);
  if (auto x = opt_int(*v, "horizon", where)) o.horizon = *x;
  if (auto x = opt_int(*v, "n_paths", where)) o.n_paths = *x;
  if (auto x = json::opt_number(*v, "seed", where)) {
    if (*x < 0 || *x != std::floor(*x) || *x > 9007199254740992.0)
      bad(ErrorCode::invalid_argument, where + ": seed must be an integer in [0, 2^53], got " + detail::num(*x));
    o.seed = static_cast<uint64_t>(*x);
  }
  if (auto x = json::opt_number(*v, "alpha", where)) o.alpha = *x;
  o.safe_level = json::opt_number(*v, "safe_level", where);
  if (const Value* q = v->find("quantiles"); q != nullptr && !q->is_null()) {
    const auto& a = array_of(*q, where + ": quantiles");
    o.quantiles.clear();
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_number())
        bad(ErrorCode::parse,
            where + ": quantiles[" + std::to_string(i) + "] must be a number, got " + a[i].type_name());
      o.quantiles.push_back(a[i].as_number());
    }
  }
  if (const Value* s = v->find("supply"); s != nullptr && !s->is_null()) {
    const std::string ws = where + ": supply";
    require_object(*s, ws);
    json::reject_unknown_keys(
        *s,
        {"annual_turnover", "fill_rate", "hiring_lead_months", "new_starter_asye_share", "agency_cover",
         "agency_lead_months", "sickness_absence", "long_term_sickness_share", "asye_months"},
        ws);
    SupplyOptions& so = o.supply;
    if (auto x = json::opt_number(*s, "annual_turnover", ws)) so.annual_turnover = *x;
    if (auto x = json::opt_number(*s, "fill_rate", ws)) so.fill_rate = *x;
    if (auto x = opt_int(*s, "hiring_lead_months", ws)) so.hiring_lead_months = *x;
    if (auto x = json::opt_number(*s, "new_starter_asye_share", ws)) so.new_starter_asye_share = *x;
    if (auto x = json::opt_number(*s, "agency_cover", ws)) so.agency_cover = *x;
    if (auto x = opt_int(*s, "agency_lead_months", ws)) so.agency_lead_months = *x;
    if (auto x = json::opt_number(*s, "sickness_absence", ws)) so.sickness_absence = *x;
    if (auto x = json::opt_number(*s, "long_term_sickness_share", ws)) so.long_term_sickness_share = *x;
    if (auto x = opt_int(*s, "asye_months", ws)) so.asye_months = *x;
  }
  o.staffing = staffing_from_value(v->find("staffing"), "staffing");
  if (const Value* s = v->find("scenarios"); s != nullptr && !s->is_null()) {
    const auto& a = array_of(*s, "scenarios");
    for (size_t i = 0; i < a.size(); ++i)
      o.scenarios.push_back(scenario_from_value(a[i], "scenarios[" + std::to_string(i) + "]"));
  }
  if (auto m = json::opt_string(*v, "forecast_model", where)) o.forecast_model = *m;
  if (auto x = opt_int(*v, "n_threads", where)) o.n_threads = *x;
  return o;
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

Value run(const Caseload& model, const Value& request) {
  const std::string format = json::opt_string(request, "format", "request").value_or("json");
  if (format != "json" && format != "html")
    bad(ErrorCode::invalid_argument, "request: format must be json or html, got \"" + format.substr(0, 64) + "\"");
  const auto referrals = referrals_from_value(request.find("referrals"));
  const auto closed = closed_cases_from_value(request.find("closed_cases"));
  const ProjectionOptions options = options_from_value(request.find("options"));
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
