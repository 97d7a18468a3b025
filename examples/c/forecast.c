/*
 * Forecasts a team's monthly referrals a year ahead with 80% and 95%
 * intervals, through the JSON entry point caseload_forecast_json.
 *
 *   cc -std=c99 forecast.c -lcaseload -o forecast && ./forecast
 *
 * The request's options are the forecast's option records
 * (caseload_option_records_json(&out, "forecast") lists them); unknown keys
 * and out-of-range values are errors naming the option.
 */
#include <caseload/caseload.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  /* Three years of monthly referrals with a dip each August. */
  static const char* const request =
      "{\"series\":[{\"id\":\"North\",\"y\":["
      "41,38,44,40,42,39,43,30,45,47,42,40,"
      "43,40,46,41,44,41,45,31,47,49,44,42,"
      "45,42,48,43,46,43,47,33,49,51,46,44]}],"
      "\"options\":{\"horizon\":12,\"season_length\":12,\"levels\":[80,95],\"seed\":1,\"count_data\":true}}";
  char* out = NULL;
  if (caseload_forecast_json(&out, request, strlen(request)) != CASELOAD_OK) {
    fprintf(stderr, "forecast: %s\n", caseload_last_error());
    return 1;
  }
  printf("%s\n", out); /* {"forecasts":[{"id":"North","model":..,"mean":[..],"intervals":[..]}]} */
  caseload_string_free(out);
  return 0;
}
