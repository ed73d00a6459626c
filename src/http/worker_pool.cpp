#include "http/worker_pool.h"

namespace sy::http {

WorkerPool::WorkerPool(size_t min_threads, size_t max_threads, int idle_exit_ms)
    : min_(min_threads), max_(max_threads), idle_exit_ms_(idle_exit_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < min_; ++i) {
    ++threads_;
    std::thread([this] { work(); }).detach();
  }
}

WorkerPool::~WorkerPool() { shutdown(); }

size_t WorkerPool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return threads_;
}

void WorkerPool::enqueue(std::function<void()> fn) {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return;
  jobs_.push_back(std::move(fn));
  if (idle_ < jobs_.size() && threads_ < max_) {
    ++threads_;
    std::thread([this] { work(); }).detach();
  } else {
    cv_.notify_one();
  }
}

void WorkerPool::shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_ && threads_ == 0) return;
  stopping_ = true;
  cv_.notify_all();
  exited_.wait(lock, [&] { return threads_ == 0; });
}

void WorkerPool::work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ++idle_;
    bool got = cv_.wait_for(lock, std::chrono::milliseconds(idle_exit_ms_),
                            [&] { return stopping_ || !jobs_.empty(); });
    --idle_;
    if (!got && threads_ > min_) break;  // idle too long and more than the warm minimum
    if (jobs_.empty()) {
      if (stopping_) break;
      continue;
    }
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
  --threads_;
  exited_.notify_all();
}

}  // namespace sy::http
