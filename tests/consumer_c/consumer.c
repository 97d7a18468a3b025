/* A pure C99 program against the installed library: built by the test
 * package_c99_consumer with `gcc -std=c99 -Wall -Wextra -pedantic -Werror`
 * and the flags `pkg-config --cflags --libs caseload` gives. */
#include <caseload/caseload.h>
#include <stdio.h>
#include <string.h>

int main(void) {
  const char* workers =
      "[{\"id\":\"W1\",\"team\":\"A\",\"service_area\":\"children_in_need\",\"role\":\"social_worker\","
      "\"contracted_hours\":37}]";
  const char* cases =
      "[{\"id\":\"C1\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-01-10\","
      "\"allocations\":[{\"worker_id\":\"W1\"}]}]";
  caseload_model* model = NULL;
  caseload_worker_load load = CASELOAD_WORKER_LOAD_INIT;
  char* rollup = NULL;
  int ok;
  if (caseload_libversion_number() != CASELOAD_VERSION_NUMBER) {
    fprintf(stderr, "header %s but library %s\n", CASELOAD_VERSION_STRING, caseload_libversion());
    return 1;
  }
  if (caseload_model_create_json(&model, NULL, workers, cases, "2024-03-31") != CASELOAD_OK) {
    fprintf(stderr, "caseload: %s\n", caseload_last_error());
    return 1;
  }
  if (caseload_worker_load_find(&load, model, "W1") != CASELOAD_OK ||
      caseload_model_rollup_json(&rollup, model, CASELOAD_LEVEL_ORGANISATION) != CASELOAD_OK) {
    fprintf(stderr, "caseload: %s\n", caseload_last_error());
    caseload_model_free(model);
    return 1;
  }
  printf("C99 consumer: %s holds %.0f case(s), %.2f points (%s)\n", load.worker_id, load.cases, load.points,
         caseload_band_name(load.band));
  ok = load.cases == 1.0 && load.points > 0 && strstr(rollup, "\"organisation\"") != NULL;
  caseload_string_free(rollup);
  caseload_model_free(model);
  /* A bad call names the parameter, and the last error is reset by success. */
  if (caseload_model_create_json(&model, NULL, NULL, cases, "2024-03-31") != CASELOAD_EINVALID || model != NULL ||
      strstr(caseload_last_error(), "workers_json") == NULL)
    ok = 0;
  return ok ? 0 : 1;
}
