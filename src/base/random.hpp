// Private: the one seeded bit generator behind every random stream in
// caseload (sample authorities, forecasts, projections, league tables,
// search). Own code rather than <random> engines + distributions, because
// std:: distributions are implementation-defined and a seed must give the
// same numbers on every platform. Not API.
#pragma once

#include <cstdint>

namespace caseload::random {

/// splitmix64 (Steele, Lea & Flood 2014): advances `state` and returns a
/// well-mixed word. Used to expand seeds and as a tiny generator itself.
inline uint64_t splitmix64(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

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
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1): never 0, so log() is safe.
  double uniform_open() noexcept { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace caseload::random
