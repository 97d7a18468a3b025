// The C API's change JSON (caseload_model_preview_json, caseload_model_apply_json)
// on a small fixed model. Properties: no call returns CASELOAD_EINTERNAL;
// preview and apply accept exactly the same changes with the same code; a
// failed apply leaves the model byte-for-byte as it was, and a failed call
// sets a non-empty last error.
#include <cstring>
#include <string_view>

#include "caseload/caseload.h"
#include "fuzz_common.hpp"

namespace {

std::string model_json(const caseload_model* model) {
  char* out = nullptr;
  FUZZ_CHECK(caseload_model_to_json(&out, model) == CASELOAD_OK);
  std::string s(out);
  caseload_string_free(out);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The change functions read a NUL-terminated string: stop at the first NUL.
  std::string_view text = caseload_fuzz::as_text(data, size);
  const std::string change(text.substr(0, text.find('\0')));
  caseload_model* model = nullptr;
  // Parsing the default scheme once keeps the target fast; the model copies it.
  static caseload_scheme* const scheme = [] {
    caseload_scheme* s = nullptr;
    FUZZ_CHECK(caseload_scheme_default(&s) == CASELOAD_OK);
    return s;
  }();
  FUZZ_CHECK(caseload_model_create_json(&model, scheme, caseload_fuzz::kWorkersJson, caseload_fuzz::kCasesJson,
                                        "2024-03-31") == CASELOAD_OK);
  const std::string before = model_json(model);

  char* preview = nullptr;
  const int preview_rc = caseload_model_preview_json(&preview, model, change.c_str());
  FUZZ_CHECK(preview_rc != CASELOAD_EINTERNAL);
  FUZZ_CHECK((preview_rc == CASELOAD_OK) == (preview != nullptr));
  caseload_string_free(preview);
  FUZZ_CHECK(model_json(model) == before);

  const int apply_rc = caseload_model_apply_json(model, change.c_str());
  FUZZ_CHECK(apply_rc == preview_rc);
  if (apply_rc != CASELOAD_OK) {
    FUZZ_CHECK(caseload_last_error_code() == apply_rc);
    FUZZ_CHECK(std::strlen(caseload_last_error()) > 0);
    FUZZ_CHECK(model_json(model) == before);
  }
  caseload_model_free(model);
  return 0;
}
