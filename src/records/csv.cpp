// The CSV tokenizer (parse_csv) and the text pieces every record format
// shares: numbers, message quoting, the escaped list encodings and the
// column binding of a Table (csv.hpp).
#include "records/csv.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include "base/json.hpp"
#include "base/text.hpp"

namespace caseload {

namespace csv {

std::string format_number(double d) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, res.ptr);
}

std::string show(std::string_view s, size_t max) {
  std::string out = text::quoted(s, max);
  if (s.size() > max) out += "...";
  return out;
}

std::optional<double> parse_number_text(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double d = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::string escape_item(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '\\' || c == ';' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

bool split_escaped(std::string_view s, char sep, std::vector<std::string_view>& parts) {
  parts.clear();
  return for_each_escaped_piece(s, sep, [&](std::string_view piece) { parts.push_back(piece); });
}

std::string unescape(std::string_view s) {
  if (s.find('\\') == std::string_view::npos) return std::string(s);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

std::vector<const Column*> bind_columns(const Table& table, const std::vector<ColumnSpec>& specs,
                                        std::string_view label, const Limits& limits) {
  const std::string where = label.empty() ? std::string("table") : std::string(label);
  const size_t rows = table.rows();
  if (rows > limits.max_records)
    throw Error(ErrorCode::limit_exceeded,
                where + ": " + std::to_string(rows) + " rows, over the limit of " + std::to_string(limits.max_records));
  std::vector<const Column*> bound(specs.size(), nullptr);
  for (const Column& c : table.columns) {
    const size_t n = c.is_numeric ? c.numbers.size() : c.text.size();
    if (n != rows)
      throw Error(ErrorCode::invalid_argument, where + ": column " + show(c.name) + " has " + std::to_string(n) +
                                                   " rows, expected " + std::to_string(rows));
    size_t k = 0;
    while (k < specs.size() && c.name != specs[k].name) ++k;
    if (k == specs.size()) {
      std::string msg = where + ": unknown column " + show(c.name) + " (expected one of: ";
      for (size_t j = 0; j < specs.size(); ++j) msg += (j ? ", " : "") + std::string(specs[j].name);
      throw Error(ErrorCode::parse, msg + ")");
    }
    if (bound[k] != nullptr) throw Error(ErrorCode::parse, where + ": column " + show(c.name) + " appears twice");
    bound[k] = &c;
  }
  for (size_t k = 0; k < specs.size(); ++k)
    if (specs[k].required && bound[k] == nullptr)
      throw Error(ErrorCode::parse, where + ": missing required column " + show(specs[k].name));
  return bound;
}

}  // namespace csv

namespace {

using csv::show;

[[noreturn]] void csv_fail(ErrorCode code, size_t line, const std::string& what) {
  throw Error(code, "CSV parse error at line " + std::to_string(line) + ": " + what);
}

}  // namespace

Table parse_csv(std::string_view csv, const Limits& limits) {
  if (csv.size() > limits.max_document_bytes)
    throw Error(ErrorCode::limit_exceeded, "CSV document is " + std::to_string(csv.size()) +
                                               " bytes, over the limit of " +
                                               std::to_string(limits.max_document_bytes));
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);

  // Fields go straight into their columns: no table of rows beside the
  // columns (which, with a std::string per cell, doubled the peak memory of
  // a large snapshots file).
  Table t;
  std::vector<std::string> header;
  size_t header_line = 0, rows = 0;
  std::vector<std::string> record;
  std::string field;
  size_t pos = 0, line = 1;
  // Every field is text for the records and for messages: it must be UTF-8
  // (as the JSON reader requires) and hold no NUL, which every C consumer
  // would read as the end of the string.
  const auto check_text = [&](size_t field_line, size_t index) {
    const size_t bad = text::invalid_utf8_at(field);
    const size_t nul = field.find('\0');
    if (bad == std::string_view::npos && nul == std::string::npos) return;
    std::string where = "field " + std::to_string(index + 1);
    if (index < header.size()) where += " (column " + show(header[index]) + ")";
    if (nul != std::string::npos && (bad == std::string_view::npos || nul < bad))
      csv_fail(ErrorCode::parse, field_line, where + ": NUL byte at byte " + std::to_string(nul + 1));
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(field[bad])));
    csv_fail(
        ErrorCode::parse, field_line,
        where + ": invalid UTF-8 (byte " + hex + " at byte " + std::to_string(bad + 1) + "); save the file as UTF-8");
  };
  while (pos < csv.size()) {
    // One record. Blank lines between records are skipped.
    if (csv[pos] == '\n' || csv[pos] == '\r') {
      pos += (csv[pos] == '\r' && pos + 1 < csv.size() && csv[pos + 1] == '\n') ? 2 : 1;
      ++line;
      continue;
    }
    const size_t record_line = line;
    record.clear();
    for (;;) {
      field.clear();
      const size_t field_line = line;
      if (pos < csv.size() && csv[pos] == '"') {
        ++pos;
        for (;;) {
          if (pos >= csv.size()) csv_fail(ErrorCode::parse, field_line, "unterminated quoted field");
          const char c = csv[pos];
          if (c == '"') {
            if (pos + 1 >= csv.size() || csv[pos + 1] != '"') {
              ++pos;
              break;
            }
            ++pos;  // a doubled quote stands for one
          } else if (c == '\n') {
            ++line;
          }
          field += c;
          ++pos;
          if (field.size() > limits.max_string_bytes)
            csv_fail(ErrorCode::limit_exceeded, field_line,
                     "field longer than the limit of " + std::to_string(limits.max_string_bytes) + " bytes");
        }
      } else {
        while (pos < csv.size() && csv[pos] != ',' && csv[pos] != '\n' && csv[pos] != '\r') {
          if (csv[pos] == '"')
            csv_fail(ErrorCode::parse, line, "quote inside an unquoted field (quote the whole field and double it)");
          field += csv[pos++];
          if (field.size() > limits.max_string_bytes)
            csv_fail(ErrorCode::limit_exceeded, line,
                     "field longer than the limit of " + std::to_string(limits.max_string_bytes) + " bytes");
        }
      }
      check_text(field_line, record.size());
      record.push_back(std::move(field));
      if (pos >= csv.size()) break;
      if (csv[pos] == ',') {
        ++pos;
        continue;
      }
      if (csv[pos] == '\n' || csv[pos] == '\r') {
        pos += (csv[pos] == '\r' && pos + 1 < csv.size() && csv[pos + 1] == '\n') ? 2 : 1;
        ++line;
        break;
      }
      // Only a quoted field can stop before a separator.
      csv_fail(ErrorCode::parse, line, "unexpected text after a closing quote");
    }
    if (t.columns.empty() && header.empty()) {
      header_line = record_line;
      header = record;
      for (size_t i = 0; i < header.size(); ++i) {
        for (size_t j = 0; j < i; ++j)
          if (header[j] == header[i])
            csv_fail(ErrorCode::parse, header_line, "column " + show(header[i]) + " appears twice");
        Column c;
        c.name = header[i];
        t.columns.push_back(std::move(c));
      }
      continue;
    }
    if (record.size() != header.size())
      csv_fail(ErrorCode::parse, record_line,
               "expected " + std::to_string(header.size()) + " fields as in the header, got " +
                   std::to_string(record.size()));
    if (rows >= limits.max_records)
      csv_fail(ErrorCode::limit_exceeded, record_line, "more than " + std::to_string(limits.max_records) + " rows");
    for (size_t i = 0; i < header.size(); ++i) t.columns[i].text.push_back(std::move(record[i]));
    ++rows;
  }
  if (header.empty() && t.columns.empty()) csv_fail(ErrorCode::parse, 1, "no header row");
  return t;
}

}  // namespace caseload
