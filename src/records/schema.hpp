// Private: the record tables' column schema and the encoding of list cells
// given as values, for the bindings (caseload._core), so the Python layer
// keeps no copy of either: the columns the table readers accept are the ones
// published here, and a list cell given as a list or dict is encoded by the
// same rules the readers decode. Formats: docs/records_format.md. Not API.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "records/csv.hpp"

namespace caseload::records {

/// The columns of a record table, in the order *_to_table writes them, as the
/// table and CSV readers bind them. `kind` is "workers", "cases" or
/// "snapshots"; anything else is Error(invalid_argument).
const std::vector<csv::ColumnSpec>& schema(std::string_view kind);

/// "worker", "case" or "snapshot": how errors name one record of `kind`.
const char* record_noun(std::string_view kind);

/// "number", "text", "date", "list" or "boolean".
const char* type_name(csv::ColumnType type);

/// The table/CSV text of a list field's cell given as a value: an array of
/// items, or (allocations, tasks, reductions) a single item. An item is its
/// encoded text (a string, e.g. "W1:0.5"), its JSON record form (an object,
/// read by the JSON records' reader for that field), or its encoded parts as
/// an array ([worker_id, share], [type, due, points, created],
/// [reason, amount, start, end]); allocations may also be an object of
/// worker id -> share. `where` names the record (`worker "W1" (row 1)`);
/// errors name it and the field. Throws Error(parse).
std::string list_cell_text(std::string_view kind, std::string_view field, const json::Value& cell,
                           const std::string& where);

}  // namespace caseload::records
