#include "core/region_code.h"

#include <gtest/gtest.h>

#include <string>

#include "core/actor.h"

namespace sy {
namespace {

TEST(RegionCodeTest, NormalizesSixNineAndTwelveDigits) {
  EXPECT_EQ(normalize_region_code("140924"), "140924000000");
  EXPECT_EQ(normalize_region_code("140924100"), "140924100000");
  EXPECT_EQ(normalize_region_code("140924100002"), "140924100002");
  EXPECT_EQ(normalize_region_code("140924000000"), "140924000000");
}

TEST(RegionCodeTest, RefusesOtherShapes) {
  for (const char* bad : {"", "14092", "1409241", "14092410", "1409241000", "1409241000020",
                          "14092410000a", "140924 ", " 140924", "１４０９２４", "000000",
                          "000000100002", "-14092"}) {
    EXPECT_FALSE(normalize_region_code(bad).has_value()) << bad;
  }
}

TEST(RegionCodeTest, LevelOfACode) {
  EXPECT_EQ(region_level_of("140924000000"), RegionLevel::kCounty);
  EXPECT_EQ(region_level_of("140924100000"), RegionLevel::kTownship);
  EXPECT_EQ(region_level_of("140924100002"), RegionLevel::kVillage);
  EXPECT_STREQ(region_level_name(RegionLevel::kCounty), "county");
  EXPECT_STREQ(region_level_name(RegionLevel::kTownship), "township");
  EXPECT_STREQ(region_level_name(RegionLevel::kVillage), "village");
  EXPECT_STREQ(region_level_label(RegionLevel::kCounty), "县/区");
  EXPECT_STREQ(region_level_label(RegionLevel::kTownship), "乡镇/街道");
  EXPECT_STREQ(region_level_label(RegionLevel::kVillage), "村/社区");
}

TEST(RegionCodeTest, PrefixIsTheSignificantPart) {
  EXPECT_EQ(region_prefix("140924000000"), "140924");
  EXPECT_EQ(region_prefix("140924100000"), "140924100");
  EXPECT_EQ(region_prefix("140924100002"), "140924100002");
}

TEST(RegionCodeTest, SubtreeContainment) {
  const std::string county = "140924000000", fancheng = "140924100000", shahe = "140924101000",
                    dongtai = "140924100002", shahe_village = "140924101001";
  EXPECT_TRUE(region_contains(county, county));
  EXPECT_TRUE(region_contains(county, fancheng));
  EXPECT_TRUE(region_contains(county, dongtai));
  EXPECT_TRUE(region_contains(fancheng, fancheng));
  EXPECT_TRUE(region_contains(fancheng, dongtai));
  EXPECT_FALSE(region_contains(fancheng, shahe));
  EXPECT_FALSE(region_contains(fancheng, shahe_village));
  EXPECT_FALSE(region_contains(fancheng, county));
  EXPECT_TRUE(region_contains(dongtai, dongtai));
  EXPECT_FALSE(region_contains(dongtai, "140924100003"));
  EXPECT_FALSE(region_contains(dongtai, fancheng));
  // Another county with the same township part is outside.
  EXPECT_FALSE(region_contains(county, "140925100000"));
  // Codes that are not normalized never match.
  EXPECT_FALSE(region_contains("140924", fancheng));
  EXPECT_FALSE(region_contains(county, "140924100"));
  EXPECT_FALSE(region_contains("", ""));
}

TEST(RegionCodeTest, ActorScopeUsesTheSubtree) {
  Actor town;
  town.user_id = 7;
  town.region_code = "140924100000";
  EXPECT_TRUE(town.in_scope("140924100002"));
  EXPECT_FALSE(town.in_scope("140924101000"));
  EXPECT_FALSE(town.in_scope("140924000000"));
  EXPECT_EQ(town.scope_prefix(), "140924100");
  EXPECT_FALSE(town.has("user:manage"));
  EXPECT_EQ(town.id_or_null(), 7);

  Actor sys = Actor::system_actor();
  EXPECT_TRUE(sys.in_scope("999999000000"));
  EXPECT_TRUE(sys.has("anything"));
  EXPECT_EQ(sys.scope_prefix(), "");
  EXPECT_FALSE(sys.id_or_null().has_value());
}

}  // namespace
}  // namespace sy
