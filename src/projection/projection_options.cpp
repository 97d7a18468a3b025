// The capacity projection's options, one record each (see
// projection_options.hpp). Ranges and defaults here are the only ones: the
// structs' member initialisers are the defaults, these the rules.
#include "projection/projection_options.hpp"

#include <array>
#include <string>
#include <utility>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"

namespace caseload::projection_detail {

namespace {

using options::Group;
using options::kMaxExactInteger;
using options::Range;
using options::Record;

constexpr Range kShare{0, 1, false, false};
constexpr Range kShareBelowOne{0, 1, false, false, true};  // [0, 1): a whole year lost is not a rate
constexpr Range kLeadMonths{0, 24, false, true};
constexpr Range kMonth{1, 12, false, true};  // a month of the horizon, 1-based
// More threads than this only cost memory (docs/hardening.md); the same bound
// as the forecast's.
constexpr Range kThreads{0, 1024, false, true};
// Lists a request may hold: generous for any real plan, bounded so a hostile
// request cannot make the projection run forever.
constexpr std::size_t kMaxStaffingChanges = 100000;
constexpr std::size_t kMaxScenarios = 100;
constexpr std::size_t kMaxMerges = 1000;

// ---- fields with a type of their own

[[noreturn]] void parse_error(const std::string& message) {
  throw Error(ErrorCode::parse, message);
}

Group<StaffingChange> kind_field() {
  return {[](StaffingChange& c, const json::Value& v, const std::string& where) {
            if (!v.is_string()) parse_error(where + " must be a string, got " + std::string(v.type_name()));
            if (v.as_string() == "join")
              c.kind = StaffingChange::Kind::join;
            else if (v.as_string() == "leave")
              c.kind = StaffingChange::Kind::leave;
            else {
              throw Error(ErrorCode::invalid_argument,
                          where + " must be one of join, leave, got " + text::quoted(v.as_string()));
            }
          },
          [](const StaffingChange& c) { return json::Value(c.kind == StaffingChange::Kind::join ? "join" : "leave"); },
          [](const StaffingChange&, const std::string&) {}, nullptr, "text"};
}

Group<StaffingChange> date_field() {
  return {[](StaffingChange& c, const json::Value& v, const std::string& where) {
            if (!v.is_string()) parse_error(where + " must be a string, got " + std::string(v.type_name()));
            c.date = Date::parse(v.as_string(), where);
          },
          [](const StaffingChange& c) { return json::Value(c.date.to_string()); },
          [](const StaffingChange&, const std::string&) {}, nullptr, "date"};
}

// Extra FTE per team: an object team -> FTE in [0, 10000].
constexpr Range kAddedFte{0, 10000, false, false};

Group<Scenario> added_fte_field() {
  return {[](Scenario& s, const json::Value& v, const std::string& where) {
            if (!v.is_object()) parse_error(where + " must be an object, got " + std::string(v.type_name()));
            std::vector<std::pair<std::string, double>> out;
            for (const auto& [team, fte] : v.as_object()) {
              const std::string field = text::quoted(team);
              if (!fte.is_number()) parse_error(where + ": " + field + " must be a number, got " + fte.type_name());
              options::check_number(fte.as_number(), kAddedFte, field, where);
              out.emplace_back(team, fte.as_number());
            }
            s.added_fte = std::move(out);
          },
          [](const Scenario& s) {
            json::Object m;
            for (const auto& [team, fte] : s.added_fte) m.emplace_back(team, json::Value(fte));
            return json::Value(std::move(m));
          },
          [](const Scenario& s, const std::string& where) {
            for (const auto& [team, fte] : s.added_fte) {
              options::check_number(fte, kAddedFte, text::quoted(team), where);
            }
          },
          nullptr, "object (team -> FTE)"};
}

// ---- the records

const std::array<Record<StaffingChange>, 7> kStaffing{{
    {.name = "kind",
     .member = kind_field(),
     .range = {},
     .doc = "join (a new starter) or leave (a leaver)",
     .choices = "join|leave",
     .required = true},
    {.name = "date",
     .member = date_field(),
     .range = {},
     .doc = "the day of the change, YYYY-MM-DD, after as_of",
     .required = true},
    {"team", &StaffingChange::team, {}, "join: the team joined (required); leave: optional check of the leaver's team"},
    {"worker_id", &StaffingChange::worker_id, {}, "leave: the worker leaving (required); join: optional name"},
    {"role", &StaffingChange::role, {}, "join: a role of the scheme"},
    {"contracted_hours", &StaffingChange::contracted_hours, Range{0, 60, true, false}, "join: hours a week"},
    {"agency", &StaffingChange::agency, {}, "join: an agency worker"},
}};

const std::array<Record<TeamMerge>, 2> kMerge{{
    {.name = "into", .member = &TeamMerge::into, .range = {}, .doc = "the merged group's name", .required = true},
    {.name = "teams",
     .member = &TeamMerge::teams,
     .range = {},
     .doc = "the teams merged, at least two",
     .required = true},
}};

std::span<const Record<StaffingChange>> staffing_records() noexcept {
  return kStaffing;
}
std::span<const Record<TeamMerge>> merge_records() noexcept {
  return kMerge;
}

const std::array<Record<Scenario>, 14> kScenario{{
    {.name = "name", .member = &Scenario::name, .range = {}, .doc = "unique, not \"baseline\"", .required = true},
    {"referral_factor", &Scenario::referral_factor, Range{0, 10, false, false}, "multiplies new cases"},
    {"referral_from_month", &Scenario::referral_from_month, kMonth, "first month the factor applies (1-based)"},
    {"referral_to_month", &Scenario::referral_to_month, kMonth, "last month the factor applies, inclusive"},
    {"referral_teams", &Scenario::referral_teams, {}, "teams the factor applies to; empty = every team"},
    {"agency_workers", &Scenario::agency_workers, Range{0, 1000, false, true}, "extra full-time agency workers"},
    {"agency_team", &Scenario::agency_team, {}, "the team the agency workers join (required with agency_workers)"},
    {"agency_from_month", &Scenario::agency_from_month, kMonth, "first month of agency cover (1-based)"},
    {"agency_months", &Scenario::agency_months, Range{1, 120, false, true}, "months of agency cover"},
    {"sickness_absence", &Scenario::sickness_absence, kShareBelowOne, "replaces supply.sickness_absence"},
    {"annual_turnover", &Scenario::annual_turnover, kShareBelowOne, "replaces supply.annual_turnover"},
    {"added_fte", added_fte_field(), {}, "extra FTE per team, not subject to turnover or sickness"},
    {"merges",
     options::list_of<Scenario, TeamMerge, &Scenario::merges, &merge_records, kMaxMerges>("list of merges"),
     {},
     "teams projected as one group"},
    {"staffing",
     options::list_of<Scenario, StaffingChange, &Scenario::staffing, &staffing_records, kMaxStaffingChanges>(
         "list of staffing changes"),
     {},
     "planned changes in this scenario only, in addition to the options' staffing"},
}};

std::span<const Record<Scenario>> scenario_list_records() noexcept {
  return kScenario;
}

constexpr std::array<Record<SupplyOptions>, 9> kSupply{{
    {"annual_turnover", &SupplyOptions::annual_turnover, kShareBelowOne,
     "share of workers leaving in a year (DfE 2023: 15.9%)"},
    {"fill_rate", &SupplyOptions::fill_rate, kShare, "share of leavers replaced by a permanent starter"},
    {"hiring_lead_months", &SupplyOptions::hiring_lead_months, kLeadMonths,
     "months from leaving to the replacement starting"},
    {"new_starter_asye_share", &SupplyOptions::new_starter_asye_share, kShare,
     "share of replacements who are newly qualified (ASYE)"},
    {"agency_cover", &SupplyOptions::agency_cover, kShare, "share of vacancies covered by agency until filled"},
    {"agency_lead_months", &SupplyOptions::agency_lead_months, kLeadMonths, "months before agency cover starts"},
    {"sickness_absence", &SupplyOptions::sickness_absence, kShareBelowOne,
     "share of time lost to sickness (DfE 2023: 3.2%)"},
    {"long_term_sickness_share", &SupplyOptions::long_term_sickness_share, kShare,
     "share of the lost time in whole-month absences (the rest spread over every worker-month)"},
    {"asye_months", &SupplyOptions::asye_months, Range{1, 60, false, true},
     "months after starting when an ASYE becomes a social worker"},
}};

const std::array<Record<ProjectionOptions>, 11> kOptions{{
    {"horizon", &ProjectionOptions::horizon, kMonth, "months ahead"},
    {"n_paths", &ProjectionOptions::n_paths, Range{10, 100000, false, true}, "joint Monte Carlo paths"},
    {"seed", &ProjectionOptions::seed, Range{0, kMaxExactInteger, false, true},
     "random seed; the same seed gives the same projection whatever n_threads"},
    {"alpha", &ProjectionOptions::alpha, Range{0, 1, true, false, true},
     "risk level for required FTE: the least added FTE with P(breach) <= alpha"},
    {"safe_level", &ProjectionOptions::safe_level, options::kPositive,
     "breach = utilisation above this; unset = each service area's top of amber"},
    {.name = "quantiles",
     .member = &ProjectionOptions::quantiles,
     .range = Range{0, 1, true, false, true},
     .doc = "utilisation quantiles reported each month, increasing",
     .list = {99, true}},
    {"supply",
     options::group<ProjectionOptions, SupplyOptions, &ProjectionOptions::supply, &supply_option_records>(),
     {},
     "turnover, hiring, agency cover and sickness"},
    {"staffing",
     options::list_of<ProjectionOptions, StaffingChange, &ProjectionOptions::staffing, &staffing_records,
                      kMaxStaffingChanges>("list of staffing changes"),
     {},
     "planned starters and leavers, applied in every scenario"},
    {"scenarios",
     options::list_of<ProjectionOptions, Scenario, &ProjectionOptions::scenarios, &scenario_list_records,
                      kMaxScenarios>("list of scenarios"),
     {},
     "what-if runs compared with the baseline (always run first)"},
    {"forecast_model",
     &ProjectionOptions::forecast_model,
     {},
     "forecast model of the referral series (the forecast's model option)"},
    {"n_threads", &ProjectionOptions::n_threads, kThreads, "worker threads; 0 = all cores. Results never depend on it"},
}};

}  // namespace

std::span<const Record<ProjectionOptions>> projection_option_records() noexcept {
  return kOptions;
}
std::span<const Record<SupplyOptions>> supply_option_records() noexcept {
  return kSupply;
}
std::span<const Record<StaffingChange>> staffing_change_records() noexcept {
  return kStaffing;
}
std::span<const Record<Scenario>> scenario_records() noexcept {
  return kScenario;
}
std::span<const Record<TeamMerge>> team_merge_records() noexcept {
  return kMerge;
}

}  // namespace caseload::projection_detail
