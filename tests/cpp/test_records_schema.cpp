// The records' published schema (records/schema.hpp) is the one the readers
// apply: every required column is required by the CSV reader, every optional
// one may be left out, nothing else is accepted, and each type is checked.
// List cells given as JSON values encode to text the readers decode into the
// same records as the JSON readers, and their errors name record and field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/json.hpp"
#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "records/schema.hpp"

#include "error_of.hpp"

namespace caseload {
namespace {

using csv::ColumnSpec;
using csv::ColumnType;

const std::vector<std::string> kKinds = {"workers", "cases", "snapshots"};

// A valid cell for a column of the schema (ids and names the readers accept).
std::string sample_value(const ColumnSpec& c) {
  switch (c.type) {
    case ColumnType::number:
      return "1";
    case ColumnType::date:
      return "2024-01-01";
    case ColumnType::boolean:
      return "true";
    case ColumnType::list:
      return "";
    case ColumnType::text:
      return "x";
  }
  return "x";
}

// Reads a one-row CSV of `kind` from its columns; returns the row count.
size_t read(const std::string& kind, const std::vector<ColumnSpec>& columns) {
  std::string header, row;
  for (size_t i = 0; i < columns.size(); ++i) {
    header += (i ? "," : "") + std::string(columns[i].name);
    row += (i ? "," : "") + sample_value(columns[i]);
  }
  const std::string csv = header + "\n" + row + "\n";
  if (kind == "workers") return workers_from_csv(csv).size();
  if (kind == "cases") return cases_from_csv(csv).size();
  return snapshots_from_csv(csv).size();
}

TEST(RecordsSchema, EveryColumnOfTheSchemaIsReadAndRequiredOnesAreRequired) {
  for (const auto& kind : kKinds) {
    const auto& schema = records::schema(kind);
    ASSERT_FALSE(schema.empty()) << kind;
    EXPECT_EQ(read(kind, schema), 1u) << kind;  // every column, each with a valid value
    for (size_t k = 0; k < schema.size(); ++k) {
      std::vector<ColumnSpec> without = schema;
      without.erase(without.begin() + static_cast<std::ptrdiff_t>(k));
      if (schema[k].required) {
        const std::string msg = error_of([&] { read(kind, without); }, ErrorCode::parse);
        EXPECT_NE(msg.find(std::string("missing required column \"") + schema[k].name + "\""), std::string::npos)
            << kind << ": " << msg;
      } else {
        EXPECT_EQ(read(kind, without), 1u) << kind << " without " << schema[k].name;
      }
      EXPECT_NE(std::string(schema[k].doc), "") << kind << "." << schema[k].name;
    }
    std::vector<ColumnSpec> extra = schema;
    extra.push_back({"not_a_column", false, ColumnType::text, ""});
    EXPECT_NE(error_of([&] { read(kind, extra); }, ErrorCode::parse).find("not_a_column"), std::string::npos);
  }
  EXPECT_NE(error_of([] { (void)records::schema("staff"); }, ErrorCode::invalid_argument).find("\"staff\""),
            std::string::npos);
}

TEST(RecordsSchema, TypesAreTheOnesTheReadersCheck) {
  for (const auto& kind : kKinds) {
    const auto& schema = records::schema(kind);
    for (size_t k = 0; k < schema.size(); ++k) {
      if (schema[k].type != ColumnType::number && schema[k].type != ColumnType::date) continue;
      // A number or date column given text that is neither is rejected,
      // naming the field.
      std::string header, row;
      for (size_t i = 0; i < schema.size(); ++i) {
        header += (i ? "," : "") + std::string(schema[i].name);
        row += (i ? "," : "") + (i == k ? std::string("zz") : sample_value(schema[i]));
      }
      const std::string csv = header + "\n" + row + "\n";
      const std::string msg = error_of(
          [&] {
            if (kind == "workers") (void)workers_from_csv(csv);
            if (kind == "cases") (void)cases_from_csv(csv);
            if (kind == "snapshots") (void)snapshots_from_csv(csv);
          },
          ErrorCode::parse);
      EXPECT_NE(msg.find(schema[k].name), std::string::npos) << msg;
    }
  }
  // The table writers write the schema's columns, in its order.
  const auto names = [](const Table& t) {
    std::vector<std::string> out;
    for (const auto& c : t.columns) out.push_back(c.name);
    return out;
  };
  const auto schema_names = [](const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& c : records::schema(kind)) out.push_back(c.name);
    return out;
  };
  EXPECT_EQ(names(workers_to_table({})), schema_names("workers"));
  EXPECT_EQ(names(cases_to_table({})), schema_names("cases"));
  EXPECT_EQ(names(snapshots_to_table({})), schema_names("snapshots"));
}

std::string cell(const std::string& kind, const std::string& field, const std::string& json,
                 const std::string& where = "worker \"W1\" (row 1)") {
  return records::list_cell_text(kind, field, json::parse(json), where);
}

TEST(RecordsSchema, ListCellsGivenAsValuesEncodeByTheCsvRules) {
  EXPECT_EQ(cell("workers", "skills", R"(["welsh", "a;b", "c:d"])"), "welsh;a\\;b;c\\:d");
  EXPECT_EQ(cell("workers", "reductions",
                 R"([{"reason": "asye", "percent": 10, "start": "2024-01-01"}, ["cpd", "3.7h", null, "2024-06-30"],
                     "x:5%"])"),
            "asye:10%:2024-01-01:;cpd:3.7h::2024-06-30;x:5%");
  EXPECT_EQ(cell("workers", "reductions", R"({"reason": "union", "hours": 2})"), "union:2h::");
  EXPECT_EQ(cell("cases", "allocations", R"({"W1": 0.5, "W:2": 0.5})"), "W1:0.5;W\\:2:0.5");
  EXPECT_EQ(cell("cases", "allocations", R"(["W1", 0.5])"), "W1:0.5");
  EXPECT_EQ(cell("cases", "allocations", R"(["W1", "W2"])"), "W1;W2");
  EXPECT_EQ(cell("cases", "allocations", R"([{"worker_id": "W1"}, ["W2", 0.25]])"), "W1;W2:0.25");
  EXPECT_EQ(cell("cases", "tasks", R"([{"type": "report", "due": "2024-04-30"}, ["visit", null, 2.5]])"),
            "report:2024-04-30;visit::2.5");
  EXPECT_EQ(cell("cases", "factors", "[]"), "");
  EXPECT_EQ(cell("cases", "tasks", "null"), "");
}

TEST(RecordsSchema, ListCellsGivenAsValuesReadAsTheJsonRecords) {
  const std::string reductions =
      R"([{"reason": "asye_development", "percent": 10, "start": "2024-01-01", "end": "2024-06-30"},
          {"reason": "union", "hours": 3.7}])";
  const auto from_json = workers_from_json(
      R"([{"id": "W1", "team": "A", "role": "sw", "contracted_hours": 37, "skills": ["welsh", "a;b"],
           "reductions": )" +
      reductions + "}]");
  Table t = workers_to_table(from_json);
  const std::string skills = cell("workers", "skills", R"(["welsh", "a;b"])");
  const std::string reds = cell("workers", "reductions", reductions);
  for (auto& c : t.columns) {
    if (c.name == "skills") c.text[0] = skills;
    if (c.name == "reductions") c.text[0] = reds;
  }
  const auto from_cells = workers_from_table(t);
  ASSERT_EQ(from_cells.size(), 1u);
  EXPECT_EQ(from_cells[0].skills, from_json[0].skills);
  ASSERT_EQ(from_cells[0].reductions.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(from_cells[0].reductions[i].reason, from_json[0].reductions[i].reason);
    EXPECT_EQ(from_cells[0].reductions[i].percent, from_json[0].reductions[i].percent);
    EXPECT_EQ(from_cells[0].reductions[i].hours, from_json[0].reductions[i].hours);
    EXPECT_EQ(from_cells[0].reductions[i].start, from_json[0].reductions[i].start);
    EXPECT_EQ(from_cells[0].reductions[i].end, from_json[0].reductions[i].end);
  }
}

TEST(RecordsSchema, ListCellErrorsNameTheRecordAndField) {
  const std::string c2 = "case \"C2\" (row 2)";
  EXPECT_EQ(error_of([&] { cell("cases", "allocations", R"([["W1", 0.5, "extra"]])", c2); }, ErrorCode::parse)
                .rfind(c2 + ": allocations[0] must be [worker_id, share]", 0),
            0u);
  EXPECT_EQ(error_of([&] { cell("workers", "reductions", R"([{"reason": "cpd"}])"); }, ErrorCode::parse),
            "worker \"W1\" (row 1): reductions[0]: exactly one of percent and hours must be given");
  EXPECT_EQ(error_of([&] { cell("workers", "skills", "[1]"); }, ErrorCode::parse),
            "worker \"W1\" (row 1): skills[0] must be a string, got number");
  EXPECT_EQ(error_of([&] { cell("cases", "tasks", R"({"type": "report", "colour": "red"})", c2); }, ErrorCode::parse)
                .rfind(c2 + ": tasks", 0),
            0u);
  EXPECT_EQ(error_of([&] { cell("cases", "allocations", "true", c2); }, ErrorCode::parse),
            c2 + ": allocations must be an array, got boolean");
  EXPECT_NE(error_of([&] { cell("cases", "team", "[]", c2); }, ErrorCode::invalid_argument).find("not a list field"),
            std::string::npos);
}

}  // namespace
}  // namespace caseload
