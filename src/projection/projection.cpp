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
#include <utility>
#include <vector>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"
#include "caseload/forecast.hpp"
#include "caseload/projection.hpp"
#include "model/rules.hpp"
#include "projection/projection_internal.hpp"

namespace caseload {

namespace projection_detail {

namespace {

// Streams, helpers and working types are in projection_internal.hpp.

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
  parallel_blocks(n_blocks, n_threads, o.cancel, [&](int32_t b) {
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

}  // namespace projection_detail

CapacityProjection project_capacity(const Caseload& model, const std::vector<ReferralCount>& referrals,
                                    const std::vector<CaseDuration>& closed_cases, const ProjectionOptions& options) {
  using namespace projection_detail;
  threads::check_cancel(options.cancel, "project_capacity");
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
  validate_staffing(r, options.staffing, "options: staffing", v);
  validate_scenarios(r, options, v);
  resolve_demand(r, referrals, options);
  resolve_workers(r, model, options.staffing, r.workers, options.supply);

  // 0 = hardware concurrency, resolved (and capped) by base/threads.hpp.
  const int32_t threads = options.n_threads;
  build_replicas(r, options.seed, threads, options.cancel);
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
