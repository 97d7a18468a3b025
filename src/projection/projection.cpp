// Capacity and caseload projection: joint Monte Carlo paths of demand, open
// caseload and supply per team, aggregated to service areas and the
// organisation from the same paths (docs/projection.md).
//
// Determinism: every random draw comes from a CounterRng keyed by (seed,
// path, what, which), so a path's numbers do not depend on the thread that
// runs it. Paths are processed in fixed blocks; sums over paths are taken
// in path order within a block and in block order across blocks, so the
// output is bit-identical for any thread count.
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

#include "caseload/error.hpp"
#include "caseload/forecast.hpp"
#include "caseload/projection.hpp"
#include "projection/projection_internal.hpp"
#include "base/stats.hpp"
#include "base/text.hpp"
#include "model/rules.hpp"

namespace caseload {

namespace {

using detail::num;
using detail::nearest_rank;
using projection_detail::CounterRng;
using projection_detail::Curve;
using projection_detail::kDaysPerMonth;

// Random stream ids (never renumber: results would change).
enum Stream : uint64_t {
  kCaseClose = 1,
  kArrivalCount = 2,
  kArrival = 3,
  kLeave = 4,
  kHire = 5,
  kSick = 6,
  kSpikeRound = 7,
  kBootstrap = 8,
};

// Bootstrap replicates of the Kaplan-Meier curves: path p uses replicate
// p % kMaxReplicates (every path its own replicate up to this many paths).
// Each replicate costs one Kaplan-Meier estimate per case type; beyond a few
// hundred the spread of the curves is already well represented.
constexpr int32_t kMaxReplicates = 200;

constexpr int32_t kBlock = 32;            // paths per block (fixed: part of the summation order)
constexpr double kMaxCells = 60'000'000;  // n_paths * groups * horizon * 2 doubles kept

[[noreturn]] void invalid(const std::string& msg) {
  throw Error(ErrorCode::invalid_argument, msg);
}

using text::quoted;

int32_t month_key(Date d) {
  int y = 0, m = 0, day = 0;
  d.to_ymd(y, m, day);
  return y * 12 + (m - 1);
}

std::string month_text(int32_t key) {
  const int y = key / 12, m = key % 12 + 1;
  std::string s = std::to_string(y) + "-";
  if (m < 10) s += '0';
  return s + std::to_string(m);
}

void check_fraction(double v, bool upper_open, const std::string& where, const char* field) {
  if (!std::isfinite(v) || v < 0 || (upper_open ? v >= 1 : v > 1))
    invalid(where + ": " + field + " must be in [0, 1" + (upper_open ? ")" : "]") + ", got " + num(v));
}

void check_int(int32_t v, int32_t lo, int32_t hi, const std::string& where, const char* field) {
  if (v < lo || v > hi)
    invalid(where + ": " + field + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
            std::to_string(v));
}

// ---------------------------------------------------------------- the inputs, resolved

struct SimCase {
  int32_t type = 0;
  double age_days = 0;
  // (team index, points share, count share) for each team the case loads.
  std::vector<std::pair<int32_t, double>> points;  // team, points
  std::vector<std::pair<int32_t, double>> counts;  // team, share of one case
};

struct SimWorker {
  int32_t team = 0;
  double hours = 37;
  double cap = 1;                  // role cap
  double cap_after_asye = 1;       // role cap once the ASYE year ends
  std::optional<Date> asye_until;  // becomes a social worker after this date
  bool case_holding = true;
  const Worker* record = nullptr;  // reductions of existing workers
  int32_t join_month = 0;          // present from this month (0 = already)
  int32_t leave_month = 1 << 30;   // planned leaving month (absent from it)
  bool subject_to_turnover = true;
};

// A worker present from the start in `role`, before any ASYE dates.
SimWorker in_role(const RoleRule& role, int32_t team, double hours) {
  SimWorker s;
  s.team = team;
  s.hours = hours;
  s.cap = role.capacity_cap;
  s.cap_after_asye = role.capacity_cap;
  s.case_holding = role.case_holding;
  return s;
}

// Month lengths are the mean month (kDaysPerMonth), rounded to whole days.
Date months_after(Date d, double months) {
  return Date{d.days + static_cast<int32_t>(std::lround(months * kDaysPerMonth))};
}

struct TeamInfo {
  std::string name;
  std::string service_area;
  std::vector<double> type_mix;     // arrival probability by type
  std::vector<double> type_points;  // mean points of a new case by type
  double steady_rate = 0;           // cases per month
  int64_t case_holding_workers = 0;
};

struct Resolved {
  const Caseload* model = nullptr;
  Date as_of;
  int32_t horizon = 12, n_paths = 1000;
  std::vector<int32_t> month_day;  // month_day[m] = days from as_of to the end of month m (m = 0..H)
  std::vector<std::string> types;  // sorted case types
  std::vector<Curve> curves;       // by type: the point estimates
  // Kaplan-Meier inputs of the estimated types (empty for defaults), kept
  // for the bootstrap.
  struct KmRows {
    std::vector<double> d, entry;
    std::vector<bool> e;
  };
  std::vector<KmRows> km_rows;               // by type
  std::vector<std::vector<Curve>> replicas;  // [replicate][type]; empty when no curve is estimated
  std::vector<TeamInfo> teams;               // sorted by name
  std::vector<SimCase> cases;
  std::vector<SimWorker> workers;  // existing and planned starters
  // Demand: forecast paths per team (empty = steady state Poisson).
  std::vector<std::vector<std::vector<double>>> demand_paths;  // [team][path][month-1]
  std::vector<TeamDemand> demand;
  std::vector<SurvivalSummary> survival;
  std::vector<int32_t> opened_recently;  // type of each durations row opened in the year to as_of
  // Share of the existing workers with a recorded full-time absence (a
  // reduction of all their hours) at the end of month m, m = 1..H ([0] unused).
  std::vector<double> recorded_absent;
  CapacityPolicy capacity;  // the scheme version's, for rules::capacity_points
  double asye_cap = 0.9, sw_cap = 1.0;
  std::string asye_role;  // empty when the scheme has none
};

int32_t team_index(const Resolved& r, const std::string& name) {
  const auto it = std::lower_bound(r.teams.begin(), r.teams.end(), name,
                                   [](const TeamInfo& t, const std::string& n) { return t.name < n; });
  if (it == r.teams.end() || it->name != name) return -1;
  return static_cast<int32_t>(it - r.teams.begin());
}

// First month whose end is on or after `d` (1..H), or H + 1 when beyond.
int32_t month_of(const Resolved& r, Date d) {
  const int32_t offset = days_between(r.as_of, d);
  for (int32_t m = 1; m <= r.horizon; ++m)
    if (r.month_day[static_cast<size_t>(m)] >= offset) return m;
  return r.horizon + 1;
}

void validate_options(const ProjectionOptions& o) {
  const std::string w = "options";
  check_int(o.horizon, 1, 12, w, "horizon");
  check_int(o.n_paths, 10, 100000, w, "n_paths");
  if (!(o.alpha > 0 && o.alpha < 1)) invalid(w + ": alpha must be in (0, 1), got " + num(o.alpha));
  if (o.safe_level && !(std::isfinite(*o.safe_level) && *o.safe_level > 0))
    invalid(w + ": safe_level must be a finite number > 0, got " + num(*o.safe_level));
  if (o.quantiles.size() > 99) invalid(w + ": at most 99 quantiles, got " + std::to_string(o.quantiles.size()));
  for (size_t i = 0; i < o.quantiles.size(); ++i) {
    const double q = o.quantiles[i];
    if (!(q > 0 && q < 1)) invalid(w + ": quantiles[" + std::to_string(i) + "] must be in (0, 1), got " + num(q));
    if (i > 0 && !(q > o.quantiles[i - 1]))
      invalid(w + ": quantiles must be increasing, got " + num(o.quantiles[i - 1]) + " then " + num(q));
  }
  if (o.n_threads < 0) invalid(w + ": n_threads must be >= 0, got " + std::to_string(o.n_threads));
  const SupplyOptions& s = o.supply;
  const std::string ws = "options: supply";
  check_fraction(s.annual_turnover, true, ws, "annual_turnover");
  check_fraction(s.fill_rate, false, ws, "fill_rate");
  check_int(s.hiring_lead_months, 0, 24, ws, "hiring_lead_months");
  check_fraction(s.new_starter_asye_share, false, ws, "new_starter_asye_share");
  check_fraction(s.agency_cover, false, ws, "agency_cover");
  check_int(s.agency_lead_months, 0, 24, ws, "agency_lead_months");
  check_fraction(s.sickness_absence, true, ws, "sickness_absence");
  check_fraction(s.long_term_sickness_share, false, ws, "long_term_sickness_share");
  check_int(s.asye_months, 1, 60, ws, "asye_months");
}

void validate_staffing(const Resolved& r, const std::vector<StaffingChange>& changes, const std::string& what,
                       const SchemeVersion& v) {
  std::set<std::string> leaving;
  for (size_t i = 0; i < changes.size(); ++i) {
    const StaffingChange& c = changes[i];
    const std::string where = what + "[" + std::to_string(i) + "]";
    if (c.date <= r.as_of)
      invalid(where + ": date must be after as_of (" + r.as_of.to_string() + "), got " + c.date.to_string());
    if (c.kind == StaffingChange::Kind::join) {
      if (team_index(r, c.team) < 0)
        throw Error(ErrorCode::not_found, where + ": team " + quoted(c.team) + " is not a team of the model");
      if (v.find_role(c.role) == nullptr)
        throw Error(ErrorCode::not_found, where + ": role " + quoted(c.role) + " is not a role of the scheme");
      if (!(c.contracted_hours > 0 && c.contracted_hours <= 60))
        invalid(where + ": contracted_hours must be in (0, 60], got " + num(c.contracted_hours));
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
        "scenarios[" + std::to_string(i) + "]" + (s.name.empty() ? "" : " (" + quoted(s.name) + ")");
    if (s.name.empty()) invalid(where + ": name must not be empty");
    if (s.name == "baseline") invalid(where + ": name \"baseline\" is reserved for the run without changes");
    if (!names.insert(s.name).second) throw Error(ErrorCode::duplicate, where + ": name given twice");
    if (!(std::isfinite(s.referral_factor) && s.referral_factor >= 0 && s.referral_factor <= 10))
      invalid(where + ": referral_factor must be in [0, 10], got " + num(s.referral_factor));
    check_int(s.referral_from_month, 1, 12, where, "referral_from_month");
    check_int(s.referral_to_month, s.referral_from_month, 12, where, "referral_to_month");
    for (const auto& t : s.referral_teams)
      if (team_index(r, t) < 0)
        throw Error(ErrorCode::not_found,
                    where + ": referral_teams: team " + quoted(t) + " is not a team of the model");
    check_int(s.agency_workers, 0, 1000, where, "agency_workers");
    if (s.agency_workers > 0 && team_index(r, s.agency_team) < 0)
      throw Error(ErrorCode::not_found,
                  where + ": agency_team " + quoted(s.agency_team) + " is not a team of the model");
    check_int(s.agency_from_month, 1, 12, where, "agency_from_month");
    check_int(s.agency_months, 1, 120, where, "agency_months");
    if (s.sickness_absence) check_fraction(*s.sickness_absence, true, where, "sickness_absence");
    if (s.annual_turnover) check_fraction(*s.annual_turnover, true, where, "annual_turnover");
    for (const auto& [team, fte] : s.added_fte) {
      if (team_index(r, team) < 0)
        throw Error(ErrorCode::not_found, where + ": added_fte: team " + quoted(team) + " is not a team of the model");
      if (!(std::isfinite(fte) && fte >= 0 && fte <= 10000))
        invalid(where + ": added_fte for team " + quoted(team) + " must be in [0, 10000], got " + num(fte));
    }
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
  const auto fc = forecast(series, fo);
  for (size_t i = 0; i < fc.size(); ++i) {
    const auto t = static_cast<size_t>(series_team[i]);
    r.demand_paths[t] = fc[i].paths;
    double mean = 0;
    for (const double x : fc[i].mean) mean += x;
    r.demand[t] = {r.teams[t].name, "forecast", fc[i].model, mean / static_cast<double>(fc[i].mean.size())};
  }
}

// ---------------------------------------------------------------- one scenario

struct ScenarioPlan {
  std::string name;
  std::vector<int32_t> group_of_team;  // team -> team-level group index
  std::vector<std::string> team_groups;
  std::vector<double> referral_factor;  // [team * H + (m-1)]
  std::vector<double> added_capacity;   // per team, points
  std::vector<double> added_fte;        // per team
  std::vector<SimWorker> workers;       // base workers + scenario staffing + agency
  double hazard = 0;
  double sickness = 0;
};

// Per-path figures, by team, month 1..H.
struct PathOut {
  std::vector<double> workload, capacity, fte, open, arrivals;  // [team * H + m-1]
  std::vector<double> by_type;                                  // [(team * T + type) * H + m-1]
};

void simulate_path(const Resolved& r, const ScenarioPlan& plan, const SupplyOptions& supply, uint64_t seed, int32_t p,
                   PathOut& out) {
  const int32_t H = r.horizon;
  const size_t nteam = r.teams.size(), ntype = r.types.size();
  const auto h = static_cast<size_t>(H);
  out.workload.assign(nteam * h, 0);
  out.capacity.assign(nteam * h, 0);
  out.fte.assign(nteam * h, 0);
  out.open.assign(nteam * h, 0);
  out.arrivals.assign(nteam * h, 0);
  out.by_type.assign(nteam * ntype * h, 0);
  // "Open through month k" buckets, then suffix sums: a case open at the end
  // of month k was open at the end of every earlier month.
  std::vector<double> through_points(nteam * ntype * (h + 1), 0), through_open(nteam * (h + 1), 0);
  auto months_open = [&](double from_day, double duration) {
    int32_t k = 0;
    while (k < H && from_day + duration > r.month_day[static_cast<size_t>(k + 1)]) ++k;
    return k;
  };
  const auto pu = static_cast<uint64_t>(p);
  // Durations come from this path's bootstrap replicate of the estimated
  // curves, so the paths carry the uncertainty of estimating them from a
  // finite table, not only the randomness of closures given the curves.
  const std::vector<Curve>& curves =
      r.replicas.empty() ? r.curves : r.replicas[static_cast<size_t>(p) % r.replicas.size()];
  // Existing cases: conditional survival given their age.
  for (size_t c = 0; c < r.cases.size(); ++c) {
    const SimCase& sc = r.cases[c];
    CounterRng rng(seed, pu, kCaseClose, c);
    const double resid = curves[static_cast<size_t>(sc.type)].residual(sc.age_days, rng.uniform());
    const auto k = static_cast<size_t>(months_open(0, resid));
    for (const auto& [t, pts] : sc.points)
      through_points[(static_cast<size_t>(t) * ntype + static_cast<size_t>(sc.type)) * (h + 1) + k] += pts;
    for (const auto& [t, share] : sc.counts) through_open[static_cast<size_t>(t) * (h + 1) + k] += share;
  }
  // New cases.
  for (size_t t = 0; t < nteam; ++t) {
    const TeamInfo& info = r.teams[t];
    std::vector<double> cum(ntype);
    double acc = 0;
    for (size_t k = 0; k < ntype; ++k) cum[k] = (acc += info.type_mix[k]);
    const auto& paths = r.demand_paths[t];
    for (int32_t m = 1; m <= H; ++m) {
      const double factor = plan.referral_factor[t * h + static_cast<size_t>(m - 1)];
      int64_t n = 0;
      if (!paths.empty()) {
        const double base = paths[static_cast<size_t>(p) % paths.size()][static_cast<size_t>(m - 1)];
        const double scaled = std::max(0.0, base) * factor;
        n = static_cast<int64_t>(std::floor(scaled));
        CounterRng round_rng(seed, pu, kSpikeRound, t, static_cast<uint64_t>(m));
        if (round_rng.uniform() < scaled - std::floor(scaled)) ++n;
      } else {
        CounterRng count_rng(seed, pu, kArrivalCount, t, static_cast<uint64_t>(m));
        // Inversion with the same uniform: a larger mean never gives fewer
        // arrivals, and the first arrivals keep their draws (common random numbers).
        n = count_rng.poisson(info.steady_rate * factor);
      }
      out.arrivals[t * h + static_cast<size_t>(m - 1)] = static_cast<double>(n);
      const double start = r.month_day[static_cast<size_t>(m - 1)], len = r.month_day[static_cast<size_t>(m)] - start;
      for (int64_t a = 0; a < n; ++a) {
        CounterRng rng(seed, pu, kArrival, t * 64 + static_cast<uint64_t>(m), static_cast<uint64_t>(a));
        const double u_type = rng.uniform() * acc;
        const auto type = static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), u_type) - cum.begin());
        const size_t ty = std::min(type, ntype - 1);
        const double day = start + len * rng.uniform();
        const double dur = curves[ty].residual(0, rng.uniform());
        const auto k = static_cast<size_t>(months_open(day, dur));
        if (k < static_cast<size_t>(m)) continue;  // opened and closed within the month
        // Open at the ends of months m..k: add at k, remove below m.
        const auto before = static_cast<size_t>(m - 1);
        through_points[(t * ntype + ty) * (h + 1) + k] += info.type_points[ty];
        through_points[(t * ntype + ty) * (h + 1) + before] -= info.type_points[ty];
        through_open[t * (h + 1) + k] += 1;
        through_open[t * (h + 1) + before] -= 1;
      }
    }
  }
  for (size_t t = 0; t < nteam; ++t) {
    double open = 0;
    for (size_t k = h; k >= 1; --k) {
      open += through_open[t * (h + 1) + k];
      out.open[t * h + k - 1] = open;
    }
    for (size_t ty = 0; ty < ntype; ++ty) {
      double pts = 0;
      for (size_t k = h; k >= 1; --k) {
        pts += through_points[(t * ntype + ty) * (h + 1) + k];
        out.by_type[(t * ntype + ty) * h + k - 1] = pts;
      }
    }
    for (size_t m = 0; m < h; ++m) {
      double w = 0;
      for (size_t ty = 0; ty < ntype; ++ty) w += out.by_type[(t * ntype + ty) * h + m];
      out.workload[t * h + m] = w;
    }
  }

  // Supply. Workers are simulated in order; replacements and agency cover
  // are appended, keyed by their origin so draws stay common across scenarios.
  struct Live {
    SimWorker w;
    uint64_t key;
    int32_t until = 1 << 30;  // absent from this month (leaving or cover ending)
  };
  std::vector<Live> live;
  live.reserve(plan.workers.size() * 2);
  for (size_t i = 0; i < plan.workers.size(); ++i)
    live.push_back({plan.workers[i], i + 1, plan.workers[i].leave_month});
  const double sick_whole = plan.sickness * supply.long_term_sickness_share;
  const double sick_spread = plan.sickness * (1 - supply.long_term_sickness_share);
  // Whole-month absence is a prevalence over the workforce, and absences
  // already recorded as reductions are part of it: the others are drawn
  // absent only for the rest, max(0, p - recorded) / (1 - recorded).
  // Otherwise the first months would lose both the recorded absences and
  // the full rate on top, and capacity would dip and then recover as the
  // recorded absences end.
  std::vector<double> p_whole(h + 1, sick_whole);
  for (size_t m = 1; m <= h; ++m) {
    const double rec = r.recorded_absent[m];
    p_whole[m] = rec < 1 ? std::max(0.0, sick_whole - rec) / (1 - rec) : 0.0;
  }
  const auto standard = r.capacity.standard_hours;
  for (size_t i = 0; i < live.size(); ++i) {
    // Leaving: the first month in which the hazard fires (or the planned one).
    const SimWorker w = live[i].w;  // copy: live may grow
    const uint64_t key = live[i].key;
    int32_t until = live[i].until;
    if (w.subject_to_turnover) {
      CounterRng rng(seed, pu, kLeave, key);
      for (int32_t m = std::max(1, w.join_month); m <= H && m < until; ++m)
        if (rng.chance(plan.hazard)) {
          until = m;
          break;
        }
    }
    live[i].until = until;
    if (until <= H && w.subject_to_turnover) {
      // A vacancy: a permanent replacement after the lead time (fill rate),
      // and agency cover meanwhile (agency_cover).
      CounterRng rng(seed, pu, kHire, key);
      const bool filled = rng.chance(supply.fill_rate);
      const bool asye = rng.chance(supply.new_starter_asye_share) && !r.asye_role.empty();
      const bool covered = rng.chance(supply.agency_cover);
      const int32_t start = until + supply.hiring_lead_months;
      if (filled && start <= H) {
        SimWorker n = w;
        n.record = nullptr;
        n.join_month = start;
        n.leave_month = 1 << 30;
        n.cap = asye ? r.asye_cap : (w.cap_after_asye);
        n.cap_after_asye = w.cap_after_asye;
        n.asye_until.reset();
        if (asye) {
          const Date d =
              months_after(Date{r.as_of.days + r.month_day[static_cast<size_t>(start - 1)]}, supply.asye_months);
          n.asye_until = d;
          n.cap_after_asye = r.sw_cap;
        }
        live.push_back({n, key * 1315423911ull + 7, 1 << 30});
      }
      const int32_t cover_from = until + supply.agency_lead_months;
      const int32_t cover_to = filled ? start : H + 1;  // exclusive
      if (covered && cover_from <= H && cover_from < cover_to) {
        SimWorker a = w;
        a.record = nullptr;
        a.join_month = cover_from;
        a.cap = a.cap_after_asye = r.sw_cap;
        a.asye_until.reset();
        a.subject_to_turnover = false;
        live.push_back({a, key * 2654435761ull + 11, cover_to});
      }
    }
    CounterRng sick(seed, pu, kSick, key);
    const auto t = static_cast<size_t>(w.team);
    for (int32_t m = 1; m <= H; ++m) {
      const bool sick_month = sick.chance(p_whole[static_cast<size_t>(m)]);  // drawn every month: keeps draws aligned
      if (m < w.join_month || m >= until) continue;
      const Date d{r.as_of.days + r.month_day[static_cast<size_t>(m)]};
      // ASYE protection is the role cap alone (rules::capacity_steps): new
      // ASYEs get no second, hard-coded development-time reduction on top.
      const double reduced = w.record ? rules::reduction_hours_on(*w.record, d) : 0;
      const double avail = std::max(0.0, w.hours - reduced);
      const double cap = (w.asye_until && d > *w.asye_until) ? w.cap_after_asye : w.cap;
      double c = rules::capacity_points(r.capacity, w.hours, avail, cap);
      c = sick_month ? 0 : c * (1 - sick_spread);
      // Only case holders' capacity is there for cases (a team manager's is
      // not), as in the model's roll-ups.
      if (w.case_holding) out.capacity[t * h + static_cast<size_t>(m - 1)] += c;
      out.fte[t * h + static_cast<size_t>(m - 1)] += w.hours / standard;
    }
  }
  for (size_t t = 0; t < nteam; ++t)
    for (size_t m = 0; m < h; ++m) {
      out.capacity[t * h + m] += plan.added_capacity[t];
      out.fte[t * h + m] += plan.added_fte[t];
    }
}

ScenarioPlan make_plan(const Resolved& r, const ProjectionOptions& o, const Scenario* s) {
  ScenarioPlan plan;
  plan.name = s ? s->name : "baseline";
  const size_t nteam = r.teams.size();
  const auto h = static_cast<size_t>(r.horizon);
  std::map<std::string, std::string> merged;
  if (s)
    for (const auto& m : s->merges)
      for (const auto& t : m.teams) merged[t] = m.into;
  std::set<std::string> names;
  for (const auto& t : r.teams) names.insert(merged.count(t.name) ? merged[t.name] : t.name);
  plan.team_groups.assign(names.begin(), names.end());
  for (const auto& t : r.teams) {
    const std::string g = merged.count(t.name) ? merged[t.name] : t.name;
    plan.group_of_team.push_back(static_cast<int32_t>(
        std::lower_bound(plan.team_groups.begin(), plan.team_groups.end(), g) - plan.team_groups.begin()));
  }
  plan.referral_factor.assign(nteam * h, 1.0);
  plan.added_capacity.assign(nteam, 0);
  plan.added_fte.assign(nteam, 0);
  const double turnover = s && s->annual_turnover ? *s->annual_turnover : o.supply.annual_turnover;
  plan.hazard = 1 - std::pow(1 - turnover, 1.0 / 12.0);
  plan.sickness = s && s->sickness_absence ? *s->sickness_absence : o.supply.sickness_absence;
  plan.workers = r.workers;
  if (!s) return plan;
  for (size_t t = 0; t < nteam; ++t) {
    const bool hit = s->referral_teams.empty() || std::find(s->referral_teams.begin(), s->referral_teams.end(),
                                                            r.teams[t].name) != s->referral_teams.end();
    if (!hit) continue;
    for (int32_t m = s->referral_from_month; m <= std::min(s->referral_to_month, r.horizon); ++m)
      plan.referral_factor[t * h + static_cast<size_t>(m - 1)] = s->referral_factor;
  }
  for (const auto& [team, fte] : s->added_fte) {
    const auto t = static_cast<size_t>(team_index(r, team));
    plan.added_fte[t] += fte;
    plan.added_capacity[t] += fte * r.capacity.target_points;
  }
  std::vector<SimWorker> extra;
  resolve_workers(r, *r.model, s->staffing, extra, o.supply);
  extra.erase(extra.begin(), extra.begin() + static_cast<std::ptrdiff_t>(r.model->workers().size()));
  // Planned leavers of the scenario.
  for (const auto& c : s->staffing)
    if (c.kind == StaffingChange::Kind::leave)
      for (size_t i = 0; i < r.model->workers().size(); ++i)
        if (r.model->workers()[i].id == c.worker_id)
          plan.workers[i].leave_month = std::min(plan.workers[i].leave_month, month_of(r, c.date));
  for (auto& w : extra) plan.workers.push_back(w);
  for (int32_t a = 0; a < s->agency_workers; ++a) {
    SimWorker w;
    w.team = team_index(r, s->agency_team);
    w.hours = r.capacity.standard_hours;
    w.cap = w.cap_after_asye = r.sw_cap;
    w.join_month = s->agency_from_month;
    w.leave_month = s->agency_from_month + s->agency_months;
    w.subject_to_turnover = false;
    plan.workers.push_back(w);
  }
  return plan;
}

template <class F>
void parallel_blocks(int32_t n_blocks, int32_t n_threads, F&& body) {
  const int32_t threads = std::max(1, std::min(n_threads, n_blocks));
  std::atomic<int32_t> next{0};
  std::exception_ptr error;
  std::mutex error_mu;
  auto run = [&] {
    for (;;) {
      const int32_t b = next.fetch_add(1);
      if (b >= n_blocks) return;
      try {
        body(b);
      } catch (...) {
        std::lock_guard lock(error_mu);
        if (!error) error = std::current_exception();
        next.store(n_blocks);
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int32_t i = 1; i < threads; ++i) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

// Bootstrap replicates of the estimated duration curves: each replicate
// resamples every estimated type's rows (closed, censored and their entry
// ages) with replacement and re-estimates Kaplan-Meier. A replicate with
// fewer than the five closures an estimate needs keeps the point estimate.
// Replicate b's draws are keyed by (seed, b, type), so replicates do not
// depend on the thread count.
void build_replicas(Resolved& r, uint64_t seed, int32_t n_threads) {
  bool any = false;
  for (const auto& rows : r.km_rows) any = any || !rows.d.empty();
  if (!any) return;
  const int32_t n = std::min(r.n_paths, kMaxReplicates);
  r.replicas.assign(static_cast<size_t>(n), {});
  parallel_blocks(n, n_threads, [&](int32_t b) {
    std::vector<Curve> curves = r.curves;
    for (size_t k = 0; k < r.km_rows.size(); ++k) {
      const Resolved::KmRows& rows = r.km_rows[k];
      const size_t m = rows.d.size();
      if (m == 0) continue;
      CounterRng rng(seed, static_cast<uint64_t>(b), kBootstrap, k);
      std::vector<double> d(m), entry(m);
      std::vector<bool> e(m);
      for (size_t i = 0; i < m; ++i) {
        const auto j = std::min(m - 1, static_cast<size_t>(rng.uniform() * static_cast<double>(m)));
        d[i] = rows.d[j];
        e[i] = rows.e[j];
        entry[i] = rows.entry[j];
      }
      const KaplanMeier km = projection_detail::kaplan_meier_delayed(d, e, entry);
      if (km.events >= 5) curves[k] = projection_detail::curve_from_km(km);
    }
    r.replicas[static_cast<size_t>(b)] = std::move(curves);
  });
}

ScenarioProjection run_scenario(const Resolved& r, const ProjectionOptions& o, const ScenarioPlan& plan,
                                int32_t n_threads, const Caseload& model) {
  const int32_t H = r.horizon, P = r.n_paths;
  const auto h = static_cast<size_t>(H);
  const size_t nteam = r.teams.size(), ntype = r.types.size();
  // Groups: organisation, service areas (sorted), team groups (sorted).
  std::set<std::string> area_set;
  for (const auto& t : r.teams) area_set.insert(t.service_area);
  const std::vector<std::string> areas(area_set.begin(), area_set.end());
  struct G {
    Level level;
    std::string name;
    std::vector<size_t> teams;
  };
  std::vector<G> groups;
  groups.push_back({Level::organisation, "organisation", {}});
  for (const auto& a : areas) groups.push_back({Level::service_area, a, {}});
  for (const auto& g : plan.team_groups) groups.push_back({Level::team, g, {}});
  for (size_t t = 0; t < nteam; ++t) {
    groups[0].teams.push_back(t);
    const auto a =
        static_cast<size_t>(std::lower_bound(areas.begin(), areas.end(), r.teams[t].service_area) - areas.begin());
    groups[1 + a].teams.push_back(t);
    groups[1 + areas.size() + static_cast<size_t>(plan.group_of_team[t])].teams.push_back(t);
  }
  const size_t ng = groups.size();
  if (static_cast<double>(P) * static_cast<double>(ng) * H * 2 > kMaxCells)
    throw Error(ErrorCode::limit_exceeded, "options: n_paths * groups * horizon is too large (" + std::to_string(P) +
                                               " paths, " + std::to_string(ng) + " groups, " + std::to_string(H) +
                                               " months); use fewer paths");
  std::vector<double> W(static_cast<size_t>(P) * ng * h), C(W.size());
  const int32_t n_blocks = (P + kBlock - 1) / kBlock;
  // Block sums of the expectations: [block][team * H + m] and by type.
  struct Sums {
    std::vector<double> fte, open, arrivals, by_type;
  };
  std::vector<Sums> sums(static_cast<size_t>(n_blocks));
  parallel_blocks(n_blocks, n_threads, [&](int32_t b) {
    Sums& s = sums[static_cast<size_t>(b)];
    s.fte.assign(nteam * h, 0);
    s.open.assign(nteam * h, 0);
    s.arrivals.assign(nteam * h, 0);
    s.by_type.assign(nteam * ntype * h, 0);
    PathOut out;
    for (int32_t p = b * kBlock; p < std::min(P, (b + 1) * kBlock); ++p) {
      simulate_path(r, plan, o.supply, o.seed, p, out);
      for (size_t i = 0; i < nteam * h; ++i) {
        s.fte[i] += out.fte[i];
        s.open[i] += out.open[i];
        s.arrivals[i] += out.arrivals[i];
      }
      for (size_t i = 0; i < out.by_type.size(); ++i) s.by_type[i] += out.by_type[i];
      for (size_t g = 0; g < ng; ++g)
        for (size_t m = 0; m < h; ++m) {
          double w = 0, c = 0;
          for (const size_t t : groups[g].teams) {
            w += out.workload[t * h + m];
            c += out.capacity[t * h + m];
          }
          const size_t idx = (static_cast<size_t>(p) * ng + g) * h + m;
          W[idx] = w;
          C[idx] = c;
        }
    }
  });
  std::vector<double> fte(nteam * h, 0), open(nteam * h, 0), arrivals(nteam * h, 0), by_type(nteam * ntype * h, 0);
  for (const Sums& s : sums) {
    for (size_t i = 0; i < nteam * h; ++i) {
      fte[i] += s.fte[i];
      open[i] += s.open[i];
      arrivals[i] += s.arrivals[i];
    }
    for (size_t i = 0; i < by_type.size(); ++i) by_type[i] += s.by_type[i];
  }
  const double inv_p = 1.0 / P;

  // Today's figures per team: the model's own loads, so "now" is the figure
  // the roll-ups give (points case holders hold over their capacity), not a
  // second count. The months ahead also carry the team's unallocated cases
  // and any a manager holds: work the case holders will have to take on.
  std::vector<double> now_points(nteam, 0), now_capacity(nteam, 0), now_fte(nteam, 0);
  const auto& loads = model.worker_loads();
  for (size_t i = 0; i < loads.size(); ++i) {
    const auto t = static_cast<size_t>(r.workers[i].team);
    if (loads[i].case_holding) {
      now_points[t] += loads[i].points;
      now_capacity[t] += loads[i].capacity;
    }
    now_fte[t] += loads[i].fte;
  }

  const SchemeVersion& v = model.scheme_version();
  ScenarioProjection sp;
  sp.name = plan.name;
  std::vector<double> u(static_cast<size_t>(P)), d(static_cast<size_t>(P));
  std::vector<char> any(static_cast<size_t>(P));
  for (size_t g = 0; g < ng; ++g) {
    GroupProjection gp;
    gp.level = groups[g].level;
    gp.group = groups[g].name;
    if (o.safe_level) {
      gp.safe_level = *o.safe_level;
    } else if (gp.level == Level::organisation) {
      gp.safe_level = v.default_service_area.thresholds.amber_to;
    } else {
      gp.safe_level = v.service_area(r.teams[groups[g].teams.front()].service_area).thresholds.amber_to;
    }
    double pts = 0, cap = 0, f = 0;
    int64_t holders = 0;
    for (const size_t t : groups[g].teams) {
      pts += now_points[t];
      cap += now_capacity[t];
      f += now_fte[t];
      holders += r.teams[t].case_holding_workers;
    }
    gp.current_utilisation = rules::utilisation(pts, cap);
    gp.current_fte = f;
    gp.case_holding_workers = holders;
    std::fill(any.begin(), any.end(), 0);
    for (size_t m = 0; m < h; ++m) {
      GroupMonth gm;
      gm.month = static_cast<int32_t>(m + 1);
      gm.date = Date{r.as_of.days + r.month_day[m + 1]};
      for (const size_t t : groups[g].teams) {
        gm.expected_open_cases += open[t * h + m] * inv_p;
        gm.expected_new_cases += arrivals[t * h + m] * inv_p;
        gm.expected_fte += fte[t * h + m] * inv_p;
      }
      double sum_w = 0, sum_c = 0, sum_u = 0;
      int64_t n_u = 0, breaches = 0, any_breaches = 0;
      for (int32_t p = 0; p < P; ++p) {
        const size_t idx = (static_cast<size_t>(p) * ng + g) * h + m;
        const double w = W[idx], c = C[idx];
        sum_w += w;
        sum_c += c;
        double x = 0;
        if (c > 0) {
          x = w / c;
          sum_u += x;
          ++n_u;
        } else {
          x = w > 0 ? std::numeric_limits<double>::infinity() : 0.0;
        }
        u[static_cast<size_t>(p)] = x;
        const bool breach = x > gp.safe_level;
        breaches += breach ? 1 : 0;
        if (breach) any[static_cast<size_t>(p)] = 1;
        any_breaches += any[static_cast<size_t>(p)];
        // Added FTE x breaches iff w / (c + x * target) > safe iff x < (w / safe - c) / target.
        d[static_cast<size_t>(p)] = (w / gp.safe_level - c) / r.capacity.target_points;
      }
      gm.expected_workload = sum_w * inv_p;
      gm.expected_capacity = sum_c * inv_p;
      gm.expected_utilisation = n_u > 0 ? sum_u / static_cast<double>(n_u) : std::numeric_limits<double>::quiet_NaN();
      gm.p_breach = static_cast<double>(breaches) * inv_p;
      gm.p_any_breach = static_cast<double>(any_breaches) * inv_p;
      std::sort(u.begin(), u.end());
      for (const double q : o.quantiles) gm.utilisation_quantiles.push_back(nearest_rank(u, q));
      std::sort(d.begin(), d.end());
      // Nearest rank ceil((1 - alpha) P): at most floor(alpha P) paths lie above it.
      gm.required_fte = std::max(0.0, nearest_rank(d, 1 - o.alpha));
      gp.required_fte = std::max(gp.required_fte, gm.required_fte);
      for (size_t ty = 0; ty < ntype; ++ty) {
        double e = 0;
        for (const size_t t : groups[g].teams) e += by_type[(t * ntype + ty) * h + m] * inv_p;
        if (e > 0) gm.workload_by_case_type.emplace_back(r.types[ty], e);
      }
      gp.months.push_back(std::move(gm));
    }
    gp.expected_new_cases_next_month = gp.months.front().expected_new_cases;
    gp.expected_new_cases_per_worker =
        holders > 0 ? gp.expected_new_cases_next_month / static_cast<double>(holders) : 0.0;
    sp.groups.push_back(std::move(gp));
  }
  return sp;
}

}  // namespace

CapacityProjection project_capacity(const Caseload& model, const std::vector<ReferralCount>& referrals,
                                    const std::vector<CaseDuration>& closed_cases, const ProjectionOptions& options) {
  validate_options(options);
  const SchemeVersion& v = model.scheme_version();
  Resolved r;
  r.model = &model;
  r.as_of = model.as_of();
  r.horizon = options.horizon;
  r.n_paths = options.n_paths;
  for (int32_t m = 0; m <= r.horizon; ++m) r.month_day.push_back(static_cast<int32_t>(std::lround(m * kDaysPerMonth)));
  r.capacity = v.capacity;
  for (const auto& role : v.roles)
    if (role.is_asye && r.asye_role.empty()) {
      r.asye_role = role.name;
      r.asye_cap = role.capacity_cap;
    }
  if (const RoleRule* sw = v.find_role("social_worker")) r.sw_cap = sw->capacity_cap;

  resolve_survival(r, closed_cases, v);
  resolve_teams_and_cases(r, model);
  validate_staffing(r, options.staffing, "staffing", v);
  validate_scenarios(r, options, v);
  resolve_demand(r, referrals, options);
  resolve_workers(r, model, options.staffing, r.workers, options.supply);

  const int32_t threads = options.n_threads > 0
                              ? options.n_threads
                              : static_cast<int32_t>(std::max(1u, std::thread::hardware_concurrency()));
  build_replicas(r, options.seed, threads);
  r.recorded_absent.assign(static_cast<size_t>(r.horizon) + 1, 0.0);
  if (!model.workers().empty())
    for (int32_t m = 1; m <= r.horizon; ++m) {
      const Date d{r.as_of.days + r.month_day[static_cast<size_t>(m)]};
      double absent = 0;
      for (const Worker& w : model.workers())
        if (rules::reduction_hours_on(w, d) >= w.contracted_hours) absent += 1;
      r.recorded_absent[static_cast<size_t>(m)] = absent / static_cast<double>(model.workers().size());
    }
  CapacityProjection out;
  out.as_of = r.as_of;
  out.horizon = r.horizon;
  out.n_paths = r.n_paths;
  out.seed = options.seed;
  out.alpha = options.alpha;
  out.quantiles = options.quantiles;
  out.survival = r.survival;
  out.demand = r.demand;
  out.scenarios.push_back(run_scenario(r, options, make_plan(r, options, nullptr), threads, model));
  for (const Scenario& s : options.scenarios)
    out.scenarios.push_back(run_scenario(r, options, make_plan(r, options, &s), threads, model));
  return out;
}

}  // namespace caseload
