// The capacity projection's paths: a scenario's plan (its staffing, referral
// factors and supply), one joint Monte Carlo path of demand, open caseload
// and supply per team, and the bootstrap replicates of the duration curves.
//
// Determinism: every random draw comes from a CounterRng keyed by (seed,
// path, what, which), so a path's numbers do not depend on the thread that
// runs it.
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

namespace caseload::projection_detail {

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

// Bootstrap replicates of the estimated duration curves: each replicate
// resamples every estimated type's rows (closed, censored and their entry
// ages) with replacement and re-estimates Kaplan-Meier. A replicate with
// fewer than the five closures an estimate needs keeps the point estimate.
// Replicate b's draws are keyed by (seed, b, type), so replicates do not
// depend on the thread count.
void build_replicas(Resolved& r, uint64_t seed, int32_t n_threads, const Cancel* cancel) {
  bool any = false;
  for (const auto& rows : r.km_rows) any = any || !rows.d.empty();
  if (!any) return;
  const int32_t n = std::min(r.n_paths, kMaxReplicates);
  r.replicas.assign(static_cast<size_t>(n), {});
  parallel_blocks(n, n_threads, cancel, [&](int32_t b) {
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

}  // namespace caseload::projection_detail
