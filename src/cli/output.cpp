#include "cli/output.h"

#include <cstdio>
#include <iostream>

namespace sy::cli {

int fail(const Error& e) {
  std::fprintf(stderr, "错误[%s]：%s\n", e.code.c_str(), e.message.c_str());
  return 1;
}

int usage(const std::string& message) {
  std::fprintf(stderr, "用法错误：%s\n运行 shuangyong --help 查看用法。\n", message.c_str());
  return 2;
}

void print_json(const nlohmann::json& j) { std::cout << j.dump() << std::endl; }

}  // namespace sy::cli
