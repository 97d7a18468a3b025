// Referral history and case durations for a synthetic authority
// (synthetic.hpp, docs/projection.md). Each team's referrals are Poisson
// around its steady-state rate (open cases by type over the type's mean
// duration, Little's law, under the projection's default duration curves),
// times a seasonal factor; each simulated case gets a duration from the
// same curves, so the projection's Kaplan-Meier estimates recover them.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/synthetic.hpp"
#include "base/json.hpp"
#include "projection/projection_internal.hpp"

namespace caseload {

namespace {

using projection_detail::CounterRng;
using projection_detail::Curve;

// Referral seasonality by calendar month (mean 1): schools refer less in the
// August holidays and catch up in September; July is busy before the break
// (domain.md). The sizes are assumptions documented in docs/projection.md.
constexpr double kSeason[12] = {1.02, 1.0, 1.03, 0.98, 1.0, 1.0, 1.05, 0.82, 1.10, 1.04, 1.0, 0.96};

}  // namespace

SyntheticHistory synthetic_history(const SyntheticAuthority& a, uint64_t seed, int32_t months, double seasonality) {
  if (months < 3 || months > 240)
    throw Error(ErrorCode::invalid_argument,
                "synthetic_history: months must be in [3, 240], got " + std::to_string(months));
  if (!(seasonality >= 0 && seasonality <= 4))
    throw Error(ErrorCode::invalid_argument,
                "synthetic_history: seasonality must be in [0, 4], got " + std::to_string(seasonality));
  std::map<std::string, std::string> team_of;
  for (const auto& w : a.workers) team_of[w.id] = w.team;
  std::map<std::string, Curve> curves;
  std::map<std::string, std::map<std::string, double>> stock;  // team -> type -> cases
  for (const auto& c : a.cases) {
    if (!curves.count(c.case_type)) curves[c.case_type] = projection_detail::default_curve(c.case_type);
    const std::string team = c.allocations.empty() ? c.team : team_of[c.allocations.front().worker_id];
    stock[team][c.case_type] += 1;
  }
  SyntheticHistory h;
  int y0 = 0, m0 = 0, d0 = 0;
  a.as_of.to_ymd(y0, m0, d0);
  const int32_t last = y0 * 12 + (m0 - 1), first_month = last - months + 1;
  const Date window = Date::from_ymd(first_month / 12, first_month % 12 + 1, 1);
  // The table is what a case-management extract holds: every case closed
  // in the window (including those opened before it, which a projection
  // needs for the hazard at old ages) plus the cases open on as_of. Those
  // open cases are the authority's own (their ages follow the same curves'
  // equilibrium, synthetic.cpp), so simulated cases still open on as_of are
  // left out: keeping both would count the open stock twice and halve the
  // estimated hazard. Arrivals are simulated from early enough that any
  // case closing in the window could have opened.
  double support = 0;
  for (const auto& [type, curve] : curves) support = std::max(support, curve.t.back());
  const int32_t lead = static_cast<int32_t>(support / projection_detail::kDaysPerMonth) + 1;
  uint64_t team_no = 0;
  for (const auto& [team, types] : stock) {
    ++team_no;
    std::vector<std::string> names;
    std::vector<double> cum;
    double rate = 0;
    for (const auto& [type, n] : types) {
      const double r = n / (curves[type].mean / projection_detail::kDaysPerMonth);
      rate += r;
      names.push_back(type);
      cum.push_back(rate);
    }
    for (int32_t k = first_month - lead; k <= last; ++k) {
      const int y = k / 12, m = k % 12 + 1;
      CounterRng rng(seed, team_no, 101, static_cast<uint64_t>(k));
      const int64_t n = rng.poisson(rate * (1 + seasonality * (kSeason[m - 1] - 1)));
      if (k >= first_month) h.referrals.push_back({team, Date::from_ymd(y, m, 1), static_cast<double>(n)});
      const Date first = Date::from_ymd(y, m, 1);
      const Date next = m == 12 ? Date::from_ymd(y + 1, 1, 1) : Date::from_ymd(y, m + 1, 1);
      for (int64_t i = 0; i < n; ++i) {
        CounterRng cr(seed, team_no, 102, static_cast<uint64_t>(k), static_cast<uint64_t>(i));
        const double u = cr.uniform() * rate;
        const auto t =
            std::min(static_cast<size_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin()), names.size() - 1);
        // Opening and closing instants are continuous; a table holds their
        // dates, so a duration is a difference of two dates (unbiased), not
        // the duration cut to whole days (half a day short on average).
        const double at = first.days + cr.uniform() * days_between(first, next);
        const double dur = curves[names[t]].residual(0, cr.uniform());
        const Date opened{static_cast<int32_t>(std::floor(at))};
        const Date closed{static_cast<int32_t>(std::floor(at + dur))};
        if (closed > a.as_of || closed < window) continue;  // open on as_of, or closed before the window
        CaseDuration d;
        d.case_id = "H" + std::to_string(team_no) + "-" + std::to_string(k) + "-" + std::to_string(i);
        d.case_type = names[t];
        d.opened = opened;
        d.closed = closed;
        h.durations.push_back(std::move(d));
      }
    }
  }
  for (const auto& c : a.cases) h.durations.push_back({c.id, c.case_type, c.opened, std::nullopt});
  return h;
}

std::string synthetic_history_to_json(const SyntheticHistory& h) {
  json::Array refs, durs;
  refs.reserve(h.referrals.size());
  for (const auto& r : h.referrals)
    refs.push_back(json::Object{{"team", r.team}, {"period", r.period.to_string()}, {"count", r.count}});
  durs.reserve(h.durations.size());
  for (const auto& d : h.durations)
    durs.push_back(json::Object{{"case_id", d.case_id},
                                {"case_type", d.case_type},
                                {"opened", d.opened.to_string()},
                                {"closed", d.closed ? json::Value(d.closed->to_string()) : json::Value(nullptr)}});
  return json::dump(json::Value(json::Object{{"referrals", std::move(refs)}, {"closed_cases", std::move(durs)}}));
}

}  // namespace caseload
