// The small helpers declared first in allocation_internal.hpp: message text
// (quoted, num, pct), the band of a utilisation and the cap check. Every
// allocation source uses them, so they live apart from the entry points
// (allocation.cpp), which keeps the files' dependencies one way. Not API.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>

#include "allocation/allocation_internal.hpp"
#include "base/json.hpp"
#include "base/text.hpp"
#include "caseload/error.hpp"

namespace caseload::alloc {

// These three build most of a plan's explanation text (tens of thousands of
// calls for a 200 x 50 batch), hence the fast paths; the text is the same
// as json::append_quoted and printf("%.*f") would give (numbers through
// text::fixed, std::to_chars with a precision, except that a value rounding
// to zero is printed unsigned).
std::string quoted(std::string_view s) {
  s = s.substr(0, 64);
  const bool plain = std::all_of(s.begin(), s.end(),
                                 [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\'; });
  std::string out;
  if (plain) {
    out.reserve(s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return out;
  }
  json::append_quoted(out, s);
  return out;
}

std::string num(double v, int digits) {
  if (!std::isfinite(v)) return v > 0 ? "inf" : (v < 0 ? "-inf" : "nan");
  std::string s = text::fixed(v, digits);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

std::string pct(double fraction) {
  if (!std::isfinite(fraction)) return "over capacity (no capacity)";
  return text::fixed(fraction * 100, 0) + '%';
}

Band band_of(double u, const Thresholds& t) {
  return u < t.green_below        ? Band::green
         : u <= t.amber_to        ? Band::amber
         : u <= t.excessive_above ? Band::red
                                  : Band::excessive;
}

void check_cap(const std::optional<double>& cap, std::string_view where) {
  if (cap && !(std::isfinite(*cap) && *cap > 0))
    throw Error(ErrorCode::invalid_argument,
                std::string(where) + ": utilisation_cap must be finite and > 0, got " + num(*cap, 6));
}

}  // namespace caseload::alloc
