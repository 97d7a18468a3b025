// caseload: safe, weighted social-work caseloads.
// Error type shared by every C++ entry point.
#pragma once

#include <stdexcept>
#include <string>

#include "caseload/export.hpp"

namespace caseload {

/// Error categories. The numeric values are the C API's status codes, so
/// they are stable: never renumber, only append.
enum class ErrorCode : int {
  ok = 0,
  invalid_argument = -1,  ///< a value out of its documented range
  parse = -2,             ///< malformed JSON or CSV text
  not_found = -3,         ///< an id that names no record (unknown worker, case type)
  duplicate = -4,         ///< an id given twice
  limit_exceeded = -5,    ///< input larger or deeper than the configured limits
  io = -6,                ///< a file could not be read or written
  internal = -7,          ///< a bug in caseload; please report it
  out_of_memory = -8,
  cancelled = -9,  ///< stopped by the caller's Cancel token (execution.hpp); nothing was changed
};

/// Static English name of a code ("invalid_argument"); never NULL.
CASELOAD_API const char* error_code_name(ErrorCode code) noexcept;

/// Thrown by every caseload function that can fail. what() names the record
/// and the field, e.g. `worker "W17": fte must be in (0, 1.5], got -0.2`.
/// A function that throws leaves every object it was given unchanged.
class CASELOAD_API Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace caseload
