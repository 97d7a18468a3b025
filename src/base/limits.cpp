// The process-wide default Limits: the one piece of global mutable state in
// caseload (documented in io.hpp). A mutex keeps a reader from seeing a
// half-written struct; readers take a copy, so no reference escapes the lock.
#include <mutex>
#include <string>

#include "caseload/error.hpp"

#include "caseload/io.hpp"

namespace caseload {
namespace {

std::mutex& limits_mutex() noexcept {
  static std::mutex m;
  return m;
}

Limits& limits_storage() noexcept {
  static Limits limits;
  return limits;
}

}  // namespace

Limits default_limits() noexcept {
  // std::mutex::lock only throws on resource deadlock or a broken system,
  // neither of which can happen for a non-recursive lock taken once here.
  std::lock_guard lock(limits_mutex());
  return limits_storage();
}

void check_limits(const Limits& limits) {
  const auto positive = [](uint64_t v, const char* field) {
    if (v == 0) throw Error(ErrorCode::invalid_argument, std::string("limits: ") + field + " must be > 0");
  };
  positive(limits.max_document_bytes, "max_document_bytes");
  positive(limits.max_depth, "max_depth");
  positive(limits.max_records, "max_records");
  positive(limits.max_string_bytes, "max_string_bytes");
  if (limits.max_depth > max_depth_ceiling)
    throw Error(ErrorCode::invalid_argument, "limits: max_depth " + std::to_string(limits.max_depth) +
                                                 " is above the ceiling of " + std::to_string(max_depth_ceiling) +
                                                 " (deeper nesting could overflow a 1 MiB thread stack)");
}

void set_default_limits(const Limits& limits) {
  check_limits(limits);
  std::lock_guard lock(limits_mutex());
  limits_storage() = limits;
}

}  // namespace caseload
