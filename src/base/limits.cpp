// The process-wide default Limits: the one piece of global mutable state in
// caseload (documented in io.hpp). A mutex keeps a reader from seeing a
// half-written struct; readers take a copy, so no reference escapes the lock.
#include <mutex>

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

void set_default_limits(const Limits& limits) noexcept {
  std::lock_guard lock(limits_mutex());
  limits_storage() = limits;
}

}  // namespace caseload
