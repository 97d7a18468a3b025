// forecast() behind JSON: the request/response format of docs/forecasting.md.
#include "forecast/forecast_json.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/forecast.hpp"

namespace caseload {
namespace fc {
namespace {

using json::Value;

[[noreturn]] void bad(ErrorCode code, const std::string& message) {
  throw Error(code, message);
}

// Integral number in [lo, hi]; absent or null gives nullopt.
std::optional<int64_t> opt_integer(const Value& obj, std::string_view key, const std::string& where, int64_t lo,
                                   int64_t hi) {
  const auto v = json::opt_number(obj, key, where);
  if (!v) return std::nullopt;
  if (!(*v == std::floor(*v)) || *v < static_cast<double>(lo) || *v > static_cast<double>(hi))
    bad(ErrorCode::invalid_argument, where + ": " + std::string(key) + " must be an integer in [" + std::to_string(lo) +
                                         ", " + std::to_string(hi) + "], got " + json::dump(Value(*v)));
  return static_cast<int64_t>(*v);
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
  ForecastOptions o;
  if (v == nullptr || v->is_null()) return o;
  if (!v->is_object()) bad(ErrorCode::parse, where + " must be an object, got " + v->type_name());
  json::reject_unknown_keys(
      *v, {"horizon", "season_length", "levels", "model", "seed", "n_paths", "count_data", "calibrate", "n_threads"},
      where);
  // Wide bounds here; forecast() checks the real ranges with its own messages.
  if (auto n = opt_integer(*v, "horizon", where, -1'000'000, 1'000'000)) o.horizon = static_cast<int32_t>(*n);
  if (auto n = opt_integer(*v, "season_length", where, -1'000'000, 1'000'000))
    o.season_length = static_cast<int32_t>(*n);
  if (const Value* l = v->find("levels"); l != nullptr && !l->is_null()) o.levels = numbers(*l, where + ": levels");
  if (auto s = json::opt_string(*v, "model", where)) o.model = *s;
  if (auto n = opt_integer(*v, "seed", where, 0, (int64_t{1} << 53))) o.seed = static_cast<uint64_t>(*n);
  if (auto n = opt_integer(*v, "n_paths", where, -1'000'000, 1'000'000)) o.n_paths = static_cast<int32_t>(*n);
  if (auto b = json::opt_bool(*v, "count_data", where)) o.count_data = *b;
  if (auto b = json::opt_bool(*v, "calibrate", where)) o.calibrate = *b;
  if (auto n = opt_integer(*v, "n_threads", where, -1'000'000, 1'000'000)) o.n_threads = static_cast<int32_t>(*n);
  return o;
}

Value array_of(const std::vector<double>& v) {
  json::Array a;
  a.reserve(v.size());
  for (double x : v) a.emplace_back(x);
  return a;
}

}  // namespace

json::Value forecast_request(const json::Value& req, std::string_view where_view) {
  const std::string where(where_view);
  const ForecastOptions o = options_of(req.find("options"), where + ": options");
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
  const json::Value req = json::parse(request);
  if (!req.is_object())
    throw Error(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
  json::reject_unknown_keys(req, {"op", "series", "options"}, "request");
  if (const json::Value* op = req.find("op"); op != nullptr && !(op->is_string() && op->as_string() == "forecast"))
    throw Error(ErrorCode::invalid_argument, "request: op must be \"forecast\" when given");
  return json::dump(fc::forecast_request(req, "request"));
}

}  // namespace caseload
