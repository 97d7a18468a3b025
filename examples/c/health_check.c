/*
 * Builds a caseload model from workers.csv and cases.csv with the default
 * weighting scheme, prints each team's figures and writes the published
 * health check as a self-contained HTML page.
 *
 *   cc -std=c99 health_check.c -lcaseload -o health_check
 *   ./health_check workers.csv cases.csv 2024-03-31 [snapshots.csv] > health_check.html
 *
 * Every failure prints caseload_last_error(), which names the record and
 * field (e.g. `worker "W17": contracted_hours must be in (0, 60], got -0.2`).
 */
#include <caseload/caseload.h>

#include <stdio.h>
#include <stdlib.h>

/* Reads a whole file into a malloc'd, NUL-terminated buffer. */
static char* slurp(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  char* buf = NULL;
  size_t cap = 0, n = 0;
  if (f == NULL) return NULL;
  for (;;) {
    if (n + 4096 + 1 > cap) {
      char* grown = realloc(buf, cap = 2 * cap + 4096 + 1);
      if (grown == NULL) break;
      buf = grown;
    }
    {
      size_t got = fread(buf + n, 1, 4096, f);
      n += got;
      if (got < 4096) {
        fclose(f);
        buf[n] = '\0';
        if (len != NULL) *len = n;
        return buf;
      }
    }
  }
  fclose(f);
  free(buf);
  return NULL;
}

static int fail(const char* what) {
  fprintf(stderr, "%s: %s (%s)\n", what, caseload_last_error(), caseload_errstr(caseload_last_error_code()));
  return 1;
}

int main(int argc, char** argv) {
  caseload_model* model = NULL;
  caseload_snapshots* history = NULL;
  caseload_health_check* hc = NULL;
  caseload_health_check_options options = CASELOAD_HEALTH_CHECK_OPTIONS_INIT;
  char *workers = NULL, *cases = NULL, *rollup = NULL, *html = NULL;
  int rc = 1;

  if (argc < 4) {
    fprintf(stderr, "usage: %s workers.csv cases.csv YYYY-MM-DD [snapshots.csv]\n", argv[0]);
    return 2;
  }
  if (caseload_libversion_number() != CASELOAD_VERSION_NUMBER) {
    fprintf(stderr, "header %s does not match library %s\n", CASELOAD_VERSION_STRING, caseload_libversion());
    return 1;
  }
  workers = slurp(argv[1], NULL);
  cases = slurp(argv[2], NULL);
  if (workers == NULL || cases == NULL) {
    fprintf(stderr, "cannot read %s or %s\n", argv[1], argv[2]);
    goto done;
  }
  if (caseload_model_create_csv(&model, NULL, workers, cases, argv[3]) != CASELOAD_OK) {
    rc = fail("loading the authority");
    goto done;
  }
  if (argc > 4) {
    size_t len = 0;
    char* csv = slurp(argv[4], &len);
    int status = csv != NULL ? caseload_snapshots_from_csv(&history, csv, len) : CASELOAD_EIO;
    free(csv);
    if (status != CASELOAD_OK) {
      rc = fail("loading snapshots");
      goto done;
    }
  }

  /* Team figures as JSON (one object per team, sorted by name). */
  if (caseload_model_rollup_json(&rollup, model, CASELOAD_LEVEL_TEAM) != CASELOAD_OK) {
    rc = fail("rolling up");
    goto done;
  }
  fprintf(stderr, "teams: %s\n", rollup);

  options.organisation = "Example Council";
  if (caseload_health_check_create(&hc, model, history, &options) != CASELOAD_OK ||
      caseload_health_check_html(&html, hc) != CASELOAD_OK) {
    rc = fail("building the health check");
    goto done;
  }
  fputs(html, stdout);
  rc = 0;

done:
  /* Every free accepts NULL, so one exit path cleans up after any failure. */
  caseload_string_free(html);
  caseload_string_free(rollup);
  caseload_health_check_free(hc);
  caseload_snapshots_free(history);
  caseload_model_free(model);
  free(cases);
  free(workers);
  return rc;
}
