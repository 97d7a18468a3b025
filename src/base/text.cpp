#include "base/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/json.hpp"

namespace caseload::text {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "–";
  char buf[400];  // DBL_MAX in fixed notation has 309 digits
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  std::string s(buf, res.ptr);
  // A value that rounds to zero keeps no sign ("-0.00" -> "0.00").
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

size_t utf8_sequence_length(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const auto at = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = at(0);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // overlong
    if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;  // overlong
    if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  if (at(1) < lo || at(1) > hi) return 0;
  for (size_t i = 2; i < n; ++i)
    if (at(i) < 0x80 || at(i) > 0xBF) return 0;
  return n;
}

size_t invalid_utf8_at(std::string_view s) noexcept {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {  // the common case, without the call
      ++i;
      continue;
    }
    const size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string_view clip_utf8(std::string_view s, size_t max_bytes) noexcept {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Step back over continuation bytes to the start of the character that
  // the cut would split (at most 3 steps for valid UTF-8).
  size_t back = 0;
  while (end > 0 && back < 4 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
    --end;
    ++back;
  }
  if (back == 4) end = max_bytes;  // not UTF-8 anyway: cut at the byte limit
  return s.substr(0, end);
}

namespace {

// Appends `s` with every byte that is not part of valid UTF-8 replaced by
// U+FFFD; `escape` handles each valid character (its bytes).
template <class Escape>
void append_utf8_checked(std::string& out, std::string_view s, Escape&& escape) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t n = utf8_sequence_length(s.substr(i));
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    escape(out, s.substr(i, n));
    i += n;
  }
}

void append_escaped_u(std::string& out, unsigned cp) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", cp);
  out += buf;
}

// The code point of a C1 control (U+0080..U+009F) encoded as C2 80..C2 9F.
bool is_c1(std::string_view ch) noexcept {
  return ch.size() == 2 && static_cast<unsigned char>(ch[0]) == 0xC2 && static_cast<unsigned char>(ch[1]) < 0xA0;
}

}  // namespace

std::string quoted(std::string_view s, size_t max_bytes) {
  s = clip_utf8(s, max_bytes);
  // Ids are nearly always plain ASCII: copy them without the escaping pass
  // (the allocator quotes an id in every explanation it writes).
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
  std::string out;
  if (plain) {
    out.reserve(s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return out;
  }
  out += '"';
  append_utf8_checked(out, s, [](std::string& o, std::string_view ch) {
    if (ch.size() > 1) {
      if (is_c1(ch)) {
        append_escaped_u(o, static_cast<unsigned char>(ch[1]));
      } else {
        o += ch;
      }
      return;
    }
    const char c = ch[0];
    switch (c) {
      case '"':
        o += "\\\"";
        return;
      case '\\':
        o += "\\\\";
        return;
      case '\n':
        o += "\\n";
        return;
      case '\r':
        o += "\\r";
        return;
      case '\t':
        o += "\\t";
        return;
      default:
        break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      append_escaped_u(o, u);
    } else {
      o += c;
    }
  });
  out += '"';
  return out;
}

std::string terminal_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_utf8_checked(out, s, [](std::string& o, std::string_view ch) {
    const auto u = static_cast<unsigned char>(ch[0]);
    if (ch.size() == 1 && (u < 0x20 || u == 0x7f) && ch[0] != '\n') {
      append_escaped_u(o, u);
    } else if (is_c1(ch)) {
      append_escaped_u(o, static_cast<unsigned char>(ch[1]));
    } else {
      o += ch;
    }
  });
  return out;
}

std::string spreadsheet_safe(std::string_view s) {
  if (s.empty()) return {};
  const char c = s.front();
  const bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  if (!risky) return std::string(s);
  // A number keeps its sign and stays a number ("-1.5", "+3", "-1e-3").
  if (c == '-' || c == '+') {
    // from_chars takes a leading '-' but not '+'; neither sign may repeat.
    const std::string_view digits = c == '+' ? s.substr(1) : s;
    if (!digits.empty() && digits.substr(c == '-' ? 1 : 0, 1).find_first_of("+-") == std::string_view::npos) {
      double d = 0;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), d);
      if (ec == std::errc() && ptr == digits.data() + digits.size() && std::isfinite(d)) return std::string(s);
    }
  }
  std::string out;
  out.reserve(s.size() + 1);
  out += '\'';
  out += s;
  return out;
}

void append_report_csv_field(std::string& out, std::string_view s) {
  append_csv_field(out, spreadsheet_safe(s));
}

void append_csv_field(std::string& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += s;
    return;
  }
  out += '"';
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace caseload::text
