// League table input and output: published figures from tables, CSV,
// JSON and health-check exports; the table as JSON, CSV and columns; the
// "league_table" request.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/stats.hpp"
#include "base/text.hpp"
#include "caseload/date.hpp"
#include "caseload/error.hpp"
#include "caseload/league.hpp"
#include "caseload/version.hpp"
#include "league/league_internal.hpp"
#include "league/league_options.hpp"
#include "model/model_json.hpp"
#include "records/csv.hpp"

namespace caseload {

using detail::num;
using json::Value;
using league_detail::quoted;

namespace league_detail {

std::string fixed(double v, int decimals) {
  return text::fixed(v, decimals);
}

}  // namespace league_detail

namespace {

// Numeric fields in column order; the table, CSV and JSON forms share it.
struct NumField {
  const char* name;
  double PublishedFigures::*member;
};
constexpr NumField kNumFields[] = {
    {"case_holding_fte", &PublishedFigures::case_holding_fte},
    {"cases", &PublishedFigures::cases},
    {"average_caseload", &PublishedFigures::average_caseload},
    {"stated_benchmark", &PublishedFigures::stated_benchmark},
    {"workers", &PublishedFigures::workers},
    {"workers_over_benchmark", &PublishedFigures::workers_over_benchmark},
    {"share_over_benchmark", &PublishedFigures::share_over_benchmark},
    {"exceedance_weeks_past_year", &PublishedFigures::exceedance_weeks_past_year},
    {"vacancy_rate", &PublishedFigures::vacancy_rate},
    {"agency_rate", &PublishedFigures::agency_rate},
    {"turnover_rate", &PublishedFigures::turnover_rate},
    {"asye_workers", &PublishedFigures::asye_workers},
    {"asye_protected", &PublishedFigures::asye_protected},
    {"asye_compliance", &PublishedFigures::asye_compliance},
};

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_missing_text(const std::string& t) {
  return t.empty() || t == "na" || t == "n/a" || t == "nan" || t == "null" || t == "none";
}

double number_from_text(std::string_view text, const std::string& where, const char* field) {
  const std::string t = lower_trimmed(text);
  if (is_missing_text(t)) return kNotPublished;
  double v = 0;
  const auto res = std::from_chars(t.data(), t.data() + t.size(), v);
  if (res.ec != std::errc() || res.ptr != t.data() + t.size() || !std::isfinite(v))
    throw Error(ErrorCode::parse, where + ": " + field + " must be a number, got " + quoted(text));
  return v;
}

std::optional<bool> flag_from_text(std::string_view text, const std::string& where) {
  const std::string t = lower_trimmed(text);
  if (is_missing_text(t)) return std::nullopt;
  if (t == "true" || t == "yes" || t == "1" || t == "y") return true;
  if (t == "false" || t == "no" || t == "0" || t == "n") return false;
  throw Error(ErrorCode::parse, where + ": benchmark_contractual must be true or false, got " + quoted(text));
}

// One cell of a row, by the field's kind; the CSV path (all text) and a
// DataFrame's columns (numbers as numbers) read each row through these.

// A text field: text as is; a number (integer codes in a DataFrame column) as
// its shortest text, as a CSV file would hold it; NaN is missing.
std::string text_cell(const Column& c, size_t i) {
  if (!c.is_numeric) return c.text[i];
  return std::isnan(c.numbers[i]) ? std::string() : num(c.numbers[i]);
}

double number_cell(const Column& c, size_t i, const std::string& where, const char* field) {
  if (!c.is_numeric) return number_from_text(c.text[i], where, field);
  if (std::isinf(c.numbers[i]))
    throw Error(ErrorCode::invalid_argument, where + ": " + field + " must be finite, got " + num(c.numbers[i]));
  return c.numbers[i];  // NaN = not published
}

std::optional<bool> flag_cell(const Column& c, size_t i, const std::string& where) {
  if (!c.is_numeric) return flag_from_text(c.text[i], where);
  const double v = c.numbers[i];
  if (std::isnan(v)) return std::nullopt;
  if (v == 0 || v == 1) return v == 1;
  throw Error(ErrorCode::parse, where + ": benchmark_contractual must be true or false, got " + num(v));
}

const char* const kColumns[] = {"organisation",
                                "service_area",
                                "case_holding_fte",
                                "cases",
                                "average_caseload",
                                "stated_benchmark",
                                "benchmark_contractual",
                                "workers",
                                "workers_over_benchmark",
                                "share_over_benchmark",
                                "exceedance_weeks_past_year",
                                "vacancy_rate",
                                "agency_rate",
                                "turnover_rate",
                                "asye_workers",
                                "asye_protected",
                                "asye_compliance"};

bool known_column(std::string_view name) {
  return std::find(std::begin(kColumns), std::end(kColumns), name) != std::end(kColumns);
}

}  // namespace

std::vector<PublishedFigures> published_figures_from_table(const Table& table) {
  for (const auto& c : table.columns)
    if (!known_column(c.name))
      throw Error(ErrorCode::invalid_argument,
                  "published figures: unknown column " + quoted(c.name) +
                      " (expected organisation, service_area, case_holding_fte, cases, average_caseload, "
                      "stated_benchmark, benchmark_contractual, workers, workers_over_benchmark, "
                      "share_over_benchmark, exceedance_weeks_past_year, vacancy_rate, agency_rate, turnover_rate, "
                      "asye_workers, asye_protected, asye_compliance)");
  const Column* org = table.find("organisation");
  if (org == nullptr) throw Error(ErrorCode::invalid_argument, "published figures: column organisation is required");
  const Column* area = table.find("service_area");
  const size_t n = table.rows();
  for (const auto& c : table.columns)
    if ((c.is_numeric ? c.numbers.size() : c.text.size()) != n)
      throw Error(ErrorCode::invalid_argument, "published figures: column " + quoted(c.name) + " has " +
                                                   std::to_string(c.is_numeric ? c.numbers.size() : c.text.size()) +
                                                   " rows, expected " + std::to_string(n));
  const Column* contractual = table.find("benchmark_contractual");
  std::vector<PublishedFigures> out(n);
  for (size_t i = 0; i < n; ++i) {
    PublishedFigures& f = out[i];
    f.organisation = text_cell(*org, i);
    if (area != nullptr) {
      std::string a = text_cell(*area, i);
      if (!lower_trimmed(a).empty()) f.service_area = std::move(a);
    }
    const std::string where = "row " + std::to_string(i + 1) + ", " + league_detail::where_of(f);
    for (const auto& nf : kNumFields)
      if (const Column* c = table.find(nf.name)) f.*nf.member = number_cell(*c, i, where, nf.name);
    if (contractual != nullptr) f.benchmark_contractual = flag_cell(*contractual, i, where);
  }
  return out;
}

std::vector<PublishedFigures> published_figures_from_csv(std::string_view csv, const Limits& limits) {
  return published_figures_from_table(parse_csv(csv, limits));
}

Table published_figures_to_table(const std::vector<PublishedFigures>& rows) {
  Table t;
  Column org{"organisation", false, {}, {}}, area{"service_area", false, {}, {}};
  Column contractual{"benchmark_contractual", false, {}, {}};
  for (const auto& f : rows) {
    org.text.push_back(f.organisation);
    area.text.push_back(f.service_area);
    contractual.text.push_back(f.benchmark_contractual ? (*f.benchmark_contractual ? "true" : "false") : "");
  }
  t.columns.push_back(std::move(org));
  t.columns.push_back(std::move(area));
  for (const auto& nf : kNumFields) {
    Column c{nf.name, true, {}, {}};
    for (const auto& f : rows) c.numbers.push_back(f.*nf.member);
    t.columns.push_back(std::move(c));
    if (std::string_view(nf.name) == "stated_benchmark") t.columns.push_back(std::move(contractual));
  }
  return t;
}

std::string published_figures_to_csv(const std::vector<PublishedFigures>& rows) {
  return table_to_csv(published_figures_to_table(rows));
}

// ------------------------------------------------------------ JSON input

namespace league_detail {

std::vector<PublishedFigures> figures_from_value(const Value& array, std::string_view where) {
  if (!array.is_array())
    throw Error(ErrorCode::parse, std::string(where) + " must be an array, got " + array.type_name());
  std::vector<PublishedFigures> out;
  size_t i = 0;
  for (const Value& obj : array.as_array()) {
    const std::string at = std::string(where) + "[" + std::to_string(i++) + "]";
    if (!obj.is_object()) throw Error(ErrorCode::parse, at + " must be an object, got " + obj.type_name());
    for (const auto& [key, v] : obj.as_object())
      if (!known_column(key)) throw Error(ErrorCode::invalid_argument, at + ": unknown field " + quoted(key));
    PublishedFigures f;
    f.organisation = json::get_string(obj, "organisation", at);
    if (auto a = json::opt_string(obj, "service_area", at)) f.service_area = std::move(*a);
    const std::string named = at + " (" + where_of(f) + ")";
    for (const auto& nf : kNumFields)
      if (const auto v = json::opt_number(obj, nf.name, named)) f.*nf.member = *v;
    f.benchmark_contractual = json::opt_bool(obj, "benchmark_contractual", named);
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<PublishedFigures> figures_from_health_check_value(const Value& doc, std::string_view where) {
  const std::string w(where);
  if (!doc.is_object()) throw Error(ErrorCode::parse, w + " must be a health-check object, got " + doc.type_name());
  const std::string org = json::get_string(doc, "organisation", w);
  const std::string named = w + " (organisation " + quoted(org) + ")";
  auto from_rollup = [&](const Value& r, const std::string& area, const std::string& at) {
    PublishedFigures f;
    f.organisation = org;
    f.service_area = area;
    f.case_holding_fte = json::get_number(r, "case_holding_fte", at);
    f.cases = json::get_number(r, "cases", at);
    f.workers = json::get_number(r, "case_holding_workers", at);
    f.workers_over_benchmark = json::get_number(r, "over_case_benchmark", at);
    f.asye_workers = json::get_number(r, "asye_workers", at);
    f.asye_protected = json::get_number(r, "asye_protected", at);
    return f;
  };
  std::vector<PublishedFigures> out;
  const Value& top = json::require(doc, "organisation_rollup", named);
  if (!top.is_object()) throw Error(ErrorCode::parse, named + ": organisation_rollup must be an object");
  out.push_back(from_rollup(top, "all", named + ": organisation_rollup"));

  // Weeks in the past year in which anyone was over the threshold, from
  // the timeline (absent without snapshots).
  const Value* hist = doc.find("exceedance_history");
  const Value* timeline = doc.find("timeline");
  if (hist != nullptr && !hist->is_null() && timeline != nullptr && timeline->is_array()) {
    const Date as_of = Date::parse(json::get_string(doc, "as_of", named), named + ": as_of");
    double weeks = 0;
    size_t k = 0;
    for (const Value& p : timeline->as_array()) {
      const std::string at = named + ": timeline[" + std::to_string(k++) + "]";
      const Date d = Date::parse(json::get_string(p, "date", at), at + ": date");
      if (d.days > as_of.days - 365 && d.days <= as_of.days && json::get_number(p, "workers_over", at) > 0) weeks += 1;
    }
    out.front().exceedance_weeks_past_year = std::min(weeks, 53.0);
  }
  if (const Value* areas = doc.find("service_areas"); areas != nullptr && areas->is_array()) {
    size_t k = 0;
    for (const Value& r : areas->as_array()) {
      const std::string at = named + ": service_areas[" + std::to_string(k++) + "]";
      out.push_back(from_rollup(r, json::get_string(r, "group", at), at));
    }
  }
  // What a health check does not hold, supplied alongside it.
  if (const Value* pub = doc.find("published"); pub != nullptr && !pub->is_null()) {
    const std::string at = named + ": published";
    json::reject_unknown_keys(*pub,
                              {"stated_benchmark", "benchmark_contractual", "vacancy_rate", "agency_rate",
                               "turnover_rate", "exceedance_weeks_past_year"},
                              at);
    PublishedFigures& f = out.front();
    if (const auto v = json::opt_number(*pub, "stated_benchmark", at)) f.stated_benchmark = *v;
    f.benchmark_contractual = json::opt_bool(*pub, "benchmark_contractual", at);
    if (const auto v = json::opt_number(*pub, "vacancy_rate", at)) f.vacancy_rate = *v;
    if (const auto v = json::opt_number(*pub, "agency_rate", at)) f.agency_rate = *v;
    if (const auto v = json::opt_number(*pub, "turnover_rate", at)) f.turnover_rate = *v;
    if (const auto v = json::opt_number(*pub, "exceedance_weeks_past_year", at)) f.exceedance_weeks_past_year = *v;
  }
  return out;
}

LeagueOptions options_from_value(const Value* v, std::string_view where) {
  return options::read_json(v, league::league_option_records(), where);
}

// ------------------------------------------------------------ JSON output

namespace {

Value estimate(const Estimate& e) {
  return json::Object{
      {"value", serialize::number(e.value)}, {"lo", serialize::number(e.lo)}, {"hi", serialize::number(e.hi)}};
}

Value flag(const std::optional<bool>& b) {
  return b ? Value(*b) : Value(nullptr);
}

Value area_value(const LeagueAreaFigures& a) {
  return json::Object{{"service_area", a.service_area},
                      {"case_holding_fte", serialize::number(a.case_holding_fte)},
                      {"cases", serialize::number(a.cases)},
                      {"caseload_per_fte", serialize::number(a.caseload_per_fte)},
                      {"stated_benchmark", serialize::number(a.stated_benchmark)},
                      {"reference_caseload", serialize::number(a.reference_caseload)}};
}

}  // namespace

Value to_value(const LeagueTable& t) {
  const auto& o = t.options;
  const auto& w = o.weights;
  json::Array reference, rows;
  for (const auto& a : t.reference) reference.push_back(area_value(a));
  for (const auto& r : t.rows) {
    json::Array areas, notes;
    for (const auto& a : r.service_areas) areas.push_back(area_value(a));
    for (const auto& n : r.notes) notes.emplace_back(n);
    rows.push_back(json::Object{{"organisation", r.organisation},
                                {"rank", r.rank > 0 ? Value(static_cast<int64_t>(r.rank)) : Value(nullptr)},
                                {"tied", r.tied},
                                {"rank_lo", r.rank > 0 ? Value(static_cast<int64_t>(r.rank_lo)) : Value(nullptr)},
                                {"rank_hi", r.rank > 0 ? Value(static_cast<int64_t>(r.rank_hi)) : Value(nullptr)},
                                {"score", estimate(r.score)},
                                {"coverage", serialize::number(r.coverage)},
                                {"case_holding_fte", serialize::number(r.case_holding_fte)},
                                {"cases", serialize::number(r.cases)},
                                {"workers", serialize::number(r.workers)},
                                {"stated_benchmark", serialize::number(r.stated_benchmark)},
                                {"benchmark_contractual", flag(r.benchmark_contractual)},
                                {"caseload_per_fte", estimate(r.caseload_per_fte)},
                                {"ratio_to_target", estimate(r.ratio_to_target)},
                                {"ratio_to_reference", estimate(r.ratio_to_reference)},
                                {"standardised", r.standardised},
                                {"expected_caseload", serialize::number(r.expected_caseload)},
                                {"standardised_ratio", estimate(r.standardised_ratio)},
                                {"adjusted_caseload", estimate(r.adjusted_caseload)},
                                {"share_over_benchmark", estimate(r.share_over_benchmark)},
                                {"exceedance_weeks", serialize::number(r.exceedance_weeks)},
                                {"asye_workers", serialize::number(r.asye_workers)},
                                {"asye_protected", serialize::number(r.asye_protected)},
                                {"asye_compliance", estimate(r.asye_compliance)},
                                {"vacancy_rate", estimate(r.vacancy_rate)},
                                {"agency_rate", estimate(r.agency_rate)},
                                {"turnover_rate", estimate(r.turnover_rate)},
                                {"service_areas", std::move(areas)},
                                {"notes", std::move(notes)}});
  }
  return json::Object{
      {"title", o.title},
      {"library_version", version()},
      {"options", json::Object{{"reference_caseload", serialize::number(o.reference_caseload)},
                               {"level", serialize::number(o.level)},
                               {"seed", static_cast<double>(o.seed)},
                               {"draws", static_cast<int64_t>(o.draws)},
                               {"service_area", o.service_area.empty() ? Value(nullptr) : Value(o.service_area)},
                               {"standardise", o.standardise},
                               {"weights", options::to_json(w, league::league_weight_records())},
                               {"min_coverage", serialize::number(o.min_coverage)},
                               {"tie_overlap", serialize::number(o.tie_overlap)}}},
      {"pooled_caseload", serialize::number(t.pooled_caseload)},
      {"reference", std::move(reference)},
      {"rows", std::move(rows)}};
}

Value run_request(const Value& req) {
  const std::string where = "request";
  json::reject_unknown_keys(req, {"op", "figures", "figures_csv", "health_checks", "options", "format"}, where);
  if (const auto op = json::opt_string(req, "op", where); op && *op != "league_table")
    throw Error(ErrorCode::invalid_argument, "request: op must be \"league_table\", got " + quoted(*op));
  const std::string format = json::opt_string(req, "format", where).value_or("json");
  if (format != "json" && format != "csv" && format != "html")
    throw Error(ErrorCode::invalid_argument, "request: format must be one of json, csv, html, got " + quoted(format));
  const LeagueOptions options = options_from_value(req.find("options"), "request: options");
  std::vector<PublishedFigures> rows;
  bool given = false;
  if (const Value* f = req.find("figures"); f != nullptr && !f->is_null()) {
    given = true;
    auto more = figures_from_value(*f, "figures");
    rows.insert(rows.end(), more.begin(), more.end());
  }
  if (const auto csv = json::opt_string(req, "figures_csv", where)) {
    given = true;
    auto more = published_figures_from_csv(*csv);
    rows.insert(rows.end(), more.begin(), more.end());
  }
  if (const Value* hcs = req.find("health_checks"); hcs != nullptr && !hcs->is_null()) {
    given = true;
    if (!hcs->is_array())
      throw Error(ErrorCode::parse, std::string("request: health_checks must be an array, got ") + hcs->type_name());
    size_t i = 0;
    for (const Value& doc : hcs->as_array()) {
      auto more = figures_from_health_check_value(doc, "health_checks[" + std::to_string(i++) + "]");
      rows.insert(rows.end(), more.begin(), more.end());
    }
  }
  if (!given)
    throw Error(ErrorCode::parse, "request: one of figures, figures_csv or health_checks is required for league_table");
  const LeagueTable table = league_table(rows, options);
  if (format == "csv") return league_table_to_csv(table);
  if (format == "html") return league_table_to_html(table);
  return to_value(table);
}

}  // namespace league_detail

std::vector<PublishedFigures> published_figures_from_health_check(std::string_view text, const Limits& limits) {
  return league_detail::figures_from_health_check_value(json::parse(text, limits), "health check");
}

std::vector<PublishedFigures> published_figures_from_json(std::string_view text, const Limits& limits) {
  // Parsed by the core's own reader, under the limits (size, depth, strict
  // numbers), whatever the interface the file came through.
  const Value doc = json::parse(text, limits);
  if (doc.is_object()) return league_detail::figures_from_health_check_value(doc, "health check");
  if (!doc.is_array())
    throw Error(ErrorCode::parse, std::string("a league table's JSON must be a health-check export (object) or an "
                                              "array of them or of published-figure rows, got ") +
                                      doc.type_name());
  const json::Array& items = doc.as_array();
  const bool health_checks = !items.empty() && std::all_of(items.begin(), items.end(), [](const Value& v) {
    return v.is_object() && v.find("organisation_rollup") != nullptr;
  });
  if (!health_checks) return league_detail::figures_from_value(doc, "published figures");
  std::vector<PublishedFigures> out;
  for (size_t i = 0; i < items.size(); ++i) {
    auto more = league_detail::figures_from_health_check_value(items[i], "health check[" + std::to_string(i) + "]");
    out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return out;
}

std::string league_table_to_json(const LeagueTable& table) {
  return json::dump(league_detail::to_value(table), 2);
}

std::string league_table_request_json(std::string_view request, const Limits& limits) {
  const Value req = json::parse(request, limits);
  if (!req.is_object())
    throw Error(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
  return json::dump(league_detail::run_request(req));
}

// ------------------------------------------------------------ columns and CSV

Table league_table_to_table(const LeagueTable& t) {
  Table out;
  auto text = [&](const char* name) -> Column& {
    out.columns.push_back(Column{name, false, {}, {}});
    return out.columns.back();
  };
  auto numeric = [&](const char* name) -> Column& {
    out.columns.push_back(Column{name, true, {}, {}});
    return out.columns.back();
  };
  // Declared first (pointers into a vector would dangle), filled per row.
  text("organisation");
  for (const char* n : {"rank", "rank_lo", "rank_hi"}) numeric(n);
  text("tied");
  for (const char* n :
       {"score", "score_lo", "score_hi", "coverage", "case_holding_fte", "cases", "workers", "stated_benchmark"})
    numeric(n);
  text("benchmark_contractual");
  for (const char* n :
       {"caseload_per_fte", "caseload_per_fte_lo", "caseload_per_fte_hi", "ratio_to_target", "ratio_to_target_lo",
        "ratio_to_target_hi", "ratio_to_reference", "ratio_to_reference_lo", "ratio_to_reference_hi"})
    numeric(n);
  text("standardised");
  for (const char* n : {"expected_caseload",       "standardised_ratio",   "standardised_ratio_lo",
                        "standardised_ratio_hi",   "adjusted_caseload",    "adjusted_caseload_lo",
                        "adjusted_caseload_hi",    "share_over_benchmark", "share_over_benchmark_lo",
                        "share_over_benchmark_hi", "exceedance_weeks",     "asye_workers",
                        "asye_protected",          "asye_compliance",      "asye_compliance_lo",
                        "asye_compliance_hi",      "vacancy_rate",         "vacancy_rate_lo",
                        "vacancy_rate_hi",         "agency_rate",          "agency_rate_lo",
                        "agency_rate_hi",          "turnover_rate",        "turnover_rate_lo",
                        "turnover_rate_hi"})
    numeric(n);
  text("notes");
  for (const auto& r : t.rows) {
    size_t c = 0;
    auto put = [&](double v) { out.columns[c++].numbers.push_back(v); };
    auto put_text = [&](std::string s) { out.columns[c++].text.push_back(std::move(s)); };
    auto put_est = [&](const Estimate& e) {
      put(e.value);
      put(e.lo);
      put(e.hi);
    };
    const double nan = kNotPublished;
    put_text(r.organisation);
    put(r.rank > 0 ? r.rank : nan);
    put(r.rank > 0 ? r.rank_lo : nan);
    put(r.rank > 0 ? r.rank_hi : nan);
    put_text(r.tied ? "true" : "false");
    put_est(r.score);
    put(r.coverage);
    put(r.case_holding_fte);
    put(r.cases);
    put(r.workers);
    put(r.stated_benchmark);
    put_text(r.benchmark_contractual ? (*r.benchmark_contractual ? "true" : "false") : "");
    put_est(r.caseload_per_fte);
    put_est(r.ratio_to_target);
    put_est(r.ratio_to_reference);
    put_text(r.standardised ? "true" : "false");
    put(r.expected_caseload);
    put_est(r.standardised_ratio);
    put_est(r.adjusted_caseload);
    put_est(r.share_over_benchmark);
    put(r.exceedance_weeks);
    put(r.asye_workers);
    put(r.asye_protected);
    put_est(r.asye_compliance);
    put_est(r.vacancy_rate);
    put_est(r.agency_rate);
    put_est(r.turnover_rate);
    std::string notes;
    for (const auto& n : r.notes) notes += (notes.empty() ? "" : "; ") + n;
    put_text(std::move(notes));
  }
  return out;
}

std::string league_table_to_csv(const LeagueTable& table) {
  return csv::report_table_to_csv(league_table_to_table(table));
}

}  // namespace caseload
