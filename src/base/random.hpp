// Private: every random stream in caseload (sample authorities, forecasts,
// projections, league tables, the searches' random choices) is drawn by the
// generators here. Own code rather than <random> engines + distributions,
// because std:: distributions are implementation-defined and a seed must give
// the same numbers on every platform. Not API.
//
// Four generators, because four streams are published and seeded results
// (demo outputs, test expectations, benchmark tables) depend on each one bit
// for bit; each is written once, here:
//
//   Rng (BasicRng)  the generator: xoshiro256** and its samplers. The league
//                   table uses Rng; the sample authority uses PortableRng, the
//                   same samplers on log/exp built from exactly rounded
//                   operations (det_log, det_exp), so the authority is the
//                   same with any C library.
//   SeriesRng       the forecasts' stream: xoshiro256** keyed by (seed,
//                   series, stream); uniform() in (0, 1), a polar normal that
//                   keeps the pair's second value, below() by scaling.
//   SplitMix64      splitmix64 itself as a one-word generator: the GAP and
//                   allocation searches, the league sample and the incoming
//                   referrals, each starting from its own seed word.
//   CounterRng      counter-based (a pure function of its keys and the draw
//                   number): the capacity projection and the history sample.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace caseload::random {

/// splitmix64's output function (Stafford's variant 13): a bijective mix of
/// one word.
inline constexpr uint64_t mix64(uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// splitmix64 (Steele, Lea & Flood 2014): advances `state` and returns a
/// well-mixed word. Used to expand seeds and as a tiny generator itself.
inline uint64_t splitmix64(uint64_t& state) noexcept {
  return mix64(state += 0x9E3779B97F4A7C15ull);
}

/// 53 random bits as a double in [0, 1).
inline double unit_closed_open(uint64_t bits) noexcept {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}
/// 53 random bits as a double in (0, 1): never 0, so log() is safe.
inline double unit_open(uint64_t bits) noexcept {
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

// ------------------------------------------------------------ portable math

inline constexpr double kLn2 = 0.69314718055994530942;

/// exp from +, -, *, /, floor and ldexp only (all exactly rounded in IEEE
/// 754), so every platform gives the same bits. Accurate to a few ulp,
/// plenty for sampling.
inline double det_exp(double x) {
  if (x < -700) return 0;
  if (x > 700) x = 700;
  const double k = std::floor(x / kLn2 + 0.5);
  const double r = x - k * kLn2;  // |r| <= ln2/2
  double term = 1, sum = 1;
  for (int n = 1; n < 20; ++n) {
    term = term * r / n;
    sum += term;
  }
  return std::ldexp(sum, static_cast<int>(k));
}

/// log of x > 0 from basic operations and frexp only (see det_exp).
inline double det_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2;
    --e;
  }
  const double s = (m - 1) / (m + 1);  // |s| <= 0.172
  const double s2 = s * s;
  double power = s, sum = 0;
  for (int n = 1; n < 40; n += 2) {
    sum += power / n;
    power *= s2;
  }
  return 2 * sum + e * kLn2;
}

/// The C library's log, exp and pow: fast, last bits may differ by platform.
struct StdMath {
  static double log(double x) { return std::log(x); }
  static double exp(double x) { return std::exp(x); }
  static double pow(double x, double y) { return std::pow(x, y); }
};
/// det_log and det_exp: the same bits on every platform.
struct PortableMath {
  static double log(double x) { return det_log(x); }
  static double exp(double x) { return det_exp(x); }
  static double pow(double x, double y) { return det_exp(y * det_log(x)); }
};

/// Marsaglia's polar method on uniforms from `uniform` (in [0, 1) or (0, 1)):
/// returns one standard normal and stores the pair's other, independent one
/// in `second`. One log and one sqrt per pair, no trigonometry.
template <class Math, class Uniform>
double polar_normal(Uniform&& uniform, double& second) {
  for (;;) {
    const double u = 2 * uniform() - 1, v = 2 * uniform() - 1, s = u * u + v * v;
    if (s > 0 && s < 1) {
      const double f = std::sqrt(-2 * Math::log(s) / s);
      second = v * f;
      return u * f;
    }
  }
}

// ------------------------------------------------------------ engines

/// xoshiro256** (Blackman & Vigna 2018), seeded by four splitmix64 words.
class Xoshiro256 {
 public:
  explicit Xoshiro256(uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix64(seed);
  }
  uint64_t next() noexcept {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return unit_closed_open(next()); }
  /// Uniform in (0, 1): never 0, so log() is safe.
  double uniform_open() noexcept { return unit_open(next()); }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// ------------------------------------------------------------ the generator

/// xoshiro256** with the samplers the streams use. `Math` gives the log,
/// exp and pow of the normal, log-normal, gamma and Poisson samplers.
template <class Math>
class BasicRng {
 public:
  explicit BasicRng(uint64_t seed) noexcept : core_(seed) {}

  uint64_t next() noexcept { return core_.next(); }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return core_.uniform(); }
  /// Uniform in (0, 1).
  double uniform_open() noexcept { return core_.uniform_open(); }
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  bool chance(double p) noexcept { return uniform() < p; }

  /// Uniform integer in [0, n), n > 0, unbiased (rejection of the short last block).
  uint64_t below(uint64_t n) noexcept {
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }
  /// Uniform integer in [lo, hi], inclusive.
  int32_t between(int32_t lo, int32_t hi) noexcept {
    return lo + static_cast<int32_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }

  /// Standard normal by the polar method; the pair's second value is
  /// discarded, so every call draws afresh (SeriesRng keeps it).
  double normal() {
    double unused = 0;
    return polar_normal<Math>([this] { return uniform(); }, unused);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  double lognormal(double median, double sigma) { return median * Math::exp(sigma * normal()); }

  /// Gamma(shape, scale) by Marsaglia and Tsang; shape < 1 by the boost
  /// gamma(shape + 1) * U^(1/shape).
  double gamma(double shape, double scale = 1) {
    if (shape < 1) {
      double u = uniform();
      while (u <= 0) u = uniform();
      return gamma(shape + 1, scale) * Math::pow(u, 1 / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9 * d);
    for (;;) {
      double x = 0, v = 0;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (u > 0 && Math::log(u) < 0.5 * x * x + d * (1 - v + Math::log(v))) return d * v * scale;
    }
  }
  double beta(double a, double b) {
    const double x = gamma(a), y = gamma(b);
    return x + y > 0 ? x / (x + y) : 0.5;
  }

  /// Poisson by Knuth's product of uniforms (small means only).
  int32_t poisson(double mean) {
    const double limit = Math::exp(-mean);
    int32_t k = 0;
    double p = uniform();
    while (p > limit && k < 1000) {
      ++k;
      p *= uniform();
    }
    return k;
  }

  /// Index drawn with probability proportional to weights (non-empty, sum > 0).
  size_t pick(const std::vector<double>& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    double u = uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    return weights.size() - 1;
  }

  /// Fisher-Yates, from the back.
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  Xoshiro256 core_;
};

/// The generator, on the C library's log and exp.
using Rng = BasicRng<StdMath>;
/// The generator on det_log and det_exp: the same draws on every platform.
using PortableRng = BasicRng<PortableMath>;

/// The forecasts' stream. Every series gets its own generator keyed by
/// (seed, series index, stream), so results never depend on thread count or
/// scheduling; the key is mixed by splitmix64 into the seed of a
/// xoshiro256** generator. Its samplers differ from Rng's (uniform() is
/// open, normal() keeps the pair's second value, below() scales a uniform),
/// and every forecast's simulated paths depend on them.
class SeriesRng {
 public:
  SeriesRng(uint64_t seed, uint64_t series_index, uint64_t stream) noexcept
      : core_(keyed(seed, series_index, stream)) {}
  uint64_t next() noexcept { return core_.next(); }
  /// Uniform in (0, 1): never 0, so log() is safe.
  double uniform() noexcept { return core_.uniform_open(); }
  /// Standard normal by the polar method, the second of each pair returned
  /// by the next call.
  double normal() noexcept {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    has_spare_ = true;
    return polar_normal<StdMath>([this] { return uniform(); }, spare_);
  }
  /// Uniform integer in [0, n), n > 0.
  uint64_t below(uint64_t n) noexcept { return static_cast<uint64_t>(uniform() * static_cast<double>(n)) % n; }

 private:
  // The key (seed, series, stream) is mixed into one seed word, so streams
  // of neighbouring series are unrelated.
  static uint64_t keyed(uint64_t seed, uint64_t series_index, uint64_t stream) noexcept {
    uint64_t k = seed;
    const uint64_t a = splitmix64(k);
    k ^= series_index * 0xD1B54A32D192ED03ull;
    const uint64_t b = splitmix64(k);
    k ^= stream * 0xAEF17502108EF2D9ull;
    const uint64_t c = splitmix64(k);
    return a ^ (b << 1) ^ (c << 2) ^ series_index ^ (stream << 32);
  }
  Xoshiro256 core_;
  double spare_ = 0;
  bool has_spare_ = false;
};

/// splitmix64 as a generator: one word of state, small and fast. The state
/// starts at the word given; callers salt their seed so that two searches
/// with the same seed draw different streams.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) noexcept : state_(state) {}
  uint64_t next() noexcept { return splitmix64(state_); }
  /// Uniform in [0, n) by the remainder (its bias, below 2^-40 for the
  /// searches' n, is irrelevant there); 0 when n <= 0. Same type as n.
  template <std::integral T>
  T below(T n) noexcept {
    if (n <= T{0}) return T{0};
    return static_cast<T>(next() % static_cast<uint64_t>(n));
  }
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() noexcept { return unit_closed_open(next()); }
  double uniform(double lo, double hi) noexcept {
    return lo + (hi - lo) * static_cast<double>(next() >> 11) * 0x1.0p-53;
  }
  bool chance(double p) noexcept { return uniform() < p; }
  /// One of an array's entries, uniformly (by the remainder).
  template <class T, size_t N>
  const T& pick(const T (&items)[N]) noexcept {
    return items[next() % N];
  }

 private:
  uint64_t state_;
};

/// Counter-based random numbers: the stream of (seed, path, stream, a, b)
/// is a pure function of those keys, so a path's numbers do not depend on
/// which thread runs it or on what other paths drew, and a scenario that
/// changes one part of the model (more referrals) leaves every other draw
/// unchanged (common random numbers).
class CounterRng {
 public:
  CounterRng(uint64_t seed, uint64_t path, uint64_t stream, uint64_t a = 0, uint64_t b = 0) noexcept {
    uint64_t h = mix64(seed + 0x9E3779B97F4A7C15ull);
    h = mix64(h ^ (path + 0x632BE59BD9B4E019ull));
    h = mix64(h ^ (stream * 0xD1B54A32D192ED03ull + 0x8CB92BA72F3D8DD7ull));
    h = mix64(h ^ (a * 0xAEF17502108EF2D9ull + 0x1B03738712FAD5C9ull));
    key_ = mix64(h ^ (b * 0x9FB21C651E98DF25ull + 0x4F1BBCDCBFA53E0Bull));
  }
  uint64_t next() noexcept { return mix64(key_ + 0x9E3779B97F4A7C15ull * ++counter_); }
  /// Uniform in (0, 1): never 0, so logs and conditional targets are safe.
  double uniform() noexcept { return unit_open(next()); }
  bool chance(double p) noexcept { return uniform() < p; }
  /// Poisson(mean): inversion for small means, a rounded normal for large
  /// ones (mean >= 60, where the error is far below Monte Carlo noise).
  int64_t poisson(double mean) {
    if (!(mean > 0)) return 0;
    if (mean >= 60) return std::max<int64_t>(0, std::llround(mean + std::sqrt(mean) * normal()));
    // Inversion by sequential search: exact, and one uniform per draw.
    const double u = uniform();
    double p = std::exp(-mean), cdf = p;
    int64_t k = 0;
    while (u > cdf && k < 10000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
      if (p < 1e-300 && static_cast<double>(k) > mean) break;
    }
    return k;
  }
  /// Box-Muller with the cosine branch only: one normal per two uniforms
  /// keeps the draw a pure function of the counter (no cached second value).
  double normal() {
    const double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t key_ = 0;
  uint64_t counter_ = 0;
};

}  // namespace caseload::random
