// The C API (include/caseload/caseload.h) over the C++ core: version, errors
// and limits here; each capability's entry points in caseload_c_<capability>.cpp,
// the shared machinery in c_api_internal.hpp.
//
// Every entry point runs its body inside guard(), which turns any exception
// into a status code plus a thread-local message, so nothing C++ ever crosses
// the boundary. Outputs are written only after all the work that can throw
// has succeeded, which is what makes "a failed call changes nothing" hold
// for the handles (the core's mutating calls are all-or-nothing themselves).
#include "caseload/caseload.h"

// The C header restates version.hpp's macros (it cannot include C++). Capture
// the C values, drop the macros and let version.hpp define them again, so a
// version bump made in only one of the two headers fails to compile here.
namespace caseload_c_header {
constexpr int kMajor = CASELOAD_VERSION_MAJOR;
constexpr int kMinor = CASELOAD_VERSION_MINOR;
constexpr int kPatch = CASELOAD_VERSION_PATCH;
constexpr int kNumber = CASELOAD_VERSION_NUMBER;
constexpr const char* kString = CASELOAD_VERSION_STRING;
}  // namespace caseload_c_header
#undef CASELOAD_VERSION_MAJOR
#undef CASELOAD_VERSION_MINOR
#undef CASELOAD_VERSION_PATCH
#undef CASELOAD_VERSION_NUMBER
#undef CASELOAD_VERSION_STRING

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "c_api_internal.hpp"

static_assert(caseload_c_header::kMajor == CASELOAD_VERSION_MAJOR &&
                  caseload_c_header::kMinor == CASELOAD_VERSION_MINOR &&
                  caseload_c_header::kPatch == CASELOAD_VERSION_PATCH &&
                  caseload_c_header::kNumber == CASELOAD_VERSION_NUMBER &&
                  std::string_view(caseload_c_header::kString) == CASELOAD_VERSION_STRING,
              "caseload.h and version.hpp disagree on the version");

// The C enums restate caseload::ErrorCode, Band and Level; keep them in step.
static_assert(CASELOAD_EINVALID == static_cast<int>(caseload::ErrorCode::invalid_argument));
static_assert(CASELOAD_EPARSE == static_cast<int>(caseload::ErrorCode::parse));
static_assert(CASELOAD_ENOTFOUND == static_cast<int>(caseload::ErrorCode::not_found));
static_assert(CASELOAD_EDUPLICATE == static_cast<int>(caseload::ErrorCode::duplicate));
static_assert(CASELOAD_ELIMIT == static_cast<int>(caseload::ErrorCode::limit_exceeded));
static_assert(CASELOAD_EIO == static_cast<int>(caseload::ErrorCode::io));
static_assert(CASELOAD_EINTERNAL == static_cast<int>(caseload::ErrorCode::internal));
static_assert(CASELOAD_ENOMEM == static_cast<int>(caseload::ErrorCode::out_of_memory));
static_assert(CASELOAD_ECANCELLED == static_cast<int>(caseload::ErrorCode::cancelled));
static_assert(CASELOAD_BAND_GREEN == static_cast<int>(caseload::Band::green));
static_assert(CASELOAD_BAND_EXCESSIVE == static_cast<int>(caseload::Band::excessive));
static_assert(CASELOAD_LEVEL_TEAM == static_cast<int>(caseload::Level::team));
static_assert(CASELOAD_LEVEL_SERVICE_AREA == static_cast<int>(caseload::Level::service_area));
static_assert(CASELOAD_LEVEL_ORGANISATION == static_cast<int>(caseload::Level::organisation));

namespace caseload_c {

LastError& last_error() noexcept {
  thread_local LastError e;
  return e;
}

void clear_error() noexcept {
  LastError& e = last_error();
  e.code = CASELOAD_OK;
  e.message.clear();  // keeps capacity; never throws
  e.fallback = nullptr;
}

int set_error(int code, const char* message) noexcept {
  LastError& e = last_error();
  e.code = code;
  try {
    e.message.assign(message);
    e.fallback = nullptr;
  } catch (...) {
    e.message.clear();
    e.fallback = "out of memory while recording an error";
  }
  return code;
}

}  // namespace caseload_c

using namespace caseload_c;

namespace {

caseload::Limits to_limits(const caseload_limits& l) {
  if (l.version != CASELOAD_LIMITS_VERSION) {
    throw Error(ErrorCode::invalid_argument, "caseload_limits: version " + std::to_string(l.version) +
                                                 " is not supported (expected " +
                                                 std::to_string(CASELOAD_LIMITS_VERSION) + ")");
  }
  caseload::Limits limits;
  limits.max_document_bytes = l.max_document_bytes;
  limits.max_depth = l.max_depth;
  limits.max_records = l.max_records;
  limits.max_string_bytes = l.max_string_bytes;
  try {
    caseload::check_limits(limits);  // the one rule: bounds > 0, max_depth under the ceiling
  } catch (const Error& e) {
    throw Error(e.code(), std::string("caseload_") + e.what());  // "caseload_limits: max_depth ..."
  }
  return limits;
}

void from_limits(caseload_limits* out, const caseload::Limits& l) noexcept {
  out->version = CASELOAD_LIMITS_VERSION;
  out->max_document_bytes = l.max_document_bytes;
  out->max_depth = l.max_depth;
  out->max_records = l.max_records;
  out->max_string_bytes = l.max_string_bytes;
}

}  // namespace

extern "C" {

// ---- Errors and version ------------------------------------------------------

const char* caseload_last_error(void) {
  const LastError& e = last_error();
  return e.fallback != nullptr ? e.fallback : e.message.c_str();
}

int caseload_last_error_code(void) {
  return last_error().code;
}

const char* caseload_errstr(int code) {
  switch (code) {
    case CASELOAD_OK:
      return "no error";
    case CASELOAD_EINVALID:
      return "invalid argument";
    case CASELOAD_EPARSE:
      return "malformed input";
    case CASELOAD_ENOTFOUND:
      return "not found";
    case CASELOAD_EDUPLICATE:
      return "duplicate id";
    case CASELOAD_ELIMIT:
      return "input limit exceeded";
    case CASELOAD_EIO:
      return "input/output error";
    case CASELOAD_EINTERNAL:
      return "internal error";
    case CASELOAD_ENOMEM:
      return "out of memory";
    case CASELOAD_ECANCELLED:
      return "cancelled";
    default:
      return "unknown error";
  }
}

void caseload_string_free(char* str) {
  std::free(str);
}

const char* caseload_libversion(void) {
  return caseload::version();
}

int caseload_libversion_number(void) {
  return caseload::version_number();
}

// ---- Limits ------------------------------------------------------------------

int caseload_limits_init(caseload_limits* opts, uint32_t version) {
  return guard([&] {
    require_arg(opts, "caseload_limits_init", "opts");
    if (version != CASELOAD_LIMITS_VERSION) {
      throw Error(ErrorCode::invalid_argument, "caseload_limits_init: version " + std::to_string(version) +
                                                   " is not supported (expected " +
                                                   std::to_string(CASELOAD_LIMITS_VERSION) + ")");
    }
    from_limits(opts, caseload::Limits{});
  });
}

int caseload_get_default_limits(caseload_limits* out) {
  return guard([&] {
    require_arg(out, "caseload_get_default_limits", "out");
    from_limits(out, caseload::default_limits());
  });
}

int caseload_set_default_limits(const caseload_limits* limits) {
  return guard([&] {
    require_arg(limits, "caseload_set_default_limits", "limits");
    caseload::set_default_limits(to_limits(*limits));
  });
}

// ---- Threads and cancellation ---------------------------------------------------

void caseload_set_max_threads(uint32_t cap) {
  caseload::set_max_threads(cap);
}

uint32_t caseload_get_max_threads(void) {
  return caseload::max_threads();
}

int caseload_cancel_create(caseload_cancel** out) {
  return guard([&] {
    init_out(out, "caseload_cancel_create");
    *out = new caseload_cancel{};
  });
}

void caseload_cancel_free(caseload_cancel* cancel) {
  delete cancel;
}

void caseload_cancel_request(caseload_cancel* cancel) {
  if (cancel != nullptr) cancel->token.request();
}

void caseload_cancel_reset(caseload_cancel* cancel) {
  if (cancel != nullptr) cancel->token.reset();
}

int caseload_cancel_requested(const caseload_cancel* cancel) {
  return cancel != nullptr && cancel->token.requested() ? 1 : 0;
}

}  // extern "C"
