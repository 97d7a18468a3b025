// Records I/O: CSV syntax (RFC 4180), tables, JSON, files; exact round
// trips; every error names the row (or record) and the field; limits.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/io.hpp"

#include "error_of.hpp"

namespace caseload {
namespace {

// ---- equality on records (records.hpp has no operator==) ----

void expect_same(const Worker& a, const Worker& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.team, b.team);
  EXPECT_EQ(a.service_area, b.service_area);
  EXPECT_EQ(a.role, b.role);
  EXPECT_EQ(a.contracted_hours, b.contracted_hours);
  EXPECT_EQ(a.experience_level, b.experience_level);
  EXPECT_EQ(a.experience_years, b.experience_years);
  EXPECT_EQ(a.skills, b.skills);
  EXPECT_EQ(a.start_date, b.start_date);
  EXPECT_EQ(a.agency, b.agency);
  ASSERT_EQ(a.reductions.size(), b.reductions.size());
  for (size_t i = 0; i < a.reductions.size(); ++i) {
    EXPECT_EQ(a.reductions[i].reason, b.reductions[i].reason);
    EXPECT_EQ(a.reductions[i].percent, b.reductions[i].percent);
    EXPECT_EQ(a.reductions[i].hours, b.reductions[i].hours);
    EXPECT_EQ(a.reductions[i].start, b.reductions[i].start);
    EXPECT_EQ(a.reductions[i].end, b.reductions[i].end);
  }
  EXPECT_EQ(a.reported_weekly_hours, b.reported_weekly_hours);
  EXPECT_EQ(a.expected_new_cases, b.expected_new_cases);
}

void expect_same(const Case& a, const Case& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.family_id, b.family_id);
  EXPECT_EQ(a.case_type, b.case_type);
  EXPECT_EQ(a.factors, b.factors);
  EXPECT_EQ(a.opened, b.opened);
  EXPECT_EQ(a.team, b.team);
  ASSERT_EQ(a.allocations.size(), b.allocations.size());
  for (size_t i = 0; i < a.allocations.size(); ++i) {
    EXPECT_EQ(a.allocations[i].worker_id, b.allocations[i].worker_id);
    EXPECT_EQ(a.allocations[i].share, b.allocations[i].share);
  }
  ASSERT_EQ(a.tasks.size(), b.tasks.size());
  for (size_t i = 0; i < a.tasks.size(); ++i) {
    EXPECT_EQ(a.tasks[i].type, b.tasks[i].type);
    EXPECT_EQ(a.tasks[i].points, b.tasks[i].points);
    EXPECT_EQ(a.tasks[i].created, b.tasks[i].created);
    EXPECT_EQ(a.tasks[i].due, b.tasks[i].due);
    EXPECT_EQ(a.tasks[i].completed, b.tasks[i].completed);
  }
}

void expect_same(const Snapshot& a, const Snapshot& b) {
  EXPECT_EQ(a.date, b.date);
  EXPECT_EQ(a.worker_id, b.worker_id);
  EXPECT_EQ(a.utilisation, b.utilisation);
  EXPECT_EQ(a.cases, b.cases);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(a.capacity, b.capacity);
  EXPECT_EQ(a.team, b.team);
  EXPECT_EQ(a.service_area, b.service_area);
}

template <class T>
void expect_same(const std::vector<T>& a, const std::vector<T>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE(i);
    expect_same(a[i], b[i]);
  }
}

// Records that exercise every field, awkward text and numbers that do not
// print exactly in a few digits.
std::vector<Worker> sample_workers() {
  Worker a;
  a.id = "W1";
  a.team = "North, East";  // needs CSV quoting
  a.service_area = "children_in_need";
  a.role = "asye";
  a.contracted_hours = 37;
  a.experience_level = "newly \"qualified\"";
  a.experience_years = 0.1 + 0.2;  // 0.30000000000000004
  a.skills = {"court;work", "welsh:speaker", "back\\slash", "\xC3\xA9"};
  a.start_date = Date::parse("2024-09-02");
  a.agency = false;
  Reduction dev;
  dev.reason = "asye: development";
  dev.percent = 10;
  dev.start = Date::parse("2024-09-02");
  dev.end = Date::parse("2025-08-31");
  Reduction union_time;
  union_time.reason = "union";
  union_time.hours = 3.7;
  a.reductions = {dev, union_time};
  a.reported_weekly_hours = 41.5;
  a.expected_new_cases = 3;

  Worker b;
  b.id = "W2";
  b.team = "South\nline";  // newline inside a quoted CSV field
  b.role = "social_worker";
  b.contracted_hours = 22.2;
  b.agency = true;
  b.experience_years = 1.0 / 3.0;
  return {a, b};
}

std::vector<Case> sample_cases() {
  Case a;
  a.id = "C1";
  a.family_id = "F1";
  a.case_type = "child_protection";
  a.factors = {"court_proceedings", "large_sibling_group"};
  a.opened = Date::parse("2024-02-29");
  a.team = "North";
  a.allocations = {{"W1", 0.5}, {"W:3", 0.5}};
  Task report;
  report.type = "court_report";
  report.due = Date::parse("2024-04-01");
  Task visit;
  visit.type = "statutory_visit";
  visit.points = 2.25;
  visit.created = Date::parse("2024-03-01");
  visit.due = Date::parse("2024-03-15");
  visit.completed = true;
  Task open_ended;
  open_ended.type = "note;odd";
  a.tasks = {report, visit, open_ended};

  Case b;  // unallocated, nothing optional
  b.id = "C2";
  b.case_type = "child_in_need";
  b.opened = Date::parse("2023-12-31");
  b.team = "South";
  return {a, b};
}

std::vector<Snapshot> sample_snapshots() {
  Snapshot a;
  a.date = Date::parse("2024-03-29");
  a.worker_id = "W1";
  a.utilisation = 1.1234567890123457;
  a.cases = 12;
  a.points = 101.1;
  a.capacity = 90;
  a.team = "North";
  a.service_area = "children_in_need";
  Snapshot b;
  b.date = Date::parse("2024-04-05");
  b.worker_id = "W2";
  b.utilisation = 0;
  return {a, b};
}

// ---- parse_csv ----

TEST(Csv, QuotingEdgeCases) {
  const Table t = parse_csv(
      "a,b,c\r\n"
      "\"x,y\",\"say \"\"hi\"\"\",\"\"\r\n"
      "\"multi\nline\",,plain\n"
      "\"\",\" spaced \",\"\xC3\xA9\"");
  ASSERT_EQ(t.columns.size(), 3u);
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.columns[0].name, "a");
  EXPECT_FALSE(t.columns[0].is_numeric);
  EXPECT_EQ(t.columns[0].text, (std::vector<std::string>{"x,y", "multi\nline", ""}));
  EXPECT_EQ(t.columns[1].text, (std::vector<std::string>{"say \"hi\"", "", " spaced "}));
  EXPECT_EQ(t.columns[2].text, (std::vector<std::string>{"", "plain", "\xC3\xA9"}));
}

TEST(Csv, BomBlankLinesAndTrailingNewline) {
  const Table t = parse_csv("\xEF\xBB\xBFid,x\n\n1,2\r\n\r\n3,4\n\n");
  EXPECT_EQ(t.columns[0].name, "id");  // BOM is not part of the first name
  EXPECT_EQ(t.columns[0].text, (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(t.columns[1].text, (std::vector<std::string>{"2", "4"}));
  EXPECT_EQ(parse_csv("id,x").rows(), 0u);  // header only
}

TEST(Csv, SyntaxErrorsNameTheLine) {
  EXPECT_EQ(error_of([] { parse_csv(""); }, ErrorCode::parse), "CSV parse error at line 1: no header row");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n1,2\n3\n"); }, ErrorCode::parse),
            "CSV parse error at line 3: expected 2 fields as in the header, got 1");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n1,2,3\n"); }, ErrorCode::parse),
            "CSV parse error at line 2: expected 2 fields as in the header, got 3");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n\"x\ny,2\n"); }, ErrorCode::parse),
            "CSV parse error at line 2: unterminated quoted field");
  EXPECT_EQ(error_of([] { parse_csv("a,b\n\"x\"y,2\n"); }, ErrorCode::parse),
            "CSV parse error at line 2: unexpected text after a closing quote");
  EXPECT_EQ(error_of([] { parse_csv("a,b\nx\"y,2\n"); }, ErrorCode::parse),
            "CSV parse error at line 2: quote inside an unquoted field (quote the whole field and double it)");
  EXPECT_EQ(error_of([] { parse_csv("a,a\n1,2\n"); }, ErrorCode::parse),
            "CSV parse error at line 1: column \"a\" appears twice");
  // A record starting after a multi-line field is reported at its own line.
  EXPECT_EQ(error_of([] { parse_csv("a,b\n\"1\n\n\",2\n3\n"); }, ErrorCode::parse),
            "CSV parse error at line 5: expected 2 fields as in the header, got 1");
}

TEST(Csv, Limits) {
  Limits l;
  l.max_document_bytes = 8;
  EXPECT_EQ(error_of([&] { parse_csv("a,b\n1,2\n3,4\n", l); }, ErrorCode::limit_exceeded),
            "CSV document is 12 bytes, over the limit of 8");
  l = Limits{};
  l.max_records = 2;
  EXPECT_EQ(parse_csv("a\n1\n2\n", l).rows(), 2u);
  EXPECT_EQ(error_of([&] { parse_csv("a\n1\n2\n3\n", l); }, ErrorCode::limit_exceeded),
            "CSV parse error at line 4: more than 2 rows");
  l = Limits{};
  l.max_string_bytes = 3;
  EXPECT_EQ(parse_csv("a\nabc\n", l).columns[0].text[0], "abc");
  EXPECT_EQ(error_of([&] { parse_csv("a\nabcd\n", l); }, ErrorCode::limit_exceeded),
            "CSV parse error at line 2: field longer than the limit of 3 bytes");
  EXPECT_EQ(error_of([&] { parse_csv("a\n\"ab\ncd\"\n", l); }, ErrorCode::limit_exceeded),
            "CSV parse error at line 2: field longer than the limit of 3 bytes");
  // Doubled quotes count as one byte each: """""" is the 2-byte field "" and
  // eight quotes (four pairs) make 4 bytes, one over.
  EXPECT_EQ(parse_csv("a\n\"\"\"\"\"\"\n", l).columns[0].text[0], "\"\"");
  EXPECT_EQ(error_of([&] { parse_csv("a\n\"" + std::string(8, '"') + "\"\n", l); }, ErrorCode::limit_exceeded),
            "CSV parse error at line 2: field longer than the limit of 3 bytes");
}

// ---- workers ----

const char* kWorkersCsv =
    "id,team,service_area,role,contracted_hours,experience_level,experience_years,skills,start_date,agency,"
    "reductions,reported_weekly_hours,expected_new_cases\n"
    "W1,North,children_in_need,asye,37,newly qualified,0.5,court;welsh,2024-09-02,false,"
    "asye:10%:2024-09-02:2025-08-31;union:3.7h::,41.5,3\n"
    "W2,North,,social_worker, 22.5 ,,,,,true,,,\n";

TEST(WorkersCsv, ParsesEveryField) {
  const auto ws = workers_from_csv(kWorkersCsv);
  ASSERT_EQ(ws.size(), 2u);
  const Worker& a = ws[0];
  EXPECT_EQ(a.id, "W1");
  EXPECT_EQ(a.service_area, "children_in_need");
  EXPECT_EQ(a.contracted_hours, 37);
  EXPECT_EQ(a.experience_years, 0.5);
  EXPECT_EQ(a.skills, (std::vector<std::string>{"court", "welsh"}));
  EXPECT_EQ(a.start_date, Date::parse("2024-09-02"));
  EXPECT_FALSE(a.agency);
  ASSERT_EQ(a.reductions.size(), 2u);
  EXPECT_EQ(a.reductions[0].reason, "asye");
  EXPECT_EQ(a.reductions[0].percent, 10.0);
  EXPECT_EQ(a.reductions[0].hours, std::nullopt);
  EXPECT_EQ(a.reductions[0].end, Date::parse("2025-08-31"));
  EXPECT_EQ(a.reductions[1].hours, 3.7);
  EXPECT_EQ(a.reductions[1].start, std::nullopt);
  EXPECT_EQ(a.reported_weekly_hours, 41.5);
  EXPECT_EQ(a.expected_new_cases, 3.0);
  const Worker& b = ws[1];
  EXPECT_EQ(b.contracted_hours, 22.5);  // blanks around a number are allowed
  EXPECT_TRUE(b.agency);
  EXPECT_EQ(b.experience_years, 0);
  EXPECT_TRUE(b.skills.empty());
  EXPECT_EQ(b.start_date, std::nullopt);
  EXPECT_EQ(b.reported_weekly_hours, std::nullopt);
}

TEST(WorkersCsv, OptionalColumnsMayBeAbsentInAnyOrder) {
  const auto ws = workers_from_csv("role,contracted_hours,id,team\nsocial_worker,37,W9,T\n");
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].id, "W9");
  EXPECT_EQ(ws[0].role, "social_worker");
  EXPECT_EQ(ws[0].service_area, "");
}

std::string worker_error(const std::string& row, ErrorCode code = ErrorCode::parse) {
  return error_of(
      [&] { workers_from_csv("id,team,role,contracted_hours,start_date,agency,skills,reductions\n" + row); }, code);
}

TEST(WorkersCsv, ErrorsNameRowIdAndField) {
  EXPECT_EQ(worker_error("W1,T,sw,37,,,,\nW17,T,sw,abc,,,,\n"),
            "workers.csv row 2 (worker \"W17\"): contracted_hours must be a number, got \"abc\"");
  EXPECT_EQ(worker_error("W17,T,sw,,,,,\n"), "workers.csv row 1 (worker \"W17\"): contracted_hours is required");
  EXPECT_EQ(worker_error("W17,T,sw,nan,,,,\n"),
            "workers.csv row 1 (worker \"W17\"): contracted_hours must be a number, got \"nan\"");
  EXPECT_EQ(worker_error("W17,T,sw,inf,,,,\n"),
            "workers.csv row 1 (worker \"W17\"): contracted_hours must be a number, got \"inf\"");
  EXPECT_EQ(worker_error("W17,T,sw,1e999,,,,\n"),
            "workers.csv row 1 (worker \"W17\"): contracted_hours must be a number, got \"1e999\"");
  EXPECT_EQ(worker_error(",T,sw,37,,,,\n"), "workers.csv row 1: id is required");
  EXPECT_EQ(worker_error("W17,T,sw,37,2024-02-30,,,\n"),
            "workers.csv row 1 (worker \"W17\"): start_date must be a date YYYY-MM-DD, got \"2024-02-30\"");
  EXPECT_EQ(worker_error("W17,T,sw,37,,maybe,,\n"),
            "workers.csv row 1 (worker \"W17\"): agency must be true or false, got \"maybe\"");
  EXPECT_EQ(worker_error("W17,T,sw,37,,,a;;b,\n"),
            "workers.csv row 1 (worker \"W17\"): skills has an empty item in \"a;;b\"");
  EXPECT_EQ(worker_error("W17,T,sw,37,,,a\\,\n"),
            "workers.csv row 1 (worker \"W17\"): skills ends with a lone backslash");
}

TEST(WorkersCsv, ReductionErrors) {
  EXPECT_EQ(worker_error("W17,T,sw,37,,,,cpd\n"),
            "workers.csv row 1 (worker \"W17\"): reductions item \"cpd\": must be reason:amount[:start[:end]] with "
            "amount like 10% or 3.7h");
  EXPECT_EQ(worker_error("W17,T,sw,37,,,,cpd:10\n"),
            "workers.csv row 1 (worker \"W17\"): reductions item \"cpd:10\": amount must be a percent (10%) or hours "
            "(3.7h), got \"10\"");
  EXPECT_EQ(worker_error("W17,T,sw,37,,,,cpd:x%\n"),
            "workers.csv row 1 (worker \"W17\"): reductions item \"cpd:x%\": amount must be a percent (10%) or hours "
            "(3.7h), got \"x%\"");
  EXPECT_EQ(worker_error("W17,T,sw,37,,,,cpd:10%:2024-13-01\n"),
            "workers.csv row 1 (worker \"W17\"): reductions start must be a date YYYY-MM-DD, got \"2024-13-01\"");
  EXPECT_EQ(
      worker_error("W17,T,sw,37,,,,cpd:10%:::extra\n"),
      "workers.csv row 1 (worker \"W17\"): reductions item \"cpd:10%:::extra\": must be reason:amount[:start[:end]] "
      "with amount like 10% or 3.7h");
}

TEST(WorkersCsv, ColumnErrors) {
  EXPECT_EQ(error_of([] { workers_from_csv("id,team,role\nW1,T,sw\n"); }, ErrorCode::parse),
            "workers.csv: missing required column \"contracted_hours\"");
  const std::string msg =
      error_of([] { workers_from_csv("id,team,role,contracted_hour\nW1,T,sw,37\n"); }, ErrorCode::parse);
  EXPECT_EQ(msg.find("workers.csv: unknown column \"contracted_hour\" (expected one of: id, team, "), 0u) << msg;
}

TEST(WorkersCsv, RoundTripIsExact) {
  const auto ws = sample_workers();
  const std::string csv = workers_to_csv(ws);
  const auto back = workers_from_csv(csv);
  expect_same(ws, back);
  EXPECT_EQ(workers_to_csv(back), csv);
}

TEST(WorkersCsv, WriterQuotesOnlyWhenNeeded) {
  Worker w;
  w.id = "W1";
  w.team = "a,b";
  w.role = "say \"x\"";
  w.contracted_hours = 37.5;
  const std::string csv = workers_to_csv({w});
  EXPECT_EQ(csv,
            "id,team,service_area,role,contracted_hours,experience_level,experience_years,skills,start_date,agency,"
            "reductions,reported_weekly_hours,expected_new_cases\n"
            "W1,\"a,b\",,\"say \"\"x\"\"\",37.5,,0,,,false,,,\n");
}

TEST(WorkersJson, RoundTripIsExact) {
  const auto ws = sample_workers();
  const std::string json = workers_to_json(ws);
  const auto back = workers_from_json(json);
  expect_same(ws, back);
  EXPECT_EQ(workers_to_json(back), json);
  EXPECT_EQ(workers_to_json({}), "[]\n");
  EXPECT_TRUE(workers_from_json("[]").empty());
}

TEST(WorkersJson, MinimalRecordTakesDefaults) {
  const auto ws = workers_from_json(R"([{"id":"W1","team":"T","role":"sw","contracted_hours":30}])");
  ASSERT_EQ(ws.size(), 1u);
  EXPECT_EQ(ws[0].contracted_hours, 30);
  EXPECT_FALSE(ws[0].agency);
  EXPECT_TRUE(ws[0].reductions.empty());
  EXPECT_EQ(ws[0].start_date, std::nullopt);
}

std::string worker_json_error(const std::string& fields) {
  return error_of([&] { workers_from_json("[{\"id\":\"W17\",\"team\":\"T\",\"role\":\"sw\"" + fields + "}]"); },
                  ErrorCode::parse);
}

TEST(WorkersJson, ErrorsNameWorkerAndField) {
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":\"37\""),
            "worker \"W17\": contracted_hours must be a number, got string");
  EXPECT_EQ(worker_json_error(""), "worker \"W17\": contracted_hours is required");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"skills\":\"a;b\""),
            "worker \"W17\": skills must be an array, got string");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"skills\":[\"a\",1]"),
            "worker \"W17\": skills[1] must be a string, got number");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"start_date\":\"2024-2-1\""),
            "worker \"W17\": start_date must be a date YYYY-MM-DD, got \"2024-2-1\"");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"agency\":\"yes\""),
            "worker \"W17\": agency must be a boolean, got string");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"hours\":37").find("worker \"W17\": unknown field \"hours\""),
            0u);
  EXPECT_EQ(
      worker_json_error(",\"contracted_hours\":37,\"reductions\":[{\"reason\":\"cpd\",\"percent\":10,\"hours\":3}]"),
      "worker \"W17\" reductions[0]: exactly one of percent and hours must be given");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"reductions\":[{\"reason\":\"cpd\"}]"),
            "worker \"W17\" reductions[0]: exactly one of percent and hours must be given");
  EXPECT_EQ(worker_json_error(",\"contracted_hours\":37,\"reductions\":[{\"reason\":\"cpd\",\"hours\":3,\"end\":5}]"),
            "worker \"W17\" reductions[0]: end must be a string, got number");
  // Without a usable id the record is named by position.
  EXPECT_EQ(error_of([] { workers_from_json(R"([{"id":1}])"); }, ErrorCode::parse),
            "workers[0]: id must be a string, got number");
  EXPECT_EQ(error_of([] { workers_from_json(R"({"id":"W1"})"); }, ErrorCode::parse),
            "workers must be an array of objects, got object");
  EXPECT_EQ(error_of([] { workers_from_json(R"([1])"); }, ErrorCode::parse),
            "workers[0] must be an object, got number");
}

// ---- cases ----

TEST(CasesCsv, ParsesListEncodings) {
  const auto cs = cases_from_csv(
      "id,family_id,case_type,factors,open_date,team,allocations,tasks\n"
      "C1,F1,child_protection,court_proceedings;interpreter,2024-01-15,North,W1:0.5;W2:0.5,"
      "court_report:2024-03-01;statutory_visit:2024-02-01:2.5;single_assessment::3:2024-01-16:done\n"
      "C2,,child_in_need,,2024-01-20,,W3,\n");
  ASSERT_EQ(cs.size(), 2u);
  EXPECT_EQ(cs[0].factors, (std::vector<std::string>{"court_proceedings", "interpreter"}));
  ASSERT_EQ(cs[0].allocations.size(), 2u);
  EXPECT_EQ(cs[0].allocations[1].worker_id, "W2");
  EXPECT_EQ(cs[0].allocations[1].share, 0.5);
  ASSERT_EQ(cs[0].tasks.size(), 3u);
  EXPECT_EQ(cs[0].tasks[0].due, Date::parse("2024-03-01"));
  EXPECT_EQ(cs[0].tasks[0].points, std::nullopt);
  EXPECT_EQ(cs[0].tasks[1].points, 2.5);
  EXPECT_EQ(cs[0].tasks[2].due, std::nullopt);
  EXPECT_EQ(cs[0].tasks[2].points, 3.0);
  EXPECT_EQ(cs[0].tasks[2].created, Date::parse("2024-01-16"));
  EXPECT_TRUE(cs[0].tasks[2].completed);
  EXPECT_EQ(cs[1].allocations.size(), 1u);
  EXPECT_EQ(cs[1].allocations[0].share, 1.0);  // a bare id holds the whole case
  EXPECT_TRUE(cs[1].tasks.empty());
  EXPECT_EQ(cs[1].family_id, "");
}

std::string case_error(const std::string& row) {
  return error_of([&] { cases_from_csv("id,case_type,open_date,allocations,tasks\n" + row); }, ErrorCode::parse);
}

TEST(CasesCsv, ErrorsNameRowIdAndField) {
  EXPECT_EQ(case_error("C1,cin,2024-01-01,,\nC9,cin,01/02/2024,,\n"),
            "cases.csv row 2 (case \"C9\"): open_date must be a date YYYY-MM-DD, got \"01/02/2024\"");
  EXPECT_EQ(case_error("C9,cin,,,\n"), "cases.csv row 1 (case \"C9\"): open_date is required");
  EXPECT_EQ(case_error("C9,,2024-01-01,,\n"), "cases.csv row 1 (case \"C9\"): case_type is required");
  EXPECT_EQ(case_error("C9,cin,2024-01-01,W1:half,\n"),
            "cases.csv row 1 (case \"C9\"): allocations item \"W1:half\": share must be a number, got \"half\"");
  EXPECT_EQ(case_error("C9,cin,2024-01-01,W1:0.5:x,\n"),
            "cases.csv row 1 (case \"C9\"): allocations item \"W1:0.5:x\": must be worker_id or worker_id:share");
  EXPECT_EQ(case_error("C9,cin,2024-01-01,,report:2024-02-31\n"),
            "cases.csv row 1 (case \"C9\"): tasks due must be a date YYYY-MM-DD, got \"2024-02-31\"");
  EXPECT_EQ(case_error("C9,cin,2024-01-01,,report::many\n"),
            "cases.csv row 1 (case \"C9\"): tasks item \"report::many\": points must be a number, got \"many\"");
  EXPECT_EQ(
      case_error("C9,cin,2024-01-01,,report::::yes\n"),
      "cases.csv row 1 (case \"C9\"): tasks item \"report::::yes\": the fifth part must be \"done\" or empty, got "
      "\"yes\"");
  EXPECT_EQ(case_error("C9,cin,2024-01-01,,a:b:1:c:d:e\n"),
            "cases.csv row 1 (case \"C9\"): tasks item \"a:b:1:c:d:e\": must be type[:due[:points[:created[:done]]]]");
}

TEST(CasesCsv, RoundTripIsExact) {
  const auto cs = sample_cases();
  const std::string csv = cases_to_csv(cs);
  const auto back = cases_from_csv(csv);
  expect_same(cs, back);
  EXPECT_EQ(cases_to_csv(back), csv);
  // The writer uses the short forms: a bare id for share 1, no trailing empty task parts.
  Case c;
  c.id = "C1";
  c.case_type = "cin";
  c.opened = Date::parse("2024-01-01");
  c.allocations = {{"W1", 1.0}};
  Task t;
  t.type = "court_report";
  t.due = Date::parse("2024-02-01");
  c.tasks = {t};
  EXPECT_EQ(cases_to_csv({c}),
            "id,family_id,case_type,factors,open_date,team,allocations,tasks\n"
            "C1,,cin,,2024-01-01,,W1,court_report:2024-02-01\n");
}

TEST(CasesJson, RoundTripIsExact) {
  const auto cs = sample_cases();
  const std::string json = cases_to_json(cs);
  const auto back = cases_from_json(json);
  expect_same(cs, back);
  EXPECT_EQ(cases_to_json(back), json);
}

TEST(CasesJson, ErrorsNameCaseAndField) {
  auto err = [](const std::string& fields) {
    return error_of(
        [&] { cases_from_json("[{\"id\":\"C9\",\"case_type\":\"cin\",\"open_date\":\"2024-01-01\"" + fields + "}]"); },
        ErrorCode::parse);
  };
  EXPECT_EQ(err(",\"allocations\":[{\"worker_id\":\"W1\",\"share\":\"1/2\"}]"),
            "case \"C9\" allocations[0]: share must be a number, got string");
  EXPECT_EQ(err(",\"allocations\":[{\"share\":1}]"), "case \"C9\" allocations[0]: worker_id is required");
  EXPECT_EQ(err(",\"tasks\":[{\"type\":\"r\",\"due\":\"tomorrow\"}]"),
            "case \"C9\" tasks[0]: due must be a date YYYY-MM-DD, got \"tomorrow\"");
  EXPECT_EQ(err(",\"tasks\":[{\"type\":\"r\",\"completed\":1}]"),
            "case \"C9\" tasks[0]: completed must be a boolean, got number");
  EXPECT_EQ(err(",\"factors\":[true]"), "case \"C9\": factors[0] must be a string, got boolean");
  EXPECT_EQ(err(",\"opened\":\"2024-01-01\"").find("case \"C9\": unknown field \"opened\""), 0u);
  EXPECT_EQ(error_of([] { cases_from_json(R"([{"id":"C9","case_type":"cin"}])"); }, ErrorCode::parse),
            "case \"C9\": open_date is required");
}

// ---- snapshots ----

TEST(Snapshots, CsvAndJsonRoundTripsAreExact) {
  const auto ss = sample_snapshots();
  const std::string csv = snapshots_to_csv(ss);
  EXPECT_EQ(csv,
            "date,worker_id,utilisation,cases,points,capacity,team,service_area\n"
            "2024-03-29,W1,1.1234567890123457,12,101.1,90,North,children_in_need\n"
            "2024-04-05,W2,0,,,,,\n");
  expect_same(ss, snapshots_from_csv(csv));
  const std::string json = snapshots_to_json(ss);
  expect_same(ss, snapshots_from_json(json));
  EXPECT_EQ(snapshots_to_json(snapshots_from_json(json)), json);
}

TEST(Snapshots, MinimalCsvAndErrors) {
  const auto ss = snapshots_from_csv("date,worker_id,utilisation\n2024-01-05,W1,0.95\n");
  ASSERT_EQ(ss.size(), 1u);
  EXPECT_EQ(ss[0].utilisation, 0.95);
  EXPECT_EQ(ss[0].cases, std::nullopt);
  EXPECT_EQ(error_of([] { snapshots_from_csv("date,worker_id,utilisation\n2024-01-05,W1,high\n"); }, ErrorCode::parse),
            "snapshots.csv row 1 (worker \"W1\"): utilisation must be a number, got \"high\"");
  EXPECT_EQ(error_of([] { snapshots_from_csv("date,worker_id\n2024-01-05,W1\n"); }, ErrorCode::parse),
            "snapshots.csv: missing required column \"utilisation\"");
  EXPECT_EQ(error_of([] { snapshots_from_json(R"([{"date":"2024-01-05","worker_id":"W1","utilisation":null}])"); },
                     ErrorCode::parse),
            "snapshots[0] (worker \"W1\"): utilisation must be a number, got null");
}

// ---- tables (the DataFrame path) ----

Column numbers(const char* name, std::vector<double> v) {
  Column c;
  c.name = name;
  c.is_numeric = true;
  c.numbers = std::move(v);
  return c;
}
Column texts(const char* name, std::vector<std::string> v) {
  Column c;
  c.name = name;
  c.text = std::move(v);
  return c;
}

TEST(Tables, NumericColumnsAndNaNAsMissing) {
  const double nan = std::nan("");
  Table t;
  t.columns = {numbers("id", {17, 18}),
               texts("team", {"T", "T"}),
               texts("role", {"sw", "sw"}),
               numbers("contracted_hours", {37, 18.5}),
               numbers("reported_weekly_hours", {nan, 40}),
               numbers("agency", {1, nan})};
  const auto ws = workers_from_table(t);
  ASSERT_EQ(ws.size(), 2u);
  EXPECT_EQ(ws[0].id, "17");  // integer ids from a DataFrame become text
  EXPECT_EQ(ws[1].contracted_hours, 18.5);
  EXPECT_EQ(ws[0].reported_weekly_hours, std::nullopt);
  EXPECT_EQ(ws[1].reported_weekly_hours, 40.0);
  EXPECT_TRUE(ws[0].agency);
  EXPECT_FALSE(ws[1].agency);
}

TEST(Tables, ErrorsSayRowAndId) {
  const double inf = std::numeric_limits<double>::infinity();
  Table t;
  t.columns = {texts("id", {"W1", "W17"}), texts("team", {"T", "T"}), texts("role", {"sw", "sw"}),
               numbers("contracted_hours", {37, inf})};
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::parse),
            "row 2 (worker \"W17\"): contracted_hours must be a finite number, got inf");
  t.columns[3] = numbers("contracted_hours", {37, std::nan("")});
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::parse),
            "row 2 (worker \"W17\"): contracted_hours is required");
  t.columns[3] = texts("contracted_hours", {"37", "x"});
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::parse),
            "row 2 (worker \"W17\"): contracted_hours must be a number, got \"x\"");
  t.columns.push_back(numbers("start_date", {20240101, std::nan("")}));
  t.columns[3] = numbers("contracted_hours", {37, 37});
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::parse),
            "row 1 (worker \"W1\"): start_date must be a date YYYY-MM-DD, got the number 20240101");
  t.columns.pop_back();
  t.columns.push_back(numbers("agency", {2, 0}));
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::parse),
            "row 1 (worker \"W1\"): agency must be true or false, got 2");
  t.columns.pop_back();
  t.columns.push_back(texts("skills", {"a"}));  // ragged
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::invalid_argument),
            "table: column \"skills\" has 1 rows, expected 2");
  t.columns.back() = texts("id", {"a", "b"});
  EXPECT_EQ(error_of([&] { workers_from_table(t); }, ErrorCode::parse), "table: column \"id\" appears twice");
}

TEST(Tables, ToTableTypesAndRoundTrip) {
  const auto ws = sample_workers();
  const Table t = workers_to_table(ws);
  ASSERT_NE(t.find("contracted_hours"), nullptr);
  EXPECT_TRUE(t.find("contracted_hours")->is_numeric);
  EXPECT_FALSE(t.find("id")->is_numeric);
  EXPECT_TRUE(std::isnan(t.find("reported_weekly_hours")->numbers[1]));  // absent -> NaN
  EXPECT_EQ(t.find("start_date")->text[0], "2024-09-02");
  EXPECT_EQ(t.find("agency")->text[1], "true");
  expect_same(ws, workers_from_table(t));
  expect_same(sample_cases(), cases_from_table(cases_to_table(sample_cases())));
  const Table st = snapshots_to_table(sample_snapshots());
  EXPECT_TRUE(st.find("utilisation")->is_numeric);
  expect_same(sample_snapshots(), snapshots_from_table(st));
}

TEST(Tables, Limits) {
  Limits l;
  l.max_records = 1;
  const Table t = workers_to_table(sample_workers());
  EXPECT_EQ(error_of([&] { workers_from_table(t, l); }, ErrorCode::limit_exceeded),
            "table: 2 rows, over the limit of 1");
  l = Limits{};
  l.max_string_bytes = 5;
  EXPECT_EQ(error_of([&] { workers_from_table(t, l); }, ErrorCode::limit_exceeded),
            "row 1 (worker \"W1\"): team is longer than the limit of 5 bytes");
}

TEST(JsonRecords, Limits) {
  Limits l;
  l.max_records = 1;
  const std::string json = workers_to_json(sample_workers());  // two records
  EXPECT_NE(error_of([&] { workers_from_json(json, l); }, ErrorCode::limit_exceeded).find("more than 1 elements"),
            std::string::npos);
  l = Limits{};
  l.max_depth = 2;  // [ { "reductions": [ { ... } ] } ] is 4 deep
  EXPECT_NE(error_of([&] { workers_from_json(json, l); }, ErrorCode::limit_exceeded).find("nesting deeper"),
            std::string::npos);
}

// ---- files ----

TEST(Files, WriteThenReadAndErrors) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("caseload_io_test_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "workers.csv").string();
  const std::string csv = workers_to_csv(sample_workers());
  write_file(path, csv);
  EXPECT_EQ(read_file(path), csv);
  write_file(path, "replaced");  // atomically replaces the old contents
  EXPECT_EQ(read_file(path), "replaced");
  // No temporary file is left behind.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1u);

  Limits l;
  l.max_document_bytes = 4;
  EXPECT_NE(error_of([&] { read_file(path, l); }, ErrorCode::limit_exceeded).find("over the limit of 4"),
            std::string::npos);
  const std::string missing = (dir / "missing.csv").string();
  EXPECT_EQ(error_of([&] { read_file(missing); }, ErrorCode::io).find("cannot read \"" + missing + "\""), 0u);
  const std::string bad_dir = (dir / "no_such_dir" / "x.csv").string();
  EXPECT_EQ(error_of([&] { write_file(bad_dir, "x"); }, ErrorCode::io).find("cannot write \"" + bad_dir + "\""), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace caseload
