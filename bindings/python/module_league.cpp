// caseload._core: the league table (docs/league_table.md). Registered from
// module.cpp's PYBIND11_MODULE by register_league(). Published figures
// cross as columns (a DataFrame's: numpy float64 arrays or lists of str) or
// as a CSV file's text, health-check exports as JSON text; the ranked table
// comes back as columns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/options.hpp"
#include "caseload/error.hpp"
#include "caseload/league.hpp"
#include "league/league_options.hpp"
#include "module_internal.hpp"
#include "py_json.hpp"
#include "records/csv.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace {

using caseload::Error;
using caseload::ErrorCode;

// Options cross as a dict, read by the one description of the options
// (src/league/league_options.cpp), as the JSON API's are.
caseload::LeagueOptions league_options(const py::dict& options) {
  const caseload::json::Value v = caseload_py::json_of(options, "league_table: options");
  return caseload::options::read_json(&v, caseload::league::league_option_records(), "league_table: options");
}

py::dict columns(caseload::Table&& t) {
  py::dict out;
  for (auto& c : t.columns) {
    if (c.is_numeric) {
      // Explicit shape and strides: the single-count constructor can give stride 0.
      py::array_t<double> a({static_cast<py::ssize_t>(c.numbers.size())}, {static_cast<py::ssize_t>(sizeof(double))});
      std::copy(c.numbers.begin(), c.numbers.end(), a.mutable_data());
      out[py::str(c.name)] = std::move(a);
    } else {
      py::list l(c.text.size());
      for (size_t i = 0; i < c.text.size(); ++i) l[i] = py::str(c.text[i]);
      out[py::str(c.name)] = std::move(l);
    }
  }
  return out;
}

}  // namespace

void register_league(py::module_& m) {
  py::class_<caseload::LeagueTable>(m, "LeagueTable", "A ranked league table of employers (immutable).")
      .def(
          "columns", [](const caseload::LeagueTable& t) { return columns(caseload::league_table_to_table(t)); },
          "The ranked table as columns.")
      .def("to_json", &caseload::league_table_to_json, "JSON document (docs/league_table.md).")
      .def("to_csv", &caseload::league_table_to_csv, "CSV, one line per organisation.")
      .def("to_html", &caseload::league_table_to_html, "Self-contained sortable HTML page.")
      .def_property_readonly("title", [](const caseload::LeagueTable& t) { return t.options.title; })
      .def_property_readonly("level", [](const caseload::LeagueTable& t) { return t.options.level; })
      .def_property_readonly("draws", [](const caseload::LeagueTable& t) { return t.options.draws; })
      .def_property_readonly("pooled_caseload", [](const caseload::LeagueTable& t) { return t.pooled_caseload; });

  m.def(
      "league_table",
      [](const py::list& figures, const py::list& json_sources, const py::dict& options) {
        const caseload::LeagueOptions o = league_options(options);
        // Each source is a CSV file's text or a DataFrame's columns; both are
        // read by the one table reader (published_figures_from_table), in
        // input order.
        std::vector<std::string> texts(figures.size());
        std::vector<std::optional<caseload::Table>> tables(figures.size());
        // JSON documents: text, or (name, text) when read from a file, so
        // the core's errors name the file.
        std::vector<std::pair<std::string, std::string>> documents;
        for (const py::handle source : json_sources) {
          if (py::isinstance<py::str>(source))
            documents.emplace_back(std::string(), source.cast<std::string>());
          else
            documents.push_back(source.cast<std::pair<std::string, std::string>>());
        }
        for (size_t i = 0; i < figures.size(); ++i) {
          const py::handle source = figures[i];
          if (py::isinstance<py::str>(source)) {
            texts[i] = source.cast<std::string>();
          } else if (py::isinstance<py::dict>(source)) {
            tables[i] = caseload_py::table_from_py(py::reinterpret_borrow<py::dict>(source), "published figures");
          } else {
            throw Error(ErrorCode::invalid_argument,
                        "league_table: figures must be CSV text or a dict of columns, got " +
                            std::string(py::str(py::type::handle_of(source).attr("__name__"))));
          }
        }
        py::gil_scoped_release release;
        std::vector<caseload::PublishedFigures> rows;
        for (size_t i = 0; i < texts.size(); ++i) {
          auto more = tables[i] ? caseload::published_figures_from_table(*tables[i])
                                : caseload::published_figures_from_csv(texts[i]);
          rows.insert(rows.end(), more.begin(), more.end());
        }
        for (const auto& [name, text] : documents) {
          try {
            auto more = caseload::published_figures_from_json(text);
            rows.insert(rows.end(), more.begin(), more.end());
          } catch (const caseload::Error& e) {
            if (name.empty()) throw;
            throw caseload::Error(e.code(),
                                  caseload::csv::show(name, name.size()) + ": " + e.what());  // a path in full
          }
        }
        return caseload::league_table(rows, o);
      },
      "figures"_a, "json_sources"_a, "options"_a,
      "Builds a league table from published figures (each CSV text or a dict of columns) and JSON texts (a "
      "health-check export, an array of them, or an array of published-figure rows), read by the core.");
  m.def(
      "published_figures_columns",
      [](const std::string& csv) {
        return columns(caseload::published_figures_to_table(caseload::published_figures_from_csv(csv)));
      },
      "csv"_a, "Parses published-figures CSV into normalised columns.");
  m.def(
      "synthetic_league_sample_csv",
      [](uint64_t seed, int32_t n) {
        py::gil_scoped_release release;
        return caseload::published_figures_to_csv(caseload::synthetic_league_sample(seed, n));
      },
      "seed"_a = 0, "n"_a = 150, "Published figures of n synthetic authorities as CSV text.");
}
