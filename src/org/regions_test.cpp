#include "org/regions.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "audit/audit.h"
#include "org/region_data.h"
#include "store/migrate.h"
#include "test_support.h"

namespace sy::org {
namespace {

constexpr const char* kCounty = "140924000000";    // 繁峙县
constexpr const char* kFancheng = "140924100000";  // 繁城镇
constexpr const char* kDongtai = "140924100002";   // 东泰社区居委会, in 繁城镇
constexpr const char* kShahe = "140924101000";     // 砂河镇
constexpr const char* kXishahe = "140924101200";   // 西砂河村委会, in 砂河镇

Actor reader_at(const std::string& region) {
  Actor a;
  a.user_id = 77;
  a.username = "reader";
  a.region_code = region;
  a.permissions = {"region:read"};
  return a;
}

std::unique_ptr<sy::testing::TestDb> migrated_db() {
  auto t = sy::testing::make_test_db();
  auto m = store::migrate(*t->db);
  if (!m.ok()) throw std::runtime_error(m.error().message);
  return t;
}

Result<int> load(const Context& ctx, const std::string& county) {
  int n = 0;
  Status st = ctx.db.transact([&](store::Conn& tx) -> Status {
    SY_ASSIGN(n, load_county(ctx, tx, county));
    return ok_status();
  });
  if (!st.ok()) return st.error();
  return n;
}

TEST(RegionDataTest, ShortNames) {
  EXPECT_EQ(short_region_name("东泰社区居委会"), "东泰社区");
  EXPECT_EQ(short_region_name("东泰社区居民委员会"), "东泰社区");
  EXPECT_EQ(short_region_name("西义村委会"), "西义村");
  EXPECT_EQ(short_region_name("西义村民委员会"), "西义村");
  EXPECT_EQ(short_region_name("东关居民委员会"), "东关社区");
  EXPECT_EQ(short_region_name("东关居委会"), "东关社区");
  // Anything else stays as written.
  EXPECT_EQ(short_region_name("繁城镇"), "繁城镇");
  EXPECT_EQ(short_region_name("繁峙县"), "繁峙县");
  EXPECT_EQ(short_region_name("西砂河村"), "西砂河村");
  EXPECT_EQ(short_region_name("居委会"), "居委会");
  EXPECT_EQ(short_region_name("村委会"), "村委会");
  EXPECT_EQ(short_region_name(""), "");
}

TEST(RegionDataTest, ReadsACountyFromTheBuiltInData) {
  auto data = read_county("140924");
  ASSERT_TRUE(data.ok()) << data.error().message;
  EXPECT_EQ(data->county.code, kCounty);
  EXPECT_EQ(data->county.name, "繁峙县");
  EXPECT_TRUE(data->county.parent_code.empty());
  EXPECT_EQ(data->townships.size(), 11u);
  EXPECT_GT(data->villages.size(), 200u);
  bool found = false;
  for (const auto& v : data->villages) {
    EXPECT_EQ(v.code.size(), 12u);
    EXPECT_TRUE(v.code.starts_with("140924")) << v.code;
    EXPECT_TRUE(v.parent_code.starts_with("140924")) << v.parent_code;
    EXPECT_TRUE(v.code.starts_with(v.parent_code.substr(0, 9))) << v.code;
    if (v.code == kDongtai) {
      found = true;
      EXPECT_EQ(v.name, "东泰社区居委会");
      EXPECT_EQ(v.parent_code, kFancheng);
    }
  }
  EXPECT_TRUE(found);
  // 6, 9 or 12 digits of a county all name the county.
  auto twelve = read_county(kCounty);
  ASSERT_TRUE(twelve.ok());
  EXPECT_EQ(twelve->villages.size(), data->villages.size());
}

TEST(RegionDataTest, RefusesUnknownOrNonCountyCodes) {
  auto unknown = read_county("999999");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_county");
  EXPECT_EQ(unknown.error().field, "county");
  for (const char* bad : {"14092", "abcdef", "140924100", "140924100002", ""}) {
    auto r = read_county(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "invalid_county") << bad;
  }
}

TEST(LoadCountyTest, WritesTheTreeAndItsAuditRow) {
  auto t = migrated_db();
  FixedClock clock(sy::testing::test_now());
  IdGenerator ids(clock, 1);
  Context sys{*t->db, clock, ids, Actor::system_actor("init")};
  auto expected = read_county("140924");
  ASSERT_TRUE(expected.ok());

  auto n = load(sys, "140924");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ(*n, static_cast<int>(1 + expected->townships.size() + expected->villages.size()));

  auto town = get_region(sys, kFancheng);
  ASSERT_TRUE(town.ok()) << town.error().message;
  EXPECT_EQ(town->name, "繁城镇");
  EXPECT_EQ(town->short_name, "繁城镇");
  EXPECT_EQ(town->level, "township");
  EXPECT_EQ(town->parent_code, kCounty);
  EXPECT_TRUE(town->has_children);

  auto village = get_region(sys, kDongtai);
  ASSERT_TRUE(village.ok()) << village.error().message;
  EXPECT_EQ(village->code, kDongtai);
  EXPECT_EQ(village->name, "东泰社区居委会");
  EXPECT_EQ(village->short_name, "东泰社区");
  EXPECT_EQ(village->level, "village");
  EXPECT_EQ(village->parent_code, kFancheng);
  EXPECT_FALSE(village->has_children);

  auto root = root_region(*t->db);
  ASSERT_TRUE(root.ok());
  ASSERT_TRUE(root->has_value());
  EXPECT_EQ((*root)->code, kCounty);
  EXPECT_EQ((*root)->name, "繁峙县");
  EXPECT_EQ((*root)->level, "county");
  EXPECT_TRUE((*root)->parent_code.empty());

  auto audit_rows = audit::search(sys, audit::Query{.action = "region.load"});
  ASSERT_TRUE(audit_rows.ok());
  ASSERT_EQ(audit_rows->total, 1);
  EXPECT_EQ(audit_rows->items[0].entity_id, kCounty);
  EXPECT_EQ(audit_rows->items[0].username, "init");
}

TEST(LoadCountyTest, SecondLoadConflictsAndUnknownCountyWritesNothing) {
  auto t = migrated_db();
  FixedClock clock(sy::testing::test_now());
  IdGenerator ids(clock, 1);
  Context sys{*t->db, clock, ids, Actor::system_actor("init")};

  auto unknown = load(sys, "999999");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "unknown_county");
  auto none = root_region(*t->db);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto first = load(sys, "140924");
  ASSERT_TRUE(first.ok());
  auto again = load(sys, "140924");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "db_conflict");
  auto rows = audit::search(sys, audit::Query{.action = "region.load"});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->total, 1);
}

// Read-only tests share one loaded county.
class RegionScopeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = migrated_db().release();
    clock_ = new FixedClock(sy::testing::test_now());
    ids_ = new IdGenerator(*clock_, 1);
    Context sys{*db_->db, *clock_, *ids_, Actor::system_actor("init")};
    auto n = load(sys, "140924");
    if (!n.ok()) throw std::runtime_error(n.error().message);
  }
  static void TearDownTestSuite() {
    delete db_;
    delete ids_;
    delete clock_;
  }
  Context ctx(Actor a) { return Context{*db_->db, *clock_, *ids_, std::move(a)}; }

  static sy::testing::TestDb* db_;
  static FixedClock* clock_;
  static IdGenerator* ids_;
};
sy::testing::TestDb* RegionScopeTest::db_ = nullptr;
FixedClock* RegionScopeTest::clock_ = nullptr;
IdGenerator* RegionScopeTest::ids_ = nullptr;

TEST_F(RegionScopeTest, TownshipActorSeesOnlyItsSubtree) {
  Context town = ctx(reader_at(kFancheng));
  EXPECT_TRUE(get_region(town, kFancheng).ok());
  auto own_village = get_region(town, kDongtai);
  ASSERT_TRUE(own_village.ok());
  EXPECT_EQ(own_village->short_name, "东泰社区");
  for (const char* outside : {kShahe, kXishahe, kCounty}) {
    auto r = get_region(town, outside);
    ASSERT_FALSE(r.ok()) << outside;
    EXPECT_EQ(r.error().code, "not_found") << outside;
  }
  // The same answer as for a code that does not exist at all.
  auto missing = get_region(town, "140924100999");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, "not_found");
  EXPECT_EQ(missing.error().message, get_region(town, kShahe).error().message);
  auto garbage = get_region(town, "abc");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().code, "not_found");
}

TEST_F(RegionScopeTest, CountyActorSeesEverything) {
  Context county = ctx(reader_at(kCounty));
  for (const char* code : {kCounty, kFancheng, kDongtai, kShahe, kXishahe}) {
    EXPECT_TRUE(get_region(county, code).ok()) << code;
  }
  // Short codes are normalized.
  auto by_six = get_region(county, "140924");
  ASSERT_TRUE(by_six.ok());
  EXPECT_EQ(by_six->code, kCounty);
}

TEST_F(RegionScopeTest, ReadingNeedsRegionRead) {
  Actor no_perm = reader_at(kCounty);
  no_perm.permissions.clear();
  Context c = ctx(no_perm);
  auto r = get_region(c, kFancheng);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "forbidden");
  EXPECT_EQ(search_regions(c, "繁", {}).error().code, "forbidden");
  EXPECT_EQ(list_children(c, "", {}).error().code, "forbidden");
}

TEST_F(RegionScopeTest, ListChildrenWithinScope) {
  Context town = ctx(reader_at(kFancheng));
  auto own = list_children(town, "", {});
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->items.size(), 1u);
  EXPECT_EQ(own->items[0].code, kFancheng);

  auto villages = list_children(town, kFancheng, PageRequest{.page = 1, .size = 200});
  ASSERT_TRUE(villages.ok());
  EXPECT_EQ(villages->total, 47);
  EXPECT_EQ(villages->items.size(), 47u);
  for (const auto& v : villages->items) {
    EXPECT_EQ(v.parent_code, kFancheng);
    EXPECT_EQ(v.level, "village");
  }

  auto page2 = list_children(town, kFancheng, PageRequest{.page = 2, .size = 10});
  ASSERT_TRUE(page2.ok());
  EXPECT_EQ(page2->total, 47);
  ASSERT_EQ(page2->items.size(), 10u);
  EXPECT_EQ(page2->items[0].code, villages->items[10].code);

  auto other = list_children(town, kShahe, {});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "not_found");

  auto county = list_children(ctx(reader_at(kCounty)), kCounty, PageRequest{.page = 1, .size = 50});
  ASSERT_TRUE(county.ok());
  EXPECT_EQ(county->total, 11);
  ASSERT_FALSE(county->items.empty());
  EXPECT_EQ(county->items[0].code, kFancheng);  // in the data's order
  EXPECT_TRUE(county->items[0].has_children);

  auto sys_root = list_children(ctx(Actor::system_actor()), "", {});
  ASSERT_TRUE(sys_root.ok());
  ASSERT_EQ(sys_root->items.size(), 1u);
  EXPECT_EQ(sys_root->items[0].code, kCounty);
}

TEST_F(RegionScopeTest, SearchStaysInScope) {
  Context town = ctx(reader_at(kFancheng));
  Context county = ctx(reader_at(kCounty));

  auto communities = search_regions(town, "社区", PageRequest{.page = 1, .size = 200});
  ASSERT_TRUE(communities.ok());
  EXPECT_GT(communities->total, 0);
  EXPECT_EQ(communities->total, static_cast<std::int64_t>(communities->items.size()));
  for (const auto& r : communities->items) EXPECT_TRUE(r.code.starts_with("140924100")) << r.code;
  auto all_communities = search_regions(county, "社区", PageRequest{.page = 1, .size = 200});
  ASSERT_TRUE(all_communities.ok());
  EXPECT_GT(all_communities->total, communities->total);

  // 砂河 is somebody else's township: nothing for the 繁城镇 actor, by name or by code.
  auto shahe_by_name = search_regions(town, "砂河", {});
  ASSERT_TRUE(shahe_by_name.ok());
  EXPECT_EQ(shahe_by_name->total, 0);
  EXPECT_TRUE(shahe_by_name->items.empty());
  auto shahe_by_code = search_regions(town, "140924101", {});
  ASSERT_TRUE(shahe_by_code.ok());
  EXPECT_EQ(shahe_by_code->total, 0);
  auto county_sees = search_regions(county, "砂河", {});
  ASSERT_TRUE(county_sees.ok());
  EXPECT_GE(county_sees->total, 3);  // 砂河镇, 西砂河村委会, 小砂河村委会

  // Short names are searched too, and code prefixes.
  auto dongtai = search_regions(town, "东泰社区", {});
  ASSERT_TRUE(dongtai.ok());
  ASSERT_EQ(dongtai->total, 1);
  EXPECT_EQ(dongtai->items[0].code, kDongtai);
  auto by_code = search_regions(town, kDongtai, {});
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ(by_code->total, 1);

  // LIKE wildcards typed by a user are literal.
  for (const char* wild : {"%", "_", "繁%"}) {
    auto r = search_regions(county, wild, {});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->total, 0) << wild;
  }
}

TEST_F(RegionScopeTest, SearchPaging) {
  Context county = ctx(reader_at(kCounty));
  auto all = search_regions(county, "村", PageRequest{.page = 1, .size = 200});
  ASSERT_TRUE(all.ok());
  ASSERT_GT(all->total, 20);
  auto p2 = search_regions(county, "村", PageRequest{.page = 2, .size = 10});
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->total, all->total);
  ASSERT_EQ(p2->items.size(), 10u);
  EXPECT_EQ(p2->items[0].code, all->items[10].code);
}

TEST_F(RegionScopeTest, PathShowsAncestorsAboveTheActorsNode) {
  Context town = ctx(reader_at(kFancheng));
  auto path = region_path(town, kDongtai);
  ASSERT_TRUE(path.ok());
  ASSERT_EQ(path->size(), 3u);
  EXPECT_EQ((*path)[0].code, kCounty);
  EXPECT_EQ((*path)[1].code, kFancheng);
  EXPECT_EQ((*path)[2].code, kDongtai);
  auto outside = region_path(town, kXishahe);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, "not_found");
}

TEST_F(RegionScopeTest, CountsFollowScope) {
  auto county = count_regions(ctx(reader_at(kCounty)));
  ASSERT_TRUE(county.ok());
  EXPECT_EQ(county->townships, 11);
  auto data = read_county("140924");
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(county->villages, static_cast<std::int64_t>(data->villages.size()));
  auto town = count_regions(ctx(reader_at(kFancheng)));
  ASSERT_TRUE(town.ok());
  EXPECT_EQ(town->townships, 1);
  EXPECT_EQ(town->villages, 47);
}

}  // namespace
}  // namespace sy::org
