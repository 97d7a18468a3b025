// The shared part of the C API's implementation (bindings/c/caseload_c*.cpp):
// the opaque handles, the thread-local last error, guard() which turns any
// exception into a status code, and the argument and out-parameter checks.
// Each capability's caseload_c_<capability>.cpp defines its own entry points.
#pragma once

#include "caseload/caseload.h"

// caseload.h restates version.hpp's version macros (it cannot include C++).
// Drop the C ones so version.hpp defines them again without a redefinition;
// caseload_c.cpp checks that the two headers agree.
#undef CASELOAD_VERSION_MAJOR
#undef CASELOAD_VERSION_MINOR
#undef CASELOAD_VERSION_PATCH
#undef CASELOAD_VERSION_NUMBER
#undef CASELOAD_VERSION_STRING

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "base/json.hpp"
#include "caseload/caseload.hpp"

struct caseload_scheme {
  caseload::WeightingScheme scheme;
};

struct caseload_model {
  caseload::Caseload model;
};

struct caseload_snapshots {
  std::vector<caseload::Snapshot> rows;
};

struct caseload_health_check {
  caseload::HealthCheck hc;
};

struct caseload_cancel {
  caseload::Cancel token;
};

// Shared by several files, so not in an unnamed namespace; the library hides
// every symbol not marked CASELOAD_C_API (CMAKE_CXX_VISIBILITY_PRESET hidden),
// so none of it is exported.
namespace caseload_c {

using caseload::Error;
using caseload::ErrorCode;

// ---- Thread-local last error (caseload_c.cpp) ---------------------------------

struct LastError {
  int code = CASELOAD_OK;
  std::string message;
  // Used when the message itself cannot be stored (allocation failed).
  const char* fallback = nullptr;
};

LastError& last_error() noexcept;
void clear_error() noexcept;
int set_error(int code, const char* message) noexcept;

/// Runs `body` and maps whatever it throws to a status code.
template <class F>
int guard(F&& body) noexcept {
  clear_error();
  try {
    body();
    return CASELOAD_OK;
  } catch (const Error& e) {
    int code = static_cast<int>(e.code());
    // A core bug could throw Error(ok); the caller must still see a failure.
    if (code >= 0 || code < CASELOAD_ECANCELLED) code = CASELOAD_EINTERNAL;
    return set_error(code, e.what());
  } catch (const std::bad_alloc&) {
    return set_error(CASELOAD_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    std::string msg;
    try {
      msg = std::string("internal error: ") + e.what();
    } catch (...) {
      return set_error(CASELOAD_EINTERNAL, "internal error");
    }
    return set_error(CASELOAD_EINTERNAL, msg.c_str());
  } catch (...) {
    return set_error(CASELOAD_EINTERNAL, "internal error: unknown exception");
  }
}

// ---- Arguments and out-parameters ------------------------------------------

[[noreturn]] inline void throw_null(const char* function, const char* parameter) {
  throw Error(ErrorCode::invalid_argument, std::string(function) + ": " + parameter + " must not be NULL");
}

template <class T>
void require_arg(const T* p, const char* function, const char* parameter) {
  if (p == nullptr) throw_null(function, parameter);
}

/// A malloc'd copy, so the caller frees it with caseload_string_free (free)
/// whatever C++ allocator the library uses internally.
inline char* dup_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

/// Common prologue of functions with a `char** out`: checks it and clears it.
inline void init_out(char** out, const char* function) {
  if (out == nullptr) throw_null(function, "out");
  *out = nullptr;
}

template <class H>
void init_out(H** out, const char* function) {
  if (out == nullptr) throw_null(function, "out");
  *out = nullptr;
}

/// The token of a caller's caseload_cancel, or null (not cancellable).
inline const caseload::Cancel* token_of(const caseload_cancel* cancel) noexcept {
  return cancel != nullptr ? &cancel->token : nullptr;
}

inline std::string to_text(const caseload::json::Value& v) {
  return caseload::json::dump(v);
}

inline caseload::Date parse_as_of(const char* as_of, const char* function) {
  require_arg(as_of, function, "as_of");
  return caseload::Date::parse(as_of, "as_of");
}

inline caseload::WeightingScheme scheme_or_default(const caseload_scheme* scheme) {
  return scheme != nullptr ? scheme->scheme : caseload::WeightingScheme::default_scheme();
}

}  // namespace caseload_c
