#include "report/page.hpp"

#include <cmath>

#include "caseload/version.hpp"

namespace caseload::report {

namespace {

// The stylesheet of every page: the pieces a page does not use cost a few
// bytes, and one sheet keeps the pages looking like one product. A page
// adds its own rules after these (open_page's extra_css).
constexpr const char* kCss = R"css(
:root{--ink:#1f2933;--muted:#52606d;--rule:#d9e2ec;--bg:#ffffff;--panel:#f5f7fa;--accent:#1f4e79}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:var(--accent);color:#fff;padding:28px 40px}
header h1{margin:0 0 4px;font-size:26px;font-weight:600}
header p{margin:0;opacity:.9}
main{max-width:1100px;margin:0 auto;padding:8px 40px 40px}
section{margin-top:36px}
h2{font-size:20px;font-weight:600;border-bottom:2px solid var(--rule);padding-bottom:6px}
h3{font-size:16px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:14px}
.card{background:var(--panel);border-radius:8px;padding:14px 16px;border-left:4px solid var(--accent)}
.card-title{font-size:13px;color:var(--muted)}
.card-value{font-size:28px;font-weight:600;font-variant-numeric:tabular-nums}
.card-note{font-size:13px;color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:14px;font-variant-numeric:tabular-nums}
th,td{padding:6px 8px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{background:var(--panel);font-weight:600}
.num{text-align:right}
figure{margin:18px 0}
figcaption{font-size:13px;color:var(--muted);margin-top:4px}
svg.chart{width:100%;height:auto;display:block}
svg .grid{stroke:#c3ccd6;stroke-width:.6}
svg .axis{stroke:#52606d;stroke-width:1}
svg .tick{font-size:11px;fill:#52606d}
svg .label{font-size:12px;fill:#1f2933}
svg .line{fill:none;stroke:#1f4e79;stroke-width:2}
svg .dot{fill:#1f4e79}
svg .overbar{fill:#d98c5f;fill-opacity:.8}
svg .box{fill:#ffffff;fill-opacity:.85;stroke:#1f2933;stroke-width:1}
svg .whisker{stroke:#1f2933;stroke-width:1}
svg .median{stroke:#1f2933;stroke-width:2.5}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:16px;font-size:13px;color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.pill{font-weight:600}
.note{color:var(--muted);font-size:13px}
footer{border-top:1px solid var(--rule);margin-top:48px;padding:16px 40px;color:var(--muted);font-size:13px;text-align:center}
@media print{header{background:none;color:var(--ink)}.card{break-inside:avoid}}
)css";

}  // namespace

std::string pct(double v, int decimals, std::string_view not_finite) {
  return std::isfinite(v) ? fixed(v * 100, decimals) + "%" : std::string(not_finite);
}

void open_page(Html& h, std::string_view title, std::string_view header_note_html, std::string_view extra_css) {
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<meta name=\"generator\" content=\"caseload " << version() << "\">\n<title>" << esc(title)
    << "</title>\n<style>" << kCss << extra_css << "</style>\n</head>\n<body>\n<header>\n<h1>" << esc(title)
    << "</h1>\n";
  if (!header_note_html.empty()) h << "<p>" << header_note_html << "</p>\n";
  h << "</header>\n<main>\n";
}

void close_page(Html& h, std::string_view footer_html, std::string_view script) {
  h << "</main>\n<footer>\n" << footer_html << "</footer>\n";
  if (!script.empty()) h << "<script>" << script << "</script>\n";
  h << "</body>\n</html>\n";
}

void card(Html& h, std::string_view title, std::string_view value, std::string_view note) {
  h << "<div class=\"card\"><div class=\"card-title\">" << esc(title) << "</div><div class=\"card-value\">"
    << esc(value) << "</div><div class=\"card-note\">" << esc(note) << "</div></div>\n";
}

}  // namespace caseload::report
