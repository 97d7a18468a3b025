// The C API: the batch demand forecaster (docs/forecasting.md). Shared
// machinery in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <string_view>

using namespace caseload_c;

extern "C" {

int caseload_forecast_json(char** out, const char* request, size_t len) {
  return guard([&] {
    init_out(out, "caseload_forecast_json");
    require_arg(request, "caseload_forecast_json", "request");
    *out = dup_string(caseload::forecast_json(std::string_view(request, len)));
  });
}

}  // extern "C"
