// The league table behind JSON (caseload::league_table_request_json, the C
// entry caseload_league_table_json). Properties: an accepted request gives
// valid JSON, and the same request (and seed) gives byte-identical output.
#include "base/json.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  if (size > 1 << 15) return 0;
  const std::string_view request = caseload_fuzz::as_text(data, size);
  std::string first;
  try {
    first = league_table_request_json(request, caseload_fuzz::fuzz_limits());
  } catch (const Error&) {
    return 0;
  }
  FUZZ_CHECK(!first.empty());
  FUZZ_CHECK(league_table_request_json(request, caseload_fuzz::fuzz_limits()) == first);
  return 0;
}
