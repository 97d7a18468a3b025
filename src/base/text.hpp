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
/// and control characters escaped, bytes that are not UTF-8 shown as U+FFFD),
/// cut to its first `max_bytes` bytes on a character boundary so a hostile id
/// cannot make a message huge and a cut never leaves half a character. The
/// one way input text enters an error message.
std::string quoted(std::string_view s, size_t max_bytes = 64);

/// Length of the UTF-8 sequence starting `s` (1 for ASCII, 0 for an empty
/// `s`), or 0 when it is malformed, overlong, a surrogate or above U+10FFFF.
size_t utf8_sequence_length(std::string_view s) noexcept;

/// Offset of the first byte of `s` that does not start a valid UTF-8
/// sequence, or std::string_view::npos when all of `s` is valid UTF-8.
size_t invalid_utf8_at(std::string_view s) noexcept;

/// The longest prefix of `s` of at most `max_bytes` bytes that does not end
/// inside a UTF-8 character.
std::string_view clip_utf8(std::string_view s, size_t max_bytes) noexcept;

/// Spreadsheet formula injection (OWASP "CSV injection"): a text cell of a
/// report CSV that starts with = + - @, a tab or a carriage return gets a
/// leading single quote, so a spreadsheet shows it as text instead of running
/// it. A cell that is a number ("-1.5", "+3") is left alone: numbers stay
/// numbers. Record CSVs (workers, cases, snapshots) do not use this: they must
/// read back unchanged.
std::string spreadsheet_safe(std::string_view s);

/// Appends one report-CSV cell: spreadsheet_safe, then append_csv_field.
/// Every report CSV writer (health check, allocation plan, league table)
/// writes its cells through this.
void append_report_csv_field(std::string& out, std::string_view s);
inline std::string report_csv_field(std::string_view s) {
  std::string out;
  append_report_csv_field(out, s);
  return out;
}

/// Text for a terminal: control characters (C0, DEL, C1), which could move
/// the cursor or recolour the console, become visible \xNN / \u escapes;
/// bytes that are not UTF-8 become U+FFFD. Everything else is unchanged.
std::string terminal_safe(std::string_view s);

/// Appends one RFC 4180 field: quoted (with doubled quotes) only when it
/// holds a comma, a quote or a line break.
void append_csv_field(std::string& out, std::string_view s);
inline std::string csv_field(std::string_view s) {
  std::string out;
  append_csv_field(out, s);
  return out;
}

}  // namespace caseload::text
