#include "auth/password.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sy::auth {
namespace {

std::string rule_error(std::string_view pw, std::string_view username = "", Settings s = {}) {
  Status st = check_password_rule(s, pw, username);
  if (st.ok()) return "";
  EXPECT_EQ(st.error().code, "weak_password");
  EXPECT_EQ(st.error().field, "password");
  EXPECT_FALSE(st.error().message.empty());
  return st.error().message;
}

TEST(PasswordRuleTest, AcceptsAGoodPassword) {
  EXPECT_EQ(rule_error("Fanshi#2026"), "");
  EXPECT_EQ(rule_error("kx9#mq2v"), "");   // 8 characters, 3 classes
  EXPECT_EQ(rule_error("Kx9mQ2vR"), "");   // upper, lower, digit
  EXPECT_EQ(rule_error("双拥工作Ab12"), "");  // Chinese counts as a symbol class
}

TEST(PasswordRuleTest, Length) {
  EXPECT_NE(rule_error("Kx9#mQ2").find("8"), std::string::npos);  // 7 characters
  EXPECT_EQ(rule_error("Kx9#mQ2v"), "");
  // Characters, not bytes: 5 characters are 9 bytes here and still too short.
  EXPECT_NE(rule_error("双拥Ab1"), "");
  Settings twelve;
  twelve.password_min_length = 12;
  EXPECT_NE(rule_error("Kx9#mQ2vR7", "", twelve), "");
  EXPECT_EQ(rule_error("Kx9#mQ2vR7zz", "", twelve), "");
  EXPECT_NE(rule_error(std::string(120, 'a') + "B1#" + std::string(10, 'c')), "");  // > 128
}

TEST(PasswordRuleTest, CharacterClasses) {
  EXPECT_NE(rule_error("abcdefgh"), "");
  EXPECT_NE(rule_error("abcdefg1"), "");
  EXPECT_NE(rule_error("ABCDEFG1"), "");
  EXPECT_NE(rule_error("12345678!"), "");
  EXPECT_EQ(rule_error("abcdefg1!"), "");
  Settings two;
  two.password_min_classes = 2;
  EXPECT_EQ(rule_error("mqkzvrtx7", "", two), "");
  Settings four;
  four.password_min_classes = 4;
  EXPECT_NE(rule_error("Kx9mQ2vR", "", four), "");
  EXPECT_EQ(rule_error("Kx9#mQ2vR", "", four), "");
}

TEST(PasswordRuleTest, CommonPasswordsAreRefusedWhateverTheirCase) {
  for (const char* common : {"P@ssw0rd", "Admin@123", "1qaz@WSX", "Aa123456", "Huawei@123",
                             "pASSWORD1", "aDMIN123", "SHUANGYONG@123"}) {
    std::string msg = rule_error(common);
    EXPECT_NE(msg.find("常见"), std::string::npos) << common << ": " << msg;
  }
}

TEST(PasswordRuleTest, MustNotContainTheUsername) {
  EXPECT_NE(rule_error("Zhangsan#2026", "zhangsan").find("用户名"), std::string::npos);
  EXPECT_NE(rule_error("x1ZHANGSAN!", "zhangsan").find("用户名"), std::string::npos);
  EXPECT_EQ(rule_error("Zhangsan#2026", "lisi"), "");
  EXPECT_EQ(rule_error("Zhangsan#2026", ""), "");
}

TEST(PasswordHashTest, Argon2idFormatAndVerify) {
  std::string h = hash_password("Fanshi#2026");
  EXPECT_TRUE(h.starts_with("$argon2id$")) << h;
  EXPECT_NE(h.find("m=19456"), std::string::npos) << h;  // 19 MiB
  EXPECT_NE(h.find("t=2"), std::string::npos) << h;
  EXPECT_EQ(h.find("Fanshi"), std::string::npos);
  EXPECT_TRUE(verify_password(h, "Fanshi#2026"));
  EXPECT_FALSE(verify_password(h, "Fanshi#2027"));
  EXPECT_FALSE(verify_password(h, ""));
  EXPECT_FALSE(verify_password("not a hash", "Fanshi#2026"));
  EXPECT_FALSE(verify_password("", "Fanshi#2026"));
}

TEST(PasswordHashTest, SaltedSoEqualPasswordsHashDifferently) {
  std::string a = hash_password("双拥Ab12#xyz"), b = hash_password("双拥Ab12#xyz");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_password(a, "双拥Ab12#xyz"));
  EXPECT_TRUE(verify_password(b, "双拥Ab12#xyz"));
}

TEST(TokenTest, RandomTokensAre256BitBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string t = random_token();
    ASSERT_EQ(t.size(), 43u);
    for (char c : t) {
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << t;
    }
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(TokenTest, TokenHashIsHexSha256) {
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string t = random_token();
  EXPECT_EQ(token_hash(t), token_hash(t));
  EXPECT_EQ(token_hash(t).size(), 64u);
  EXPECT_NE(token_hash(t), t);
}

}  // namespace
}  // namespace sy::auth
