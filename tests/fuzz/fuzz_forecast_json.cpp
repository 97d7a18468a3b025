// forecast() behind JSON (caseload::forecast_json, the C entry
// caseload_forecast_json). Properties: an accepted request gives JSON that
// parses, every interval bound is a number or null, and the same request
// gives byte-identical output (determinism whatever the thread count).
#include "base/json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  const std::string_view request = caseload_fuzz::as_text(data, size);
  if (size > 1 << 16) return 0;  // the target is the request's shape, not its volume
  std::string first;
  try {
    first = forecast_json(request);
  } catch (const Error&) {
    return 0;
  }
  FUZZ_CHECK(json::parse(first).is_object());
  FUZZ_CHECK(forecast_json(request) == first);
  return 0;
}
