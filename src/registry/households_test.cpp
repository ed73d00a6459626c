// 户 service on the backend under test: a clerk puts a spouse into another person's household,
// chooses the head, moves someone out into a household of their own; the rules that refuse
// (head leaving, another village, a dissolved household, stale versions, scope) write nothing.
#include "registry/households.h"

#include <gtest/gtest.h>

#include "core/id_number.h"
#include "registry/persons.h"
#include "setup/setup.h"
#include "test_support.h"

namespace sy::registry {
namespace {

const char* kDongtai = "140924100002";  // 东泰社区, 繁城镇
const char* kFuxin = "140924100003";    // 府新社区, 繁城镇

class Households : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_test_db();
    auto init = setup::initialize(*db_->db, clock_, ids_,
                                  setup::InitOptions{.county = "140924", .admin_password = "First#Pass2026"});
    ASSERT_TRUE(init.ok()) << init.error().message;
  }
  Context as(const std::string& region, std::set<std::string, std::less<>> permissions = {"business:read",
                                                                                          "business:write"}) {
    Actor a;
    a.user_id = 1;
    a.username = "fc_clerk";
    a.region_code = region;
    a.permissions = std::move(permissions);
    return Context{*db_->db, clock_, ids_, a};
  }
  Context clerk() { return as("140924100000"); }  // 繁城镇
  // A person born in 1950 + n with a valid ID number, registered in `village`.
  Person person(const std::string& name, const char* village, int n) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "140924%04d0101%03d", 1950 + n, 100 + n);
    std::string id = std::string(first17) + id_number_check_digit(first17);
    PersonFields f;
    f.name = name;
    f.id_number = id;
    f.region_code = village;
    f.category = CategoryFields{.category = "烈士遗属"};
    auto p = create_person(clerk(), f);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    return p.ok() ? *p : Person{};
  }
  Person reload(const Person& p) { return *get_person(clerk(), p.id); }
  HouseholdView household(std::int64_t id) { return *get_household(clerk(), id); }
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql));
      return ok_status();
    }).ok());
    return n;
  }
  std::int64_t listed_households() {
    auto page = list_households(clerk(), HouseholdQuery{});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }
  // The newest history entry of a person.
  HistoryEntry last_history(const Person& p) {
    auto h = person_history(clerk(), p.id);
    EXPECT_TRUE(h.ok() && !h->empty());
    return h.ok() && !h->empty() ? h->front() : HistoryEntry{};
  }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(Households, SpouseJoinsHeadChangesThenTheFormerHeadMovesOut) {
  Person wang = person("汪军", kDongtai, 1);
  Person li = person("李秀英", kDongtai, 2);
  std::int64_t li_own = li.household_id;
  ASSERT_EQ(listed_households(), 2);

  auto joined = join_household(clerk(), wang.household_id, li.id, li.version);
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  ASSERT_EQ(joined->members.size(), 2u);
  EXPECT_EQ(joined->household.head_name, "汪军");
  EXPECT_EQ(reload(li).household_id, wang.household_id);
  EXPECT_EQ(reload(li).version, li.version + 1);
  // Her former household had nobody else: kept, dissolved, no longer listed.
  HouseholdView left = household(li_own);
  EXPECT_EQ(left.status, "dissolved");
  EXPECT_TRUE(left.members.empty());
  EXPECT_EQ(left.household.head_person_id, 0);
  EXPECT_EQ(listed_households(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM households"), 2);
  HistoryEntry moved = last_history(li);
  EXPECT_EQ(moved.action, "household");
  EXPECT_EQ(moved.changes[0]["field"], "household");
  EXPECT_EQ(moved.changes[0]["new"], "户主 汪军 的户（东泰社区）");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'household.join'"), 1);

  // The head cannot leave while his wife is in the household.
  wang = reload(wang);
  auto refused = split_household(clerk(), wang.id, wang.version);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "head_must_change");
  EXPECT_NE(refused.error().message.find("请先把户主改为其他成员"), std::string::npos);
  EXPECT_EQ(reload(wang).version, wang.version);
  EXPECT_EQ(count("SELECT count(*) FROM households"), 2);

  // A new head, at the household's version.
  int hv = household(wang.household_id).household.version;
  auto stale = set_household_head(clerk(), wang.household_id, li.id, hv - 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");
  auto headed = set_household_head(clerk(), wang.household_id, li.id, hv);
  ASSERT_TRUE(headed.ok()) << headed.error().message;
  EXPECT_EQ(headed->household.head_name, "李秀英");
  EXPECT_EQ(headed->household.version, hv + 1);
  for (const Person& p : {li, wang}) {
    HistoryEntry h = last_history(p);
    EXPECT_EQ(h.changes[0]["field"], "household_head") << p.name;
    EXPECT_EQ(h.changes[0]["old"], "汪军");
    EXPECT_EQ(h.changes[0]["new"], "李秀英");
  }
  auto again = set_household_head(clerk(), wang.household_id, li.id, hv + 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "already_head");

  // Now he may move out into a household of his own.
  wang = reload(wang);
  auto split = split_household(clerk(), wang.id, wang.version);
  ASSERT_TRUE(split.ok()) << split.error().message;
  EXPECT_EQ(split->household.head_person_id, wang.id);
  EXPECT_EQ(split->household.region_code, kDongtai);
  ASSERT_EQ(split->members.size(), 1u);
  EXPECT_NE(split->household.id, li.household_id);
  EXPECT_EQ(reload(wang).household_id, split->household.id);
  HouseholdView hers = household(reload(li).household_id);
  ASSERT_EQ(hers.members.size(), 1u);
  EXPECT_EQ(hers.household.head_name, "李秀英");
  EXPECT_EQ(hers.status, "active");
  EXPECT_EQ(last_history(wang).changes[0]["new"], "独立成户：户主 汪军 的户（东泰社区）");
  EXPECT_EQ(listed_households(), 2);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action IN ('household.head', 'household.split')"), 2);

  // Alone already: nothing to split.
  li = reload(li);
  auto alone = split_household(clerk(), li.id, li.version);
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.error().code, "already_own_household");
}

TEST_F(Households, RefusalsWriteNothing) {
  Person wang = person("汪军", kDongtai, 1);
  Person li = person("李秀英", kDongtai, 2);
  Person zhao = person("赵刚", kFuxin, 3);
  Person sun = person("孙丽", kDongtai, 4);
  std::int64_t audit_before = count("SELECT count(*) FROM audit_log");
  std::int64_t history_before = count("SELECT count(*) FROM person_history");

  auto other_village = join_household(clerk(), wang.household_id, zhao.id, zhao.version);
  ASSERT_FALSE(other_village.ok());
  EXPECT_EQ(other_village.error().code, "household_other_village");
  EXPECT_NE(other_village.error().message.find("府新社区"), std::string::npos);

  auto stale = join_household(clerk(), wang.household_id, li.id, li.version + 1);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, "stale_version");

  auto same = join_household(clerk(), wang.household_id, wang.id, wang.version);
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.error().code, "already_member");

  auto not_member = set_household_head(clerk(), wang.household_id, li.id, household(wang.household_id).household.version);
  ASSERT_FALSE(not_member.ok());
  EXPECT_EQ(not_member.error().code, "not_member");

  auto missing = join_household(clerk(), 12345, li.id, li.version);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "not_found");

  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), audit_before);
  EXPECT_EQ(count("SELECT count(*) FROM person_history"), history_before);
  EXPECT_EQ(reload(li).household_id, li.household_id);
  EXPECT_EQ(reload(zhao).household_id, zhao.household_id);

  // A dissolved household cannot be joined.
  ASSERT_TRUE(join_household(clerk(), wang.household_id, li.id, li.version).ok());
  auto dissolved = join_household(clerk(), li.household_id, sun.id, sun.version);
  ASSERT_FALSE(dissolved.ok());
  EXPECT_EQ(dissolved.error().code, "household_dissolved");
  EXPECT_EQ(reload(sun).household_id, sun.household_id);

  // A deceased member cannot become head.
  li = reload(li);
  ASSERT_TRUE(change_status(clerk(), li.id, StatusChange{"deceased", "2026-11-01", "病故"}, li.version).ok());
  auto dead = set_household_head(clerk(), wang.household_id, li.id, household(wang.household_id).household.version);
  ASSERT_FALSE(dead.ok());
  EXPECT_EQ(dead.error().code, "head_inactive");
}

TEST_F(Households, ScopeAndPermission) {
  Person wang = person("汪军", kDongtai, 1);
  Person li = person("李秀英", kDongtai, 2);
  Context shahe = as("140924101000");  // 砂河镇: another township
  auto outside = join_household(shahe, wang.household_id, li.id, li.version);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, "not_found");
  auto split = split_household(shahe, li.id, li.version);
  ASSERT_FALSE(split.ok());
  EXPECT_EQ(split.error().code, "not_found");
  auto head = set_household_head(shahe, wang.household_id, wang.id, 1);
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.error().code, "not_found");

  // A clerk of 府新社区 sees neither the person nor the household of 东泰社区.
  Context fuxin = as(kFuxin);
  auto village = join_household(fuxin, wang.household_id, li.id, li.version);
  ASSERT_FALSE(village.ok());
  EXPECT_EQ(village.error().code, "not_found");

  Context viewer = as("140924100000", {"business:read"});
  auto read_only = join_household(viewer, wang.household_id, li.id, li.version);
  ASSERT_FALSE(read_only.ok());
  EXPECT_EQ(read_only.error().code, "forbidden");
  EXPECT_EQ(reload(li).household_id, li.household_id);
}

TEST_F(Households, JoiningTakesTheHouseholdFlagsIntoHistory) {
  Person wang = person("汪军", kDongtai, 1);
  Person li = person("李秀英", kDongtai, 2);
  HouseholdChanges flags;
  flags.is_dibao = true;
  flags.version = household(wang.household_id).household.version;
  ASSERT_TRUE(update_household(clerk(), wang.household_id, flags).ok());
  EXPECT_FALSE(reload(li).is_dibao);
  ASSERT_TRUE(join_household(clerk(), wang.household_id, li.id, li.version).ok());
  EXPECT_TRUE(reload(li).is_dibao);
  HistoryEntry h = last_history(li);
  ASSERT_EQ(h.changes.size(), 2u);
  EXPECT_EQ(h.changes[1]["field"], "is_dibao");
  EXPECT_EQ(h.changes[1]["old"], "否");
  EXPECT_EQ(h.changes[1]["new"], "是");
  // Moving out again: a household of one's own starts with no flags.
  li = reload(li);
  auto split = split_household(clerk(), li.id, li.version);
  ASSERT_TRUE(split.ok()) << split.error().message;
  EXPECT_FALSE(reload(li).is_dibao);
  EXPECT_EQ(last_history(li).changes[1]["new"], "否");
}

}  // namespace
}  // namespace sy::registry
