// Calibration of the projection's breach probabilities on synthetic
// authorities where the truth is simulated (docs/projection.md).
//
// For each authority (seed s): the prediction is a projection from what an
// analyst would have (36 months of referral history per team, a durations
// table with open cases censored: demand forecast and Kaplan-Meier curves
// are estimated); the truth is independent futures of the same authority
// drawn from the generating process itself (steady-state Poisson referrals
// at the generator's rate, the generator's duration curves, the same supply
// model) under another seed. Each (team, month) prediction is scored against
// every truth future: a reliability table by bins of predicted probability
// and the Brier score, with the Brier score of the base rate for reference.
//
// Usage: breach_calibration [authorities=40] [workers=72] [truth_futures=20] [paths=1000]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "caseload/model.hpp"
#include "caseload/projection.hpp"
#include "caseload/scheme.hpp"
#include "caseload/synthetic.hpp"

using namespace caseload;

int main(int argc, char** argv) {
  const int authorities = argc > 1 ? std::atoi(argv[1]) : 40;
  const int workers = argc > 2 ? std::atoi(argv[2]) : 72;
  const int futures = argc > 3 ? std::atoi(argv[3]) : 20;
  const int paths = argc > 4 ? std::atoi(argv[4]) : 1000;
  constexpr int kBins = 10;
  double bin_pred[kBins] = {}, bin_obs[kBins] = {}, bin_n[kBins] = {};
  double brier = 0, n = 0, base_rate = 0;
  std::vector<std::pair<double, double>> scored;  // (prediction, observed frequency)
  const int horizons[] = {1, 3, 6, 12};
  double brier_h[4] = {}, n_h[4] = {};
  for (int s = 1; s <= authorities; ++s) {
    SyntheticOptions so;
    so.seed = static_cast<uint64_t>(s);
    so.workers = workers;
    so.history_weeks = 0;
    const SyntheticAuthority a = synthetic_authority(so);
    const Caseload model(WeightingScheme::default_scheme(), a.workers, a.cases, a.as_of);
    const SyntheticHistory h = synthetic_history(a, static_cast<uint64_t>(s), 36, 0.0);
    ProjectionOptions po;
    po.n_paths = paths;
    po.seed = static_cast<uint64_t>(s);
    const CapacityProjection pred = project_capacity(model, h.referrals, h.durations, po);
    ProjectionOptions to = po;
    to.n_paths = std::max(10, futures);
    to.seed = 1000003ull + static_cast<uint64_t>(s);
    const CapacityProjection truth = project_capacity(model, {}, {}, to);
    for (size_t g = 0; g < pred.scenarios[0].groups.size(); ++g) {
      const auto& pg = pred.scenarios[0].groups[g];
      const auto& tg = truth.scenarios[0].groups[g];
      if (pg.level != Level::team) continue;
      for (size_t m = 0; m < pg.months.size(); ++m) {
        const double p = pg.months[m].p_breach, f = tg.months[m].p_breach;
        // Mean over the truth futures of (p - o)^2 with o in {0, 1} and mean f.
        const double b = p * p - 2 * p * f + f;
        brier += b;
        n += 1;
        base_rate += f;
        scored.emplace_back(p, f);
        const int bin = std::min(kBins - 1, static_cast<int>(p * kBins));
        bin_pred[bin] += p;
        bin_obs[bin] += f;
        bin_n[bin] += 1;
        for (int k = 0; k < 4; ++k)
          if (static_cast<int>(m) + 1 == horizons[k]) {
            brier_h[k] += b;
            n_h[k] += 1;
          }
      }
    }
  }
  base_rate /= n;
  double brier_ref = 0;
  for (const auto& [p, f] : scored) brier_ref += base_rate * base_rate - 2 * base_rate * f + f;
  brier_ref /= n;
  std::printf("authorities %d, workers %d, truth futures %d, paths %d; team-months %.0f\n\n", authorities, workers,
              futures, paths, n);
  std::printf("| predicted P(breach) | team-months | mean predicted | observed frequency |\n|---|---:|---:|---:|\n");
  for (int b = 0; b < kBins; ++b) {
    if (bin_n[b] == 0) continue;
    std::printf("| %.1f-%.1f | %.0f | %.3f | %.3f |\n", b / 10.0, (b + 1) / 10.0, bin_n[b], bin_pred[b] / bin_n[b],
                bin_obs[b] / bin_n[b]);
  }
  double mean_pred = 0;
  for (const auto& [p, f] : scored) mean_pred += p;
  mean_pred /= n;
  std::printf("\nBrier score %.4f (base rate %.3f: Brier %.4f; skill %.3f)\n", brier / n, base_rate, brier_ref,
              1 - (brier / n) / brier_ref);
  // Bias: a calibrated forecast's mean prediction equals the base rate.
  std::printf("mean predicted %.3f, observed %.3f\n", mean_pred, base_rate);
  for (int k = 0; k < 4; ++k)
    std::printf("  month %2d: Brier %.4f over %.0f team-months\n", horizons[k], brier_h[k] / n_h[k], n_h[k]);
  return 0;
}
