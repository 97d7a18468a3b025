// The atomic file writer (write_file, src/records/files.cpp) as a vendor's
// server relies on it: a failed write leaves the old file whole and says why
// in the system's words; permissions and symbolic links survive a rewrite.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <random>
#include <string>

#if !defined(_WIN32)
#include <sys/resource.h>
#include <sys/stat.h>
#endif

#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "error_of.hpp"

namespace caseload {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("caseload_files_test_" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  [[nodiscard]] size_t entries() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(path)) ++n;
    return n;
  }
};

#if !defined(_WIN32)

TEST(Files, RewriteKeepsThePermissionBits) {
  TempDir dir;
  const std::string path = (dir.path / "health_check.csv").string();
  write_file(path, "first");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  write_file(path, "second");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);  // a private report stays private
  EXPECT_EQ(read_file(path), "second");
}

TEST(Files, FollowsASymbolicLinkAndKeepsIt) {
  TempDir dir;
  fs::create_directories(dir.path / "reports");
  const fs::path real = dir.path / "reports" / "plan.html";
  const fs::path link = dir.path / "latest.html";
  write_file(real.string(), "old");
  fs::create_symlink(fs::path("reports") / "plan.html", link);  // relative, as people make them
  write_file(link.string(), "new");
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(read_file(real.string()), "new");
  EXPECT_EQ(read_file(link.string()), "new");
  // A link to a file not yet there: the file is created where the link points.
  const fs::path dangling = dir.path / "next.csv";
  fs::create_symlink(fs::path("reports") / "next.csv", dangling);
  write_file(dangling.string(), "made");
  EXPECT_TRUE(fs::is_symlink(dangling));
  EXPECT_EQ(read_file((dir.path / "reports" / "next.csv").string()), "made");
}

TEST(Files, AFailedWriteLeavesTheOldFileWholeAndSaysWhy) {
  TempDir dir;
  const std::string path = (dir.path / "league_table.csv").string();
  write_file(path, "the old, good table\n");
  // A file size limit makes the write fail part-way, as a full disk does
  // (SIGXFSZ ignored so that write() reports EFBIG instead of killing us).
  struct rlimit before {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = before;
  small.rlim_cur = 8;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string message = error_of([&] { write_file(path, std::string(4096, 'x')); }, ErrorCode::io);
  ::setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find("cannot write \"" + path + "\": File too large"), std::string::npos) << message;
  EXPECT_EQ(read_file(path), "the old, good table\n");
  EXPECT_EQ(dir.entries(), 1u);  // the temporary file is gone
}

TEST(Files, RefusesToReplaceAFolder) {
  TempDir dir;
  const fs::path folder = dir.path / "out";
  fs::create_directories(folder);
  EXPECT_NE(error_of([&] { write_file(folder.string(), "x"); }, ErrorCode::io).find("not a regular file"),
            std::string::npos);
  EXPECT_TRUE(fs::is_directory(folder));
}

#endif

}  // namespace
}  // namespace caseload
