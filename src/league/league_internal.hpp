// Private: pieces of the league table shared by its source files and the
// JSON API. Not API.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caseload/league.hpp"
#include "base/json.hpp"
#include "base/text.hpp"

namespace caseload::league_detail {

/// `"Northshire"` quoted as JSON, cut to 64 bytes, for error messages.
using text::quoted;
/// `organisation "Northshire"` or `organisation "Northshire", service_area "CP"`.
std::string where_of(const PublishedFigures& f);

/// Published figures from a JSON array of objects (keys as the CSV columns;
/// null = missing). `where` names the array in errors.
std::vector<PublishedFigures> figures_from_value(const json::Value& array, std::string_view where);
std::vector<PublishedFigures> figures_from_health_check_value(const json::Value& doc, std::string_view where);
LeagueOptions options_from_value(const json::Value* v, std::string_view where);

json::Value to_value(const LeagueTable& table);
/// The JSON API op "league_table" (req: the request object).
json::Value run_request(const json::Value& req);

/// Locale-independent fixed-point text ("–" when not finite).
std::string fixed(double v, int decimals);

}  // namespace caseload::league_detail
