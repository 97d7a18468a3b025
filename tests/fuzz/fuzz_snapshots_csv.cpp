// Snapshots CSV (snapshots_from_csv). Properties: the writer's output reads
// back to records the writer writes identically; then the records go through
// the model's own validation (which may reject them with caseload::Error).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  const Limits limits = caseload_fuzz::fuzz_limits();
  std::vector<Snapshot> records;
  try {
    records = snapshots_from_csv(caseload_fuzz::as_text(data, size), limits);
  } catch (const Error&) {
    return 0;
  }
  const std::string once = snapshots_to_csv(records);
  const std::string twice = snapshots_to_csv(snapshots_from_csv(once, limits));
  FUZZ_CHECK(once == twice);
  try {
    (void)exceedance_history(caseload_fuzz::default_scheme(), caseload_fuzz::workers(), records);
  } catch (const Error&) {
  }
  return 0;
}
