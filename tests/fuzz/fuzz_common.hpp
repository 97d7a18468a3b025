// Shared by the libFuzzer targets in this directory (docs/hardening.md).
//
// A target feeds one input to one entry point. caseload::Error is the
// documented way to reject input and is swallowed; anything else (another
// exception, a crash, a sanitizer report, a failed FUZZ_CHECK) is a bug.
// FUZZ_CHECK states properties that must hold for every accepted input, such
// as "what a writer writes its reader reads back unchanged".
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "caseload/caseload.hpp"

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace caseload_fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Limits for fuzzing: the shipped defaults, except that records are capped
/// low so one input cannot take seconds (the defaults allow 5,000,000).
inline caseload::Limits fuzz_limits() {
  caseload::Limits l;
  l.max_records = 4096;
  return l;
}

/// A small valid workforce for targets that need workers to hang cases on.
inline const char* kWorkersJson =
    R"([{"id":"W1","team":"A","service_area":"children_in_need","role":"social_worker","contracted_hours":37},)"
    R"({"id":"W2","team":"A","service_area":"children_in_need","role":"asye","contracted_hours":37,)"
    R"("reductions":[{"reason":"asye_development","percent":10}]},)"
    R"({"id":"W3","team":"B","service_area":"child_protection","role":"social_worker","contracted_hours":18.5}])";

inline const char* kCasesJson =
    R"([{"id":"C1","case_type":"child_in_need","open_date":"2024-01-10","allocations":[{"worker_id":"W1"}]},)"
    R"({"id":"C2","case_type":"child_protection","factors":["court_proceedings"],"open_date":"2023-11-02",)"
    R"("allocations":[{"worker_id":"W1","share":0.5},{"worker_id":"W2","share":0.5}]},)"
    R"({"id":"C3","case_type":"child_in_need","open_date":"2024-02-01","team":"B"}])";

inline caseload::Date as_of() {
  return caseload::Date::from_ymd(2024, 3, 31);
}

}  // namespace caseload_fuzz

namespace caseload_fuzz {

// Parsed once: the targets are about the input, not about re-reading fixtures.
inline const caseload::WeightingScheme& default_scheme() {
  static const caseload::WeightingScheme scheme = caseload::WeightingScheme::default_scheme();
  return scheme;
}
inline const std::vector<caseload::Worker>& workers() {
  static const std::vector<caseload::Worker> w = caseload::workers_from_json(kWorkersJson);
  return w;
}

}  // namespace caseload_fuzz

namespace caseload_fuzz {

/// The record targets' shared first half: reads `data` with `read`
/// (nullopt when it is rejected with caseload::Error), then checks that
/// what the writer writes reads back to records the writer writes
/// identically.
template <class Record, class Read, class Write>
std::optional<std::vector<Record>> read_round_trip(const uint8_t* data, size_t size, Read read, Write write) {
  const caseload::Limits limits = fuzz_limits();
  std::vector<Record> records;
  try {
    records = read(as_text(data, size), limits);
  } catch (const caseload::Error&) {
    return std::nullopt;
  }
  const std::string once = write(records);
  // Whatever the reader accepted, the writer's text must read back: a
  // rejection here is a round-trip bug (":1" was accepted, written as an
  // empty item and refused), so it must not fall into the target's catch of
  // caseload::Error, which treats it as a rejected input.
  std::vector<Record> again;
  bool reread = true;
  try {
    again = read(once, limits);
  } catch (const caseload::Error&) {
    reread = false;
  }
  FUZZ_CHECK(reread);
  const std::string twice = write(again);
  FUZZ_CHECK(once == twice);
  return records;
}

/// The worker and case targets' second half: the records go through the
/// model's own validation, which may reject them with caseload::Error.
inline void build_model(const std::vector<caseload::Worker>& workers, const std::vector<caseload::Case>& cases,
                        caseload::Level level) {
  try {
    const caseload::Caseload model(default_scheme(), workers, cases, as_of());
    (void)model.rollup(level);
  } catch (const caseload::Error&) {
  }
}

}  // namespace caseload_fuzz
