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

void write_file(const std::string& path, std::string_view contents) {
  // A random part keeps concurrent writers (threads or processes) from
  // sharing a temporary name; the rename makes the last writer win whole.
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

}  // namespace caseload
