#include "base/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include "base/text.hpp"

namespace caseload::json {

const Value* Value::find(std::string_view key) const noexcept {
  if (type_ != Type::object) return nullptr;
  for (const auto& [k, v] : obj_)
    if (k == key) return &v;
  return nullptr;
}

const char* Value::type_name() const noexcept {
  switch (type_) {
    case Type::null:
      return "null";
    case Type::boolean:
      return "boolean";
    case Type::number:
      return "number";
    case Type::string:
      return "string";
    case Type::array:
      return "array";
    case Type::object:
      return "object";
  }
  return "unknown";
}

namespace {

// Objects above this many keys check duplicates with a set instead of a
// linear scan, so a hostile document with many keys stays O(n log n).
constexpr size_t kLinearDuplicateScan = 16;

// The memory budget of one document's DOM, the total over every node
// (max_records only bounds one array). Without it 128 MB of nested arrays
// took 5.1 GB: each 3-byte `[],` became an 80-byte Value, a shared array
// block and vector slack. The budget is kMemoryFactor times the text, never
// below kMemoryFloor so small documents are never refused for their shape.
// The factor is set by real documents, not hostile ones: a compact records
// document with short ids (`{"id":"C1","case_type":"a",...}`) needs up to
// ~7x its text as a DOM (72 bytes per object member: key and 40-byte Value),
// so 8x accepts every real shape while a hostile one stops at under 8x its
// size in peak memory instead of 21-72x (benchmarks/tools/json_memory.cpp).
constexpr size_t kMemoryFactor = 8;
constexpr size_t kMemoryFloor = size_t{64} << 20;
// What the parser charges per allocation beyond the bytes asked for: the
// malloc header and rounding (16 bytes on glibc x86-64).
constexpr size_t kMallocOverhead = 16;
// One std::set node of the duplicate-key check (header and key).
constexpr size_t kSetNodeBytes = 32 + sizeof(std::string) + kMallocOverhead;

class Parser {
 public:
  Parser(std::string_view text, const Limits& limits)
      : text_(text), limits_(limits), budget_(std::max(kMemoryFloor, text.size() * kMemoryFactor)) {}

  Value parse_document() {
    skip_ws();
    Value v = parse_value(0);
    skip_ws();
    if (pos_ != text_.size()) fail(ErrorCode::parse, "unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(ErrorCode code, const std::string& what) const { fail_at(pos_, code, what); }

  // Counts `bytes` of DOM against the document's budget; `transient` more
  // are live only for a moment (a vector's old buffer while it grows).
  void charge(size_t bytes, size_t transient = 0) {
    used_ += bytes;
    if (used_ + transient > budget_)
      fail(ErrorCode::limit_exceeded,
           "the document needs more than " + std::to_string(budget_ >> 20) + " MiB to hold in memory (" +
               std::to_string(kMemoryFactor) +
               " times its size): too many values for its size (a hostile or degenerate document)");
  }

  // The heap bytes of a string beyond the object holding it (none when it
  // fits the small-string buffer).
  static size_t string_heap(const std::string& s) noexcept {
    return s.capacity() > 15 ? s.capacity() + 1 + kMallocOverhead : 0;
  }

  // A container without growth slack: most objects and arrays are small
  // (records of 5-10 fields), where the doubling wastes up to half. The
  // exact copy is charged while the grown one is still live.
  template <class Vec>
  Vec exact(Vec&& v) {
    if (v.size() == v.capacity()) return std::move(v);
    const size_t elem = sizeof(typename Vec::value_type);
    charge(0, v.size() * elem + kMallocOverhead);
    used_ -= (v.capacity() - v.size()) * elem;
    Vec out;
    out.reserve(v.size());
    for (auto& x : v) out.push_back(std::move(x));
    return out;
  }

  // Before push_back into `v`: when it must grow, charges the new buffer
  // (libstdc++ doubles) with the old one live alongside it for the move.
  template <class Vec>
  void charge_growth(const Vec& v) {
    if (v.size() < v.capacity()) return;
    const size_t elem = sizeof(typename Vec::value_type);
    const size_t grown = v.capacity() == 0 ? 1 : 2 * v.capacity();
    charge((grown - v.capacity()) * elem + kMallocOverhead, v.capacity() * elem);
  }

  [[noreturn]] void fail_at(size_t at, ErrorCode code, const std::string& what) const {
    // Line and column are computed only on failure so the hot path does not
    // track them. Columns count bytes, 1-based.
    size_t line = 1, col = 1;
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw Error(code,
                "JSON parse error at line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + what);
  }

  std::string describe_here() const {
    if (pos_ >= text_.size()) return "end of input";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }

  void skip_ws() noexcept {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool consume_literal(std::string_view lit) noexcept {
    if (text_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }

  Value parse_value(uint32_t depth) {
    if (pos_ >= text_.size()) fail(ErrorCode::parse, "expected a value, got end of input");
    switch (text_[pos_]) {
      case '{':
        return parse_object(depth + 1);
      case '[':
        return parse_array(depth + 1);
      case '"': {
        std::string s = parse_string();
        charge(string_heap(s));
        return Value(std::move(s));
      }
      case 't':
        if (consume_literal("true")) return Value(true);
        break;
      case 'f':
        if (consume_literal("false")) return Value(false);
        break;
      case 'n':
        if (consume_literal("null")) return Value();
        break;
      default:
        if (text_[pos_] == '-' || (text_[pos_] >= '0' && text_[pos_] <= '9')) return Value(parse_number());
        break;
    }
    fail(ErrorCode::parse, "expected a value, got " + describe_here());
  }

  void enter(uint32_t depth) const {
    if (depth > limits_.max_depth)
      fail(ErrorCode::limit_exceeded, "nesting deeper than the limit of " + std::to_string(limits_.max_depth));
  }

  void check_count(size_t n) const {
    if (n > limits_.max_records)
      fail(ErrorCode::limit_exceeded, "more than " + std::to_string(limits_.max_records) + " elements");
  }

  Value parse_array(uint32_t depth) {
    enter(depth);
    ++pos_;  // '['
    Array arr;
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Value(std::move(arr));
    }
    for (;;) {
      skip_ws();
      check_count(arr.size() + 1);
      charge_growth(arr);
      arr.push_back(parse_value(depth));
      skip_ws();
      if (pos_ >= text_.size()) fail(ErrorCode::parse, "unterminated array: expected ',' or ']'");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        return Value(exact(std::move(arr)));
      }
      fail(ErrorCode::parse, "expected ',' or ']' in array, got " + describe_here());
    }
  }

  Value parse_object(uint32_t depth) {
    enter(depth);
    ++pos_;  // '{'
    Object obj;
    std::set<std::string, std::less<>> seen;  // filled only for large objects
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Value(std::move(obj));
    }
    for (;;) {
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != '"')
        fail(ErrorCode::parse, "expected a string key in object, got " + describe_here());
      const size_t key_pos = pos_;
      std::string key = parse_string();
      charge(string_heap(key));
      bool duplicate = false;
      if (obj.size() < kLinearDuplicateScan) {
        for (const auto& kv : obj) duplicate = duplicate || kv.first == key;
      } else {
        if (seen.empty()) {
          for (const auto& kv : obj) {
            charge(kSetNodeBytes + string_heap(kv.first));
            seen.insert(kv.first);
          }
        }
        charge(kSetNodeBytes + string_heap(key));
        duplicate = !seen.insert(key).second;
      }
      if (duplicate) fail_at(key_pos, ErrorCode::parse, "duplicate key " + text::quoted(key));
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != ':')
        fail(ErrorCode::parse, "expected ':' after object key, got " + describe_here());
      ++pos_;
      skip_ws();
      check_count(obj.size() + 1);
      charge_growth(obj);
      Value v = parse_value(depth);
      obj.emplace_back(std::move(key), std::move(v));
      skip_ws();
      if (pos_ >= text_.size()) fail(ErrorCode::parse, "unterminated object: expected ',' or '}'");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        return Value(exact(std::move(obj)));
      }
      fail(ErrorCode::parse, "expected ',' or '}' in object, got " + describe_here());
    }
  }

  unsigned parse_hex4() {
    if (text_.size() - pos_ < 4) fail(ErrorCode::parse, "truncated \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        fail(ErrorCode::parse, "invalid hex digit in \\u escape: " + describe_here());
      }
      ++pos_;
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string parse_string() {
    const size_t start = pos_;
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (out.size() > limits_.max_string_bytes)
        fail_at(start, ErrorCode::limit_exceeded,
                "string longer than the limit of " + std::to_string(limits_.max_string_bytes) + " bytes");
      if (pos_ >= text_.size()) fail_at(start, ErrorCode::parse, "unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c == '\\') {
        ++pos_;
        if (pos_ >= text_.size()) fail_at(start, ErrorCode::parse, "unterminated string");
        const char e = text_[pos_++];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const size_t esc = pos_ - 2;
            unsigned cp = parse_hex4();
            if (cp >= 0xDC00 && cp <= 0xDFFF) fail_at(esc, ErrorCode::parse, "lone low surrogate in \\u escape");
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              if (text_.substr(pos_, 2) != "\\u")
                fail_at(esc, ErrorCode::parse, "high surrogate not followed by a low surrogate");
              pos_ += 2;
              const unsigned lo = parse_hex4();
              if (lo < 0xDC00 || lo > 0xDFFF)
                fail_at(esc, ErrorCode::parse, "high surrogate not followed by a low surrogate");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            }
            // U+0000 would end the string for every C consumer and for
            // the C API's char* results: "W\u0000A" and "W\u0000B" both read
            // back as "W". No caseload field can hold it.
            if (cp == 0) fail_at(esc, ErrorCode::parse, "\\u0000 (NUL) is not allowed in a string");
            append_utf8(out, cp);
            break;
          }
          default:
            --pos_;
            fail(ErrorCode::parse, "invalid escape \\" + describe_here());
        }
        continue;
      }
      const auto uc = static_cast<unsigned char>(c);
      if (uc == 0) fail(ErrorCode::parse, "NUL byte in string");
      if (uc < 0x20) fail(ErrorCode::parse, "control character in string (must be escaped)");
      if (uc < 0x80) {
        out += c;
        ++pos_;
        continue;
      }
      const size_t n = text::utf8_sequence_length(text_.substr(pos_));
      if (n == 0) fail(ErrorCode::parse, "invalid UTF-8 in string");
      out.append(text_.substr(pos_, n));
      pos_ += n;
    }
  }

  double parse_number() {
    const size_t start = pos_;
    auto digit = [&] { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; };
    if (text_[pos_] == '-') ++pos_;
    if (!digit()) fail(ErrorCode::parse, "expected a digit in number, got " + describe_here());
    if (text_[pos_] == '0') {
      ++pos_;
      if (digit()) fail(ErrorCode::parse, "leading zero in number");
    } else {
      while (digit()) ++pos_;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digit()) fail(ErrorCode::parse, "expected a digit after '.', got " + describe_here());
      while (digit()) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digit()) fail(ErrorCode::parse, "expected a digit in exponent, got " + describe_here());
      while (digit()) ++pos_;
    }
    double d = 0;
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    const auto [ptr, ec] = std::from_chars(first, last, d);
    if (ec == std::errc::result_out_of_range) {
      // Underflow to zero is harmless; overflow would become infinity, which
      // JSON cannot represent and no caseload field accepts.
      bool tiny = false;
      for (const char* p = first; p < last; ++p) {
        if (*p == 'e' || *p == 'E') {
          tiny = p + 1 < last && p[1] == '-';
          break;
        }
      }
      if (!tiny) fail_at(start, ErrorCode::parse, "number out of range");
      return (*first == '-') ? -0.0 : 0.0;
    }
    if (ec != std::errc() || ptr != last) fail_at(start, ErrorCode::parse, "invalid number");
    return d;
  }

  std::string_view text_;
  const Limits& limits_;
  size_t pos_ = 0;
  size_t budget_;    // bytes the DOM may take
  size_t used_ = 0;  // bytes charged so far
};

void append_number(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, res.ptr);
}

void newline(std::string& out, int indent, int level) {
  out += '\n';
  out.append(static_cast<size_t>(indent) * static_cast<size_t>(level), ' ');
}

void dump_into(std::string& out, const Value& v, int indent, int level) {
  switch (v.type()) {
    case Value::Type::null:
      out += "null";
      return;
    case Value::Type::boolean:
      out += v.as_bool() ? "true" : "false";
      return;
    case Value::Type::number:
      append_number(out, v.as_number());
      return;
    case Value::Type::string:
      append_quoted(out, v.as_string());
      return;
    case Value::Type::array: {
      const auto& a = v.as_array();
      out += '[';
      for (size_t i = 0; i < a.size(); ++i) {
        if (i) out += ',';
        if (indent >= 0) newline(out, indent, level + 1);
        dump_into(out, a[i], indent, level + 1);
      }
      if (indent >= 0 && !a.empty()) newline(out, indent, level);
      out += ']';
      return;
    }
    case Value::Type::object: {
      const auto& o = v.as_object();
      out += '{';
      for (size_t i = 0; i < o.size(); ++i) {
        if (i) out += ',';
        if (indent >= 0) newline(out, indent, level + 1);
        append_quoted(out, o[i].first);
        out += indent >= 0 ? ": " : ":";
        dump_into(out, o[i].second, indent, level + 1);
      }
      if (indent >= 0 && !o.empty()) newline(out, indent, level);
      out += '}';
      return;
    }
  }
}

const Value* lookup(const Value& obj, std::string_view key, std::string_view where) {
  if (!obj.is_object()) throw Error(ErrorCode::parse, prefix(where) + "must be an object, got " + obj.type_name());
  return obj.find(key);
}

}  // namespace

Value parse(std::string_view text, const Limits& limits) {
  if (limits.max_depth > max_depth_ceiling) check_limits(limits);  // throws: the recursion must fit the stack
  if (text.size() > limits.max_document_bytes) {
    throw Error(ErrorCode::limit_exceeded, "JSON document is " + std::to_string(text.size()) +
                                               " bytes, over the limit of " +
                                               std::to_string(limits.max_document_bytes));
  }
  return Parser(text, limits).parse_document();
}

std::string dump(const Value& v, int indent) {
  std::string out;
  dump_into(out, v, indent, 0);
  return out;
}

void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(u));
          out += buf;
        } else if (u < 0x80) {
          out += c;
        } else {
          // The writer never emits invalid UTF-8, whatever a record holds
          // (every reader validates, but a Table or a C++ caller may not):
          // a stray byte becomes U+FFFD so the output always parses.
          const size_t n = text::utf8_sequence_length(s.substr(i));
          if (n == 0) {
            out += "\xEF\xBF\xBD";
          } else {
            out.append(s.substr(i, n));
            i += n - 1;
          }
        }
      }
    }
  }
  out += '"';
}

const Value& require(const Value& obj, std::string_view key, std::string_view where) {
  const Value* v = lookup(obj, key, where);
  if (v == nullptr) throw Error(ErrorCode::parse, prefix(where) + std::string(key) + " is required");
  return *v;
}

std::string get_string(const Value& obj, std::string_view key, std::string_view where) {
  const Value& v = require(obj, key, where);
  if (!v.is_string()) wrong_type(where, key, "a string", v);
  return v.as_string();
}

std::optional<std::string> opt_string(const Value& obj, std::string_view key, std::string_view where) {
  const Value* v = lookup(obj, key, where);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) wrong_type(where, key, "a string", *v);
  return v->as_string();
}

double get_number(const Value& obj, std::string_view key, std::string_view where) {
  const Value& v = require(obj, key, where);
  if (!v.is_number()) wrong_type(where, key, "a number", v);
  if (!std::isfinite(v.as_number()))
    throw Error(ErrorCode::parse, prefix(where) + std::string(key) + " must be a finite number");
  return v.as_number();
}

std::optional<double> opt_number(const Value& obj, std::string_view key, std::string_view where) {
  const Value* v = lookup(obj, key, where);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_number()) wrong_type(where, key, "a number", *v);
  if (!std::isfinite(v->as_number()))
    throw Error(ErrorCode::parse, prefix(where) + std::string(key) + " must be a finite number");
  return v->as_number();
}

std::optional<bool> opt_bool(const Value& obj, std::string_view key, std::string_view where) {
  const Value* v = lookup(obj, key, where);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) wrong_type(where, key, "a boolean", *v);
  return v->as_bool();
}

void reject_unknown_keys(const Value& obj, std::initializer_list<std::string_view> allowed, std::string_view where) {
  reject_unknown_keys(obj, std::span<const std::string_view>(allowed.begin(), allowed.size()), where);
}

void reject_unknown_keys(const Value& obj, std::span<const std::string_view> allowed, std::string_view where) {
  if (!obj.is_object()) throw Error(ErrorCode::parse, prefix(where) + "must be an object, got " + obj.type_name());
  for (const auto& kv : obj.as_object()) {
    bool ok = false;
    for (const auto a : allowed) ok = ok || a == kv.first;
    if (ok) continue;
    std::string msg = prefix(where) + "unknown field ";
    msg += text::quoted(kv.first);
    msg += " (expected one of: ";
    bool first = true;
    for (const auto a : allowed) {
      if (!first) msg += ", ";
      msg += a;
      first = false;
    }
    msg += ")";
    throw Error(ErrorCode::parse, msg);
  }
}

std::string prefix(std::string_view where) {
  std::string s(where);
  if (!s.empty()) s += ": ";
  return s;
}

void wrong_type(std::string_view where, std::string_view key, const char* want, const Value& got) {
  throw Error(ErrorCode::parse, prefix(where) + std::string(key) + " must be " + want + ", got " + got.type_name());
}

}  // namespace caseload::json
