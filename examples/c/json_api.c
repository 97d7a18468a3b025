/*
 * The whole library through one function: a JSON request in, a JSON answer
 * out, with the error inside the answer (caseload_call_json), so it suits a
 * caller whose calls may run on different threads (Go, Java, a pool).
 *
 *   cc -std=c99 json_api.c -lcaseload -o json_api && ./json_api
 */
#include <caseload/caseload.h>

#include <stdio.h>
#include <string.h>

static int ask(const char* request) {
  char* answer = NULL;
  const int rc = caseload_call_json(&answer, request, strlen(request));
  printf("%s\n", answer != NULL ? answer : "(out of memory)");
  caseload_string_free(answer);
  return rc;
}

int main(void) {
  const int ok = ask(
      "{\"op\":\"rollup\",\"as_of\":\"2024-03-31\",\"level\":\"team\","
      "\"workers\":[{\"id\":\"W1\",\"team\":\"North\",\"service_area\":\"children_in_need\","
      "\"role\":\"social_worker\",\"contracted_hours\":37}],"
      "\"cases\":[{\"id\":\"C1\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-01-10\","
      "\"allocations\":[{\"worker_id\":\"W1\"}]}]}");
  /* A mistake is answered, not crashed on: {"ok":false,"error":{"code":..,"message":..}}. */
  const int bad = ask("{\"op\":\"rollup\",\"as_of\":\"2024-03-31\",\"workers\":[],\"cases\":[],\"level\":\"region\"}");
  return ok == CASELOAD_OK && bad == CASELOAD_EINVALID ? 0 : 1;
}
