// The C API: weighting schemes and the model (workers, cases, figures,
// roll-ups, previews and changes). Shared machinery in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/model_json.hpp"
#include "records/records_json.hpp"

using namespace caseload_c;

namespace {

// ---- Changes (preview/apply) ----------------------------------------------

caseload::Change parse_change(const char* change_json) {
  return caseload::io::change_from_value(caseload::json::parse(change_json), "change");
}

// The struct as this release knows it is filled in full, then copied into
// the caller's as far as the caller's struct_size reaches: a program built
// against an older (smaller) caseload_worker_load is never written past its
// end. The first release's struct ends at asye_protected.
constexpr size_t kWorkerLoadMinSize = offsetof(caseload_worker_load, asye_protected) + sizeof(int32_t);

size_t checked_size(const caseload_worker_load* out, const char* fn) {
  const size_t size = out->struct_size;
  if (size < kWorkerLoadMinSize)
    throw Error(ErrorCode::invalid_argument, std::string(fn) + ": out->struct_size must be at least " +
                                                 std::to_string(kWorkerLoadMinSize) +
                                                 " (use CASELOAD_WORKER_LOAD_INIT), got " + std::to_string(size));
  return std::min(size, sizeof(caseload_worker_load));
}

// Zeroes (or fills) the caller's struct after struct_size, within `size`.
void copy_out(caseload_worker_load* out, const caseload_worker_load& full, size_t size) noexcept {
  const size_t skip = offsetof(caseload_worker_load, worker_id);
  std::memcpy(reinterpret_cast<char*>(out) + skip, reinterpret_cast<const char*>(&full) + skip, size - skip);
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

}  // namespace

extern "C" {

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
    const size_t size = checked_size(out, fn);
    copy_out(out, caseload_worker_load{}, size);
    require_arg(model, fn, "model");
    const auto& loads = model->model.worker_loads();
    if (index >= loads.size()) {
      throw Error(ErrorCode::invalid_argument, std::string(fn) + ": index " + std::to_string(index) +
                                                   " is out of range (the model has " + std::to_string(loads.size()) +
                                                   " workers)");
    }
    caseload_worker_load full{};
    fill_load(&full, loads[index]);
    copy_out(out, full, size);
  });
}

int caseload_worker_load_find(caseload_worker_load* out, const caseload_model* model, const char* worker_id) {
  return guard([&] {
    static constexpr const char* fn = "caseload_worker_load_find";
    require_arg(out, fn, "out");
    const size_t size = checked_size(out, fn);
    copy_out(out, caseload_worker_load{}, size);
    require_arg(model, fn, "model");
    require_arg(worker_id, fn, "worker_id");
    caseload_worker_load full{};
    fill_load(&full, model->model.worker_load(worker_id));
    copy_out(out, full, size);
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

}  // extern "C"
