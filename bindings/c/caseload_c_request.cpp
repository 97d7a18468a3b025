// The C API: one JSON request in, one JSON response out (docs/json_api.md).
// Shared machinery in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <string_view>

using namespace caseload_c;

extern "C" {

int caseload_request_json(char** response_out, const char* request, size_t len) {
  return guard([&] {
    init_out(response_out, "caseload_request_json");
    require_arg(request, "caseload_request_json", "request");
    *response_out = dup_string(caseload::run_json_request(std::string_view(request, len)));
  });
}

}  // extern "C"
