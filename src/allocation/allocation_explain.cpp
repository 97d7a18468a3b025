// Allocation optimiser: the reasons (docs/allocation.md). For every case,
// each worker's verdict (chosen, eligible, full, excluded) with its words,
// the runner-up and why it lost, or why the case stayed unallocated; and
// each worker's before and after.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "allocation/allocation_internal.hpp"

namespace caseload::alloc {

std::string soft_words(const Problem& P, int32_t ci, int32_t wi, const State* plan) {
  const CaseInfo& j = P.c[ci];
  const IncomingCase& in = *j.in;
  std::vector<std::string> parts;
  if (std::binary_search(j.holders.begin(), j.holders.end(), wi))
    parts.push_back("holds a sibling case (family " + quoted(in.record.family_id) + ")");
  if (plan != nullptr) {
    std::string sibs;
    for (int32_t k : j.batch_siblings)
      if (plan->at[k] == wi) sibs += (sibs.empty() ? "" : ", ") + P.c[k].in->record.id;
    if (!sibs.empty())
      parts.push_back("gets sibling " + sibs + " from this batch (family " + quoted(in.record.family_id) + ")");
  }
  if (j.previous == wi) parts.push_back("is the previous worker");
  if (!in.desired_skills.empty()) {
    std::string s;
    for (const auto& sk : in.desired_skills)
      if (has(P.w[wi].rec->skills, sk)) s += (s.empty() ? "" : ", ") + sk;
    if (!s.empty()) parts.push_back("has desired skills " + s);
  }
  for (const auto& p : in.preferences)
    if (p.worker_id == P.w[wi].rec->id && p.score != 0) parts.push_back("manager preference " + num(p.score));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

FullWords full_words(const Problem& P, const State& s, int32_t wi) {
  const WorkerInfo& k = P.w[wi];
  if (s.cnt[wi] + 1 > k.max_cases + 1e-9)
    return {cat({"ASYE protected caseload: already ", num(s.cnt[wi]), " cases (max ", num(k.max_cases), ")"}), true};
  return {cat({"full: ", num(s.pts[wi]), " of ", num(k.limit), " points used (cap ", pct(k.cap), "), the case needs "}),
          false};
}

void explain_case(const Problem& P, const Solver& S, const State& s, const State& before, int32_t ci, CaseDecision& d,
                  State& without, std::vector<std::vector<std::string>>& why, const std::vector<FullWords>& full) {
  const CaseInfo& j = P.c[ci];
  const int32_t chosen = s.at[ci];
  const bool explain = P.opt->explain;
  // The plan without this case, for "what if" figures.
  without.pts.assign(s.pts.begin(), s.pts.end());
  without.cnt.assign(s.cnt.begin(), s.cnt.end());
  if (chosen >= 0) {
    without.pts[chosen] -= j.points;
    without.cnt[chosen] -= 1;
  }
  int32_t runner = -1;
  double runner_key = kInf;
  std::vector<std::string>* excluded_words = nullptr;
  if (explain) {
    d.workers.reserve(P.w.size());
    excluded_words = &why[static_cast<size_t>(j.profile)];
    if (excluded_words->empty()) {
      excluded_words->resize(P.w.size());
      size_t e = 0;
      for (size_t wi = 0; wi < P.w.size(); ++wi) {
        if (e < j.elig.size() && j.elig[e] == static_cast<int32_t>(wi)) {
          ++e;
          continue;
        }
        P.ineligible(ci, static_cast<int32_t>(wi), &(*excluded_words)[wi]);
      }
    }
  }
  size_t at = 0;  // position in j.elig, which is in model order: walked alongside
  std::string case_points;
  for (size_t wi = 0; wi < P.w.size(); ++wi) {
    const auto w = static_cast<int32_t>(wi);
    WorkerVerdict v;
    v.worker_id = P.w[wi].rec->id;
    v.utilisation_if_given = std::nan("");
    const bool eligible = at < j.elig.size() && j.elig[at] == w;
    if (!eligible) {
      v.status = WorkerVerdict::Status::excluded;
      if (explain) v.reason = (*excluded_words)[wi];
    } else {
      const size_t pos = at++;
      v.utilisation_if_given = S.u(without, w, j.points);
      if (w == chosen) {
        v.status = WorkerVerdict::Status::chosen;
        if (explain) v.reason = cat({"chosen: ", pct(S.u(without, w)), " -> ", pct(v.utilisation_if_given)});
      } else if (S.fits(without, w, j.points)) {
        v.status = WorkerVerdict::Status::eligible;
        const double k = S.key(without, ci, pos);
        if (k < runner_key) {
          runner_key = k;
          runner = w;
        }
        if (explain) {
          const std::string sw = soft_words(P, ci, w, &s);
          if (sw.empty())
            v.reason = cat({"eligible: would be at ", pct(v.utilisation_if_given)});
          else
            v.reason = cat({"eligible: would be at ", pct(v.utilisation_if_given), "; ", sw});
        }
      } else {
        v.status = WorkerVerdict::Status::full;
        if (explain) {
          if (full[wi].complete) {
            v.reason = full[wi].text;
          } else {
            if (case_points.empty()) case_points = num(j.points);
            v.reason = cat({full[wi].text, case_points});
          }
        }
      }
    }
    if (explain) d.workers.push_back(std::move(v));
  }
  if (runner >= 0) d.runner_up = P.w[runner].rec->id;

  if (chosen >= 0) {
    d.worker_id = P.w[chosen].rec->id;
    d.reason = j.pinned >= 0 ? CaseDecision::Reason::pinned : CaseDecision::Reason::allocated;
    d.soft_score = S.soft_in(s, ci, chosen);
    if (!explain) return;
    const WorkerInfo& k = P.w[chosen];
    std::string e = (j.pinned >= 0 ? "Pinned by the manager to " : "Allocated to ") + k.rec->id + " (" + k.rec->team +
                    "): at " + pct(S.u(s, chosen)) + " of capacity after the plan (" + pct(S.u(without, chosen)) +
                    " without this case; cap " + pct(k.cap) + ")";
    const std::string sw = soft_words(P, ci, chosen, &s);
    if (!sw.empty()) e += "; " + sw;
    e += ".";
    if (runner >= 0) {
      const double ur = S.u(without, runner, j.points), uc = S.u(without, chosen, j.points);
      const double soft_r = S.soft_in(s, ci, runner);
      e += " Runner-up " + P.w[runner].rec->id + " would be at " + pct(ur);
      if (j.pinned >= 0) {
        e += "; the manager's pin decides.";
      } else if (uc < ur - 1e-9) {
        e += ", so " + k.rec->id + " is the fairer choice (" + pct(uc) + ").";
      } else if (d.soft_score > soft_r + 1e-9) {
        e += "; " + k.rec->id + " is preferred within the fairness tolerance (" + sw + ").";
      } else {
        e += "; both are equally fair here, and moving either would not lower the highest load.";
      }
    } else {
      e += " No other eligible worker had room.";
    }
    d.explanation = std::move(e);
    return;
  }

  // Unallocated: why.
  std::vector<int32_t> had_room;
  bool any_eligible = false;
  for (int32_t w : j.elig) {
    any_eligible = true;
    if (S.fits(before, w, j.points)) had_room.push_back(w);
  }
  if (!any_eligible) {
    d.reason = CaseDecision::Reason::no_eligible_worker;
    if (explain) {
      d.explanation = "Unallocated: no worker is eligible";
      std::map<std::string, int> counts;  // reason -> workers, sorted for stable text
      for (const auto& v : d.workers) ++counts[v.reason];
      std::string list;
      for (const auto& [r, n] : counts) list += (list.empty() ? "" : "; ") + r + " (" + std::to_string(n) + ")";
      d.explanation += list.empty() ? " (the model has no workers)." : ": " + list + ".";
    }
    return;
  }
  if (had_room.empty()) {
    d.reason = CaseDecision::Reason::eligible_workers_full;
    if (explain) {
      std::string list;
      int shown = 0;
      for (int32_t w : j.elig) {
        if (shown++ == 8) {
          list += "; ...";
          break;
        }
        list += (list.empty() ? "" : "; ") + P.w[w].rec->id + " " + num(before.pts[w]) + "/" + num(P.w[w].limit) +
                " points";
        if (before.cnt[w] + 1 > P.w[w].max_cases + 1e-9) list += " (ASYE at " + num(P.w[w].max_cases) + " cases)";
      }
      d.explanation = "Unallocated: every eligible worker was already full before this batch (the case needs " +
                      num(j.points) + " points): " + list + ".";
    }
    return;
  }
  d.reason = CaseDecision::Reason::displaced;
  std::vector<int32_t> by;
  for (int32_t w : had_room)
    for (int32_t k : s.held[w]) by.push_back(k);
  std::sort(by.begin(), by.end(), [&](int32_t a, int32_t b) {
    if (P.c[a].priority != P.c[b].priority) return P.c[a].priority > P.c[b].priority;
    return a < b;
  });
  for (int32_t k : by) d.displaced_by.push_back(P.c[k].in->record.id);
  if (explain) {
    std::string list;
    for (size_t x = 0; x < by.size() && x < 8; ++x)
      list += (x ? ", " : "") + P.c[by[x]].in->record.id + " (priority " + num(P.c[by[x]].priority) + ", " +
              num(P.c[by[x]].points) + " points)";
    if (by.size() > 8) list += ", ...";
    d.explanation =
        "Unallocated: the room on eligible workers went to cases worth more priority-weighted work: " + list + ".";
  }
}

WorkerChange worker_change(const WorkerInfo& k, double pts_after, double cnt_after) {
  WorkerChange c;
  c.worker_id = k.rec->id;
  c.team = k.rec->team;
  c.service_area = k.rec->service_area;
  c.role = k.rec->role;
  c.is_asye = k.asye;
  c.case_holding = k.case_holding;
  c.capacity = k.capacity;
  c.cap = k.cap;
  c.points_before = k.points0;
  c.points_after = pts_after;
  c.cases_before = k.cases0;
  c.cases_after = cnt_after;
  c.utilisation_before = k.load->utilisation;
  c.utilisation_after = utilisation(pts_after, k.capacity);
  c.band_before = k.load->band;
  c.band_after = band_of(c.utilisation_after, *k.thresholds);
  return c;
}

}  // namespace caseload::alloc
