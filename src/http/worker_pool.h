// WorkerPool: the server's task queue. cpp-httplib holds one worker per open connection for as
// long as the connection lives (keep-alive included), so a fixed pool can be exhausted by idle
// clients. This pool keeps `min_threads` warm, starts a new worker whenever none is free, up to
// `max_threads`, and lets extra workers go after `idle_exit_ms` without work. Connections beyond
// max_threads wait in the queue until a worker frees up (the job owns the socket, so it cannot be
// dropped without leaking it).
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sy::http {

class WorkerPool : public httplib::TaskQueue {
 public:
  WorkerPool(size_t min_threads, size_t max_threads, int idle_exit_ms = 30000);
  ~WorkerPool() override;
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  size_t threads() const;

 private:
  void work();
  size_t min_, max_;
  int idle_exit_ms_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable exited_;
  std::deque<std::function<void()>> jobs_;
  size_t threads_ = 0;
  size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace sy::http
