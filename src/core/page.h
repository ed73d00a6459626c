// Page<T>: one page of a list, as every list endpoint returns it.
#pragma once

#include <cstdint>
#include <vector>

namespace sy {

struct PageRequest {
  int page = 1;   // from 1
  int size = 20;  // 1..200
  int offset() const { return (page - 1) * size; }
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
  int page = 1;
  int size = 20;
};

}  // namespace sy
