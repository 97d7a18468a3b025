// Workers CSV (workers_from_csv). Properties: the writer's output reads
// back to records the writer writes identically; then the records go through
// the model's own validation (which may reject them with caseload::Error).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  const Limits limits = caseload_fuzz::fuzz_limits();
  std::vector<Worker> records;
  try {
    records = workers_from_csv(caseload_fuzz::as_text(data, size), limits);
  } catch (const Error&) {
    return 0;
  }
  const std::string once = workers_to_csv(records);
  const std::string twice = workers_to_csv(workers_from_csv(once, limits));
  FUZZ_CHECK(once == twice);
  try {
    const Caseload model(caseload_fuzz::default_scheme(), records, {}, caseload_fuzz::as_of());
    (void)model.rollup(Level::organisation);
  } catch (const Error&) {
  }
  return 0;
}
