// Peak memory of the JSON parser against the size of its input, for the
// shapes a hostile or a real document can take (docs/hardening.md, "Memory
// per document"). Not a timing benchmark: it prints peak RSS / input bytes.
//
//   json_memory [MiB=64]
//
// Each shape runs in a forked child that builds the text, parses it (the
// parser may reject it: that is the point of the budget) and exits; the
// parent reads the child's peak RSS from wait4. The text itself is counted:
// "peak" is everything the process held, as a server would see it.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "base/json.hpp"
#include "caseload/error.hpp"
#include "caseload/io.hpp"
#include "caseload/synthetic.hpp"

namespace {

using Maker = std::function<std::string(size_t)>;

// Repeats `item` (comma-separated, in one top-level array) up to `bytes`.
std::string repeated(const std::string& item, size_t bytes) {
  std::string s = "[";
  s.reserve(bytes + item.size() + 2);
  while (s.size() + item.size() + 2 < bytes) {
    s += item;
    s += ',';
  }
  s += item;
  s += ']';
  return s;
}

std::string nested(size_t levels) {
  return std::string(levels, '[') + "0" + std::string(levels, ']');
}

// A realistic document: the cases of synthetic authorities, concatenated
// into one array until it reaches `bytes`.
std::string real_cases(size_t bytes) {
  caseload::SyntheticOptions o;
  o.workers = 2000;
  o.history_weeks = 0;
  const std::string one = caseload::cases_to_json(caseload::synthetic_authority(o).cases);
  const size_t open = one.find('['), close = one.rfind(']');
  const std::string body = one.substr(open + 1, close - open - 1);  // without [ ]
  return repeated(body, bytes);
}

struct Shape {
  const char* name;
  Maker make;
};

}  // namespace

int main(int argc, char** argv) {
  const size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 64;
  const size_t bytes = mib << 20;
  caseload::Limits limits;  // the shipped defaults, max_document_bytes 256 MiB
  const std::vector<Shape> shapes = {
      {"nested arrays [[[...0...]]] x 60 levels", [](size_t n) { return repeated(nested(60), n); }},
      {"empty arrays [[],[],...]", [](size_t n) { return repeated("[]", n); }},
      {"small numbers [0,0,...]", [](size_t n) { return repeated("0", n); }},
      {"empty objects [{},{},...]", [](size_t n) { return repeated("{}", n); }},
      {"1 KiB strings", [](size_t n) { return repeated("\"" + std::string(1024, 'x') + "\"", n); }},
      {"16-byte strings", [](size_t n) { return repeated("\"" + std::string(16, 'x') + "\"", n); }},
      {"cases.json (synthetic, real shape)", real_cases},
  };
  std::printf("%-40s %12s %12s %8s  %s\n", "shape", "input MiB", "peak MiB", "ratio", "result");
  for (const Shape& shape : shapes) {
    int fds[2];
    if (pipe(fds) != 0) return 1;
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      const std::string text = shape.make(bytes);
      std::string result;
      try {
        const caseload::json::Value v = caseload::json::parse(text, limits);
        result = "accepted";
      } catch (const caseload::Error& e) {
        result = std::string("rejected: ") + e.what();
      }
      const std::string line = std::to_string(text.size()) + "\n" + result.substr(0, 100);
      if (write(fds[1], line.data(), line.size()) < 0) _exit(1);
      _exit(0);
    }
    close(fds[1]);
    std::string reply;
    char buf[512];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) > 0) reply.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const size_t nl = reply.find('\n');
    const double in = nl == std::string::npos ? 0 : std::strtod(reply.substr(0, nl).c_str(), nullptr);
    const double peak = static_cast<double>(usage.ru_maxrss) * 1024.0;  // KiB on Linux
    std::printf("%-40s %12.1f %12.1f %8.2f  %s\n", shape.name, in / 1048576.0, peak / 1048576.0,
                in > 0 ? peak / in : 0.0, nl == std::string::npos ? "crashed" : reply.substr(nl + 1).c_str());
    std::fflush(stdout);
  }
  return 0;
}
