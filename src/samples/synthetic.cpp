// A synthetic English local authority, calibrated to /work/shared/domain.md
// and documented (target vs achieved) in docs/sample_authority.md.
//
// Platform independence: every random number comes from our own xoshiro256**
// and every sample from our own code using only +, -, *, /, sqrt, floor and
// ldexp (all exactly rounded in IEEE 754), so the same options give the
// same authority with any standard library. std:: distributions are
// implementation-defined and would not.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/model.hpp"
#include "caseload/scheme.hpp"
#include "caseload/synthetic.hpp"
#include "projection/projection_internal.hpp"
#include "base/random.hpp"
#include "base/stats.hpp"

namespace caseload {

namespace {

// ---------------------------------------------------------------- numbers

// exp and log from basic operations only (see the file comment), and the
// generator whose samplers use them (base/random.hpp).
using random::det_exp;
using Rng = random::PortableRng;

double round_to(double v, double step) {
  return std::floor(v / step + 0.5) * step;
}

Date plus(Date d, int32_t days) {
  return Date{d.days + days};
}

std::string padded(const char* prefix, size_t n, int width) {
  std::string digits = std::to_string(n);
  if (digits.size() < static_cast<size_t>(width)) digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  return prefix + digits;
}

// ---------------------------------------------------------------- calibration
// Figures and their sources are in docs/sample_authority.md.

struct AreaProfile {
  const char* name;
  const char* label;
  double cases_per_fte;  // mean for a fully available experienced worker
  std::vector<std::pair<const char*, double>> case_mix;
  double expected_new_cases;  // per worker per month (health-check survey)
};

const std::vector<AreaProfile>& area_profiles() {
  static const std::vector<AreaProfile> profiles = {
      {"assessment",
       "Assessment",
       14.8,
       {{"assessment", 0.80}, {"child_in_need", 0.17}, {"child_protection", 0.03}},
       7},
      {"children_in_need",
       "Children in Need",
       18.3,
       {{"child_in_need", 0.74}, {"child_protection", 0.20}, {"pre_proceedings", 0.06}},
       2.5},
      {"child_protection",
       "Child Protection",
       17.5,
       {{"child_protection", 0.62}, {"child_in_need", 0.18}, {"pre_proceedings", 0.10}, {"care_proceedings", 0.10}},
       2},
      {"looked_after",
       "Children Looked After",
       18.0,
       {{"looked_after", 0.52}, {"care_leaver", 0.38}, {"care_proceedings", 0.10}},
       1},
      {"disabled_children",
       "Disabled Children",
       19.2,
       {{"disabled_children", 0.72}, {"child_in_need", 0.18}, {"looked_after", 0.10}},
       1.5},
      {"adults", "Adults", 22.0, {{"adult_review", 0.50}, {"adult_assessment", 0.32}, {"adult_safeguarding", 0.18}}, 4},
  };
  return profiles;
}

// Order in which service areas receive teams: an authority of 15 teams gets
// 3 assessment, 3 CIN, 3 CP, 3 looked-after, 1 disabled children, 2 adults.
constexpr int kTeamPattern[] = {0, 1, 2, 3, 5, 0, 1, 2, 3, 4, 0, 1, 2, 3, 5};
constexpr const char* kLocalities[] = {"North", "South", "East", "West", "Central", "Riverside", "Hillside", "Coast"};

// Age in days of a case open on as_of, from the equilibrium of its type's
// duration curve (the projection's documented default, docs/projection.md).
// A stock fed at a steady rate is length-biased: a case open today has a
// total duration D with density x f(x) / E[D], and its age is uniform on
// (0, D), so the ages have density S(a) / E[D]. Drawing ages any other way
// (e.g. uniform on an unbiased duration) makes the stock younger or older
// than its closures imply, and a projection of it drifts instead of holding
// level. The curve is piecewise linear in S, so D is uniform within each
// segment before the bias: the segment is picked with weight mass x mean
// duration, and D within it by inverting the density proportional to x.
double equilibrium_age_days(Rng& rng, const projection_detail::Curve& curve) {
  std::vector<double> weights(curve.t.size() - 1);
  for (size_t i = 0; i + 1 < curve.t.size(); ++i)
    weights[i] = (curve.s[i] - curve.s[i + 1]) * (curve.t[i] + curve.t[i + 1]) / 2;
  const size_t i = rng.pick(weights);
  const double lo = curve.t[i], hi = curve.t[i + 1];
  const double d = std::sqrt(lo * lo + rng.uniform() * (hi * hi - lo * lo));
  return rng.uniform() * d;
}

bool is_adult_type(const std::string& type) {
  return type.rfind("adult_", 0) == 0;
}

// Children per family among children's cases (siblings share a worker).
int32_t sample_siblings(Rng& rng) {
  static const std::vector<double> shares = {55, 25, 12, 5, 3};
  return static_cast<int32_t>(rng.pick(shares)) + 1;
}

// Seasonal referral pressure on utilisation (log scale): schools refer
// less in August and catch up in September (domain.md).
double seasonal(Date d) {
  int y = 0, m = 0, day = 0;
  d.to_ymd(y, m, day);
  switch (m) {
    case 7:
      return 0.04;
    case 8:
      return -0.08;
    case 9:
      return 0.05;
    case 10:
      return 0.02;
    case 12:
      return -0.03;
    default:
      return 0;
  }
}

// ---------------------------------------------------------------- generator

struct TeamInfo {
  std::string name;
  const AreaProfile* area;
  std::vector<size_t> members;  // indices into workers
};

struct WorkerPlan {
  int32_t target_cases = 0;
  int32_t held = 0;
  bool sick = false;
  bool case_holding = true;
  bool asye = false;
  bool experienced = false;
};

class Generator {
 public:
  Generator(const SyntheticOptions& options, const WeightingScheme& scheme)
      : opt_(options), scheme_(scheme), version_(scheme.at(options.as_of)), rng_(options.seed) {}

  SyntheticAuthority run() {
    SyntheticAuthority a;
    a.as_of = opt_.as_of;
    make_teams();
    make_workers(a.workers);
    make_cases(a.workers, a.cases);
    make_survey(a.workers);
    make_snapshots(a);
    return a;
  }

 private:
  bool has_role(const char* name) const { return version_.find_role(name) != nullptr; }

  void make_teams() {
    const int32_t n_teams = std::max(1, static_cast<int32_t>(std::lround(opt_.workers / 12.0)));
    int used[6] = {0, 0, 0, 0, 0, 0};
    for (int32_t t = 0; t < n_teams; ++t) {
      const int a = kTeamPattern[t % 15];
      const AreaProfile& area = area_profiles()[static_cast<size_t>(a)];
      const int k = used[a]++;
      std::string name = area.label;
      name += ' ';
      name += k < 8 ? std::string(kLocalities[k]) : std::to_string(k + 1);
      teams_.push_back({std::move(name), &area, {}});
    }
  }

  void make_workers(std::vector<Worker>& workers) {
    const int32_t total = opt_.workers;
    const auto n_teams = static_cast<int32_t>(teams_.size());
    // Team sizes: an even split, then random moves between teams that keep
    // every team within 8-14 (the spread seen in real establishments).
    std::vector<int32_t> sizes(static_cast<size_t>(n_teams), total / n_teams);
    for (int32_t i = 0; i < total % n_teams; ++i) ++sizes[static_cast<size_t>(i)];
    for (int32_t move = 0; move < n_teams * 2; ++move) {
      const auto from = rng_.below(static_cast<uint64_t>(n_teams)), to = rng_.below(static_cast<uint64_t>(n_teams));
      if (from != to && sizes[from] > 8 && sizes[to] < 14) {
        --sizes[from];
        ++sizes[to];
      }
    }
    // Role quotas over the whole authority make the mix exact rather than
    // binomial: one manager per team, ~10% ASYE (DfE: 6,028 starters a
    // year), ~4% family support workers, the rest by seniority.
    const int32_t non_managers = total - n_teams;
    auto quota = [&](double share) { return static_cast<int32_t>(std::lround(share * total)); };
    std::vector<std::string> roles;
    auto add_roles = [&](const char* role, int32_t n) {
      if (!has_role(role)) return;
      for (int32_t i = 0; i < n && static_cast<int32_t>(roles.size()) < non_managers; ++i) roles.emplace_back(role);
    };
    add_roles("asye", quota(opt_.asye_share));
    add_roles("family_support_worker", quota(0.04));
    add_roles("advanced_practitioner", quota(0.07));
    add_roles("senior_practitioner", quota(0.17));
    while (static_cast<int32_t>(roles.size()) < non_managers) roles.emplace_back("social_worker");
    rng_.shuffle(roles);

    // Agency: 17.8% of children's social work FTE (DfE 2023), never ASYEs
    // or managers; chosen by quota among the eligible.
    std::vector<size_t> eligible;
    for (size_t i = 0; i < roles.size(); ++i)
      if (roles[i] != "asye" && roles[i] != "family_support_worker") eligible.push_back(i);
    rng_.shuffle(eligible);
    std::vector<bool> agency(roles.size(), false);
    const auto n_agency = std::min(eligible.size(), static_cast<size_t>(quota(opt_.agency_share)));
    for (size_t i = 0; i < n_agency; ++i) agency[eligible[i]] = true;

    static const char* const kSkills[] = {"court", "child_protection", "disability", "mental_health", "domestic_abuse",
                                          "bsl",   "polish",           "urdu"};
    size_t next_role = 0;
    for (size_t t = 0; t < teams_.size(); ++t) {
      for (int32_t k = 0; k < sizes[t]; ++k) {
        Worker w;
        WorkerPlan plan;
        w.id = padded("W", workers.size() + 1, 4);
        w.team = teams_[t].name;
        w.service_area = teams_[t].area->name;
        bool is_agency = false;
        if (k == 0) {
          w.role = has_role("team_manager") ? "team_manager" : "senior_practitioner";
        } else {
          is_agency = agency[next_role];
          w.role = roles[next_role++];
        }
        w.agency = is_agency;
        const RoleRule* rule = version_.find_role(w.role);
        plan.case_holding = rule != nullptr && rule->case_holding;
        plan.asye = rule != nullptr && rule->is_asye;

        // Hours: 37 for most; part-time patterns for about one in seven.
        w.contracted_hours = 37;
        if (!is_agency && k != 0 && rng_.chance(0.15)) {
          static const double kPartTime[] = {18.5, 22.5, 30, 30, 33};
          w.contracted_hours = kPartTime[rng_.below(5)];
        }

        if (plan.asye) {
          w.experience_years = round_to(rng_.uniform(0.05, 0.95), 0.05);
          w.experience_level = "newly_qualified";
        } else if (w.role == "social_worker") {
          w.experience_years = round_to(rng_.uniform(1, 9), 0.5);
          w.experience_level = w.experience_years >= 3 ? "experienced" : "early_career";
        } else {
          w.experience_years = round_to(rng_.uniform(4, 25), 0.5);
          w.experience_level = w.role == "family_support_worker" ? "experienced" : "senior";
        }
        plan.experienced = !plan.asye && plan.case_holding && w.experience_years >= 2;
        const auto tenure_days = static_cast<int32_t>(
            plan.asye ? w.experience_years * 365 : std::min(w.experience_years * 365, rng_.uniform(60, 3650)));
        w.start_date = plus(opt_.as_of, -tenure_days);
        for (const char* skill : kSkills)
          if (rng_.chance(0.12)) w.skills.emplace_back(skill);

        make_reductions(w, plan);
        workers.push_back(std::move(w));
        plans_.push_back(plan);
        teams_[t].members.push_back(workers.size() - 1);
      }
    }
  }

  void make_reductions(Worker& w, WorkerPlan& plan) {
    const Date as_of = opt_.as_of;
    if (plan.asye) {
      // 10% protected development time for the ASYE year (domain.md).
      Reduction r;
      r.reason = "ASYE development time";
      r.percent = 10;
      r.start = w.start_date;
      r.end = plus(*w.start_date, 364);
      w.reductions.push_back(std::move(r));
    }
    const double u = rng_.uniform();
    Reduction r;
    if (!plan.asye && plan.case_holding && u < 0.03) {
      // Long-term sickness (DfE sickness absence 3.2%): cases reallocated.
      plan.sick = true;
      r.reason = "Long-term sickness";
      r.percent = 100;
      r.start = plus(as_of, -rng_.between(21, 150));
      r.end = plus(as_of, rng_.between(14, 90));
    } else if (u < 0.05) {
      r.reason = "Phased return";
      r.percent = 50;
      r.start = plus(as_of, -rng_.between(7, 28));
      r.end = plus(as_of, rng_.between(14, 42));
    } else if (u < 0.07) {
      r.reason = "Union facility time";
      r.percent = 20;
    } else if (u < 0.19) {
      r.reason = "Training/CPD";
      r.hours = 3.7;
      r.start = plus(as_of, -rng_.between(0, 120));
      r.end = plus(*r.start, rng_.between(90, 270));
    } else if (u < 0.23) {
      // Already over: kept as history, not counted on as_of.
      r.reason = "Phased return";
      r.percent = 50;
      r.end = plus(as_of, -rng_.between(30, 200));
      r.start = plus(*r.end, -rng_.between(14, 42));
    } else {
      return;
    }
    w.reductions.push_back(std::move(r));
  }

  // ---- cases

  double equilibrium_age(const std::string& type) {
    auto it = curves_.find(type);
    if (it == curves_.end()) it = curves_.emplace(type, projection_detail::default_curve(type)).first;
    return equilibrium_age_days(rng_, it->second);
  }

  std::string pick_case_type(const AreaProfile& area) {
    std::vector<double> weights;
    std::vector<const char*> names;
    for (const auto& [name, share] : area.case_mix) {
      if (version_.find_case_type(name) == nullptr) continue;
      names.push_back(name);
      weights.push_back(share);
    }
    if (names.empty()) return version_.case_types.front().name;
    return names[rng_.pick(weights)];
  }

  bool cowork_only(const std::string& type) const {
    const CaseTypeRule* rule = version_.find_case_type(type);
    return rule != nullptr && rule->asye_cowork_only;
  }

  void add_factor(Case& c, const char* name) {
    if (version_.find_factor(name) != nullptr) c.factors.emplace_back(name);
  }

  void add_task(Case& c, const char* type, Date created, Date due, bool completed = false) {
    if (version_.find_task(type) == nullptr) return;
    Task t;
    t.type = type;
    t.created = created;
    t.due = due;
    t.completed = completed;
    c.tasks.push_back(std::move(t));
  }

  // One family's cases (siblings share type, date, worker and factors).
  std::vector<Case> make_family(const AreaProfile& area, const std::string& team, int32_t max_children) {
    const std::string type = pick_case_type(area);
    const bool adult = is_adult_type(type);
    int32_t children =
        (adult || type == "care_leaver") ? 1 : std::min(sample_siblings(rng_), std::max(1, max_children));
    const Date as_of = opt_.as_of;
    // Unallocated cases (awaiting allocation or re-allocation after a worker
    // left) are part of the same stock, so their ages follow it too: giving
    // them ages of recent referrals would leave the stock short of old cases
    // that its closures imply.
    const auto age = static_cast<int32_t>(equilibrium_age(type));
    const Date opened = plus(as_of, -age);
    std::string family_id;
    if (children > 1) family_id = padded("F", ++families_, 5);

    Case proto;
    proto.family_id = family_id;
    proto.case_type = type;
    proto.opened = opened;
    proto.team = team;
    if (type == "care_proceedings") add_factor(proto, "court_proceedings");
    if (children >= 4) add_factor(proto, "large_sibling_group");
    if (rng_.chance(type == "looked_after" ? 0.12 : 0.02)) add_factor(proto, "out_of_area");
    if (rng_.chance(0.06)) add_factor(proto, "interpreter");
    if (rng_.chance(type == "child_protection" || type == "child_in_need" || type == "pre_proceedings" ? 0.15
                    : type == "adult_safeguarding"                                                     ? 0.12
                                                                                                       : 0.02))
      add_factor(proto, "domestic_abuse");
    if (rng_.chance(type == "disabled_children" ? 0.3 : adult ? 0.15 : 0.04)) add_factor(proto, "complex_health");

    // Statutory tasks with due dates (tasks count from created to due).
    if (type == "assessment") {
      // The write-up: the last two weeks before the 45-working-day deadline.
      add_task(proto, "single_assessment", plus(opened, 49), plus(opened, 63));
    } else if (type == "adult_assessment") {
      add_task(proto, "care_act_assessment", plus(opened, 14), plus(opened, 28));
    } else if (type == "care_proceedings" ? rng_.chance(0.35) : type == "pre_proceedings" && rng_.chance(0.15)) {
      add_task(proto, "court_report", plus(as_of, -rng_.between(0, 20)), plus(as_of, rng_.between(1, 28)));
    } else if (type == "child_protection" && rng_.chance(0.15)) {
      const Date created = std::max(opened, plus(as_of, -rng_.between(0, 10)));
      add_task(proto, "child_protection_conference", created, plus(as_of, rng_.between(1, 30)));
    }
    if ((type == "looked_after" || type == "child_protection") && rng_.chance(0.15))
      add_task(proto, "statutory_visit", plus(as_of, -rng_.between(0, 5)), plus(as_of, rng_.between(1, 14)));
    if (age > 60 && rng_.chance(0.1)) {
      const Date due = plus(as_of, -rng_.between(1, 30));
      add_task(proto, "statutory_visit", plus(due, -14), due, true);
    }

    std::vector<Case> family(static_cast<size_t>(children), proto);
    for (auto& c : family) c.id = padded("C", ++cases_, 6);
    return family;
  }

  // The experienced worker in the team with most room left, or none.
  std::optional<size_t> pick_partner(const TeamInfo& team, size_t except) const {
    std::optional<size_t> best;
    int32_t best_room = 0;
    for (const size_t m : team.members) {
      const WorkerPlan& p = plans_[m];
      if (m == except || !p.experienced || p.sick) continue;
      const int32_t room = p.target_cases - p.held;
      if (!best || room > best_room) {
        best = m;
        best_room = room;
      }
    }
    return best;
  }

  void make_cases(const std::vector<Worker>& workers, std::vector<Case>& cases) {
    const std::optional<double> asye_cap = [&]() -> std::optional<double> {
      const RoleRule* r = version_.find_role("asye");
      return r ? r->max_cases : std::nullopt;
    }();
    // Targets: cases per FTE ~ Gamma(shape 30) around the area mean, so the
    // DfE average of 16 comes with the spread practitioners report (a fifth
    // at 20-25, a few beyond 25).
    for (size_t i = 0; i < workers.size(); ++i) {
      WorkerPlan& p = plans_[i];
      const Worker& w = workers[i];
      if (!p.case_holding || p.sick) continue;
      const double fte = w.contracted_hours / version_.capacity.standard_hours;
      const AreaProfile* area = nullptr;
      for (const auto& t : teams_)
        if (t.name == w.team) area = t.area;
      if (p.asye) {
        // Protected caseload: mostly within the cap, a few breaches.
        const double cap = asye_cap ? *asye_cap : 12;
        p.target_cases = rng_.chance(opt_.asye_breach_share)
                             ? static_cast<int32_t>(cap) + rng_.between(1, 3)
                             : static_cast<int32_t>(std::lround(rng_.uniform(0.55, 0.85) * cap * fte));
      } else {
        double cpf = rng_.gamma(30, area->cases_per_fte / 30);
        if (w.role == "advanced_practitioner") cpf *= 0.8;  // part of the week is practice leadership
        cpf *= opt_.caseload_pressure;  // exact at the default 1.0: the calibrated authority is unchanged
        for (const auto& r : w.reductions)
          if (r.active_on(opt_.as_of) && r.percent) cpf *= 1 - *r.percent / 100;
        p.target_cases = static_cast<int32_t>(std::lround(cpf * fte));
      }
    }

    // ASYEs first so their co-worked cases count against partners' targets.
    for (auto& team : teams_) {
      std::vector<size_t> order;
      for (const size_t m : team.members)
        if (plans_[m].asye) order.push_back(m);
      for (const size_t m : team.members)
        if (!plans_[m].asye) order.push_back(m);
      for (const size_t m : order) {
        WorkerPlan& p = plans_[m];
        while (p.held < p.target_cases) {
          std::vector<Case> family = make_family(*team.area, team.name, p.target_cases - p.held);
          std::optional<size_t> partner;
          const bool must_cowork = p.asye && cowork_only(family.front().case_type);
          // ASYEs hold co-work-only cases jointly, bar a few breaches; other
          // workers co-work a few court cases too.
          if ((must_cowork && rng_.chance(0.97)) ||
              (!p.asye && cowork_only(family.front().case_type) && rng_.chance(0.04)))
            partner = pick_partner(team, m);
          for (auto& c : family) {
            c.team.clear();  // allocated: the team follows the worker
            if (partner) {
              c.allocations = {{workers[m].id, 0.5}, {workers[*partner].id, 0.5}};
            } else {
              c.allocations = {{workers[m].id, 1.0}};
            }
            cases.push_back(std::move(c));
          }
          p.held += static_cast<int32_t>(family.size());
          if (partner) plans_[*partner].held += static_cast<int32_t>(family.size());
        }
      }
    }

    // A few percent unallocated, awaiting allocation, held by the team.
    const auto allocated = static_cast<double>(cases.size());
    const auto n_unallocated = static_cast<int32_t>(std::lround(allocated * rng_.uniform(0.02, 0.04)));
    int32_t made = 0;
    while (made < n_unallocated) {
      const TeamInfo& team = teams_[rng_.below(teams_.size())];
      std::vector<Case> family = make_family(*team.area, team.name, n_unallocated - made);
      made += static_cast<int32_t>(family.size());
      for (auto& c : family) cases.push_back(std::move(c));
    }
  }

  // Health-check survey: ~60% respond; people report working 3-5 hours over
  // contract on average.
  void make_survey(std::vector<Worker>& workers) {
    for (size_t i = 0; i < workers.size(); ++i) {
      Worker& w = workers[i];
      if (plans_[i].sick || !rng_.chance(0.6)) continue;
      const double reported = std::clamp(w.contracted_hours + rng_.normal(4, 3), w.contracted_hours - 2, 60.0);
      w.reported_weekly_hours = round_to(reported, 0.5);
      if (plans_[i].case_holding) {
        const AreaProfile* area = nullptr;
        for (const auto& t : teams_)
          if (t.name == w.team) area = t.area;
        w.expected_new_cases = rng_.poisson(area->expected_new_cases * w.contracted_hours / 37);
      }
    }
  }

  // ---- snapshots

  void make_snapshots(SyntheticAuthority& a) {
    const int32_t weeks = opt_.history_weeks;
    if (weeks == 0) return;
    // Current figures come from the model itself, so the last snapshot
    // agrees with what a Caseload reports on as_of.
    const Caseload model(scheme_, a.workers, a.cases, opt_.as_of);
    const auto& loads = model.worker_loads();

    std::vector<Date> dates;
    for (int32_t k = weeks - 1; k >= 0; --k) {
      const Date d = plus(opt_.as_of, -7 * k);
      // Thresholds for a snapshot come from the version in force on its
      // date: weeks before the scheme's first version are left out.
      bool covered = false;
      for (const auto& v : scheme_.versions())
        covered = covered || (v.effective_from <= d && (!v.effective_to || d <= *v.effective_to));
      if (covered) dates.push_back(d);
    }
    const size_t n = dates.size();

    std::vector<std::vector<Snapshot>> per_worker(a.workers.size());
    std::vector<double> dev(n);
    for (size_t i = 0; i < a.workers.size(); ++i) {
      const Worker& w = a.workers[i];
      const WorkerLoad& load = loads[i];
      if (!load.case_holding) continue;
      // Nominal capacity before any 100% absence began.
      double nominal_capacity = load.capacity;
      std::optional<Date> absent_from;
      for (const auto& r : w.reductions) {
        if (r.percent && *r.percent >= 100 && r.active_on(opt_.as_of)) {
          absent_from = r.start;
          const RoleRule* role = version_.find_role(w.role);
          nominal_capacity = version_.capacity.target_points * w.contracted_hours / version_.capacity.standard_hours *
                             (role ? role->capacity_cap : 1.0);
        }
      }
      const double level = absent_from ? rng_.uniform(0.85, 1.05) : load.utilisation;
      const double level_cases = absent_from ? 15 * load.fte : load.cases;

      // Mean-reverting deviation (AR(1) on the log scale, walked back from
      // as_of where it is 0) plus seasonality relative to as_of, plus an
      // occasional surge of a few weeks (a court case, a sibling group).
      const double phi = 0.85, sigma = 0.035;
      double x = 0;
      for (size_t k = n; k-- > 0;) {
        if (k + 1 < n) x = phi * x + sigma * rng_.normal();
        dev[k] = x + seasonal(dates[k]) - seasonal(opt_.as_of);
      }
      if (n > 6 && rng_.chance(0.12)) {
        const auto len = static_cast<size_t>(rng_.between(4, 10));
        const size_t start = rng_.below(n - std::min(n - 1, len));
        const double lift = rng_.uniform(0.12, 0.3);
        for (size_t k = start; k < std::min(n, start + len); ++k) dev[k] += lift;
      }

      for (size_t k = 0; k < n; ++k) {
        const Date d = dates[k];
        if (w.start_date && d < *w.start_date) continue;
        if (absent_from && *absent_from <= d) continue;
        if (!std::isfinite(level)) continue;
        const double g = det_exp(dev[k]);
        Snapshot s;
        s.date = d;
        s.worker_id = w.id;
        s.team = w.team;
        s.service_area = w.service_area;
        const bool today = k + 1 == n && d == opt_.as_of;
        const double capacity = today ? load.capacity : nominal_capacity;
        const double points = today ? load.points : level * g * capacity;
        s.capacity = round_to(capacity, 0.01);
        s.points = round_to(points, 0.01);
        s.cases = today ? load.cases : std::max(0.0, std::floor(level_cases * det_exp(0.8 * dev[k]) + 0.5));
        s.utilisation = round_to(today ? load.utilisation : level * g, 0.0001);
        per_worker[i].push_back(std::move(s));
      }
    }
    // Oldest first, then by worker in input order.
    std::vector<size_t> cursor(per_worker.size(), 0);
    for (const Date d : dates) {
      for (size_t i = 0; i < per_worker.size(); ++i) {
        auto& rows = per_worker[i];
        if (cursor[i] < rows.size() && rows[cursor[i]].date == d) a.snapshots.push_back(std::move(rows[cursor[i]++]));
      }
    }
  }

  const SyntheticOptions& opt_;
  const WeightingScheme& scheme_;
  const SchemeVersion& version_;
  Rng rng_;
  std::vector<TeamInfo> teams_;
  std::vector<WorkerPlan> plans_;
  size_t families_ = 0, cases_ = 0;
  std::map<std::string, projection_detail::Curve> curves_;  // default duration curves by case type
};

}  // namespace

SyntheticAuthority synthetic_authority(const SyntheticOptions& options) {
  if (options.workers < 10 || options.workers > 100000)
    throw Error(ErrorCode::invalid_argument,
                "synthetic options: workers must be in [10, 100000], got " + std::to_string(options.workers));
  if (options.history_weeks < 0 || options.history_weeks > 520)
    throw Error(ErrorCode::invalid_argument,
                "synthetic options: history_weeks must be in [0, 520], got " + std::to_string(options.history_weeks));
  // Bounded output: at most ~5 million snapshot rows (the default record limit).
  if (static_cast<int64_t>(options.workers) * options.history_weeks > 5'000'000)
    throw Error(ErrorCode::invalid_argument,
                "synthetic options: history_weeks must be at most " + std::to_string(5'000'000 / options.workers) +
                    " for " + std::to_string(options.workers) + " workers (5,000,000 snapshot rows), got " +
                    std::to_string(options.history_weeks));
  // League-sample knobs (defaults reproduce the calibrated authority).
  const auto knob = [](const char* name, double v, double lo, double hi) {
    if (!(v >= lo && v <= hi))
      throw Error(ErrorCode::invalid_argument, std::string("synthetic options: ") + name + " must be in [" +
                                                   detail::num(lo) + ", " + detail::num(hi) + "], got " +
                                                   detail::num(v));
  };
  knob("caseload_pressure", options.caseload_pressure, 0.25, 4);
  knob("agency_share", options.agency_share, 0, 0.6);
  knob("asye_share", options.asye_share, 0, 0.5);
  knob("asye_breach_share", options.asye_breach_share, 0, 1);
  const WeightingScheme scheme = WeightingScheme::default_scheme();
  bool covered = false;
  for (const auto& v : scheme.versions())
    covered = covered || (v.effective_from <= options.as_of && (!v.effective_to || options.as_of <= *v.effective_to));
  if (!covered)
    throw Error(ErrorCode::invalid_argument, "synthetic options: as_of " + options.as_of.to_string() +
                                                 " is not covered by any version of the default scheme");
  return Generator(options, scheme).run();
}

}  // namespace caseload
