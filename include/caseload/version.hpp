#pragma once
#include "caseload/export.hpp"

#define CASELOAD_VERSION_MAJOR 0
#define CASELOAD_VERSION_MINOR 1
#define CASELOAD_VERSION_PATCH 0
#define CASELOAD_VERSION_STRING "0.1.0"
/// major * 10000 + minor * 100 + patch
#define CASELOAD_VERSION_NUMBER (CASELOAD_VERSION_MAJOR * 10000 + CASELOAD_VERSION_MINOR * 100 + CASELOAD_VERSION_PATCH)

namespace caseload {
/// Run-time version of the library ("0.1.0"), to compare with the header's.
CASELOAD_API const char* version() noexcept;
CASELOAD_API int version_number() noexcept;
}  // namespace caseload
