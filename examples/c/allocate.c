/*
 * Allocates a week's incoming referrals to a team safely and fairly, and
 * prints who gets which case and why; then asks for the top three workers
 * for one more case.
 *
 *   cc -std=c99 allocate.c -lcaseload -o allocate && ./allocate
 *
 * The model here is three workers and their current cases, given as JSON;
 * a case-management system would pass its own (CSV works too:
 * caseload_model_create_csv). Options start from their defaults
 * (CASELOAD_ALLOCATION_OPTIONS_INIT); every field is checked, and a bad one
 * is an error naming it.
 */
#include <caseload/caseload.h>

#include <stdio.h>

static const char* const kWorkers =
    "[{\"id\":\"W1\",\"team\":\"North\",\"service_area\":\"children_in_need\",\"role\":\"social_worker\","
    "\"contracted_hours\":37,\"experience_years\":6,\"skills\":[\"court\"]},"
    " {\"id\":\"W2\",\"team\":\"North\",\"service_area\":\"children_in_need\",\"role\":\"social_worker\","
    "\"contracted_hours\":37,\"experience_years\":2},"
    " {\"id\":\"W3\",\"team\":\"North\",\"service_area\":\"children_in_need\",\"role\":\"asye\","
    "\"contracted_hours\":37}]";
static const char* const kCases =
    "[{\"id\":\"C1\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-01-10\",\"allocations\":[{\"worker_id\":\"W1\"}]},"
    " {\"id\":\"C2\",\"case_type\":\"child_protection\",\"open_date\":\"2024-02-01\",\"allocations\":[{\"worker_id\":\"W1\"}]},"
    " {\"id\":\"C3\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-02-15\",\"allocations\":[{\"worker_id\":\"W2\"}]}]";
static const char* const kIncoming =
    "[{\"id\":\"N1\",\"case_type\":\"child_protection\",\"open_date\":\"2024-03-28\",\"team\":\"North\","
    "\"priority\":2,\"required_skills\":[\"court\"]},"
    " {\"id\":\"N2\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-03-29\",\"team\":\"North\"},"
    " {\"id\":\"N3\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-03-29\",\"team\":\"North\","
    "\"excluded_workers\":[\"W2\"]}]";

static int fail(const char* what) {
  fprintf(stderr, "%s: %s\n", what, caseload_last_error());
  return 1;
}

int main(void) {
  caseload_model* model = NULL;
  caseload_allocation_options options = CASELOAD_ALLOCATION_OPTIONS_INIT;
  char* plan = NULL;
  char* top = NULL;
  if (caseload_model_create_json(&model, NULL, kWorkers, kCases, "2024-03-31") != CASELOAD_OK)
    return fail("model");
  options.seed = 1; /* the same seed gives the same plan */
  if (caseload_allocate(&plan, model, kIncoming, &options, "csv") != CASELOAD_OK) {
    caseload_model_free(model);
    return fail("allocate");
  }
  printf("%s", plan); /* one row per incoming case: worker, reason, explanation */
  if (caseload_suggest(&top, model, "{\"id\":\"N4\",\"case_type\":\"child_in_need\",\"open_date\":\"2024-03-30\","
                                    "\"team\":\"North\"}",
                       3, &options) != CASELOAD_OK) {
    caseload_string_free(plan);
    caseload_model_free(model);
    return fail("suggest");
  }
  printf("top 3 for N4: %s\n", top);
  caseload_string_free(top);
  caseload_string_free(plan); /* every returned string goes back through caseload_string_free */
  plan = NULL;
  /* A bad option is an error naming the field, and nothing is computed. */
  options.utilisation_cap = 0.0 / 0.0;
  if (caseload_allocate(&plan, model, kIncoming, &options, "json") == CASELOAD_OK) {
    caseload_string_free(plan);
    caseload_model_free(model);
    return 1;
  }
  printf("as expected: %s\n", caseload_last_error());
  caseload_model_free(model);
  return 0;
}
