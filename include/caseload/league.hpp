// League table of employers: compare organisations' published caseload
// figures (or their health-check exports) fairly and with uncertainty.
// Definitions, the fairness rules, the tie rule and the formats are in
// docs/league_table.md.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/export.hpp"
#include "caseload/io.hpp"

namespace caseload {

inline constexpr double kNotPublished = std::numeric_limits<double>::quiet_NaN();

/// One organisation's published figures, for the whole organisation
/// (service_area "all") or for one service area. NaN (or nullopt) means
/// "not published": it is shown as missing and never imputed. Rates and
/// shares are fractions in [0, 1].
struct PublishedFigures {
  std::string organisation;
  std::string service_area = "all";
  double case_holding_fte = kNotPublished;
  double cases = kNotPublished;             ///< cases held by case-holding staff
  double average_caseload = kNotPublished;  ///< cases per case-holding FTE
  double stated_benchmark = kNotPublished;  ///< the organisation's own safe caseload target, cases per FTE
  std::optional<bool> benchmark_contractual;
  double workers = kNotPublished;  ///< case-holding workers (denominator of the share over benchmark)
  double workers_over_benchmark = kNotPublished;
  double share_over_benchmark = kNotPublished;
  double exceedance_weeks_past_year = kNotPublished;  ///< weeks in which anyone was over the safe level, 0..53
  double vacancy_rate = kNotPublished;
  double agency_rate = kNotPublished;
  double turnover_rate = kNotPublished;
  double asye_workers = kNotPublished;
  double asye_protected = kNotPublished;
  double asye_compliance = kNotPublished;
};

/// Weights of the composite score's components (each component scores
/// 0-100, higher is better; transforms in docs/league_table.md). Any
/// non-negative values with a positive sum; they are normalised.
struct LeagueWeights {
  double caseload_vs_reference = 0.25;
  double caseload_vs_target = 0.15;
  double share_over_benchmark = 0.20;
  double exceedance = 0.10;
  double asye_protection = 0.15;
  double vacancy = 0.05;
  double agency = 0.05;
  double turnover = 0.05;
  double contractual = 0;  ///< a contractually enforceable target scores 100, otherwise 0
};

struct LeagueOptions {
  /// Common reference caseload, cases per case-holding FTE. Default: the
  /// DfE average for England, 16.0 (children's social work workforce, 30
  /// September 2023: 337,055 cases on 21,111 case-holding FTE).
  double reference_caseload = 16;
  double level = 95;     ///< interval level in percent, in [50, 99.9]
  uint64_t seed = 0;     ///< parametric bootstrap seed (same seed, same table)
  int32_t draws = 1000;  ///< bootstrap draws, 0..100000 (0: ranks without ranges)
  /// Non-empty: compare organisations within this one service area, using
  /// only their rows for it.
  std::string service_area;
  /// Indirectly standardise caseload by service-area mix when organisations
  /// publish per-area figures.
  bool standardise = true;
  LeagueWeights weights;
  /// An organisation is ranked only when the components it has data for
  /// carry at least this share of the total weight; otherwise it is listed
  /// unranked.
  double min_coverage = 0.5;
  /// Two organisations share a rank band when their score intervals
  /// overlap by at least this fraction of the narrower interval.
  double tie_overlap = 0.5;
  std::string title = "League table of employers: safe caseloads";
};

/// A point estimate with its interval; all NaN when missing.
struct Estimate {
  double value = kNotPublished, lo = kNotPublished, hi = kNotPublished;
  [[nodiscard]] bool missing() const noexcept { return !std::isfinite(value); }
};

/// One service area of an organisation, for the expandable detail and the
/// standardisation.
struct LeagueAreaFigures {
  std::string service_area;
  double case_holding_fte = kNotPublished;
  double cases = kNotPublished;
  double caseload_per_fte = kNotPublished;
  double stated_benchmark = kNotPublished;
  double reference_caseload = kNotPublished;  ///< pooled caseload of this area over all organisations
};

struct LeagueRow {
  std::string organisation;
  int32_t rank = 0;                  ///< competition rank of the organisation's band (1 = best); 0 = unranked
  bool tied = false;                 ///< shares its band with another organisation
  int32_t rank_lo = 0, rank_hi = 0;  ///< bootstrap rank range at the options' level (0 when unranked)
  Estimate score;                    ///< composite 0-100, with its bootstrap interval
  double coverage = 0;               ///< share of the total weight with data

  // Organisation-level figures (see docs/league_table.md for how per-area
  // rows combine when there is no "all" row).
  double case_holding_fte = kNotPublished;
  double cases = kNotPublished;
  double workers = kNotPublished;
  double stated_benchmark = kNotPublished;
  std::optional<bool> benchmark_contractual;
  double exceedance_weeks = kNotPublished;
  double asye_workers = kNotPublished;
  double asye_protected = kNotPublished;

  Estimate caseload_per_fte;                 ///< Poisson interval on cases
  Estimate ratio_to_target;                  ///< caseload / own stated target
  Estimate ratio_to_reference;               ///< adjusted caseload / reference_caseload
  double expected_caseload = kNotPublished;  ///< pooled area caseloads weighted by this organisation's FTE mix
  Estimate standardised_ratio;               ///< observed / expected cases (indirect standardisation)
  Estimate adjusted_caseload;     ///< standardised_ratio x pooled caseload; crude caseload when not standardised
  bool standardised = false;      ///< adjusted_caseload came from the service-area mix
  Estimate share_over_benchmark;  ///< Wilson interval
  Estimate asye_compliance;       ///< Wilson interval
  Estimate vacancy_rate, agency_rate, turnover_rate;  ///< Wilson with n = workers when known

  std::vector<LeagueAreaFigures> service_areas;
  std::vector<std::string> notes;  ///< what was missing or derived, in plain words
};

struct LeagueTable {
  LeagueOptions options;
  double pooled_caseload = kNotPublished;    ///< standard population: all area rows' cases / FTE
  std::vector<LeagueAreaFigures> reference;  ///< pooled figures per service area, by name
  /// Ranked organisations best first (band rank, then score, then name),
  /// then the unranked by name.
  std::vector<LeagueRow> rows;
};

// ---- Input ----
/// Published figures from a table (CSV or DataFrame). Columns: organisation
/// (required), service_area, case_holding_fte, cases, average_caseload,
/// stated_benchmark, benchmark_contractual, workers, workers_over_benchmark,
/// share_over_benchmark, exceedance_weeks_past_year, vacancy_rate,
/// agency_rate, turnover_rate, asye_workers, asye_protected,
/// asye_compliance. Numbers may be text; an empty cell or NaN is missing.
/// organisation and service_area may be numeric columns (codes): they are
/// read as text, as their CSV cells would be. Unknown columns are an error. Values are validated by league_table().
CASELOAD_API std::vector<PublishedFigures> published_figures_from_table(const Table& table);
CASELOAD_API std::vector<PublishedFigures> published_figures_from_csv(std::string_view csv,
                                                                      const Limits& limits = default_limits());
/// Rows of one health-check JSON export (docs/health_check.md): "all" from
/// organisation_rollup and one per service area. Figures a health check does
/// not hold (stated benchmark, contractual, vacancy, agency, turnover) come
/// from an optional top-level "published" object, else are missing.
CASELOAD_API std::vector<PublishedFigures> published_figures_from_health_check(std::string_view json,
                                                                               const Limits& limits = default_limits());
/// Rows of a league table's JSON file: one health-check export (an object),
/// an array of them, or an array of published-figure rows (objects with the
/// table's column names; null = missing). Read by the core's JSON parser
/// under `limits`; errors name the item and field.
CASELOAD_API std::vector<PublishedFigures> published_figures_from_json(std::string_view json,
                                                                       const Limits& limits = default_limits());
CASELOAD_API Table published_figures_to_table(const std::vector<PublishedFigures>& rows);
CASELOAD_API std::string published_figures_to_csv(const std::vector<PublishedFigures>& rows);

// ---- The league table ----
/// Validates every row (errors name the organisation and field, e.g.
/// `organisation "Northshire": stated_benchmark must be > 0, got 0`) and
/// builds the table. Deterministic for the options' seed.
CASELOAD_API LeagueTable league_table(const std::vector<PublishedFigures>& rows, const LeagueOptions& options = {});

/// JSON (stable key order), CSV (one line per organisation) and a
/// self-contained, sortable, accessible HTML page.
CASELOAD_API std::string league_table_to_json(const LeagueTable& table);
CASELOAD_API std::string league_table_to_csv(const LeagueTable& table);
CASELOAD_API std::string league_table_to_html(const LeagueTable& table);
/// The ranked table as columns (for pandas); same columns as the CSV.
CASELOAD_API Table league_table_to_table(const LeagueTable& table);

/// Runs a league request (the body of the JSON API op "league_table",
/// docs/league_table.md) and returns the result: the table's JSON, or the
/// CSV/HTML text as a JSON string when "format" asks for it.
CASELOAD_API std::string league_table_request_json(std::string_view request, const Limits& limits = default_limits());

// ---- Intervals used by the table (exposed for tests and analysts) ----
struct Interval {
  double lo = kNotPublished, hi = kNotPublished;
};
/// Standard normal quantile (Acklam's rational approximation, refined by one
/// Halley step; |error| < 1e-12).
CASELOAD_API double normal_quantile(double p);
/// Wilson score interval for k successes out of n (0 <= k <= n, n > 0;
/// non-integer counts allowed) at `level` percent.
CASELOAD_API Interval wilson_interval(double k, double n, double level);
/// Interval for the mean of a Poisson count x >= 0 (Byar's approximation to
/// the exact Garwood interval; lower bound 0 at x = 0).
CASELOAD_API Interval poisson_interval(double x, double level);

// ---- Synthetic sample ----
/// Published figures (an "all" row plus one row per service area) of `n`
/// synthetic authorities (1..1000) of varied size, caseload pressure,
/// agency share, ASYE share and protection, each computed from its own
/// synthetic_authority() health check. Deterministic for a seed.
CASELOAD_API std::vector<PublishedFigures> synthetic_league_sample(uint64_t seed, int32_t n = 150);

}  // namespace caseload
