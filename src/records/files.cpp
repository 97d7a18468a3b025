// Whole-file reads and writes for the record formats and every report: a
// size check before reading, and writes that replace the file atomically.
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "records/csv.hpp"

namespace caseload {
namespace {

std::string show_path(std::string_view path) {
  return csv::show(path, path.size());
}

}  // namespace

std::string read_file(const std::string& path, const Limits& limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(ErrorCode::io, "cannot read " + show_path(path) + ": " + ec.message());
  if (size > limits.max_document_bytes)
    throw Error(ErrorCode::limit_exceeded, show_path(path) + " is " + std::to_string(size) +
                                               " bytes, over the limit of " +
                                               std::to_string(limits.max_document_bytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot open " + show_path(path) + ": " + std::strerror(errno));
  std::string out(static_cast<size_t>(size), '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    throw Error(ErrorCode::io, "cannot read " + show_path(path) + ": file changed while reading");
  return out;
}

#if defined(_WIN32)

void write_file(const std::string& path, std::string_view contents) {
  // Windows: a temporary file renamed over the target (no fsync, mode or
  // symlink handling: those are the POSIX guarantees below).
  static std::atomic<unsigned> counter{0};
  const std::string tmp =
      path + ".tmp" + std::to_string(std::random_device{}()) + "-" + std::to_string(counter.fetch_add(1));
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + std::strerror(errno));
  const bool written = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  const bool closed = std::fclose(f) == 0;
  std::error_code ec;
  if (!written || !closed) {
    std::filesystem::remove(tmp, ec);
    throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": write failed");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + ec.message());
  }
}

#else

namespace {

// The file a write to `path` must replace: `path` itself, or, when it is a
// symbolic link (to a link ...), the file it finally names, so the link
// survives and its target gets the new contents, as `>` in a shell does.
std::string write_target(const std::string& path) {
  std::string target = path;
  for (int hops = 0; hops < 40; ++hops) {  // 40: the kernel's own limit on links followed
    struct stat st {};
    if (::lstat(target.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return target;
    std::error_code ec;
    std::filesystem::path next = std::filesystem::read_symlink(target, ec);
    if (ec) throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + ec.message());
    if (next.is_relative()) next = std::filesystem::path(target).parent_path() / next;
    target = next.string();
  }
  throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + std::strerror(ELOOP));
}

[[noreturn]] void write_failed(const std::string& path, int error, const std::string& tmp) {
  if (!tmp.empty()) ::unlink(tmp.c_str());
  throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": " + std::strerror(error));
}

}  // namespace

void write_file(const std::string& path, std::string_view contents) {
  // The new contents go to a temporary file beside the target, are flushed
  // to disk, and only then renamed over it: a reader sees the old file or
  // the new one, never a part, and a full disk, a crash or a kill leaves the
  // old file as it was. The target keeps its permissions (a report kept at
  // 0600 stays private); a new file gets the usual 0666 less the umask.
  const std::string target = write_target(path);
  struct stat old {};
  const bool exists = ::stat(target.c_str(), &old) == 0;
  if (exists && !S_ISREG(old.st_mode))
    throw Error(ErrorCode::io, "cannot write " + show_path(path) + ": not a regular file");
  // A random part keeps concurrent writers (threads or processes) from
  // sharing a temporary name; the rename makes the last writer win whole.
  static std::atomic<unsigned> counter{0};
  const std::string tmp =
      target + ".tmp" + std::to_string(std::random_device{}()) + "-" + std::to_string(counter.fetch_add(1));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) write_failed(path, errno, "");
  const auto fail = [&](int error) {
    ::close(fd);
    write_failed(path, error, tmp);
  };
  if (exists && ::fchmod(fd, old.st_mode & 07777) != 0) fail(errno);
  const char* p = contents.data();
  size_t left = contents.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);  // e.g. "No space left on device", "File too large"
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(fd) != 0) write_failed(path, errno, tmp);
  if (::rename(tmp.c_str(), target.c_str()) != 0) write_failed(path, errno, tmp);
  // The rename itself is made durable by syncing the folder (best effort: a
  // folder that cannot be opened or synced does not undo a complete write).
  std::string folder = std::filesystem::path(target).parent_path().string();
  if (folder.empty()) folder = ".";
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

#endif

}  // namespace caseload
