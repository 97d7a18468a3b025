#include "caseload/error.hpp"
#include "caseload/version.hpp"

namespace caseload {

const char* error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok:
      return "ok";
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::parse:
      return "parse";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::duplicate:
      return "duplicate";
    case ErrorCode::limit_exceeded:
      return "limit_exceeded";
    case ErrorCode::io:
      return "io";
    case ErrorCode::internal:
      return "internal";
    case ErrorCode::out_of_memory:
      return "out_of_memory";
    case ErrorCode::cancelled:
      return "cancelled";
  }
  return "unknown";
}

const char* version() noexcept {
  return CASELOAD_VERSION_STRING;
}
int version_number() noexcept {
  return CASELOAD_VERSION_NUMBER;
}

}  // namespace caseload
