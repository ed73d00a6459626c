#include "demo/demo_cases.h"

#include "demo/demo_actor.h"

#include "auth/roles.h"
#include "calendar/calendar.h"
#include "cases/cases.h"
#include "core/text.h"

namespace sy::demo {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;

}  // namespace

Result<DemoCasesReport> add_demo_cases(const Context& base) {
  SY_ASSIGN(Actor clerk_actor, demo_actor(base, "fc_clerk"));
  SY_ASSIGN(Actor lead_actor, demo_actor(base, "fc_lead"));
  const Millis now = base.now();
  FixedClock clock(now);
  Context clerk{base.db, clock, base.ids, clerk_actor};
  Context lead{base.db, clock, base.ids, lead_actor};
  auto at = [&](int days_ago) { clock.set(now - days_ago * kDay); };

  // Two registry persons of the township, and a village of it for the others.
  std::vector<std::int64_t> persons;
  std::string village;
  SY_TRY(base.db.read([&](store::Conn& c) -> Status {
    std::string like = store::like_prefix(region_prefix(clerk_actor.region_code));
    SY_ASSIGN(store::Rows rows, c.query("SELECT id FROM persons WHERE region_code LIKE ? ESCAPE '\\' AND status = 'active' "
                                        "ORDER BY id LIMIT 2",
                                        {like}));
    for (const auto& r : rows) persons.push_back(r.i64(0));
    SY_ASSIGN(auto v, c.query_one("SELECT code FROM regions WHERE level = 'village' AND code LIKE ? ESCAPE '\\' "
                                  "ORDER BY sort_order LIMIT 1",
                                  {like}));
    if (v) village = v->str(0);
    return ok_status();
  }));
  if (village.empty()) return DemoCasesReport{};

  using cases::Applicant;
  using cases::CaseDetail;
  using cases::NewCase;
  auto person = [&](size_t i) {
    return i < persons.size() ? Applicant{.type = "person", .person_id = persons[i], .name = "", .phone = "", .unit = ""}
                              : Applicant{.type = "individual", .person_id = 0, .name = "王秀兰", .phone = "13903501234", .unit = ""};
  };
  auto individual = [](const char* name, const char* phone) {
    return Applicant{.type = "individual", .person_id = 0, .name = name, .phone = phone, .unit = ""};
  };
  auto unit = [](const char* u, const char* contact, const char* phone) {
    return Applicant{.type = "unit", .person_id = 0, .name = contact, .phone = phone, .unit = u};
  };
  auto reg = [&](int days_ago, NewCase n) -> Result<CaseDetail> {
    at(days_ago);
    if (n.region_code.empty() && n.applicant.type != "person") n.region_code = village;
    return cases::create_case(clerk, n);
  };
  auto step = [&](int days_ago, const Context& who, CaseDetail& d, const char* action, cases::ActionInput in) -> Status {
    at(days_ago);
    in.version = d.c.version;
    SY_ASSIGN(d, cases::act(who, d.c.id, action, in));
    return ok_status();
  };
  // The 整改时限 `n` working days after `days_ago`.
  auto due_after = [&](int days_ago, int n) -> Result<std::string> {
    calendar::WorkingCalendar cal;
    SY_TRY(base.db.read([&](store::Conn& c) -> Status {
      SY_ASSIGN(cal, calendar::load_working_calendar(c));
      return ok_status();
    }));
    SY_ASSIGN(calendar::DayNumber d, cal.add_working_days(*calendar::parse_day(format_date_shanghai(now - days_ago * kDay)), n));
    return calendar::format_day(d);
  };

  DemoCasesReport report;
  Status st = [&]() -> Status {
    // Every date below must lie in years the calendar has; otherwise add nothing.
    SY_TRY(due_after(41, 0));
    SY_TRY(due_after(0, 12));
    // 涉军维权: overdue in handling, recently accepted, closed after a visit, just registered.
    SY_ASSIGN(CaseDetail a, reg(25, {.kind = "rights", .category = "pension", .title = "定期抚恤金两个月未到账",
                                     .description = "反映九月、十月定期抚恤金未到账，银行卡正常。", .region_code = "",
                                     .applicant = person(0), .registered_on = ""}));
    SY_TRY(step(24, lead, a, "accept", {.note = "属实，予以受理"}));
    SY_TRY(step(24, clerk, a, "assign", {.note = "请核对发放名单", .department = "县退役军人事务局", .handler = "王芳"}));
    SY_TRY(step(10, clerk, a, "note", {.note = "县局答复：银行退回，正在核对账户"}));
    SY_ASSIGN(CaseDetail b, reg(6, {.kind = "rights", .category = "land", .title = "承包地被占用补偿未落实",
                                    .description = "退役军人反映承包地被村道拓宽占用，补偿未到位。", .region_code = "",
                                    .applicant = individual("郭建军", "13835012345"), .registered_on = ""}));
    SY_TRY(step(5, lead, b, "accept", {}));
    SY_TRY(step(5, clerk, b, "assign", {.department = "繁城镇政府", .handler = "李明"}));
    SY_ASSIGN(CaseDetail c, reg(40, {.kind = "rights", .category = "schooling", .title = "现役军人子女转学入学",
                                     .description = "现役军人子女随迁入学，需协调镇中心小学。", .region_code = "",
                                     .applicant = individual("孙丽", "13703509876"), .registered_on = ""}));
    SY_TRY(step(39, lead, c, "accept", {}));
    SY_TRY(step(39, clerk, c, "assign", {.department = "县教育局", .handler = "周老师"}));
    SY_TRY(step(20, clerk, c, "resolve", {.result = "已安排在镇中心小学三年级就读"}));
    SY_TRY(step(18, clerk, c, "visit", {.note = "家长表示满意", .satisfaction = "satisfied"}));
    SY_ASSIGN(CaseDetail d, reg(1, {.kind = "rights", .category = "legal", .title = "军婚家庭纠纷法律援助",
                                    .description = "军人配偶请求法律援助。", .region_code = "",
                                    .applicant = individual("马红梅", "15935011122"), .registered_on = ""}));
    // 部队诉求: road resolved awaiting the visit, water supply just in.
    SY_ASSIGN(CaseDetail e, reg(30, {.kind = "unit_request", .category = "road", .title = "雷达站进站道路雨后损毁",
                                     .description = "进站道路约800米路面冲毁，车辆无法通行。", .region_code = "",
                                     .applicant = unit("驻地某部雷达站", "张参谋", "03503012345"), .registered_on = ""}));
    SY_TRY(step(29, lead, e, "accept", {}));
    SY_TRY(step(29, clerk, e, "assign", {.department = "县交通运输局", .handler = "刘工"}));
    SY_TRY(step(5, clerk, e, "resolve", {.result = "已铺设砂石路面并加设排水沟"}));
    SY_ASSIGN(CaseDetail f, reg(2, {.kind = "unit_request", .category = "water_power", .title = "营区供水压力不足",
                                    .description = "冬季营区高位水箱供水不足。", .region_code = "",
                                    .applicant = unit("驻地某部三连", "赵指导员", "03503016789"), .registered_on = ""}));
    // 困难诉求: one waiting too long for acceptance, one not accepted.
    SY_ASSIGN(CaseDetail g, reg(12, {.kind = "hardship", .category = "medical", .title = "住院费用自付部分困难",
                                     .description = "走访中发现：住院自付费用较高，生活困难。", .region_code = "",
                                     .applicant = person(1), .registered_on = ""}));
    SY_ASSIGN(CaseDetail h, reg(15, {.kind = "hardship", .category = "living", .title = "申请临时生活补助",
                                     .description = "申请临时生活补助。", .region_code = "",
                                     .applicant = individual("陈福", "13603504567"), .registered_on = ""}));
    SY_TRY(step(14, lead, h, "reject", {.reason = "已于本月领取临时救助，重复申请，已告知"}));
    // 安全隐患: overdue rectification, under review, closed.
    SY_ASSIGN(CaseDetail i, reg(20, {.kind = "hazard", .category = "building", .title = "光荣院旧楼外墙开裂",
                                     .description = "外墙出现贯通裂缝，雨后扩大。", .region_code = "", .applicant = {},
                                     .registered_on = ""}));
    SY_ASSIGN(std::string due_i, due_after(19, 8));
    SY_TRY(step(19, lead, i, "rectify", {.department = "繁城镇政府", .handler = "赵村长", .hazard_level = "major",
                                         .measures = "设置警戒区，拆除危墙并加固", .due_date = due_i}));
    SY_ASSIGN(CaseDetail j, reg(8, {.kind = "hazard", .category = "fire", .title = "军属家中电线老化",
                                    .description = "走访发现室内电线老化裸露。", .region_code = "", .applicant = {},
                                    .registered_on = ""}));
    SY_ASSIGN(std::string due_j, due_after(7, 10));
    SY_TRY(step(7, lead, j, "rectify", {.department = "村委会", .handler = "王电工", .hazard_level = "general",
                                        .measures = "更换入户线和开关", .due_date = due_j}));
    SY_TRY(step(1, clerk, j, "submit_review", {.note = "线路已更换"}));
    SY_ASSIGN(CaseDetail k, reg(30, {.kind = "hazard", .category = "military_facility", .title = "雷达站周边违规搭建",
                                     .description = "军事设施保护区内有违规搭建的彩钢房。", .region_code = "",
                                     .applicant = {}, .registered_on = ""}));
    SY_ASSIGN(std::string due_k, due_after(29, 10));
    SY_TRY(step(29, lead, k, "rectify", {.department = "繁城镇综合执法队", .handler = "韩队长", .hazard_level = "general",
                                         .measures = "限期拆除", .due_date = due_k}));
    SY_TRY(step(20, clerk, k, "submit_review", {.note = "已拆除"}));
    SY_TRY(step(19, lead, k, "review", {.note = "已拆除到位", .passed = true}));
    report.cases = 11;
    (void)d;
    (void)f;
    (void)g;
    return ok_status();
  }();
  if (!st.ok()) {
    if (st.error().code == "calendar_missing") return DemoCasesReport{};
    return st.error();
  }
  clock.set(now);
  Context system{base.db, base.clock, base.ids, Actor::system_actor("demo")};
  SY_ASSIGN(cases::EscalationRun run, cases::escalate_overdue(system));
  report.overdue = static_cast<int>(run.overdue.size());
  return report;
}

}  // namespace sy::demo
