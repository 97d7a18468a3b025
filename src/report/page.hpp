// Private: the one builder of the library's HTML pages (the health check,
// the league table, the allocation plan): the page shell with its
// stylesheet, escaping, number and percent text, and the headline card.
// Each report writes only its own content between open_page and
// close_page. Not API.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "base/text.hpp"

namespace caseload::report {

/// A page or a section being written. Integers are written as decimal text;
/// numbers that are not integers go through fixed(), pct() or coord() so
/// every figure on a page is formatted on purpose, never by a stream's
/// locale and precision.
class Html {
 public:
  Html& operator<<(std::string_view s) {
    out_ += s;
    return *this;
  }
  Html& operator<<(char c) {
    out_ += c;
    return *this;
  }
  template <class T>
  requires std::is_integral_v<T> Html& operator<<(T v) {
    out_ += std::to_string(v);
    return *this;
  }
  // A double would otherwise convert to char silently.
  template <class T>
  requires std::is_floating_point_v<T> Html& operator<<(T v) = delete;
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

/// Every string that came from input (team names, ids, titles) passes
/// through here before a page.
inline std::string esc(std::string_view s) {
  return text::html_escape(s);
}

using text::fixed;

/// "85%" for 0.85, with `decimals` digits; `not_finite` for an infinite or
/// missing figure (the health check shows "∞", a projection "–", the
/// league table its "not published" mark).
std::string pct(double v, int decimals = 0, std::string_view not_finite = "∞");

/// An SVG coordinate: one decimal.
inline std::string coord(double v) {
  return fixed(v, 1);
}
/// A whole number of anything (cases, points, days), rounded.
inline std::string integer(double v) {
  return fixed(v, 0);
}

/// Opens the page: doctype, head (title, generator, the shared stylesheet
/// followed by `extra_css`), then the header with the title as <h1> and,
/// when given, `header_note_html` (already escaped) as its one paragraph,
/// and opens <main>.
void open_page(Html& h, std::string_view title, std::string_view header_note_html, std::string_view extra_css = {});

/// Closes <main>, writes the footer (`footer_html`, already escaped
/// paragraphs) and, when given, an inline script, and ends the page.
void close_page(Html& h, std::string_view footer_html, std::string_view script = {});

/// A headline figure: title, value, note (all escaped here), inside a
/// <div class="cards">.
void card(Html& h, std::string_view title, std::string_view value, std::string_view note);

}  // namespace caseload::report
