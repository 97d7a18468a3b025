// The C API: the capacity projection (docs/projection.md). Shared machinery
// in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <string>
#include <string_view>

#include "base/text.hpp"
#include "projection/projection_json.hpp"

using namespace caseload_c;

extern "C" {

// ---- Capacity projection (docs/projection.md) --------------------------------

int caseload_model_project_capacity_json(char** out, const caseload_model* model, const char* request_json) {
  return caseload_model_project_capacity_json_ex(out, model, request_json, nullptr);
}

int caseload_model_project_capacity_json_ex(char** out, const caseload_model* model, const char* request_json,
                                            const caseload_cancel* cancel) {
  return guard([&] {
    init_out(out, "caseload_model_project_capacity_json");
    require_arg(model, "caseload_model_project_capacity_json", "model");
    const caseload::json::Value req =
        request_json != nullptr ? caseload::json::parse(request_json) : caseload::json::Value(caseload::json::Object{});
    if (!req.is_object())
      throw Error(ErrorCode::parse, std::string("request_json must be a JSON object, got ") + req.type_name());
    caseload::json::reject_unknown_keys(req, {"referrals", "closed_cases", "options", "format"}, "request_json");
    const caseload::json::Value result = caseload::projection_json::run(model->model, req, token_of(cancel));
    *out = dup_string(result.is_string() ? result.as_string() : to_text(result));
  });
}

int caseload_project_capacity_json(char** out, const char* request, size_t len) {
  return guard([&] {
    init_out(out, "caseload_project_capacity_json");
    require_arg(request, "caseload_project_capacity_json", "request");
    caseload::json::Value req = caseload::json::parse(std::string_view(request, len));
    if (!req.is_object())
      throw Error(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
    if (req.find("op") == nullptr) req.as_object().emplace_back("op", "project_capacity");
    const std::string op = caseload::json::get_string(req, "op", "request");
    if (op != "project_capacity")
      throw Error(ErrorCode::invalid_argument,
                  "request: op must be \"project_capacity\" (or absent), got " + caseload::text::quoted(op));
    const caseload::json::Value response = caseload::json::parse(caseload::run_json_request(caseload::json::dump(req)));
    const caseload::json::Value& result = caseload::json::require(response, "result", "response");
    *out = dup_string(result.is_string() ? result.as_string() : to_text(result));
  });
}

}  // extern "C"
