// Handoff: items made on a second thread and used, in order, on the calling thread, through a
// bounded queue. For a large write where reading and computing can run beside the writing: the
// writer keeps the transaction on the calling thread, the producer reads on its own connection.
//
// Contract of run_handoff(capacity, produce, consume):
// - `produce` runs on a new thread and passes each item to the `hand_on` it is given; `consume` is
//   called on the calling thread with each item, in the order handed on. `hand_on` waits while
//   `capacity` items are waiting.
// - The first error of either side stops both. After `consume` fails, `hand_on` answers an error
//   (code "cancelled") so that `produce` returns; after `produce` fails (or throws), the items still
//   waiting are dropped. The answer is consume's error, else produce's, else ok.
// - An exception from either side is rethrown on the calling thread once the producer has
//   stopped; the producer thread is always joined before run_handoff returns.
// - Consumed items are destroyed on the producer's thread (at its next hand_on), where their
//   memory was allocated: freeing it on the other thread makes glibc's malloc lock the producer's
//   arena, and the two threads then queue for it at every allocation.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sy {

template <typename T>
class HandoffQueue {
 public:
  explicit HandoffQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // False when the consumer has given up.
  bool push(T&& item) {
    std::unique_lock<std::mutex> lock(mu_);
    space_.wait(lock, [&] { return cancelled_ || items_.size() < capacity_; });
    if (cancelled_) return false;
    items_.push_back(std::move(item));
    ready_.notify_one();
    return true;
  }

  // The next item; none once the producer has closed and every item is taken, or on cancel.
  std::optional<T> pop() {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return cancelled_ || closed_ || !items_.empty(); });
    if (cancelled_ || items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    space_.notify_one();
    return item;
  }

  void close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }

  void cancel() {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_ = true;
    items_.clear();
    ready_.notify_all();
    space_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<T> items_;
  bool closed_ = false, cancelled_ = false;
};

template <typename T>
using HandOn = std::function<Status(T&&)>;

template <typename T>
Status run_handoff(size_t capacity, const std::function<Status(const HandOn<T>&)>& produce,
                   const std::function<Status(T&)>& consume) {
  HandoffQueue<T> queue(capacity);
  std::mutex spent_mu;
  std::vector<T> spent;  // consumed, waiting to be destroyed by the producer
  Status produced = ok_status();
  std::exception_ptr produce_failure;
  std::thread producer([&] {
    std::vector<T> done;
    try {
      produced = produce([&](T&& item) -> Status {
        {
          std::lock_guard<std::mutex> lock(spent_mu);
          done.swap(spent);
        }
        done.clear();
        if (!queue.push(std::move(item))) return make_error("cancelled", "已取消");
        return ok_status();
      });
    } catch (...) {
      produce_failure = std::current_exception();
    }
    if (produced.ok() && !produce_failure) {
      queue.close();
    } else {
      queue.cancel();
    }
  });
  Status consumed = ok_status();
  std::exception_ptr consume_failure;
  try {
    while (auto item = queue.pop()) {
      consumed = consume(*item);
      if (!consumed.ok()) {
        queue.cancel();
        break;
      }
      std::lock_guard<std::mutex> lock(spent_mu);
      spent.push_back(std::move(*item));
    }
  } catch (...) {
    consume_failure = std::current_exception();
    queue.cancel();
  }
  producer.join();
  if (consume_failure) std::rethrow_exception(consume_failure);
  if (!consumed.ok()) return consumed;
  if (produce_failure) std::rethrow_exception(produce_failure);
  return produced;
}

}  // namespace sy
