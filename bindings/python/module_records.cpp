// caseload._core: what the record tables (workers, cases, snapshots) are, for
// the Python layer (python/caseload/_frames.py), so it keeps no copy: the
// column schema the table readers bind, and the encoding of list cells given
// as Python lists and dicts, by the core's rules (src/records/schema.hpp).
// Registered from module.cpp by register_records().
#include <string>

#include "allocation/allocation_json.hpp"
#include "module_internal.hpp"
#include "py_json.hpp"
#include "records/schema.hpp"

using namespace pybind11::literals;
using namespace caseload_py;

namespace {

// How errors name row `row` (0-based): `worker "W1" (row 1)` when the id
// column holds its id, else `worker row 1`, as the table readers' records are
// known to users by id.
std::string record_label(const char* noun, const std::optional<ObjectCells>& ids, size_t row) {
  const std::string at = "row " + std::to_string(row + 1);
  if (ids && row < ids->size && PyUnicode_Check((*ids)[row])) {
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize((*ids)[row], &size);
    if (utf8 == nullptr) throw py::error_already_set();
    if (size > 0)
      return std::string(noun) + " " + caseload::csv::show(std::string_view(utf8, static_cast<size_t>(size))) + " (" +
             at + ")";
  }
  return std::string(noun) + " " + at;
}

// Incoming cases (allocation) are case records plus the allocation's own
// list fields (skills wanted, excluded workers, preferences), which the
// allocation's readers decode: their cells are encoded by the same code.
bool is_incoming(const std::string& kind) {
  return kind == "incoming";
}

std::string encode(const std::string& kind, const std::string& field, PyObject* cell, const std::string& where) {
  const caseload::json::Value v = json_of(py::handle(cell), where + ": " + field, true);
  if (is_incoming(kind)) return caseload::alloc::incoming_list_cell_text(field, v, where);
  return caseload::records::list_cell_text(kind, field, v, where);
}

py::list encode_list_cells(const std::string& kind, const std::string& field, const py::object& cells,
                           const py::object& ids) {
  const char* noun = is_incoming(kind) ? "incoming case" : caseload::records::record_noun(kind);
  const std::optional<ObjectCells> objects = object_cells(cells);
  if (!objects)
    fail(ErrorCode::invalid_argument, kind + ": column \"" + field + "\" must be a list or a numpy object array");
  const std::optional<ObjectCells> id_cells = ids.is_none() ? std::nullopt : object_cells(ids);
  py::list out(objects->size);
  for (size_t i = 0; i < objects->size; ++i) {
    PyObject* cell = (*objects)[i];
    if (PyUnicode_Check(cell)) {  // already encoded: the reader checks it
      out[i] = py::reinterpret_borrow<py::str>(cell);
    } else if (is_missing_cell(cell)) {
      out[i] = py::str("");
    } else {
      // The record's label is only formatted when a message needs it:
      // formatting it for every cell cost a third of the encoding. A failed
      // cell is encoded again with it, which throws the same error named.
      try {
        out[i] = py::str(encode(kind, field, cell, std::string()));
      } catch (const caseload::Error&) {
        out[i] = py::str(encode(kind, field, cell, record_label(noun, id_cells, i)));
        throw;
      }
    }
  }
  return out;
}

}  // namespace

void register_records(py::module_& m) {
  m.def(
      "record_schema",
      [](const std::string& kind) {
        py::list out;
        for (const auto& c : caseload::records::schema(kind))
          out.append(py::dict("name"_a = c.name, "type"_a = caseload::records::type_name(c.type),
                              "required"_a = c.required, "doc"_a = c.doc));
        return out;
      },
      "kind"_a,
      "The columns of a record table (workers, cases or snapshots), in order: each a dict of name, type "
      "(number, text, date, list or boolean), required and doc.");
  m.def("encode_list_cells", &encode_list_cells, "kind"_a, "field"_a, "cells"_a, "ids"_a = py::none(),
        "A list field's cells as the core's table text: str cells as they are, missing cells as \"\", lists and "
        "dicts encoded by the core's rules (docs/records_format.md); errors name the record (by its id in `ids`) "
        "and the field. `kind` \"incoming\" encodes an incoming case's own list fields (required_skills, "
        "desired_skills, excluded_workers, preferences).");
}
