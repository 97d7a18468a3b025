// Exceedance history: runs of weekly snapshots above the safe level.
//
// O(n log n) in the number of snapshots: one hash pass to give each worker a
// dense rank, one sort of integer keys, then a linear scan per worker.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/stats.hpp"
#include "caseload/error.hpp"
#include "caseload/model.hpp"
#include "model/health_check_options.hpp"

namespace caseload {
namespace {

using detail::num;

std::string row_name(const Snapshot& s, size_t index) {
  return "snapshot at index " + std::to_string(index) + " (worker \"" + s.worker_id + "\" on " + s.date.to_string() +
         ")";
}

struct SummaryAcc {
  int64_t workers_observed = 0, workers_with_episode = 0, episodes = 0, snapshots_over = 0;
  double days_sum = 0, peak = 0;
  int32_t longest = 0;
  // Rank of the last worker counted, so each worker counts once per group
  // (workers are processed one after another).
  int64_t last_observed = -1, last_with_episode = -1;

  void observe(int64_t worker) {
    if (last_observed != worker) ++workers_observed, last_observed = worker;
  }
  void add(const ExceedanceEpisode& e, int64_t worker) {
    if (last_with_episode != worker) ++workers_with_episode, last_with_episode = worker;
    ++episodes;
    snapshots_over += e.snapshots;
    days_sum += e.length_days;
    longest = std::max(longest, e.length_days);
    peak = std::max(peak, e.peak);
  }
  [[nodiscard]] ExceedanceSummary finish(Level level, std::string group) const {
    ExceedanceSummary s;
    s.level = level;
    s.group = std::move(group);
    s.workers_observed = workers_observed;
    s.workers_with_episode = workers_with_episode;
    s.share_with_episode =
        workers_observed > 0 ? static_cast<double>(workers_with_episode) / static_cast<double>(workers_observed) : 0;
    s.episodes = episodes;
    s.snapshots_over = snapshots_over;
    s.mean_episode_days = episodes > 0 ? days_sum / static_cast<double>(episodes) : 0;
    s.longest_episode_days = longest;
    s.peak = peak;
    return s;
  }
};

}  // namespace

ExceedanceHistory exceedance_history(const WeightingScheme& scheme, const std::vector<Worker>& workers,
                                     const std::vector<Snapshot>& snapshots, const ExceedanceRule& rule,
                                     std::optional<Date> from, std::optional<Date> to) {
  options::validate(rule, model_detail::exceedance_rule_records(), "exceedance rule");
  if (from && to && *to < *from) {
    throw Error(ErrorCode::invalid_argument,
                "exceedance window: to " + to->to_string() + " is before from " + from->to_string());
  }

  std::unordered_map<std::string_view, const Worker*> known;
  known.reserve(workers.size());
  for (const Worker& w : workers) known.emplace(w.id, &w);

  // Resolve roll-up keys and give each worker a dense id: one hash probe per
  // snapshot, the worker record looked up once per distinct id.
  const size_t n = snapshots.size();
  std::vector<const std::string*> team(n), area(n);
  std::vector<int32_t> worker_of(n);
  std::vector<std::string_view> ids;
  std::vector<const Worker*> record;
  std::unordered_map<std::string_view, int32_t> dense;
  dense.reserve(workers.size());
  static const std::string kUnknown = "unknown";
  for (size_t i = 0; i < n; ++i) {
    const Snapshot& s = snapshots[i];
    if (std::isnan(s.utilisation) || s.utilisation < 0) {
      throw Error(ErrorCode::invalid_argument,
                  row_name(s, i) + ": utilisation must be >= 0, got " + num(s.utilisation));
    }
    auto [d, inserted] = dense.emplace(s.worker_id, static_cast<int32_t>(ids.size()));
    if (inserted) {
      ids.push_back(s.worker_id);
      auto it = known.find(s.worker_id);
      record.push_back(it == known.end() ? nullptr : it->second);
    }
    worker_of[i] = d->second;
    const Worker* w = record[static_cast<size_t>(d->second)];
    if (s.team.empty() && !w) {
      throw Error(ErrorCode::not_found, row_name(s, i) + ": unknown worker and no team given");
    }
    team[i] = !s.team.empty() ? &s.team : &w->team;
    area[i] = !s.service_area.empty() ? &s.service_area : (w ? &w->service_area : &kUnknown);
  }
  // Ranks in id order, so episodes come out ordered by worker id.
  std::vector<uint32_t> rank(ids.size());
  {
    std::vector<uint32_t> by_id(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) by_id[i] = static_cast<uint32_t>(i);
    std::sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
    for (size_t r = 0; r < by_id.size(); ++r) rank[by_id[r]] = static_cast<uint32_t>(r);
  }
  // Sort (worker rank, date) packed into one integer, ties by input row so
  // the duplicate check names the earlier row first.
  std::vector<std::pair<uint64_t, uint32_t>> keyed(n);
  for (size_t i = 0; i < n; ++i) {
    const auto day = static_cast<uint32_t>(static_cast<int64_t>(snapshots[i].date.days) - INT32_MIN);
    keyed[i] = {(static_cast<uint64_t>(rank[static_cast<size_t>(worker_of[i])]) << 32) | day, static_cast<uint32_t>(i)};
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<uint32_t> order(n);
  for (size_t k = 0; k < n; ++k) order[k] = keyed[k].second;
  for (size_t k = 1; k < n; ++k) {
    if (keyed[k - 1].first == keyed[k].first) {
      const uint32_t first = keyed[k - 1].second, second = keyed[k].second;
      throw Error(ErrorCode::duplicate, row_name(snapshots[second], second) + ": duplicate of snapshot at index " +
                                            std::to_string(first) + " (same worker and date)");
    }
  }

  ExceedanceHistory out;
  out.rule = rule;
  if (n > 0) {
    out.from = snapshots[order.front()].date;
    out.to = out.from;
    for (const Snapshot& s : snapshots) out.from = std::min(out.from, s.date), out.to = std::max(out.to, s.date);
  }
  if (from) out.from = *from;
  if (to) out.to = *to;

  SummaryAcc org;
  std::map<std::string_view, SummaryAcc> by_area, by_team;
  // Thresholds depend on (date, service area); consecutive snapshots of one
  // worker usually share both inputs, so remember the last answer.
  const SchemeVersion* last_version = nullptr;
  const std::string* last_area = nullptr;
  double last_threshold = 0;
  auto threshold_of = [&](size_t i) {
    if (rule.threshold) return *rule.threshold;
    const SchemeVersion* v = nullptr;
    try {
      v = &scheme.at(snapshots[i].date);
    } catch (const Error& e) {
      throw Error(e.code(), row_name(snapshots[i], i) + ": " + e.what());
    }
    if (v != last_version || area[i] != last_area) {
      last_version = v;
      last_area = area[i];
      last_threshold = v->service_area(*area[i]).thresholds.excessive_above;
    }
    return last_threshold;
  };

  size_t k = 0;
  while (k < n) {
    const int32_t worker = worker_of[order[k]];
    size_t end = k;
    while (end < n && worker_of[order[end]] == worker) ++end;
    const int64_t wrank = rank[static_cast<size_t>(worker)];

    // Snapshots of this worker inside the window: order[lo, hi).
    size_t lo = k, hi = end;
    while (lo < hi && snapshots[order[lo]].date < out.from) ++lo;
    while (hi > lo && out.to < snapshots[order[hi - 1]].date) --hi;
    if (lo < hi) {
      org.observe(wrank);
      const std::string* prev_team = nullptr;
      const std::string* prev_area = nullptr;
      for (size_t j = lo; j < hi; ++j) {
        const uint32_t i = order[j];
        if (!prev_team || *team[i] != *prev_team) by_team[*team[i]].observe(wrank), prev_team = team[i];
        if (!prev_area || *area[i] != *prev_area) by_area[*area[i]].observe(wrank), prev_area = area[i];
      }

      size_t run_start = 0, run_len = 0;
      double peak = 0;
      auto close = [&](bool ongoing) {
        if (run_len >= static_cast<size_t>(rule.min_consecutive)) {
          const uint32_t first = order[run_start], last = order[run_start + run_len - 1];
          ExceedanceEpisode e;
          e.worker_id = snapshots[first].worker_id;
          e.team = *team[first];
          e.service_area = *area[first];
          e.start = snapshots[first].date;
          e.end = snapshots[last].date;
          e.snapshots = static_cast<int32_t>(run_len);
          e.length_days = days_between(e.start, e.end) + 1;
          e.peak = peak;
          e.ongoing = ongoing;
          org.add(e, wrank);
          by_team[e.team].add(e, wrank);
          by_area[e.service_area].add(e, wrank);
          out.episodes.push_back(std::move(e));
        }
        run_len = 0;
        peak = 0;
      };
      for (size_t j = lo; j < hi; ++j) {
        const uint32_t i = order[j];
        const double u = snapshots[i].utilisation;
        if (!(u > threshold_of(i))) {
          close(false);
          continue;
        }
        // A gap longer than max_gap_days breaks the run: a missing week is
        // not assumed to be over (or under).
        if (run_len > 0 &&
            days_between(snapshots[order[run_start + run_len - 1]].date, snapshots[i].date) > rule.max_gap_days) {
          close(false);
        }
        if (run_len == 0) run_start = j;
        ++run_len;
        peak = std::max(peak, u);
      }
      close(true);  // a run still open reaches the worker's last snapshot in the window
    }
    k = end;
  }

  out.summaries.reserve(1 + by_area.size() + by_team.size());
  out.summaries.push_back(org.finish(Level::organisation, "organisation"));
  for (const auto& [name, acc] : by_area) out.summaries.push_back(acc.finish(Level::service_area, std::string(name)));
  for (const auto& [name, acc] : by_team) out.summaries.push_back(acc.finish(Level::team, std::string(name)));
  return out;
}

}  // namespace caseload
