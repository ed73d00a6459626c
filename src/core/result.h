// Result<T> and Error: how every operation a user can get wrong reports it.
//
// Contract: an Error carries a stable machine code (snake_case, English), a message in Chinese for
// the user, and optionally the input field at fault. Result<T> holds either a T or an Error; Status
// is Result<void>. Exceptions are reserved for bugs and unrecoverable states.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sy {

struct Error {
  std::string code;
  std::string message;
  std::string field;
};

inline Error make_error(std::string code, std::string message, std::string field = {}) {
  return Error{std::move(code), std::move(message), std::move(field)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

inline Status ok_status() { return Status(); }

}  // namespace sy

// Propagates an error from an expression yielding Result<...>/Status.
#define SY_TRY(expr)                                 \
  do {                                               \
    auto sy_try_result_ = (expr);                    \
    if (!sy_try_result_.ok()) return sy_try_result_.error(); \
  } while (0)

#define SY_CONCAT_INNER(a, b) a##b
#define SY_CONCAT(a, b) SY_CONCAT_INNER(a, b)
// Declares `lhs` from a Result's value, or returns its error.
#define SY_ASSIGN(lhs, expr) SY_ASSIGN_IMPL(SY_CONCAT(sy_assign_, __LINE__), lhs, expr)
#define SY_ASSIGN_IMPL(tmp, lhs, expr)            \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.error();              \
  lhs = std::move(tmp).value()
