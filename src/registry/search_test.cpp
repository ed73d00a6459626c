// Person search (registry::search_persons): pinyin and initials, ID suffixes, scope and paging, on
// the backend under test. A search by pinyin or initials alone reads the covering indexes; with
// any other filter it runs the general query; both must give the same rows in the same order.
#include <gtest/gtest.h>

#include <cstdio>

#include "core/id_number.h"
#include "registry/import.h"
#include "registry/persons.h"
#include "setup/setup.h"
#include "test_support.h"

namespace sy::registry {
namespace {

std::string id_number(int i) {
  char first17[32];
  std::snprintf(first17, sizeof first17, "1409241950%02d%02d%03d", 1 + i / 28 % 12, 1 + i % 28, 100 + i);
  return std::string(first17, 17) + id_number_check_digit(std::string_view(first17, 17));
}

class PersonSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    auto init = setup::initialize(*db_->db, clock_, ids_,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
    // 繁城镇 (140924100) and one person in 砂河镇's 惠民社区 (140924101002).
    const char* names[] = {"汪军", "王建军", "魏静", "吴娟", "阿安", "安安", "李明", "王芳"};
    std::string csv = "姓名,身份证号,优抚类别,所属村(社区)\r\n";
    for (int i = 0; i < 8; ++i) {
      csv += std::string(names[i]) + "," + id_number(i) + ",烈属," + (i == 7 ? "140924101002" : "东泰社区") + "\r\n";
    }
    auto r = import_persons(as("140924000000"), csv, ImportOptions{.file_name = "a.csv", .town = "140924"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->created, 8);
  }
  Context as(const std::string& region) {
    Actor a;
    a.user_id = 1;
    a.username = "clerk";
    a.region_code = region;
    a.permissions = {"business:read", "business:write"};
    return Context{*db_->db, clock_, ids_, a};
  }
  // Names of the page, and the total, for a query.
  std::string names(PersonQuery q, const std::string& region = "140924000000") {
    auto page = search_persons(as(region), q);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    if (!page.ok()) return "error";
    std::string out;
    for (const auto& p : page->items) out += p.name + " ";
    return out + "/ " + std::to_string(page->total);
  }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(PersonSearch, InitialsAndPinyinByNameOrder) {
  EXPECT_EQ(names({.q = "wj"}), "王建军 汪军 魏静 吴娟 / 4");
  EXPECT_EQ(names({.q = "WJJ"}), "王建军 / 1");
  EXPECT_EQ(names({.q = "wang"}), "王芳 王建军 汪军 / 3");
  EXPECT_EQ(names({.q = "wangj"}), "王建军 汪军 / 2");
  EXPECT_EQ(names({.q = "xyz"}), "/ 0");
  // 阿安 (aan, aa) and 安安 (anan, aa) match "a" by initials and by pinyin: each counts once.
  EXPECT_EQ(names({.q = "a"}), "阿安 安安 / 2");
}

TEST_F(PersonSearch, PagesAndFiltersGiveTheSameRowsAsTheSearchBox) {
  EXPECT_EQ(names({.q = "wj", .page = PageRequest{2, 2}}), "魏静 吴娟 / 4");
  EXPECT_EQ(names({.q = "wj", .page = PageRequest{3, 2}}), "/ 4");
  // With a filter the general query runs; every person here is 在册 and 烈属.
  EXPECT_EQ(names({.q = "wj", .status = "在册"}), names({.q = "wj"}));
  EXPECT_EQ(names({.q = "a", .category = "烈属"}), names({.q = "a"}));
  EXPECT_EQ(names({.q = "wang", .status = "在册", .page = PageRequest{2, 2}}), "汪军 / 3");
  EXPECT_EQ(names({.q = "wang", .page = PageRequest{2, 2}}), "汪军 / 3");
  EXPECT_EQ(names({.q = "wj", .status = "死亡"}), "/ 0");
}

TEST_F(PersonSearch, ScopeAppliesToEveryKindOfTerm) {
  // 王芳 is in 砂河镇: a 繁城镇 clerk does not see her, by pinyin, initials or ID suffix.
  EXPECT_EQ(names({.q = "wang"}, "140924100000"), "王建军 汪军 / 2");
  EXPECT_EQ(names({.q = "wf"}, "140924100000"), "/ 0");
  EXPECT_EQ(names({.q = "wf"}), "王芳 / 1");
  std::string suffix = id_number(7).substr(14);
  EXPECT_EQ(names({.q = suffix}, "140924100000"), "/ 0");
  EXPECT_EQ(names({.q = suffix}), "王芳 / 1");
  EXPECT_EQ(names({.q = "wang", .region_code = "140924101"}), "王芳 / 1");
  EXPECT_EQ(names({.q = id_number(0)}), "汪军 / 1");
  EXPECT_EQ(names({.q = "汪"}), "汪军 / 1");
}

TEST_F(PersonSearch, ChineseNamesMatchFromTheSurnameElseInside) {
  // Names that start with the term (the surname index) …
  EXPECT_EQ(names({.q = "王"}), "王芳 王建军 / 2");
  EXPECT_EQ(names({.q = "王建"}), "王建军 / 1");
  EXPECT_EQ(names({.q = "安"}), "安安 / 1");  // not 阿安: a name starting with 安 exists
  // … and only when none starts with it, names that contain it.
  EXPECT_EQ(names({.q = "军"}), "王建军 汪军 / 2");
  EXPECT_EQ(names({.q = "建军"}), "王建军 / 1");
  // Within the caller's scope: 王芳 is in 砂河镇, so for a 繁城镇 clerk 王 starts only 王建军.
  EXPECT_EQ(names({.q = "王"}, "140924100000"), "王建军 / 1");
  EXPECT_EQ(names({.q = "芳"}, "140924100000"), "/ 0");
  EXPECT_EQ(names({.q = "芳"}), "王芳 / 1");
  EXPECT_EQ(names({.q = "王", .status = "在册"}), "王芳 王建军 / 2");
}

// A short term that matches thousands ("zh": every 张, 赵, 周, 郑, 朱, 庄, 钟 and 曾华) is put in
// page order by walking the name-order index instead of sorting every match: the pages, ties of
// the same name included, are those of the general query, in the whole county and in one town.
TEST_F(PersonSearch, ManyMatchesComeInTheSameOrderAsTheGeneralQuery) {
  const char* surnames[] = {"张", "赵", "周", "郑", "曾", "朱", "庄", "钟", "王", "李"};
  const char* given[] = {"华", "海", "虎", "红", "辉", "慧", "明", "强"};
  std::string csv = "姓名,身份证号,优抚类别,所属村(社区)\r\n";
  const int rows = 2800;
  for (int i = 0; i < rows; ++i) {
    char first17[32];
    std::snprintf(first17, sizeof first17, "140924%04d%02d%02d%03d", 1930 + i / 336, 1 + i / 28 % 12, 1 + i % 28,
                  100 + i % 800);
    csv += std::string(surnames[i % 10]) + given[i / 10 % 8] + "," + std::string(first17, 17) +
           id_number_check_digit(std::string_view(first17, 17)) + ",烈属," +
           (i % 7 == 0 ? "140924101002" : "东泰社区") + "\r\n";
  }
  auto r = import_persons(as("140924000000"), csv, ImportOptions{.file_name = "b.csv", .town = "140924"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->created, rows);
  auto total = search_persons(as("140924000000"), {.q = "zh"});
  ASSERT_TRUE(total.ok());
  EXPECT_GE(total->total, 2000);  // enough matches for the walk
  for (const char* region : {"140924000000", "140924100000"}) {
    for (int page : {1, 2, 37, 99, 100, 101}) {
      EXPECT_EQ(names({.q = "zh", .page = PageRequest{page, 20}}, region),
                names({.q = "zh", .status = "在册", .page = PageRequest{page, 20}}, region))
          << region << " page " << page;
    }
  }
  EXPECT_EQ(names({.q = "zh", .page = PageRequest{1, 3}}), "曾海 曾海 曾海 / " + std::to_string(total->total));
}

}  // namespace
}  // namespace sy::registry
