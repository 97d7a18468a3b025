// A synthetic league: published figures of many varied authorities, each
// computed from its own synthetic authority's health check.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/health_check.hpp"
#include "caseload/league.hpp"
#include "caseload/model.hpp"
#include "caseload/scheme.hpp"
#include "caseload/synthetic.hpp"
#include "base/random.hpp"

namespace caseload {

namespace {

// Small own generator (splitmix64, base/random.hpp): the sample must be the
// same for a seed everywhere; parameters are drawn with + - * / only.
using Draw = random::SplitMix64;

const char* const kRoots[] = {"Ash",  "Bram", "Carr",  "Dun",  "Elm",  "Fair",  "Glen", "Hart",  "Ivy",   "Kings",
                              "Lang", "Marl", "Nor",   "Oak",  "Pen",  "Quarr", "Rad",  "Sel",   "Thorn", "Ux",
                              "Wen",  "Yar",  "Brook", "Clay", "Down", "Fen",   "Gold", "Hazel", "Lyn",   "Stan"};
const char* const kEndings[] = {"shire", "ton", "ford", "borough", "ham", "field"};

std::string authority_name(int32_t i) {
  constexpr int32_t roots = static_cast<int32_t>(std::size(kRoots));
  const std::string base = std::string(kRoots[i % roots]) + kEndings[(i / roots) % std::size(kEndings)];
  const int32_t round = i / (roots * static_cast<int32_t>(std::size(kEndings)));
  return base + (round > 0 ? " " + std::to_string(round + 1) : std::string()) + " Council";
}

double over_target(const HealthCheck& hc, const std::string& area, double target) {
  double over = 0;
  for (const auto& w : hc.workers)
    if (w.case_holding && w.fte > 0 && (area == "all" || w.service_area == area) && w.cases / w.fte > target) over += 1;
  return over;
}

}  // namespace

std::vector<PublishedFigures> synthetic_league_sample(uint64_t seed, int32_t n) {
  if (n < 1 || n > 1000)
    throw Error(ErrorCode::invalid_argument,
                "synthetic_league_sample: n must be in [1, 1000], got " + std::to_string(n));
  Draw d(seed ^ 0x6c6561677565ull);  // "league"
  const WeightingScheme scheme = WeightingScheme::default_scheme();
  static const double kTargets[] = {12, 14, 15, 16, 16, 18, 18, 20, 22};
  std::vector<PublishedFigures> out;
  for (int32_t i = 0; i < n; ++i) {
    SyntheticOptions o;
    o.seed = d.next();
    // Sizes from small unitary authorities to large counties: log-uniform 30..450.
    o.workers = static_cast<int32_t>(std::lround(30 * std::pow(15.0, d.uniform(0, 1))));
    o.history_weeks = 56;
    o.caseload_pressure = d.uniform(0.75, 1.3);
    o.agency_share = d.uniform(0.03, 0.35);
    o.asye_share = d.uniform(0.04, 0.18);
    o.asye_breach_share = d.uniform(0, 0.35);
    const SyntheticAuthority a = synthetic_authority(o);
    const Caseload model(scheme, a.workers, a.cases, a.as_of);
    HealthCheckOptions hopt;
    hopt.organisation = authority_name(i);
    const HealthCheck hc = health_check(model, &a.snapshots, hopt);

    // What the authority publishes: a target (sometimes none), whether it
    // is contractual, and staffing figures (each withheld now and then, as
    // many councils cannot say).
    const bool has_target = d.chance(0.9);
    const double target = d.pick(kTargets);
    const double contractual_draw = d.uniform(0, 1);
    const bool publishes_weeks = d.chance(0.6);
    const double vacancy = d.uniform(0.05, 0.35), turnover = d.uniform(0.08, 0.28);
    const bool has_vacancy = d.chance(0.9), has_turnover = d.chance(0.85), has_agency = d.chance(0.9);
    double agency_workers = 0;
    for (const auto& w : a.workers) agency_workers += w.agency ? 1 : 0;

    auto figures = [&](const Rollup& r, const std::string& area) {
      PublishedFigures f;
      f.organisation = hc.organisation;
      f.service_area = area;
      f.case_holding_fte = std::round(r.case_holding_fte * 10) / 10;
      f.cases = r.cases;
      f.workers = static_cast<double>(r.case_holding_workers);
      if (has_target) {
        f.stated_benchmark = target;
        f.workers_over_benchmark = over_target(hc, area, target);
        if (contractual_draw < 0.3)
          f.benchmark_contractual = true;
        else if (contractual_draw < 0.9)
          f.benchmark_contractual = false;
      }
      f.asye_workers = static_cast<double>(r.asye_workers);
      f.asye_protected = static_cast<double>(r.asye_protected);
      return f;
    };
    PublishedFigures all = figures(hc.organisation_rollup, "all");
    if (publishes_weeks) {
      double weeks = 0;
      for (const auto& p : hc.timeline)
        if (p.date.days > a.as_of.days - 365 && p.workers_over > 0) weeks += 1;
      all.exceedance_weeks_past_year = std::min(weeks, 53.0);
    }
    if (has_vacancy) all.vacancy_rate = std::round(vacancy * 1000) / 1000;
    if (has_turnover) all.turnover_rate = std::round(turnover * 1000) / 1000;
    if (has_agency) all.agency_rate = std::round(agency_workers / static_cast<double>(a.workers.size()) * 1000) / 1000;
    out.push_back(all);
    for (const auto& r : hc.service_areas) out.push_back(figures(r, r.group));
  }
  return out;
}

}  // namespace caseload
