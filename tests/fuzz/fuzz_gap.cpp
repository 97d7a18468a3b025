// The GAP solver on small instances decoded from bytes: agents and items
// (1..8 each), then costs, weights and capacities as signed bytes (so zero,
// negative and tight values all occur). Properties: no crash; a feasible
// answer assigns every item once, respects every capacity, and its objective
// is the sum of its costs and no better than the bound; the same instance and
// seed give the same answer.
#include <cmath>

#include "caseload/gap.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace caseload;
  if (size < 2) return 0;
  GapInstance g;
  g.agents = 1 + data[0] % 8;
  g.items = 1 + data[1] % 8;
  size_t at = 2;
  const auto next = [&]() -> double { return at < size ? static_cast<double>(static_cast<int8_t>(data[at++])) : 1.0; };
  const size_t cells = static_cast<size_t>(g.agents) * static_cast<size_t>(g.items);
  for (size_t k = 0; k < cells; ++k) g.cost.push_back(next());
  for (size_t k = 0; k < cells; ++k) g.weight.push_back(std::fabs(next()));
  for (int32_t i = 0; i < g.agents; ++i) g.capacity.push_back(std::fabs(next()) * 2);
  GapOptions o;
  o.work_limit = 20000;  // small: the properties hold at any budget
  GapResult r;
  try {
    r = solve_gap(g, o);
  } catch (const Error&) {
    return 0;
  }
  if (r.feasible) {
    FUZZ_CHECK(r.assignment.size() == static_cast<size_t>(g.items));
    std::vector<double> load(static_cast<size_t>(g.agents), 0.0);
    double cost = 0;
    for (int32_t j = 0; j < g.items; ++j) {
      const int32_t i = r.assignment[static_cast<size_t>(j)];
      FUZZ_CHECK(i >= 0 && i < g.agents);
      load[static_cast<size_t>(i)] += g.weight[static_cast<size_t>(i) * g.items + j];
      cost += g.cost[static_cast<size_t>(i) * g.items + j];
    }
    for (int32_t i = 0; i < g.agents; ++i)
      FUZZ_CHECK(load[static_cast<size_t>(i)] <= g.capacity[static_cast<size_t>(i)] + 1e-9);
    FUZZ_CHECK(std::fabs(cost - r.objective) <= 1e-6 * (1 + std::fabs(cost)));
    FUZZ_CHECK(r.bound <= r.objective + 1e-6 * (1 + std::fabs(cost)));
  }
  const GapResult again = solve_gap(g, o);
  FUZZ_CHECK(again.assignment == r.assignment && again.feasible == r.feasible);
  return 0;
}
