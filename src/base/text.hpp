// Private text helpers shared by every writer (HTML pages, CSV exports).
// Not API.
#pragma once

#include <string>
#include <string_view>

namespace caseload::text {

/// Escapes & < > " ' for HTML text and attribute values: every string that
/// came from input (team names, ids) passes through here before a page.
std::string html_escape(std::string_view s);

/// Fixed-point text with `decimals` digits, independent of the C locale (a
/// host that set a German LC_NUMERIC must not get "0,85" in SVG coordinates
/// or tables); "-0" prints as "0"; "–" when not finite.
std::string fixed(double v, int decimals);

/// `"W17"` for error messages: the value as a JSON string (quotes, backslashes
/// and control characters escaped), cut to its first 64 bytes so a hostile id
/// cannot make a message huge.
std::string quoted(std::string_view s);

/// Appends one RFC 4180 field: quoted (with doubled quotes) only when it
/// holds a comma, a quote or a line break.
void append_csv_field(std::string& out, std::string_view s);
inline std::string csv_field(std::string_view s) {
  std::string out;
  append_csv_field(out, s);
  return out;
}

}  // namespace caseload::text
