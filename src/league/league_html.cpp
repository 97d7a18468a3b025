// The league table as one self-contained, accessible HTML page (the report
// builder's shell and stylesheet, src/report/) with a small inline script
// that sorts the table when a column header is clicked; every
// organisation's line opens (<details>) to its figures.
#include <cmath>
#include <string>
#include <string_view>

#include "caseload/league.hpp"
#include "caseload/version.hpp"
#include "league/league_internal.hpp"
#include "base/stats.hpp"
#include "report/page.hpp"

namespace caseload {

namespace {

using report::esc;
using report::fixed;
using report::Html;

constexpr const char* kMissing = "<abbr title=\"not published\">n/p</abbr>";

// Sort key of a cell: the number, or empty (sorted last) when missing.
std::string key(double v) {
  return std::isfinite(v) ? detail::num(v) : std::string();
}

std::string pct(double v, int decimals = 0) {
  return report::pct(v, decimals, kMissing);
}
std::string val(double v, int decimals) {
  return std::isfinite(v) ? fixed(v, decimals) : kMissing;
}

// "16.2 (15.1–17.4)"; the interval only when there is one.
std::string with_ci(const Estimate& e, int decimals, bool percent) {
  if (e.missing()) return kMissing;
  auto f = [&](double v) { return percent ? fixed(100 * v, decimals) : fixed(v, decimals); };
  std::string s = f(e.value) + (percent ? "%" : "");
  if (std::isfinite(e.lo) && std::isfinite(e.hi)) s += " <span class=\"ci\">(" + f(e.lo) + "–" + f(e.hi) + ")</span>";
  return s;
}

std::string contractual_text(const std::optional<bool>& b) {
  if (!b) return "enforceability not published";
  return *b ? "contractually enforceable" : "not contractually enforceable";
}

// The league's own rules on top of the shared stylesheet: a wider page for
// the fourteen columns, sortable headings, intervals and the opening lines.
constexpr const char* kLeagueCss = R"css(main{max-width:1400px}
caption{text-align:left;color:var(--muted);padding:6px 0}
thead th{white-space:nowrap}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:left}
th button:focus-visible,summary:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \25B2"}
th[aria-sort=descending] button::after{content:" \25BC"}
.num{white-space:nowrap}
.ci{color:var(--muted);font-size:12px}
summary{cursor:pointer;font-weight:600}
details dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:8px 0;font-size:13px}
details dt{color:var(--muted)}
details dd{margin:0}
.tied{color:var(--muted)}
abbr{text-decoration:none;color:var(--muted)}
)css";

// Sorts rows of the table whose header button was clicked by each cell's
// data-v (numbers numerically, text alphabetically, missing last) and keeps
// aria-sort in step so screen readers announce the order.
constexpr const char* kScript = R"js(
(function(){
  var table=document.getElementById('league');
  var heads=table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads,function(th,col){
    var b=th.querySelector('button'); if(!b) return;
    b.addEventListener('click',function(){
      var asc=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(heads,function(h){h.setAttribute('aria-sort','none');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
      var body=table.tBodies[0], rows=Array.prototype.slice.call(body.rows);
      var text=th.getAttribute('data-type')==='text';
      rows.sort(function(a,b2){
        var x=a.cells[col].getAttribute('data-v'), y=b2.cells[col].getAttribute('data-v');
        if(x===''&&y==='') return 0; if(x==='') return 1; if(y==='') return -1;
        var c=text?x.localeCompare(y):(parseFloat(x)-parseFloat(y));
        return asc?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
})();
)js";

void details(Html& h, const LeagueRow& r, const LeagueTable& t) {
  h << "<details><summary>" << esc(r.organisation) << "</summary>\n<dl>";
  auto item = [&](const std::string& term, const std::string& value) {
    h << "<dt>" << term << "</dt><dd>" << value << "</dd>";
  };
  item("Stated safe caseload target",
       std::isfinite(r.stated_benchmark)
           ? fixed(r.stated_benchmark, 1) + " cases per FTE, " + contractual_text(r.benchmark_contractual)
           : std::string(kMissing));
  item("Cases held", val(r.cases, 0));
  item("Case-holding FTE", val(r.case_holding_fte, 1));
  item("Case-holding workers", val(r.workers, 0));
  item("Caseload per FTE (" + fixed(t.options.level, 0) + "% interval)", with_ci(r.caseload_per_fte, 1, false));
  if (r.standardised) {
    item("Expected caseload for its service-area mix", val(r.expected_caseload, 1));
    item("Standardised ratio (observed / expected)", with_ci(r.standardised_ratio, 2, false));
    item("Caseload adjusted for mix", with_ci(r.adjusted_caseload, 1, false));
  }
  item("Share of workers over its benchmark", with_ci(r.share_over_benchmark, 0, true));
  item("Weeks anyone was over the safe level, past year", val(r.exceedance_weeks, 0));
  item("ASYEs with a protected caseload", std::isfinite(r.asye_workers) && std::isfinite(r.asye_protected)
                                              ? fixed(r.asye_protected, 0) + " of " + fixed(r.asye_workers, 0)
                                              : std::string(kMissing));
  item("Vacancy / agency / turnover",
       pct(r.vacancy_rate.value, 1) + " / " + pct(r.agency_rate.value, 1) + " / " + pct(r.turnover_rate.value, 1));
  item("Share of the score's weight with data", pct(r.coverage));
  h << "</dl>\n";
  if (!r.service_areas.empty()) {
    h << "<table><caption>Service areas of " << esc(r.organisation)
      << "</caption><thead><tr><th scope=\"col\">Service area</th><th scope=\"col\" class=\"num\">FTE</th>"
         "<th scope=\"col\" class=\"num\">Cases</th><th scope=\"col\" class=\"num\">Per FTE</th>"
         "<th scope=\"col\" class=\"num\">Target</th><th scope=\"col\" class=\"num\">All organisations</th></tr>"
         "</thead><tbody>\n";
    for (const auto& a : r.service_areas)
      h << "<tr><th scope=\"row\">" << esc(a.service_area) << "</th><td class=\"num\">" << val(a.case_holding_fte, 1)
        << "</td><td class=\"num\">" << val(a.cases, 0) << "</td><td class=\"num\">" << val(a.caseload_per_fte, 1)
        << "</td><td class=\"num\">" << val(a.stated_benchmark, 1) << "</td><td class=\"num\">"
        << val(a.reference_caseload, 1) << "</td></tr>\n";
    h << "</tbody></table>\n";
  }
  if (!r.notes.empty()) {
    h << "<ul class=\"note\">";
    for (const auto& n : r.notes) h << "<li>" << esc(n) << "</li>";
    h << "</ul>\n";
  }
  h << "</details>";
}

}  // namespace

std::string league_table_to_html(const LeagueTable& t) {
  const auto& o = t.options;
  Html h;
  int32_t ranked = 0;
  for (const auto& r : t.rows) ranked += r.rank > 0 ? 1 : 0;
  std::string note = std::to_string(t.rows.size()) + " organisations, " + std::to_string(ranked) + " ranked";
  if (!o.service_area.empty()) note += " · service area " + esc(o.service_area);
  note += " · reference caseload " + fixed(o.reference_caseload, 1) + " cases per FTE · " + fixed(o.level, 0) +
          "% intervals";
  report::open_page(h, o.title, note, kLeagueCss);

  h << "<section aria-labelledby=\"table-h\">\n<h2 id=\"table-h\">League table</h2>\n"
    << "<p class=\"note\">Click a column heading to sort. Open an organisation's name for its figures and target. "
       "<abbr title=\"not published\">n/p</abbr> = not published (never estimated). Ranks marked = are shared: "
       "the organisations' score intervals overlap too much to separate them.</p>\n"
    << "<div class=\"scroll\">\n<table id=\"league\">\n<caption>Organisations ordered by composite score (0–100, "
       "higher is better), with "
    << fixed(o.level, 0) << "% intervals in brackets and rank ranges from " << std::to_string(o.draws)
    << " bootstrap draws</caption>\n<thead><tr>";
  struct Head {
    const char* label;
    bool text;
    bool numeric_cell;
  };
  const Head heads[] = {
      {"Rank", false, true},          {"Rank range", false, true},     {"Organisation", true, false},
      {"Score", false, true},         {"Cases per FTE", false, true},  {"Own target", false, true},
      {"vs own target", false, true}, {"vs reference", false, true},   {"Over benchmark", false, true},
      {"Weeks over", false, true},    {"ASYE protected", false, true}, {"Vacancy", false, true},
      {"Agency", false, true},        {"Turnover", false, true}};
  for (const auto& hd : heads)
    h << "<th scope=\"col\" aria-sort=\"none\"" << (hd.text ? " data-type=\"text\"" : "")
      << (hd.numeric_cell ? " class=\"num\"" : "") << "><button type=\"button\">" << hd.label << "</button></th>";
  h << "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows) {
    auto cell = [&](double sort_key, const std::string& content) {
      h << "<td class=\"num\" data-v=\"" << key(sort_key) << "\">" << content << "</td>";
    };
    h << "<tr>";
    if (r.rank > 0) {
      cell(r.rank,
           std::string(r.tied ? "<span class=\"tied\" title=\"shared rank\">=</span>" : "") + std::to_string(r.rank));
      cell(r.rank_lo, r.rank_lo == r.rank_hi ? std::to_string(r.rank_lo)
                                             : std::to_string(r.rank_lo) + "–" + std::to_string(r.rank_hi));
    } else {
      cell(kNotPublished, "<abbr title=\"not ranked: too few figures published\">unranked</abbr>");
      cell(kNotPublished, "");
    }
    h << "<td data-v=\"" << esc(r.organisation) << "\">";
    details(h, r, t);
    h << "</td>";
    cell(r.score.value, with_ci(r.score, 0, false));
    cell(r.caseload_per_fte.value, with_ci(r.caseload_per_fte, 1, false));
    cell(r.stated_benchmark,
         std::isfinite(r.stated_benchmark)
             ? fixed(r.stated_benchmark, 1) +
                   (r.benchmark_contractual
                        ? (*r.benchmark_contractual ? " <abbr title=\"contractually enforceable\">(C)</abbr>" : "")
                        : "")
             : std::string(kMissing));
    cell(r.ratio_to_target.value, with_ci(r.ratio_to_target, 2, false));
    cell(r.ratio_to_reference.value,
         with_ci(r.ratio_to_reference, 2, false) +
             (r.standardised ? " <abbr title=\"standardised for service-area mix\">(s)</abbr>" : ""));
    cell(r.share_over_benchmark.value, with_ci(r.share_over_benchmark, 0, true));
    cell(r.exceedance_weeks, val(r.exceedance_weeks, 0));
    cell(r.asye_compliance.value, with_ci(r.asye_compliance, 0, true));
    cell(r.vacancy_rate.value, pct(r.vacancy_rate.value, 1));
    cell(r.agency_rate.value, pct(r.agency_rate.value, 1));
    cell(r.turnover_rate.value, pct(r.turnover_rate.value, 1));
    h << "</tr>\n";
  }
  h << "</tbody>\n</table>\n</div>\n</section>\n";

  if (!t.reference.empty()) {
    h << "<section aria-labelledby=\"ref-h\">\n<h2 id=\"ref-h\">Service-area mix: the standard used</h2>\n"
      << "<p>Caseloads differ between service areas, so an organisation's caseload is compared with the caseload "
         "expected for its own mix of service areas (indirect standardisation): expected cases = Σ its FTE in each "
         "area × the pooled caseload of that area across all organisations below. Pooled caseload over all areas: "
      << val(t.pooled_caseload, 2) << " cases per FTE.</p>\n<table><thead><tr><th scope=\"col\">Service area</th>"
      << "<th scope=\"col\" class=\"num\">FTE</th><th scope=\"col\" class=\"num\">Cases</th>"
      << "<th scope=\"col\" class=\"num\">Cases per FTE</th></tr></thead><tbody>\n";
    for (const auto& a : t.reference)
      h << "<tr><th scope=\"row\">" << esc(a.service_area) << "</th><td class=\"num\">" << val(a.case_holding_fte, 1)
        << "</td><td class=\"num\">" << val(a.cases, 0) << "</td><td class=\"num\">" << val(a.caseload_per_fte, 2)
        << "</td></tr>\n";
    h << "</tbody></table>\n</section>\n";
  }

  const auto& w = o.weights;
  h << "<section aria-labelledby=\"how-h\">\n<h2 id=\"how-h\">How the table is built</h2>\n<ul>\n"
    << "<li><strong>Score</strong>: weighted mean of component scores (0–100) over the components an organisation "
       "publishes; weights: caseload vs reference "
    << fixed(w.caseload_vs_reference, 2) << ", caseload vs own target " << fixed(w.caseload_vs_target, 2)
    << ", share over benchmark " << fixed(w.share_over_benchmark, 2) << ", weeks over " << fixed(w.exceedance, 2)
    << ", ASYE protection " << fixed(w.asye_protection, 2) << ", vacancy " << fixed(w.vacancy, 2) << ", agency "
    << fixed(w.agency, 2) << ", turnover " << fixed(w.turnover, 2) << ", contractual target " << fixed(w.contractual, 2)
    << ". Organisations whose figures carry less than " << fixed(100 * o.min_coverage, 0)
    << "% of the weight are listed unranked.</li>\n"
    << "<li><strong>Reference caseload</strong>: " << fixed(o.reference_caseload, 1)
    << " cases per case-holding FTE (default: the DfE average for England, 16.0, at 30 September 2023).</li>\n"
    << "<li><strong>Uncertainty</strong>: Poisson intervals for caseloads, Wilson intervals for shares; score "
       "intervals and rank ranges are the central "
    << fixed(o.level, 0) << "% of " << std::to_string(o.draws) << " parametric bootstrap draws (seed "
    << std::to_string(o.seed) << ").</li>\n"
    << "<li><strong>Ties</strong>: an organisation shares the rank of the band above when its score interval "
       "overlaps the band leader's by at least "
    << fixed(100 * o.tie_overlap, 0) << "% of the narrower interval.</li>\n</ul>\n</section>\n";
  report::close_page(h, "<p>caseload " + std::string(version()) + " · definitions: docs/league_table.md</p>\n",
                     kScript);
  return h.take();
}

}  // namespace caseload
