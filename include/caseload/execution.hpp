// caseload: how long-running calls run: the library's own worker threads and
// cooperative cancellation (docs/hardening.md, "Threads and cancellation").
#pragma once

#include <atomic>
#include <cstdint>

#include "caseload/export.hpp"

namespace caseload {

/// A cancellation flag owned by the caller and shared with running calls
/// through ForecastOptions::cancel, ProjectionOptions::cancel,
/// AllocationOptions::cancel and GapOptions::cancel (a pointer, not an
/// option: it is never read from JSON or compared).
///
/// Thread safety: request(), reset() and requested() may be called from any
/// thread at any time (lock-free atomic; request() is also safe in a signal
/// handler). A call given the token checks it between units of work (the
/// forecast between series, the projection between blocks of 32 paths, the
/// allocation and the GAP solver between search steps) and then throws
/// Error(ErrorCode::cancelled), changing nothing it was given. Ownership: the
/// token must outlive every call given it; the library never resets it, so a
/// requested token cancels every later call until reset().
class Cancel {
 public:
  Cancel() = default;
  Cancel(const Cancel&) = delete;
  Cancel& operator=(const Cancel&) = delete;

  void request() noexcept { flag_.store(true, std::memory_order_relaxed); }
  void reset() noexcept { flag_.store(false, std::memory_order_relaxed); }
  [[nodiscard]] bool requested() const noexcept { return flag_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> flag_{false};
};

/// Process-wide cap on the worker threads the library itself has running at
/// once, over all calls on all threads (the callers' own threads are not
/// counted: each call also works on its calling thread). A call asking for
/// n_threads = 0 uses min(hardware threads, cap + 1) threads; any request is
/// clamped to what the cap leaves free, down to the calling thread alone.
/// Results never depend on it. Default 256; 0 = the library starts no
/// threads. Thread-safe; calls already running keep the threads they have.
CASELOAD_API void set_max_threads(uint32_t cap) noexcept;
CASELOAD_API uint32_t max_threads() noexcept;

}  // namespace caseload
