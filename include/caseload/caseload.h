/*
 * caseload: safe, weighted social-work caseloads -- the C API.
 *
 * This one header is the whole C contract: anything not declared here is not
 * API. It is plain C99 and needs only the C standard library; the library
 * behind it is C++, but no C++ type and no exception ever crosses it.
 *
 * Conventions (docs/c_api.md has the long version):
 *
 *  - Handles are opaque typed pointers (caseload_scheme, caseload_model,
 *    caseload_snapshots, caseload_health_check). Each has a `_free`
 *    function that accepts NULL. A `**out` parameter means the caller owns
 *    the result and frees it with that type's own free function.
 *  - Every function that can fail returns an int status: CASELOAD_OK (0) or
 *    a negative caseload_error_code. Outputs are the first parameters. A
 *    failed call sets `*out` to NULL (or zero) and leaves every handle it was
 *    given unchanged.
 *  - caseload_last_error() gives a thread-local message for the most recent
 *    status-returning call on this thread ("" after a success). Messages
 *    name the record and field, e.g.
 *    `worker "W17": contracted_hours must be in (0, 60], got -0.2`.
 *  - Strings returned through `char**` are allocated by the library, are
 *    NUL-terminated UTF-8 and must be released with caseload_string_free().
 *    Strings borrowed from a handle (`const char*` inside a result struct)
 *    stay valid until that handle is freed or mutated.
 *  - Input text is UTF-8. Functions taking (`const char*`, `size_t len`)
 *    read exactly `len` bytes; the others read a NUL-terminated string.
 *  - Only fixed-width types cross the boundary, so FFIs (C#, Java, Go,
 *    Python ctypes) marshal them without surprises.
 *  - Option structs carry a `version` field, an `_INIT` macro and an
 *    `_init()` function so they can grow without breaking the ABI.
 *
 * Thread safety: the library keeps no hidden shared state except the
 * process-wide default limits (guarded by a lock) and the thread-local last
 * error. Handles are not synchronised: a handle may be read (any function
 * taking `const caseload_xxx*`) from many threads at once, but a function
 * that mutates it must not run concurrently with any other call on the same
 * handle. Different handles are independent. Full rules and their tests:
 * docs/thread_safety.md.
 */
#ifndef CASELOAD_CASELOAD_H
#define CASELOAD_CASELOAD_H

#include <stddef.h>
#include <stdint.h>

/* ---- Symbol visibility (mirrors caseload/export.hpp) -------------------- */
#if defined(CASELOAD_STATIC_DEFINE)
#define CASELOAD_C_API
#elif defined(_WIN32)
#if defined(CASELOAD_BUILDING)
#define CASELOAD_C_API __declspec(dllexport)
#else
#define CASELOAD_C_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define CASELOAD_C_API __attribute__((visibility("default")))
#else
#define CASELOAD_C_API
#endif

/* ---- Compile-time version ----------------------------------------------
 * Identical to caseload/version.hpp. Defined only when that header has not
 * already defined them, so C++ code may include both. Compare with
 * caseload_libversion_number() to check the header matches the library. */
#ifndef CASELOAD_VERSION_MAJOR
#define CASELOAD_VERSION_MAJOR 0
#define CASELOAD_VERSION_MINOR 1
#define CASELOAD_VERSION_PATCH 0
#define CASELOAD_VERSION_STRING "0.1.0"
/** major * 10000 + minor * 100 + patch */
#define CASELOAD_VERSION_NUMBER (CASELOAD_VERSION_MAJOR * 10000 + CASELOAD_VERSION_MINOR * 100 + CASELOAD_VERSION_PATCH)
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Errors                                                                   */
/* ======================================================================== */

/** Status codes. The values equal caseload::ErrorCode and never change. */
typedef enum caseload_error_code {
  CASELOAD_OK = 0,
  CASELOAD_EINVALID = -1,   /**< a value out of its documented range, or a NULL argument */
  CASELOAD_EPARSE = -2,     /**< malformed JSON or CSV text, or a bad date */
  CASELOAD_ENOTFOUND = -3,  /**< an id that names no record (unknown worker, case type) */
  CASELOAD_EDUPLICATE = -4, /**< an id given twice */
  CASELOAD_ELIMIT = -5,     /**< input larger or deeper than the configured limits */
  CASELOAD_EIO = -6,        /**< a file could not be read or written */
  CASELOAD_EINTERNAL = -7,  /**< a bug in caseload; please report it */
  CASELOAD_ENOMEM = -8,     /**< out of memory */
  CASELOAD_ECANCELLED = -9  /**< stopped through the caller's caseload_cancel token; nothing was changed */
} caseload_error_code;

/**
 * Message of the most recent status-returning call on this thread: "" when
 * it succeeded (or no call was made yet). Never NULL.
 * Ownership: the library's; valid until the next caseload call on this
 * thread. Thread safety: thread-local, so always safe.
 */
CASELOAD_C_API const char* caseload_last_error(void);

/** Code of the most recent status-returning call on this thread (0 after a
 *  success). Thread-local. */
CASELOAD_C_API int caseload_last_error_code(void);

/** Static English text for a status code ("invalid argument", ...), or
 *  "unknown error" for a value that is not a code. Never NULL; never freed. */
CASELOAD_C_API const char* caseload_errstr(int code);

/** Frees a string returned through a `char**` parameter. Accepts NULL. */
CASELOAD_C_API void caseload_string_free(char* str);

/* ======================================================================== */
/* Version                                                                  */
/* ======================================================================== */

/** Run-time version of the library, e.g. "0.1.0". Static; never freed. */
CASELOAD_C_API const char* caseload_libversion(void);
/** Run-time version number (major * 10000 + minor * 100 + patch). */
CASELOAD_C_API int caseload_libversion_number(void);

/* ======================================================================== */
/* Limits on untrusted input                                                */
/* ======================================================================== */

#define CASELOAD_LIMITS_VERSION 1

/** Bounds on untrusted input; exceeding one fails with CASELOAD_ELIMIT. */
typedef struct caseload_limits {
  uint32_t version;            /**< CASELOAD_LIMITS_VERSION */
  uint64_t max_document_bytes; /**< default 256 MiB */
  uint32_t max_depth;          /**< JSON nesting, default 64, at most 128 (a deeper
                                    limit is CASELOAD_EINVALID: the parser
                                    must fit a 1 MiB thread stack) */
  uint64_t max_records;        /**< rows or array elements per table, default 5,000,000 */
  uint64_t max_string_bytes;   /**< one string or CSV field, default 1 MiB */
} caseload_limits;

#define CASELOAD_LIMITS_INIT \
  { CASELOAD_LIMITS_VERSION, (uint64_t)256 << 20, 64, 5000000, (uint64_t)1 << 20 }

/** Fills `opts` with the built-in defaults (as CASELOAD_LIMITS_INIT).
 *  Fails with CASELOAD_EINVALID when `version` is not supported. */
CASELOAD_C_API int caseload_limits_init(caseload_limits* opts, uint32_t version);

/** Copies the current process-wide default limits into `*out` (whose
 *  `version` field is set). Thread-safe. */
CASELOAD_C_API int caseload_get_default_limits(caseload_limits* out);

/** Replaces the process-wide default limits used by every parser. Every
 *  bound must be > 0. Thread-safe, but calls already parsing keep the limits
 *  they started with: set limits once at start-up. */
CASELOAD_C_API int caseload_set_default_limits(const caseload_limits* limits);

/* ======================================================================== */
/* Threads and cancellation (docs/hardening.md)                             */
/* ======================================================================== */

/** Process-wide cap on the worker threads the library itself has running at
 *  once, over all calls on all threads (the calling threads are not
 *  counted: every call also works on its own). n_threads = 0 in an option
 *  means min(hardware threads, cap + 1); any request gets at most what the
 *  cap leaves free, down to the calling thread alone. Results never depend
 *  on it. Default 256; 0 = the library starts no thread. A thread the
 *  system refuses to start is not an error: the work runs on fewer threads.
 *  Thread-safe; calls already running keep their threads. */
CASELOAD_C_API void caseload_set_max_threads(uint32_t cap);
CASELOAD_C_API uint32_t caseload_get_max_threads(void);

/** A cancellation token for the long calls (the `_ex` functions:
 *  caseload_forecast_json_ex, caseload_model_project_capacity_json_ex,
 *  caseload_allocate_ex, caseload_gap_solve_ex).
 *  Ownership: the caller creates it with caseload_cancel_create, frees it
 *  with caseload_cancel_free, and must keep it alive until every call given
 *  it has returned. Thread safety: caseload_cancel_request, _reset and
 *  _requested may be called from any thread at any time, including while a
 *  call uses the token (a lock-free atomic flag). A call given a requested
 *  token stops at its next check (between series, blocks of 32 projection
 *  paths, search steps) and fails with CASELOAD_ECANCELLED, changing nothing
 *  and returning no result. The library never resets a token: a requested
 *  token cancels every later call until caseload_cancel_reset. */
typedef struct caseload_cancel caseload_cancel;
CASELOAD_C_API int caseload_cancel_create(caseload_cancel** out);
/** Accepts NULL. */
CASELOAD_C_API void caseload_cancel_free(caseload_cancel* cancel);
/** Asks every call using the token to stop. NULL: no effect. */
CASELOAD_C_API void caseload_cancel_request(caseload_cancel* cancel);
/** Clears the request, for reuse once no call is using the token. NULL: no effect. */
CASELOAD_C_API void caseload_cancel_reset(caseload_cancel* cancel);
/** 1 when requested, else 0 (also for NULL). */
CASELOAD_C_API int caseload_cancel_requested(const caseload_cancel* cancel);

/* ======================================================================== */
/* Weighting scheme                                                         */
/* ======================================================================== */

/** A validated, versioned weighting scheme. Immutable: may be shared by
 *  any number of threads. */
typedef struct caseload_scheme caseload_scheme;

/** The documented default scheme shipped with caseload
 *  (docs/default_scheme.md). Caller frees `*out` with caseload_scheme_free. */
CASELOAD_C_API int caseload_scheme_default(caseload_scheme** out);

/** Parses and validates a scheme from `len` bytes of JSON
 *  (docs/scheme_format.md). Caller frees `*out`. */
CASELOAD_C_API int caseload_scheme_from_json(caseload_scheme** out, const char* json, size_t len);

/** The scheme as JSON that caseload_scheme_from_json() turns back into an
 *  identical scheme. Caller frees `*out` with caseload_string_free. */
CASELOAD_C_API int caseload_scheme_to_json(char** out, const caseload_scheme* scheme);

/** Frees a scheme. Accepts NULL. Models built from it keep their own copy. */
CASELOAD_C_API void caseload_scheme_free(caseload_scheme* scheme);

/* ======================================================================== */
/* Model                                                                    */
/* ======================================================================== */

/** A scheme, workers and cases evaluated on an as-of date. Not
 *  synchronised: concurrent readers are fine; a mutating call (apply,
 *  upsert, set_as_of) needs exclusive access. */
typedef struct caseload_model caseload_model;

/** Utilisation bands (see docs: green < 85% <= amber <= 100% < red <= 110% < excessive by default). */
typedef enum caseload_band {
  CASELOAD_BAND_GREEN = 0,
  CASELOAD_BAND_AMBER = 1,
  CASELOAD_BAND_RED = 2,
  CASELOAD_BAND_EXCESSIVE = 3
} caseload_band;

/** Roll-up levels. */
typedef enum caseload_level {
  CASELOAD_LEVEL_TEAM = 0,
  CASELOAD_LEVEL_SERVICE_AREA = 1,
  CASELOAD_LEVEL_ORGANISATION = 2
} caseload_level;

/**
 * Builds a model from JSON arrays of workers and cases (field names as in
 * docs/c_api.md / the CSV headers) evaluated on `as_of` ("YYYY-MM-DD").
 * `scheme` may be NULL for the default scheme; the model copies it, so the
 * scheme handle may be freed afterwards. Validation stops at the first bad
 * record and the message names it and the field. Caller frees `*out` with
 * caseload_model_free.
 */
CASELOAD_C_API int caseload_model_create_json(caseload_model** out, const caseload_scheme* scheme,
                                              const char* workers_json, const char* cases_json, const char* as_of);

/** As caseload_model_create_json, from CSV text (RFC 4180, header row;
 *  columns documented in docs/c_api.md). */
CASELOAD_C_API int caseload_model_create_csv(caseload_model** out, const caseload_scheme* scheme,
                                             const char* workers_csv, const char* cases_csv, const char* as_of);

/** Frees a model. Accepts NULL. Invalidates every string borrowed from it. */
CASELOAD_C_API void caseload_model_free(caseload_model* model);

/** Number of workers in the model (indices 0 .. count-1, in input order). */
CASELOAD_C_API int caseload_model_worker_count(size_t* out, const caseload_model* model);

/**
 * One worker's figures on the model's as-of date. The strings are borrowed
 * from the model: valid until the model is freed or mutated.
 */
typedef struct caseload_worker_load {
  /** In: the size of the struct as the caller knows it, sizeof(caseload_worker_load)
   *  (CASELOAD_WORKER_LOAD_INIT sets it). The library fills only the fields
   *  that fit, so fields added at the end in a later release never overrun an
   *  older program's struct. Left unchanged by the library. */
  uint32_t struct_size;
  const char* worker_id;
  const char* team;
  const char* service_area;
  const char* role;
  int32_t case_holding;        /**< 0/1: 0 for e.g. team managers (excluded from averages) */
  int32_t is_asye;             /**< 0/1: newly qualified (protected caseload applies) */
  double fte;                  /**< contracted_hours / standard_hours */
  double available_hours;      /**< contracted hours less active reductions, hours per week */
  double cases;                /**< cases held (a co-worked case counts 1 for each worker) */
  double points;               /**< weighted load, points */
  double capacity;             /**< available capacity, points */
  double utilisation;          /**< points / capacity; +inf when capacity is 0 and points > 0 */
  double headroom;             /**< capacity * amber_to - points (negative = over) */
  int32_t band;                /**< a caseload_band */
  int32_t over_case_benchmark; /**< 0/1: cases per FTE above the service area's benchmark */
  int32_t asye_protected;      /**< 0/1: ASYE protected caseload holds (1 for non-ASYEs) */
} caseload_worker_load;

/** A caseload_worker_load ready to pass to caseload_worker_load_get/_find. */
#define CASELOAD_WORKER_LOAD_INIT \
  { (uint32_t)sizeof(caseload_worker_load), NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/** Figures of the worker at `index` (0-based, input order). Fails with
 *  CASELOAD_EINVALID when index >= count, or when out->struct_size is smaller
 *  than the first release's struct (unset: use CASELOAD_WORKER_LOAD_INIT).
 *  On failure the fields after struct_size are zeroed. */
CASELOAD_C_API int caseload_worker_load_get(caseload_worker_load* out, const caseload_model* model, size_t index);

/** Figures of the worker with id `worker_id`; CASELOAD_ENOTFOUND when none. */
CASELOAD_C_API int caseload_worker_load_find(caseload_worker_load* out, const caseload_model* model,
                                             const char* worker_id);

/** "green", "amber", "red", "excessive", or "unknown". Static. */
CASELOAD_C_API const char* caseload_band_name(int32_t band);

/** Line-by-line breakdown of one worker's figure (every case, factor, task,
 *  share, reduction and cap with the rule that gave it), as a JSON object.
 *  Caller frees `*out` with caseload_string_free. */
CASELOAD_C_API int caseload_model_breakdown_json(char** out, const caseload_model* model, const char* worker_id);

/** Roll-ups at `level` (a caseload_level) as a JSON array sorted by group
 *  name (one element for the organisation). Utilisation is
 *  sum(points) / sum(capacity). Caller frees `*out`. */
CASELOAD_C_API int caseload_model_rollup_json(char** out, const caseload_model* model, int32_t level);

/**
 * Before/after figures of every worker a change affects, as JSON
 * {"workers":[{"worker_id":..,"before":{..},"after":{..}}]}; the model is not
 * changed. `change_json` is one of
 *   {"kind":"add_case","case":{...a case object...}}
 *   {"kind":"remove_case","case_id":"C1"}
 *   {"kind":"move_case","case_id":"C1","to_worker":"W2"}
 * Caller frees `*out`.
 */
CASELOAD_C_API int caseload_model_preview_json(char** out, const caseload_model* model, const char* change_json);

/** Applies a change (format as for preview). Mutating; all-or-nothing: on
 *  failure the model is unchanged. Invalidates borrowed strings. */
CASELOAD_C_API int caseload_model_apply_json(caseload_model* model, const char* change_json);

/** Adds or replaces (by id) workers and cases in one batch. Either JSON
 *  array may be NULL for none. Mutating; all-or-nothing. */
CASELOAD_C_API int caseload_model_upsert_json(caseload_model* model, const char* workers_json, const char* cases_json);

/** Re-evaluates the model on another date ("YYYY-MM-DD"). Mutating;
 *  all-or-nothing. */
CASELOAD_C_API int caseload_model_set_as_of(caseload_model* model, const char* as_of);

/** The whole model as JSON {"scheme":{..},"workers":[..],"cases":[..],"as_of":".."}.
 *  Caller frees `*out`. */
CASELOAD_C_API int caseload_model_to_json(char** out, const caseload_model* model);

/* ======================================================================== */
/* History (snapshots) and exceedances                                      */
/* ======================================================================== */

/** Dated per-worker utilisation rows, as recorded weekly. Immutable. */
typedef struct caseload_snapshots caseload_snapshots;

/** Parses snapshots from `len` bytes of JSON (an array of objects with
 *  date, worker_id, utilisation and optional cases, points, capacity, team,
 *  service_area). Caller frees `*out` with caseload_snapshots_free. */
CASELOAD_C_API int caseload_snapshots_from_json(caseload_snapshots** out, const char* json, size_t len);

/** As caseload_snapshots_from_json, from CSV
 *  (date,worker_id,utilisation[,cases,points,capacity,team,service_area]). */
CASELOAD_C_API int caseload_snapshots_from_csv(caseload_snapshots** out, const char* csv, size_t len);

/** Number of snapshot rows. */
CASELOAD_C_API int caseload_snapshots_count(size_t* out, const caseload_snapshots* snapshots);

/** Frees snapshots. Accepts NULL. */
CASELOAD_C_API void caseload_snapshots_free(caseload_snapshots* snapshots);

#define CASELOAD_EXCEEDANCE_RULE_VERSION 1

/** Persistence rule: a worker is in an episode when their utilisation is
 *  above `threshold` in at least `min_consecutive` consecutive snapshots;
 *  snapshots more than `max_gap_days` apart break a run. */
typedef struct caseload_exceedance_rule {
  uint32_t version;        /**< CASELOAD_EXCEEDANCE_RULE_VERSION */
  double threshold;        /**< fraction (1.1 = 110%); NaN or < 0 = the service area's excessive_above */
  int32_t min_consecutive; /**< default 4 */
  int32_t max_gap_days;    /**< default 7 */
} caseload_exceedance_rule;

#define CASELOAD_EXCEEDANCE_RULE_INIT \
  { CASELOAD_EXCEEDANCE_RULE_VERSION, -1.0, 4, 7 }

/** Fills `opts` with the defaults; CASELOAD_EINVALID for an unsupported version. */
CASELOAD_C_API int caseload_exceedance_rule_init(caseload_exceedance_rule* opts, uint32_t version);

/**
 * Exceedance episodes and summaries (organisation, service areas, teams) as
 * JSON. `scheme` gives the thresholds (NULL = the model's scheme, or the
 * default scheme when `model` is NULL too); `model` supplies each worker's
 * team and service area for snapshots that lack them (NULL = none);
 * `rule` NULL = defaults. Caller frees `*out`.
 */
CASELOAD_C_API int caseload_exceedance_history_json(char** out, const caseload_scheme* scheme,
                                                    const caseload_model* model, const caseload_snapshots* snapshots,
                                                    const caseload_exceedance_rule* rule);

/* ======================================================================== */
/* Health check                                                             */
/* ======================================================================== */

/** A computed health check (the published figures). Immutable. */
typedef struct caseload_health_check caseload_health_check;

#define CASELOAD_HEALTH_CHECK_OPTIONS_VERSION 1

typedef struct caseload_health_check_options {
  uint32_t version;                /**< CASELOAD_HEALTH_CHECK_OPTIONS_VERSION */
  const char* organisation;        /**< name printed on the report; NULL = "Organisation" */
  int32_t history_days;            /**< exceedance window ending at as_of, default 365 */
  double overtime_tolerance_hours; /**< reported minus contracted hours counted as overtime beyond this, default 2 */
  caseload_exceedance_rule exceedance;
} caseload_health_check_options;

#define CASELOAD_HEALTH_CHECK_OPTIONS_INIT \
  { CASELOAD_HEALTH_CHECK_OPTIONS_VERSION, NULL, 365, 2.0, CASELOAD_EXCEEDANCE_RULE_INIT }

/** Fills `opts` with the defaults; CASELOAD_EINVALID for an unsupported version. */
CASELOAD_C_API int caseload_health_check_options_init(caseload_health_check_options* opts, uint32_t version);

/** Builds the health check of `model`, with exceedance history when
 *  `snapshots` is not NULL; `options` NULL = defaults. The result is
 *  independent of the model (which may be freed). Caller frees `*out` with
 *  caseload_health_check_free. */
CASELOAD_C_API int caseload_health_check_create(caseload_health_check** out, const caseload_model* model,
                                                const caseload_snapshots* snapshots,
                                                const caseload_health_check_options* options);

/** The health check as JSON (docs/health_check.md). Caller frees `*out`. */
CASELOAD_C_API int caseload_health_check_json(char** out, const caseload_health_check* hc);
/** Long-format CSV: level,group,metric,value. Caller frees `*out`. */
CASELOAD_C_API int caseload_health_check_csv(char** out, const caseload_health_check* hc);
/** A self-contained HTML page with inline SVG charts. Caller frees `*out`. */
CASELOAD_C_API int caseload_health_check_html(char** out, const caseload_health_check* hc);

/** Frees a health check. Accepts NULL. */
CASELOAD_C_API void caseload_health_check_free(caseload_health_check* hc);

/* ======================================================================== */
/* JSON in, JSON out                                                        */
/* ======================================================================== */

/** Runs one whole request (docs/json_api.md), e.g.
 *  {"op":"worker_loads","scheme":null,"workers":[..],"cases":[..],"as_of":"2024-03-31"},
 *  from `len` bytes. Caller frees `*response_out` with caseload_string_free.
 *  Stateless: safe to call from many threads at once. */
CASELOAD_C_API int caseload_request_json(char** response_out, const char* request, size_t len);

/** caseload_request_json with the error in the answer: on failure
 *  `*response_out` receives {"ok":false,"error":{"code":"invalid_argument",
 *  "message":"request: level must be one of ..."}} and the negative code is
 *  returned, so a caller whose calls may move between OS threads (Go
 *  goroutines, Java virtual threads, a thread pool) never depends on the
 *  thread-local caseload_last_error. On success it is caseload_request_json.
 *  `*response_out` is NULL only when memory ran out (CASELOAD_ENOMEM) or
 *  `response_out` is NULL. Caller frees it with caseload_string_free. */
CASELOAD_C_API int caseload_call_json(char** response_out, const char* request, size_t len);

/** The one description of a capability's options, for a settings screen or a
 *  generated binding: `capability` is "allocation", "rebalance", "league",
 *  "projection", "forecast" or "gap"; `*out` receives a JSON array of
 *  {"name","type","default","doc"} plus, where they apply, "min", "max",
 *  "min_exclusive", "max_exclusive", "integer", "choices", "max_items",
 *  "increasing", "required" and "options" (the fields of a nested group or
 *  list). The names are the JSON API's and the C structs' field names.
 *  CASELOAD_EINVALID for an unknown capability. Caller frees `*out` with
 *  caseload_string_free. Thread-safe. */
CASELOAD_C_API int caseload_option_records_json(char** out, const char* capability);

/* ======================================================================== */
/* Capacity and caseload projection (docs/projection.md)                    */
/* ======================================================================== */

/**
 * Projects demand, open caseload and staffing 1-12 months ahead by joint
 * Monte Carlo paths: utilisation fan-chart quantiles, P(breach) per month and
 * P(any breach by month k), expected new cases next month per team and per
 * worker, required FTE at risk level alpha, and what-if scenarios side by
 * side. `request_json` is an object
 *   {"referrals":[{"team":..,"period":"YYYY-MM","count":..}]|null,
 *    "closed_cases":[{"case_id":..,"case_type":..,"opened":..,"closed":..|null}]|null,
 *    "options":{..}|null, "format":"json"|"html"}
 * (every member optional; NULL = all defaults). `*out` receives the result
 * object as JSON, or with "format":"html" the HTML section for the health
 * check page. Results do not depend on the number of threads. Errors name
 * the record and field (`referrals[3] (team "North"): count must be a
 * non-negative integer, got -1`). Caller frees `*out` with caseload_string_free.
 */
CASELOAD_C_API int caseload_model_project_capacity_json(char** out, const caseload_model* model,
                                                        const char* request_json);
/** caseload_model_project_capacity_json with a cancellation token (NULL = none); CASELOAD_ECANCELLED when it
 *  is requested (checked between blocks of 32 paths). */
CASELOAD_C_API int caseload_model_project_capacity_json_ex(char** out, const caseload_model* model,
                                                           const char* request_json, const caseload_cancel* cancel);

/** The same from one whole request: the members above plus "scheme", "workers",
 *  "cases" and "as_of" as for caseload_request_json ("op" optional), from
 *  `len` bytes. `*out` receives the result only (no envelope). */
CASELOAD_C_API int caseload_project_capacity_json(char** out, const char* request, size_t len);

/** League table of employers (docs/league_table.md): `len` bytes of a
 *  request {"figures":[..]|"figures_csv":"..."|"health_checks":[..],
 *  "options":{..},"format":"json"|"csv"|"html"}; `*out` receives the table
 *  (JSON, or the CSV/HTML text as a JSON string). Same as the JSON API op
 *  "league_table" without the envelope. Caller frees `*out` with
 *  caseload_string_free. Stateless: safe to call from many threads at once. */
CASELOAD_C_API int caseload_league_table_json(char** out, const char* request, size_t len);

/** Demand forecasts (docs/forecasting.md): `len` bytes of a request
 *  {"series":[{"id":"T1","y":[..]},..],"options":{"horizon":12,"season_length":12,
 *  "levels":[80,95],"model":"auto","seed":0,"n_paths":1000,"count_data":false,
 *  "calibrate":true,"n_threads":0}} (options optional); `*out` receives
 *  {"forecasts":[{"id","model","mean":[..],"intervals":[{"level","lo","hi"},..]},..]}.
 *  Same as the JSON API op "forecast" without the envelope. Results do not
 *  depend on n_threads. Caller frees `*out` with caseload_string_free. */
CASELOAD_C_API int caseload_forecast_json(char** out, const char* request, size_t len);
/** caseload_forecast_json with a cancellation token (NULL = none); CASELOAD_ECANCELLED when it is requested. */
CASELOAD_C_API int caseload_forecast_json_ex(char** out, const char* request, size_t len,
                                             const caseload_cancel* cancel);

/* ======================================================================== */
/* Generalized Assignment Problem (docs/gap.md)                             */
/* ======================================================================== */

#define CASELOAD_GAP_OPTIONS_VERSION 1

/** Options of caseload_gap_solve. */
typedef struct caseload_gap_options {
  uint32_t version;          /**< CASELOAD_GAP_OPTIONS_VERSION */
  uint64_t seed;             /**< seed of the search's pseudo-random choices, default 0 */
  int64_t work_limit;        /**< deterministic effort budget in work units, default 200,000,000 */
  double time_limit_seconds; /**< wall-clock limit; <= 0 = none (default); NaN or infinite: CASELOAD_EINVALID */
} caseload_gap_options;

#define CASELOAD_GAP_OPTIONS_INIT \
  { CASELOAD_GAP_OPTIONS_VERSION, 0, 200000000, -1.0 }

/** Fills `opts` with the defaults; CASELOAD_EINVALID for an unsupported version. */
CASELOAD_C_API int caseload_gap_options_init(caseload_gap_options* opts, uint32_t version);

/** Figures of a solved GAP instance. */
typedef struct caseload_gap_result {
  double objective; /**< total cost of the assignment; +inf when none was found */
  double bound;     /**< valid lower bound on the optimum; +inf when proven infeasible */
  int32_t feasible; /**< 0/1: the assignment respects every capacity */
  int32_t optimal;  /**< 0/1: proven optimal */
  double seconds;   /**< wall time, for reporting */
  int64_t work;     /**< work units spent */
} caseload_gap_result;

/**
 * Solves a GAP instance (minimise total cost, every item to one agent, no
 * agent over capacity). `cost` and `weight` are row-major agents x items
 * (cost[i * items + j]); `capacity` has `agents` entries. The caller owns
 * `assignment_out`, an array of `items` int32 that receives the agent of each
 * item (all -1 when no feasible assignment was found). `options` NULL =
 * defaults. Bad input (NaN, negative weight or capacity, |cost|, weight or
 * capacity above 1e15, non-positive sizes) fails with CASELOAD_EINVALID
 * naming the entry, e.g. `gap: weight[2][17] must be finite and >= 0, got nan`.
 * agents * items above 50,000,000 cells fails with CASELOAD_ELIMIT before
 * anything is read or allocated.
 */
CASELOAD_C_API int caseload_gap_solve(caseload_gap_result* out, int32_t* assignment_out, int32_t agents, int32_t items,
                                      const double* cost, const double* weight, const double* capacity,
                                      const caseload_gap_options* options);
/** caseload_gap_solve with a cancellation token (NULL = none); CASELOAD_ECANCELLED when it is requested
 *  (`*out` zeroed, `assignment_out` untouched). */
CASELOAD_C_API int caseload_gap_solve_ex(caseload_gap_result* out, int32_t* assignment_out, int32_t agents,
                                         int32_t items, const double* cost, const double* weight,
                                         const double* capacity, const caseload_gap_options* options,
                                         const caseload_cancel* cancel);

/* ======================================================================== */
/* Allocation of incoming cases (docs/allocation.md)                        */
/* ======================================================================== */

#define CASELOAD_ALLOCATION_OPTIONS_VERSION 1

/** Options of caseload_allocate / caseload_suggest. */
typedef struct caseload_allocation_options {
  uint32_t version;          /**< CASELOAD_ALLOCATION_OPTIONS_VERSION */
  double utilisation_cap;    /**< safe cap as a fraction; <= 0 = each service area's amber_to (default);
                                  NaN or infinite: CASELOAD_EINVALID */
  double fairness_tolerance; /**< utilisation a soft preference may cost, default 0.05 */
  double continuity_weight;  /**< default 1 */
  double skills_weight;      /**< default 0.5 */
  double preference_weight;  /**< default 1 */
  uint64_t seed;             /**< default 0; at most 2^53 (as in JSON), else CASELOAD_EINVALID */
  int64_t work_limit;        /**< deterministic effort budget, default 2,000,000 */
  double time_limit_seconds; /**< <= 0 = none (default); NaN or infinite: CASELOAD_EINVALID */
  int32_t explain;           /**< 0/1: per-worker verdicts and explanation text, default 1 */
} caseload_allocation_options;

#define CASELOAD_ALLOCATION_OPTIONS_INIT \
  { CASELOAD_ALLOCATION_OPTIONS_VERSION, -1.0, 0.05, 1.0, 0.5, 1.0, 0, 2000000, -1.0, 1 }

/** Fills `opts` with the defaults; CASELOAD_EINVALID for an unsupported version. Every field is checked
 *  when the options are used (the same ranges as the JSON API's, docs/allocation.md): a value out of range,
 *  NaN or infinite is CASELOAD_EINVALID with the field named in caseload_last_error(), never ignored. */
CASELOAD_C_API int caseload_allocation_options_init(caseload_allocation_options* opts, uint32_t version);

/**
 * Allocates a batch of incoming cases (`incoming_json`: a JSON array of case
 * objects with the allocation fields of docs/allocation.md: priority,
 * required_skills, excluded_workers, pinned_worker, ...) to the model's
 * workers. `format` is "json" (the plan), "csv" (one row per case) or
 * "html" (a self-contained page); NULL = "json". The model is not changed.
 * Caller frees `*out` with caseload_string_free.
 */
CASELOAD_C_API int caseload_allocate(char** out, const caseload_model* model, const char* incoming_json,
                                     const caseload_allocation_options* options, const char* format);
/** caseload_allocate with a cancellation token (NULL = none); CASELOAD_ECANCELLED when it is requested. */
CASELOAD_C_API int caseload_allocate_ex(char** out, const caseload_model* model, const char* incoming_json,
                                        const caseload_allocation_options* options, const char* format,
                                        const caseload_cancel* cancel);

/** The top `k` workers for one incoming case (a JSON object), as a JSON
 *  array with explanations. Caller frees `*out`. */
CASELOAD_C_API int caseload_suggest(char** out, const caseload_model* model, const char* case_json, int32_t k,
                                    const caseload_allocation_options* options);

/** Moves existing cases off workers above their safe cap: at most
 *  `max_moves` moves, each relieving more than `move_cost` points of
 *  overload; `scope` "team" (NULL), "service_area" or "any". JSON plan; the
 *  model is not changed. Caller frees `*out`. */
CASELOAD_C_API int caseload_rebalance(char** out, const caseload_model* model, double move_cost, int32_t max_moves,
                                      const char* scope);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CASELOAD_CASELOAD_H */
