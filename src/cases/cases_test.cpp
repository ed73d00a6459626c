// Cases on the backend under test with a fixed clock (2026-11-22, a Sunday): deadlines on the
// shipped calendar, every allowed and refused transition, roles, stale versions, required fields,
// attachments by content, escalation to the township's 业务管理员, data scope.
#include "cases/cases.h"

#include <gtest/gtest.h>

#include <set>

#include "cases/attachment_check.h"
#include "calendar/calendar.h"
#include "core/text.h"
#include "test_support.h"

namespace sy::cases {
namespace {

const char* kTown = "140924100000";
const char* kVillage = "140924100002";

class Cases : public ::testing::Test {
 protected:
  void SetUp() override { db_ = testing::make_demo_db(clock_, ids_); }

  // The demo user with the permissions of their role.
  Context as(const std::string& username) {
    return Context{*db_->db, clock_, ids_, testing::account_actor(*db_->db, username)};
  }
  Context system() { return Context{*db_->db, clock_, ids_, Actor::system_actor()}; }
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(n, c.query_int(sql));
      return ok_status();
    }).ok());
    return n;
  }
  NewCase rights(std::string registered_on = "") {
    return NewCase{.kind = "rights", .category = "pension", .title = "抚恤金未按时发放", .description = "九月起未到账",
                   .region_code = kVillage,
                   .applicant = Applicant{.type = "individual", .person_id = 0, .name = "汪军", .phone = "13812341234", .unit = ""},
                   .registered_on = std::move(registered_on)};
  }
  NewCase hazard() {
    return NewCase{.kind = "hazard", .category = "building", .title = "村委会旧楼外墙开裂", .description = "雨后裂缝扩大",
                   .region_code = kVillage, .applicant = {}, .registered_on = ""};
  }
  CaseDetail make(const NewCase& n) {
    auto r = create_case(as("fc_clerk"), n);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return *r;
  }
  Result<CaseDetail> step(const std::string& user, const CaseDetail& d, const std::string& action, ActionInput in) {
    in.version = d.c.version;
    return act(as(user), d.c.id, action, in);
  }
  CaseDetail must(Result<CaseDetail> r) {
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : CaseDetail{};
  }
  std::string other_town() {
    std::string code;
    EXPECT_TRUE(db_->db->read([&](store::Conn& c) -> Status {
      SY_ASSIGN(auto row, c.query_one("SELECT code FROM regions WHERE level = 'township' AND code <> ? ORDER BY code",
                                      {std::string(kTown)}));
      code = row->str(0);
      return ok_status();
    }).ok());
    return code;
  }
  void set_today(const char* iso) { clock_.set(*parse_time_shanghai(iso)); }

  FixedClock clock_{testing::test_now()};
  IdGenerator ids_{clock_};
  std::unique_ptr<testing::TestDb> db_;
};

TEST_F(Cases, RegistrationStartsTheAcceptDeadlineInWorkingDays) {
  CaseDetail d = make(rights());
  EXPECT_EQ(d.c.number, "WQ-2026-0001");
  EXPECT_EQ(d.c.status, "registered");
  EXPECT_EQ(d.c.registered_on, "2026-11-22");
  ASSERT_TRUE(d.c.deadline);
  EXPECT_EQ(d.c.deadline->stage, "accept");
  EXPECT_EQ(d.c.deadline->due_date, "2026-11-25");  // Sunday + 3 working days
  EXPECT_EQ(d.c.deadline->days_left, 3);
  EXPECT_EQ(d.c.deadline->state, "normal");
  ASSERT_EQ(d.timeline.size(), 1u);
  EXPECT_EQ(d.timeline[0].action, "register");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'case.register'"), 1);
  EXPECT_EQ(make(rights()).c.number, "WQ-2026-0002");

  // Registered on the eve of the National Day holiday: 10/8, 10/9 and the 调休 Saturday 10/10.
  CaseDetail late = make(rights("2026-09-30"));
  EXPECT_EQ(late.c.deadline->due_date, "2026-10-10");
  EXPECT_EQ(late.c.deadline->state, "overdue");
  EXPECT_LT(*late.c.deadline->days_left, 0);
  // 临期: due Wednesday 11-25, seen on Monday 11-23: two working days are left.
  set_today("2026-11-23T09:00:00+08:00");
  auto again = get_case(as("fc_viewer"), d.c.id);
  EXPECT_EQ(again->c.deadline->days_left, 2);
  EXPECT_EQ(again->c.deadline->state, "due_soon");
}

TEST_F(Cases, AYearWithoutCalendarIsRefusedNamingIt) {
  set_today("2026-12-30T10:00:00+08:00");
  auto r = create_case(as("fc_clerk"), rights());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "calendar_missing");
  EXPECT_EQ(r.error().message, "缺少2027年的节假日安排，请先录入");
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 0);
  Context admin = system();
  admin.actor.permissions.insert("calendar:manage");
  ASSERT_TRUE(calendar::put_year(admin, 2027, "测试", {"2027-01-01"}, {}, std::nullopt).ok());
  CaseDetail d = make(rights());
  EXPECT_EQ(d.c.deadline->due_date, "2027-01-05");  // 12/31, (1/1 off), 1/4, 1/5
}

TEST_F(Cases, RightsCaseGoesThroughEveryStepAndDissatisfactionReopensIt) {
  CaseDetail d = make(rights());
  std::vector<std::string> steps;
  for (const auto& s : d.next_steps) steps.push_back(s.action);
  EXPECT_TRUE(steps == std::vector<std::string>{}) << "a clerk may not accept";
  auto lead_view = get_case(as("fc_lead"), d.c.id);
  ASSERT_EQ(lead_view->next_steps.size(), 2u);
  EXPECT_EQ(lead_view->next_steps[0].action, "accept");
  EXPECT_EQ(lead_view->next_steps[1].action, "reject");

  EXPECT_EQ(step("fc_clerk", d, "accept", {}).error().code, "forbidden");
  d = must(step("fc_lead", d, "accept", {.note = "属实，予以受理"}));
  EXPECT_EQ(d.c.status, "accepted");
  EXPECT_EQ(d.c.deadline->stage, "resolve");
  EXPECT_EQ(d.c.deadline->due_date, "2026-12-11");  // 15 working days from Sunday 11-22
  EXPECT_EQ(step("fc_clerk", d, "assign", {.department = "县退役军人事务局"}).error().field, "handler");
  d = must(step("fc_clerk", d, "assign", {.department = "县退役军人事务局", .handler = "王芳"}));
  EXPECT_EQ(d.c.status, "in_progress");
  EXPECT_EQ(d.c.handler, "王芳");
  d = must(step("fc_clerk", d, "note", {.note = "已联系县局核实发放名单"}));
  EXPECT_EQ(d.c.status, "in_progress");
  EXPECT_EQ(step("fc_clerk", d, "resolve", {}).error().field, "result");
  d = must(step("fc_clerk", d, "resolve", {.result = "已补发九至十一月抚恤金"}));
  EXPECT_EQ(d.c.status, "resolved");
  EXPECT_FALSE(d.c.deadline);
  EXPECT_EQ(step("fc_clerk", d, "visit", {.satisfaction = "dissatisfied"}).error().field, "note");
  clock_.advance_ms(3LL * 24 * 3600 * 1000);  // Wednesday 11-25
  d = must(step("fc_clerk", d, "visit", {.note = "十二月仍未到账", .satisfaction = "dissatisfied"}));
  EXPECT_EQ(d.c.status, "in_progress");
  EXPECT_EQ(d.c.deadline->due_date, "2026-12-16");  // reopened: 15 working days from 11-25
  d = must(step("fc_clerk", d, "resolve", {.result = "十二月已到账"}));
  d = must(step("fc_clerk", d, "visit", {.satisfaction = "basically_satisfied"}));
  EXPECT_EQ(d.c.status, "closed");
  EXPECT_EQ(d.c.satisfaction, "basically_satisfied");
  EXPECT_TRUE(d.next_steps.empty());
  std::vector<std::string> actions;
  for (const auto& e : d.timeline) actions.push_back(e.action);
  EXPECT_EQ(join(actions, ","), "register,accept,assign,note,resolve,visit,resolve,visit");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'case'"), 8);
}

TEST_F(Cases, RejectionNeedsAReasonAndEndsTheCase) {
  CaseDetail d = make(rights());
  EXPECT_EQ(step("fc_lead", d, "reject", {}).error().field, "reason");
  d = must(step("fc_lead", d, "reject", {.reason = "不属于本级管辖，已告知向法院起诉"}));
  EXPECT_EQ(d.c.status, "rejected");
  EXPECT_FALSE(d.c.deadline);
  EXPECT_EQ(d.c.reject_reason, "不属于本级管辖，已告知向法院起诉");
}

TEST_F(Cases, EveryOtherTransitionIsRefusedAndChangesNothing) {
  const std::vector<std::string> all = {"accept", "reject", "assign", "note", "resolve", "visit",
                                        "rectify", "submit_review", "review"};
  ActionInput full{.note = "n", .reason = "r", .department = "d", .handler = "h", .result = "x",
                   .satisfaction = "satisfied", .hazard_level = "general", .measures = "m", .due_date = "2026-12-01",
                   .passed = true, .evidence_ids = {}, .version = 0};
  // One case at every status of both workflows (a fresh case for each).
  auto rights_at = [&](int depth) {
    CaseDetail r = make(rights());
    if (depth > 0) r = must(step("fc_lead", r, "accept", {}));
    if (depth > 1) r = must(step("fc_clerk", r, "assign", {.department = "d", .handler = "h"}));
    if (depth > 2) r = must(step("fc_clerk", r, "resolve", {.result = "x"}));
    if (depth > 3) r = must(step("fc_clerk", r, "visit", {.satisfaction = "satisfied"}));
    return r;
  };
  auto hazard_at = [&](int depth) {
    CaseDetail h = make(hazard());
    if (depth > 0) h = must(step("fc_lead", h, "rectify", full));
    if (depth > 1) h = must(step("fc_clerk", h, "submit_review", {.note = "已加固"}));
    if (depth > 2) h = must(step("fc_lead", h, "review", {.note = "合格", .passed = true}));
    return h;
  };
  std::vector<CaseDetail> at;
  for (int i = 0; i <= 4; ++i) at.push_back(rights_at(i));
  at.push_back(must(step("fc_lead", make(rights()), "reject", {.reason = "r"})));
  for (int i = 0; i <= 3; ++i) at.push_back(hazard_at(i));
  std::set<std::string> statuses;
  for (const auto& d : at) statuses.insert(d.c.kind + "/" + d.c.status);
  EXPECT_EQ(statuses.size(), 10u);
  int refused = 0;
  for (const auto& d : at) {
    std::int64_t events = count("SELECT count(*) FROM case_events WHERE case_id = " + std::to_string(d.c.id));
    for (const auto& action : all) {
      if (allowed(d.c.kind, d.c.status, action)) continue;
      auto res = step("fc_lead", d, action, full);
      ASSERT_FALSE(res.ok()) << d.c.kind << " " << d.c.status << " " << action;
      EXPECT_EQ(res.error().code, "invalid_transition") << d.c.status << " " << action;
      ++refused;
    }
    auto now = get_case(as("fc_lead"), d.c.id);
    EXPECT_EQ(now->c.version, d.c.version);
    EXPECT_EQ(now->c.status, d.c.status);
    EXPECT_EQ(count("SELECT count(*) FROM case_events WHERE case_id = " + std::to_string(d.c.id)), events);
  }
  EXPECT_EQ(refused, 10 * 9 - 10);  // 10 allowed (status, action) pairs across the statuses reached
}

TEST_F(Cases, RolesAndStaleVersions) {
  CaseDetail d = make(rights());
  EXPECT_EQ(create_case(as("fc_viewer"), rights()).error().code, "forbidden");
  d = must(step("fc_lead", d, "accept", {}));
  EXPECT_EQ(step("fc_viewer", d, "assign", {.department = "d", .handler = "h"}).error().code, "forbidden");
  ActionInput stale{.department = "d", .handler = "h"};
  stale.version = d.c.version - 1;
  auto r = act(as("fc_clerk"), d.c.id, "assign", stale);
  EXPECT_EQ(r.error().code, "stale_version");
  EXPECT_EQ(get_case(as("fc_clerk"), d.c.id)->c.status, "accepted");
  EXPECT_TRUE(get_case(as("fc_viewer"), d.c.id)->next_steps.empty());
}

TEST_F(Cases, RequiredFieldsByKindWriteNothing) {
  Context clerk = as("fc_clerk");
  NewCase n = rights();
  n.applicant = {};
  EXPECT_EQ(create_case(clerk, n).error().field, "applicant");
  n = rights();
  n.applicant.phone = "";
  EXPECT_EQ(create_case(clerk, n).error().field, "applicant.phone");
  n = rights();
  n.category = "road";
  EXPECT_EQ(create_case(clerk, n).error().code, "unknown_category");
  n = rights();
  n.kind = "unit_request";
  n.category = "road";
  EXPECT_EQ(create_case(clerk, n).error().code, "bad_applicant");
  n.applicant = Applicant{.type = "unit", .person_id = 0, .name = "", .phone = "", .unit = ""};
  EXPECT_EQ(create_case(clerk, n).error().field, "applicant.unit");
  n = rights();
  n.title = "  ";
  EXPECT_EQ(create_case(clerk, n).error().field, "title");
  n = rights();
  n.region_code = "140924000000";
  EXPECT_EQ(create_case(clerk, n).error().field, "region_code");
  n = rights("2026-11-23");
  EXPECT_EQ(create_case(clerk, n).error().field, "registered_on");
  n = rights();
  n.applicant = Applicant{.type = "person", .person_id = 42, .name = "", .phone = "", .unit = ""};
  EXPECT_EQ(create_case(clerk, n).error().code, "not_found");
  EXPECT_EQ(count("SELECT count(*) FROM cases"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity = 'case'"), 0);
  NewCase unit = rights();
  unit.kind = "unit_request";
  unit.category = "water_power";
  unit.applicant = Applicant{.type = "unit", .person_id = 0, .name = "张参谋", .phone = "0350-1234567", .unit = "某部雷达站"};
  EXPECT_EQ(make(unit).c.number, "BD-2026-0001");
}

TEST_F(Cases, HazardRectificationReviewFailsThenPasses) {
  CaseDetail h = make(hazard());
  EXPECT_EQ(h.c.deadline->due_date, "2026-11-24");  // 2 working days to order rectification
  ActionInput order{.note = "", .reason = "", .department = "繁城镇政府", .handler = "赵村长", .result = "",
                    .satisfaction = "", .hazard_level = "major", .measures = "搭设防护、拆除危墙", .due_date = "2026-11-28",
                    .passed = {}, .evidence_ids = {}, .version = 0};
  auto saturday = step("fc_lead", h, "rectify", order);
  EXPECT_EQ(saturday.error().field, "due_date");
  order.due_date = "2027-01-08";
  EXPECT_EQ(step("fc_lead", h, "rectify", order).error().message, "缺少2027年的节假日安排，请先录入");
  order.due_date = "2026-12-04";
  EXPECT_EQ(step("fc_clerk", h, "rectify", order).error().code, "forbidden");
  h = must(step("fc_lead", h, "rectify", order));
  EXPECT_EQ(h.c.status, "rectifying");
  EXPECT_EQ(h.c.hazard_level, "major");
  EXPECT_EQ(h.c.deadline->stage, "rectify");
  EXPECT_EQ(h.c.deadline->due_date, "2026-12-04");
  h = must(step("fc_clerk", h, "note", {.note = "已搭设防护"}));
  h = must(step("fc_clerk", h, "submit_review", {.note = "危墙已拆除"}));
  EXPECT_EQ(h.c.status, "reviewing");
  EXPECT_EQ(step("fc_lead", h, "review", {.note = "未清运", .passed = false}).error().field, "due_date");
  h = must(step("fc_lead", h, "review", {.note = "建筑垃圾未清运", .due_date = "2026-12-09", .passed = false}));
  EXPECT_EQ(h.c.status, "rectifying");
  EXPECT_EQ(h.c.deadline->due_date, "2026-12-09");
  h = must(step("fc_clerk", h, "submit_review", {.note = "已清运"}));
  h = must(step("fc_lead", h, "review", {.note = "合格", .passed = true}));
  EXPECT_EQ(h.c.status, "closed");
  EXPECT_FALSE(h.c.deadline);
}

TEST_F(Cases, AttachmentsAreCheckedByContent) {
  CaseDetail d = make(rights());
  Context clerk = as("fc_clerk");
  std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\0');
  auto ok = add_attachment(clerk, d.c.id, {"身份证明.PNG", "", png});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->content_type, "image/png");
  auto file = get_attachment(as("fc_viewer"), d.c.id, ok->id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->bytes, png);
  EXPECT_EQ(add_attachment(clerk, d.c.id, {"照片.jpg", "", "MZ\x90\x00program"}).error().code, "attachment_disguised");
  EXPECT_EQ(add_attachment(clerk, d.c.id, {"材料.pdf", "", png}).error().code, "attachment_disguised");
  EXPECT_EQ(add_attachment(clerk, d.c.id, {"说明.txt", "", "hello"}).error().code, "attachment_type");
  EXPECT_EQ(add_attachment(clerk, d.c.id, {"大.pdf", "", "%PDF-" + std::string(kMaxAttachmentBytes, 'x')}).error().code,
            "attachment_too_large");
  EXPECT_EQ(add_attachment(as("fc_viewer"), d.c.id, {"a.pdf", "", "%PDF-1.4"}).error().code, "forbidden");
  EXPECT_EQ(count("SELECT count(*) FROM case_attachments"), 1);
  // Evidence on 办结 links this case's attachment.
  d = *get_case(clerk, d.c.id);
  d = must(step("fc_lead", d, "accept", {}));
  d = must(step("fc_clerk", d, "assign", {.department = "d", .handler = "h"}));
  auto pdf = add_attachment(clerk, d.c.id, {"补发凭证.pdf", "evidence", "%PDF-1.7 test"});
  ASSERT_TRUE(pdf.ok());
  d = *get_case(clerk, d.c.id);
  EXPECT_EQ(step("fc_clerk", d, "resolve", {.result = "已补发", .evidence_ids = {12345}}).error().field, "evidence_ids");
  d = must(step("fc_clerk", d, "resolve", {.result = "已补发", .evidence_ids = {pdf->id}}));
  EXPECT_EQ(d.attachments.size(), 2u);
}

TEST_F(Cases, OverdueCasesEscalateOnceToTheTownshipLead) {
  CaseDetail late = make(rights("2026-11-02"));  // accept due 11-05
  make(rights());                                 // not overdue
  EXPECT_EQ(late.c.deadline->state, "overdue");
  auto run = escalate_overdue(system());
  ASSERT_TRUE(run.ok()) << run.error().message;
  EXPECT_EQ(run->escalated, 1);
  ASSERT_EQ(run->overdue.size(), 1u);
  ASSERT_TRUE(run->overdue[0].escalation);
  ASSERT_EQ(run->overdue[0].escalation->leads.size(), 1u);
  EXPECT_EQ(run->overdue[0].escalation->leads[0].display_name, "张卫东");  // fc_lead, not the county lead
  EXPECT_EQ(run->overdue[0].escalation->township_code, kTown);
  EXPECT_EQ(escalate_overdue(system())->escalated, 0);
  EXPECT_EQ(escalate_overdue(as("fc_clerk")).error().code, "forbidden");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'case.escalate'"), 1);

  auto s = summary(as("fc_lead"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->overdue, 1);
  EXPECT_EQ(s->normal, 1);
  ASSERT_EQ(s->escalated_to_me.size(), 1u);
  EXPECT_EQ(summary(as("county_lead"))->escalated_to_me.size(), 0u);
  EXPECT_EQ(list_cases(as("fc_viewer"), CaseQuery{.deadline = "overdue"})->total, 1);

  // Accepting it starts a new deadline: it leaves the overdue list and the lead's list.
  CaseDetail d = *get_case(as("fc_lead"), late.c.id);
  EXPECT_EQ(d.timeline.back().action, "escalate");
  must(step("fc_lead", d, "accept", {}));
  s = summary(as("fc_lead"));
  EXPECT_EQ(s->overdue, 0);
  EXPECT_TRUE(s->overdue_cases.empty());
  EXPECT_TRUE(s->escalated_to_me.empty());
  EXPECT_EQ(list_cases(as("fc_viewer"), CaseQuery{.deadline = "overdue"})->total, 0);
}

TEST_F(Cases, ListFiltersAndExport) {
  make(rights());
  make(rights("2026-11-02"));
  make(hazard());  // due 11-24: two working days left, 临期
  Context viewer = as("fc_viewer");
  EXPECT_EQ(list_cases(viewer, CaseQuery{})->total, 3);
  EXPECT_EQ(list_cases(viewer, CaseQuery{.kind = "hazard"})->total, 1);
  EXPECT_EQ(list_cases(viewer, CaseQuery{.deadline = "due_soon"})->total, 1);
  EXPECT_EQ(list_cases(viewer, CaseQuery{.deadline = "normal"})->total, 1);
  EXPECT_EQ(list_cases(viewer, CaseQuery{.q = "WQ-2026-0002"})->total, 1);
  EXPECT_EQ(list_cases(viewer, CaseQuery{.region = kVillage})->total, 3);
  EXPECT_EQ(list_cases(viewer, CaseQuery{.deadline = "late"}).error().field, "deadline");
  auto xlsx = export_ledger(viewer, CaseQuery{.kind = "rights"});
  ASSERT_TRUE(xlsx.ok()) << xlsx.error().message;
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'case.export'"), 1);
}

TEST_F(Cases, KindSettingsChangeTheNextDeadlineAndKeepCategoriesInUse) {
  auto kinds = list_kinds(as("fc_viewer"));
  ASSERT_TRUE(kinds.ok());
  ASSERT_EQ(kinds->size(), 4u);
  const KindInfo& r = (*kinds)[0];
  EXPECT_EQ(r.code, "rights");
  EXPECT_EQ(update_kind(as("fc_clerk"), "rights", 5, 20, std::nullopt, r.version).error().code, "forbidden");
  EXPECT_EQ(update_kind(as("fc_lead"), "rights", 0, 20, std::nullopt, r.version).error().field, "accept_days");
  EXPECT_EQ(update_kind(as("fc_lead"), "rights", 5, 20, std::nullopt, r.version + 1).error().code, "stale_version");
  auto changed = update_kind(as("fc_lead"), "rights", 5, 20, std::nullopt, r.version);
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->accept_days, 5);
  EXPECT_EQ(make(rights()).c.deadline->due_date, "2026-11-27");  // 5 working days from Sunday
  std::vector<Category> without_pension;
  for (const auto& c : changed->categories)
    if (c.code != "pension") without_pension.push_back(c);
  auto in_use = update_kind(as("fc_lead"), "rights", 5, 20, without_pension, changed->version);
  EXPECT_EQ(in_use.error().code, "category_in_use");
  auto cats = update_kind(as("fc_lead"), "rights", 5, 20,
                          std::vector<Category>{{"pension", "抚恤优待"}, {"veteran_id", "优待证"}}, changed->version);
  ASSERT_TRUE(cats.ok()) << cats.error().message;
  EXPECT_EQ(cats->categories.size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'case_kind.update'"), 2);
}

TEST_F(Cases, OutsideTheScopeACaseDoesNotExist) {
  NewCase n = rights();
  n.region_code = other_town();
  auto county = create_case(as("county_lead"), n);
  ASSERT_TRUE(county.ok()) << county.error().message;
  Context clerk = as("fc_clerk");
  EXPECT_EQ(get_case(clerk, county->c.id).error().code, "not_found");
  EXPECT_EQ(act(as("fc_lead"), county->c.id, "accept", ActionInput{.version = county->c.version}).error().code,
            "not_found");
  EXPECT_EQ(add_attachment(clerk, county->c.id, {"a.pdf", "", "%PDF-1.4"}).error().code, "not_found");
  EXPECT_EQ(list_cases(clerk, CaseQuery{})->total, 0);
  EXPECT_EQ(list_cases(as("county_lead"), CaseQuery{})->total, 1);
  EXPECT_EQ(create_case(clerk, n).error().code, "not_found");
  EXPECT_EQ(list_cases(clerk, CaseQuery{.region = n.region_code}).error().code, "not_found");
}

}  // namespace
}  // namespace sy::cases
