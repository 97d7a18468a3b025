// The private JSON DOM: parsing (RFC 8259, limits, error positions), dumping
// (shortest round-trip numbers, escapes, stable order) and typed field access.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "base/json.hpp"
#include "caseload/error.hpp"

#include "error_of.hpp"

namespace caseload {
namespace {

using json::Value;

std::string parse_error(std::string_view text, const Limits& limits = Limits{}, ErrorCode code = ErrorCode::parse) {
  return error_of([&] { json::parse(text, limits); }, code);
}

TEST(Json, ParsesEveryValueType) {
  const Value v = json::parse(R"( {"n": null, "t": true, "f": false, "i": -12, "d": 2.5e-3,
                                   "s": "x", "a": [1, [], {}], "o": {"k": "v"}} )");
  ASSERT_TRUE(v.is_object());
  EXPECT_TRUE(v.find("n")->is_null());
  EXPECT_TRUE(v.find("t")->as_bool());
  EXPECT_FALSE(v.find("f")->as_bool());
  EXPECT_EQ(v.find("i")->as_number(), -12);
  EXPECT_EQ(v.find("d")->as_number(), 0.0025);
  EXPECT_EQ(v.find("s")->as_string(), "x");
  ASSERT_EQ(v.find("a")->as_array().size(), 3u);
  EXPECT_TRUE(v.find("a")->as_array()[1].is_array());
  EXPECT_TRUE(v.find("a")->as_array()[2].is_object());
  EXPECT_EQ(v.find("o")->find("k")->as_string(), "v");
  EXPECT_EQ(v.find("missing"), nullptr);
  EXPECT_EQ(v.find("s")->find("k"), nullptr);  // not an object
  EXPECT_STREQ(v.find("a")->type_name(), "array");
  EXPECT_STREQ(v.find("n")->type_name(), "null");
}

TEST(Json, ObjectsKeepInsertionOrder) {
  const Value v = json::parse(R"({"z":1,"a":2,"m":3})");
  const auto& o = v.as_object();
  ASSERT_EQ(o.size(), 3u);
  EXPECT_EQ(o[0].first, "z");
  EXPECT_EQ(o[1].first, "a");
  EXPECT_EQ(o[2].first, "m");
  EXPECT_EQ(json::dump(v), R"({"z":1,"a":2,"m":3})");
}

TEST(Json, StringEscapes) {
  const Value v = json::parse(R"("q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\u20ac \ud83d\ude00")");
  // U+00E9 = C3 A9, U+20AC = E2 82 AC, U+1F600 (surrogate pair D83D DE00) = F0 9F 98 80.
  EXPECT_EQ(v.as_string(), "q\" b\\ s/ \b\f\n\r\t A\xC3\xA9\xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(Json, RawUtf8PassesThroughAndInvalidUtf8IsRejected) {
  EXPECT_EQ(json::parse("\"\xC3\xA9\"").as_string(), "\xC3\xA9");
  EXPECT_NE(parse_error("\"\xC3\"").find("invalid UTF-8"), std::string::npos);
  EXPECT_NE(parse_error("\"\xC0\xAF\"").find("invalid UTF-8"), std::string::npos);      // overlong
  EXPECT_NE(parse_error("\"\xED\xA0\x80\"").find("invalid UTF-8"), std::string::npos);  // encoded surrogate
  EXPECT_NE(parse_error("\"\xFF\"").find("invalid UTF-8"), std::string::npos);
}

TEST(Json, DumpEscapesAndReparses) {
  const std::string s = std::string("a\"b\\c\n\t\x01 \xC3\xA9/") + '\0' + "end";
  std::string out;
  json::append_quoted(out, s);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001 \xC3\xA9/\\u0000end\"");
  // The writer escapes NUL, but the reader refuses it (issue 13, defect 6):
  // everything else reads back.
  EXPECT_THROW(json::parse(out), Error);
  const std::string no_nul = std::string("a\"b\\c\n\t\x01 \xC3\xA9/end");
  out.clear();
  json::append_quoted(out, no_nul);
  EXPECT_EQ(json::parse(out).as_string(), no_nul);
}

TEST(Json, NumbersDumpShortestAndRoundTrip) {
  EXPECT_EQ(json::dump(Value(100.0)), "100");
  EXPECT_EQ(json::dump(Value(0.1)), "0.1");
  EXPECT_EQ(json::dump(Value(-2.5)), "-2.5");
  EXPECT_EQ(json::dump(Value(1.0 / 3.0)), "0.3333333333333333");
  EXPECT_EQ(json::dump(Value(1e21)), "1e+21");
  EXPECT_EQ(json::dump(Value(5e-324)), "5e-324");
  EXPECT_EQ(json::dump(Value(std::nan(""))), "null");
  EXPECT_EQ(json::dump(Value(std::numeric_limits<double>::infinity())), "null");
  EXPECT_EQ(json::dump(Value(-std::numeric_limits<double>::infinity())), "null");
  // Every value below reads back bit-for-bit.
  for (const double d : {0.1, 0.2, 0.30000000000000004, 1e-7, 123456789.125, 6.02214076e23, 1.7976931348623157e308,
                         2.2250738585072014e-308, -0.0, 37.0, 0.9}) {
    const double back = json::parse(json::dump(Value(d))).as_number();
    EXPECT_EQ(back, d);
    EXPECT_EQ(std::signbit(back), std::signbit(d));
  }
}

TEST(Json, NumberGrammar) {
  EXPECT_EQ(json::parse("0").as_number(), 0);
  EXPECT_EQ(json::parse("-0.5").as_number(), -0.5);
  EXPECT_EQ(json::parse("1E2").as_number(), 100);
  EXPECT_EQ(json::parse("1e+2").as_number(), 100);
  EXPECT_EQ(json::parse("1e-999").as_number(), 0);  // underflow is harmless
  EXPECT_NE(parse_error("01").find("leading zero"), std::string::npos);
  EXPECT_NE(parse_error("1.").find("digit after '.'"), std::string::npos);
  EXPECT_NE(parse_error("1e").find("exponent"), std::string::npos);
  EXPECT_NE(parse_error("-").find("expected a digit"), std::string::npos);
  EXPECT_NE(parse_error("+1").find("expected a value"), std::string::npos);
  EXPECT_NE(parse_error(".5").find("expected a value"), std::string::npos);
  EXPECT_NE(parse_error("1e999").find("out of range"), std::string::npos);
  EXPECT_NE(parse_error("NaN").find("expected a value"), std::string::npos);
  EXPECT_NE(parse_error("Infinity").find("expected a value"), std::string::npos);
}

TEST(Json, PrettyDumpRoundTrips) {
  const std::string text = R"({"name":"x","list":[1,2,{"a":[]}],"empty":{},"t":true,"n":null})";
  const Value v = json::parse(text);
  const std::string pretty = json::dump(v, 2);
  EXPECT_EQ(pretty,
            "{\n  \"name\": \"x\",\n  \"list\": [\n    1,\n    2,\n    {\n      \"a\": []\n    }\n  ],\n"
            "  \"empty\": {},\n  \"t\": true,\n  \"n\": null\n}");
  EXPECT_EQ(json::dump(json::parse(pretty)), text);
}

TEST(Json, ErrorPositionsNameLineAndColumn) {
  EXPECT_EQ(parse_error("[1,\n  2,\n  x]"), "JSON parse error at line 3, column 3: expected a value, got 'x'");
  EXPECT_EQ(parse_error("{\"a\":1,\"a\":2}"), "JSON parse error at line 1, column 8: duplicate key \"a\"");
  EXPECT_EQ(parse_error(""), "JSON parse error at line 1, column 1: expected a value, got end of input");
}

TEST(Json, SyntaxErrors) {
  EXPECT_NE(parse_error("[1,]").find("expected a value, got ']'"), std::string::npos);
  EXPECT_NE(parse_error("{\"a\":1,}").find("expected a string key"), std::string::npos);
  EXPECT_NE(parse_error("[1 2]").find("expected ',' or ']'"), std::string::npos);
  EXPECT_NE(parse_error("{\"a\" 1}").find("expected ':'"), std::string::npos);
  EXPECT_NE(parse_error("{\"a\":1 \"b\":2}").find("expected ',' or '}'"), std::string::npos);
  EXPECT_NE(parse_error("[1").find("unterminated array"), std::string::npos);
  EXPECT_NE(parse_error("{\"a\":1").find("unterminated object"), std::string::npos);
  EXPECT_NE(parse_error("\"abc").find("unterminated string"), std::string::npos);
  EXPECT_NE(parse_error("\"a\\").find("unterminated string"), std::string::npos);
  EXPECT_NE(parse_error("\"\\x\"").find("invalid escape"), std::string::npos);
  EXPECT_NE(parse_error("\"\\u12G4\"").find("invalid hex digit"), std::string::npos);
  EXPECT_NE(parse_error("\"\\u12\"").find("truncated"), std::string::npos);
  EXPECT_NE(parse_error("\"\\u12\"  ").find("invalid hex digit"), std::string::npos);
  EXPECT_NE(parse_error("\"\\u1").find("truncated"), std::string::npos);
  EXPECT_NE(parse_error("\"\\udc00\"").find("lone low surrogate"), std::string::npos);
  EXPECT_NE(parse_error("\"\\ud800x\"").find("high surrogate"), std::string::npos);
  EXPECT_NE(parse_error("\"\\ud800\\u0041\"").find("high surrogate"), std::string::npos);
  EXPECT_NE(parse_error("\"a\tb\"").find("control character"), std::string::npos);
  EXPECT_NE(parse_error("tru").find("expected a value"), std::string::npos);
  EXPECT_NE(parse_error("nul").find("expected a value"), std::string::npos);
  EXPECT_NE(parse_error("1 2").find("unexpected text after"), std::string::npos);
  EXPECT_NE(parse_error("{} // comment").find("unexpected text after"), std::string::npos);
  EXPECT_NE(parse_error("{1:2}").find("expected a string key"), std::string::npos);
}

TEST(Json, DuplicateKeysInLargeObjectsAreFound) {
  // Above 16 keys the parser switches from a linear scan to a set.
  std::string text = "{";
  for (int i = 0; i < 40; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  EXPECT_EQ(json::parse(text + "\"last\":0}").as_object().size(), 41u);
  EXPECT_NE(parse_error(text + "\"k3\":0}").find("duplicate key \"k3\""), std::string::npos);
  EXPECT_NE(parse_error(text + "\"k39\":0}").find("duplicate key \"k39\""), std::string::npos);
}

TEST(Json, DocumentSizeLimit) {
  Limits limits;
  limits.max_document_bytes = 10;
  EXPECT_EQ(json::parse("[1,2,3,4]", limits).as_array().size(), 4u);  // 9 bytes
  EXPECT_EQ(error_of([&] { json::parse("[1,2,3,4,5]", limits); }, ErrorCode::limit_exceeded),
            "JSON document is 11 bytes, over the limit of 10");
}

TEST(Json, DepthLimit) {
  Limits limits;
  limits.max_depth = 3;
  EXPECT_NO_THROW(json::parse("[[{\"a\":1}]]", limits));  // depth 3
  EXPECT_NE(parse_error("[[[[]]]]", limits, ErrorCode::limit_exceeded).find("nesting deeper than the limit of 3"),
            std::string::npos);
  EXPECT_NE(parse_error("{\"a\":{\"b\":{\"c\":{}}}}", limits, ErrorCode::limit_exceeded).find("nesting deeper"),
            std::string::npos);
  // The default limit stops a hostile document long before the stack does.
  EXPECT_NE(parse_error(std::string(100000, '['), Limits{}, ErrorCode::limit_exceeded).find("nesting deeper"),
            std::string::npos);
}

TEST(Json, StringLimit) {
  Limits limits;
  limits.max_string_bytes = 4;
  EXPECT_EQ(json::parse("\"abcd\"", limits).as_string(), "abcd");
  EXPECT_NE(parse_error("\"abcde\"", limits, ErrorCode::limit_exceeded).find("string longer than the limit of 4"),
            std::string::npos);
  EXPECT_NE(parse_error("{\"abcdef\":1}", limits, ErrorCode::limit_exceeded).find("string longer"), std::string::npos);
}

TEST(Json, ElementCountLimit) {
  Limits limits;
  limits.max_records = 3;
  EXPECT_EQ(json::parse("[1,2,3]", limits).as_array().size(), 3u);
  EXPECT_NE(parse_error("[1,2,3,4]", limits, ErrorCode::limit_exceeded).find("more than 3 elements"),
            std::string::npos);
  EXPECT_NE(parse_error("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", limits, ErrorCode::limit_exceeded).find("more than 3"),
            std::string::npos);
}

TEST(Json, DefaultLimitsAreProcessWideAndRestorable) {
  const Limits saved = default_limits();
  Limits tight = saved;
  tight.max_depth = 1;
  set_default_limits(tight);
  EXPECT_EQ(default_limits().max_depth, 1u);
  EXPECT_THROW(json::parse("[[1]]"), Error);  // parse() defaults to default_limits()
  set_default_limits(saved);
  EXPECT_NO_THROW(json::parse("[[1]]"));
  EXPECT_EQ(default_limits().max_depth, saved.max_depth);
}

// ---- typed field access ----

TEST(JsonFields, TypedGettersAndMessages) {
  const Value w = json::parse(R"({"id":"W17","hours":"37","n":36.5,"b":true,"nul":null})");
  const std::string where = "worker \"W17\"";
  EXPECT_EQ(json::get_string(w, "id", where), "W17");
  EXPECT_EQ(json::get_number(w, "n", where), 36.5);
  EXPECT_EQ(json::opt_number(w, "n", where), 36.5);
  EXPECT_EQ(json::opt_number(w, "absent", where), std::nullopt);
  EXPECT_EQ(json::opt_number(w, "nul", where), std::nullopt);
  EXPECT_EQ(json::opt_string(w, "nul", where), std::nullopt);
  EXPECT_EQ(json::opt_bool(w, "b", where), true);
  EXPECT_EQ(json::opt_bool(w, "absent", where), std::nullopt);
  EXPECT_EQ(&json::require(w, "n", where), w.find("n"));

  EXPECT_EQ(error_of([&] { json::get_number(w, "hours", where); }, ErrorCode::parse),
            "worker \"W17\": hours must be a number, got string");
  EXPECT_EQ(error_of([&] { json::opt_number(w, "b", where); }, ErrorCode::parse),
            "worker \"W17\": b must be a number, got boolean");
  EXPECT_EQ(error_of([&] { json::get_string(w, "n", where); }, ErrorCode::parse),
            "worker \"W17\": n must be a string, got number");
  EXPECT_EQ(error_of([&] { json::opt_string(w, "b", where); }, ErrorCode::parse),
            "worker \"W17\": b must be a string, got boolean");
  EXPECT_EQ(error_of([&] { json::opt_bool(w, "id", where); }, ErrorCode::parse),
            "worker \"W17\": id must be a boolean, got string");
  EXPECT_EQ(error_of([&] { json::require(w, "team", where); }, ErrorCode::parse), "worker \"W17\": team is required");
  EXPECT_EQ(error_of([&] { json::get_number(w, "nul", where); }, ErrorCode::parse),
            "worker \"W17\": nul must be a number, got null");
  EXPECT_EQ(error_of([&] { json::get_string(Value(1.0), "id", "workers[0]"); }, ErrorCode::parse),
            "workers[0]: must be an object, got number");
}

TEST(JsonFields, NonFiniteNumbersAreRejected) {
  const Value o(json::Object{{"x", std::numeric_limits<double>::infinity()}, {"y", std::nan("")}});
  EXPECT_EQ(error_of([&] { json::get_number(o, "x", "r"); }, ErrorCode::parse), "r: x must be a finite number");
  EXPECT_EQ(error_of([&] { json::opt_number(o, "y", "r"); }, ErrorCode::parse), "r: y must be a finite number");
}

TEST(JsonFields, RejectUnknownKeys) {
  const Value ok = json::parse(R"({"id":"C1","case_type":"cin"})");
  EXPECT_NO_THROW(json::reject_unknown_keys(ok, {"id", "case_type", "factors"}, "case \"C1\""));
  const Value typo = json::parse(R"({"id":"C1","case_typ":"cin"})");
  EXPECT_EQ(error_of(
                [&] {
                  json::reject_unknown_keys(typo, {"id", "case_type"}, "case \"C1\"");
                },
                ErrorCode::parse),
            "case \"C1\": unknown field \"case_typ\" (expected one of: id, case_type)");
  EXPECT_EQ(error_of([&] { json::reject_unknown_keys(Value("s"), {"id"}, "case \"C1\""); }, ErrorCode::parse),
            "case \"C1\": must be an object, got string");
}

TEST(Json, BuiltValuesDumpInOrder) {
  const Value v(json::Object{{"b", 1}, {"a", json::Array{Value(), true, "x", int64_t{7}}}, {"c", json::Object{}}});
  EXPECT_EQ(json::dump(v), R"({"b":1,"a":[null,true,"x",7],"c":{}})");
  EXPECT_EQ(json::dump(json::parse(json::dump(v))), json::dump(v));
}

}  // namespace
}  // namespace caseload
