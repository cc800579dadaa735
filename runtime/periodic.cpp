#include "runtime/periodic.hpp"

#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace setpay::runtime {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> job)
    : thread_([interval, job = std::move(job)](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;  // woken only by the stop token
        std::unique_lock lock(mutex);
        while (!stop.stop_requested()) {
          (void)wake.wait_for(lock, stop, interval, [] { return false; });
          if (stop.stop_requested()) break;
          job();
        }
      }) {}

Periodic::~Periodic() { stop(); }

void Periodic::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

}  // namespace setpay::runtime
