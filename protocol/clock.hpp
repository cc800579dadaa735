// Injected time: message dates, certificate validity, replay windows all read a Clock.
#pragma once

#include <chrono>

namespace setpay::protocol {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stays where it is put: vectors, tests, and "what if it were next year" checks.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(TimePoint t) : t_(t) {}
  TimePoint now() const override { return t_; }
  void set(TimePoint t) { t_ = t; }
  void advance(std::chrono::seconds s) { t_ += s; }

 private:
  TimePoint t_;
};

// 2026-01-01T00:00:00Z, the epoch our vectors are minted at.
inline TimePoint vectorEpoch() { return TimePoint(std::chrono::seconds(1767225600)); }

}  // namespace setpay::protocol
