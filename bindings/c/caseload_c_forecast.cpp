// The C API: the batch demand forecaster (docs/forecasting.md). Shared
// machinery in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <string_view>

#include "forecast/forecast_json.hpp"

using namespace caseload_c;

extern "C" {

int caseload_forecast_json_ex(char** out, const char* request, size_t len, const caseload_cancel* cancel) {
  return guard([&] {
    init_out(out, "caseload_forecast_json");
    require_arg(request, "caseload_forecast_json", "request");
    *out = dup_string(caseload::fc::forecast_json_text(std::string_view(request, len), token_of(cancel)));
  });
}

int caseload_forecast_json(char** out, const char* request, size_t len) {
  return caseload_forecast_json_ex(out, request, len, nullptr);
}

}  // extern "C"
