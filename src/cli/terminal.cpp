#include "cli/terminal.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace sy::cli {

Result<std::string> prompt_secret(const std::string& prompt) {
  if (!isatty(STDIN_FILENO)) {
    return make_error("no_terminal", "没有可用的终端来输入密码，请用 --admin-password-file / --password-file 指定密码文件");
  }
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  std::getline(std::cin, line);
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::string> prompt_new_password(const std::string& who) {
  SY_ASSIGN(std::string first, prompt_secret("请输入" + who + "的密码："));
  SY_ASSIGN(std::string second, prompt_secret("请再次输入密码："));
  if (first != second) return make_error("password_mismatch", "两次输入的密码不一致");
  return first;
}

Result<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error("file_unreadable", "无法读取密码文件：" + path, "password_file");
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) return make_error("empty_password", "密码文件为空：" + path, "password_file");
  return line;
}

}  // namespace sy::cli
