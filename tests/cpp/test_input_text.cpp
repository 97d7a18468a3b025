// Issue 13 (embedding safety), the input-text defects: the JSON parser's
// memory budget and depth ceiling, NUL and invalid UTF-8 in JSON and CSV,
// clipping on character boundaries, the allocation list round trip and
// spreadsheet formula injection in report CSVs.
#include <gtest/gtest.h>
#include <pthread.h>

#include <random>
#include <string>
#include <vector>

#include "base/json.hpp"
#include "base/text.hpp"
#include "caseload/allocation.hpp"
#include "caseload/caseload.h"
#include "caseload/error.hpp"
#include "caseload/health_check.hpp"
#include "caseload/io.hpp"
#include "error_of.hpp"
#include "model_fixture.hpp"

namespace caseload {
namespace {

bool valid_utf8(std::string_view s) {
  return text::invalid_utf8_at(s) == std::string_view::npos;
}

// Restores the process-wide limits whatever a test does to them.
struct LimitsGuard {
  Limits saved = default_limits();
  ~LimitsGuard() { set_default_limits(saved); }
};

// ---- Defect 3: one memory budget per JSON document -------------------------

TEST(InputText, JsonBudgetRejectsDenseDocumentsEarly) {
  // 12 MiB of `[],` is 4 M empty arrays: each element under max_records, but
  // the old parser held ~27x the text (a 96-byte Value per 3 bytes). The
  // budget (8x the text, at least 64 MiB) stops it part-way.
  std::string doc = "[";
  while (doc.size() < (size_t{12} << 20)) doc += "[],";
  doc += "[]]";
  const std::string msg = error_of([&] { json::parse(doc); }, ErrorCode::limit_exceeded);
  EXPECT_NE(msg.find("MiB to hold in memory"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 1, column"), std::string::npos) << msg;
}

TEST(InputText, JsonBudgetAcceptsRealRecords) {
  // Real records with the shortest ids (the densest real shape) stay well
  // inside the budget at a size above its floor.
  std::string doc = "[";
  for (int i = 0; doc.size() < (size_t{12} << 20); ++i)
    doc += R"({"id":"C)" + std::to_string(i) +
           R"(","case_type":"cin","open_date":"2024-01-01","allocations":[{"worker_id":"W1"}]},)";
  doc += R"({"id":"last","case_type":"cin","open_date":"2024-01-01"}])";
  EXPECT_NO_THROW((void)cases_from_json(doc));
}

TEST(InputText, JsonValueIsCompact) {
  // The budget's arithmetic assumes it (docs/hardening.md).
  EXPECT_LE(sizeof(json::Value), 40u);
}

// ---- Defect 4: the nesting limit has a ceiling safe on a 1 MiB stack ------

struct DepthRun {
  uint32_t depth;
  bool ok = false;
};

void* parse_nested(void* arg) {
  auto* run = static_cast<DepthRun*>(arg);
  Limits l;
  l.max_depth = run->depth;
  const std::string doc = std::string(run->depth, '[') + std::string(run->depth, ']');
  try {
    (void)json::parse(doc, l);
    run->ok = true;
  } catch (const Error&) {
  }
  return nullptr;
}

TEST(InputText, ParseAtTheDepthCeilingOnAOneMebibyteStack) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, size_t{1} << 20), 0);
  DepthRun run{max_depth_ceiling};
  pthread_t t;
  ASSERT_EQ(pthread_create(&t, &attr, parse_nested, &run), 0);
  ASSERT_EQ(pthread_join(t, nullptr), 0);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(run.ok);
}

TEST(InputText, DepthAboveTheCeilingIsRejectedBySetters) {
  const LimitsGuard guard;
  Limits l;
  l.max_depth = max_depth_ceiling + 1;
  const std::string msg = error_of([&] { set_default_limits(l); }, ErrorCode::invalid_argument);
  EXPECT_NE(msg.find("max_depth"), std::string::npos) << msg;
  EXPECT_EQ(default_limits().max_depth, guard.saved.max_depth);  // unchanged
  // A per-call Limits is checked by the parser itself.
  l.max_depth = 20000;
  error_of([&] { json::parse("[]", l); }, ErrorCode::invalid_argument);
  l.max_depth = max_depth_ceiling;
  EXPECT_NO_THROW(set_default_limits(l));

  caseload_limits c;
  ASSERT_EQ(caseload_limits_init(&c, CASELOAD_LIMITS_VERSION), CASELOAD_OK);
  c.max_depth = 20000;
  EXPECT_EQ(caseload_set_default_limits(&c), CASELOAD_EINVALID);
  EXPECT_NE(std::string(caseload_last_error()).find("max_depth"), std::string::npos) << caseload_last_error();
  EXPECT_EQ(default_limits().max_depth, max_depth_ceiling);
}

// ---- Defect 6: NUL in JSON strings and CSV fields -------------------------

TEST(InputText, JsonRejectsNul) {
  EXPECT_EQ(error_of([] { json::parse(R"(["W\u0000A"])"); }, ErrorCode::parse),
            "JSON parse error at line 1, column 4: \\u0000 (NUL) is not allowed in a string");
  EXPECT_EQ(error_of([] { json::parse(std::string("[\"W\0A\"]", 7)); }, ErrorCode::parse),
            "JSON parse error at line 1, column 4: NUL byte in string");
  const std::string workers = R"([{"id":"W\u0000A","team":"T","role":"sw","contracted_hours":37}])";
  error_of([&] { (void)workers_from_json(workers); }, ErrorCode::parse);
}

TEST(InputText, CsvRejectsNul) {
  const std::string csv = std::string("id,team,role,contracted_hours\nW1,T\0X,sw,37\n", 43);
  EXPECT_EQ(error_of([&] { (void)workers_from_csv(csv); }, ErrorCode::parse),
            "CSV parse error at line 2: field 2 (column \"team\"): NUL byte at byte 2");
}

// ---- Defect 5: UTF-8 ------------------------------------------------------

TEST(InputText, CsvRejectsInvalidUtf8NamingLineAndColumn) {
  const std::string csv = "id,team,role,contracted_hours\nW1,T,sw,37\nW2,\xff\xfe,sw,37\n";
  EXPECT_EQ(error_of([&] { (void)workers_from_csv(csv); }, ErrorCode::parse),
            "CSV parse error at line 3: field 2 (column \"team\"): invalid UTF-8 (byte 0xFF at byte 1); save the "
            "file as UTF-8");
  // The league and incoming readers share the tokenizer.
  error_of([&] { (void)incoming_from_csv("id,case_type\nC1,c\xc3\n"); }, ErrorCode::parse);
}

TEST(InputText, ClippingKeepsWholeCharacters) {
  const std::string team = std::string(63, 'T') + "\xC3\xA9";  // 65 bytes, é straddles byte 64
  const std::string q = text::quoted(team);
  EXPECT_EQ(q, "\"" + std::string(63, 'T') + "\"");
  EXPECT_TRUE(valid_utf8(q));
  EXPECT_EQ(text::clip_utf8("a\xE2\x82\xAC", 3), "a");  // € is 3 bytes
  EXPECT_EQ(text::clip_utf8("a\xE2\x82\xAC", 4), "a\xE2\x82\xAC");
  // Messages never carry control characters or invalid UTF-8 from input.
  EXPECT_EQ(text::quoted("a\nb\x1b[31m\xff\xC2\x9B"), "\"a\\nb\\u001b[31m\xEF\xBF\xBD\\u009b\"");
  const std::string msg = error_of([] { (void)Date::parse("2024-01-01\n\x1b[2J", "as_of"); }, ErrorCode::parse);
  EXPECT_EQ(msg, "as_of must be a date YYYY-MM-DD, got \"2024-01-01\\n\\u001b[2J\"");
}

TEST(InputText, AllocationWithLongTeamNameGivesValidJson) {
  const std::string team = std::string(63, 'T') + "\xC3\xA9";
  Worker w = fixture::make_worker("A", team, "sw");
  const Caseload model(fixture::test_scheme(), {w}, {}, fixture::known_as_of());
  IncomingCase in;
  in.record.id = "N1";
  in.record.case_type = "cin";
  in.record.opened = fixture::ymd(2024, 3, 30);
  in.record.team = team;
  in.required_team = team + "x";  // nobody is in it: the explanation quotes it
  const AllocationPlan plan = allocate(model, {in});
  const std::string out = allocation_plan_to_json(plan);
  // The explanation quotes the team, clipped at 64 bytes: before the fix,
  // mid-'é', so the plan's JSON was not UTF-8.
  EXPECT_NE(plan.cases.at(0).explanation.find(std::string(63, 'T')), std::string::npos) << plan.cases.at(0).explanation;
  EXPECT_TRUE(valid_utf8(plan.cases.at(0).explanation));
  EXPECT_TRUE(valid_utf8(out));
  EXPECT_NO_THROW((void)json::parse(out));
  EXPECT_TRUE(valid_utf8(allocation_plan_to_csv(plan)));
}

TEST(InputText, JsonWriterNeverEmitsInvalidUtf8) {
  // A record built in C++ may hold any bytes; the writers' output still
  // parses (a stray byte becomes U+FFFD), as caseload_model_to_json's must.
  Worker w = fixture::make_worker("W\xff", "T\xC3", "sw");
  const std::string out = workers_to_json({w});
  EXPECT_TRUE(valid_utf8(out));
  EXPECT_EQ(workers_from_json(out).at(0).id, "W\xEF\xBF\xBD");
}

// ---- Defect 7: a dropped allocation ---------------------------------------

TEST(InputText, AllocationWithoutWorkerIsAnError) {
  EXPECT_EQ(error_of([] { (void)cases_from_csv("id,case_type,open_date,allocations\nC1,cin,2024-01-01,:1;W2:0.5\n"); },
                     ErrorCode::parse),
            "cases.csv row 1 (case \"C1\"): allocations item \":1\": has no worker_id before ':'");
  EXPECT_EQ(error_of(
                [] {
                  (void)cases_from_json(
                      R"([{"id":"C1","case_type":"cin","open_date":"2024-01-01","allocations":[{"worker_id":""}]}])");
                },
                ErrorCode::parse),
            "case \"C1\" allocations[0]: worker_id must not be empty");
}

// Property: whatever the cases CSV reader accepts, the writer's output reads
// back to the same records.
TEST(InputText, CasesCsvRoundTripProperty) {
  std::mt19937 rng(13);
  const std::string alphabet = "W1:;\\.5-";
  int accepted = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    std::string cell;
    const int n = static_cast<int>(rng() % 9);
    for (int i = 0; i < n; ++i) cell += alphabet[rng() % alphabet.size()];
    const std::string csv = "id,case_type,open_date,allocations,factors\nC1,cin,2024-01-01," + text::csv_field(cell) +
                            "," + text::csv_field(cell) + "\n";
    std::vector<Case> first;
    try {
      first = cases_from_csv(csv);
    } catch (const Error&) {
      continue;
    }
    ++accepted;
    const std::string written = cases_to_csv(first);
    std::vector<Case> again;
    ASSERT_NO_THROW(again = cases_from_csv(written)) << "cell " << cell << "\n" << written;
    ASSERT_EQ(again.size(), first.size());
    ASSERT_EQ(again[0].allocations.size(), first[0].allocations.size()) << cell;
    for (size_t i = 0; i < first[0].allocations.size(); ++i) {
      EXPECT_EQ(again[0].allocations[i].worker_id, first[0].allocations[i].worker_id);
      EXPECT_EQ(again[0].allocations[i].share, first[0].allocations[i].share);
    }
    EXPECT_EQ(again[0].factors, first[0].factors) << cell;
    EXPECT_EQ(cases_to_csv(again), written);
  }
  EXPECT_GT(accepted, 100);  // the property was exercised
}

// ---- Defect 8: formula injection in report CSVs ----------------------------

TEST(InputText, SpreadsheetSafeCells) {
  EXPECT_EQ(text::spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
  EXPECT_EQ(text::spreadsheet_safe("+cmd"), "'+cmd");
  EXPECT_EQ(text::spreadsheet_safe("-2+3"), "'-2+3");
  EXPECT_EQ(text::spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(text::spreadsheet_safe("\tx"), "'\tx");
  EXPECT_EQ(text::spreadsheet_safe("\rx"), "'\rx");
  EXPECT_EQ(text::spreadsheet_safe("--1"), "'--1");
  EXPECT_EQ(text::spreadsheet_safe("+-1"), "'+-1");
  // Numbers stay numbers; plain text is unchanged.
  EXPECT_EQ(text::spreadsheet_safe("-1.5"), "-1.5");
  EXPECT_EQ(text::spreadsheet_safe("+3"), "+3");
  EXPECT_EQ(text::spreadsheet_safe("-1e-3"), "-1e-3");
  EXPECT_EQ(text::spreadsheet_safe("Team A"), "Team A");
  EXPECT_EQ(text::spreadsheet_safe(""), "");
  EXPECT_EQ(text::report_csv_field("=1,2"), "\"'=1,2\"");
}

TEST(InputText, ReportCsvsNeutraliseFormulas) {
  Worker w = fixture::make_worker("=W1", "=HYPERLINK(\"http://x\")", "sw");
  const Caseload model(fixture::test_scheme(), {w}, {}, fixture::known_as_of());
  const std::string hc = health_check_to_csv(health_check(model));
  EXPECT_NE(hc.find("'=HYPERLINK"), std::string::npos) << hc;
  EXPECT_EQ(hc.find(",=HYPERLINK"), std::string::npos) << hc;
  EXPECT_EQ(hc.find(",\"=HYPERLINK"), std::string::npos) << hc;

  IncomingCase in;
  in.record.id = "@N1";
  in.record.case_type = "cin";
  in.record.team = w.team;
  in.record.opened = fixture::ymd(2024, 3, 30);
  const std::string plan = allocation_plan_to_csv(allocate(model, {in}));
  EXPECT_NE(plan.find("\n'@N1,'=W1,"), std::string::npos) << plan;
  // Record CSVs still round-trip unchanged.
  EXPECT_EQ(workers_from_csv(workers_to_csv({w})).at(0).team, w.team);
}

}  // namespace
}  // namespace caseload
