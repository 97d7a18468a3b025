// The library's worker threads: one bounded pool per call, a process-wide
// cap on the threads running at once, fallback to fewer threads when the
// system refuses one, and cancellation between blocks.
#include "base/threads.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace caseload {
namespace {

constexpr uint32_t kDefaultMaxThreads = 256;
std::atomic<uint32_t> g_cap{kDefaultMaxThreads};
std::atomic<uint32_t> g_running{0};     // worker threads reserved by calls in progress
std::atomic<int32_t> g_fail_starts{0};  // test hook

// Reserves up to `want` worker threads under the cap; returns how many.
uint32_t reserve(uint32_t want) noexcept {
  uint32_t running = g_running.load();
  for (;;) {
    const uint32_t cap = g_cap.load();
    const uint32_t take = running >= cap ? 0 : std::min(want, cap - running);
    if (take == 0) return 0;
    if (g_running.compare_exchange_weak(running, running + take)) return take;
  }
}

}  // namespace

void set_max_threads(uint32_t cap) noexcept {
  g_cap.store(cap);
}

uint32_t max_threads() noexcept {
  return g_cap.load();
}

namespace threads {

size_t wanted_threads(int32_t requested, size_t n_blocks) noexcept {
  const size_t hw = std::max(1u, std::thread::hardware_concurrency());
  const size_t want = requested > 0 ? static_cast<size_t>(requested) : hw;
  return std::max<size_t>(1, std::min(want, n_blocks));
}

void check_cancel(const Cancel* cancel, const char* what) {
  if (cancel != nullptr && cancel->requested())
    throw Error(ErrorCode::cancelled, std::string(what) + ": cancelled by the caller's token");
}

void fail_next_thread_starts_for_testing(int32_t count) noexcept {
  g_fail_starts.store(count);
}

uint32_t running_threads() noexcept {
  return g_running.load();
}

void run_blocks(size_t n_blocks, int32_t requested, const Cancel* cancel, const char* what,
                const std::function<void(size_t)>& body) {
  if (n_blocks == 0) return;
  std::atomic<size_t> next{0};
  // Lowest failing block so far (n_blocks = none): blocks after it are skipped.
  std::atomic<size_t> first_error{n_blocks};
  std::mutex error_mu;
  std::exception_ptr error;
  auto work = [&]() noexcept {
    for (size_t b = next.fetch_add(1); b < n_blocks; b = next.fetch_add(1)) {
      if (b > first_error.load()) return;  // claimed in order: every later block is after it too
      try {
        check_cancel(cancel, what);
        body(b);
      } catch (...) {
        std::lock_guard lock(error_mu);
        if (b < first_error.load()) {
          first_error.store(b);
          error = std::current_exception();
        }
      }
    }
  };

  const auto extra = static_cast<uint32_t>(std::min<size_t>(wanted_threads(requested, n_blocks) - 1, UINT32_MAX));
  const uint32_t reserved = extra > 0 ? reserve(extra) : 0;
  std::vector<std::thread> pool;
  try {
    pool.reserve(reserved);
    for (uint32_t t = 0; t < reserved; ++t) {
      if (g_fail_starts.load() > 0 && g_fail_starts.fetch_sub(1) > 0)
        throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again), "test hook");
      pool.emplace_back(work);
    }
  } catch (...) {
    // The system refused a thread (or the vector): the threads already
    // running and this one do the work. Not an error: results do not depend
    // on the number of threads.
  }
  work();
  for (auto& th : pool) th.join();
  g_running.fetch_sub(reserved);
  if (error) std::rethrow_exception(error);
}

}  // namespace threads
}  // namespace caseload
