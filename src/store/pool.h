// Pool<C>: a fixed set of connections lent one at a time (internal to the backends).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
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
    ~Lease() { pool_->give_back(c_); }
    C* operator->() { return c_; }
    C& operator*() { return *c_; }

   private:
    Pool* pool_;
    C* c_;
  };

  Lease lend() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    C* c = free_.back();
    free_.pop_back();
    return Lease(this, c);
  }

  size_t size() const { return all_.size(); }

 private:
  void give_back(C* c) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(c);
    }
    cv_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<C>> all_;
  std::vector<C*> free_;
};

}  // namespace sy::store
