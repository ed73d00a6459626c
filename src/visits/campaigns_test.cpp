// 走访慰问 on the backend under test with a fixed clock (2026-11-22): generating snapshots targets
// (by household and by person, first matching group wins, later registry edits change nothing),
// filters matching nobody write nothing, appending, assignment and its scope refusal, every visit
// outcome and refusal, the hardship case a need opens, coverage and spending figures, the lists.
#include "visits/campaigns.h"

#include <gtest/gtest.h>

#include "cases/cases.h"
#include "core/id_number.h"
#include "registry/households.h"
#include "registry/persons.h"
#include "test_support.h"
#include "visits/visits.h"

namespace sy::visits {
namespace {

const char* kTown = "140924100000";     // 繁城镇
const char* kDongtai = "140924100002";  // 东泰社区
const char* kFuxin = "140924100003";    // 府新社区

class Campaigns : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = testing::make_demo_db(clock_, ids_);
    other_village_ = first_village_outside(kTown);
    // A 烈士遗属 (head) and her husband, a 残疾军人, in one household of 东泰社区.
    wang_ = person("汪秀英", kDongtai, 1, "烈士遗属");
    li_ = person("李国强", kDongtai, 2, "残疾军人", "5", "因公");
    auto joined = registry::join_household(clerk(), wang_.household_id, li_.id, li_.version);
    EXPECT_TRUE(joined.ok()) << joined.error().message;
    // A 残疾军人 in 府新社区 whose household is 低保; an 在乡复员军人 in another township; a 退役士兵.
    zhao_ = person("赵长山", kFuxin, 3, "残疾军人", "8", "因战");
    auto h = registry::get_household(clerk(), zhao_.household_id);
    EXPECT_TRUE(registry::update_household(clerk(), zhao_.household_id,
                                           registry::HouseholdChanges{.is_dibao = true, .version = h->household.version})
                    .ok());
    sun_ = person("孙满仓", other_village_.c_str(), 4, "在乡复员军人", "", "", county());
    person("周立新", kFuxin, 5, "退役士兵");
  }

  Context as(const std::string& username) {
    return Context{*db_->db, clock_, ids_, testing::account_actor(*db_->db, username)};
  }
  Context clerk() { return as("fc_clerk"); }
  Context county() { return as("county_lead"); }
  std::int64_t user_id(const std::string& username) { return as(username).actor.user_id; }

  std::string first_village_outside(const std::string& town) {
    std::string code;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(auto row, c.query_one("SELECT code FROM regions WHERE level = 'village' AND code NOT LIKE ? "
                                      "ORDER BY code LIMIT 1",
                                      {region_prefix(town) + "%"}));
      code = row->str(0);
      return ok_status();
    }).ok());
    return code;
  }
  registry::Person person(const std::string& name, const char* village, int n, const std::string& category,
                          const std::string& grade = "", const std::string& cause = "",
                          std::optional<Context> who = std::nullopt) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "140924%04d0101%03d", 1940 + n, 100 + n);
    registry::PersonFields f;
    f.name = name;
    f.id_number = std::string(first17) + id_number_check_digit(first17);
    f.region_code = village;
    f.phone = "1381234" + std::to_string(1000 + n);
    f.category = registry::CategoryFields{.category = category,
                                          .disability_grade = grade.empty() ? std::nullopt : std::optional(grade),
                                          .disability_cause = cause.empty() ? std::nullopt : std::optional(cause)};
    auto p = registry::create_person(who ? *who : clerk(), f);
    EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
    return p.ok() ? *p : registry::Person{};
  }
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql));
      return ok_status();
    }).ok());
    return n;
  }

  CampaignInput spring(const std::string& unit = "household") {
    return CampaignInput{
        .name = "2026年冬季走访慰问", .occasion = "spring_festival", .starts_on = "2026-11-01", .ends_on = "2026-11-30",
        .unit = unit, .region_code = "", .budget_fen = 200000,
        .groups = {Group{.key = "", .name = "烈士遗属", .cash_fen = 50000, .gifts = "米面油一份",
                         .filter = GroupFilter{.categories = {"martyr_survivor"}}},
                   Group{.key = "", .name = "残疾军人", .cash_fen = 30000, .gifts = "慰问品",
                         .filter = GroupFilter{.categories = {"disabled_veteran"}}},
                   Group{.key = "", .name = "在乡复员军人", .cash_fen = 20000, .gifts = "",
                         .filter = GroupFilter{.categories = {"demobilized_veteran"}}}}};
  }
  Campaign generated(const std::string& unit = "household") {
    auto k = create_campaign(county(), spring(unit));
    EXPECT_TRUE(k.ok()) << k.error().message;
    auto g = generate_campaign(county(), k->id, k->version);
    EXPECT_TRUE(g.ok()) << g.error().message;
    return g.ok() ? *g : Campaign{};
  }
  std::vector<Target> targets(const Context& ctx, std::int64_t id, TargetQuery q = {}) {
    q.page.size = 200;
    auto page = list_targets(ctx, id, q);
    EXPECT_TRUE(page.ok()) << page.error().message;
    return page.ok() ? page->items : std::vector<Target>{};
  }
  Target target_of(std::int64_t campaign, const registry::Person& p) {
    for (const auto& t : targets(county(), campaign))
      if (t.person_id == p.id) return t;
    ADD_FAILURE() << "no target for " << p.name;
    return {};
  }
  NewVisit visit(const Target& t, const std::string& outcome = "visited") {
    return NewVisit{.target_id = t.id, .visited_on = "2026-11-20", .visitors = "李明、村支书", .cash_fen = t.cash_fen,
                    .gifts = t.gifts, .family_said = "身体还好", .outcome = outcome, .cash_note = "", .revisit = false,
                    .need = std::nullopt, .photos = {}};
  }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
  std::string other_village_;
  registry::Person wang_, li_, zhao_, sun_;
};

const std::string kJpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);

TEST_F(Campaigns, GenerateSnapshotsOneTargetPerHouseholdInTheFirstMatchingGroup) {
  auto draft = create_campaign(county(), spring());
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  EXPECT_EQ(draft->status, "draft");
  EXPECT_EQ(draft->region_code, "140924000000");
  EXPECT_EQ(draft->groups[1].key, "g2");
  EXPECT_EQ(count("SELECT count(*) FROM campaign_targets"), 0);
  auto k = generate_campaign(county(), draft->id, draft->version);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->status, "active");
  EXPECT_EQ(k->targets, 3);  // 汪+李 (one household), 赵, 孙; the 退役士兵 matches no group
  EXPECT_EQ(k->visited, 0);
  auto all = targets(county(), k->id);
  ASSERT_EQ(all.size(), 3u);
  Target home = target_of(k->id, wang_);
  EXPECT_EQ(home.group_key, "g1");  // 烈士遗属 comes before 残疾军人
  EXPECT_EQ(home.cash_fen, 50000);
  EXPECT_EQ(home.name, "汪秀英");
  EXPECT_EQ(home.members, (std::vector<std::string>{"汪秀英", "李国强"}));
  EXPECT_EQ(home.categories, std::vector<std::string>{"martyr_survivor"});
  EXPECT_EQ(home.region_name, "东泰社区");
  EXPECT_EQ(home.status, "pending");
  EXPECT_EQ(target_of(k->id, zhao_).group_key, "g2");
  EXPECT_EQ(target_of(k->id, sun_).group_key, "g3");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'campaign.generate'"), 1);
  // Generating twice is refused; a draft's edit after generation too.
  auto again = generate_campaign(county(), k->id, k->version);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "invalid_state");
  auto edit = update_campaign(county(), k->id, spring(), k->version);
  ASSERT_FALSE(edit.ok());
  EXPECT_EQ(edit.error().code, "invalid_state");
}

TEST_F(Campaigns, RegistryEditsAfterGenerationDoNotChangeTheTargets) {
  Campaign k = generated();
  auto fresh = registry::get_person(clerk(), wang_.id);
  registry::PersonFields rename;
  rename.name = "汪秀兰";
  ASSERT_TRUE(registry::update_person(clerk(), wang_.id, rename, fresh->version).ok());
  registry::Person newcomer = person("钱有福", kFuxin, 6, "烈士遗属");
  auto all = targets(county(), k.id);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(target_of(k.id, wang_).name, "汪秀英");
  for (const auto& t : all) EXPECT_NE(t.person_id, newcomer.id);
  // People added later are appended on purpose, once.
  auto added = append_targets(county(), k.id, {newcomer.id, li_.id}, "g1");
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(added->appended, 1);
  ASSERT_EQ(added->skipped.size(), 1u);  // 李 is in 汪's household, already a target
  EXPECT_EQ(added->skipped[0].person_id, li_.id);
  EXPECT_EQ(target_of(k.id, newcomer).appended, true);
  auto twice = append_targets(county(), k.id, {newcomer.id}, "g1");
  EXPECT_EQ(twice->appended, 0);
  EXPECT_EQ(get_campaign(county(), k.id)->targets, 4);
}

TEST_F(Campaigns, ByPersonEveryMatchingPersonIsATarget) {
  Campaign k = generated("person");
  EXPECT_EQ(k.targets, 4);
  EXPECT_EQ(target_of(k.id, li_).group_key, "g2");
  EXPECT_EQ(target_of(k.id, li_).members, std::vector<std::string>{"李国强"});
}

// A person's every active category row counts (the best group wins, every code is copied, in code
// order); an ended category row counts for nothing; a better group beats being the head.
TEST_F(Campaigns, EveryActiveCategoryCountsAndTheBestGroupBeatsTheHead) {
  ASSERT_TRUE(db_->db->transact([&](store::Conn& tx) -> Status {
    SY_TRY(tx.exec("INSERT INTO person_categories (id, person_id, category, status, created_at, updated_at) "
                   "VALUES (?, ?, 'demobilized_veteran', 'active', 0, 0), (?, ?, 'martyr_survivor', 'cancelled', 0, 0)",
                   {ids_.next(), li_.id, ids_.next(), zhao_.id}));
    return ok_status();
  }).ok());
  Campaign by_person = generated("person");
  Target li = target_of(by_person.id, li_);
  EXPECT_EQ(li.group_key, "g2");  // 残疾军人 before 在乡复员军人
  EXPECT_EQ(li.categories, (std::vector<std::string>{"demobilized_veteran", "disabled_veteran"}));
  Target zhao = target_of(by_person.id, zhao_);
  EXPECT_EQ(zhao.group_key, "g2");  // the cancelled 烈士遗属 row does not make him g1
  EXPECT_EQ(zhao.categories, std::vector<std::string>{"disabled_veteran"});
  // 李 becomes the head of 汪's household; 汪 (烈士遗属, g1) still represents it.
  auto h = registry::get_household(clerk(), wang_.household_id);
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(registry::set_household_head(clerk(), wang_.household_id, li_.id, h->household.version).ok());
  Campaign by_household = generated();
  Target home = target_of(by_household.id, wang_);
  EXPECT_EQ(home.group_key, "g1");
  EXPECT_EQ(home.members, (std::vector<std::string>{"汪秀英", "李国强"}));
  for (const auto& t : targets(county(), by_household.id)) EXPECT_NE(t.person_id, li_.id);
}

TEST_F(Campaigns, FiltersByFlagGradeAndVillage) {
  CampaignInput in = spring("person");
  in.groups = {Group{.key = "", .name = "低保户", .cash_fen = 10000, .gifts = "", .filter = GroupFilter{.flags = {"dibao"}}}};
  auto k = create_campaign(county(), in);
  auto g = generate_campaign(county(), k->id, k->version);
  ASSERT_TRUE(g.ok()) << g.error().message;
  ASSERT_EQ(g->targets, 1);
  EXPECT_EQ(targets(county(), g->id)[0].person_id, zhao_.id);

  in.groups = {Group{.key = "", .name = "五级", .cash_fen = 10000, .gifts = "",
                     .filter = GroupFilter{.categories = {"disabled_veteran"}, .grades = {5}}},
               Group{.key = "", .name = "府新社区", .cash_fen = 10000, .gifts = "",
                     .filter = GroupFilter{.region_codes = {kFuxin}}}};
  k = create_campaign(county(), in);
  g = generate_campaign(county(), k->id, k->version);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->targets, 3);  // 李 (grade 5), and in 府新: 赵 and the 退役士兵
  EXPECT_EQ(target_of(g->id, li_).group_key, "g1");
  EXPECT_EQ(target_of(g->id, zhao_).group_key, "g2");
}

TEST_F(Campaigns, FiltersMatchingNobodyWriteNothing) {
  CampaignInput in = spring();
  in.groups = {Group{.key = "", .name = "军转干部", .cash_fen = 10000, .gifts = "",
                     .filter = GroupFilter{.categories = {"transferred_officer"}}}};
  auto k = create_campaign(county(), in);
  ASSERT_TRUE(k.ok());
  auto g = generate_campaign(county(), k->id, k->version);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "no_targets");
  EXPECT_EQ(g.error().message, "没有符合条件的优抚对象，未生成走访对象");
  EXPECT_EQ(count("SELECT count(*) FROM campaign_targets"), 0);
  EXPECT_EQ(get_campaign(county(), k->id)->status, "draft");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'campaign.generate'"), 0);
}

TEST_F(Campaigns, BadCampaignInputIsRefusedWithTheField) {
  CampaignInput in = spring();
  in.ends_on = "2026-10-01";
  auto r = create_campaign(county(), in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_period");
  in = spring();
  in.groups.clear();
  EXPECT_EQ(create_campaign(county(), in).error().code, "no_groups");
  in = spring();
  in.name = " ";
  EXPECT_EQ(create_campaign(county(), in).error().field, "name");
  in = spring();
  in.occasion = "new_year";
  EXPECT_EQ(create_campaign(county(), in).error().field, "occasion");
  in = spring();
  in.groups[0].filter.categories = {"宇航员"};
  EXPECT_EQ(create_campaign(county(), in).error().code, "unknown_category");
  EXPECT_EQ(create_campaign(as("fc_viewer"), spring()).error().code, "forbidden");
  EXPECT_EQ(count("SELECT count(*) FROM campaigns"), 0);
  // Edits carry the version read.
  auto k = create_campaign(county(), spring());
  auto stale = update_campaign(county(), k->id, spring(), k->version + 1);
  EXPECT_EQ(stale.error().code, "stale_version");
  CampaignInput renamed = spring();
  renamed.name = "2026年冬季走访慰问（修订）";
  auto ok = update_campaign(county(), k->id, renamed, k->version);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->name, "2026年冬季走访慰问（修订）");
  EXPECT_EQ(ok->version, k->version + 1);
}

TEST_F(Campaigns, AssignmentByVillageAndTheScopeRefusal) {
  Campaign k = generated();
  auto a = assign_targets(county(), k.id,
                          Assignment{.target_ids = {}, .region_code = kTown, .user_id = user_id("fc_clerk"),
                                     .department = std::string("繁城镇退役军人服务站"), .leader = std::nullopt});
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(*a, 2);  // 汪's household and 赵
  auto mine = my_targets(clerk(), "", PageRequest{});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->total, 2);
  EXPECT_EQ(mine->items[0].campaign_name, "2026年冬季走访慰问");
  EXPECT_EQ(mine->items[0].assignee_name, "李明");
  EXPECT_EQ(mine->items[0].department, "繁城镇退役军人服务站");
  // 孙's village is outside fc_clerk's township; fc_viewer may not record visits at all.
  Target far = target_of(k.id, sun_);
  auto out = assign_targets(county(), k.id, Assignment{.target_ids = {far.id}, .region_code = "",
                                                        .user_id = user_id("fc_clerk")});
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, "assignee_out_of_scope");
  EXPECT_NE(out.error().message.find("李明"), std::string::npos) << out.error().message;
  auto viewer = assign_targets(county(), k.id, Assignment{.target_ids = {target_of(k.id, zhao_).id}, .region_code = "",
                                                           .user_id = user_id("fc_viewer")});
  EXPECT_EQ(viewer.error().code, "assignee_out_of_scope");
  EXPECT_EQ(target_of(k.id, sun_).assignee_id, 0);
  // A leader's name alone; the unassigned filter.
  auto leader = assign_targets(county(), k.id, Assignment{.target_ids = {far.id}, .region_code = "", .user_id = 0,
                                                           .department = std::nullopt, .leader = std::string("王县长")});
  ASSERT_TRUE(leader.ok());
  EXPECT_EQ(target_of(k.id, sun_).leader, "王县长");
  EXPECT_EQ(targets(county(), k.id, TargetQuery{.assignee = "none"}).size(), 1u);
  // A township clerk cannot assign outside their township.
  auto clerk_far = assign_targets(clerk(), k.id, Assignment{.target_ids = {far.id}, .region_code = "",
                                                             .user_id = user_id("fc_clerk")});
  EXPECT_EQ(clerk_far.error().code, "not_found");
}

TEST_F(Campaigns, TownshipUsersSeeOnlyTheirTargetsAndFigures) {
  Campaign k = generated();
  auto seen = get_campaign(clerk(), k.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->targets, 2);
  EXPECT_EQ(targets(clerk(), k.id).size(), 2u);
  auto far = record_visit(clerk(), visit(target_of(k.id, sun_)));
  ASSERT_FALSE(far.ok());
  EXPECT_EQ(far.error().code, "not_found");
  // The township cannot generate or close the county's campaign.
  EXPECT_EQ(close_campaign(clerk(), k.id, k.version).error().code, "forbidden");
}

TEST_F(Campaigns, EachOutcomeUpdatesTheTargetAndIsAudited) {
  Campaign k = generated("person");
  const std::pair<registry::Person*, const char*> outcomes[] = {
      {&wang_, "visited"}, {&li_, "not_home"}, {&zhao_, "moved"}, {&sun_, "declined"}};
  for (const auto& [p, outcome] : outcomes) {
    Target t = target_of(k.id, *p);
    NewVisit v = visit(t, outcome);
    if (std::string(outcome) != "visited") v.cash_fen = 0;
    auto r = record_visit(county(), v);
    ASSERT_TRUE(r.ok()) << outcome << ": " << r.error().message;
    EXPECT_EQ(r->outcome, outcome);
    EXPECT_TRUE(r->warnings.empty());
    Target after = target_of(k.id, *p);
    EXPECT_EQ(after.status, outcome);
    EXPECT_EQ(after.visit_id, r->id);
  }
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'visit.record'"), 4);
  auto figures = get_campaign(county(), k.id);
  EXPECT_EQ(figures->done, 4);
  EXPECT_EQ(figures->visited, 1);
  // Not at home: a second try needs no 补访 and turns the target visited.
  auto retry = record_visit(county(), visit(target_of(k.id, li_)));
  ASSERT_TRUE(retry.ok()) << retry.error().message;
  EXPECT_EQ(target_of(k.id, li_).status, "visited");
}

TEST_F(Campaigns, VisitRefusalsAndWarnings) {
  Campaign k = generated();
  Target t = target_of(k.id, wang_);
  // Cash above the standard needs a note.
  NewVisit over = visit(t);
  over.cash_fen = 60000;
  auto r = record_visit(clerk(), over);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "cash_over_standard");
  EXPECT_EQ(r.error().field, "cash_note");
  // Photos: not an image, too large, too many.
  NewVisit bad_photo = visit(t);
  bad_photo.photos = {NewPhoto{"照片.jpg", std::string("MZ\x90\0\3", 5)}};
  EXPECT_EQ(record_visit(clerk(), bad_photo).error().code, "photo_type");
  NewVisit big = visit(t);
  big.photos = {NewPhoto{"大.jpg", kJpeg + std::string(kMaxPhotoBytes, 'x')}};
  EXPECT_EQ(record_visit(clerk(), big).error().code, "photo_too_large");
  NewVisit many = visit(t);
  for (int i = 0; i < kMaxPhotos + 1; ++i) many.photos.push_back(NewPhoto{"p.jpg", kJpeg});
  EXPECT_EQ(record_visit(clerk(), many).error().code, "photo_limit");
  EXPECT_EQ(count("SELECT count(*) FROM visits"), 0);
  EXPECT_EQ(target_of(k.id, wang_).status, "pending");
  // With a note, a photo and a date before the period: kept, with a warning.
  over.cash_note = "老人住院，经镇党委同意加发";
  over.visited_on = "2026-10-30";
  over.photos = {NewPhoto{"IMG_001.jpg", kJpeg}};
  auto ok = record_visit(clerk(), over);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ(ok->warnings.size(), 1u);
  EXPECT_EQ(ok->warnings[0].code, "outside_period");
  EXPECT_EQ(ok->warnings[0].message, "走访日期不在活动期间（2026-11-01至2026-11-30）内");
  ASSERT_EQ(ok->photos.size(), 1u);
  EXPECT_EQ(ok->photos[0].content_type, "image/jpeg");
  auto photo = get_photo(clerk(), ok->id, ok->photos[0].id);
  ASSERT_TRUE(photo.ok());
  EXPECT_EQ(photo->bytes, kJpeg);
  // A second visit is refused unless it is a 补访.
  auto twice = record_visit(clerk(), visit(t));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, "already_visited");
  EXPECT_EQ(twice.error().message, "该户已于2026-10-30走访，如需再次走访请勾选补访");
  NewVisit revisit = visit(t);
  revisit.revisit = true;
  revisit.outcome = "not_home";
  revisit.cash_fen = 0;
  auto second = record_visit(clerk(), revisit);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->revisit);
  EXPECT_EQ(target_of(k.id, wang_).status, "visited");  // a 补访 does not undo the visit
  auto listed = list_visits(clerk(), 0, t.id);
  EXPECT_EQ(listed->size(), 2u);
  // A future date and a viewer are refused; a closed campaign takes no visits.
  NewVisit future = visit(target_of(k.id, zhao_));
  future.visited_on = "2026-11-23";
  EXPECT_EQ(record_visit(clerk(), future).error().code, "invalid_date");
  EXPECT_EQ(record_visit(as("fc_viewer"), visit(target_of(k.id, zhao_))).error().code, "forbidden");
  auto closed = close_campaign(county(), k.id, get_campaign(county(), k.id)->version);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->status, "closed");
  auto late = record_visit(clerk(), visit(target_of(k.id, zhao_)));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "invalid_state");
}

TEST_F(Campaigns, ANeedOpensAHardshipCaseLinkedBothWays) {
  Campaign k = generated();
  NewVisit v = visit(target_of(k.id, zhao_));
  v.need = Need{"看病报销困难", "老伤复发，希望解决看病报销", "medical"};
  auto r = record_visit(clerk(), v);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_NE(r->case_id, 0);
  auto c = cases::get_case(clerk(), r->case_id);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->c.kind, "hardship");
  EXPECT_EQ(c->c.category, "medical");
  EXPECT_EQ(c->c.applicant.person_id, zhao_.id);
  EXPECT_EQ(c->c.region_code, kFuxin);
  EXPECT_EQ(c->c.source.type, "visit");
  EXPECT_EQ(c->c.source.id, r->id);
  auto data = nlohmann::json::parse(c->c.source.data_json);
  EXPECT_EQ(data["campaign_name"], "2026年冬季走访慰问");
  EXPECT_EQ(data["campaign_id"], std::to_string(k.id));
  EXPECT_NE(c->timeline[0].data_json.find("visit"), std::string::npos);
  // A need without a title writes neither the visit nor a case.
  NewVisit bad = visit(target_of(k.id, wang_));
  bad.need = Need{"", "", ""};
  auto refused = record_visit(clerk(), bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "need.title");
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM visits"), 1);
}

TEST_F(Campaigns, ProgressCountsCoverageSpendingAndWhoWasMissed) {
  Campaign k = generated();
  ASSERT_TRUE(record_visit(county(), visit(target_of(k.id, wang_))).ok());
  NewVisit not_home = visit(target_of(k.id, zhao_), "not_home");
  not_home.cash_fen = 0;
  ASSERT_TRUE(record_visit(county(), not_home).ok());
  auto p = campaign_progress(county(), k.id);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->targets, 3);
  EXPECT_EQ(p->done, 2);
  EXPECT_EQ(p->visited, 1);
  EXPECT_EQ(p->budget_fen, 200000);
  EXPECT_EQ(p->spent_fen, 50000);
  ASSERT_EQ(p->by_village.size(), 3u);
  EXPECT_EQ(p->by_village[0].name, "东泰社区");
  EXPECT_EQ(p->by_village[0].visited, 1);
  EXPECT_EQ(p->by_village[0].spent_fen, 50000);
  EXPECT_EQ(p->by_village[1].visited, 0);
  ASSERT_EQ(p->by_group.size(), 3u);
  EXPECT_EQ(p->by_group[0].targets, 1);
  EXPECT_EQ(p->by_group[0].visited, 1);
  EXPECT_EQ(p->by_group[0].spent_fen, 50000);
  EXPECT_EQ(p->by_group[1].visited, 0);
  ASSERT_FALSE(p->by_category.empty());
  EXPECT_EQ(p->by_category[0].code, "martyr_survivor");
  EXPECT_EQ(p->by_category[0].visited, 1);
  EXPECT_FALSE(p->ended);
  EXPECT_TRUE(p->not_visited.empty());
  // After the period: the two not visited are listed.
  clock_.set(*parse_time_shanghai("2026-12-02T09:00:00+08:00"));
  p = campaign_progress(county(), k.id);
  EXPECT_TRUE(p->ended);
  ASSERT_EQ(p->not_visited.size(), 2u);
  EXPECT_EQ(p->not_visited[0].name, "赵长山");
  // The township's view counts only its own.
  auto mine = campaign_progress(clerk(), k.id);
  EXPECT_EQ(mine->targets, 2);
  EXPECT_EQ(mine->by_village.size(), 2u);
}

TEST_F(Campaigns, ListsAreGroupedByVillageWithTotals) {
  Campaign k = generated();
  auto html = signature_html(county(), k.id);
  ASSERT_TRUE(html.ok()) << html.error().message;
  EXPECT_NE(html->find("签收表"), std::string::npos);
  EXPECT_NE(html->find("东泰社区 小计（1 人）"), std::string::npos);
  EXPECT_NE(html->find("总计（3 人）"), std::string::npos);
  EXPECT_NE(html->find("1000.00"), std::string::npos);  // 500 + 300 + 200
  auto roster = roster_html(county(), k.id);
  ASSERT_TRUE(roster.ok());
  EXPECT_NE(roster->find("汪秀英"), std::string::npos);
  EXPECT_NE(roster->find("未走访"), std::string::npos);
  auto xlsx = signature_xlsx(county(), k.id);
  ASSERT_TRUE(xlsx.ok());
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'campaign.signature_sheet'"), 2);
  auto draft = create_campaign(county(), spring());
  EXPECT_EQ(roster_xlsx(county(), draft->id).error().code, "invalid_state");
}

}  // namespace
}  // namespace sy::visits
