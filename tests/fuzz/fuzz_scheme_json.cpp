// Scheme JSON (WeightingScheme::from_json). Property: an accepted scheme's
// to_json() reads back to a scheme with the same to_json().
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  try {
    const WeightingScheme scheme = WeightingScheme::from_json(caseload_fuzz::as_text(data, size));
    const std::string once = scheme.to_json();
    const std::string twice = WeightingScheme::from_json(once).to_json();
    FUZZ_CHECK(once == twice);
  } catch (const Error&) {
  }
  return 0;
}
