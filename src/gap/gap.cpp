// GAP instances (validation, OR-Library parsing) and the solver's driver.
#include "caseload/gap.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "base/stats.hpp"
#include "base/threads.hpp"
#include "caseload/error.hpp"
#include "gap/gap_internal.hpp"
#include "gap/gap_options.hpp"

namespace caseload {

namespace {

std::string fmt_double(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

[[noreturn]] void invalid(const std::string& msg) {
  throw Error(ErrorCode::invalid_argument, "gap: " + msg);
}

// Empty when `v` is in range: any sign for a cost (`non_negative` false),
// >= 0 for a weight or a capacity, and |v| <= kMaxGapMagnitude for all. The
// one range rule of an instance's numbers, for validate() and the parser.
std::string range_problem(double v, bool non_negative) {
  if (!std::isfinite(v) || (non_negative && v < 0))
    return std::string(non_negative ? "must be finite and >= 0" : "must be finite") + ", got " + fmt_double(v);
  if (std::fabs(v) > gap_detail::kMaxGapMagnitude)
    return "must be in [" + (non_negative ? std::string("0") : "-" + detail::num(gap_detail::kMaxGapMagnitude)) + ", " +
           detail::num(gap_detail::kMaxGapMagnitude) + "], got " + fmt_double(v);
  return {};
}

std::string cell(const char* field, size_t i, size_t j) {
  return std::string(field) + "[" + std::to_string(i) + "][" + std::to_string(j) + "]";
}

}  // namespace

void gap_detail::check_gap_size(int64_t agents, int64_t items) {
  // Both are at most INT32_MAX, so the product fits in 64 bits.
  const auto cells =
      static_cast<uint64_t>(std::max<int64_t>(agents, 0)) * static_cast<uint64_t>(std::max<int64_t>(items, 0));
  if (cells > kMaxGapCells)
    throw Error(ErrorCode::limit_exceeded, "gap: agents * items = " + std::to_string(agents) + " * " +
                                               std::to_string(items) + " = " + std::to_string(cells) +
                                               " cells exceeds the limit of " + std::to_string(kMaxGapCells));
}

void GapInstance::validate() const {
  if (agents < 1) invalid("agents must be >= 1, got " + std::to_string(agents));
  if (items < 0) invalid("items must be >= 0, got " + std::to_string(items));
  gap_detail::check_gap_size(agents, items);
  const size_t cells = static_cast<size_t>(agents) * static_cast<size_t>(items);
  if (cost.size() != cells)
    invalid("cost must have agents * items = " + std::to_string(cells) + " entries, got " +
            std::to_string(cost.size()));
  if (weight.size() != cells)
    invalid("weight must have agents * items = " + std::to_string(cells) + " entries, got " +
            std::to_string(weight.size()));
  if (capacity.size() != static_cast<size_t>(agents))
    invalid("capacity must have agents = " + std::to_string(agents) + " entries, got " +
            std::to_string(capacity.size()));
  for (int32_t i = 0; i < agents; ++i) {
    for (int32_t j = 0; j < items; ++j) {
      const size_t k = static_cast<size_t>(i) * items + j;
      if (auto p = range_problem(cost[k], false); !p.empty()) invalid(cell("cost", i, j) + " " + p);
      if (auto p = range_problem(weight[k], true); !p.empty()) invalid(cell("weight", i, j) + " " + p);
    }
    if (auto p = range_problem(capacity[i], true); !p.empty()) invalid("capacity[" + std::to_string(i) + "] " + p);
  }
}

namespace {

// Tokeniser that remembers where each token is, for error messages.
class Tokens {
 public:
  Tokens(std::string_view text, std::string prefix) : text_(text), prefix_(std::move(prefix)) {}

  // Next number; `what` describes it for errors ("agent count").
  double number(const std::string& what) {
    skip_space();
    if (pos_ >= text_.size()) fail("line " + std::to_string(last_line_) + ": unexpected end of file, expected " + what);
    const size_t start = pos_;
    while (pos_ < text_.size() && !is_space(text_[pos_])) ++pos_;
    ++field_;
    const std::string_view tok = text_.substr(start, pos_ - start);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (ec != std::errc() || ptr != tok.data() + tok.size())
      fail("line " + std::to_string(line_) + ", field " + std::to_string(field_) + ": expected a number (" + what +
           "), got \"" + std::string(tok.substr(0, 40)) + "\"");
    last_line_ = line_;
    last_field_ = field_;
    return v;
  }
  void expect_end() {
    skip_space();
    if (pos_ < text_.size())
      fail("line " + std::to_string(line_) + ", field " + std::to_string(field_ + 1) +
           ": unexpected extra data after the capacities");
  }
  [[noreturn]] void fail_last(const std::string& msg) {
    fail("line " + std::to_string(last_line_) + ", field " + std::to_string(last_field_) + ": " + msg);
  }

 private:
  static bool is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
  }
  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) {
      if (text_[pos_] == '\n') {
        ++line_;
        field_ = 0;
      }
      ++pos_;
    }
  }
  [[noreturn]] void fail(const std::string& msg) { throw Error(ErrorCode::parse, prefix_ + msg); }

  std::string_view text_;
  std::string prefix_;
  size_t pos_ = 0;
  int line_ = 1, field_ = 0, last_line_ = 1, last_field_ = 0;
};

GapInstance parse_with_prefix(std::string_view text, const std::string& prefix) {
  Tokens tok(text, prefix);
  GapInstance inst;
  const auto count = [&](const char* what) {
    const double v = tok.number(what);
    if (!(v >= 1 && v <= 1e6) || v != std::floor(v))
      tok.fail_last(std::string(what) + " must be an integer in [1, 1000000], got " + fmt_double(v));
    return static_cast<int32_t>(v);
  };
  inst.agents = count("agent count");
  inst.items = count("item count");
  const size_t cells = static_cast<size_t>(inst.agents) * inst.items;
  if (cells > gap_detail::kMaxGapCells)
    tok.fail_last("instance too large: agents * items = " + std::to_string(cells) + " cells exceeds the limit of " +
                  std::to_string(gap_detail::kMaxGapCells));
  inst.cost.resize(cells);
  inst.weight.resize(cells);
  inst.capacity.resize(inst.agents);
  const auto items = static_cast<size_t>(inst.items);
  for (size_t k = 0; k < cells; ++k) {
    const std::string name = cell("cost", k / items, k % items);
    inst.cost[k] = tok.number(name);
    if (auto p = range_problem(inst.cost[k], false); !p.empty()) tok.fail_last(name + " " + p);
  }
  for (size_t k = 0; k < cells; ++k) {
    const std::string name = cell("weight", k / items, k % items);
    inst.weight[k] = tok.number(name);
    if (auto p = range_problem(inst.weight[k], true); !p.empty()) tok.fail_last(name + " " + p);
  }
  for (int32_t i = 0; i < inst.agents; ++i) {
    const std::string name = "capacity[" + std::to_string(i) + "]";
    inst.capacity[i] = tok.number(name);
    if (auto p = range_problem(inst.capacity[i], true); !p.empty()) tok.fail_last(name + " " + p);
  }
  tok.expect_end();
  inst.validate();  // cannot fail after the checks above; kept as a safety net
  return inst;
}

}  // namespace

GapInstance parse_orlibrary_gap(std::string_view text) {
  return parse_with_prefix(text, "gap: ");
}

GapInstance read_orlibrary_gap(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "gap file \"" + path + "\": cannot be opened for reading");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::io, "gap file \"" + path + "\": read failed");
  return parse_with_prefix(buf.str(), "gap file \"" + path + "\": ");
}

namespace {
// The phases after the bound on instances over 80 items (see solve_gap).
// Chosen on chu1997 types b-d, seeds 0-3. kTreePairsPerItem: with 2.5,
// c20200 handed over at 2393, where the tree needs over 1 s, while the
// search reaches the optimum 2391 at 37% of its budget. kTabuShare and
// kProbe: type d mean gap to the best known 0.281% -> 0.274% over the 24
// runs, worst 0.637% -> 0.621%, d05100 6362 -> 6359 on seed 0 (docs/gap.md).
constexpr double kTabuFirst = 0.3;         // of the budget before the tree may take over
constexpr double kTreePairsPerItem = 2.3;  // improving pairs per item the tree is given
constexpr double kTabuShare = 0.85;        // of the budget for the first tabu run
constexpr double kProbe = 0.5;             // of the rest for a first neighbourhood search
}  // namespace

GapResult solve_gap(const GapInstance& inst, const GapOptions& opt) {
  using namespace gap_detail;
  const auto t0 = std::chrono::steady_clock::now();
  inst.validate();
  options::validate(opt, gap_option_records(), "gap");
  const int m = inst.agents, n = inst.items;
  std::vector<int> pin(n, -1);
  for (const auto& [item, agent] : opt.pinned) {
    if (item < 0 || item >= n)
      invalid("pinned item " + std::to_string(item) + " out of range [0, " + std::to_string(n) + ")");
    if (agent < 0 || agent >= m)
      invalid("item " + std::to_string(item) + ": pinned agent " + std::to_string(agent) + " out of range [0, " +
              std::to_string(m) + ")");
    if (pin[item] != -1 && pin[item] != agent)
      invalid("item " + std::to_string(item) + " is pinned to two agents, " + std::to_string(pin[item]) + " and " +
              std::to_string(agent));
    pin[item] = agent;
  }
  if (!opt.warm_start.empty()) {
    if (opt.warm_start.size() != static_cast<size_t>(n))
      invalid("warm_start must have items = " + std::to_string(n) + " entries, got " +
              std::to_string(opt.warm_start.size()));
    for (int j = 0; j < n; ++j)
      if (opt.warm_start[j] < 0 || opt.warm_start[j] >= m)
        invalid("warm_start[" + std::to_string(j) + "] must be an agent in [0, " + std::to_string(m) + "), got " +
                std::to_string(opt.warm_start[j]));
  }

  // Remove pinned items: their cost is fixed and their load reduces capacity.
  std::vector<int> free_items;
  double fixed_cost = 0;
  Problem p;
  p.m = m;
  p.b = inst.capacity;
  for (int j = 0; j < n; ++j) {
    if (pin[j] >= 0) {
      fixed_cost += inst.cost[static_cast<size_t>(pin[j]) * n + j];
      p.b[pin[j]] -= inst.weight[static_cast<size_t>(pin[j]) * n + j];
    } else {
      free_items.push_back(j);
    }
  }
  p.n = static_cast<int>(free_items.size());
  p.c.resize(static_cast<size_t>(m) * p.n);
  p.a.resize(p.c.size());
  p.allowed.resize(p.c.size());
  p.tol.resize(m);
  p.integral_costs = true;
  bool infeasible = false;
  for (int i = 0; i < m; ++i) {
    p.tol[i] = 1e-9 * std::max(1.0, inst.capacity[i]);
    if (p.b[i] < -p.tol[i]) infeasible = true;  // pinned items alone overload agent i
    for (int k = 0; k < p.n; ++k) {
      const size_t src = static_cast<size_t>(i) * n + free_items[k], dst = static_cast<size_t>(i) * p.n + k;
      p.c[dst] = inst.cost[src];
      p.a[dst] = inst.weight[src];
      p.allowed[dst] = p.a[dst] <= p.b[i] + p.tol[i];
      if (p.c[dst] != std::floor(p.c[dst])) p.integral_costs = false;
    }
  }
  for (int k = 0; k < p.n && !infeasible; ++k) {
    bool any = false;
    for (int i = 0; i < m; ++i) any = any || p.fits(i, k);
    if (!any) infeasible = true;
  }

  threads::check_cancel(opt.cancel, "gap");
  Budget budget(opt.work_limit, opt.time_limit_seconds, kClockEvery, opt.cancel);
  Incumbent inc;
  double bound = -kInf;
  bool proven = false;  // optimality of inc, or infeasibility when inc is empty
  if (infeasible) {
    proven = true;
  } else if (p.n == 0) {
    inc.assignment.clear();
    inc.cost = 0;
    bound = 0;
    proven = true;
  } else {
    Rng rng(opt.seed);
    // Any complete assignment to allowed agents can seed the tabu search.
    std::vector<int> start(p.n);
    for (int k = 0; k < p.n; ++k) {
      int best = -1;
      for (int i = 0; i < m; ++i)
        if (p.fits(i, k) && (best < 0 || p.cost(i, k) < p.cost(best, k))) best = i;
      start[k] = best;
    }
    if (!opt.warm_start.empty()) {
      for (int k = 0; k < p.n; ++k)
        if (p.fits(opt.warm_start[free_items[k]], k)) start[k] = opt.warm_start[free_items[k]];
      inc.offer(p, start);
    }
    greedy_heuristics(p, inc, budget);
    LagrangeResult lr = lagrangian_bound(p, inc, budget);
    bound = lr.bound;
    if (lr.infeasible) proven = true;
    const auto closed = [&] {
      return proven || (inc.cost < kInf && inc.cost <= bound + 1e-9 * std::max(1.0, std::fabs(bound)));
    };
    // A tabu run with `share` of what is left; true when it stopped before
    // spending it (closed, timed out, or handed over as `yield` says).
    const auto tabu_phase = [&](double share, const TabuYield& yield = {}) {
      if (closed() || budget.exhausted()) return true;
      const int64_t end = budget.used() + static_cast<int64_t>(share * static_cast<double>(budget.remaining()));
      budget.set_phase_end(end);
      tabu_search(p, lr.pair_lb, inc.cost < kInf ? inc.assignment : start, bound, inc, budget, rng, yield);
      budget.clear_phase();
      return budget.used() < end;
    };
    const auto bnb_phase = [&](double share) {
      if (closed() || budget.exhausted() || p.n > 400) return;  // depth-first recursion is n deep
      budget.set_phase_end(budget.used() + static_cast<int64_t>(share * static_cast<double>(budget.remaining())));
      if (branch_and_bound(p, lr, bound, inc, budget)) proven = true;
      budget.clear_phase();
    };
    // A short exact attempt first settles tiny instances (and infeasible ones,
    // where the search would only wander); the long one runs after the tabu
    // search has found a good incumbent to prune with.
    bnb_phase(0.01);
    if (p.n <= 80) {
      tabu_phase(0.4);
      bnb_phase(0.5);
      tabu_phase(1.0);
    } else {
      // One tabu run (its elite pool for path relinking survives) with
      // kTabuShare of the budget, handing over to the branch and bound once
      // it has had kTabuFirst and the incumbent leaves at most
      // kTreePairsPerItem pairs per item that could still improve it. Then
      // the tree, with the Lagrangian bound at every node, finds what the
      // search misses and usually proves it optimal (chu1997 b10200 and
      // c10200 in 0.2-0.4 s). With more pairs left (the type d instances: no
      // pair is excluded) the tree is hopeless; the rest of the budget goes
      // to the large neighbourhood search if its first kProbe of it gains,
      // else back to the tabu search.
      TabuYield yield;
      yield.after_work = budget.used() + static_cast<int64_t>(kTabuFirst * static_cast<double>(budget.remaining()));
      yield.max_useful_pairs = static_cast<int64_t>(kTreePairsPerItem * p.n);
      if (tabu_phase(kTabuShare, yield)) {  // handed over (or closed)
        bnb_phase(1.0);
        tabu_phase(1.0);  // only if the tree was skipped (over 400 items, or too big to hold)
      } else if (!closed() && !budget.exhausted()) {
        budget.set_phase_end(budget.used() + static_cast<int64_t>(kProbe * static_cast<double>(budget.remaining())));
        const bool gained = large_neighbourhood_search(p, inc, budget, rng);
        budget.clear_phase();
        if (gained) {
          large_neighbourhood_search(p, inc, budget, rng);
        } else {
          tabu_phase(1.0);
        }
      }
    }
    if (closed() && inc.cost < kInf) {
      proven = true;
      bound = inc.cost;
    }
  }

  // A cancelled search stopped early: its answer is not the one the options
  // ask for, so none is given.
  if (budget.cancelled()) threads::check_cancel(opt.cancel, "gap");
  GapResult r;
  r.work = budget.used();
  if (inc.cost < kInf) {
    r.assignment.assign(n, -1);
    for (int j = 0; j < n; ++j)
      if (pin[j] >= 0) r.assignment[j] = pin[j];
    for (int k = 0; k < p.n; ++k) r.assignment[free_items[k]] = inc.assignment[k];
    double obj = 0;
    for (int j = 0; j < n; ++j) obj += inst.cost[static_cast<size_t>(r.assignment[j]) * n + j];
    r.objective = obj;
    r.feasible = true;
    r.optimal = proven;
    r.bound = proven ? obj : std::min(obj, fixed_cost + bound);
    r.status = proven ? "optimal" : "feasible";
  } else {
    r.objective = kInf;
    r.feasible = false;
    r.bound = proven ? kInf : fixed_cost + bound;
    r.status = proven ? "infeasible" : "unknown";
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace caseload
