// Links against an installed caseload and evaluates a one-worker model.
#include <caseload/caseload.hpp>

#include <cmath>
#include <cstdio>

int main() {
  using namespace caseload;
  Worker w;
  w.id = "W1";
  w.team = "Team A";
  w.service_area = "children_in_need";
  w.role = "social_worker";
  Case c;
  c.id = "C1";
  c.case_type = "child_in_need";
  c.opened = Date::from_ymd(2024, 1, 10);
  c.allocations.push_back({"W1", 1.0});
  Caseload model(WeightingScheme::default_scheme(), {w}, {c}, Date::from_ymd(2024, 3, 31));
  const WorkerLoad& load = model.worker_load("W1");
  std::printf("caseload %s: W1 holds %.0f case(s), %.1f points, utilisation %.3f\n", version(), load.cases, load.points,
              load.utilisation);
  return (load.cases == 1 && load.points > 0 && std::isfinite(load.utilisation)) ? 0 : 1;
}
