#include "auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <semaphore>
#include <stdexcept>

#include "core/text.h"

namespace sy::auth {
namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19u * 1024 * 1024;

// A process-wide bound on concurrent hashing: a resource limit, not application state.
std::counting_semaphore<64>& hashing_slots() {
  static std::counting_semaphore<64> slots(4);
  return slots;
}

struct SlotGuard {
  SlotGuard() { hashing_slots().acquire(); }
  ~SlotGuard() { hashing_slots().release(); }
};

// Frequently used passwords that satisfy length and class rules and must still be refused.
const char* kCommonPasswords[] = {
    "Password1",  "Password123", "P@ssw0rd",   "P@ssword1",  "Passw0rd!",  "Admin123",
    "Admin@123",  "Admin123!",   "admin@123",  "Abc123456",  "Abcd1234",   "Abc@1234",
    "abc@123456", "Qwer1234",    "Qwerty123",  "Qwerty@123", "qwe123QWE",  "1qaz@WSX",
    "1qaz2wsx#",  "1QAZ2wsx",    "Aa123456",   "Aa123456!",  "Aa@123456",  "a123456!",
    "Welcome1",   "Welcome@123", "Test@123",   "Root@123",   "root1234!",  "Huawei@123",
    "Zz123456",   "Asdf1234",    "asdf@1234",  "Woaini520!", "Iloveyou1",  "Changeme1",
    "Shuangyong1", "Shuangyong@123", "China@123", "Beijing@123", "Aa111111",  "Qq123456",
};

}  // namespace

std::string hash_password(std::string_view password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  SlotGuard slot;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id hashing ran out of memory");
  }
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  SlotGuard slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void verify_dummy(std::string_view password) {
  static const std::string kDummy = hash_password("dummy-password-for-timing");
  (void)verify_password(kDummy, password);
}

Status check_password_rule(const Settings& s, std::string_view pw, std::string_view username) {
  // Count characters, not bytes, so Chinese characters count once.
  size_t chars = 0;
  for (unsigned char c : pw) {
    if ((c & 0xC0) != 0x80) ++chars;
  }
  if (chars < static_cast<size_t>(s.password_min_length)) {
    return make_error("weak_password",
                      "密码长度至少 " + std::to_string(s.password_min_length) + " 位", "password");
  }
  if (pw.size() > 128) return make_error("weak_password", "密码不能超过128个字符", "password");
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : pw) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else other = true;
  }
  int classes = lower + upper + digit + other;
  if (classes < s.password_min_classes) {
    return make_error("weak_password",
                      "密码须包含大写字母、小写字母、数字、符号中的至少 " +
                          std::to_string(s.password_min_classes) + " 种",
                      "password");
  }
  auto lower_copy = [](std::string_view v) {
    std::string o(v);
    std::transform(o.begin(), o.end(), o.begin(), [](unsigned char c) { return std::tolower(c); });
    return o;
  };
  std::string lpw = lower_copy(pw);
  for (const char* common : kCommonPasswords) {
    if (lpw == lower_copy(common)) {
      return make_error("weak_password", "该密码过于常见，容易被猜中，请换一个", "password");
    }
  }
  if (!username.empty() && lpw.find(lower_copy(username)) != std::string::npos) {
    return make_error("weak_password", "密码不能包含用户名", "password");
  }
  return ok_status();
}

std::string random_token() {
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  char out[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(out, sizeof out, buf, sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

std::string token_hash(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace sy::auth
