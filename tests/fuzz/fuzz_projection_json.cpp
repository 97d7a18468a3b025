// The capacity projection behind JSON on a small fixed model
// (caseload::project_capacity_json, the C entry
// caseload_model_project_capacity_json). Properties: an accepted request
// gives a JSON object, and the same request gives byte-identical output.
#include "base/json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  static const Caseload model(caseload_fuzz::default_scheme(), caseload_fuzz::workers(),
                              cases_from_json(caseload_fuzz::kCasesJson), caseload_fuzz::as_of());
  if (size > 1 << 14) return 0;
  const std::string_view request = caseload_fuzz::as_text(data, size);
  // Many paths or long horizons only make a run slow, not different: the
  // options' own bounds are tested elsewhere.
  try {
    const json::Value v = json::parse(request, caseload_fuzz::fuzz_limits());
    if (const json::Value* o = v.is_object() ? v.find("options") : nullptr; o != nullptr && o->is_object())
      if (const json::Value* n = o->find("n_paths"); n != nullptr && n->is_number() && n->as_number() > 200) return 0;
  } catch (const Error&) {
  }
  std::string first;
  try {
    first = project_capacity_json(model, request);
  } catch (const Error&) {
    return 0;
  }
  FUZZ_CHECK(json::parse(first).is_object());
  FUZZ_CHECK(project_capacity_json(model, request) == first);
  return 0;
}
