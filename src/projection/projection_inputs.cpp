// The capacity projection's inputs: options, planned staffing and scenarios
// checked (errors name the field), and the model resolved into teams, cases,
// workers, survival curves and demand (docs/projection.md).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "caseload/forecast.hpp"
#include "caseload/projection.hpp"
#include "model/rules.hpp"
#include "projection/projection_internal.hpp"
#include "projection/projection_options.hpp"

namespace caseload::projection_detail {

// Types and ranges of every option, supply setting, staffing change and
// scenario field: their records (projection_options.cpp), the one place.
void validate_options(const ProjectionOptions& o) {
  options::validate(o, projection_option_records(), "options");
}

void validate_staffing(const Resolved& r, const std::vector<StaffingChange>& changes, const std::string& what,
                       const SchemeVersion& v) {
  std::set<std::string> leaving;
  for (size_t i = 0; i < changes.size(); ++i) {
    const StaffingChange& c = changes[i];
    const std::string where = what + "[" + std::to_string(i) + "]";
    if (c.kind == StaffingChange::Kind::join && c.team.empty()) invalid(where + ": team is required for a starter");
    if (c.kind == StaffingChange::Kind::leave && c.worker_id.empty())
      invalid(where + ": worker_id is required for a leaver");
    if (c.date <= r.as_of)
      invalid(where + ": date must be after as_of (" + r.as_of.to_string() + "), got " + c.date.to_string());
    if (c.kind == StaffingChange::Kind::join) {
      if (team_index(r, c.team) < 0)
        throw Error(ErrorCode::not_found, where + ": team " + quoted(c.team) + " is not a team of the model");
      if (v.find_role(c.role) == nullptr)
        throw Error(ErrorCode::not_found, where + ": role " + quoted(c.role) + " is not a role of the scheme");
    } else {
      const auto& ws = r.model->workers();
      const auto it = std::find_if(ws.begin(), ws.end(), [&](const Worker& w) { return w.id == c.worker_id; });
      if (it == ws.end())
        throw Error(ErrorCode::not_found,
                    where + ": worker_id " + quoted(c.worker_id) + " is not a worker of the model");
      if (!c.team.empty() && c.team != it->team)
        invalid(where + ": worker " + quoted(c.worker_id) + " is in team " + quoted(it->team) + ", not " +
                quoted(c.team));
      if (!leaving.insert(c.worker_id).second)
        throw Error(ErrorCode::duplicate, where + ": worker " + quoted(c.worker_id) + " leaves twice");
    }
  }
}

void validate_scenarios(const Resolved& r, const ProjectionOptions& o, const SchemeVersion& v) {
  std::set<std::string> names;
  for (size_t i = 0; i < o.scenarios.size(); ++i) {
    const Scenario& s = o.scenarios[i];
    const std::string where =
        "options: scenarios[" + std::to_string(i) + "]" + (s.name.empty() ? "" : " (" + quoted(s.name) + ")");
    if (s.name.empty()) invalid(where + ": name must not be empty");
    if (s.name == "baseline") invalid(where + ": name \"baseline\" is reserved for the run without changes");
    if (!names.insert(s.name).second) throw Error(ErrorCode::duplicate, where + ": name given twice");
    if (s.referral_to_month < s.referral_from_month)
      invalid(where + ": referral_to_month (" + std::to_string(s.referral_to_month) +
              ") is before referral_from_month (" + std::to_string(s.referral_from_month) + ")");
    for (const auto& t : s.referral_teams)
      if (team_index(r, t) < 0)
        throw Error(ErrorCode::not_found,
                    where + ": referral_teams: team " + quoted(t) + " is not a team of the model");
    if (s.agency_workers > 0 && team_index(r, s.agency_team) < 0)
      throw Error(ErrorCode::not_found,
                  where + ": agency_team " + quoted(s.agency_team) + " is not a team of the model");
    for (const auto& added : s.added_fte)
      if (team_index(r, added.first) < 0)
        throw Error(ErrorCode::not_found,
                    where + ": added_fte: team " + quoted(added.first) + " is not a team of the model");
    std::set<std::string> merged;
    for (size_t j = 0; j < s.merges.size(); ++j) {
      const TeamMerge& m = s.merges[j];
      const std::string mw = where + ": merges[" + std::to_string(j) + "]";
      if (m.into.empty()) invalid(mw + ": into must not be empty");
      if (m.teams.size() < 2)
        invalid(mw + ": teams must name at least two teams, got " + std::to_string(m.teams.size()));
      for (const auto& t : m.teams) {
        if (team_index(r, t) < 0)
          throw Error(ErrorCode::not_found, mw + ": team " + quoted(t) + " is not a team of the model");
        if (!merged.insert(t).second) throw Error(ErrorCode::duplicate, mw + ": team " + quoted(t) + " merged twice");
      }
      const int32_t clash = team_index(r, m.into);
      if (clash >= 0 && std::find(m.teams.begin(), m.teams.end(), m.into) == m.teams.end())
        invalid(mw + ": into " + quoted(m.into) + " names another existing team");
    }
    validate_staffing(r, s.staffing, where + ": staffing", v);
  }
}

// ---------------------------------------------------------------- resolving the model

void resolve_survival(Resolved& r, const std::vector<CaseDuration>& closed, const SchemeVersion& v) {
  std::set<std::string> type_set;
  for (const auto& ct : v.case_types) type_set.insert(ct.name);
  // The table's window starts at its earliest closure: closures before it
  // are not in the table, so a row opened earlier enters the risk set at
  // its age on that date (delayed entry; it is in the table only because it
  // was still open then). This fits both common extracts: "every case open
  // at some time in the period" (closures start with the period) and "every
  // case opened in the period" (the first closure comes within days).
  std::optional<Date> window;
  for (const CaseDuration& c : closed)
    if (c.closed && *c.closed <= r.as_of && (!window || *c.closed < *window)) window = *c.closed;
  struct Rows {
    std::vector<double> d;
    std::vector<bool> e;
    std::vector<double> entry;
  };
  std::map<std::string, Rows> by_type;
  for (size_t i = 0; i < closed.size(); ++i) {
    const CaseDuration& c = closed[i];
    const std::string where =
        "closed_cases[" + std::to_string(i) + "]" + (c.case_id.empty() ? "" : " (case " + quoted(c.case_id) + ")");
    if (c.case_type.empty()) invalid(where + ": case_type must not be empty");
    if (!type_set.count(c.case_type))
      throw Error(ErrorCode::not_found,
                  where + ": case_type " + quoted(c.case_type) + " is not a case type of the scheme");
    if (c.opened > r.as_of)
      invalid(where + ": opened (" + c.opened.to_string() + ") is after as_of (" + r.as_of.to_string() + ")");
    if (c.closed && *c.closed < c.opened)
      invalid(where + ": closed (" + c.closed->to_string() + ") is before opened (" + c.opened.to_string() + ")");
    const bool is_closed = c.closed && *c.closed <= r.as_of;
    const Date end = is_closed ? *c.closed : r.as_of;
    Rows& rows = by_type[c.case_type];
    rows.d.push_back(days_between(c.opened, end));
    rows.e.push_back(is_closed);
    // From the start of the window's first day: a case closing that day was
    // at risk on it (at risk at age t needs entry < t).
    rows.entry.push_back(window && c.opened < *window ? days_between(c.opened, *window) - 0.5 : 0.0);
  }
  r.types.assign(type_set.begin(), type_set.end());
  for (const CaseDuration& c : closed)
    if (days_between(c.opened, r.as_of) < 365)
      r.opened_recently.push_back(
          static_cast<int32_t>(std::lower_bound(r.types.begin(), r.types.end(), c.case_type) - r.types.begin()));
  for (const auto& type : r.types) {
    SurvivalSummary sum;
    sum.case_type = type;
    Curve curve;
    const auto it = by_type.find(type);
    KaplanMeier km;
    if (it != by_type.end()) km = projection_detail::kaplan_meier_delayed(it->second.d, it->second.e, it->second.entry);
    // Five closures is the least that says anything about a curve's shape;
    // with fewer the documented default is the better guess.
    if (km.events >= 5) {
      curve = projection_detail::curve_from_km(km);
      r.km_rows.resize(r.survival.size() + 1);
      r.km_rows.back() = {std::move(it->second.d), std::move(it->second.entry), std::move(it->second.e)};
      sum.source = "kaplan_meier";
      sum.n = km.n;
      sum.events = km.events;
    } else {
      curve = projection_detail::default_curve(type);
      sum.source = "default";
      sum.n = km.n;
      sum.events = km.events;
    }
    sum.mean_days = curve.mean;
    sum.median_days = curve.residual(0, 0.5);  // S(x) = 0.5
    r.curves.push_back(std::move(curve));
    r.survival.push_back(std::move(sum));
    r.km_rows.resize(r.survival.size());
  }
}

int32_t type_index(const Resolved& r, const std::string& type) {
  const auto it = std::lower_bound(r.types.begin(), r.types.end(), type);
  return it != r.types.end() && *it == type ? static_cast<int32_t>(it - r.types.begin()) : -1;
}

void resolve_teams_and_cases(Resolved& r, const Caseload& model) {
  std::map<std::string, std::map<std::string, int64_t>> areas;  // team -> service area -> workers
  std::map<std::string, int64_t> holders;
  const auto& loads = model.worker_loads();
  for (size_t i = 0; i < model.workers().size(); ++i) {
    const Worker& w = model.workers()[i];
    ++areas[w.team][w.service_area];
    if (loads[i].case_holding) ++holders[w.team];
  }
  std::map<std::string, std::string> worker_team;
  for (const auto& w : model.workers()) worker_team[w.id] = w.team;
  for (const auto& c : model.cases()) {
    if (c.allocations.empty() && !c.team.empty()) (void)areas[c.team];
    for (const auto& a : c.allocations) (void)areas[worker_team[a.worker_id]];
  }
  for (const auto& [team, counts] : areas) {
    TeamInfo t;
    t.name = team;
    // Most workers' service area (ties: the smaller name), as the roll-ups do.
    int64_t best = -1;
    for (const auto& [area, n] : counts)
      if (n > best) {
        best = n;
        t.service_area = area;
      }
    if (t.service_area.empty() && counts.empty()) t.service_area = "unknown";
    t.case_holding_workers = holders.count(team) ? holders[team] : 0;
    r.teams.push_back(std::move(t));
  }

  const size_t nt = r.types.size();
  std::vector<std::vector<double>> count(r.teams.size(), std::vector<double>(nt, 0));
  std::vector<std::vector<double>> points(r.teams.size(), std::vector<double>(nt, 0));
  std::vector<double> org_count(nt, 0), org_points(nt, 0);
  for (const auto& c : model.cases()) {
    SimCase s;
    s.type = type_index(r, c.case_type);
    s.age_days = std::max(0, days_between(c.opened, r.as_of));
    const double p = model.case_points(c.id);
    if (c.allocations.empty()) {
      const int32_t t = team_index(r, c.team);
      if (t < 0) continue;  // unallocated with no team: nobody's load (the model reports it)
      s.points.emplace_back(t, p);
      s.counts.emplace_back(t, 1.0);
    } else {
      for (const auto& a : c.allocations) {
        const int32_t t = team_index(r, worker_team[a.worker_id]);
        s.points.emplace_back(t, p * a.share);
        s.counts.emplace_back(t, a.share);
      }
    }
    for (const auto& [t, share] : s.counts) {
      count[static_cast<size_t>(t)][static_cast<size_t>(s.type)] += share;
      points[static_cast<size_t>(t)][static_cast<size_t>(s.type)] += share * p;
    }
    org_count[static_cast<size_t>(s.type)] += 1;
    org_points[static_cast<size_t>(s.type)] += p;
    r.cases.push_back(std::move(s));
  }
  // Cases opened in the last year of the durations table: the arrival mix
  // when nobody holds a case yet.
  std::vector<double> recent(nt, 0);
  for (const auto& d : r.opened_recently) recent[static_cast<size_t>(d)] += 1;
  const SchemeVersion& v = model.scheme_version();
  // Arrivals by type: by Little's law per type, a stock of N cases of mean
  // duration d is fed by N / d new cases a month, so a team's new-case mix
  // is its stock mix divided by duration (short assessments dominate
  // arrivals though few are open at once).
  for (size_t t = 0; t < r.teams.size(); ++t) {
    TeamInfo& info = r.teams[t];
    // Mix: the team's stock, else the organisation's, else the durations
    // table's recent openings (already an arrival mix), else uniform.
    const bool own = std::accumulate(count[t].begin(), count[t].end(), 0.0) > 0;
    const bool org = std::accumulate(org_count.begin(), org_count.end(), 0.0) > 0;
    const auto& c = own ? count[t] : org_count;
    info.type_mix.assign(nt, 0);
    info.type_points.assign(nt, 0);
    double rate = 0;
    for (size_t k = 0; k < nt; ++k) {
      const double months = r.curves[k].mean / kDaysPerMonth;
      if (own || org)
        info.type_mix[k] = months > 0 ? c[k] / months : 0;
      else
        info.type_mix[k] = recent[k];
      rate += own ? info.type_mix[k] : 0;
      if (count[t][k] > 0)
        info.type_points[k] = points[t][k] / count[t][k];
      else if (org_count[k] > 0)
        info.type_points[k] = org_points[k] / org_count[k];
      else
        info.type_points[k] = v.find_case_type(r.types[k])->base_points;
    }
    info.steady_rate = rate;
    const double total = std::accumulate(info.type_mix.begin(), info.type_mix.end(), 0.0);
    if (total > 0)
      for (double& x : info.type_mix) x /= total;
    else
      std::fill(info.type_mix.begin(), info.type_mix.end(), 1.0 / static_cast<double>(nt));
  }
}

void resolve_workers(const Resolved& r, const Caseload& model, const std::vector<StaffingChange>& staffing,
                     std::vector<SimWorker>& out, const SupplyOptions& supply) {
  const SchemeVersion& v = model.scheme_version();
  for (const Worker& w : model.workers()) {
    const RoleRule* role = v.find_role(w.role);
    SimWorker s = in_role(*role, team_index(r, w.team), w.contracted_hours);
    s.record = &w;
    if (role->is_asye && !r.asye_role.empty()) {
      s.cap_after_asye = r.sw_cap;
      if (w.start_date) {
        s.asye_until = months_after(*w.start_date, supply.asye_months);
      } else {
        const double left = std::max(0.0, supply.asye_months - w.experience_years * 12);
        s.asye_until = months_after(r.as_of, left);
      }
    }
    out.push_back(s);
  }
  for (const StaffingChange& c : staffing) {
    if (c.kind == StaffingChange::Kind::leave) {
      for (size_t i = 0; i < model.workers().size(); ++i)
        if (model.workers()[i].id == c.worker_id)
          out[i].leave_month = std::min(out[i].leave_month, month_of(r, c.date));
      continue;
    }
    const RoleRule* role = v.find_role(c.role);
    SimWorker s = in_role(*role, team_index(r, c.team), c.contracted_hours);
    s.join_month = month_of(r, c.date);
    s.subject_to_turnover = !c.agency;
    if (role->is_asye) {
      s.cap_after_asye = r.sw_cap;
      s.asye_until = months_after(c.date, supply.asye_months);
    }
    out.push_back(s);
  }
}

void resolve_demand(Resolved& r, const std::vector<ReferralCount>& referrals, const ProjectionOptions& o) {
  // Validate rows and group them by team, in input order.
  std::map<std::string, std::vector<std::pair<int32_t, double>>> rows;
  for (size_t i = 0; i < referrals.size(); ++i) {
    const ReferralCount& rc = referrals[i];
    const std::string where = "referrals[" + std::to_string(i) + "] (team " + quoted(rc.team) + ")";
    if (team_index(r, rc.team) < 0)
      throw Error(ErrorCode::not_found, where + ": team " + quoted(rc.team) + " is not a team of the model");
    if (!std::isfinite(rc.count) || rc.count < 0 || rc.count != std::floor(rc.count) || rc.count > 1e9)
      invalid(where + ": count must be a non-negative integer, got " + num(rc.count));
    const int32_t key = month_key(rc.period);
    auto& team_rows = rows[rc.team];
    if (!team_rows.empty()) {
      const int32_t prev = team_rows.back().first;
      if (key == prev) throw Error(ErrorCode::duplicate, where + ": period " + month_text(key) + " is given twice");
      if (key < prev)
        invalid(where + ": period " + month_text(key) + " is before the previous row's " + month_text(prev) +
                " (rows of a team must be in increasing months)");
      if (key != prev + 1)
        invalid(where + ": period " + month_text(key) + " follows " + month_text(prev) + ": months " +
                month_text(prev + 1) + " to " + month_text(key - 1) +
                " are missing (give 0 for a month without referrals)");
    }
    if (key > month_key(r.as_of))
      invalid(where + ": period " + month_text(key) + " is after as_of (" + r.as_of.to_string() + ")");
    team_rows.emplace_back(key, rc.count);
  }
  std::vector<Series> series;
  std::vector<int32_t> series_team;
  for (const auto& [team, tr] : rows) {
    if (tr.size() < 3)
      invalid("referrals (team " + quoted(team) + "): at least 3 months are needed, got " + std::to_string(tr.size()));
    Series s;
    s.id = team;
    for (const auto& [k, y] : tr) s.y.push_back(y);
    series.push_back(std::move(s));
    series_team.push_back(team_index(r, team));
  }
  r.demand_paths.assign(r.teams.size(), {});
  r.demand.clear();
  for (const auto& t : r.teams) r.demand.push_back({t.name, "steady_state", "poisson", t.steady_rate});
  if (series.empty()) return;
  ForecastOptions fo;
  fo.horizon = r.horizon;
  fo.season_length = 12;
  fo.model = o.forecast_model;
  fo.seed = o.seed;
  fo.n_paths = r.n_paths;
  fo.count_data = true;
  fo.calibrate = false;  // the paths are used, not the interval bounds
  fo.keep_paths = true;
  fo.levels = {80};
  fo.n_threads = o.n_threads;
  fo.cancel = o.cancel;
  const auto fc = forecast(series, fo);
  for (size_t i = 0; i < fc.size(); ++i) {
    const auto t = static_cast<size_t>(series_team[i]);
    r.demand_paths[t] = fc[i].paths;
    double mean = 0;
    for (const double x : fc[i].mean) mean += x;
    r.demand[t] = {r.teams[t].name, "forecast", fc[i].model, mean / static_cast<double>(fc[i].mean.size())};
  }
}

}  // namespace caseload::projection_detail
