// Whole JSON API requests (caseload::run_json_request, every op). Properties:
// an accepted request's response is a JSON object starting {"ok":true, and
// running the same request again gives byte-identical output.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  const Limits limits = caseload_fuzz::fuzz_limits();
  const std::string_view request = caseload_fuzz::as_text(data, size);
  std::string first;
  try {
    first = run_json_request(request, limits);
  } catch (const Error&) {
    return 0;
  }
  FUZZ_CHECK(first.rfind("{\"ok\":true,", 0) == 0);
  FUZZ_CHECK(run_json_request(request, limits) == first);
  return 0;
}
