// The small helpers declared first in allocation_internal.hpp: message text
// (num, pct; quoting is text::quoted and the band is the rules core's). Every
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

// These build most of a plan's explanation text (tens of thousands of calls
// for a 200 x 50 batch); the text is what printf("%.*f") would give (numbers
// through text::fixed, std::to_chars with a precision, except that a value
// rounding to zero is printed unsigned).
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

}  // namespace caseload::alloc
