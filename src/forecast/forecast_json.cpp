// forecast() behind JSON: the request/response format of docs/forecasting.md.
#include "forecast/forecast_json.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/forecast.hpp"
#include "forecast/forecast_options.hpp"

namespace caseload {
namespace fc {
namespace {

using json::Value;

[[noreturn]] void bad(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

std::vector<double> numbers(const Value& arr, const std::string& where) {
  if (!arr.is_array()) bad(ErrorCode::parse, where + " must be an array of numbers, got " + arr.type_name());
  std::vector<double> out;
  out.reserve(arr.as_array().size());
  for (size_t i = 0; i < arr.as_array().size(); ++i) {
    const Value& v = arr.as_array()[i];
    // JSON has no NaN: null stands for a missing value, which forecast() rejects by index.
    if (v.is_null()) {
      out.push_back(NAN);
      continue;
    }
    if (!v.is_number())
      bad(ErrorCode::parse, where + "[" + std::to_string(i) + "] must be a number, got " + v.type_name());
    out.push_back(v.as_number());
  }
  return out;
}

ForecastOptions options_of(const Value* v, const std::string& where) {
  if (v != nullptr && !v->is_null() && !v->is_object())
    bad(ErrorCode::parse, where + " must be an object, got " + v->type_name());
  return options::read_json<ForecastOptions>(v, forecast_option_records(), where);
}

Value array_of(const std::vector<double>& v) {
  json::Array a;
  a.reserve(v.size());
  for (double x : v) a.emplace_back(x);
  return a;
}

}  // namespace

json::Value forecast_request(const json::Value& req, std::string_view where_view, const Cancel* cancel) {
  const std::string where(where_view);
  ForecastOptions o = options_of(req.find("options"), where + ": options");
  o.cancel = cancel;
  const Value& arr = json::require(req, "series", where);
  if (!arr.is_array()) bad(ErrorCode::parse, where + ": series must be an array, got " + arr.type_name());
  std::vector<Series> series;
  series.reserve(arr.as_array().size());
  for (size_t i = 0; i < arr.as_array().size(); ++i) {
    const Value& s = arr.as_array()[i];
    const std::string sw = where + ": series[" + std::to_string(i) + "]";
    if (!s.is_object()) bad(ErrorCode::parse, sw + " must be an object, got " + s.type_name());
    json::reject_unknown_keys(s, {"id", "y"}, sw);
    Series out;
    out.id = json::opt_string(s, "id", sw).value_or("");
    out.y = numbers(json::require(s, "y", sw), sw + ": y");
    series.push_back(std::move(out));
  }
  const auto result = forecast(series, o);
  json::Array list;
  list.reserve(result.size());
  for (const auto& f : result) {
    json::Array intervals;
    for (size_t l = 0; l < o.levels.size(); ++l)
      intervals.emplace_back(
          json::Object{{"level", o.levels[l]}, {"lo", array_of(f.lo[l])}, {"hi", array_of(f.hi[l])}});
    list.emplace_back(json::Object{
        {"id", f.id}, {"model", f.model}, {"mean", array_of(f.mean)}, {"intervals", std::move(intervals)}});
  }
  return json::Object{{"forecasts", std::move(list)}};
}

}  // namespace fc

std::string forecast_json(std::string_view request) {
  return fc::forecast_json_text(request, nullptr);
}

std::string fc::forecast_json_text(std::string_view request, const Cancel* cancel) {
  const json::Value req = json::parse(request);
  if (!req.is_object())
    throw Error(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
  json::reject_unknown_keys(req, {"op", "series", "options"}, "request");
  if (const json::Value* op = req.find("op"); op != nullptr && !(op->is_string() && op->as_string() == "forecast"))
    throw Error(ErrorCode::invalid_argument, "request: op must be \"forecast\" when given");
  return json::dump(fc::forecast_request(req, "request", cancel));
}

}  // namespace caseload
