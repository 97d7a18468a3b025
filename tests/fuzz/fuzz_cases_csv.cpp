// Cases CSV (cases_from_csv). Properties: the writer's output reads
// back to records the writer writes identically; then the records go through
// the model's own validation (which may reject them with caseload::Error).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  const auto records = caseload_fuzz::read_round_trip<Case>(
      data, size, [](std::string_view text, const Limits& limits) { return cases_from_csv(text, limits); },
      [](const std::vector<Case>& r) { return cases_to_csv(r); });
  if (!records) return 0;
  caseload_fuzz::build_model(caseload_fuzz::workers(), *records, Level::team);
  return 0;
}
