// The C API: one JSON request in, one JSON response out (docs/json_api.md),
// and the description of each capability's options.
// Shared machinery in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <string_view>

#include "api/options_catalogue.hpp"
#include "base/json.hpp"

using namespace caseload_c;

extern "C" {

int caseload_request_json(char** response_out, const char* request, size_t len) {
  return guard([&] {
    init_out(response_out, "caseload_request_json");
    require_arg(request, "caseload_request_json", "request");
    *response_out = dup_string(caseload::run_json_request(std::string_view(request, len)));
  });
}

int caseload_call_json(char** response_out, const char* request, size_t len) {
  const int rc = caseload_request_json(response_out, request, len);
  if (rc == 0 || response_out == nullptr) return rc;
  // The error travels in the answer itself: a caller whose next call may run
  // on another OS thread (Go, Java virtual threads) never needs the
  // thread-local caseload_last_error.
  try {
    const auto code = static_cast<caseload::ErrorCode>(rc);  // the C codes are the ErrorCode values
    caseload::json::Object error{{"code", caseload::json::Value(caseload::error_code_name(code))},
                                 {"message", caseload::json::Value(std::string(caseload_last_error()))}};
    caseload::json::Object envelope{{"ok", caseload::json::Value(false)},
                                    {"error", caseload::json::Value(std::move(error))}};
    *response_out = dup_string(caseload::json::dump(caseload::json::Value(std::move(envelope))));
  } catch (...) {
    *response_out = nullptr;  // out of memory: the return code still says what failed
  }
  return rc;
}

int caseload_option_records_json(char** out, const char* capability) {
  return guard([&] {
    init_out(out, "caseload_option_records_json");
    require_arg(capability, "caseload_option_records_json", "capability");
    *out = dup_string(caseload::json::dump(caseload::options::describe_capability(capability)));
  });
}

}  // extern "C"
