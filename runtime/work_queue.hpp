// CPU-bound work (opening and signing SET messages) runs here, off the io threads, so a slow RSA
// operation never stalls reads, writes or accepts. A fixed number of threads (asio::thread_pool).
#pragma once

#include <functional>
#include <memory>

namespace setpay::runtime {

class WorkQueue {
 public:
  explicit WorkQueue(unsigned threads);
  ~WorkQueue();  // finishes queued jobs, then joins
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void post(std::function<void()> job);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace setpay::runtime
