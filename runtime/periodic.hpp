// A job run every `interval` on a thread of its own until stop() (a service's drain) or destruction: the
// merchant's capture round and its sweep of abandoned orders. A job never overlaps itself; an exception
// from it is the job's to handle (the loop would end: wrap the body).
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace setpay::runtime {

class Periodic {
 public:
  Periodic(std::chrono::milliseconds interval, std::function<void()> job);
  ~Periodic();  // stop()
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  void stop();  // wakes the thread at once and joins it; a running job finishes first

 private:
  std::jthread thread_;
};

}  // namespace setpay::runtime
