// The allocation ops of the JSON API (allocate, suggest, rebalance) on a
// small fixed model: the request's "op" is taken from the input, the model's
// records are added here. Properties: an accepted request's response is
// {"ok":true,...} and running it again gives byte-identical output, but for
// the documented wall-clock field "seconds".
#include <string>

#include "fuzz_common.hpp"

namespace {

// The answer without its wall-clock timings ("seconds":<number>), which are
// the one field a plan may differ in between runs (docs/allocation.md).
std::string without_seconds(std::string s) {
  const std::string key = "\"seconds\":";
  for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at)) {
    size_t end = at + key.size();
    while (end < s.size() && s[end] != ',' && s[end] != '}') ++end;
    s.erase(at + key.size(), end - at - key.size());
    at += key.size();
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  if (size > 1 << 14) return 0;
  const std::string_view body = caseload_fuzz::as_text(data, size);
  // The input is the op's own part of the request: {"op":..., "incoming":..., "options":...}.
  // The workers and cases are spliced in, so every run reaches the optimiser.
  if (body.size() < 2 || body.front() != '{') return 0;
  std::string request = std::string("{\"workers\":") + caseload_fuzz::kWorkersJson +
                        ",\"cases\":" + caseload_fuzz::kCasesJson + ",\"as_of\":\"2024-03-31\"," +
                        std::string(body.substr(1));
  if (request.find("\"op\":\"allocate\"") == std::string::npos &&
      request.find("\"op\":\"suggest\"") == std::string::npos &&
      request.find("\"op\":\"rebalance\"") == std::string::npos)
    return 0;
  std::string first;
  try {
    first = run_json_request(request, caseload_fuzz::fuzz_limits());
  } catch (const Error&) {
    return 0;
  }
  FUZZ_CHECK(first.rfind("{\"ok\":true,", 0) == 0);
  FUZZ_CHECK(without_seconds(run_json_request(request, caseload_fuzz::fuzz_limits())) == without_seconds(first));
  return 0;
}
