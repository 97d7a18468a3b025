// General GAP engine: known answers, brute force on small random instances,
// pins, warm starts, determinism, error paths and OR-Library instances.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/gap.hpp"
#include "error_of.hpp"
#include "gap/gap_internal.hpp"

namespace {

using caseload::Error;
using caseload::ErrorCode;
using caseload::GapInstance;
using caseload::GapOptions;
using caseload::GapResult;
using caseload::solve_gap;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Costs, weights row-major agents x items.
GapInstance make(int m, int n, std::vector<double> c, std::vector<double> a, std::vector<double> b) {
  GapInstance g;
  g.agents = m;
  g.items = n;
  g.cost = std::move(c);
  g.weight = std::move(a);
  g.capacity = std::move(b);
  return g;
}

// The hand-made instance. Cheapest agent per item: 0->a0 (2), 1->a1 (1),
// 2->a2 (2), 3->a1 (3): cost 8, but a1 would carry 4 + 2 = 6 > 5. Every
// other deviation costs at least +1 and the only +1 one is item 3 -> a2 (4),
// giving a2 the load 4 + 1 = 5 <= 5. Optimum 2 + 1 + 2 + 4 = 9, unique.
GapInstance hand_made() {
  return make(3, 4,
              {2, 5, 4, 7,   //
               4, 1, 6, 3,   //
               5, 6, 2, 4},  //
              {3, 2, 2, 3,   //
               2, 4, 3, 2,   //
               2, 3, 4, 1},  //
              {5, 5, 5});
}

struct Brute {
  bool feasible = false;
  double optimum = kInf;
};

// Enumerates all m^n assignments (respecting pins, agent -1 = free).
Brute brute_force(const GapInstance& g, const std::vector<int>& pin = {}) {
  Brute r;
  const int m = g.agents, n = g.items;
  std::vector<int> asg(n, 0);
  while (true) {
    bool ok = true;
    for (int j = 0; j < n && ok; ++j) ok = pin.empty() || pin[j] < 0 || pin[j] == asg[j];
    if (ok) {
      std::vector<double> load(m, 0.0);
      double cost = 0;
      for (int j = 0; j < n; ++j) {
        load[asg[j]] += g.weight[asg[j] * n + j];
        cost += g.cost[asg[j] * n + j];
      }
      for (int i = 0; i < m; ++i) ok = ok && load[i] <= g.capacity[i] + 1e-9;
      if (ok && cost < r.optimum) {
        r.optimum = cost;
        r.feasible = true;
      }
    }
    int k = 0;
    while (k < n && ++asg[k] == m) asg[k++] = 0;
    if (k == n) break;
  }
  return r;
}

// Checks the result's assignment against the instance: complete, within
// capacity, and its cost equals the reported objective.
void expect_valid_assignment(const GapInstance& g, const GapResult& r) {
  ASSERT_EQ(r.assignment.size(), static_cast<size_t>(g.items));
  std::vector<double> load(g.agents, 0.0);
  double cost = 0;
  for (int j = 0; j < g.items; ++j) {
    const int i = r.assignment[j];
    ASSERT_GE(i, 0);
    ASSERT_LT(i, g.agents);
    load[i] += g.weight[i * g.items + j];
    cost += g.cost[i * g.items + j];
  }
  for (int i = 0; i < g.agents; ++i) EXPECT_LE(load[i], g.capacity[i] + 1e-9) << "agent " << i;
  EXPECT_NEAR(cost, r.objective, 1e-9 * std::max(1.0, std::fabs(cost)));
}

// A feasible result against the brute-force optimum of a minimisation: the
// bound never above it, the objective never below it, and a claimed proof
// exact.
void expect_consistent_with_brute_force(const GapInstance& g, const GapResult& r, const Brute& bf) {
  ASSERT_TRUE(r.feasible);
  expect_valid_assignment(g, r);
  EXPECT_LE(r.bound, bf.optimum + 1e-9);
  EXPECT_GE(r.objective, bf.optimum - 1e-9);
  if (r.optimal) EXPECT_NEAR(r.objective, bf.optimum, 1e-9);
}

// Path of an OR-Library instance kept in the repository (tests/data/gap,
// source and licence in tests/data/README.md); fails the test (never
// skips) when it is missing.
std::string gap_data(const std::string& rel) {
  const std::string path = std::string(CASELOAD_SOURCE_DIR) + "/tests/data/gap/" + rel;
  if (!std::filesystem::exists(path)) ADD_FAILURE() << "GAP test instance not found at " << path;
  return path;
}

TEST(Gap, HandMadeInstanceKnownOptimum) {
  const GapInstance g = hand_made();
  const GapResult r = solve_gap(g);
  EXPECT_TRUE(r.feasible);
  EXPECT_TRUE(r.optimal);
  EXPECT_EQ(r.status, "optimal");
  EXPECT_EQ(r.objective, 9.0);
  EXPECT_EQ(r.bound, 9.0);
  EXPECT_EQ(r.assignment, (std::vector<int32_t>{0, 1, 2, 2}));
  expect_valid_assignment(g, r);
  EXPECT_EQ(brute_force(g).optimum, 9.0);
}

TEST(Gap, BruteForceOnRandomSmallInstances) {
  std::mt19937 gen(12345);
  int infeasible_seen = 0, fractional_seen = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int m = 1 + static_cast<int>(gen() % 3), n = 1 + static_cast<int>(gen() % 8);
    const bool fractional = trial % 4 == 3;  // exercises the non-integer (LP knapsack) paths
    std::uniform_int_distribution<int> cost(-5, 30), weight(0, 12);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    GapInstance g;
    g.agents = m;
    g.items = n;
    for (int k = 0; k < m * n; ++k) {
      g.cost.push_back(fractional ? cost(gen) + unit(gen) : cost(gen));
      g.weight.push_back(fractional ? weight(gen) * unit(gen) : weight(gen));
    }
    double total = 0;
    for (double w : g.weight) total += w;
    // Capacities from very tight (often infeasible) to loose.
    const double tightness = 0.15 + 0.9 * unit(gen);
    for (int i = 0; i < m; ++i) g.capacity.push_back(std::floor(tightness * total / m + (fractional ? unit(gen) : 0)));
    const Brute bf = brute_force(g);
    GapOptions o;
    o.seed = static_cast<uint64_t>(trial);
    const GapResult r = solve_gap(g, o);
    SCOPED_TRACE("trial " + std::to_string(trial) + " m=" + std::to_string(m) + " n=" + std::to_string(n));
    EXPECT_TRUE(r.optimal || r.status == "infeasible") << r.status;  // tiny trees are always closed
    if (!bf.feasible) {
      ++infeasible_seen;
      EXPECT_FALSE(r.feasible);
      EXPECT_EQ(r.status, "infeasible");
      EXPECT_TRUE(r.assignment.empty());
      continue;
    }
    fractional_seen += fractional;
    expect_consistent_with_brute_force(g, r, bf);
  }
  // The generator must exercise both outcomes and the fractional paths.
  EXPECT_GT(infeasible_seen, 10);
  EXPECT_GT(fractional_seen, 20);
}

TEST(Gap, BoundIsValidEvenWithATinyBudget) {
  // With almost no work allowed the solver cannot prove anything, but the
  // bound it reports must still be below the optimum.
  std::mt19937 gen(7);
  for (int trial = 0; trial < 50; ++trial) {
    GapInstance g;
    g.agents = 3;
    g.items = 8;
    for (int k = 0; k < 24; ++k) {
      g.cost.push_back(static_cast<double>(gen() % 40));
      g.weight.push_back(static_cast<double>(1 + gen() % 9));
    }
    g.capacity = {14, 14, 14};
    const Brute bf = brute_force(g);
    GapOptions o;
    o.work_limit = static_cast<int64_t>(trial) * 200;
    const GapResult r = solve_gap(g, o);
    if (bf.feasible) {
      EXPECT_LE(r.bound, bf.optimum + 1e-9) << "trial " << trial;
    }
    if (r.feasible) {
      expect_valid_assignment(g, r);
      EXPECT_GE(r.objective, bf.optimum - 1e-9);
    }
  }
}

TEST(Gap, PinsAreHonoured) {
  const GapInstance g = hand_made();
  // Pin item 0 to agent 2 (cost 5, weight 2) and item 3 to agent 1.
  GapOptions o;
  o.pinned = {{0, 2}, {3, 1}};
  const GapResult r = solve_gap(g, o);
  ASSERT_TRUE(r.feasible);
  EXPECT_EQ(r.assignment[0], 2);
  EXPECT_EQ(r.assignment[3], 1);
  expect_valid_assignment(g, r);
  // Remaining: item 1 (a1 load 2+4 = 6 > 5, so a0 5 or a2 6), item 2
  // (a2: 2+4 = 6 > 5 no; a0 4; a1 2+3 = 5 ok, 6). Best: 1->a0 (5), 2->a0
  // (4, a0 load 2+2 = 4): 5 + 3 + 5 + 4 = 17.
  EXPECT_EQ(r.objective, 17.0);
  EXPECT_TRUE(r.optimal);
  EXPECT_EQ(brute_force(g, {2, -1, -1, 1}).optimum, 17.0);
}

TEST(Gap, PinsCanMakeAnInstanceInfeasible) {
  const GapInstance g = hand_made();
  GapOptions o;
  o.pinned = {{1, 1}, {2, 1}};  // a1 load 4 + 3 = 7 > 5
  const GapResult r = solve_gap(g, o);
  EXPECT_FALSE(r.feasible);
  EXPECT_EQ(r.status, "infeasible");
  EXPECT_EQ(r.bound, kInf);
  EXPECT_EQ(r.objective, kInf);
}

TEST(Gap, WarmStartIsAcceptedWithoutAnySearch) {
  const GapInstance g = hand_made();
  GapOptions o;
  o.work_limit = 0;             // no search at all: the warm start is the answer
  o.warm_start = {0, 0, 2, 1};  // a0 load 3+2 = 5, a1 2, a2 4: cost 2+5+2+3 = 12
  const GapResult r = solve_gap(g, o);
  ASSERT_TRUE(r.feasible);
  EXPECT_EQ(r.assignment, o.warm_start);
  EXPECT_EQ(r.objective, 12.0);
  EXPECT_EQ(r.work, 0);
  EXPECT_FALSE(r.optimal);
  EXPECT_LE(r.bound, 9.0);  // still a valid bound
  // With a budget the solver improves on it.
  o.work_limit = GapOptions{}.work_limit;
  EXPECT_EQ(solve_gap(g, o).objective, 9.0);
}

TEST(Gap, ItemsAllPinnedOrNoItems) {
  GapInstance g = hand_made();
  GapOptions o;
  o.pinned = {{0, 0}, {1, 1}, {2, 2}, {3, 2}};
  GapResult r = solve_gap(g, o);
  EXPECT_TRUE(r.optimal);
  EXPECT_EQ(r.objective, 9.0);
  g = make(2, 0, {}, {}, {1, 1});
  r = solve_gap(g);
  EXPECT_TRUE(r.optimal);
  EXPECT_EQ(r.objective, 0.0);
  EXPECT_TRUE(r.assignment.empty());
}

TEST(Gap, DeterministicForTheSameSeed) {
  const GapInstance g = caseload::read_orlibrary_gap(gap_data("chu1997/d10100"));
  GapOptions o;
  o.seed = 42;
  o.work_limit = 20'000'000;
  const GapResult a = solve_gap(g, o), b = solve_gap(g, o);
  EXPECT_EQ(a.assignment, b.assignment);
  EXPECT_EQ(a.objective, b.objective);
  EXPECT_EQ(a.bound, b.bound);
  EXPECT_EQ(a.work, b.work);
  EXPECT_EQ(a.status, b.status);
  expect_valid_assignment(g, a);
  EXPECT_GE(a.objective, 6347);  // best known
  EXPECT_LE(a.bound, 6347);
}

TEST(Gap, ValidationErrors) {
  const auto expect_error = [](const GapInstance& g, const std::string& msg) {
    try {
      g.validate();
      ADD_FAILURE() << "no error, expected: " << msg;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(std::string(e.what()), msg);
    }
    EXPECT_THROW(solve_gap(g), Error);
  };
  GapInstance g = make(3, 18, std::vector<double>(54, 1.0), std::vector<double>(54, 1.0), {5, 5, 5});
  g.weight[2 * 18 + 17] = std::nan("");
  expect_error(g, "gap: weight[2][17] must be finite and >= 0, got nan");
  g.weight[2 * 18 + 17] = -1;
  expect_error(g, "gap: weight[2][17] must be finite and >= 0, got -1");
  g.weight[2 * 18 + 17] = 1;
  g.cost[18] = kInf;
  expect_error(g, "gap: cost[1][0] must be finite, got inf");
  g.cost[18] = 1;
  g.capacity[1] = -0.5;
  expect_error(g, "gap: capacity[1] must be finite and >= 0, got -0.5");
  g.capacity[1] = 5;
  g.cost.pop_back();
  expect_error(g, "gap: cost must have agents * items = 54 entries, got 53");
  g.cost.push_back(1);
  g.capacity.push_back(1);
  expect_error(g, "gap: capacity must have agents = 3 entries, got 4");
  g.capacity.pop_back();
  g.agents = 0;
  expect_error(g, "gap: agents must be >= 1, got 0");
}

// Regression (defect 11): large finite costs summed to infinity and a
// feasible instance was reported infeasible. Numbers above the documented
// bound are refused naming the entry; at the bound the answer is right.
TEST(Gap, HugeCostsAreRefusedAndTheBoundIsSolved) {
  GapInstance g = make(2, 2, {9e307, 9e307, 9e307, 9e307}, {1, 1, 1, 1}, {1, 1});
  try {
    solve_gap(g);
    ADD_FAILURE() << "no error for cost 9e307";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_NE(std::string(e.what()).find("gap: cost[0][0] must be in [-1e+15, 1e+15], got 9.0000000000000005e+307"),
              std::string::npos)
        << e.what();
  }
  g.cost = {1e15, -1e15, -1e15, 1e15};
  const GapResult r = solve_gap(g);
  EXPECT_TRUE(r.feasible);
  EXPECT_TRUE(r.optimal);
  EXPECT_EQ(r.assignment, (std::vector<int32_t>{1, 0}));
  EXPECT_EQ(r.objective, -2e15);
  // Weights and capacities follow the same bound.
  g.weight[3] = 2e15;
  EXPECT_THROW(solve_gap(g), Error);
  g.weight[3] = 1;
  g.capacity[0] = 1e16;
  EXPECT_THROW(solve_gap(g), Error);
  // And the OR-Library reader.
  try {
    caseload::parse_orlibrary_gap("1 1\n1e300\n1\n1\n");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
    EXPECT_NE(std::string(e.what()).find("cost[0][0] must be in [-1e+15, 1e+15]"), std::string::npos) << e.what();
  }
}

TEST(Gap, OversizedInstanceIsALimitErrorBeforeAllocating) {
  GapInstance g;
  g.agents = INT32_MAX;
  g.items = INT32_MAX;  // no vectors at all: validate() must not touch them first
  try {
    g.validate();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::limit_exceeded);
    EXPECT_NE(std::string(e.what()).find("agents * items = 2147483647 * 2147483647"), std::string::npos) << e.what();
  }
}

TEST(Gap, OptionErrors) {
  const GapInstance g = hand_made();
  const auto expect_error = [&](const GapOptions& o, const std::string& msg) {
    try {
      solve_gap(g, o);
      ADD_FAILURE() << "no error, expected: " << msg;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(std::string(e.what()), msg);
    }
  };
  GapOptions o;
  o.pinned = {{4, 0}};
  expect_error(o, "gap: pinned item 4 out of range [0, 4)");
  o.pinned = {{1, 3}};
  expect_error(o, "gap: item 1: pinned agent 3 out of range [0, 3)");
  o.pinned = {{1, 0}, {1, 2}};
  expect_error(o, "gap: item 1 is pinned to two agents, 0 and 2");
  o.pinned.clear();
  o.warm_start = {0, 1};
  expect_error(o, "gap: warm_start must have items = 4 entries, got 2");
  o.warm_start = {0, 1, 7, 0};
  expect_error(o, "gap: warm_start[2] must be an agent in [0, 3), got 7");
  o.warm_start.clear();
  o.work_limit = -1;
  expect_error(o, "gap: work_limit must be an integer >= 0, got -1");
}

// A time limit must be a finite number of seconds, not negative: +inf (once
// passed on to the clock arithmetic, undefined behaviour) and NaN are
// rejected like the other options, naming the field.
TEST(Gap, TimeLimitMustBeFiniteAndNotNegative) {
  const GapInstance g = hand_made();
  const auto message = [&](double seconds) {
    GapOptions o;
    o.time_limit_seconds = seconds;
    return caseload::error_of([&] { solve_gap(g, o); }, ErrorCode::invalid_argument);
  };
  EXPECT_EQ(message(kInf), "gap: time_limit_seconds must be finite and >= 0, got inf");
  EXPECT_EQ(message(std::nan("")), "gap: time_limit_seconds must be finite and >= 0, got nan");
  EXPECT_EQ(message(-kInf), "gap: time_limit_seconds must be finite and >= 0, got -inf");
  EXPECT_EQ(message(-0.5), "gap: time_limit_seconds must be finite and >= 0, got -0.5");
  GapOptions o;
  o.time_limit_seconds = 0;  // allowed: stops at once
  const GapResult r = solve_gap(g, o);
  EXPECT_LE(r.bound, 9);
}

TEST(Gap, ParsesOrLibraryText) {
  const GapInstance g = caseload::parse_orlibrary_gap(
      " 2 3\n"
      " 1 2 3\n 4 5 6\n"
      " 7 8 9\n 1 1 1\n"
      " 20 3.5\n");
  EXPECT_EQ(g.agents, 2);
  EXPECT_EQ(g.items, 3);
  EXPECT_EQ(g.cost, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(g.weight, (std::vector<double>{7, 8, 9, 1, 1, 1}));
  EXPECT_EQ(g.capacity, (std::vector<double>{20, 3.5}));
  // Agent 1 takes at most 3 unit items; agent 0 costs less: items 0..2 to a0
  // needs 7+8+9 = 24 > 20, so the cheapest move is item 2 to a1 (+3): 1+2+6 = 9.
  const GapResult r = solve_gap(g);
  EXPECT_EQ(r.objective, 9.0);
  EXPECT_TRUE(r.optimal);
}

TEST(Gap, ParseErrorsNameLineAndField) {
  const auto expect_parse_error = [](const std::string& text, const std::string& msg) {
    try {
      caseload::parse_orlibrary_gap(text);
      ADD_FAILURE() << "no error, expected: " << msg;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::parse);
      EXPECT_EQ(std::string(e.what()), msg);
    }
  };
  expect_parse_error("2 2\n1 2\n3 x\n", "gap: line 3, field 2: expected a number (cost[1][1]), got \"x\"");
  expect_parse_error("2 2\n1 2\n3 4\n1 1\n1 1\n5\n", "gap: line 6: unexpected end of file, expected capacity[1]");
  expect_parse_error("0 2\n", "gap: line 1, field 1: agent count must be an integer in [1, 1000000], got 0");
  expect_parse_error("2 2.5\n", "gap: line 1, field 2: item count must be an integer in [1, 1000000], got 2.5");
  expect_parse_error("1 1\n1\n-2\n3\n", "gap: line 3, field 1: weight[0][0] must be finite and >= 0, got -2");
  expect_parse_error("1 1\n1\n2\n3 4\n", "gap: line 4, field 2: unexpected extra data after the capacities");
  expect_parse_error("", "gap: line 1: unexpected end of file, expected agent count");
}

TEST(Gap, ReadFileErrors) {
  try {
    caseload::read_orlibrary_gap("/nonexistent/gap-file");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(std::string(e.what()), "gap file \"/nonexistent/gap-file\": cannot be opened for reading");
  }
  const std::string path = (std::filesystem::temp_directory_path() / "caseload_test_gap_bad.txt").string();
  {
    std::ofstream out(path);
    out << "1 2\n3 4\n5 oops\n";
  }
  try {
    caseload::read_orlibrary_gap(path);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::parse);
    EXPECT_EQ(std::string(e.what()),
              "gap file \"" + path + "\": line 3, field 2: expected a number (weight[0][1]), got \"oops\"");
  }
  std::filesystem::remove(path);
}

TEST(Gap, CattrysseInstancesReachTheirOptimum) {
  // Optima from best_known.csv (Cattrysse et al. 1994 set).
  const std::vector<std::pair<std::string, double>> cases = {
      {"cattrysse1994/gap1-0", 261}, {"cattrysse1994/gap5-2", 383}, {"cattrysse1994/gap12-0", 974}};
  for (const auto& [rel, optimum] : cases) {
    const GapInstance g = caseload::read_orlibrary_gap(gap_data(rel));
    GapOptions o;
    o.work_limit = 50'000'000;
    const GapResult r = solve_gap(g, o);
    SCOPED_TRACE(rel);
    ASSERT_TRUE(r.feasible);
    expect_valid_assignment(g, r);
    EXPECT_EQ(r.objective, optimum);
    EXPECT_LE(r.bound, optimum);
  }
}

// The search prices every move from cached loads; a wrong delta silently
// steers it. Random moves on random (often overloaded) states, with random
// per-agent penalty weights: every predicted change of the penalised
// objective, of the cost and of the overload count must match a recomputation
// from scratch after the move is applied.
TEST(Gap, SearchStateDeltasMatchRecomputation) {
  using caseload::gap_detail::Problem;
  using caseload::gap_detail::SearchState;
  std::mt19937 gen(99);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int shifts = 0, swaps = 0, chains = 0, chain_swaps = 0, split_chains = 0;
  for (int trial = 0; trial < 40; ++trial) {
    Problem p;
    p.m = 2 + static_cast<int>(gen() % 5);
    p.n = 2 + static_cast<int>(gen() % 12);
    const size_t cells = static_cast<size_t>(p.m) * p.n;
    for (size_t k = 0; k < cells; ++k) {
      p.c.push_back(std::floor(unit(gen) * 50) - 10);
      p.a.push_back(trial % 2 ? unit(gen) * 9 : std::floor(unit(gen) * 9));
      p.allowed.push_back(1);
    }
    for (int i = 0; i < p.m; ++i) {
      p.b.push_back(std::floor(unit(gen) * 4.0 * p.n / p.m));  // tight: many states overloaded
      p.tol.push_back(1e-9 * std::max(1.0, p.b[i]));
    }
    // Full recomputation: penalised objective, cost, overloaded agents.
    const auto full = [&](const std::vector<int>& asg, const SearchState& s, double& cost, int& violated) {
      std::vector<double> load(p.m, 0.0);
      cost = 0;
      for (int j = 0; j < p.n; ++j) {
        load[asg[j]] += p.weight(asg[j], j);
        cost += p.cost(asg[j], j);
      }
      double pen = 0;
      violated = 0;
      for (int i = 0; i < p.m; ++i) {
        const bool over = load[i] > p.b[i] + p.tol[i];
        violated += over;
        if (over) pen += s.weight_of(i) * (load[i] - p.b[i]);
        EXPECT_NEAR(load[i], s.load(i), 1e-9) << "cached load of agent " << i;
      }
      return cost + pen;
    };
    std::vector<int> asg(p.n);
    for (int& x : asg) x = static_cast<int>(gen() % p.m);
    SearchState s(p);
    for (int i = 0; i < p.m; ++i) s.set_weight(i, 0.5 + 3 * unit(gen));
    s.reset(asg);
    for (int step = 0; step < 200; ++step) {
      double cost0 = 0, cost1 = 0;
      int viol0 = 0, viol1 = 0;
      const double before = full(s.assignment(), s, cost0, viol0);
      ASSERT_NEAR(before, s.penalised(), 1e-9);
      ASSERT_EQ(viol0, s.violated());
      ASSERT_NEAR(cost0, s.cost(), 1e-9);
      const int j = static_cast<int>(gen() % p.n), i = s.agent(j);
      const int k = (i + 1 + static_cast<int>(gen() % (p.m - 1))) % p.m;  // any agent but i
      double predicted = 0, predicted_cost = 0;
      int predicted_viol = 0;
      const int kind = static_cast<int>(gen() % 3);
      int l = -1;
      for (int q : s.members(k))
        if (l < 0 || gen() % 2) l = q;
      if (kind == 0 || l < 0) {
        predicted = s.shift_delta(j, k);
        predicted_cost = s.shift_cost_delta(j, k);
        predicted_viol = s.violated_after_shift(j, k);
        s.shift(j, k);
        ++shifts;
      } else if (kind == 1) {
        predicted = s.swap_delta(j, l);
        predicted_cost = s.swap_cost_delta(j, l);
        predicted_viol = s.violated_after_swap(j, l);
        // A chain that sends l back to j's agent is the same swap.
        EXPECT_NEAR(predicted, s.chain_delta(j, k, l, i), 1e-9);
        EXPECT_EQ(predicted_viol, s.violated_after_chain(j, k, l, i));
        s.swap(j, l);
        ++swaps;
        ++chain_swaps;
      } else {
        const int h = (k + 1 + static_cast<int>(gen() % (p.m - 1))) % p.m;  // any agent but k, maybe i
        predicted = s.chain_delta(j, k, l, h);
        // The split the search's cached chain pricing relies on.
        if (h != i) {
          EXPECT_NEAR(predicted, s.ejection_delta(j, k, l) + s.insertion_delta(l, h), 1e-9);
          ++split_chains;
        }
        predicted_cost = s.chain_cost_delta(j, k, l, h);
        predicted_viol = s.violated_after_chain(j, k, l, h);
        s.shift(j, k);
        s.shift(l, h);
        ++chains;
      }
      const double after = full(s.assignment(), s, cost1, viol1);
      ASSERT_NEAR(after - before, predicted, 1e-9) << "trial " << trial << " step " << step << " kind " << kind;
      ASSERT_NEAR(cost1 - cost0, predicted_cost, 1e-9);
      ASSERT_EQ(viol1, predicted_viol);
      // Member lists stay a partition consistent with the assignment.
      size_t total = 0;
      for (int a = 0; a < p.m; ++a) {
        total += s.members(a).size();
        for (int q : s.members(a)) ASSERT_EQ(s.agent(q), a);
      }
      ASSERT_EQ(total, static_cast<size_t>(p.n));
    }
  }
  EXPECT_GT(shifts, 1000);
  EXPECT_GT(swaps, 1000);
  EXPECT_GT(chains, 1000);
  EXPECT_GT(split_chains, 500);
}

TEST(Gap, CattrysseHardestInstanceReachesItsOptimum) {
  // gap8-1 was the one Cattrysse instance the earlier search missed (784).
  const GapInstance g = caseload::read_orlibrary_gap(gap_data("cattrysse1994/gap8-1"));
  const GapResult r = solve_gap(g);
  ASSERT_TRUE(r.feasible);
  expect_valid_assignment(g, r);
  EXPECT_EQ(r.objective, 783);
  EXPECT_LE(r.bound, 783);
}

// The large neighbourhood search re-solves random 40% subsets of the items
// exactly with the rest held fixed: it must keep the incumbent feasible, never
// make it worse, never go below the brute-force optimum, and (many rounds on
// 10 items, 4 freed at a time) usually reach that optimum from a greedy start.
TEST(Gap, LargeNeighbourhoodSearchImprovesSafely) {
  using namespace caseload::gap_detail;
  std::mt19937 gen(7);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int improvable = 0, improved = 0, reached = 0;
  for (int trial = 0; trial < 80; ++trial) {
    const bool fractional = trial % 2 == 1;
    GapInstance g;
    g.agents = 3;
    g.items = 10;
    for (int k = 0; k < 30; ++k) {
      g.cost.push_back(std::floor(unit(gen) * 40));
      g.weight.push_back(fractional ? 1 + unit(gen) * 8 : std::floor(1 + unit(gen) * 9));
    }
    for (int i = 0; i < 3; ++i) g.capacity.push_back(std::floor((0.9 + 0.4 * unit(gen)) * 5.0 * 10 / 3));
    const Brute bf = brute_force(g);
    if (!bf.feasible) continue;
    Problem p;
    p.m = 3;
    p.n = 10;
    p.c = g.cost;
    p.a = g.weight;
    p.b = g.capacity;
    p.tol.assign(3, 1e-9);
    p.integral_costs = true;
    for (size_t k = 0; k < p.a.size(); ++k) p.allowed.push_back(p.a[k] <= p.b[k / 10]);
    Budget greedy_budget(1'000'000, std::nullopt);
    Incumbent inc;
    greedy_heuristics(p, inc, greedy_budget);
    if (!inc.found()) continue;
    const double start = inc.cost;
    Budget budget(500'000, std::nullopt);
    Rng rng(static_cast<uint64_t>(trial));
    const bool gained = large_neighbourhood_search(p, inc, budget, rng);
    SCOPED_TRACE("trial " + std::to_string(trial));
    ASSERT_TRUE(is_feasible(p, inc.assignment));
    EXPECT_DOUBLE_EQ(total_cost(p, inc.assignment), inc.cost);
    EXPECT_LE(inc.cost, start);
    EXPECT_GE(inc.cost, bf.optimum - 1e-9);
    EXPECT_EQ(gained, inc.cost < start);
    if (start > bf.optimum) {
      ++improvable;
      improved += gained;
      reached += inc.cost == bf.optimum;
    }
  }
  // When written: 17 greedy starts above the optimum, all improved, 16 to it.
  ASSERT_GT(improvable, 10);
  EXPECT_GE(improved, improvable - 1);
  EXPECT_GE(4 * reached, 3 * improvable) << reached << " of " << improvable;
}

// The optional time limit stops every phase (sub-problems of the
// neighbourhood search included) long before an effectively unlimited work
// budget: 1e11 units would be minutes of CPU, the limit is 0.05 s.
TEST(Gap, TimeLimitStopsTheSearch) {
  const GapInstance g = caseload::read_orlibrary_gap(gap_data("chu1997/d20100"));
  GapOptions o;
  o.work_limit = 100'000'000'000;
  o.time_limit_seconds = 0.05;
  const GapResult r = solve_gap(g, o);
  EXPECT_LT(r.work, 10'000'000'000);
  EXPECT_FALSE(r.optimal);
  if (r.feasible) {
    expect_valid_assignment(g, r);
    EXPECT_LE(r.bound, r.objective);
  }
}

// chu1997 b10200 and c10200 were the two type b/c instances the tabu search
// ended 1 above the best known value on (2828, 2807). The branch and bound
// with the Lagrangian bound at every node (exact knapsacks over the pairs the
// incumbent leaves) finds the best known values and closes the tree, so they
// are proven optimal within the default budget.
TEST(Gap, ChuTightInstancesAreSolvedToProvenOptimality) {
  const std::vector<std::pair<std::string, double>> cases = {{"chu1997/b10200", 2827}, {"chu1997/c10200", 2806}};
  for (const auto& [rel, best_known] : cases) {
    const GapInstance g = caseload::read_orlibrary_gap(gap_data(rel));
    const GapResult r = solve_gap(g);
    SCOPED_TRACE(rel);
    ASSERT_TRUE(r.feasible);
    expect_valid_assignment(g, r);
    EXPECT_EQ(r.objective, best_known);
    EXPECT_TRUE(r.optimal);
    EXPECT_EQ(r.status, "optimal");
    EXPECT_EQ(r.bound, best_known);
  }
}

}  // namespace

// Tight integer instances (3 x 9-10) at budgets from small to the default:
// every proof must be right and the bound never above brute force. Some of
// these proofs come from the branch and bound, whose node bound uses the
// root's knapsack tables: making that bound 2 too optimistic fails this test
// (checked when it was written; the 300-instance test above did not notice).
TEST(Gap, BranchAndBoundProofsMatchBruteForce) {
  std::mt19937 gen(2024);
  int proven = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int m = 3, n = 9 + static_cast<int>(gen() % 2);
    GapInstance g;
    g.agents = m;
    g.items = n;
    for (int k = 0; k < m * n; ++k) {
      g.cost.push_back(static_cast<double>(gen() % 20));
      g.weight.push_back(static_cast<double>(1 + gen() % 9));
    }
    // Capacities 80-110% of an equal share of the items' mean weight (5):
    // tight, mostly feasible.
    for (int i = 0; i < m; ++i) g.capacity.push_back(std::floor((0.8 + 0.003 * (gen() % 100)) * 5.0 * n / m));
    const Brute bf = brute_force(g);
    if (!bf.feasible) continue;
    for (const int64_t work : {int64_t{200'000}, int64_t{2'000'000}, int64_t{200'000'000}}) {
      GapOptions o;
      o.work_limit = work;
      const GapResult r = solve_gap(g, o);
      SCOPED_TRACE("trial " + std::to_string(trial) + " work " + std::to_string(work));
      expect_consistent_with_brute_force(g, r, bf);
      if (r.optimal) ++proven;
    }
  }
  // Tiny trees: nearly every run ends with a proof (all 180 did when written).
  EXPECT_GT(proven, 150);
}
