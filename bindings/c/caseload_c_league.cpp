// The C API: the league table of employers (docs/league_table.md). Shared
// machinery in c_api_internal.hpp.
#include "c_api_internal.hpp"  // first: it settles caseload.h's version macros

#include <string_view>

#include "caseload/league.hpp"

using namespace caseload_c;

extern "C" {

int caseload_league_table_json(char** out, const char* request, size_t len) {
  return guard([&] {
    init_out(out, "caseload_league_table_json");
    require_arg(request, "caseload_league_table_json", "request");
    *out = dup_string(caseload::league_table_request_json(std::string_view(request, len)));
  });
}

}  // extern "C"
