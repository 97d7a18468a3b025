// Scores caseload::forecast() on the M3 competition's monthly series
// (1,428 series, horizon 18, season 12) with the M4 competition's sMAPE and
// MASE and the empirical coverage of the 80% and 95% intervals.
//
//   m3_eval [--model NAME]... [--threads N] [--paths N] [--limit N] [--no-calibrate] [--per-series CSV]
//           [--earlier-origin [--shift N]] [FILE]
//
// --per-series writes one row per model and series (id, model used, sMAPE,
// MASE) for looking into where a model gains or loses. --earlier-origin
// scores forecasts of the last 18 training values from the rest instead of
// the competition's test values: a second, earlier forecast period, for
// checking that choices tuned on the test period carry over. With --shift N
// the last N training values are held out and the first 18 of them scored
// (series with fewer than N + 24 training values are left out).
//
// FILE defaults to $CASELOAD_SHARED_DATA/forecast/m3_monthly.json, with
// CASELOAD_SHARED_DATA defaulting to <source dir>/../shared/data.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "caseload/error.hpp"
#include "caseload/forecast.hpp"
#include "base/json.hpp"

namespace {

std::string default_path() {
  const char* env = std::getenv("CASELOAD_SHARED_DATA");
  std::string base = env && *env ? env : std::string(CASELOAD_SOURCE_DIR) + "/../shared/data";
  return base + "/forecast/m3_monthly.json";
}

std::vector<double> numbers(const caseload::json::Value& obj, const char* key, const std::string& id) {
  const auto& arr = caseload::json::require(obj, key, "series \"" + id + "\"");
  if (!arr.is_array())
    throw caseload::Error(caseload::ErrorCode::parse, "series \"" + id + "\": " + key + " must be an array");
  std::vector<double> out;
  for (const auto& v : arr.as_array()) {
    if (!v.is_number())
      throw caseload::Error(caseload::ErrorCode::parse, "series \"" + id + "\": " + key + " must hold numbers");
    out.push_back(v.as_number());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> models;
  int threads = 0, paths = 1000, limit = 0;
  bool calibrate = true, earlier = false;
  int shift = 18;
  std::string path = default_path(), per_series;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "m3_eval: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--model")
      models.push_back(next());
    else if (a == "--threads")
      threads = std::atoi(next().c_str());
    else if (a == "--paths")
      paths = std::atoi(next().c_str());
    else if (a == "--limit")
      limit = std::atoi(next().c_str());
    else if (a == "--per-series")
      per_series = next();
    else if (a == "--earlier-origin")
      earlier = true;
    else if (a == "--shift")
      shift = std::atoi(next().c_str());
    else if (a == "--no-calibrate")
      calibrate = false;
    else
      path = a;
  }
  if (models.empty()) models = {"seasonal_naive", "ets", "theta", "otm", "auto"};

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "m3_eval: cannot read %s (set CASELOAD_SHARED_DATA to the shared data directory)\n",
                 path.c_str());
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<caseload::Series> train;
  std::vector<std::vector<double>> test;
  try {
    const auto doc = caseload::json::parse(ss.str());
    if (!doc.is_object()) throw caseload::Error(caseload::ErrorCode::parse, "m3 file: top level must be an object");
    for (const auto& [id, v] : doc.as_object()) {
      train.push_back({id, numbers(v, "x", id)});
      test.push_back(numbers(v, "xx", id));
      if (limit > 0 && static_cast<int>(train.size()) >= limit) break;
    }
  } catch (const caseload::Error& e) {
    std::fprintf(stderr, "m3_eval: %s\n", e.what());
    return 1;
  }
  const int H = 18, m = 12;
  if (earlier) {
    if (shift < H) {
      std::fprintf(stderr, "m3_eval: --shift must be at least %d, got %d\n", H, shift);
      return 2;
    }
    // Series too short to keep two seasons of history are left out.
    size_t kept = 0;
    for (size_t s = 0; s < train.size(); ++s) {
      auto& x = train[s].y;
      if (static_cast<int>(x.size()) < shift + 2 * m) continue;
      test[kept].assign(x.end() - shift, x.end() - shift + H);
      x.resize(x.size() - shift);
      if (kept != s) train[kept] = std::move(train[s]);  // no self-move
      ++kept;
    }
    train.resize(kept);
    test.resize(kept);
  }
  std::FILE* dump = per_series.empty() ? nullptr : std::fopen(per_series.c_str(), "w");
  if (dump) std::fprintf(dump, "option,id,model,smape,mase\n");
  std::printf("%zu series from %s, horizon %d, season %d, %d paths, calibrate=%d%s\n", train.size(), path.c_str(), H, m,
              paths, calibrate ? 1 : 0, earlier ? ", earlier origin (training values held out)" : "");
  std::printf("%-16s %8s %8s %8s %8s %9s %9s\n", "model", "sMAPE", "MASE", "cov80", "cov95", "width95", "seconds");
  for (const auto& name : models) {
    caseload::ForecastOptions opt;
    opt.horizon = H;
    opt.season_length = m;
    opt.model = name;
    opt.n_paths = paths;
    opt.n_threads = threads;
    opt.calibrate = calibrate;
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<caseload::SeriesForecast> fc;
    try {
      fc = caseload::forecast(train, opt);
    } catch (const caseload::Error& e) {
      std::fprintf(stderr, "m3_eval: %s\n", e.what());
      return 1;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double smape = 0, mase = 0, c80 = 0, c95 = 0, w95 = 0;
    long points = 0;
    for (size_t s = 0; s < train.size(); ++s) {
      const auto& x = train[s].y;
      double scale = 0;
      int cnt = 0;
      for (size_t t = m; t < x.size(); ++t, ++cnt) scale += std::fabs(x[t] - x[t - m]);
      scale /= cnt;
      double se = 0, ae = 0;
      for (int k = 0; k < H; ++k) {
        const double y = test[s][k], f = fc[s].mean[k];
        se += 2 * std::fabs(y - f) / (std::fabs(y) + std::fabs(f));
        ae += std::fabs(y - f);
        c80 += fc[s].lo[0][k] <= y && y <= fc[s].hi[0][k];
        c95 += fc[s].lo[1][k] <= y && y <= fc[s].hi[1][k];
        w95 += (fc[s].hi[1][k] - fc[s].lo[1][k]) / scale;
        ++points;
      }
      smape += 100 * se / H;
      mase += ae / H / scale;
      if (dump)
        std::fprintf(dump, "%s,%s,%s,%.6f,%.6f\n", name.c_str(), train[s].id.c_str(), fc[s].model.c_str(), 100 * se / H,
                     ae / H / scale);
    }
    const double ns = static_cast<double>(train.size());
    std::printf("%-16s %8.3f %8.3f %7.1f%% %7.1f%% %9.2f %9.2f\n", name.c_str(), smape / ns, mase / ns,
                100 * c80 / points, 100 * c95 / points, w95 / points, secs);
    std::fflush(stdout);
  }
  if (dump) std::fclose(dump);
  return 0;
}
