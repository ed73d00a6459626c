// Pool<C>: a fixed set of connections lent one at a time (internal to the backends).
//
// Contract:
// - `lend` returns a free connection at once when nobody is waiting; otherwise the caller joins a
//   queue and is served in arrival order (FIFO). A returned connection goes straight to the
//   longest waiter, so a thread that gives a connection back and asks again at once cannot take it
//   before threads that were already waiting (no barging, no starvation: with 64 server workers
//   on 16 connections, unfair hand-off made some requests lose round after round).
// - `try_lend` never waits: a free connection when one is free and nobody is queued, else none.
// - Free connections are reused last-in first-out, which keeps the warmest one busy.
// - Thread-safe; a Lease gives its connection back when it goes out of scope.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace sy::store {

template <typename C>
class Pool {
 public:
  void add(std::unique_ptr<C> c) {
    std::lock_guard<std::mutex> lock(mu_);
    all_.push_back(std::move(c));
    free_.push_back(all_.back().get());
  }

  class Lease {
   public:
    Lease(Pool* pool, C* c) : pool_(pool), c_(c) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease(Lease&& other) noexcept : pool_(other.pool_), c_(other.c_) { other.c_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->give_back(c_);
    }
    C* operator->() { return c_; }
    C& operator*() { return *c_; }

   private:
    Pool* pool_;
    C* c_;
  };

  Lease lend() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!free_.empty() && waiters_.empty()) {
      C* c = free_.back();
      free_.pop_back();
      return Lease(this, c);
    }
    Waiter me;
    waiters_.push_back(&me);
    me.cv.wait(lock, [&] { return me.conn != nullptr; });
    return Lease(this, me.conn);
  }

  std::optional<Lease> try_lend() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty() || !waiters_.empty()) return std::nullopt;
    C* c = free_.back();
    free_.pop_back();
    return std::optional<Lease>(std::in_place, this, c);
  }

  size_t size() const { return all_.size(); }
  // Threads queued in `lend` right now.
  size_t waiting() {
    std::lock_guard<std::mutex> lock(mu_);
    return waiters_.size();
  }

 private:
  // A thread waiting in `lend`; lives on that thread's stack until it has its connection.
  struct Waiter {
    std::condition_variable cv;
    C* conn = nullptr;
  };

  void give_back(C* c) {
    std::lock_guard<std::mutex> lock(mu_);
    if (waiters_.empty()) {
      free_.push_back(c);
      return;
    }
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->conn = c;
    // Notified under the lock: the waiter cannot wake, return and destroy `w` before this line.
    w->cv.notify_one();
  }

  std::mutex mu_;
  std::vector<std::unique_ptr<C>> all_;
  std::vector<C*> free_;
  std::deque<Waiter*> waiters_;
};

}  // namespace sy::store
