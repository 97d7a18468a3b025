// The C API (include/caseload/caseload.h) over the C++ core.
//
// Every entry point runs its body inside guard(), which turns any exception
// into a status code plus a thread-local message, so nothing C++ ever crosses
// the boundary. Outputs are written only after all the work that can throw
// has succeeded, which is what makes "a failed call changes nothing" hold
// for the handles (the core's mutating calls are all-or-nothing themselves).
#include "caseload/caseload.h"

// The C header restates version.hpp's macros (it cannot include C++). Capture
// the C values, drop the macros and let version.hpp define them again, so a
// version bump made in only one of the two headers fails to compile here.
namespace caseload_c_header {
constexpr int kMajor = CASELOAD_VERSION_MAJOR;
constexpr int kMinor = CASELOAD_VERSION_MINOR;
constexpr int kPatch = CASELOAD_VERSION_PATCH;
constexpr int kNumber = CASELOAD_VERSION_NUMBER;
constexpr const char* kString = CASELOAD_VERSION_STRING;
}  // namespace caseload_c_header
#undef CASELOAD_VERSION_MAJOR
#undef CASELOAD_VERSION_MINOR
#undef CASELOAD_VERSION_PATCH
#undef CASELOAD_VERSION_NUMBER
#undef CASELOAD_VERSION_STRING

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caseload/caseload.hpp"
#include "caseload/league.hpp"
#include "records/records_json.hpp"
#include "base/json.hpp"
#include "projection/projection_json.hpp"
#include "model/model_json.hpp"

static_assert(caseload_c_header::kMajor == CASELOAD_VERSION_MAJOR &&
                  caseload_c_header::kMinor == CASELOAD_VERSION_MINOR &&
                  caseload_c_header::kPatch == CASELOAD_VERSION_PATCH &&
                  caseload_c_header::kNumber == CASELOAD_VERSION_NUMBER &&
                  std::string_view(caseload_c_header::kString) == CASELOAD_VERSION_STRING,
              "caseload.h and version.hpp disagree on the version");

// The C enums restate caseload::ErrorCode, Band and Level; keep them in step.
static_assert(CASELOAD_EINVALID == static_cast<int>(caseload::ErrorCode::invalid_argument));
static_assert(CASELOAD_EPARSE == static_cast<int>(caseload::ErrorCode::parse));
static_assert(CASELOAD_ENOTFOUND == static_cast<int>(caseload::ErrorCode::not_found));
static_assert(CASELOAD_EDUPLICATE == static_cast<int>(caseload::ErrorCode::duplicate));
static_assert(CASELOAD_ELIMIT == static_cast<int>(caseload::ErrorCode::limit_exceeded));
static_assert(CASELOAD_EIO == static_cast<int>(caseload::ErrorCode::io));
static_assert(CASELOAD_EINTERNAL == static_cast<int>(caseload::ErrorCode::internal));
static_assert(CASELOAD_ENOMEM == static_cast<int>(caseload::ErrorCode::out_of_memory));
static_assert(CASELOAD_BAND_GREEN == static_cast<int>(caseload::Band::green));
static_assert(CASELOAD_BAND_EXCESSIVE == static_cast<int>(caseload::Band::excessive));
static_assert(CASELOAD_LEVEL_TEAM == static_cast<int>(caseload::Level::team));
static_assert(CASELOAD_LEVEL_SERVICE_AREA == static_cast<int>(caseload::Level::service_area));
static_assert(CASELOAD_LEVEL_ORGANISATION == static_cast<int>(caseload::Level::organisation));

struct caseload_scheme {
  caseload::WeightingScheme scheme;
};

struct caseload_model {
  caseload::Caseload model;
};

struct caseload_snapshots {
  std::vector<caseload::Snapshot> rows;
};

struct caseload_health_check {
  caseload::HealthCheck hc;
};

namespace {

using caseload::Error;
using caseload::ErrorCode;

// ---- Thread-local last error ------------------------------------------------

struct LastError {
  int code = CASELOAD_OK;
  std::string message;
  // Used when the message itself cannot be stored (allocation failed).
  const char* fallback = nullptr;
};

LastError& last_error() noexcept {
  thread_local LastError e;
  return e;
}

void clear_error() noexcept {
  LastError& e = last_error();
  e.code = CASELOAD_OK;
  e.message.clear();  // keeps capacity; never throws
  e.fallback = nullptr;
}

int set_error(int code, const char* message) noexcept {
  LastError& e = last_error();
  e.code = code;
  try {
    e.message.assign(message);
    e.fallback = nullptr;
  } catch (...) {
    e.message.clear();
    e.fallback = "out of memory while recording an error";
  }
  return code;
}

/// Runs `body` and maps whatever it throws to a status code.
template <class F>
int guard(F&& body) noexcept {
  clear_error();
  try {
    body();
    return CASELOAD_OK;
  } catch (const Error& e) {
    int code = static_cast<int>(e.code());
    // A core bug could throw Error(ok); the caller must still see a failure.
    if (code >= 0 || code < CASELOAD_ENOMEM) code = CASELOAD_EINTERNAL;
    return set_error(code, e.what());
  } catch (const std::bad_alloc&) {
    return set_error(CASELOAD_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    std::string msg;
    try {
      msg = std::string("internal error: ") + e.what();
    } catch (...) {
      return set_error(CASELOAD_EINTERNAL, "internal error");
    }
    return set_error(CASELOAD_EINTERNAL, msg.c_str());
  } catch (...) {
    return set_error(CASELOAD_EINTERNAL, "internal error: unknown exception");
  }
}

[[noreturn]] void throw_null(const char* function, const char* parameter) {
  throw Error(ErrorCode::invalid_argument, std::string(function) + ": " + parameter + " must not be NULL");
}

template <class T>
void require_arg(const T* p, const char* function, const char* parameter) {
  if (p == nullptr) throw_null(function, parameter);
}

/// A malloc'd copy, so the caller frees it with caseload_string_free (free)
/// whatever C++ allocator the library uses internally.
char* dup_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

/// Common prologue of functions with a `char** out`: checks it and clears it.
void init_out(char** out, const char* function) {
  if (out == nullptr) throw_null(function, "out");
  *out = nullptr;
}

template <class H>
void init_out(H** out, const char* function) {
  if (out == nullptr) throw_null(function, "out");
  *out = nullptr;
}

std::string to_text(const caseload::json::Value& v) {
  return caseload::json::dump(v);
}

caseload::Date parse_as_of(const char* as_of, const char* function) {
  require_arg(as_of, function, "as_of");
  return caseload::Date::parse(as_of, "as_of");
}

caseload::WeightingScheme scheme_or_default(const caseload_scheme* scheme) {
  return scheme != nullptr ? scheme->scheme : caseload::WeightingScheme::default_scheme();
}

// ---- Changes (preview/apply) ----------------------------------------------

caseload::Change parse_change(const char* change_json) {
  return caseload::io::change_from_value(caseload::json::parse(change_json), "change");
}

// ---- Options ---------------------------------------------------------------

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

void fill_load(caseload_worker_load* out, const caseload::WorkerLoad& w) noexcept {
  out->worker_id = w.worker_id.c_str();
  out->team = w.team.c_str();
  out->service_area = w.service_area.c_str();
  out->role = w.role.c_str();
  out->case_holding = w.case_holding ? 1 : 0;
  out->is_asye = w.is_asye ? 1 : 0;
  out->fte = w.fte;
  out->available_hours = w.available_hours;
  out->cases = w.cases;
  out->points = w.points;
  out->capacity = w.capacity;
  out->utilisation = w.utilisation;
  out->headroom = w.headroom;
  out->band = static_cast<int32_t>(w.band);
  out->over_case_benchmark = w.over_case_benchmark ? 1 : 0;
  out->asye_protected = w.asye_protected ? 1 : 0;
}

caseload::Limits to_limits(const caseload_limits& l) {
  if (l.version != CASELOAD_LIMITS_VERSION) {
    throw Error(ErrorCode::invalid_argument, "caseload_limits: version " + std::to_string(l.version) +
                                                 " is not supported (expected " +
                                                 std::to_string(CASELOAD_LIMITS_VERSION) + ")");
  }
  const auto positive = [](uint64_t v, const char* field) {
    if (v == 0) throw Error(ErrorCode::invalid_argument, std::string("caseload_limits: ") + field + " must be > 0");
  };
  positive(l.max_document_bytes, "max_document_bytes");
  positive(l.max_depth, "max_depth");
  positive(l.max_records, "max_records");
  positive(l.max_string_bytes, "max_string_bytes");
  caseload::Limits limits;
  limits.max_document_bytes = l.max_document_bytes;
  limits.max_depth = l.max_depth;
  limits.max_records = l.max_records;
  limits.max_string_bytes = l.max_string_bytes;
  return limits;
}

void from_limits(caseload_limits* out, const caseload::Limits& l) noexcept {
  out->version = CASELOAD_LIMITS_VERSION;
  out->max_document_bytes = l.max_document_bytes;
  out->max_depth = l.max_depth;
  out->max_records = l.max_records;
  out->max_string_bytes = l.max_string_bytes;
}

}  // namespace

extern "C" {

// ---- Errors and version ------------------------------------------------------

const char* caseload_last_error(void) {
  const LastError& e = last_error();
  return e.fallback != nullptr ? e.fallback : e.message.c_str();
}

int caseload_last_error_code(void) {
  return last_error().code;
}

const char* caseload_errstr(int code) {
  switch (code) {
    case CASELOAD_OK:
      return "no error";
    case CASELOAD_EINVALID:
      return "invalid argument";
    case CASELOAD_EPARSE:
      return "malformed input";
    case CASELOAD_ENOTFOUND:
      return "not found";
    case CASELOAD_EDUPLICATE:
      return "duplicate id";
    case CASELOAD_ELIMIT:
      return "input limit exceeded";
    case CASELOAD_EIO:
      return "input/output error";
    case CASELOAD_EINTERNAL:
      return "internal error";
    case CASELOAD_ENOMEM:
      return "out of memory";
    default:
      return "unknown error";
  }
}

void caseload_string_free(char* str) {
  std::free(str);
}

const char* caseload_libversion(void) {
  return caseload::version();
}

int caseload_libversion_number(void) {
  return caseload::version_number();
}

// ---- Limits ------------------------------------------------------------------

int caseload_limits_init(caseload_limits* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_limits_init", "opts");
    if (version != CASELOAD_LIMITS_VERSION) {
      throw Error(ErrorCode::invalid_argument, "caseload_limits_init: version " + std::to_string(version) +
                                                   " is not supported (expected " +
                                                   std::to_string(CASELOAD_LIMITS_VERSION) + ")");
    }
    from_limits(opts, caseload::Limits{});
  });
}

int caseload_get_default_limits(caseload_limits* out) {
  return guard([&] {
    require_arg(out, "caseload_get_default_limits", "out");
    from_limits(out, caseload::default_limits());
  });
}

int caseload_set_default_limits(const caseload_limits* limits) {
  return guard([&] {
    require_arg(limits, "caseload_set_default_limits", "limits");
    caseload::set_default_limits(to_limits(*limits));
  });
}

// ---- Scheme ------------------------------------------------------------------

int caseload_scheme_default(caseload_scheme** out) {
  return guard([&] {
    init_out(out, "caseload_scheme_default");
    *out = new caseload_scheme{caseload::WeightingScheme::default_scheme()};
  });
}

int caseload_scheme_from_json(caseload_scheme** out, const char* json, size_t len) {
  return guard([&] {
    init_out(out, "caseload_scheme_from_json");
    require_arg(json, "caseload_scheme_from_json", "json");
    *out = new caseload_scheme{caseload::WeightingScheme::from_json(std::string_view(json, len))};
  });
}

int caseload_scheme_to_json(char** out, const caseload_scheme* scheme) {
  return guard([&] {
    init_out(out, "caseload_scheme_to_json");
    require_arg(scheme, "caseload_scheme_to_json", "scheme");
    *out = dup_string(scheme->scheme.to_json());
  });
}

void caseload_scheme_free(caseload_scheme* scheme) {
  delete scheme;
}

// ---- Model -------------------------------------------------------------------

int caseload_model_create_json(caseload_model** out, const caseload_scheme* scheme, const char* workers_json,
                               const char* cases_json, const char* as_of) {
  return guard([&] {
    static constexpr const char* fn = "caseload_model_create_json";
    init_out(out, fn);
    require_arg(workers_json, fn, "workers_json");
    require_arg(cases_json, fn, "cases_json");
    const caseload::Date date = parse_as_of(as_of, fn);
    auto workers = caseload::workers_from_json(workers_json);
    auto cases = caseload::cases_from_json(cases_json);
    *out =
        new caseload_model{caseload::Caseload(scheme_or_default(scheme), std::move(workers), std::move(cases), date)};
  });
}

int caseload_model_create_csv(caseload_model** out, const caseload_scheme* scheme, const char* workers_csv,
                              const char* cases_csv, const char* as_of) {
  return guard([&] {
    static constexpr const char* fn = "caseload_model_create_csv";
    init_out(out, fn);
    require_arg(workers_csv, fn, "workers_csv");
    require_arg(cases_csv, fn, "cases_csv");
    const caseload::Date date = parse_as_of(as_of, fn);
    auto workers = caseload::workers_from_csv(workers_csv);
    auto cases = caseload::cases_from_csv(cases_csv);
    *out =
        new caseload_model{caseload::Caseload(scheme_or_default(scheme), std::move(workers), std::move(cases), date)};
  });
}

void caseload_model_free(caseload_model* model) {
  delete model;
}

int caseload_model_worker_count(size_t* out, const caseload_model* model) {
  return guard([&] {
    require_arg(out, "caseload_model_worker_count", "out");
    *out = 0;
    require_arg(model, "caseload_model_worker_count", "model");
    *out = model->model.worker_loads().size();
  });
}

int caseload_worker_load_get(caseload_worker_load* out, const caseload_model* model, size_t index) {
  return guard([&] {
    static constexpr const char* fn = "caseload_worker_load_get";
    require_arg(out, fn, "out");
    *out = caseload_worker_load{};
    require_arg(model, fn, "model");
    const auto& loads = model->model.worker_loads();
    if (index >= loads.size()) {
      throw Error(ErrorCode::invalid_argument, std::string(fn) + ": index " + std::to_string(index) +
                                                   " is out of range (the model has " + std::to_string(loads.size()) +
                                                   " workers)");
    }
    fill_load(out, loads[index]);
  });
}

int caseload_worker_load_find(caseload_worker_load* out, const caseload_model* model, const char* worker_id) {
  return guard([&] {
    static constexpr const char* fn = "caseload_worker_load_find";
    require_arg(out, fn, "out");
    *out = caseload_worker_load{};
    require_arg(model, fn, "model");
    require_arg(worker_id, fn, "worker_id");
    fill_load(out, model->model.worker_load(worker_id));
  });
}

const char* caseload_band_name(int32_t band) {
  if (band < CASELOAD_BAND_GREEN || band > CASELOAD_BAND_EXCESSIVE) return "unknown";
  return caseload::band_name(static_cast<caseload::Band>(band));
}

int caseload_model_breakdown_json(char** out, const caseload_model* model, const char* worker_id) {
  return guard([&] {
    static constexpr const char* fn = "caseload_model_breakdown_json";
    init_out(out, fn);
    require_arg(model, fn, "model");
    require_arg(worker_id, fn, "worker_id");
    *out = dup_string(to_text(caseload::serialize::to_json(model->model.breakdown(worker_id))));
  });
}

int caseload_model_rollup_json(char** out, const caseload_model* model, int32_t level) {
  return guard([&] {
    static constexpr const char* fn = "caseload_model_rollup_json";
    init_out(out, fn);
    require_arg(model, fn, "model");
    if (level < CASELOAD_LEVEL_TEAM || level > CASELOAD_LEVEL_ORGANISATION) {
      throw Error(ErrorCode::invalid_argument,
                  std::string(fn) + ": level must be 0 (team), 1 (service_area) or 2 (organisation), got " +
                      std::to_string(level));
    }
    caseload::json::Array rows;
    for (const caseload::Rollup& r : model->model.rollup(static_cast<caseload::Level>(level))) {
      rows.push_back(caseload::serialize::to_json(r));
    }
    *out = dup_string(to_text(caseload::json::Value(std::move(rows))));
  });
}

int caseload_model_preview_json(char** out, const caseload_model* model, const char* change_json) {
  return guard([&] {
    static constexpr const char* fn = "caseload_model_preview_json";
    init_out(out, fn);
    require_arg(model, fn, "model");
    require_arg(change_json, fn, "change_json");
    *out = dup_string(to_text(caseload::serialize::to_json(model->model.preview(parse_change(change_json)))));
  });
}

int caseload_model_apply_json(caseload_model* model, const char* change_json) {
  return guard([&] {
    require_arg(model, "caseload_model_apply_json", "model");
    require_arg(change_json, "caseload_model_apply_json", "change_json");
    model->model.apply(parse_change(change_json));
  });
}

int caseload_model_upsert_json(caseload_model* model, const char* workers_json, const char* cases_json) {
  return guard([&] {
    require_arg(model, "caseload_model_upsert_json", "model");
    std::vector<caseload::Worker> workers;
    std::vector<caseload::Case> cases;
    if (workers_json != nullptr) workers = caseload::workers_from_json(workers_json);
    if (cases_json != nullptr) cases = caseload::cases_from_json(cases_json);
    model->model.upsert(workers, cases);
  });
}

int caseload_model_set_as_of(caseload_model* model, const char* as_of) {
  return guard([&] {
    require_arg(model, "caseload_model_set_as_of", "model");
    model->model.set_as_of(parse_as_of(as_of, "caseload_model_set_as_of"));
  });
}

int caseload_model_to_json(char** out, const caseload_model* model) {
  return guard([&] {
    init_out(out, "caseload_model_to_json");
    require_arg(model, "caseload_model_to_json", "model");
    const caseload::Caseload& m = model->model;
    // Each part is already a complete JSON document, so splicing them is
    // exact and avoids re-parsing a possibly large scheme.
    std::string doc = "{\"scheme\":";
    doc += m.scheme().to_json();
    doc += ",\"workers\":";
    doc += caseload::workers_to_json(m.workers());
    doc += ",\"cases\":";
    doc += caseload::cases_to_json(m.cases());
    doc += ",\"as_of\":\"";
    doc += m.as_of().to_string();
    doc += "\"}";
    *out = dup_string(doc);
  });
}

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

// ---- JSON in, JSON out -----------------------------------------------------------

int caseload_request_json(char** response_out, const char* request, size_t len) {
  return guard([&] {
    init_out(response_out, "caseload_request_json");
    require_arg(request, "caseload_request_json", "request");
    *response_out = dup_string(caseload::run_json_request(std::string_view(request, len)));
  });
}

// ---- Capacity projection (docs/projection.md) --------------------------------

int caseload_model_project_capacity_json(char** out, const caseload_model* model, const char* request_json) {
  return guard([&] {
    init_out(out, "caseload_model_project_capacity_json");
    require_arg(model, "caseload_model_project_capacity_json", "model");
    const caseload::json::Value req =
        request_json != nullptr ? caseload::json::parse(request_json) : caseload::json::Value(caseload::json::Object{});
    if (!req.is_object())
      throw Error(ErrorCode::parse, std::string("request_json must be a JSON object, got ") + req.type_name());
    caseload::json::reject_unknown_keys(req, {"referrals", "closed_cases", "options", "format"}, "request_json");
    const caseload::json::Value result = caseload::projection_json::run(model->model, req);
    *out = dup_string(result.is_string() ? result.as_string() : to_text(result));
  });
}

int caseload_project_capacity_json(char** out, const char* request, size_t len) {
  return guard([&] {
    init_out(out, "caseload_project_capacity_json");
    require_arg(request, "caseload_project_capacity_json", "request");
    caseload::json::Value req = caseload::json::parse(std::string_view(request, len));
    if (!req.is_object())
      throw Error(ErrorCode::parse, std::string("request must be a JSON object, got ") + req.type_name());
    if (req.find("op") == nullptr) req.as_object().emplace_back("op", "project_capacity");
    const std::string op = caseload::json::get_string(req, "op", "request");
    if (op != "project_capacity")
      throw Error(ErrorCode::invalid_argument,
                  "request: op must be \"project_capacity\" (or absent), got \"" + op.substr(0, 64) + "\"");
    const caseload::json::Value response = caseload::json::parse(caseload::run_json_request(caseload::json::dump(req)));
    const caseload::json::Value& result = caseload::json::require(response, "result", "response");
    *out = dup_string(result.is_string() ? result.as_string() : to_text(result));
  });
}

int caseload_league_table_json(char** out, const char* request, size_t len) {
  return guard([&] {
    init_out(out, "caseload_league_table_json");
    require_arg(request, "caseload_league_table_json", "request");
    *out = dup_string(caseload::league_table_request_json(std::string_view(request, len)));
  });
}

int caseload_forecast_json(char** out, const char* request, size_t len) {
  return guard([&] {
    init_out(out, "caseload_forecast_json");
    require_arg(request, "caseload_forecast_json", "request");
    *out = dup_string(caseload::forecast_json(std::string_view(request, len)));
  });
}

}  // extern "C"

// ---- GAP and allocation (docs/gap.md, docs/allocation.md) --------------------

namespace {

caseload::AllocationOptions to_allocation_options(const caseload_allocation_options* o) {
  caseload::AllocationOptions r;
  if (o == nullptr) return r;
  if (o->version != CASELOAD_ALLOCATION_OPTIONS_VERSION)
    throw Error(ErrorCode::invalid_argument,
                "caseload_allocation_options: unsupported version " + std::to_string(o->version));
  if (o->utilisation_cap > 0) r.utilisation_cap = o->utilisation_cap;
  r.fairness_tolerance = o->fairness_tolerance;
  r.continuity_weight = o->continuity_weight;
  r.skills_weight = o->skills_weight;
  r.preference_weight = o->preference_weight;
  r.seed = o->seed;
  r.work_limit = o->work_limit;
  if (o->time_limit_seconds > 0) r.time_limit_seconds = o->time_limit_seconds;
  r.explain = o->explain != 0;
  return r;
}

}  // namespace

int caseload_gap_options_init(caseload_gap_options* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_gap_options_init", "opts");
    if (version != CASELOAD_GAP_OPTIONS_VERSION)
      throw Error(ErrorCode::invalid_argument,
                  "caseload_gap_options_init: unsupported version " + std::to_string(version));
    *opts = caseload_gap_options CASELOAD_GAP_OPTIONS_INIT;
  });
}

int caseload_gap_solve(caseload_gap_result* out, int32_t* assignment_out, int32_t agents, int32_t items,
                       const double* cost, const double* weight, const double* capacity,
                       const caseload_gap_options* options) {
  if (out != nullptr) *out = caseload_gap_result{};
  return guard([&] {
    const char* fn = "caseload_gap_solve";
    require_arg(out, fn, "out");
    require_arg(assignment_out, fn, "assignment_out");
    if (agents <= 0 || items <= 0)
      throw Error(ErrorCode::invalid_argument, std::string(fn) + ": agents and items must be > 0, got " +
                                                   std::to_string(agents) + " and " + std::to_string(items));
    require_arg(cost, fn, "cost");
    require_arg(weight, fn, "weight");
    require_arg(capacity, fn, "capacity");
    caseload::GapOptions o;
    if (options != nullptr) {
      if (options->version != CASELOAD_GAP_OPTIONS_VERSION)
        throw Error(ErrorCode::invalid_argument,
                    std::string(fn) + ": unsupported options version " + std::to_string(options->version));
      o.seed = options->seed;
      o.work_limit = options->work_limit;
      if (options->time_limit_seconds > 0) o.time_limit_seconds = options->time_limit_seconds;
    }
    caseload::GapInstance g;
    g.agents = agents;
    g.items = items;
    const size_t cells = static_cast<size_t>(agents) * static_cast<size_t>(items);
    g.cost.assign(cost, cost + cells);
    g.weight.assign(weight, weight + cells);
    g.capacity.assign(capacity, capacity + agents);
    g.validate();
    const caseload::GapResult r = caseload::solve_gap(g, o);
    for (int32_t j = 0; j < items; ++j) assignment_out[j] = r.assignment.empty() ? -1 : r.assignment[j];
    out->objective = r.objective;
    out->bound = r.bound;
    out->feasible = r.feasible ? 1 : 0;
    out->optimal = r.optimal ? 1 : 0;
    out->seconds = r.seconds;
    out->work = r.work;
  });
}

int caseload_allocation_options_init(caseload_allocation_options* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_allocation_options_init", "opts");
    if (version != CASELOAD_ALLOCATION_OPTIONS_VERSION)
      throw Error(ErrorCode::invalid_argument,
                  "caseload_allocation_options_init: unsupported version " + std::to_string(version));
    *opts = caseload_allocation_options CASELOAD_ALLOCATION_OPTIONS_INIT;
  });
}

int caseload_allocate(char** out, const caseload_model* model, const char* incoming_json,
                      const caseload_allocation_options* options, const char* format) {
  return guard([&] {
    const char* fn = "caseload_allocate";
    init_out(out, fn);
    require_arg(model, fn, "model");
    require_arg(incoming_json, fn, "incoming_json");
    const std::string f = format == nullptr ? "json" : format;
    if (f != "json" && f != "csv" && f != "html")
      throw Error(ErrorCode::invalid_argument,
                  std::string(fn) + ": format must be json, csv or html, got \"" + f + "\"");
    const auto opt = to_allocation_options(options);
    const auto incoming = caseload::incoming_from_json(incoming_json);
    const caseload::AllocationPlan plan = caseload::allocate(model->model, incoming, opt);
    *out = dup_string(f == "csv"    ? caseload::allocation_plan_to_csv(plan)
                      : f == "html" ? caseload::allocation_plan_to_html(plan)
                                    : caseload::allocation_plan_to_json(plan));
  });
}

int caseload_suggest(char** out, const caseload_model* model, const char* case_json, int32_t k,
                     const caseload_allocation_options* options) {
  return guard([&] {
    const char* fn = "caseload_suggest";
    init_out(out, fn);
    require_arg(model, fn, "model");
    require_arg(case_json, fn, "case_json");
    const auto opt = to_allocation_options(options);
    const auto one = caseload::incoming_from_json(std::string("[") + case_json + "]");
    if (one.size() != 1) throw Error(ErrorCode::parse, std::string(fn) + ": case_json must be one JSON object");
    *out = dup_string(caseload::suggestions_to_json(caseload::suggest(model->model, one[0], k, opt)));
  });
}

int caseload_rebalance(char** out, const caseload_model* model, double move_cost, int32_t max_moves,
                       const char* scope) {
  return guard([&] {
    const char* fn = "caseload_rebalance";
    init_out(out, fn);
    require_arg(model, fn, "model");
    caseload::RebalanceOptions o;
    o.move_cost = move_cost;
    o.max_moves = max_moves;
    if (scope != nullptr) o.scope = scope;
    *out = dup_string(caseload::rebalance_plan_to_json(caseload::rebalance(model->model, o)));
  });
}
