#include "runtime/work_queue.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace setpay::runtime {

struct WorkQueue::Impl {
  explicit Impl(unsigned threads) : pool(threads == 0 ? 1 : threads) {}
  boost::asio::thread_pool pool;
};

WorkQueue::WorkQueue(unsigned threads) : impl_(std::make_unique<Impl>(threads)) {}

WorkQueue::~WorkQueue() { impl_->pool.join(); }

void WorkQueue::post(std::function<void()> job) { boost::asio::post(impl_->pool, std::move(job)); }

}  // namespace setpay::runtime
