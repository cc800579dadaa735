// Injected randomness. Production code takes a RandomSource& and is given SystemRandom (OpenSSL's
// CSPRNG); known-answer vectors and tests give SeededRandom so every output is reproducible.
#pragma once

#include <cstdint>
#include <span>

#include "protocol/bytes.hpp"

namespace setpay::protocol {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::uint8_t> out) = 0;
  Bytes bytes(std::size_t n) {
    Bytes b(n);
    fill(b);
    return b;
  }
};

// OpenSSL's DRBG (RAND_priv_bytes): the only source production code uses.
class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

// Deterministic stream SHA-256(seed || counter) — for vectors and tests only, never for keys in use.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(ByteView seed) : seed_(seed.begin(), seed.end()) {}
  explicit SeededRandom(std::string_view seed) : seed_(seed.begin(), seed.end()) {}
  void fill(std::span<std::uint8_t> out) override;

 private:
  Bytes seed_;
  std::uint64_t counter_ = 0;
  Bytes block_;
  std::size_t used_ = 0;
};

}  // namespace setpay::protocol
