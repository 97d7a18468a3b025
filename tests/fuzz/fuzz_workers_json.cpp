// Workers JSON (workers_from_json). Properties: the writer's output reads
// back to records the writer writes identically; then the records go through
// the model's own validation (which may reject them with caseload::Error).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  const auto records = caseload_fuzz::read_round_trip<Worker>(
      data, size, [](std::string_view text, const Limits& limits) { return workers_from_json(text, limits); },
      [](const std::vector<Worker>& r) { return workers_to_json(r); });
  if (!records) return 0;
  caseload_fuzz::build_model(*records, {}, Level::organisation);
  return 0;
}
