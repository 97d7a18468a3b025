/*
 * The C API tested from C99: known answers, round trips and every error
 * path a foreign-language caller will meet. Prints "N passed, M failed" and
 * exits non-zero on any failure.
 */
#include <caseload/caseload.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_passed = 0;
static int g_failed = 0;

static void check(int ok, const char* what, const char* file, int line) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    fprintf(stderr, "%s:%d: FAILED: %s (last error %d: \"%s\")\n", file, line, what, caseload_last_error_code(),
            caseload_last_error());
  }
}

#define CHECK(cond) check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
/* A call that must succeed. */
#define CHECK_OK(call) check((call) == CASELOAD_OK, #call, __FILE__, __LINE__)

static int near(double a, double b) {
  double d = a - b;
  return d < 1e-9 && d > -1e-9;
}

static int contains(const char* haystack, const char* needle) {
  return haystack != NULL && needle != NULL && strstr(haystack, needle) != NULL;
}

/* A copy of JSON text without the whitespace between tokens, so checks do
 * not depend on whether a document is pretty-printed. Caller frees. */
static char* compact(const char* json) {
  size_t n = json ? strlen(json) : 0, i, j = 0;
  int in_string = 0;
  char* out = (char*)malloc(n + 1);
  if (out == NULL) return NULL;
  for (i = 0; i < n; ++i) {
    char c = json[i];
    if (in_string) {
      out[j++] = c;
      if (c == '\\' && i + 1 < n) {
        out[j++] = json[++i];
      } else if (c == '"') {
        in_string = 0;
      }
    } else if (c == '"') {
      in_string = 1;
      out[j++] = c;
    } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
      out[j++] = c;
    }
  }
  out[j] = '\0';
  return out;
}

/* A failed call returns `code`, and the thread's last error has that code
 * and a message containing `part1` and `part2` (the record and the field). */
static void check_error(int rc, int code, const char* part1, const char* part2, const char* what, int line) {
  int ok = rc == code && caseload_last_error_code() == code && contains(caseload_last_error(), part1) &&
           (part2 == NULL || contains(caseload_last_error(), part2));
  check(ok, what, __FILE__, line);
  if (!ok)
    fprintf(stderr, "    expected %d (%s) naming '%s' / '%s', got %d\n", code, caseload_errstr(code), part1,
            part2 ? part2 : "", rc);
}
#define CHECK_ERR(call, code, p1, p2) check_error((call), (code), (p1), (p2), #call, __LINE__)

/*
 * A small scheme written here rather than taken from data/, so the known
 * answers below do not move when the shipped default is recalibrated.
 * Capacity = 100 points * available hours / 37, times the role's cap.
 */
static const char* const kScheme =
    "{\"name\":\"test scheme\",\"versions\":[{\"version\":\"t1\",\"effective_from\":\"2020-01-01\","
    "\"capacity\":{\"kind\":\"hours\",\"target_points\":100,\"standard_hours\":37},"
    "\"case_types\":[{\"name\":\"cin\",\"base_points\":10},"
    "{\"name\":\"cp\",\"base_points\":16,\"asye_cowork_only\":true},"
    "{\"name\":\"lac\",\"base_points\":12}],"
    "\"factors\":[{\"name\":\"court\",\"kind\":\"multiply\",\"value\":1.5},"
    "{\"name\":\"sibling\",\"kind\":\"add\",\"value\":2}],"
    "\"roles\":[{\"name\":\"sw\"},"
    "{\"name\":\"asye\",\"capacity_cap\":0.9,\"is_asye\":true,\"max_cases\":3},"
    "{\"name\":\"tm\",\"case_holding\":false}],"
    "\"service_areas\":[{\"name\":\"children\","
    "\"thresholds\":{\"green_below\":0.85,\"amber_to\":1.0,\"excessive_above\":1.1},"
    "\"safe_caseload_cases\":3}]}]}";

/*
 * Three workers:
 *   W1 sw,   team A, 37 h            -> fte 1,   capacity 100 * 37/37         = 100
 *   W2 sw,   team A, 18.5 h          -> fte 0.5, capacity 100 * 18.5/37       = 50
 *   W3 asye, team B, 37 h, 10% off   -> fte 1,   available 37 - 3.7 = 33.3 h,
 *                                       capacity 100 * 33.3/37 * 0.9 = 90 * 0.9 = 81
 */
static const char* const kWorkers =
    "[{\"id\":\"W1\",\"team\":\"A\",\"service_area\":\"children\",\"role\":\"sw\",\"contracted_hours\":37},"
    "{\"id\":\"W2\",\"team\":\"A\",\"service_area\":\"children\",\"role\":\"sw\",\"contracted_hours\":18.5},"
    "{\"id\":\"W3\",\"team\":\"B\",\"service_area\":\"children\",\"role\":\"asye\",\"contracted_hours\":37,"
    "\"reductions\":[{\"reason\":\"asye_development\",\"percent\":10}]}]";

/*
 * Five cases:
 *   C1 cin + court            -> 10 * 1.5       = 15, held by W2
 *   C2 cp + court             -> 16 * 1.5       = 24, held by W1
 *   C3 lac + sibling + court  -> (12 + 2) * 1.5 = 21, held by W2
 *   C4 cp                     -> 16, co-worked W2 0.5 / W3 0.5 = 8 each
 *   C5 cin, unallocated (team A)
 * So W1: 1 case, 24 points, 24/100 = 0.24 green, headroom 100 - 24 = 76;
 *    W2: 3 cases, 15 + 21 + 8 = 44 points, 44/50 = 0.88 amber, headroom 50 - 44 = 6,
 *        3 cases / 0.5 fte = 6 per fte > 3 safe -> over the case benchmark;
 *    W3: 1 case, 8 points, 8/81 green; cp co-worked, 1 <= 3 cases -> ASYE protected.
 */
static const char* const kCases =
    "[{\"id\":\"C1\",\"case_type\":\"cin\",\"factors\":[\"court\"],\"open_date\":\"2024-01-10\","
    "\"allocations\":[{\"worker_id\":\"W2\",\"share\":1}]},"
    "{\"id\":\"C2\",\"case_type\":\"cp\",\"factors\":[\"court\"],\"open_date\":\"2024-02-01\","
    "\"allocations\":[{\"worker_id\":\"W1\",\"share\":1}]},"
    "{\"id\":\"C3\",\"case_type\":\"lac\",\"factors\":[\"sibling\",\"court\"],\"open_date\":\"2023-11-20\","
    "\"allocations\":[{\"worker_id\":\"W2\",\"share\":1}]},"
    "{\"id\":\"C4\",\"case_type\":\"cp\",\"open_date\":\"2024-03-01\","
    "\"allocations\":[{\"worker_id\":\"W2\",\"share\":0.5},{\"worker_id\":\"W3\",\"share\":0.5}]},"
    "{\"id\":\"C5\",\"case_type\":\"cin\",\"open_date\":\"2024-03-20\",\"team\":\"A\"}]";

static const char* const kAsOf = "2024-03-31";

static caseload_scheme* make_scheme(void) {
  caseload_scheme* scheme = NULL;
  CHECK_OK(caseload_scheme_from_json(&scheme, kScheme, strlen(kScheme)));
  return scheme;
}

static caseload_model* make_model(const caseload_scheme* scheme) {
  caseload_model* model = NULL;
  CHECK_OK(caseload_model_create_json(&model, scheme, kWorkers, kCases, kAsOf));
  return model;
}

static void test_version_and_errors(void) {
  CHECK(caseload_libversion_number() == CASELOAD_VERSION_NUMBER);
  CHECK(strcmp(caseload_libversion(), CASELOAD_VERSION_STRING) == 0);
  CHECK(CASELOAD_VERSION_NUMBER ==
        CASELOAD_VERSION_MAJOR * 10000 + CASELOAD_VERSION_MINOR * 100 + CASELOAD_VERSION_PATCH);
  CHECK(strcmp(caseload_errstr(CASELOAD_OK), "no error") == 0);
  CHECK(strcmp(caseload_errstr(CASELOAD_ENOTFOUND), "not found") == 0);
  CHECK(strcmp(caseload_errstr(12345), "unknown error") == 0);
  CHECK(strcmp(caseload_band_name(CASELOAD_BAND_AMBER), "amber") == 0);
  CHECK(strcmp(caseload_band_name(CASELOAD_BAND_EXCESSIVE), "excessive") == 0);
  CHECK(strcmp(caseload_band_name(-1), "unknown") == 0);
  CHECK(strcmp(caseload_band_name(4), "unknown") == 0);
}

static void test_free_null(void) {
  /* Every free accepts NULL (nothing to check but that we are still here). */
  caseload_scheme_free(NULL);
  caseload_model_free(NULL);
  caseload_snapshots_free(NULL);
  caseload_health_check_free(NULL);
  caseload_string_free(NULL);
  CHECK(1);
}

static void test_scheme(void) {
  caseload_scheme* def = NULL;
  char* text = NULL;
  char* again = NULL;
  caseload_scheme* parsed = NULL;

  CHECK_OK(caseload_scheme_default(&def));
  CHECK(def != NULL);
  CHECK(caseload_last_error_code() == CASELOAD_OK && strcmp(caseload_last_error(), "") == 0);
  CHECK_OK(caseload_scheme_to_json(&text, def));
  CHECK(contains(text, "\"versions\""));

  /* to_json -> from_json -> to_json is a fixed point. */
  CHECK_OK(caseload_scheme_from_json(&parsed, text, strlen(text)));
  CHECK_OK(caseload_scheme_to_json(&again, parsed));
  CHECK(text != NULL && again != NULL && strcmp(text, again) == 0);
  caseload_string_free(text);
  caseload_string_free(again);
  caseload_scheme_free(parsed);
  caseload_scheme_free(def);

  /* Only `len` bytes are read: a truncated document is malformed. */
  parsed = (caseload_scheme*)&parsed; /* poison: a failed call must reset it */
  CHECK_ERR(caseload_scheme_from_json(&parsed, kScheme, 20), CASELOAD_EPARSE, "JSON", NULL);
  CHECK(parsed == NULL);
  CHECK_ERR(caseload_scheme_from_json(&parsed, NULL, 0), CASELOAD_EINVALID, "json", "NULL");
  CHECK_ERR(caseload_scheme_from_json(NULL, kScheme, strlen(kScheme)), CASELOAD_EINVALID, "out", NULL);
  text = (char*)&text;
  CHECK_ERR(caseload_scheme_to_json(&text, NULL), CASELOAD_EINVALID, "scheme", NULL);
  CHECK(text == NULL);

  /* A success after a failure clears the thread's last error. */
  def = NULL;
  CHECK_OK(caseload_scheme_default(&def));
  CHECK(caseload_last_error_code() == 0 && caseload_last_error()[0] == '\0');
  caseload_scheme_free(def);
}

static void check_known_loads(const caseload_model* model) {
  caseload_worker_load w = CASELOAD_WORKER_LOAD_INIT;
  size_t n = 0;

  CHECK_OK(caseload_model_worker_count(&n, model));
  CHECK(n == 3);

  /* The struct's size is the caller's: unset is an error, and a caller's
   * struct is never written past its struct_size. */
  {
    caseload_worker_load unset;
    struct {
      caseload_worker_load load;
      unsigned char guard[16];
    } padded;
    memset(&unset, 0, sizeof unset);
    CHECK_ERR(caseload_worker_load_get(&unset, model, 0), CASELOAD_EINVALID, "struct_size", NULL);
    memset(&padded, 0xAB, sizeof padded);
    padded.load.struct_size = (uint32_t)(sizeof padded); /* a "newer" caller's bigger struct */
    CHECK_OK(caseload_worker_load_get(&padded.load, model, 0));
    CHECK(strcmp(padded.load.worker_id, "W1") == 0 && padded.load.struct_size == (uint32_t)sizeof padded);
    CHECK(padded.guard[0] == 0xAB && padded.guard[15] == 0xAB); /* beyond what this release knows: untouched */
  }

  CHECK_OK(caseload_worker_load_get(&w, model, 0));
  CHECK(strcmp(w.worker_id, "W1") == 0 && strcmp(w.team, "A") == 0 && strcmp(w.role, "sw") == 0);
  CHECK(strcmp(w.service_area, "children") == 0);
  CHECK(w.case_holding == 1 && w.is_asye == 0);
  CHECK(near(w.fte, 1.0) && near(w.available_hours, 37.0));
  CHECK(near(w.cases, 1.0) && near(w.points, 24.0) && near(w.capacity, 100.0));
  CHECK(near(w.utilisation, 0.24) && near(w.headroom, 76.0));
  CHECK(w.band == CASELOAD_BAND_GREEN && w.over_case_benchmark == 0 && w.asye_protected == 1);

  CHECK_OK(caseload_worker_load_get(&w, model, 1));
  CHECK(strcmp(w.worker_id, "W2") == 0);
  CHECK(near(w.fte, 0.5) && near(w.available_hours, 18.5));
  CHECK(near(w.cases, 3.0) && near(w.points, 44.0) && near(w.capacity, 50.0));
  CHECK(near(w.utilisation, 0.88) && near(w.headroom, 6.0));
  CHECK(w.band == CASELOAD_BAND_AMBER && w.over_case_benchmark == 1);

  CHECK_OK(caseload_worker_load_find(&w, model, "W3"));
  CHECK(strcmp(w.worker_id, "W3") == 0 && strcmp(w.team, "B") == 0);
  CHECK(w.is_asye == 1 && near(w.available_hours, 33.3));
  CHECK(near(w.cases, 1.0) && near(w.points, 8.0) && near(w.capacity, 81.0));
  CHECK(near(w.utilisation, 8.0 / 81.0) && w.band == CASELOAD_BAND_GREEN);
  CHECK(w.asye_protected == 1 && w.over_case_benchmark == 0);
}

static void test_model_known_answers(void) {
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = make_model(scheme);
  caseload_worker_load w = CASELOAD_WORKER_LOAD_INIT;
  char* json = NULL;

  /* The model holds its own copy of the scheme. */
  caseload_scheme_free(scheme);
  if (model == NULL) return;
  check_known_loads(model);

  /* Out-of-range index and unknown id. */
  w.worker_id = "poison";
  CHECK_ERR(caseload_worker_load_get(&w, model, 3), CASELOAD_EINVALID, "index 3", NULL);
  CHECK(w.worker_id == NULL && w.points == 0.0);
  CHECK_ERR(caseload_worker_load_find(&w, model, "W9"), CASELOAD_ENOTFOUND, "W9", NULL);
  CHECK_ERR(caseload_worker_load_find(&w, model, NULL), CASELOAD_EINVALID, "worker_id", NULL);

  /* Breakdown: every case behind W2's 44 points, with its rule. */
  CHECK_OK(caseload_model_breakdown_json(&json, model, "W2"));
  CHECK(contains(json, "\"worker_id\":\"W2\""));
  CHECK(contains(json, "\"case_id\":\"C1\"") && contains(json, "\"case_id\":\"C3\"") &&
        contains(json, "\"case_id\":\"C4\""));
  CHECK(!contains(json, "\"case_id\":\"C2\""));
  CHECK(contains(json, "\"kind\":\"factor_multiply\"") && contains(json, "\"kind\":\"share\""));
  CHECK(contains(json, "\"scheme_version\":\"t1\""));
  caseload_string_free(json);
  json = (char*)&json;
  CHECK_ERR(caseload_model_breakdown_json(&json, model, "nobody"), CASELOAD_ENOTFOUND, "nobody", NULL);
  CHECK(json == NULL);

  /* Roll-ups: team A = W1 + W2 = 68 points of 150; team B = W3. Organisation
   * = 76 points of 100 + 50 + 81 = 231, with C5 unallocated. */
  CHECK_OK(caseload_model_rollup_json(&json, model, CASELOAD_LEVEL_TEAM));
  CHECK(json != NULL && json[0] == '[');
  CHECK(contains(json, "\"group\":\"A\"") && contains(json, "\"group\":\"B\""));
  CHECK(contains(json, "\"points\":68,\"capacity\":150"));
  CHECK(contains(json, "\"group\":\"A\"") && strstr(json, "\"group\":\"A\"") < strstr(json, "\"group\":\"B\""));
  caseload_string_free(json);
  CHECK_OK(caseload_model_rollup_json(&json, model, CASELOAD_LEVEL_ORGANISATION));
  CHECK(contains(json, "\"workers\":3") && contains(json, "\"points\":76,\"capacity\":231"));
  CHECK(contains(json, "\"unallocated_cases\":1"));
  CHECK(contains(json, "\"asye_workers\":1,\"asye_protected\":1"));
  CHECK(contains(json, "\"non_case_holding_points\":0,\"non_case_holding_capacity\":0"));
  caseload_string_free(json);
  CHECK_ERR(caseload_model_rollup_json(&json, model, 7), CASELOAD_EINVALID, "level", NULL);

  /* Whole-model export. */
  CHECK_OK(caseload_model_to_json(&json, model));
  CHECK(contains(json, "\"scheme\":{") && contains(json, "\"workers\":[") && contains(json, "\"cases\":["));
  CHECK(contains(json, "\"as_of\":\"2024-03-31\"") && contains(json, "\"C5\""));
  caseload_string_free(json);

  caseload_model_free(model);
}

static void test_csv_matches_json(void) {
  /* The same authority as kWorkers/kCases, as CSV. */
  static const char* const workers_csv =
      "id,team,service_area,role,contracted_hours,reductions\n"
      "W1,A,children,sw,37,\n"
      "W2,A,children,sw,18.5,\n"
      "W3,B,children,asye,37,asye_development:10%::\n";
  static const char* const cases_csv =
      "id,case_type,factors,open_date,team,allocations\n"
      "C1,cin,court,2024-01-10,,W2\n"
      "C2,cp,court,2024-02-01,,W1\n"
      "C3,lac,sibling;court,2023-11-20,,W2\n"
      "C4,cp,,2024-03-01,,W2:0.5;W3:0.5\n"
      "C5,cin,,2024-03-20,A,\n";
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = NULL;
  CHECK_OK(caseload_model_create_csv(&model, scheme, workers_csv, cases_csv, kAsOf));
  if (model != NULL) check_known_loads(model);
  caseload_model_free(model);
  model = (caseload_model*)&model;
  CHECK_ERR(caseload_model_create_csv(&model, scheme, "id,bogus\nW1,x\n", cases_csv, kAsOf), CASELOAD_EPARSE, "bogus",
            NULL);
  CHECK(model == NULL);
  caseload_scheme_free(scheme);
}

static void test_preview_apply(void) {
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = make_model(scheme);
  caseload_worker_load w = CASELOAD_WORKER_LOAD_INIT;
  char* json = NULL;
  static const char* const move = "{\"kind\":\"move_case\",\"case_id\":\"C2\",\"to_worker\":\"W3\"}";
  caseload_scheme_free(scheme);
  if (model == NULL) return;

  /* Preview moving C2 (24 points) from W1 to W3: W1 24 -> 0, W3 8 -> 32. */
  CHECK_OK(caseload_model_preview_json(&json, model, move));
  CHECK(contains(json, "\"worker_id\":\"W1\"") && contains(json, "\"worker_id\":\"W3\""));
  CHECK(contains(json, "\"points_change\":-24") && contains(json, "\"points_change\":24"));
  caseload_string_free(json);
  check_known_loads(model); /* preview changed nothing */

  /* Failed changes leave the model unchanged. */
  CHECK_ERR(caseload_model_apply_json(model, "{\"kind\":\"move_case\",\"case_id\":\"C2\",\"to_worker\":\"W9\"}"),
            CASELOAD_ENOTFOUND, "W9", NULL);
  check_known_loads(model);
  CHECK_ERR(caseload_model_apply_json(model, "{\"kind\":\"remove_case\",\"case_id\":\"C99\"}"), CASELOAD_ENOTFOUND,
            "C99", NULL);
  CHECK_ERR(caseload_model_apply_json(model, "{\"kind\":\"teleport\",\"case_id\":\"C1\"}"), CASELOAD_EINVALID, "kind",
            "teleport");
  CHECK_ERR(caseload_model_apply_json(model, "{\"kind\":\"remove_case\""), CASELOAD_EPARSE, "JSON", NULL);
  CHECK_ERR(caseload_model_apply_json(model,
                                      "{\"kind\":\"add_case\",\"case\":{\"id\":\"C6\",\"case_type\":\"xyz\","
                                      "\"open_date\":\"2024-03-30\",\"allocations\":[{\"worker_id\":\"W1\"}]}}"),
            CASELOAD_ENOTFOUND, "C6", "case_type");
  CHECK_ERR(caseload_model_apply_json(model, NULL), CASELOAD_EINVALID, "change_json", NULL);
  CHECK_ERR(caseload_model_apply_json(NULL, move), CASELOAD_EINVALID, "model", NULL);
  json = (char*)&json;
  CHECK_ERR(caseload_model_preview_json(&json, model, "[]"), CASELOAD_EPARSE, "change", NULL);
  CHECK(json == NULL);
  check_known_loads(model);

  /* Apply the move: W3 now holds a cp case alone, which an ASYE may only co-work. */
  CHECK_OK(caseload_model_apply_json(model, move));
  CHECK_OK(caseload_worker_load_find(&w, model, "W1"));
  CHECK(near(w.points, 0.0) && near(w.cases, 0.0));
  CHECK_OK(caseload_worker_load_find(&w, model, "W3"));
  CHECK(near(w.points, 32.0) && near(w.cases, 2.0) && w.asye_protected == 0);

  /* Add a case: C6 cin (10 points) to W1. */
  CHECK_OK(caseload_model_apply_json(model,
                                     "{\"kind\":\"add_case\",\"case\":{\"id\":\"C6\",\"case_type\":\"cin\","
                                     "\"open_date\":\"2024-03-30\",\"allocations\":[{\"worker_id\":\"W1\"}]}}"));
  CHECK_OK(caseload_worker_load_find(&w, model, "W1"));
  CHECK(near(w.points, 10.0) && near(w.cases, 1.0));

  /* Upsert: a new worker W4 (tm, not case-holding); then a bad batch changes nothing. */
  {
    size_t n = 0;
    CHECK_OK(caseload_model_upsert_json(
        model, "[{\"id\":\"W4\",\"team\":\"B\",\"service_area\":\"children\",\"role\":\"tm\",\"contracted_hours\":37}]",
        NULL));
    CHECK_OK(caseload_model_worker_count(&n, model));
    CHECK(n == 4);
    CHECK_ERR(caseload_model_upsert_json(model,
                                         "[{\"id\":\"W5\",\"team\":\"B\",\"service_area\":\"children\",\"role\":"
                                         "\"wizard\",\"contracted_hours\":37}]",
                                         NULL),
              CASELOAD_ENOTFOUND, "W5", "role");
    CHECK_OK(caseload_model_worker_count(&n, model));
    CHECK(n == 4);
    CHECK_OK(caseload_worker_load_find(&w, model, "W4"));
    CHECK(w.case_holding == 0);
    /* Team B's utilisation is over its case holder W3 only: 32 points of
     * 100 * 33.3 / 37 * 0.9 = 81 capacity (80.99999999999999 in binary) =
     * 0.395; the manager's 100 points of capacity (37 h) are reported apart. */
    CHECK_OK(caseload_model_rollup_json(&json, model, CASELOAD_LEVEL_TEAM));
    CHECK(contains(json, "\"group\":\"B\",\"workers\":2,\"case_holding_workers\":1,"));
    CHECK(contains(json, "\"points\":32,\"capacity\":80.99999999999999,\"utilisation\":0.395"));
    CHECK(contains(json, "\"non_case_holding_points\":0,\"non_case_holding_capacity\":100}"));
    caseload_string_free(json);
  }

  /* set_as_of: a bad date and a date before the scheme change nothing. */
  CHECK_ERR(caseload_model_set_as_of(model, "31/03/2024"), CASELOAD_EPARSE, "as_of", NULL);
  CHECK_ERR(caseload_model_set_as_of(model, "2019-06-01"), CASELOAD_ENOTFOUND, "2019-06-01", NULL);
  CHECK_ERR(caseload_model_set_as_of(model, NULL), CASELOAD_EINVALID, "as_of", NULL);
  CHECK_OK(caseload_model_set_as_of(model, "2024-04-07"));
  CHECK_OK(caseload_model_to_json(&json, model));
  CHECK(contains(json, "\"as_of\":\"2024-04-07\"") && contains(json, "\"C6\""));
  caseload_string_free(json);

  caseload_model_free(model);
}

static void test_bad_inputs(void) {
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = (caseload_model*)&model;

  /* NULL arguments name the parameter. */
  CHECK_ERR(caseload_model_create_json(&model, scheme, NULL, kCases, kAsOf), CASELOAD_EINVALID, "workers_json", NULL);
  CHECK(model == NULL);
  CHECK_ERR(caseload_model_create_json(&model, scheme, kWorkers, NULL, kAsOf), CASELOAD_EINVALID, "cases_json", NULL);
  CHECK_ERR(caseload_model_create_json(&model, scheme, kWorkers, kCases, NULL), CASELOAD_EINVALID, "as_of", NULL);
  CHECK_ERR(caseload_model_create_json(NULL, scheme, kWorkers, kCases, kAsOf), CASELOAD_EINVALID, "out", NULL);
  CHECK_ERR(caseload_model_worker_count(NULL, NULL), CASELOAD_EINVALID, "out", NULL);

  /* Malformed JSON. */
  CHECK_ERR(caseload_model_create_json(&model, scheme, "[{\"id\":\"W1\",", kCases, kAsOf), CASELOAD_EPARSE, "JSON",
            NULL);
  CHECK(model == NULL);

  /* Unknown case type. */
  CHECK_ERR(
      caseload_model_create_json(&model, scheme, kWorkers,
                                 "[{\"id\":\"C1\",\"case_type\":\"nonsense\",\"open_date\":\"2024-01-10\"}]", kAsOf),
      CASELOAD_ENOTFOUND, "case \"C1\"", "case_type");

  /* Duplicate worker id. */
  CHECK_ERR(caseload_model_create_json(&model, scheme,
                                       "[{\"id\":\"W1\",\"team\":\"A\",\"service_area\":\"children\",\"role\":\"sw\","
                                       "\"contracted_hours\":37},"
                                       "{\"id\":\"W1\",\"team\":\"B\",\"service_area\":\"children\",\"role\":\"sw\","
                                       "\"contracted_hours\":30}]",
                                       "[]", kAsOf),
            CASELOAD_EDUPLICATE, "worker \"W1\"", NULL);

  /* Reduction over 100%. */
  CHECK_ERR(caseload_model_create_json(&model, scheme,
                                       "[{\"id\":\"W7\",\"team\":\"A\",\"service_area\":\"children\",\"role\":\"sw\","
                                       "\"contracted_hours\":37,"
                                       "\"reductions\":[{\"reason\":\"secondment\",\"percent\":120}]}]",
                                       "[]", kAsOf),
            CASELOAD_EINVALID, "worker \"W7\"", "percent");

  /* Unknown worker in an allocation. */
  CHECK_ERR(caseload_model_create_json(&model, scheme, kWorkers,
                                       "[{\"id\":\"C8\",\"case_type\":\"cin\",\"open_date\":\"2024-01-10\","
                                       "\"allocations\":[{\"worker_id\":\"W9\",\"share\":1}]}]",
                                       kAsOf),
            CASELOAD_ENOTFOUND, "case \"C8\"", "W9");

  /* Bad as_of. */
  CHECK_ERR(caseload_model_create_json(&model, scheme, kWorkers, kCases, "2024-02-30"), CASELOAD_EPARSE, "as_of", NULL);
  CHECK(model == NULL);
  caseload_scheme_free(scheme);
}

static void test_limits(void) {
  caseload_limits saved, tight, init = CASELOAD_LIMITS_INIT;
  caseload_model* model = NULL;

  CHECK_OK(caseload_limits_init(&tight, CASELOAD_LIMITS_VERSION));
  CHECK(tight.max_depth == init.max_depth && tight.max_document_bytes == init.max_document_bytes &&
        tight.max_records == init.max_records && tight.max_string_bytes == init.max_string_bytes);
  CHECK_ERR(caseload_limits_init(&tight, 99), CASELOAD_EINVALID, "version", NULL);
  CHECK_OK(caseload_get_default_limits(&saved));
  CHECK(saved.version == CASELOAD_LIMITS_VERSION);

  /* kWorkers nests 4 deep (array, object, array, object). */
  caseload_limits_init(&tight, CASELOAD_LIMITS_VERSION);
  tight.max_depth = 2;
  CHECK_OK(caseload_set_default_limits(&tight));
  CHECK_ERR(caseload_model_create_json(&model, NULL, kWorkers, "[]", kAsOf), CASELOAD_ELIMIT, "", NULL);
  CHECK(model == NULL);
  tight.max_depth = 0;
  CHECK_ERR(caseload_set_default_limits(&tight), CASELOAD_EINVALID, "max_depth", NULL);
  CHECK_ERR(caseload_set_default_limits(NULL), CASELOAD_EINVALID, "limits", NULL);
  CHECK_OK(caseload_set_default_limits(&saved));
}

static void test_history_and_health_check(void) {
  /* W2 is at 120% in five consecutive weekly snapshots (threshold: the
   * service area's excessive_above 1.1; rule: >= 4 consecutive, gaps <= 7
   * days), so one ongoing episode 2024-03-03..2024-03-31 = 29 days. W1 never. */
  static const char* const snaps =
      "date,worker_id,utilisation\n"
      "2024-03-03,W1,0.5\n2024-03-03,W2,1.2\n"
      "2024-03-10,W1,0.5\n2024-03-10,W2,1.2\n"
      "2024-03-17,W1,0.5\n2024-03-17,W2,1.2\n"
      "2024-03-24,W1,0.5\n2024-03-24,W2,1.2\n"
      "2024-03-31,W1,0.5\n2024-03-31,W2,1.2\n";
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = make_model(scheme);
  caseload_snapshots* history = NULL;
  caseload_health_check* hc = NULL;
  caseload_health_check_options options = CASELOAD_HEALTH_CHECK_OPTIONS_INIT;
  caseload_exceedance_rule rule;
  char* text = NULL;
  size_t n = 0;

  CHECK_OK(caseload_snapshots_from_csv(&history, snaps, strlen(snaps)));
  CHECK_OK(caseload_snapshots_count(&n, history));
  CHECK(n == 10);

  CHECK_OK(caseload_exceedance_history_json(&text, NULL, model, history, NULL));
  CHECK(contains(text, "\"worker_id\":\"W2\"") && !contains(text, "\"worker_id\":\"W1\""));
  CHECK(contains(text, "\"start\":\"2024-03-03\",\"end\":\"2024-03-31\",\"snapshots\":5,\"length_days\":29"));
  CHECK(contains(text, "\"ongoing\":true"));
  caseload_string_free(text);

  /* A rule that asks for 6 consecutive snapshots finds no episode. */
  CHECK_OK(caseload_exceedance_rule_init(&rule, CASELOAD_EXCEEDANCE_RULE_VERSION));
  CHECK(rule.min_consecutive == 4 && rule.max_gap_days == 7 && rule.threshold < 0);
  rule.min_consecutive = 6;
  CHECK_OK(caseload_exceedance_history_json(&text, scheme, model, history, &rule));
  CHECK(contains(text, "\"episodes\":[]"));
  caseload_string_free(text);
  rule.version = 42;
  text = (char*)&text;
  CHECK_ERR(caseload_exceedance_history_json(&text, scheme, model, history, &rule), CASELOAD_EINVALID, "version", NULL);
  CHECK(text == NULL);
  CHECK_ERR(caseload_exceedance_history_json(&text, scheme, model, NULL, NULL), CASELOAD_EINVALID, "snapshots", NULL);

  /* Snapshot parse errors. */
  {
    caseload_snapshots* bad = (caseload_snapshots*)&bad;
    static const char* const nan_json = "[{\"date\":\"2024-03-03\",\"worker_id\":\"W1\",\"utilisation\":\"high\"}]";
    CHECK_ERR(caseload_snapshots_from_json(&bad, nan_json, strlen(nan_json)), CASELOAD_EPARSE, "utilisation", NULL);
    CHECK(bad == NULL);
  }

  /* Health check with history. */
  options.organisation = "Test Council";
  CHECK_OK(caseload_health_check_create(&hc, model, history, &options));
  CHECK_OK(caseload_health_check_html(&text, hc));
  CHECK(contains(text, "<svg") && contains(text, "Test Council"));
  caseload_string_free(text);
  CHECK_OK(caseload_health_check_json(&text, hc));
  {
    char* flat = compact(text);
    CHECK(contains(flat, "\"organisation\":\"Test Council\"") && contains(flat, "\"exceedance_history\":{"));
    CHECK(contains(flat, "\"worker_id\":\"W2\",\"team\":\"A\""));
    free(flat);
  }
  caseload_string_free(text);
  CHECK_OK(caseload_health_check_csv(&text, hc));
  CHECK(contains(text, "level,group,metric,value"));
  caseload_string_free(text);
  caseload_health_check_free(hc);

  /* Defaults, no history; the health check outlives the model. */
  hc = NULL;
  CHECK_OK(caseload_health_check_create(&hc, model, NULL, NULL));
  caseload_model_free(model);
  model = NULL;
  CHECK_OK(caseload_health_check_json(&text, hc));
  {
    char* flat = compact(text);
    CHECK(contains(flat, "\"organisation\":\"Organisation\"") && contains(flat, "\"exceedance_history\":null"));
    free(flat);
  }
  caseload_string_free(text);
  caseload_health_check_free(hc);

  hc = (caseload_health_check*)&hc;
  CHECK_ERR(caseload_health_check_create(&hc, NULL, NULL, NULL), CASELOAD_EINVALID, "model", NULL);
  CHECK(hc == NULL);
  model = make_model(scheme);
  options.version = 0;
  CHECK_ERR(caseload_health_check_create(&hc, model, NULL, &options), CASELOAD_EINVALID, "version", NULL);
  CHECK(hc == NULL);
  CHECK_OK(caseload_health_check_options_init(&options, CASELOAD_HEALTH_CHECK_OPTIONS_VERSION));
  CHECK(options.organisation == NULL && options.history_days == 365 && options.exceedance.min_consecutive == 4);
  caseload_model_free(model);

  caseload_snapshots_free(history);
  caseload_scheme_free(scheme);
}

static void test_request_json(void) {
  static const char* const version_request = "{\"op\":\"version\"}";
  char* response = NULL;
  char request[8192];
  int len;

  CHECK_OK(caseload_request_json(&response, version_request, strlen(version_request)));
  CHECK(contains(response, CASELOAD_VERSION_STRING));
  caseload_string_free(response);

  /* worker_loads on the test authority gives W2's 44 points. */
  len = snprintf(request, sizeof request,
                 "{\"op\":\"worker_loads\",\"scheme\":%s,\"workers\":%s,\"cases\":%s,\"as_of\":\"%s\"}", kScheme,
                 kWorkers, kCases, kAsOf);
  CHECK(len > 0 && (size_t)len < sizeof request);
  CHECK_OK(caseload_request_json(&response, request, (size_t)len));
  {
    char* flat = compact(response);
    CHECK(contains(flat, "\"worker_id\":\"W2\"") && contains(flat, "\"points\":44"));
    free(flat);
  }
  caseload_string_free(response);

  response = (char*)&response;
  CHECK(caseload_request_json(&response, "{\"op\":", 6) < 0);
  CHECK(response == NULL && caseload_last_error()[0] != '\0');
  CHECK_ERR(caseload_request_json(&response, NULL, 0), CASELOAD_EINVALID, "request", NULL);
}

/* ---- GAP, allocation, forecasting, projection, league table ------------- */

/* Number of non-overlapping occurrences of `needle` in `haystack`. */
static int count_of(const char* haystack, const char* needle) {
  int n = 0;
  size_t len = strlen(needle);
  const char* p = haystack;
  if (haystack == NULL || len == 0) return 0;
  while ((p = strstr(p, needle)) != NULL) {
    ++n;
    p += len;
  }
  return n;
}

static void test_gap_solve(void) {
  /*
   * 2 agents x 3 items (row-major, agent i's row is cost[i * 3 + j]):
   *            item 0  item 1  item 2        capacity
   *   cost  a0    2       3       4
   *         a1    5       7       1
   *   weight a0   3       2       2             4
   *          a1   2       2       3             5
   * The cheapest agent per item, (a0, a0, a1) at cost 2 + 3 + 1 = 6, puts
   * weight 3 + 2 = 5 on a0 > 4. Every assignment (agent of items 0, 1, 2):
   *   (0,0,0) a0 7 > 4   (0,0,1) a0 5 > 4   (0,1,0) a0 5 > 4
   *   (0,1,1) a0 3, a1 5: cost 2 + 7 + 1 = 10
   *   (1,0,0) a0 4, a1 2: cost 5 + 3 + 4 = 12
   *   (1,0,1) a0 2, a1 5: cost 5 + 3 + 1 = 9   <- the unique optimum
   *   (1,1,0) a0 2, a1 4: cost 5 + 7 + 4 = 16   (1,1,1) a1 7 > 5
   */
  static const double cost[6] = {2, 3, 4, 5, 7, 1};
  static const double weight[6] = {3, 2, 2, 2, 2, 3};
  static const double capacity[2] = {4, 5};
  double bad_weight[6];
  int32_t assignment[3] = {7, 7, 7};
  caseload_gap_result r;
  caseload_gap_options o = CASELOAD_GAP_OPTIONS_INIT;
  caseload_gap_options init;

  CHECK_OK(caseload_gap_options_init(&init, CASELOAD_GAP_OPTIONS_VERSION));
  CHECK(init.seed == o.seed && init.work_limit == o.work_limit && init.time_limit_seconds <= 0);
  CHECK_ERR(caseload_gap_options_init(&init, 99), CASELOAD_EINVALID, "version", NULL);

  CHECK_OK(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, capacity, &o));
  CHECK(assignment[0] == 1 && assignment[1] == 0 && assignment[2] == 1);
  CHECK(near(r.objective, 9.0) && r.bound <= 9.0 + 1e-9);
  CHECK(r.feasible == 1 && r.optimal == 1 && r.work >= 0);

  /* A NaN or infinite time limit is an error naming the field, never "no limit" by accident. */
  init.time_limit_seconds = NAN;
  CHECK_ERR(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, capacity, &init), CASELOAD_EINVALID,
            "time_limit_seconds", "nan");
  init.time_limit_seconds = HUGE_VAL;
  CHECK_ERR(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, capacity, &init), CASELOAD_EINVALID,
            "time_limit_seconds", "inf");

  /* Options NULL = defaults: the same answer. */
  assignment[0] = assignment[1] = assignment[2] = 7;
  CHECK_OK(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, capacity, NULL));
  CHECK(assignment[0] == 1 && assignment[1] == 0 && assignment[2] == 1 && near(r.objective, 9.0));

  /* Capacities 2 and 2: every item weighs >= 2, so 3 items need 3 slots of 2. */
  {
    static const double tiny[2] = {2, 2};
    CHECK_OK(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, tiny, NULL));
    CHECK(r.feasible == 0 && r.optimal == 0 && r.objective > 1e300);
    CHECK(assignment[0] == -1 && assignment[1] == -1 && assignment[2] == -1);
  }

  /* Bad input names the entry (agent 0, item 1) and leaves *out zeroed. */
  memcpy(bad_weight, weight, sizeof bad_weight);
  bad_weight[1] = -2.0;
  r.objective = 123.0;
  CHECK_ERR(caseload_gap_solve(&r, assignment, 2, 3, cost, bad_weight, capacity, NULL), CASELOAD_EINVALID,
            "weight[0][1]", "-2");
  CHECK(r.objective == 0.0 && r.feasible == 0);
  {
    double bad_capacity[2] = {4, -1};
    CHECK_ERR(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, bad_capacity, NULL), CASELOAD_EINVALID,
              "capacity[1]", NULL);
  }
  CHECK_ERR(caseload_gap_solve(&r, assignment, 0, 3, cost, weight, capacity, NULL), CASELOAD_EINVALID, "agents", NULL);
  CHECK_ERR(caseload_gap_solve(&r, NULL, 2, 3, cost, weight, capacity, NULL), CASELOAD_EINVALID, "assignment_out",
            NULL);
  CHECK_ERR(caseload_gap_solve(&r, assignment, 2, 3, NULL, weight, capacity, NULL), CASELOAD_EINVALID, "cost", NULL);
  o.version = 0;
  CHECK_ERR(caseload_gap_solve(&r, assignment, 2, 3, cost, weight, capacity, &o), CASELOAD_EINVALID, "version", NULL);

  /* Regression (defect 11): INT32_MAX x INT32_MAX was CASELOAD_EINTERNAL
   * (the copy of the arrays failed to allocate); it is a limit error naming
   * the size, raised before the arrays are read (these are far too short). */
  CHECK_ERR(caseload_gap_solve(&r, assignment, INT32_MAX, INT32_MAX, cost, weight, capacity, NULL), CASELOAD_ELIMIT,
            "agents * items", "2147483647");
  CHECK_ERR(caseload_gap_solve(&r, assignment, 50001, 1000, cost, weight, capacity, NULL), CASELOAD_ELIMIT, "50001000",
            "50000000");

  /* Regression (defect 11): costs of 9e307 summed to infinity and a
   * feasible 2x2 instance came back feasible = 0 with status OK. Such costs
   * are now refused naming the entry and the bound; at the bound the
   * instance is solved. */
  {
    double big_cost[4] = {9e307, 9e307, 9e307, 9e307};
    static const double unit[4] = {1, 1, 1, 1};
    static const double cap2[2] = {1, 1};
    int32_t a2[2] = {7, 7};
    CHECK_ERR(caseload_gap_solve(&r, a2, 2, 2, big_cost, unit, cap2, NULL), CASELOAD_EINVALID, "cost[0][0]", "1e+15");
    big_cost[0] = big_cost[3] = 1e15;
    big_cost[1] = big_cost[2] = -1e15;
    CHECK_OK(caseload_gap_solve(&r, a2, 2, 2, big_cost, unit, cap2, NULL));
    CHECK(r.feasible == 1 && r.optimal == 1 && a2[0] == 1 && a2[1] == 0 && r.objective == -2e15);
  }
}

static void test_allocation(void) {
  /*
   * The test authority (kWorkers/kCases): W1 sw 24/100 points, W2 sw 44/50,
   * W3 asye 8/81 (one case). The safe cap is amber_to = 100%.
   *   N1 cin (10 points): W1 -> 34/100 = 0.34, W2 -> 54/50 = 1.08 (over the
   *      cap), W3 -> 18/81 = 0.222.
   *   N2 cp (16 points): co-work only for an ASYE, so not W3; W2 -> 60/50 over
   *      the cap; only W1 -> 40/100 = 0.40.
   * Both cases fit (stage 1). Fairness: N1 -> W3, N2 -> W1 has a highest
   * utilisation of 0.40; N1 -> W1 too would give W1 50/100 = 0.50.
   */
  static const char* const incoming =
      "[{\"id\":\"N1\",\"case_type\":\"cin\",\"open_date\":\"2024-03-30\",\"team\":\"A\"},"
      "{\"id\":\"N2\",\"case_type\":\"cp\",\"open_date\":\"2024-03-30\",\"team\":\"A\"}]";
  static const char* const n1 = "{\"id\":\"N1\",\"case_type\":\"cin\",\"open_date\":\"2024-03-30\",\"team\":\"A\"}";
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = make_model(scheme);
  caseload_allocation_options o = CASELOAD_ALLOCATION_OPTIONS_INIT;
  caseload_allocation_options init;
  char* out = NULL;
  caseload_scheme_free(scheme);
  if (model == NULL) return;

  CHECK_OK(caseload_allocation_options_init(&init, CASELOAD_ALLOCATION_OPTIONS_VERSION));
  CHECK(init.work_limit == o.work_limit && near(init.fairness_tolerance, 0.05) && init.explain == 1);
  CHECK_ERR(caseload_allocation_options_init(&init, 0), CASELOAD_EINVALID, "version", NULL);

  CHECK_OK(caseload_allocate(&out, model, incoming, &o, NULL));
  {
    char* flat = compact(out);
    CHECK(contains(flat, "\"case_id\":\"N1\",\"worker_id\":\"W3\",\"reason\":\"allocated\""));
    CHECK(contains(flat, "\"case_id\":\"N2\",\"worker_id\":\"W1\",\"reason\":\"allocated\""));
    free(flat);
  }
  caseload_string_free(out);
  check_known_loads(model); /* allocation never changes the model */

  /* CSV: a header and one row per case, in input order. */
  CHECK_OK(caseload_allocate(&out, model, incoming, NULL, "csv"));
  CHECK(out != NULL && strncmp(out, "case_id,worker_id,", 18) == 0);
  CHECK(contains(out, "\nN1,W3,allocated,") && contains(out, "\nN2,W1,allocated,"));
  CHECK(count_of(out, "\n") == 3);
  caseload_string_free(out);
  CHECK_OK(caseload_allocate(&out, model, "[]", NULL, "html"));
  CHECK(contains(out, "<html") || contains(out, "<!DOCTYPE") || contains(out, "<!doctype"));
  caseload_string_free(out);

  /* A pin to an unknown worker, and a pin that would take W2 to 108%, name the case. */
  out = (char*)&out;
  CHECK_ERR(caseload_allocate(&out, model,
                              "[{\"id\":\"N7\",\"case_type\":\"cin\",\"open_date\":\"2024-03-30\","
                              "\"team\":\"A\",\"pinned_worker\":\"W9\"}]",
                              NULL, NULL),
            CASELOAD_ENOTFOUND, "incoming case \"N7\"", "W9");
  CHECK(out == NULL);
  CHECK_ERR(caseload_allocate(&out, model,
                              "[{\"id\":\"N8\",\"case_type\":\"cin\",\"open_date\":\"2024-03-30\","
                              "\"team\":\"A\",\"pinned_worker\":\"W2\"}]",
                              NULL, NULL),
            CASELOAD_EINVALID, "incoming case \"N8\"", "worker \"W2\"");
  CHECK(out == NULL);
  /* Option fields out of range are errors naming the field, never ignored (NaN and infinite limits too). */
  {
    caseload_allocation_options bad = CASELOAD_ALLOCATION_OPTIONS_INIT;
    bad.time_limit_seconds = HUGE_VAL;
    CHECK_ERR(caseload_allocate(&out, model, incoming, &bad, NULL), CASELOAD_EINVALID,
              "caseload_allocation_options: time_limit_seconds", "inf");
    bad.time_limit_seconds = NAN;
    CHECK_ERR(caseload_allocate(&out, model, incoming, &bad, NULL), CASELOAD_EINVALID, "time_limit_seconds", "nan");
    bad = o;
    bad.utilisation_cap = NAN;
    CHECK_ERR(caseload_allocate(&out, model, incoming, &bad, NULL), CASELOAD_EINVALID, "utilisation_cap", "nan");
    bad = o;
    bad.fairness_tolerance = -0.5;
    CHECK_ERR(caseload_allocate(&out, model, incoming, &bad, NULL), CASELOAD_EINVALID,
              "fairness_tolerance must be finite and >= 0", "-0.5");
    bad = o;
    bad.work_limit = -1;
    CHECK_ERR(caseload_suggest(&out, model, n1, 2, &bad), CASELOAD_EINVALID, "work_limit", "-1");
    bad = o;
    bad.explain = 7;
    CHECK_ERR(caseload_allocate(&out, model, incoming, &bad, NULL), CASELOAD_EINVALID, "explain must be 0 or 1", "7");
    CHECK(out == NULL);
  }
  CHECK_ERR(caseload_allocate(&out, model, incoming, NULL, "pdf"), CASELOAD_EINVALID, "format", "pdf");
  CHECK_ERR(caseload_allocate(&out, model, NULL, NULL, NULL), CASELOAD_EINVALID, "incoming_json", NULL);
  CHECK_ERR(caseload_allocate(&out, NULL, incoming, NULL, NULL), CASELOAD_EINVALID, "model", NULL);
  o.version = 7;
  CHECK_ERR(caseload_allocate(&out, model, incoming, &o, NULL), CASELOAD_EINVALID, "version", NULL);
  CHECK(out == NULL);

  /* suggest: W3 (22%) before W1 (34%); W2 has no room, so k = 3 gives two. */
  CHECK_OK(caseload_suggest(&out, model, n1, 3, NULL));
  {
    char* flat = compact(out);
    CHECK(flat != NULL && strncmp(flat, "[{\"worker_id\":\"W3\"", 18) == 0);
    CHECK(count_of(flat, "\"worker_id\":") == 2 && contains(flat, "\"worker_id\":\"W1\"") &&
          !contains(flat, "\"worker_id\":\"W2\""));
    free(flat);
  }
  caseload_string_free(out);
  out = (char*)&out;
  CHECK_ERR(
      caseload_suggest(&out, model, "{\"id\":\"N9\",\"case_type\":\"nonsense\",\"open_date\":\"2024-03-30\"}", 3, NULL),
      CASELOAD_ENOTFOUND, "N9", "case_type");
  CHECK(out == NULL);
  CHECK_ERR(caseload_suggest(&out, model, NULL, 3, NULL), CASELOAD_EINVALID, "case_json", NULL);

  /* rebalance: nobody is above the cap, so no moves. */
  CHECK_OK(caseload_rebalance(&out, model, 1.0, 10, NULL));
  {
    char* flat = compact(out);
    CHECK(contains(flat, "\"moves\":[]"));
    free(flat);
  }
  caseload_string_free(out);

  /* C6 lac (12 points) to W2: 56/50 = 112%, overload 6 points. Any of W2's
   * single-worker cases (C1 15, C3 21, C6 12) relieves all 6 (> move_cost 1),
   * and team A's only other worker W1 (24/100) takes any of them: one move. */
  CHECK_OK(caseload_model_upsert_json(model, NULL,
                                      "[{\"id\":\"C6\",\"case_type\":\"lac\",\"open_date\":\"2024-03-25\","
                                      "\"allocations\":[{\"worker_id\":\"W2\",\"share\":1}]}]"));
  CHECK_OK(caseload_rebalance(&out, model, 1.0, 10, "team"));
  {
    char* flat = compact(out);
    CHECK(count_of(flat, "\"from_worker\":") == 1);
    CHECK(contains(flat, "\"from_worker\":\"W2\",\"to_worker\":\"W1\""));
    CHECK(contains(flat, "\"overloaded_before\":1") && contains(flat, "\"overloaded_after\":0"));
    free(flat);
  }
  caseload_string_free(out);
  /* move_cost 10: a move relieving only 6 points is not worth it. */
  CHECK_OK(caseload_rebalance(&out, model, 10.0, 10, "team"));
  {
    char* flat = compact(out);
    CHECK(contains(flat, "\"moves\":[]") && contains(flat, "\"overloaded_after\":1"));
    free(flat);
  }
  caseload_string_free(out);
  out = (char*)&out;
  CHECK_ERR(caseload_rebalance(&out, model, 1.0, 10, "galaxy"), CASELOAD_EINVALID, "scope", "galaxy");
  CHECK(out == NULL);
  CHECK_ERR(caseload_rebalance(&out, model, -1.0, 10, NULL), CASELOAD_EINVALID, "move_cost", NULL);
  CHECK_ERR(caseload_rebalance(&out, NULL, 1.0, 10, NULL), CASELOAD_EINVALID, "model", NULL);

  caseload_model_free(model);
}

static void test_forecast(void) {
  /* Seasonal naive, m = 4, on two full seasons 1..8: the last season
   * (5, 6, 7, 8) repeated, so horizon 6 gives 5, 6, 7, 8, 5, 6.
   * T2 has 5 values, fewer than two seasons (8), so it falls back to naive:
   * the last value, 9, six times. */
  static const char* const request =
      "{\"series\":[{\"id\":\"T1\",\"y\":[1,2,3,4,5,6,7,8]},{\"id\":\"T2\",\"y\":[3,1,4,1,9]}],"
      "\"options\":{\"horizon\":6,\"season_length\":4,\"levels\":[80],\"model\":\"seasonal_naive\"}}";
  static const char* const too_short = "{\"series\":[{\"id\":\"T3\",\"y\":[1,2]}],\"options\":{\"horizon\":2}}";
  static const char* const bad_horizon = "{\"series\":[{\"id\":\"T1\",\"y\":[1,2,3,4]}],\"options\":{\"horizon\":0}}";
  char* out = NULL;

  CHECK_OK(caseload_forecast_json(&out, request, strlen(request)));
  {
    char* flat = compact(out);
    CHECK(contains(flat, "\"id\":\"T1\",\"model\":\"seasonal_naive\",\"mean\":[5,6,7,8,5,6]"));
    CHECK(contains(flat, "\"id\":\"T2\",\"model\":\"naive\",\"mean\":[9,9,9,9,9,9]"));
    CHECK(count_of(flat, "\"level\":80") == 2 && !contains(flat, "\"level\":95"));
    CHECK(strstr(flat, "\"id\":\"T1\"") < strstr(flat, "\"id\":\"T2\""));
    free(flat);
  }
  caseload_string_free(out);

  out = (char*)&out;
  CHECK(caseload_forecast_json(&out, too_short, strlen(too_short)) < 0);
  CHECK(out == NULL && contains(caseload_last_error(), "T3"));
  CHECK_ERR(caseload_forecast_json(&out, bad_horizon, strlen(bad_horizon)), CASELOAD_EINVALID, "horizon", NULL);
  CHECK_ERR(caseload_forecast_json(&out, request, 10), CASELOAD_EPARSE, "JSON", NULL);
  CHECK_ERR(caseload_forecast_json(&out, NULL, 0), CASELOAD_EINVALID, "request", NULL);
  CHECK(out == NULL);
}

static void test_call_json_carries_its_error(void) {
  static const char* const good = "{\"op\":\"version\"}";
  static const char* const bad =
      "{\"op\":\"rollup\",\"as_of\":\"2024-03-31\",\"workers\":[],\"cases\":[],\"level\":\"region\"}";
  char* out = NULL;
  char* plain = NULL;
  CHECK_OK(caseload_call_json(&out, good, strlen(good)));
  CHECK_OK(caseload_request_json(&plain, good, strlen(good)));
  CHECK(out != NULL && plain != NULL && strcmp(out, plain) == 0);
  caseload_string_free(out);
  caseload_string_free(plain);
  out = NULL;
  CHECK(caseload_call_json(&out, bad, strlen(bad)) == CASELOAD_EINVALID);
  CHECK(out != NULL);
  CHECK(out != NULL &&
        contains(out, "{\"ok\":false,\"error\":{\"code\":\"invalid_argument\",\"message\":\"request: level"));
  caseload_string_free(out);
  CHECK(caseload_call_json(NULL, good, strlen(good)) == CASELOAD_EINVALID);
}

/* Cancellation tokens and the thread cap (caseload.h, "Threads and
 * cancellation"). A token requested before the call cancels it at once with
 * CASELOAD_ECANCELLED and no output; reset, the same call succeeds; the
 * thread cap changes no result. */
static void test_cancel_and_threads(void) {
  static const char* const request =
      "{\"series\":[{\"id\":\"T1\",\"y\":[1,2,3,4,5,6,7,8]}],\"options\":{\"horizon\":3,\"n_threads\":4}}";
  static const double cost[4] = {1, 2, 2, 1};
  static const double weight[4] = {1, 1, 1, 1};
  static const double capacity[2] = {1, 1};
  int32_t assignment[2] = {7, 7};
  caseload_gap_result r;
  caseload_cancel* token = NULL;
  char* out = NULL;
  char* first = NULL;
  uint32_t cap = caseload_get_max_threads();

  CHECK(strcmp(caseload_errstr(CASELOAD_ECANCELLED), "cancelled") == 0);
  CHECK_OK(caseload_cancel_create(&token));
  CHECK(token != NULL && caseload_cancel_requested(token) == 0);
  CHECK_OK(caseload_forecast_json_ex(&first, request, strlen(request), token));
  caseload_cancel_request(token);
  CHECK(caseload_cancel_requested(token) == 1);
  out = (char*)&out;
  CHECK_ERR(caseload_forecast_json_ex(&out, request, strlen(request), token), CASELOAD_ECANCELLED, "forecast",
            "cancelled");
  CHECK(out == NULL);
  CHECK_ERR(caseload_gap_solve_ex(&r, assignment, 2, 2, cost, weight, capacity, NULL, token), CASELOAD_ECANCELLED,
            "gap", NULL);
  CHECK(assignment[0] == 7 && assignment[1] == 7 && r.feasible == 0);
  caseload_cancel_reset(token);
  CHECK_OK(caseload_gap_solve_ex(&r, assignment, 2, 2, cost, weight, capacity, NULL, token));
  CHECK(assignment[0] == 0 && assignment[1] == 1 && r.optimal == 1);

  /* No library thread at all: the same answer, on the calling thread. */
  caseload_set_max_threads(0);
  CHECK(caseload_get_max_threads() == 0);
  CHECK_OK(caseload_forecast_json_ex(&out, request, strlen(request), NULL));
  CHECK(out != NULL && first != NULL && strcmp(out, first) == 0);
  caseload_set_max_threads(cap);
  caseload_string_free(out);
  caseload_string_free(first);
  caseload_cancel_request(NULL); /* NULL is accepted everywhere */
  caseload_cancel_reset(NULL);
  CHECK(caseload_cancel_requested(NULL) == 0);
  caseload_cancel_free(token);
  caseload_cancel_free(NULL);
}

static void test_option_records(void) {
  static const char* const capabilities[] = {"allocation", "rebalance", "league", "projection", "forecast", "gap"};
  char* out = NULL;
  size_t i;
  for (i = 0; i < sizeof capabilities / sizeof capabilities[0]; ++i) {
    CHECK_OK(caseload_option_records_json(&out, capabilities[i]));
    CHECK(out != NULL && out[0] == '[' && contains(out, "\"doc\""));
    caseload_string_free(out);
    out = NULL;
  }
  /* The names a vendor reads here are the C struct's and the JSON API's. */
  CHECK_OK(caseload_option_records_json(&out, "gap"));
  {
    char* flat = compact(out);
    CHECK(contains(flat, "{\"name\":\"work_limit\",\"type\":\"integer\",\"default\":2e+08,\"min\":0"));
    CHECK(contains(flat, "\"name\":\"time_limit_seconds\",\"type\":\"optional number\",\"default\":null"));
    free(flat);
  }
  caseload_string_free(out);
  CHECK_OK(caseload_option_records_json(&out, "projection"));
  CHECK(contains(out, "\"max_exclusive\"") && contains(out, "\"list of scenarios\""));
  caseload_string_free(out);
  out = (char*)&out;
  CHECK_ERR(caseload_option_records_json(&out, "payroll"), CASELOAD_EINVALID, "payroll", NULL);
  CHECK(out == NULL);
  CHECK_ERR(caseload_option_records_json(&out, NULL), CASELOAD_EINVALID, "capability", NULL);
  CHECK_ERR(caseload_option_records_json(NULL, "gap"), CASELOAD_EINVALID, "out", NULL);
}

static void test_projection(void) {
  /* Three months of team A referrals; horizon 2 with few paths keeps it quick. */
  static const char* const request =
      "{\"referrals\":[{\"team\":\"A\",\"period\":\"2024-01\",\"count\":3},"
      "{\"team\":\"A\",\"period\":\"2024-02\",\"count\":4},{\"team\":\"A\",\"period\":\"2024-03\",\"count\":5}],"
      "\"options\":{\"horizon\":2,\"n_paths\":200,\"seed\":1}}";
  caseload_scheme* scheme = make_scheme();
  caseload_model* model = make_model(scheme);
  char* out = NULL;
  char* again = NULL;
  char whole[8192];
  int len;
  if (model == NULL) {
    caseload_scheme_free(scheme);
    return;
  }

  CHECK_OK(caseload_model_project_capacity_json(&out, model, request));
  {
    char* flat = compact(out);
    CHECK(contains(flat, "\"as_of\":\"2024-03-31\"") && contains(flat, "\"horizon\":2") &&
          contains(flat, "\"n_paths\":200"));
    CHECK(contains(flat, "\"scenarios\":[") && contains(flat, "\"months\":[") && contains(flat, "\"p_breach\":") &&
          contains(flat, "\"p_any_breach\":") && contains(flat, "\"required_fte\":") &&
          contains(flat, "\"utilisation_quantiles\":["));
    CHECK(contains(flat, "\"group\":\"A\"") && contains(flat, "\"group\":\"B\""));
    free(flat);
  }

  /* The same from one whole request gives the same result (same seed). */
  len = snprintf(whole, sizeof whole, "{\"scheme\":%s,\"workers\":%s,\"cases\":%s,\"as_of\":\"%s\",%s", kScheme,
                 kWorkers, kCases, kAsOf, request + 1);
  CHECK(len > 0 && (size_t)len < sizeof whole);
  CHECK_OK(caseload_project_capacity_json(&again, whole, (size_t)len));
  CHECK(out != NULL && again != NULL && strcmp(out, again) == 0);
  caseload_string_free(out);
  caseload_string_free(again);

  /* Errors name the record and field. */
  out = (char*)&out;
  CHECK_ERR(caseload_model_project_capacity_json(
                &out, model,
                "{\"referrals\":[{\"team\":\"A\",\"period\":\"2024-01\",\"count\":-1},"
                "{\"team\":\"A\",\"period\":\"2024-02\",\"count\":4},{\"team\":\"A\",\"period\":\"2024-03\","
                "\"count\":5}]}"),
            CASELOAD_EINVALID, "referrals[0] (team \"A\")", "count");
  CHECK(out == NULL);
  CHECK_ERR(caseload_model_project_capacity_json(&out, model, "{\"options\":{\"horizon\":13}}"), CASELOAD_EINVALID,
            "horizon", "13");
  CHECK(caseload_model_project_capacity_json(&out, model, "{\"bogus\":1}") < 0);
  CHECK(out == NULL && contains(caseload_last_error(), "bogus"));
  CHECK_ERR(caseload_model_project_capacity_json(&out, NULL, NULL), CASELOAD_EINVALID, "model", NULL);
  CHECK_ERR(caseload_project_capacity_json(&out, "{\"op\":\"forecast\"}", 17), CASELOAD_EINVALID, "op", NULL);
  CHECK(out == NULL);

  caseload_model_free(model);
  caseload_scheme_free(scheme);
}

static void test_league_table(void) {
  /*
   * Two organisations, whole-organisation rows:
   *   Calmshire:  150 cases / 10 FTE = 15 per FTE, target 18, 1 of 10 over it,
   *               2 weeks of exceedance, 5% vacancies;
   *   Crowdshire: 280 cases / 10 FTE = 28 per FTE, target 18, 9 of 10 over it,
   *               45 weeks of exceedance, 30% vacancies.
   * Calmshire is better on every measure, so it ranks first.
   */
  static const char* const request =
      "{\"figures\":["
      "{\"organisation\":\"Crowdshire\",\"service_area\":\"all\",\"case_holding_fte\":10,\"cases\":280,"
      "\"stated_benchmark\":18,\"workers\":10,\"workers_over_benchmark\":9,\"exceedance_weeks_past_year\":45,"
      "\"vacancy_rate\":0.3,\"agency_rate\":0.25,\"turnover_rate\":0.3},"
      "{\"organisation\":\"Calmshire\",\"service_area\":\"all\",\"case_holding_fte\":10,\"cases\":150,"
      "\"stated_benchmark\":18,\"workers\":10,\"workers_over_benchmark\":1,\"exceedance_weeks_past_year\":2,"
      "\"vacancy_rate\":0.05,\"agency_rate\":0.02,\"turnover_rate\":0.08}],"
      "\"options\":{\"seed\":0}}";
  static const char* const duplicate =
      "{\"figures\":[{\"organisation\":\"Calmshire\",\"case_holding_fte\":10,\"cases\":150},"
      "{\"organisation\":\"Calmshire\",\"service_area\":\"all\",\"case_holding_fte\":12,\"cases\":150}]}";
  static const char* const bad_rate =
      "{\"figures\":[{\"organisation\":\"Calmshire\",\"case_holding_fte\":10,\"cases\":150,\"vacancy_rate\":18.9}]}";
  char* out = NULL;

  CHECK_OK(caseload_league_table_json(&out, request, strlen(request)));
  {
    char* flat = compact(out);
    const char* calm = strstr(flat ? flat : "", "\"organisation\":\"Calmshire\"");
    const char* crowd = strstr(flat ? flat : "", "\"organisation\":\"Crowdshire\"");
    CHECK(calm != NULL && crowd != NULL && calm < crowd);
    CHECK(contains(flat, "\"organisation\":\"Calmshire\",\"rank\":1,"));
    CHECK(contains(flat, "\"rows\":["));
    free(flat);
  }
  caseload_string_free(out);

  /* CSV output comes back as a JSON string. */
  {
    static const char* const csv_request =
        "{\"figures_csv\":\"organisation,case_holding_fte,cases\\nA,10,150\\nB,10,280\\n\",\"format\":\"csv\"}";
    CHECK_OK(caseload_league_table_json(&out, csv_request, strlen(csv_request)));
    CHECK(out != NULL && out[0] == '"' && contains(out, "organisation,rank"));
    caseload_string_free(out);
  }

  out = (char*)&out;
  CHECK_ERR(caseload_league_table_json(&out, duplicate, strlen(duplicate)), CASELOAD_EDUPLICATE,
            "organisation \"Calmshire\"", "duplicate");
  CHECK(out == NULL);
  CHECK_ERR(caseload_league_table_json(&out, bad_rate, strlen(bad_rate)), CASELOAD_EINVALID,
            "organisation \"Calmshire\"", "vacancy_rate");
  CHECK_ERR(caseload_league_table_json(&out, NULL, 0), CASELOAD_EINVALID, "request", NULL);
  CHECK(out == NULL);
}

int main(void) {
  test_version_and_errors();
  test_free_null();
  test_scheme();
  test_model_known_answers();
  test_csv_matches_json();
  test_preview_apply();
  test_bad_inputs();
  test_limits();
  test_history_and_health_check();
  test_request_json();
  test_gap_solve();
  test_allocation();
  test_forecast();
  test_cancel_and_threads();
  test_option_records();
  test_call_json_carries_its_error();
  test_projection();
  test_league_table();
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
