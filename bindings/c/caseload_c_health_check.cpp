// The C API: dated snapshots, the exceedance history over them, and the
// published health check (docs/health_check.md). Shared machinery in
// c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model_json.hpp"

using namespace caseload_c;

namespace {

caseload::ExceedanceRule to_rule(const caseload_exceedance_rule& r) {
  if (r.version != CASELOAD_EXCEEDANCE_RULE_VERSION) {
    throw Error(ErrorCode::invalid_argument, "caseload_exceedance_rule: version " + std::to_string(r.version) +
                                                 " is not supported (expected " +
                                                 std::to_string(CASELOAD_EXCEEDANCE_RULE_VERSION) + ")");
  }
  caseload::ExceedanceRule rule;
  if (!std::isnan(r.threshold) && r.threshold >= 0) rule.threshold = r.threshold;
  rule.min_consecutive = r.min_consecutive;
  rule.max_gap_days = r.max_gap_days;
  return rule;
}

caseload::HealthCheckOptions to_options(const caseload_health_check_options& o) {
  if (o.version != CASELOAD_HEALTH_CHECK_OPTIONS_VERSION) {
    throw Error(ErrorCode::invalid_argument, "caseload_health_check_options: version " + std::to_string(o.version) +
                                                 " is not supported (expected " +
                                                 std::to_string(CASELOAD_HEALTH_CHECK_OPTIONS_VERSION) + ")");
  }
  caseload::HealthCheckOptions options;
  if (o.organisation != nullptr) options.organisation = o.organisation;
  options.history_days = o.history_days;
  options.overtime_tolerance_hours = o.overtime_tolerance_hours;
  options.exceedance = to_rule(o.exceedance);
  return options;
}

}  // namespace

extern "C" {

// ---- Snapshots and exceedances -----------------------------------------------

int caseload_snapshots_from_json(caseload_snapshots** out, const char* json, size_t len) {
  return guard([&] {
    init_out(out, "caseload_snapshots_from_json");
    require_arg(json, "caseload_snapshots_from_json", "json");
    *out = new caseload_snapshots{caseload::snapshots_from_json(std::string_view(json, len))};
  });
}

int caseload_snapshots_from_csv(caseload_snapshots** out, const char* csv, size_t len) {
  return guard([&] {
    init_out(out, "caseload_snapshots_from_csv");
    require_arg(csv, "caseload_snapshots_from_csv", "csv");
    *out = new caseload_snapshots{caseload::snapshots_from_csv(std::string_view(csv, len))};
  });
}

int caseload_snapshots_count(size_t* out, const caseload_snapshots* snapshots) {
  return guard([&] {
    require_arg(out, "caseload_snapshots_count", "out");
    *out = 0;
    require_arg(snapshots, "caseload_snapshots_count", "snapshots");
    *out = snapshots->rows.size();
  });
}

void caseload_snapshots_free(caseload_snapshots* snapshots) {
  delete snapshots;
}

int caseload_exceedance_rule_init(caseload_exceedance_rule* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_exceedance_rule_init", "opts");
    if (version != CASELOAD_EXCEEDANCE_RULE_VERSION) {
      throw Error(ErrorCode::invalid_argument, "caseload_exceedance_rule_init: version " + std::to_string(version) +
                                                   " is not supported (expected " +
                                                   std::to_string(CASELOAD_EXCEEDANCE_RULE_VERSION) + ")");
    }
    *opts = caseload_exceedance_rule CASELOAD_EXCEEDANCE_RULE_INIT;
  });
}

int caseload_exceedance_history_json(char** out, const caseload_scheme* scheme, const caseload_model* model,
                                     const caseload_snapshots* snapshots, const caseload_exceedance_rule* rule) {
  return guard([&] {
    static constexpr const char* fn = "caseload_exceedance_history_json";
    init_out(out, fn);
    require_arg(snapshots, fn, "snapshots");
    const caseload::ExceedanceRule r = rule != nullptr ? to_rule(*rule) : caseload::ExceedanceRule{};
    static const std::vector<caseload::Worker> kNoWorkers;
    const std::vector<caseload::Worker>& workers = model != nullptr ? model->model.workers() : kNoWorkers;
    std::optional<caseload::WeightingScheme> fallback;
    const caseload::WeightingScheme* s = nullptr;
    if (scheme != nullptr) {
      s = &scheme->scheme;
    } else if (model != nullptr) {
      s = &model->model.scheme();
    } else {
      fallback.emplace(caseload::WeightingScheme::default_scheme());
      s = &*fallback;
    }
    const caseload::ExceedanceHistory h = caseload::exceedance_history(*s, workers, snapshots->rows, r);
    *out = dup_string(to_text(caseload::serialize::to_json(h)));
  });
}

// ---- Health check --------------------------------------------------------------

int caseload_health_check_options_init(caseload_health_check_options* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_health_check_options_init", "opts");
    if (version != CASELOAD_HEALTH_CHECK_OPTIONS_VERSION) {
      throw Error(ErrorCode::invalid_argument, "caseload_health_check_options_init: version " +
                                                   std::to_string(version) + " is not supported (expected " +
                                                   std::to_string(CASELOAD_HEALTH_CHECK_OPTIONS_VERSION) + ")");
    }
    *opts = caseload_health_check_options CASELOAD_HEALTH_CHECK_OPTIONS_INIT;
  });
}

int caseload_health_check_create(caseload_health_check** out, const caseload_model* model,
                                 const caseload_snapshots* snapshots, const caseload_health_check_options* options) {
  return guard([&] {
    init_out(out, "caseload_health_check_create");
    require_arg(model, "caseload_health_check_create", "model");
    const caseload::HealthCheckOptions o = options != nullptr ? to_options(*options) : caseload::HealthCheckOptions{};
    *out = new caseload_health_check{
        caseload::health_check(model->model, snapshots != nullptr ? &snapshots->rows : nullptr, o)};
  });
}

int caseload_health_check_json(char** out, const caseload_health_check* hc) {
  return guard([&] {
    init_out(out, "caseload_health_check_json");
    require_arg(hc, "caseload_health_check_json", "hc");
    *out = dup_string(caseload::health_check_to_json(hc->hc));
  });
}

int caseload_health_check_csv(char** out, const caseload_health_check* hc) {
  return guard([&] {
    init_out(out, "caseload_health_check_csv");
    require_arg(hc, "caseload_health_check_csv", "hc");
    *out = dup_string(caseload::health_check_to_csv(hc->hc));
  });
}

int caseload_health_check_html(char** out, const caseload_health_check* hc) {
  return guard([&] {
    init_out(out, "caseload_health_check_html");
    require_arg(hc, "caseload_health_check_html", "hc");
    *out = dup_string(caseload::health_check_to_html(hc->hc));
  });
}

void caseload_health_check_free(caseload_health_check* hc) {
  delete hc;
}

}  // extern "C"
