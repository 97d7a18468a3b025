// Private: the one way the library runs work on several threads. The
// forecast (series), the projection (blocks of paths, bootstrap replicas)
// and anything else parallel call run_blocks(); nothing else starts a
// std::thread (docs/hardening.md, "Threads and cancellation").
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "caseload/error.hpp"
#include "caseload/execution.hpp"

namespace caseload::threads {

/// Threads a call asking for `requested` (0 = hardware concurrency) would
/// use on `n_blocks` blocks, before the process-wide cap: at least 1, at
/// most n_blocks.
size_t wanted_threads(int32_t requested, size_t n_blocks) noexcept;

/// Runs body(b) for every b in [0, n_blocks) on the calling thread and up to
/// wanted_threads(requested, n_blocks) - 1 worker threads, as many as the
/// process-wide cap (max_threads()) has free. A worker that cannot be
/// started (std::thread throws under a pids or memory limit) is not an
/// error: the started ones and the caller do all the work, so results must
/// not depend on which thread runs a block. Blocks are claimed in increasing
/// order. When body(b) throws, blocks after b are skipped and, once every
/// thread has stopped, the exception of the lowest-numbered failing block is
/// rethrown on the caller (so the error is the one a serial run gives). With
/// `cancel` set, each block first checks it and a requested token fails that
/// block with Error(cancelled) whose message starts with `what`.
void run_blocks(size_t n_blocks, int32_t requested, const Cancel* cancel, const char* what,
                const std::function<void(size_t)>& body);

/// Throws Error(cancelled) naming `what` when `cancel` is set and requested.
void check_cancel(const Cancel* cancel, const char* what);

/// Test hook: the next `count` thread starts fail as if the system refused
/// them (std::system_error). Not API; for tests of the fallback only.
void fail_next_thread_starts_for_testing(int32_t count) noexcept;

/// Worker threads of the library running now (for tests of the cap).
uint32_t running_threads() noexcept;

}  // namespace caseload::threads
